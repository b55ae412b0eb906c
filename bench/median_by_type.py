#!/usr/bin/env python3
"""Which queries decide a harness run's p50: undex's and Lucene's latencies by query type.

The issue's p50 is the median of the 500 queries' latencies, so it moves only when queries
cross it: a query type that is already under the median gains nothing from being faster, one
that straddles it moves the median. For one harness run (results/run-ENGINE-N.tsv, written by
the shared harness: query id, milliseconds, top ids), this prints, for each engine and each
query type of queries.txt (`kw`, `phrase`, `term`, and `bool` split by its operator AND / OR /
NOT), the type's p50 and how many of its queries are above the engine's overall median; then
undex's median if one set of types were a given factor faster (each of their latencies times
the factor, the others unchanged), as a ratio to its measured median.

usage: median_by_type.py N [--factor F] [--types T,T,...]   (env BENCH_OUT, BENCH_QUERIES)
  --factor F    the what-if factor (default 0.5)
  --types T,…   the types made faster together (default: each type alone, then OR and NOT,
                then term, OR and NOT)
"""
import argparse
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH_OUT = os.environ.get('BENCH_OUT', os.path.join(HERE, '..', 'target', 'bench-scale'))
QUERIES = os.environ.get('BENCH_QUERIES', os.path.join(HERE, '..', '..', 'shared', 'bench',
                                                       'scale', 'queries.txt'))


def query_types(path):
    """Query id -> type, with `bool` split by its operator (`bool-AND`, `bool-OR`, `bool-NOT`)."""
    types = {}
    for line in open(path, encoding='utf-8'):
        if not line.strip():
            continue
        qid, typ, q = line.rstrip('\n').split('\t')
        types[qid] = f'bool-{q.split()[1]}' if typ == 'bool' else typ
    return types


def latencies(engine, n):
    """Query id -> milliseconds of one harness run of `engine` at N paragraphs."""
    path = os.path.join(BENCH_OUT, 'results', f'run-{engine}-{n}.tsv')
    if not os.path.exists(path):
        sys.exit(f'{path} not found: run the harness for N={n} first (bash bench/scale.sh {n})')
    out = {}
    for line in open(path, encoding='utf-8'):
        parts = line.rstrip('\n').split('\t')
        if len(parts) >= 2:
            out[parts[0]] = float(parts[1])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('n', type=int)
    ap.add_argument('--factor', type=float, default=0.5)
    ap.add_argument('--types', default=None)
    args = ap.parse_args()
    types = query_types(QUERIES)
    runs = {e: latencies(e, args.n) for e in ('undex', 'lucene')}
    names = sorted(set(types.values()))
    for engine, ms in runs.items():
        median = statistics.median(ms.values())
        print(f'{engine}: p50 {median:.3f} ms over {len(ms)} queries')
        for t in names:
            v = [ms[q] for q, typ in types.items() if typ == t and q in ms]
            above = sum(x > median for x in v)
            print(f'  {t:9} {len(v):4} queries  p50 {statistics.median(v):7.3f} ms  '
                  f'above the median: {above}')
    ms = runs['undex']
    median = statistics.median(ms.values())
    sets = ([args.types.split(',')] if args.types else
            [[t] for t in names] + [['bool-OR', 'bool-NOT'], ['term', 'bool-OR', 'bool-NOT']])
    print(f'undex p50 if these types took {args.factor}x their time (ratio to {median:.3f} ms):')
    for s in sets:
        what_if = [x * args.factor if types.get(q) in s else x for q, x in ms.items()]
        print(f'  {"+".join(s):24} {statistics.median(what_if) / median:.3f}')


if __name__ == '__main__':
    main()
