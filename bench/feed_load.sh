#!/usr/bin/env bash
# Load probe of issue #16: concurrent requests to an endpoint that summarises every matching
# row (by default the Atom feed with no query, i.e. over the whole index). Ingests
# ../shared/seeds and ../shared/corpus with the release binary into a temporary index, serves
# it on loopback, fires N concurrent requests, and prints each request's status and time, the
# slowest, the rate, and the server's peak resident memory (VmHWM of /proc/PID/status).
#
# Usage: bash bench/feed_load.sh [PATH [N]]
#   bash bench/feed_load.sh                        # 16 x /feed.atom
#   bash bench/feed_load.sh '/api/trends?by=document' 16
#   bash bench/feed_load.sh '/api/export?format=csv' 16
# Set UNDEX_BENCH_INDEX=DIR to reuse an index ingested before (skips the ingest).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/serve_common.sh
path=${1:-/feed.atom}
n=${2:-16}
build_release
make_workdir

index=${UNDEX_BENCH_INDEX:-}
if [ -z "$index" ]; then
  index="$work/index"
  echo "== ingest =="
  ingest_shared "$index" "$work/extracted" 2>&1 | grep -v '^  skipped' | tail -3
fi

serve_index "$index" "$work/serve.log" /api/stats 100
echo "== index: $(curl -s "http://127.0.0.1:$port/api/stats") =="
rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server/status"; }
echo "server RSS before: $(rss VmRSS) kB"

echo "== $n concurrent GET $path =="
start=$(date +%s.%N)
for i in $(seq "$n"); do
  curl -s -o /dev/null -m 120 -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port$path" \
    >"$work/req.$i" &
done
wait $(jobs -p | grep -v "^$server\$") 2>/dev/null || true
end=$(date +%s.%N)
cat "$work"/req.* | sort -k2 -n | awk '{ printf "  status %s  %.3f s\n", $1, $2 }'
cat "$work"/req.* | awk -v n="$n" -v t="$(echo "$end - $start" | bc)" '
  $1 == 200 { ok++ } { if ($2 > max) max = $2; sum += $2 }
  END { printf "ok %d/%d, mean %.3f s, slowest %.3f s, wall %.2f s, %.1f req/s\n", ok, n, sum / n, max, t, n / t }'
echo "server peak RSS (VmHWM): $(rss VmHWM) kB, RSS after: $(rss VmRSS) kB"
