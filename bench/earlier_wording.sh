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
source bench/serve_common.sh
out=$1
if [[ -n "${UNDEX_BIN:-}" ]]; then bin=$UNDEX_BIN; else build_release; fi
if [[ -n "${2:-}" ]]; then work=$2; mkdir -p "$work"; keep=1; else work=$(mktemp -d); keep=0; fi
trap 'kill "${server:-0}" 2>/dev/null || true; [[ $keep == 1 ]] || rm -rf "$work"' EXIT

if [[ ! -f "$work/index/meta.json" ]]; then
  echo "== ingest =="
  ingest_shared "$work/index" "$work/extracted" timed 2>&1 | grep -v '^  skipped'
fi

serve_index "$work/index" /dev/null /api/stats 50

echo "== earlier wording =="
python3 bench/earlier_wording.py dump "127.0.0.1:$port" "$work/extracted" "$out"
echo "server max RSS: $(grep VmHWM /proc/$server/status | awk '{print $2, $3}')"
