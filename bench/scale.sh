#!/usr/bin/env bash
# The scale benchmark: undex beside Lucene 9.5 (Anserini) and SQLite FTS5, measured the same way in
# ONE run by the shared harness (../shared/bench/scale/run_all.sh), then `undex reindex` of the rows
# the harness extracted, then a table with ratios to the peers (bench/scale_table.py) for
# docs/performance.md.
#
#   bash bench/scale.sh              # 100,000 paragraphs
#   bash bench/scale.sh 100000 1000000
#
# Installs what the harness needs (Debian: poppler-utils, time, openjdk-17-jdk-headless; PyPI:
# pyserini 0.22.1 without its dependencies, only for its Anserini jar), builds the release binary,
# and writes everything under target/bench-scale (never into ../shared). Needs ~1 GB of disk per
# 100k paragraphs of corpus and indexes; the 1M run takes about an hour on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
NS=${*:-100000}
HARNESS=../shared/bench/scale
test -f "$HARNESS/run_all.sh" || { echo "missing $HARNESS (the shared scale benchmark)" >&2; exit 2; }

need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
test -x /usr/bin/time || need+=(time)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
python3 -c 'import pyserini' 2>/dev/null || python3 -m pip install -q --no-deps pyserini==0.22.1

cargo build --release --locked -p undex-cli
export BENCH_OUT=${BENCH_OUT:-$PWD/target/bench-scale}
export UNDEX_BIN=${UNDEX_BIN:-$PWD/target/release/undex}
bash "$HARNESS/run_all.sh" $NS
for N in $NS; do
  # `undex reindex` of the harness's extracted rows, right after the harness's Lucene index of
  # the same corpus in this run (the issue's "reindex at most Lucene's index time"), into a
  # scratch folder removed afterwards. Its wall time and peak RSS go to reindex-N.json.
  work="$BENCH_OUT/data/undex-$N"
  # The harness ran without undex (its ENGINES): nothing to reindex.
  if [ ! -d "$work/extracted" ]; then
    python3 bench/scale_table.py "$BENCH_OUT/results/peers-$N.jsonl"
    continue
  fi
  rm -rf "$work/reindex" "$work/.reindex.reindex" "$work/.reindex.old"
  /usr/bin/time -f '%e %M' -o "$BENCH_OUT/results/reindex-$N.time" \
    "$UNDEX_BIN" reindex --extracted "$work/extracted" --index "$work/reindex" >/dev/null
  python3 - "$N" "$BENCH_OUT/results/reindex-$N.time" "$work/reindex" >"$BENCH_OUT/results/reindex-$N.json" <<'PY'
import json, os, sys
n, timing, index = sys.argv[1:]
wall, rss_kb = open(timing).read().split()[-2:]
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(index) for f in fs)
print(json.dumps({'engine': 'undex reindex', 'n': int(n), 'reindex_s': float(wall),
                  'peak_rss_mb': int(rss_kb) // 1024, 'index_bytes': size}))
PY
  rm -rf "$work/reindex"
  python3 bench/scale_table.py "$BENCH_OUT/results/peers-$N.jsonl"
done
