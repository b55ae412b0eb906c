#!/usr/bin/env python3
"""The scale benchmark's 500 queries against a running `undex serve`, with 1 or more clients.

Each client holds one keep-alive HTTP connection and sends the queries of
../shared/bench/scale/queries.txt (mapped to undex syntax as the shared runner does) to
/api/search?per_page=10, facets on (the default). One warm-up pass, then ROUNDS timed passes;
with C clients every client runs the whole list, starting at a different query. Prints one
JSON line: clients, requests, p50 / p99 milliseconds (client-side, loopback round trip
included) and queries per second over the timed passes.

Usage: bench/scale_queries.py HOST:PORT [--clients C] [--rounds R] [--extra 'facets=false']
       bench/scale_queries.py --dump    (type<TAB>query lines, for crates/index/benches/scale_search.rs)

Used to compare before / after on one index without a whole `bench/scale.sh` run; the
published figures come from bench/scale.sh.
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'shared', 'bench', 'scale'))
from qsyntax import load, to_tantivy  # noqa: E402


def undex_queries():
    """(type, query in undex syntax) for each benchmark query, as the shared runner maps them."""
    return [(typ, to_tantivy(typ, q) if typ != 'kw' else ' AND '.join(q.split()))
            for _, typ, q in load()]


def paths(extra):
    return ['/api/search?' + urllib.parse.urlencode({'q': q, 'per_page': 10}) + extra
            for _, q in undex_queries()]


def client(addr, ps, start, rounds, out):
    host, port = addr.rsplit(':', 1)
    c = http.client.HTTPConnection(host, int(port), timeout=60)
    lat = []
    order = ps[start:] + ps[:start]
    for r in range(rounds + 1):
        for p in order:
            t = time.perf_counter()
            c.request('GET', p)
            resp = c.getresponse()
            resp.read()
            if resp.status != 200:
                print('status', resp.status, p, file=sys.stderr)
            if r > 0:
                lat.append((time.perf_counter() - t) * 1000)
    c.close()
    out.extend(lat)


def main():
    if sys.argv[1:] == ['--dump']:
        for typ, q in undex_queries():
            print(typ + '\t' + q)
        return
    ap = argparse.ArgumentParser()
    ap.add_argument('addr')
    ap.add_argument('--clients', type=int, default=1)
    ap.add_argument('--rounds', type=int, default=1)
    ap.add_argument('--extra', default='')
    a = ap.parse_args()
    ps = paths('&' + a.extra if a.extra else '')
    lat = []
    threads = [threading.Thread(target=client, args=(a.addr, ps, i * len(ps) // a.clients, a.rounds, lat))
               for i in range(a.clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    # The warm-up pass is inside the wall time: QPS over the timed requests is estimated from
    # the timed share of the wall time (every pass sends the same requests).
    timed_wall = wall * a.rounds / (a.rounds + 1)
    s = sorted(lat)
    pct = lambda p: s[min(len(s) - 1, int(len(s) * p / 100))]
    print(json.dumps({'clients': a.clients, 'requests': len(s), 'p50_ms': round(pct(50), 3),
                      'p99_ms': round(pct(99), 3), 'qps': round(len(s) / timed_wall, 1)}))


if __name__ == '__main__':
    main()
