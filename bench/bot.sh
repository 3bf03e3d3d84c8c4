#!/usr/bin/env bash
# The deterrence bot under load: 1,000 concurrent conversations on Telegram, then 1,000 on SMS.
#
#   bench/bot.sh [ARGS…]        e.g. bench/bot.sh --think-ms 500, bench/bot.sh --channels sms
#
# Builds `bot/examples/bench_bot` in release mode and runs it. The bot runs in its own process with the
# example persona and a fresh SQLite store under /tmp (`--pg postgres://postgres@127.0.0.1:5432/postgres`
# uses a throw-away PostgreSQL database instead); its teloxide adapter long-polls a local fake of the
# Telegram Bot API, and signed form POSTs reach its SMS webhook, as a gateway sends them. Buyers in
# English and Spanish, help-seekers, STOP senders and small talk, each waiting for every reply and then
# "typing" for 0.5–1.5 × --think-ms (default 1000) before the next message. Prints p50/p95/p99 reply
# latency per channel, replies per second, errors, the bot process's peak RSS and CPU time, and checks
# that every reply is the right one, silences hold, and the store's counters agree (each buyer deterred
# exactly once). Exits non-zero on any error.
#
# Set REDFLAG_BIN=target/release/redflag to load `redflag bot` itself instead of the example's bot
# process (the same library calls; it needs a release build of the whole binary).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
echo "== building (release)"
cargo build --release -q -p redflag-bot --features bench --example bench_bot
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$TARGET/release/examples/bench_bot" "$@"
