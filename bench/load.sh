#!/usr/bin/env bash
# Load figures for docs/reliability.md ("Load"): wrk at 1, 8 and 64 connections, 10 s each,
# against the search API and the search page, over an index of ../shared/seeds and
# ../shared/corpus, loopback only. Prints one table row per run: requests/s, latency p50, p99
# and max, non-2xx answers and socket errors. The server and wrk share the machine's cores.
#
# Usage: bash bench/load.sh [SECONDS]
# Needs wrk (apt-get install -y wrk). Set UNDEX_BENCH_INDEX=DIR to reuse an index.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/serve_common.sh
secs=${1:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 2; }
build_release
make_workdir

index=${UNDEX_BENCH_INDEX:-}
if [ -z "$index" ]; then
  index="$work/index"
  ingest_shared "$index" "$work/extracted" >/dev/null 2>&1
fi
serve_index "$index" "$work/serve.log" /api/stats 100
echo "index: $(curl -s "http://127.0.0.1:$port/api/stats"); $(nproc) cores; wrk ${secs}s per row"
echo
echo "| path | connections | requests/s | p50 | p99 | max | non-2xx | socket errors |"
echo "|---|---|---|---|---|---|---|---|"
for path in '/api/search?q=veto+restraint' '/'; do
  for c in 1 8 64; do
    threads=$(( c < 2 ? 1 : 2 ))
    out=$(wrk -t"$threads" -c"$c" -d"${secs}s" --latency "http://127.0.0.1:$port$path")
    rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")
    p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
    max=$(awk '$1 == "Latency" { print $4 }' <<<"$out")
    non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
    errors=$(awk '/Socket errors/ { sub(/.*Socket errors: /, ""); print }' <<<"$out")
    echo "| \`$path\` | $c | $rps | $p50 | $p99 | $max | ${non2xx:-0} | ${errors:-none} |"
  done
done
echo
echo "server peak RSS (VmHWM): $(awk '$1 == "VmHWM:" { print $2 }' "/proc/$server/status") kB"
