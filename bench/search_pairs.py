#!/usr/bin/env python3
"""The served search against Lucene's in-process search, timed side by side.

The issue asks undex's served p50 and p99 to be at most Lucene's and its single-client QPS at
least Lucene's. The shared harness measures Lucene's 500 queries minutes after undex's, and
the machine's speed moves by a third from minute to minute (docs/performance.md), so one
run's ratio is partly the machine. Here each round measures the two within seconds of each
other, alternating which goes first (Lucene then undex in odd rounds, undex then Lucene in
even ones), each exactly as the harness does:

- Lucene: the harness's `LuceneBench` (run_lucene.py: classic QueryParser, BM25, top 10 with
  the stored id read, per-query `nanoTime` in the JVM after one warm-up pass) over the
  harness's index data/lucene-idx-N and query file data/lucene-queries.tsv;
- undex: `undex serve --index data/undex-N/index`, then run_undex.py's client: one keep-alive
  HTTP connection, /api/search?per_page=10 with facets (the default), one warm-up pass, one
  timed pass, the loopback round trip included; the server is started afresh each round.

Percentiles and QPS come from the harness's own `summary` (bench_common.py). Writes
results/search-N.json (read by bench/scale_table.py): each round's pair and the median of each
ratio. Needs the harness to have run for N with undex and Lucene.

usage: search_pairs.py N [--rounds R]   (env BENCH_OUT, UNDEX_BIN, LUCENE_JAVA_OPTS)
"""
import os
import statistics
import subprocess
import sys
import tempfile

from pairs import anserini_jar, harness_run, require, served_latencies, write_result
from scale_queries import paths as undex_paths  # also puts the harness on sys.path
from bench_common import summary  # noqa: E402  (the harness's)

args, data, undex = harness_run(__doc__.split('\n')[0], rounds=4)
out = os.path.dirname(data)
index = os.path.join(data, f'undex-{args.n}', 'index')
lucene_index = os.path.join(data, f'lucene-idx-{args.n}')
lucene_queries = os.path.join(data, 'lucene-queries.tsv')
require(args.n, ((index, 'undex'), (lucene_index, 'Lucene'), (lucene_queries, 'Lucene'),
                 (os.path.join(out, 'build', 'LuceneBench.class'), 'Lucene')))
jar = anserini_jar()
java_opts = os.environ.get('LUCENE_JAVA_OPTS', '').split()
# The 500 queries in undex's syntax, as run_undex.py maps them, ten hits a page, facets on.
paths = undex_paths('')
PORT = 18779


def lucene():
    """The harness's LuceneBench, one warm-up pass then one timed pass; latencies in ms."""
    fd, run = tempfile.mkstemp(suffix='.tsv')
    os.close(fd)
    try:
        subprocess.run(['java'] + java_opts + ['-Dwarmup=1', '-cp', jar + ':' + os.path.join(out, 'build'),
                        'LuceneBench', lucene_index, lucene_queries, run],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
        return [float(line.split('\t')[1]) for line in open(run) if line.strip()]
    finally:
        os.remove(run)


def served():
    """`undex serve` afresh, run_undex.py's client: a warm-up pass, then a timed one; ms."""
    return served_latencies(undex, index, PORT, paths)


KEYS = ('p50_ms', 'p99_ms', 'qps_single_thread')
pairs = []
for r in range(args.rounds):
    if r % 2 == 0:
        l, u = summary(lucene()), summary(served())
    else:
        u = summary(served())
        l = summary(lucene())
    pair = {'first': 'lucene' if r % 2 == 0 else 'undex',
            'undex': {k: u[k] for k in KEYS}, 'lucene': {k: l[k] for k in KEYS}}
    pairs.append(pair)
    print(f"round {r + 1}: p50 {u['p50_ms']:.3f} / {l['p50_ms']:.3f} ms = {u['p50_ms'] / l['p50_ms']:.2f}×, "
          f"p99 {u['p99_ms']:.2f} / {l['p99_ms']:.2f} = {u['p99_ms'] / l['p99_ms']:.2f}×, "
          f"QPS {u['qps_single_thread']:.1f} / {l['qps_single_thread']:.1f} = "
          f"{u['qps_single_thread'] / l['qps_single_thread']:.2f}× ({pair['first']} first)",
          file=sys.stderr, flush=True)

res = {'engine': 'undex serve against LuceneBench', 'n': args.n, 'pairs': pairs,
       'median_ratio': {k: round(statistics.median(p['undex'][k] / p['lucene'][k] for p in pairs), 3)
                        for k in KEYS}}
write_result(data, f'search-{args.n}.json', res)
