#!/usr/bin/env bash
# Benchmark: ingest all of ../shared/seeds and ../shared/corpus with a release build, then serve
# and measure search latency over the JSON API. Prints ingest pages/s and search p50/p99.
#
# Usage: bash bench/ingest_search.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/serve_common.sh
rounds=${1:-20}
build_release
make_workdir

echo "== ingest (cold index) =="
ingest_shared "$work/index" "$work/extracted" timed 2>&1 | grep -v '^  skipped'

serve_index "$work/index" /dev/null '/api/search?q=veto' 50

echo "== search =="
python3 bench/search_latency.py "127.0.0.1:$port" "$rounds"
