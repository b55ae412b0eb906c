#!/usr/bin/env python3
"""One client against eight on a served index, for two builds or settings, alternating.

For each SERVER (a path to an `undex` binary, optionally prefixed `NAME=VALUE:` for one
environment variable, such as `UNDEX_SEARCH_THREADS=auto:target/release/undex`), ROUNDS times
in turn: start `undex serve --index INDEX` on 127.0.0.1:18778, one warm-up pass of the
scale benchmark's 500 queries (bench/scale_queries.py), then `--clients 1 --rounds 2` and
`--clients 8 --rounds 2`, and print QPS, p50 and p99 per client count with the server's CPU
time per request (user + system from /proc/PID/stat, the warm-up pass of scale_queries.py
included in the request count), then stop the server. Alternating the servers is the only
fair comparison on a machine whose speed moves from minute to minute.

Usage: python3 bench/scale_clients.py INDEX SERVER [SERVER…] [--rounds N]
"""
import argparse
import json
import os
import subprocess
import sys

from pairs import serve

HERE = os.path.dirname(os.path.abspath(__file__))
PORT = 18778
ADDR = f'127.0.0.1:{PORT}'


def cpu_seconds(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def queries(clients):
    p = subprocess.run([sys.executable, os.path.join(HERE, 'scale_queries.py'), ADDR,
                        '--clients', str(clients), '--rounds', '2'],
                       capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def run(spec, index):
    env = dict(os.environ)
    binary = spec
    if ':' in spec and '=' in spec.split(':', 1)[0]:
        setting, binary = spec.split(':', 1)
        name, value = setting.split('=', 1)
        env[name] = value
    srv, c = serve(binary, index, PORT, env=env, name=spec)
    c.close()
    try:
        subprocess.run([sys.executable, os.path.join(HERE, 'scale_queries.py'), ADDR, '--rounds', '1'],
                       capture_output=True, check=True)
        out = []
        for clients in (1, 8):
            before = cpu_seconds(srv.pid)
            r = queries(clients)
            used = cpu_seconds(srv.pid) - before
            # scale_queries.py sends a warm-up pass before its two timed ones.
            requests = r['requests'] * 3 / 2
            out.append(f"{clients} client(s): {r['qps']:.1f} QPS, p50 {r['p50_ms']:.3f} ms, "
                       f"p99 {r['p99_ms']:.2f} ms, CPU {1000 * used / requests:.3f} ms/request")
        return out
    finally:
        srv.terminate()
        srv.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('index')
    ap.add_argument('servers', nargs='+')
    ap.add_argument('--rounds', type=int, default=2)
    a = ap.parse_args()
    for _ in range(a.rounds):
        for spec in a.servers:
            print(spec, '|', ' | '.join(run(spec, a.index)), flush=True)


if __name__ == '__main__':
    main()
