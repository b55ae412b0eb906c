"""What the scripts that time undex beside Lucene after a harness run share
(bench/reindex_pairs.py, bench/search_pairs.py), what starts a served index for a
measurement (those, bench/scale_clients.py and bench/builds_ab.py) and the served pass of
the 500 queries (bench/search_pairs.py, bench/builds_ab.py). Not a script."""
import argparse
import glob
import json
import http.client
import os
import subprocess
import sys
import time


def harness_run(description, rounds):
    """Parses `N [--rounds R]` (R defaulting to `rounds`) and reads BENCH_OUT and UNDEX_BIN.

    Returns (args, the harness's data folder, the undex binary). Exits with a message on a
    round count under 1 or a missing variable."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('n', type=int, help='paragraphs of the harness run (100000, 1000000)')
    ap.add_argument('--rounds', type=int, default=rounds, help=f'pairs to time (default {rounds})')
    args = ap.parse_args()
    if args.rounds < 1:
        sys.exit('--rounds must be at least 1')
    for name in ('BENCH_OUT', 'UNDEX_BIN'):
        if not os.environ.get(name):
            sys.exit(f'{name} is not set (bench/scale.sh sets it)')
    return args, os.path.join(os.environ['BENCH_OUT'], 'data'), os.environ['UNDEX_BIN']


def require(n, paths):
    """Exits unless every (path, engine) of `paths` exists: the harness ran for `n` with it."""
    for path, engine in paths:
        if not os.path.exists(path):
            sys.exit(f'missing {path}: run the harness for {n} with {engine} first')


def anserini_jar():
    """The Anserini fat jar the harness runs Lucene from (pyserini's, as run_lucene.py)."""
    import pyserini

    return glob.glob(os.path.join(os.path.dirname(pyserini.__file__), 'resources/jars/anserini-*-fatjar.jar'))[0]


def serve(binary, index, port, env=None, name=None):
    """Starts `binary serve --index index` on 127.0.0.1:`port` and waits until a search answers
    (at most a minute). Returns (the server process, a keep-alive connection to it); the caller
    stops the process. Exits when the server dies first (a port in use) or never answers."""
    srv = subprocess.Popen([binary, 'serve', '--index', index, '--addr', f'127.0.0.1:{port}'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for _ in range(300):
        if srv.poll() is not None:
            sys.exit(f'{name or binary}: the server exited (is port {port} in use?)')
        try:
            c = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
            c.request('GET', '/api/search?q=x&per_page=1')
            c.getresponse().read()
            return srv, c
        except OSError:
            time.sleep(0.2)
    srv.terminate()
    sys.exit(f'{name or binary}: no answer on port {port} within a minute')


def served_latencies(binary, index, port, paths):
    """`binary serve` afresh over `index` on `port`, queried as run_undex.py queries it: one
    keep-alive connection, a warm-up pass over `paths`, then a timed one. Returns the timed
    pass's latencies in ms (the loopback round trip included); the server is stopped after.
    Exits on an answer other than 200."""
    srv, c = serve(binary, index, port)
    try:
        lat = []
        for timed in (False, True):
            for path in paths:
                t = time.perf_counter()
                c.request('GET', path)
                r = c.getresponse()
                r.read()
                ms = (time.perf_counter() - t) * 1000
                if r.status != 200:
                    sys.exit(f'{binary}: {path}: HTTP {r.status}')
                if timed:
                    lat.append(ms)
        c.close()
        return lat
    finally:
        srv.terminate()
        srv.wait(timeout=30)


def write_result(data, name, result):
    """Writes `result` as one JSON line to results/`name` beside the harness's data folder,
    through a temporary file renamed over it (a reader never sees half a file)."""
    results = os.path.join(os.path.dirname(data), 'results')
    os.makedirs(results, exist_ok=True)
    path = os.path.join(results, name)
    with open(path + '.tmp', 'w') as f:
        json.dump(result, f)
        f.write('\n')
    os.replace(path + '.tmp', path)
