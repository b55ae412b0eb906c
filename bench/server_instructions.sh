#!/usr/bin/env bash
# Instructions a server spends on the scale benchmark's 500 queries: a measure of search work
# that does not move with the machine's speed (wall and CPU times here move by 20-40% from one
# hour to the next; instruction counts repeat to 0.1%). Cache misses and branch mispredictions
# are not counted, so it guides work on instructions (parsing, copying, allocation), not on
# memory layout or branches, and a change it favours is then timed with bench/scale_clients.py
# (stepping through postings instead of seeking took fewer instructions and more time).
#
# usage: bash bench/server_instructions.sh UNDEX_BIN INDEX_DIR [OUT]
#   Runs `UNDEX_BIN serve --index INDEX_DIR` under valgrind's callgrind on 127.0.0.1:18790 (or
#   $INSTRUCTIONS_ADDR, to run two at once: counts do not depend on the machine's load),
#   sends bench/scale_queries.py's warm-up pass and one timed pass (1,000 requests, one
#   client, facets on, ten hits per page), stops the server and prints its instructions over
#   those requests, in all and per request (start-up, the readiness probe and the facet tables
#   the first search builds, and the server's shutdown, are not counted). The queries'
#   profile is kept in OUT.1 (default target/bench-scale/callgrind.out.1) for
#   `callgrind_annotate --inclusive=yes OUT.1`. Needs valgrind (apt-get install valgrind).
set -euo pipefail
BIN=$1; INDEX=$2; OUT=${3:-target/bench-scale/callgrind.out}
HERE=$(cd "$(dirname "$0")" && pwd)
ADDR=${INSTRUCTIONS_ADDR:-127.0.0.1:18790}
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT" "$OUT".*
valgrind --tool=callgrind --callgrind-out-file="$OUT" "$BIN" serve --index "$INDEX" --addr "$ADDR" \
  > /dev/null 2> "$OUT.log" &
server=$!
trap 'kill $server 2> /dev/null || true' EXIT
# Ready when a search answers; the first search also builds the facet tables (seconds
# under valgrind): no timeout, and one request at a time, so that they are built once.
for _ in $(seq 1 300); do
  python3 -c "import urllib.request as u; u.urlopen('http://$ADDR/api/search?q=x&per_page=1', timeout=3600)" \
    2> /dev/null && break
  sleep 0.5
done
# Count the queries only: start-up, the first search and its tables are left out.
callgrind_control --zero $server > /dev/null 2>&1
python3 "$HERE/scale_queries.py" "$ADDR" --clients 1 --rounds 1 > /dev/null
# The queries' profile is dumped to OUT.1 before the server stops (dropping a 1M index's
# facet tables costs as much as ten requests).
callgrind_control --dump=queries $server > /dev/null 2>&1
kill -INT $server
wait $server || true
trap - EXIT
refs=$(sed -n 's/^summary: //p' "$OUT.1")
echo "instructions: $refs over 1,000 requests, $((refs / 1000)) per request"
