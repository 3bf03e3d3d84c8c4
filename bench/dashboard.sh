#!/usr/bin/env bash
# The dashboard at a million ads: generated ads in a fresh store, timed over HTTP.
#
#   bench/dashboard.sh [ARGS…]        e.g. bench/dashboard.sh --ads 100000, bench/dashboard.sh --requests 500
#   bench/dashboard.sh --pg postgres://postgres@127.0.0.1:5432/postgres
#
# Builds `dashboard/examples/bench_million` in release mode and runs it. It fills a SQLite store under
# /tmp (or, with --pg, a throw-away PostgreSQL database it creates and drops) with 1,000,000 generated ads
# (--ads N): escort and job ads on 20 sites in 200 cities, risks spread over 0–100, each with its version,
# URL, phone entity and score with the indicators that fired and their evidence, 4 % triaged (most with an
# assignee), about 3 % in networks that share a phone; and builds their search index with redflag-index.
# Multi-row INSERTs in transactions of 25,000 ads; the index is written alongside.
#
# Then it serves the dashboard from its own process on 127.0.0.1 (the bundled classifier, default
# settings but for the API's rate limit) and times, one request at a time (--requests N each, default 200),
# the lead queue (`/leads`, a filtered variant and an indicator filter), random ad pages, the search page (which counts facets),
# `/api/leads` with a bearer API token, and, in its own process, the index's `AdIndex::search` and
# `AdIndex::facets`. Prints p50/p95/p99 per request type, generation time, index and store sizes, the
# dashboard process's peak RSS (VmHWM) and whether the goals are met (search p95 < 10 ms in the index,
# lead-queue page p99 < 50 ms). Everything it generated is deleted at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
echo "== building (release)"
cargo build --release -q -p redflag-dashboard --features bench --example bench_million
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$TARGET/release/examples/bench_million" "$@"
echo "== load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
