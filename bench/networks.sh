#!/usr/bin/env bash
# Contacts and networks against ground truth: phone precision and recall, ads sharing a phone or a
# template that end up in one group, and pair precision (of all ad pairs put in one network, the pairs
# truly linked), on the demo site, on CityBoard (data/netsite) and on Corkline (data/netsite2), both written
# apart from Redflag.
#
#   bench/networks.sh            (REDFLAG_BIN defaults to target/debug/redflag; build it first)
#
# The demo figures come from `redflag demo --no-serve`, which crawls the generated site and measures
# against its ground truth. CityBoard is served as static files by python3's http.server on 127.0.0.1,
# crawled with its two adapters and analysed with `redflag analyze --truth`. Everything is written
# under a temporary directory.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${REDFLAG_BIN:-$ROOT/target/debug/redflag}
PORT=${BENCH_PORT:-8765}
WORK=$(mktemp -d /tmp/redflag-networks-bench.XXXXXX)
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== demo site (600 ads)"
"$BIN" --data-dir "$WORK/demo" demo --no-serve 2>/dev/null | sed -n '/against the sample site/,/same-advertiser/p'

echo "== CityBoard (data/netsite, 300 ads)"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$ROOT/data/netsite/site" >/dev/null 2>&1 &
SERVER_PID=$!
sleep 1
"$BIN" --data-dir "$WORK/netsite" crawl --base-url "http://127.0.0.1:$PORT/" \
    --site "$ROOT/data/netsite/cityboard-jobs.toml" --site "$ROOT/data/netsite/cityboard-services.toml" >/dev/null 2>&1
"$BIN" --data-dir "$WORK/netsite" analyze --truth "$ROOT/data/netsite/truth.json" 2>/dev/null
kill "$SERVER_PID"; SERVER_PID=""

echo "== Corkline (data/netsite2, 400 ads)"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$ROOT/data/netsite2/site" >/dev/null 2>&1 &
SERVER_PID=$!
sleep 1
"$BIN" --data-dir "$WORK/netsite2" crawl --base-url "http://127.0.0.1:$PORT/" \
    --site "$ROOT/data/netsite2/corkline-jobs.toml" --site "$ROOT/data/netsite2/corkline-companions.toml" >/dev/null 2>&1
"$BIN" --data-dir "$WORK/netsite2" analyze --truth "$ROOT/data/netsite2/truth.json" 2>/dev/null
