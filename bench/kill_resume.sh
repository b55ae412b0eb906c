#!/usr/bin/env bash
# A killed ingest resumes with nothing lost and nothing duplicated, at scale:
#   bash bench/kill_resume.sh [N]      (default 100000; the scale corpus must exist, see bench/scale.sh)
# Ingests the generated corpus of N paragraphs (one plain-text UN document per symbol, as the shared
# harness writes them under target/bench-scale/data/undex-N/docs), kills the ingest with SIGKILL
# once about half the documents are extracted, runs the same command again, then serves the index
# and checks that a match-all search counts exactly N paragraphs (a duplicate would count twice).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
BIN=${UNDEX_BIN:-$PWD/target/release/undex}
DOCS=${BENCH_OUT:-$PWD/target/bench-scale}/data/undex-$N/docs
test -d "$DOCS" || { echo "no $DOCS: run bash bench/scale.sh $N first" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/undex-kill.XXXXXX")
trap 'kill $SRV 2>/dev/null || true; rm -rf "$WORK"' EXIT
SRV=
files=$(ls "$DOCS" | wc -l)
"$BIN" ingest "$DOCS" --index "$WORK/index" --extracted "$WORK/extracted" 2>"$WORK/first.log" &
PID=$!
while kill -0 $PID 2>/dev/null; do
  done_docs=$(ls "$WORK/extracted" 2>/dev/null | grep -c jsonl || true)
  if [ "$done_docs" -ge $((files / 2)) ]; then kill -9 $PID; break; fi
  sleep 0.2
done
wait $PID 2>/dev/null || true
echo "killed after $(ls "$WORK/extracted" | grep -c jsonl) of $files documents"
start=$(date +%s.%N)
"$BIN" ingest "$DOCS" --index "$WORK/index" --extracted "$WORK/extracted" 2>"$WORK/second.log"
echo "resumed run: $(echo "$(date +%s.%N) - $start" | bc) s"
grep -E "ingested|resumed" "$WORK/second.log" || true
PORT=$((18000 + RANDOM % 1000))
"$BIN" serve --index "$WORK/index" --addr 127.0.0.1:$PORT >/dev/null 2>&1 &
SRV=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/stats" >/dev/null && break; sleep 0.2; done
total=$(curl -sf "http://127.0.0.1:$PORT/api/search?per_page=1&facets=false" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "match-all total: $total (want $N)"
test "$total" = "$N"
