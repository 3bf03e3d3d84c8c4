#!/usr/bin/env bash
# Incremental analysis at a million ads: the cost of analysing 10,000 new ads in a store of 1,000,000
# against the cost in an empty store, linking throughput, and peak memory.
#
#   bench/incremental.sh [ADS] [--add N] [--base DIR]        e.g. bench/incremental.sh 200000
#
# Builds `analyze/examples/bench_incremental` in release mode and runs it. It fills a SQLite store under
# /tmp with ADS generated ads (default 1,000,000; one in four posted by a network that reuses a text
# template with a few words changed, two networks in three also sharing a phone), analyses them in full
# (the bundled classifier, an index on disk), stores N more ads from the same population (default 10,000;
# many join existing networks) and times their analysis, then times the same N ads in an empty store.
# Prints each run's stages, what it linked and scored, its peak RSS (VmHWM, reset before each run), and
# linking throughput. Everything it generated is deleted at the end, except with --base DIR, which keeps
# the analysed store of ADS ads in DIR and starts later runs from a copy of it (the full analysis is then
# not timed again). RUST_LOG=redflag_analyze=debug prints the pipeline's own timings, step by step.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
echo "== building (release)"
cargo build --release -q -p redflag-analyze --example bench_incremental
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$TARGET/release/examples/bench_incremental" "$@"
echo "== load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
