#!/usr/bin/env bash
# Benchmark: earlier wording (`/api/paragraphs/{id}/earlier`) for every paragraph of
# ../shared/seeds and ../shared/corpus against a release `undex serve`; prints latency
# p50/p90/p99 and writes one JSON line per paragraph (top-5 ids and scores, chain).
#
# Usage: bash bench/earlier_wording.sh OUT.jsonl [WORKDIR]
#   WORKDIR keeps the index and extracted rows (a temporary folder by default); an index already
#   there is served as is, so two builds can be compared on the same rows:
#     UNDEX_BIN=/path/to/older/undex bash bench/earlier_wording.sh old.jsonl /tmp/ew
#     bash bench/earlier_wording.sh new.jsonl /tmp/ew
#     python3 bench/earlier_wording.py compare old.jsonl new.jsonl /tmp/ew/extracted
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
if [[ -z "${UNDEX_BIN:-}" ]]; then
  cargo build --release -p undex-cli --quiet
  UNDEX_BIN=target/release/undex
fi
if [[ -n "${2:-}" ]]; then work=$2; mkdir -p "$work"; keep=1; else work=$(mktemp -d); keep=0; fi
trap 'kill "${server:-0}" 2>/dev/null || true; [[ $keep == 1 ]] || rm -rf "$work"' EXIT

if [[ ! -f "$work/index/meta.json" ]]; then
  echo "== ingest =="
  /usr/bin/time -f "wall %e s, max RSS %M KB" "$UNDEX_BIN" ingest ../shared/seeds ../shared/corpus \
    --index "$work/index" --extracted "$work/extracted" 2>&1 | grep -v '^  skipped'
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$UNDEX_BIN" serve --index "$work/index" --addr "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/stats" >/dev/null && break; sleep 0.1; done

echo "== earlier wording =="
python3 bench/earlier_wording.py dump "127.0.0.1:$port" "$work/extracted" "$out"
echo "server max RSS: $(grep VmHWM /proc/$server/status | awk '{print $2, $3}')"
