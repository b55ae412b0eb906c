#!/usr/bin/env python3
"""Two undex builds against each other on one index or one extracted folder, alternating.

A change of a few percent is lost in this machine's drift (its speed moves by a third from
minute to minute, docs/performance.md), so each round times build A and build B back to
back, A first in odd rounds and B first in even ones, and the ratios B / A are read round by
round; their median is the result.

- `search INDEX A B`: each build serves INDEX afresh (`undex serve`) and gets run_undex.py's
  client: one keep-alive connection, the 500 queries of the scale benchmark as
  /api/search?per_page=10 with facets, one warm-up pass, one timed pass. Prints each round's
  p50, mean and p99 (ms) and the ratios.
- `reindex EXTRACTED A B`: each build runs `undex reindex --extracted EXTRACTED` into a
  scratch folder under the current directory's target/ (removed afterwards). Prints each
  round's wall time (s) and peak RSS (MB, GNU time) and the ratio.

  With `--index-b INDEX_B`, build B serves INDEX_B instead (two index layouts of the same
  rows, each read by the build that wrote it).

Exits with a message when a build fails or a server never answers. Nothing is written but
the scratch index.

usage: builds_ab.py search INDEX A B [--rounds R] [--index-b INDEX_B]  (R: 10 by default)
       builds_ab.py reindex EXTRACTED A B [--rounds R]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from pairs import served_latencies
from scale_queries import paths as undex_paths  # also puts the harness on sys.path
from bench_common import summary  # noqa: E402  (the harness's)

PORT = 18783


def served(binary, index, paths):
    """`binary serve` afresh over `index`: a warm-up pass, then a timed one; (p50, mean, p99) ms."""
    s = summary(served_latencies(binary, index, PORT, paths))
    return s['p50_ms'], s['mean_ms'], s['p99_ms']


def reindexed(binary, extracted, scratch):
    """`binary reindex` of `extracted` into `scratch` under GNU time; (wall s, peak RSS MB).
    `scratch` and the folders `undex reindex` builds in and moves an old index to beside it
    are removed before and after."""
    parent, name = os.path.split(scratch)
    left = [scratch] + [os.path.join(parent, f'.{name}.{suffix}') for suffix in ('reindex', 'old')]
    for d in left:
        shutil.rmtree(d, ignore_errors=True)
    fd, timing = tempfile.mkstemp(suffix='.time')
    os.close(fd)
    try:
        r = subprocess.run(['/usr/bin/time', '-f', '%e %M', '-o', timing, binary, 'reindex',
                            '--extracted', extracted, '--index', scratch],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit(f'{binary} reindex failed ({r.returncode}): {r.stderr[-2000:]}')
        wall, rss_kb = open(timing).read().split()[-2:]
        return float(wall), int(rss_kb) // 1024
    finally:
        os.remove(timing)
        for d in left:
            shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('mode', choices=('search', 'reindex'))
    ap.add_argument('input', help='an index (search) or an extracted folder (reindex)')
    ap.add_argument('a', help='build A: an undex binary')
    ap.add_argument('b', help='build B: an undex binary')
    ap.add_argument('--rounds', type=int, default=10, help='alternating rounds (default 10)')
    ap.add_argument('--index-b', help='search: the index build B serves (default: INPUT)')
    args = ap.parse_args()
    if args.rounds < 1:
        sys.exit('--rounds must be at least 1')
    for path in (args.input, args.a, args.b) + ((args.index_b,) if args.index_b else ()):
        if not os.path.exists(path):
            sys.exit(f'missing {path}')
    builds = {'A': os.path.abspath(args.a), 'B': os.path.abspath(args.b)}
    if args.mode == 'search':
        paths = undex_paths('')

        indexes = {builds['A']: args.input, builds['B']: args.index_b or args.input}

        def measure(binary):
            return served(binary, indexes[binary], paths)
    else:
        scratch = os.path.join('target', 'builds-ab-reindex')

        def measure(binary):
            return reindexed(binary, args.input, scratch)

    ratios = []
    for r in range(args.rounds):
        order = ('A', 'B') if r % 2 == 0 else ('B', 'A')
        got = {k: measure(builds[k]) for k in order}
        ratio = got['B'][0] / got['A'][0]
        ratios.append(ratio)
        a, b = got['A'], got['B']
        if args.mode == 'search':
            print(f'round {r + 1} ({order[0]} first): p50 A {a[0]:.3f} B {b[0]:.3f} ms = {ratio:.3f}, '
                  f'mean A {a[1]:.3f} B {b[1]:.3f} = {b[1] / a[1]:.3f}, p99 A {a[2]:.2f} B {b[2]:.2f}',
                  flush=True)
        else:
            print(f'round {r + 1} ({order[0]} first): A {a[0]:.2f} s ({a[1]} MB), '
                  f'B {b[0]:.2f} s ({b[1]} MB) = {ratio:.3f}', flush=True)
    what = 'p50' if args.mode == 'search' else 'wall time'
    print(f'median B / A {what}: {statistics.median(ratios):.3f} '
          f'({min(ratios):.3f}-{max(ratios):.3f}, {args.rounds} rounds)')


if __name__ == '__main__':
    main()
