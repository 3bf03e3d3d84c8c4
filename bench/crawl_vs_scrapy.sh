#!/usr/bin/env bash
# Crawl throughput: Redflag's crawler against Scrapy on the same static site, in one run.
#
#   bench/crawl_vs_scrapy.sh [ADS_PER_BOARD]      (default 1500 per board: about 3,900 pages)
#
# Generates the demo site (both boards) as static files, serves it with nginx on 127.0.0.1, installs
# Scrapy in a throw-away virtual environment, and crawls the site with both tools at concurrency 16,
# robots.txt obeyed, no delay, each extracting a title and body and storing its results (Redflag: its
# SQLite store with compressed evidence pages; Scrapy: a JSON-lines feed). Prints pages, seconds,
# pages/s and peak RSS for each, and the ratio. Needs nginx (apt-get install nginx), python3 with venv,
# and network access to PyPI for the Scrapy install. Everything else stays under a temporary directory.
#
# Redflag runs as `crawler/examples/bench_crawl.rs`, the library `redflag crawl` calls, so the benchmark
# does not need a release build of the whole binary; set REDFLAG_BIN=target/release/redflag to measure
# `redflag crawl` itself instead.
set -euo pipefail

ADS=${1:-1500}
PORT=${BENCH_PORT:-8088}
CONCURRENCY=16
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/redflag-crawl-bench.XXXXXX)
NGINX_PID=""
cleanup() {
    if [[ -n "$NGINX_PID" ]] && kill -0 "$NGINX_PID" 2>/dev/null; then kill "$NGINX_PID"; fi
    if [[ -n "${BENCH_KEEP:-}" ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# nginx workers run as an unprivileged user: they must be able to read the export.
chmod 755 "$WORK"

command -v nginx >/dev/null || { echo "nginx is needed: apt-get install nginx" >&2; exit 1; }
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }

echo "== building (release)"
(cd "$ROOT" && cargo build --release -q -p redflag-crawler --example bench_crawl --example demosite_export)
TARGET=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
EXAMPLES="$TARGET/release/examples"

echo "== generating the demo site ($ADS ads per board)"
FILES=$("$EXAMPLES/demosite_export" "$WORK/site" "$ADS" "$ADS" "$WORK/site.nginx")
echo "   $FILES files"

echo "== serving it with nginx on 127.0.0.1:$PORT"
mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types { text/html html; text/plain txt; application/xml xml; application/json json; text/css css; }
    default_type text/plain;
    charset utf-8;
    charset_types text/plain application/xml;
    client_body_temp_path $WORK/nginx/tmp;
    proxy_temp_path $WORK/nginx/tmp;
    fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp;
    scgi_temp_path $WORK/nginx/tmp;
    server {
        listen 127.0.0.1:$PORT;
        root $WORK/site;
        include $WORK/site.nginx;
    }
}
EOF
chmod -R a+rX "$WORK/site"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >"$WORK/nginx/logs/stdout.log" 2>&1 &
NGINX_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/robots.txt" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/escorts/?page=2" >/dev/null || { echo "nginx does not serve the site" >&2; exit 1; }

echo "== installing Scrapy in a throw-away virtual environment"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check scrapy
SCRAPY_VERSION=$("$WORK/venv/bin/python" -c 'import scrapy; print(scrapy.__version__)')

rss_of() { grep 'Maximum resident set size' "$1" | awk '{print $NF}'; }

echo "== Scrapy $SCRAPY_VERSION"
BENCH_STATS="$WORK/scrapy-stats.json" $TIME -v -o "$WORK/scrapy.time" \
    "$WORK/venv/bin/scrapy" runspider "$ROOT/bench/crawl/scrapy_spider.py" \
    -a base="http://127.0.0.1:$PORT/" -O "$WORK/scrapy-items.jsonl:jsonlines" >"$WORK/scrapy.log" 2>&1 \
    || { cat "$WORK/scrapy.log" >&2; exit 1; }

echo "== Redflag"
if [[ -n "${REDFLAG_BIN:-}" ]]; then
    $TIME -v -o "$WORK/redflag.time" "$REDFLAG_BIN" --data-dir "$WORK/rf-data" -q crawl --json \
        --site "$ROOT/bench/crawl/demo-bench.toml" --base-url "http://127.0.0.1:$PORT/" \
        --concurrency $CONCURRENCY >"$WORK/redflag.json"
    python3 - "$WORK/redflag.json" > "$WORK/redflag.line" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))[0]
print(json.dumps({"pages": s["pages_fetched"], "seconds": s["seconds"], "pages_per_sec": s["pages_per_sec"], "ads": s["ads_new"]}))
PY
else
    $TIME -v -o "$WORK/redflag.time" "$EXAMPLES/bench_crawl" "$ROOT/bench/crawl/demo-bench.toml" \
        "http://127.0.0.1:$PORT/" "$WORK/rf-data" $CONCURRENCY >"$WORK/redflag.line"
fi

python3 - "$WORK" "$(rss_of "$WORK/scrapy.time")" "$(rss_of "$WORK/redflag.time")" "$SCRAPY_VERSION" <<'PY'
import json, sys
work, scrapy_rss, redflag_rss, version = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
st = json.load(open(work + "/scrapy-stats.json"))
items = sum(1 for _ in open(work + "/scrapy-items.jsonl"))
# robots.txt is not a page of the site; leave it out of Scrapy's count as Redflag's count leaves it out.
s_pages = st.get("response_received_count", 0) - st.get("robotstxt/response_count", 0)
s_secs = st["crawl_seconds"]
rf = json.loads(open(work + "/redflag.line").read())
r_pages, r_secs = rf["pages"], rf["seconds"]
rows = [
    (f"Scrapy {version}", s_pages, s_secs, s_pages / s_secs, scrapy_rss, f"{items} items"),
    ("Redflag", r_pages, r_secs, r_pages / r_secs, redflag_rss, f"{rf.get('ads', 0)} ads"),
]
print()
print(f"{'crawler':<14} {'pages':>7} {'seconds':>8} {'pages/s':>9} {'peak RSS':>10}  stored")
for name, pages, secs, rate, rss, stored in rows:
    print(f"{name:<14} {pages:>7} {secs:>8.2f} {rate:>9.1f} {rss/1024:>7.1f} MiB  {stored}")
print(f"\nRedflag / Scrapy pages/s: {rows[1][3] / rows[0][3]:.1f}x")
PY
