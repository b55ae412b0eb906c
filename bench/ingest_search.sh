#!/usr/bin/env bash
# Benchmark: ingest all of ../shared/seeds and ../shared/corpus with a release build, then serve
# and measure search latency over the JSON API. Prints ingest pages/s and search p50/p99.
#
# Usage: bash bench/ingest_search.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
cargo build --release -p undex-cli --quiet
bin=target/release/undex
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== ingest (cold index) =="
/usr/bin/time -f "wall %e s, max RSS %M KB" "$bin" ingest ../shared/seeds ../shared/corpus \
  --index "$work/index" --extracted "$work/extracted" 2>&1 | grep -v '^  skipped'

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --index "$work/index" --addr "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/search?q=veto" >/dev/null && break; sleep 0.1; done

echo "== search =="
python3 bench/search_latency.py "127.0.0.1:$port" "$rounds"
