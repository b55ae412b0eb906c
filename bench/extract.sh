#!/usr/bin/env bash
# PDF extraction speed: undex's layout-aware reader against poppler's pdftotext.
#
# Builds the release example `pdf_blocks` (crates/extract/examples/pdf_blocks.rs), then reads
# every PDF under the corpus (default ../shared/corpus, relative to the repository root) with
# both tools, one process per file for each (same process overhead), best of $RUNS runs, and
# prints pages/s for both and the ratio undex/pdftotext. Pages are counted with `pdfinfo`.
# Files that neither tool can read (damaged, image-only) are kept: both pay their cost.
#
# Needs: cargo, pdftotext and pdfinfo (Debian: apt-get install poppler-utils).
# Usage: bench/extract.sh [CORPUS_DIR]     env: RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-../shared/corpus}
RUNS=${RUNS:-3}
for tool in pdftotext pdfinfo; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install poppler-utils" >&2; exit 1; }
done
cargo build --release --quiet -p undex-extract --example pdf_blocks
BIN=target/release/examples/pdf_blocks
mapfile -t FILES < <(find "$CORPUS" -name '*.pdf' | sort)
pages=0
for f in "${FILES[@]}"; do
  p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}' || true)
  pages=$((pages + ${p:-0}))
done

best() { # best wall time in seconds of running "$@" once per file, over $RUNS runs
  local best_t=""
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N)
    for f in "${FILES[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done
    t1=$(date +%s.%N)
    local t
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best_t" ] || [ "$(echo "$t < $best_t" | bc -l)" = 1 ]; then best_t=$t; fi
  done
  echo "$best_t"
}
pdftotext_one() { pdftotext "$1" -; }
undex_one() { "$BIN" --quiet "$1"; }
t_undex=$(best undex_one)
t_poppler=$(best pdftotext_one)
# One undex process for the whole corpus (how the CLI runs), for reference.
t0=$(date +%s.%N); "$BIN" --quiet "${FILES[@]}" >/dev/null; t1=$(date +%s.%N)
t_batch=$(echo "$t1 - $t0" | bc -l)
printf 'files: %d, pages: %d (best of %d runs)\n' "${#FILES[@]}" "$pages" "$RUNS"
printf 'undex pdf_blocks : %6.2f s  %7.1f pages/s\n' "$t_undex" "$(echo "$pages / $t_undex" | bc -l)"
printf 'pdftotext        : %6.2f s  %7.1f pages/s\n' "$t_poppler" "$(echo "$pages / $t_poppler" | bc -l)"
printf 'ratio undex/pdftotext (pages/s): %.2f\n' "$(echo "$t_poppler / $t_undex" | bc -l)"
printf 'undex, one process for all files: %6.2f s  %7.1f pages/s\n' "$t_batch" "$(echo "$pages / $t_batch" | bc -l)"
