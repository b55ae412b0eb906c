#!/usr/bin/env python3
"""Prints the scale benchmark's results (one JSON line per engine, from
../shared/bench/scale/run_all.sh) as a Markdown table with undex's ratios to each peer.
usage: scale_table.py target/bench-scale/results/peers-N.jsonl
A reindex-N.json beside it (bench/reindex_pairs.py writes one) adds `undex reindex` against
Lucene's index time: the harness's, minutes earlier, and Lucene's timed back to back with each
reindex (the fairer ratio on a machine whose speed moves). A search-N.json (bench/search_pairs.py)
adds the served search's p50, p99 and QPS against Lucene's, measured back to back in pairs."""
import json, os, statistics, sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def name(r): return r['engine'].split(' ')[0].lower()
by = {name(r): r for r in rows}
def index_s(r): return r.get('index_s') or r.get('index_time_s')
def index_mb(r): return round(r['index_bytes'] / 1e6, 1) if r.get('index_bytes') else None
def rss(r): return r.get('peak_rss_mb_ingest') or r.get('peak_rss_mb_index') or r.get('peak_rss_mb')
cols = [('index s', index_s), ('index MB', index_mb), ('p50 ms', lambda r: r.get('p50_ms')),
        ('p99 ms', lambda r: r.get('p99_ms')), ('QPS', lambda r: r.get('qps_single_thread')),
        ('peak RSS MB (index)', rss), ('peak RSS MB (serve)', lambda r: r.get('peak_rss_mb_serve'))]
print(f"N = {rows[0].get('n')}\n")
print('| engine | ' + ' | '.join(c for c, _ in cols) + ' |')
print('|---|' + '---|' * len(cols))
for r in rows:
    print(f"| {r['engine']} | " + ' | '.join(str(f(r)) if f(r) is not None else '—' for _, f in cols) + ' |')
u = by.get('undex')
if u:
    for peer in ('lucene', 'sqlite'):
        p = next((r for k, r in by.items() if k.startswith(peer)), None)
        if not p:
            continue
        out = []
        for c, f in cols[:5]:
            a, b = f(u), f(p)
            if a and b:
                out.append(f"{c} {a / b:.2f}×")
        print(f"\nundex / {p['engine']}: " + ', '.join(out))
reindex = os.path.join(os.path.dirname(sys.argv[1]), f"reindex-{rows[0].get('n')}.json")
lucene = next((r for k, r in by.items() if k.startswith('lucene')), None)
if os.path.exists(reindex) and lucene and index_s(lucene):
    r = json.load(open(reindex))
    print(f"\nundex reindex of the extracted rows: {r['reindex_s']} s (median), peak RSS "
          f"{r['peak_rss_mb']} MB, index {round(r['index_bytes'] / 1e6, 1)} MB; / {lucene['engine']} "
          f"index time in the harness {index_s(lucene)} s: {r['reindex_s'] / index_s(lucene):.2f}×")
    pairs = r.get('pairs', [])
    if pairs:
        ratios = [p['undex_s'] / p['lucene_s'] for p in pairs]
        each = ', '.join(f"{p['undex_s']:.2f} / {p['lucene_s']:.2f} s = {x:.2f}× ({p['first']} first)"
                         for p, x in zip(pairs, ratios))
        print(f"back to back with Lucene's index (undex / Lucene): {each}; "
              f"median {statistics.median(ratios):.2f}×")
search = os.path.join(os.path.dirname(sys.argv[1]), f"search-{rows[0].get('n')}.json")
if os.path.exists(search):
    s = json.load(open(search))
    keys = (('p50_ms', 'p50'), ('p99_ms', 'p99'), ('qps_single_thread', 'QPS'))
    each = '; '.join(
        ', '.join(f"{label} {p['undex'][k]} / {p['lucene'][k]} = {p['undex'][k] / p['lucene'][k]:.2f}×"
                  for k, label in keys) + f" ({p['first']} first)"
        for p in s['pairs'])
    print(f"\nsearch back to back with Lucene's (undex / Lucene): {each}; medians "
          + ', '.join(f"{label} {s['median_ratio'][k]:.2f}×" for k, label in keys))
