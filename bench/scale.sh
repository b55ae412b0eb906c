#!/usr/bin/env bash
# The scale benchmark: undex beside Lucene 9.5 (Anserini) and SQLite FTS5, measured the same way in
# ONE run by the shared harness (../shared/bench/scale/run_all.sh), then `undex reindex` of the rows
# the harness extracted against Lucene's index, back to back (bench/reindex_pairs.py; REINDEX_ROUNDS
# pairs, 2 by default), then the served search against Lucene's, back to back
# (bench/search_pairs.py; SEARCH_ROUNDS pairs, 4 by default), then a table with ratios to the
# peers (bench/scale_table.py) for docs/performance.md.
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
  # `undex reindex` of the harness's extracted rows against Lucene's index of the same corpus,
  # timed back to back in REINDEX_ROUNDS alternating pairs (bench/reindex_pairs.py; the issue's
  # "reindex at most Lucene's index time"), written to reindex-N.json.
  # The harness ran without undex or without Lucene (its ENGINES): no pairs.
  rm -f "$BENCH_OUT/results/reindex-$N.json" "$BENCH_OUT/results/search-$N.json"
  if [ -d "$BENCH_OUT/data/undex-$N/extracted" ] && [ -f "$BENCH_OUT/data/lucene-docs-$N/docs.jsonl" ]; then
    python3 bench/reindex_pairs.py "$N" --rounds "${REINDEX_ROUNDS:-2}"
  fi
  # The served search against Lucene's in-JVM search, the harness's way, in SEARCH_ROUNDS
  # alternating pairs seconds apart (the issue's p50, p99 and QPS), written to search-N.json.
  if [ -d "$BENCH_OUT/data/undex-$N/index" ] && [ -d "$BENCH_OUT/data/lucene-idx-$N" ]; then
    python3 bench/search_pairs.py "$N" --rounds "${SEARCH_ROUNDS:-4}"
  fi
  python3 bench/scale_table.py "$BENCH_OUT/results/peers-$N.jsonl"
done
