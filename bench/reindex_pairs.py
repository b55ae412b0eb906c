#!/usr/bin/env python3
"""`undex reindex` against Lucene's index of the same corpus, timed side by side.

The issue asks a reindex of the extracted rows to take at most Lucene's index time. The shared
harness times Lucene's index minutes before undex's ingest, and the machine's speed moves by a
third from minute to minute (docs/performance.md), so a ratio of those two times is as much the
machine as the engines. Here each round times the two back to back, alternating which goes
first (Lucene then undex in odd rounds, undex then Lucene in even ones), each into a scratch
folder removed afterwards:

- Lucene: the harness's own command (`run_lucene.py`: Anserini's `IndexCollection -threads 1
  -storePositions -storeContents -optimize` over data/lucene-docs-N, with LUCENE_JAVA_OPTS);
- undex: `undex reindex --extracted data/undex-N/extracted`.

Wall time and peak RSS come from GNU time. Writes results/reindex-N.json (read by
bench/scale_table.py): each round's pair, undex's median (`reindex_s`), its largest peak RSS and
the index's bytes. Needs the harness to have run for N with undex and Lucene.

usage: reindex_pairs.py N [--rounds R]   (env BENCH_OUT, UNDEX_BIN, LUCENE_JAVA_OPTS)
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from pairs import anserini_jar, harness_run, require, write_result

args, data, undex = harness_run(__doc__.split('\n')[0], rounds=2)
extracted = os.path.join(data, f'undex-{args.n}', 'extracted')
docs = os.path.join(data, f'lucene-docs-{args.n}')
require(args.n, ((extracted, 'undex'), (os.path.join(docs, 'docs.jsonl'), 'Lucene')))
jar = anserini_jar()
java_opts = os.environ.get('LUCENE_JAVA_OPTS', '').split()


def timed(cmd, scratch):
    """Runs `cmd` under GNU time; returns (wall s, peak RSS MB, bytes left in `scratch`)."""
    fd, timing = tempfile.mkstemp(suffix='.time')
    os.close(fd)
    try:
        r = subprocess.run(['/usr/bin/time', '-f', '%e %M', '-o', timing] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit(f'{cmd[0]} failed ({r.returncode}): {r.stderr[-2000:]}')
        wall, rss_kb = open(timing).read().split()[-2:]
    finally:
        os.remove(timing)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(scratch) for f in fs)
    return float(wall), int(rss_kb) // 1024, size


def lucene():
    scratch = os.path.join(data, f'lucene-idx-{args.n}.pairs')
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        return timed(['java'] + java_opts + [
            '-cp', jar, 'io.anserini.index.IndexCollection', '-collection', 'JsonCollection',
            '-input', docs, '-index', scratch, '-generator', 'DefaultLuceneDocumentGenerator',
            '-threads', '1', '-storePositions', '-storeContents', '-optimize'], scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def reindex():
    work = os.path.join(data, f'undex-{args.n}')
    scratch = os.path.join(work, 'reindex')
    # The index, and the folders `undex reindex` builds it in and moves the old one to.
    left = [scratch, os.path.join(work, '.reindex.reindex'), os.path.join(work, '.reindex.old')]
    for d in left:
        shutil.rmtree(d, ignore_errors=True)
    try:
        return timed([undex, 'reindex', '--extracted', extracted, '--index', scratch], scratch)
    finally:
        for d in left:
            shutil.rmtree(d, ignore_errors=True)


pairs, rss, index_bytes = [], 0, 0
for r in range(args.rounds):
    if r % 2 == 0:
        l_s = lucene()[0]
        u_s, u_rss, index_bytes = reindex()
    else:
        u_s, u_rss, index_bytes = reindex()
        l_s = lucene()[0]
    rss = max(rss, u_rss)
    pairs.append({'lucene_s': l_s, 'undex_s': u_s, 'first': 'lucene' if r % 2 == 0 else 'undex'})
    print(f'round {r + 1}: Lucene {l_s:.2f} s, undex reindex {u_s:.2f} s: {u_s / l_s:.2f}×',
          file=sys.stderr, flush=True)

res = {'engine': 'undex reindex', 'n': args.n,
       'reindex_s': round(statistics.median(p['undex_s'] for p in pairs), 2),
       'peak_rss_mb': rss, 'index_bytes': index_bytes, 'pairs': pairs}
write_result(data, f'reindex-{args.n}.json', res)
