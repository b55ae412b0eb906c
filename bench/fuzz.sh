#!/usr/bin/env bash
# Fuzzing: runs the cargo fuzz (libFuzzer) targets of fuzz/ one after the other, each for a
# bounded time, on seed corpora made from ../shared (never copied into the repository).
#
#   query     arbitrary UTF-8 → UndexIndex::search on a small in-memory index
#   segment   arbitrary UTF-8 → undex_extract::extract of a text document (reader, segmenter)
#   docx      arbitrary bytes → undex_extract::extract (sniffed as DOCX from the seeds)
#   docx_xml  arbitrary bytes as word/document.xml of a DOCX package → undex_extract::extract
#   pdf       arbitrary bytes → undex_extract::extract (sniffed as PDF from the seeds)
#
# Seed corpora go to target/fuzz-corpus/<target>/ (created once, then kept: what libFuzzer
# adds there is reused by the next run). Crashes, OOMs and timeouts are saved by cargo fuzz to
# fuzz/artifacts/<target>/; reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz -s none TARGET fuzz/artifacts/TARGET/FILE
# Logs go to target/fuzz-logs/<target>.log; the last line per target gives runs and seconds.
#
# The toolchain is stable: RUSTC_BOOTSTRAP=1 lets cargo fuzz pass its nightly-only flags
# (-Zsanitizer…). Installs cargo-fuzz from crates.io when it is missing. One libFuzzer
# process per target (no -jobs/-workers): the machine is shared.
#
# Usage: bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 300 s, every target)
# env:   SHARED=../shared   SANITIZER=none (or address: slower, also memory errors in deps'
#        unsafe code)   PDF_SEED_MAX_KB=300 (larger PDFs make every run slow)
#        FUZZ_ARGS="-fork=1 -ignore_crashes=1" (more libFuzzer flags: this pair keeps one
#        child process fuzzing past crashes, each still saved under fuzz/artifacts/)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECS=${1:-300}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(query segment docx docx_xml pdf)
SHARED=${SHARED:-$ROOT/../shared}
SANITIZER=${SANITIZER:-none}
PDF_SEED_MAX_KB=${PDF_SEED_MAX_KB:-300}
CORPUS=$ROOT/target/fuzz-corpus
LOGS=$ROOT/target/fuzz-logs
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
[ -d "$SHARED/corpus" ] && [ -d "$SHARED/seeds" ] || {
  echo "no shared corpus at $SHARED (set SHARED=…)" >&2
  exit 1
}

# Saves stdin as a seed file named by its SHA-1 (the same content is one seed).
put() { # DIR
  local tmp sum
  tmp=$(mktemp)
  cat >"$tmp"
  sum=$(sha1sum "$tmp" | cut -c1-40)
  mv "$tmp" "$1/seed-$sum"
}

# Real queries: forms people type, the query language's operators and filters, and the 500
# queries of the scale benchmark.
seed_query() {
  local dir=$CORPUS/query q
  while IFS= read -r q; do
    printf '%s' "$q" | put "$dir"
  done <<'EOF'
veto restraint
vetoes restraint
pillar:III veto
"early warning" AND NOT Myanmar
(genocide OR "ethnic cleansing") AND NOT pillar:III
+early -warning
NOT veto
-pillar:III
year:2026 veto
year:[2020 TO 2026] "atrocity crimes"
risk:7 recommendation:true
risk_factor:7 language:en
addressee:"Security Council" veto
body:"Security Council"
type:report crime:genocide
country:SDN
cited:"A/67/929"
A/79/875 veto
symbol:"A/79/875"
A/HRC/27/10 recommendation
S/RES/2803 (2025)
text:prevention
title:"responsibility to protect"
lang:fr veto
Côte d'Ivoire
States' obligations
Article 2:4
http://undocs.org/A/79/875
pilar:III
"((((("
genoc*
prevention^2
"early warning"~3
否决权
préventions des atrocités
EOF
  if [ -f "$SHARED/bench/scale/queries.txt" ]; then
    cut -f3- "$SHARED/bench/scale/queries.txt" | while IFS= read -r q; do
      printf '%s' "$q" | put "$dir"
    done
  fi
}

# Report texts whole, and cut into pieces of about 40 lines (small inputs run faster).
seed_segment() {
  local dir=$CORPUS/segment f
  for f in "$SHARED"/seeds/*.txt; do
    put "$dir" <"$f"
    local piece
    piece=$(mktemp -d)
    split -l 40 "$f" "$piece/p"
    for p in "$piece"/p*; do put "$dir" <"$p"; done
    rm -r "$piece"
  done
}

# DOCX packages, whatever their name says (some UN .doc files are DOCX).
docx_files() {
  find "$SHARED/corpus" -type f \( -name '*.docx' -o -name '*.doc' \) -print0 |
    while IFS= read -r -d '' f; do
      [ "$(head -c4 "$f" | od -An -tx1 | tr -d ' \n')" = 504b0304 ] && printf '%s\n' "$f"
    done
}

seed_docx() {
  local f
  docx_files | while IFS= read -r f; do put "$CORPUS/docx" <"$f"; done
}

seed_docx_xml() {
  local f
  docx_files | while IFS= read -r f; do
    unzip -p "$f" word/document.xml | put "$CORPUS/docx_xml"
  done
}

seed_pdf() {
  local f
  find "$SHARED/corpus" -type f -name '*.pdf' -size -"$((PDF_SEED_MAX_KB + 1))"k -print0 |
    while IFS= read -r -d '' f; do put "$CORPUS/pdf" <"$f"; done
}

mkdir -p "$LOGS"
status=0
for t in "${TARGETS[@]}"; do
  if [ ! -d "$CORPUS/$t" ]; then
    mkdir -p "$CORPUS/$t"
    "seed_$t"
  fi
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=("-dict=$ROOT/fuzz/dict/$t.dict")
  echo "== $t: $(find "$CORPUS/$t" -type f | wc -l) inputs, ${SECS}s, commit $(git rev-parse --short HEAD)"
  if cargo fuzz run --fuzz-dir fuzz -s "$SANITIZER" --debug-assertions "$t" "$CORPUS/$t" -- \
    -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 "${dict[@]}" ${FUZZ_ARGS:-} \
    >"$LOGS/$t.log" 2>&1; then
    echo "   ok: $(grep -E '^Done [0-9]+ runs' "$LOGS/$t.log" | tail -1)"
  else
    status=1
    echo "   FAILED (see $LOGS/$t.log):"
    grep -E 'ERROR: libFuzzer|panicked at|overflowed its stack|Test unit written|^Done' \
      "$LOGS/$t.log" | head -20 | sed 's/^/   /'
  fi
done
exit $status
