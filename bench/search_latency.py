#!/usr/bin/env python3
"""Search latency against a running `undex serve`: a fixed set of queries, each run N times over
one keep-alive HTTP connection; prints p50 / p99 / max in milliseconds.

Usage: bench/search_latency.py HOST:PORT [ROUNDS]
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

QUERIES = [
    "veto restraint",
    '"atrocity prevention"',
    "regional organizations",
    "hate speech incitement",
    "early warning",
    "Security Council AND veto",
    "genocide OR \"ethnic cleansing\"",
    "recommendation:true",
    "pillar:III",
    "ratify optional protocol",
    "torture NOT death",
    "human rights defenders",
    "Slovenia",
    "peacebuilding commission",
    "women peace security",
    "droits de l'homme",
    "права человека",
    "national mechanism focal point",
    "accountability impunity",
    "children armed conflict",
]


def main() -> None:
    addr = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    host, port = addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    latencies = []
    totals = {}
    for _ in range(rounds):
        for q in QUERIES:
            path = "/api/search?" + urllib.parse.urlencode({"q": q})
            t0 = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            latencies.append((time.perf_counter() - t0) * 1000.0)
            if resp.status != 200:
                raise SystemExit(f"{q!r}: HTTP {resp.status}: {body[:200]!r}")
            totals[q] = json.loads(body)["total"]
    latencies.sort()
    p = lambda x: latencies[min(len(latencies) - 1, int(len(latencies) * x))]
    print(f"search: {len(latencies)} requests, {len(QUERIES)} queries x {rounds} rounds")
    print(f"search latency ms: p50 {p(0.50):.2f}  p90 {p(0.90):.2f}  p99 {p(0.99):.2f}  max {latencies[-1]:.2f}  mean {statistics.mean(latencies):.2f}")
    for q, n in totals.items():
        print(f"  {n:6d} hits  {q}")


if __name__ == "__main__":
    main()
