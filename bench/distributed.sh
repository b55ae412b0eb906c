#!/usr/bin/env bash
# undex-ray on a local Ray cluster (1 head + 2 worker processes, loopback only) against
# `undex ingest` on the same machine, on the shared corpus and on the generated scale corpus
# (../shared/bench/scale: 100,000 paragraphs written as 1,549 plain-text UN documents, as the
# scale benchmark's run_undex.py writes them).
#
#   bash bench/distributed.sh                # both corpora
#   bash bench/distributed.sh shared         # the shared corpus only
#   bash bench/distributed.sh scale [N]      # the scale corpus of N paragraphs (100000)
#
# For each corpus: `undex ingest` (extract + tag + index, 2 threads), then `undex-ray ingest`
# (extract + tag on the cluster's 2 workers, the driver writing the JSONL), its re-run (every
# document skipped by SHA-256: the fixed cost of a run plus reading and hashing), and
# `undex reindex` of undex-ray's folder (the index, built on one machine). Prints wall times,
# documents/s, and whether undex-ray's rows are byte-identical to undex ingest's; one JSON
# line per corpus in target/bench-distributed/results.jsonl. Release builds of both sides,
# from the same tree. The cluster runs in a network namespace holding only loopback (as
# python/undex-ray/tests/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
what=${1:-all}
N=${2:-100000}
OUT=$root/target/bench-distributed
mkdir -p "$OUT"

if [ -z "${UNDEX_BENCH_INSIDE:-}" ]; then
  python3 -c 'import ray.data, fsspec' 2>/dev/null || python3 -m pip install -q "ray[data]>=2.40,<2.64" "fsspec>=2023.1"
  command -v maturin >/dev/null 2>&1 || python3 -m pip install -q "maturin>=1.9,<2"
  cargo build --release --locked -q -p undex-cli
  # The release profile (maturin's default), as undex ingest's binary.
  python3 -m pip install -q --no-build-isolation --no-deps ./python/undex-ray
  if [ "$what" = all ] || [ "$what" = scale ]; then
    BENCH=$root/target/bench-scale
    docs=$BENCH/data/undex-$N/docs
    if [ ! -d "$docs" ]; then
      mkdir -p "$BENCH/data"
      c=$BENCH/data/corpus-$N.jsonl
      [ -f "$c" ] || python3 ../shared/bench/scale/gen_corpus.py -n "$N" -o "$c"
      # The documents exactly as ../shared/bench/scale/run_undex.py writes them.
      python3 - "$c" "$docs" <<'PY'
import json, os, sys
src, docs = sys.argv[1], sys.argv[2]
os.makedirs(docs)
by = {}
with open(src) as f:
    for line in f:
        r = json.loads(line); by.setdefault(r['symbol'], []).append(r)
for sym, rs in by.items():
    with open(os.path.join(docs, sym.replace('/', '_') + '.txt'), 'w') as f:
        f.write(f"United Nations {sym}\n\n")
        for k, r in enumerate(rs, 1):
            f.write(f"{k}. {r['text']}\n\n")
PY
    fi
  fi
  export UNDEX_BENCH_INSIDE=1
  if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
    exec unshare -n bash "$0" "$@"
  elif unshare -rn true 2>/dev/null; then
    exec unshare -rn bash "$0" "$@"
  fi
  echo "warning: no network namespace: Ray's servers listen on every interface" >&2
fi

ip link set lo up 2>/dev/null || true
export RAY_USAGE_STATS_ENABLED=0 UNDEX_LOG=warn
UNDEX=$root/target/release/undex
cluster=$root/python/undex-ray/tests/local_cluster.sh
started=$(bash "$cluster" start)
eval "$started"
trap 'bash "$cluster" stop "$UNDEX_RAY_TMP"' EXIT

now() { date +%s.%N; }

run_corpus() {
  local name=$1; shift
  local d=$OUT/$name
  rm -rf "$d"; mkdir -p "$d"
  echo "== $name: $*" >&2
  local t0 t1 t2 t3 t4 t5 t6
  t0=$(now)
  "$UNDEX" ingest "$@" --index "$d/ingest-index" --extracted "$d/ingest" >"$d/ingest.log" 2>&1
  t1=$(now)
  undex-ray ingest "$@" --out "$d/ray" --address "$RAY_ADDRESS" --json --quiet >"$d/ray.json" 2>"$d/ray.log"
  t2=$(now)
  undex-ray ingest "$@" --out "$d/ray" --address "$RAY_ADDRESS" --json --quiet >"$d/ray-rerun.json" 2>"$d/ray-rerun.log"
  t3=$(now)
  "$UNDEX" reindex --extracted "$d/ray" --index "$d/ray-index" >"$d/reindex.log" 2>&1
  t4=$(now)
  local same=yes
  diff -rq -x failures.jsonl -x .undex-ray.lock "$d/ingest" "$d/ray" >"$d/diff.txt" 2>&1 || same=no
  python3 - "$name" "$d" "$t0" "$t1" "$t2" "$t3" "$t4" "$same" <<'PY' | tee -a "$OUT/results.jsonl"
import json, os, re, sys
name, d, t0, t1, t2, t3, t4, same = sys.argv[1:]
t0, t1, t2, t3, t4 = map(float, (t0, t1, t2, t3, t4))
ray = json.loads(open(f"{d}/ray.json").read().strip().splitlines()[-1])
rerun = json.loads(open(f"{d}/ray-rerun.json").read().strip().splitlines()[-1])
log = open(f"{d}/ingest.log").read()
m = re.search(r"ingested (\d+) documents, (\d+) paragraphs, (\d+) pages", log)
docs = int(m[1])
print(json.dumps({
    "corpus": name, "documents": docs, "paragraphs": int(m[2]), "pages": int(m[3]),
    "ingest_s": round(t1 - t0, 2), "ingest_docs_per_s": round(docs / (t1 - t0), 2),
    "ray_s": round(t2 - t1, 2), "ray_docs_per_s": round(docs / (t2 - t1), 2),
    "ray_inside_s": ray["elapsed_s"], "ray_driver_write_s": ray.get("driver_write_s"), "ray_worker_s": ray.get("worker_s"),
    "ray_rerun_s": round(t3 - t2, 2), "reindex_s": round(t4 - t3, 2),
    "ray_plus_reindex_s": round(t4 - t3 + t2 - t1, 2),
    "byte_identical": same == "yes", "ray_documents": ray["documents"], "ray_failed": ray["failed"],
    "rerun_resumed": rerun["resumed"], "workers": ray["workers"],
}))
PY
}

if [ "$what" = all ] || [ "$what" = shared ]; then
  run_corpus shared "$root/../shared/seeds" "$root/../shared/corpus"
fi
if [ "$what" = all ] || [ "$what" = scale ]; then
  run_corpus "scale-$N" "$root/target/bench-scale/data/undex-$N/docs"
fi
