#!/usr/bin/env python3
"""Earlier wording (`/api/paragraphs/{id}/earlier`) over a whole corpus: latency, and agreement
between two runs and with the exhaustive answer.

  dump HOST:PORT EXTRACTED_DIR OUT.jsonl
      Asks a running `undex serve` for the earlier wording of every paragraph in EXTRACTED_DIR
      (the JSONL files of `undex ingest --extracted`), one keep-alive connection, after one
      warm-up request. Writes one line per paragraph (id, top-5 ids and scores, chain ids, ms)
      and prints latency p50 / p90 / p99 / max / mean in milliseconds.

  compare OLD.jsonl NEW.jsonl EXTRACTED_DIR
      Agreement of two dumps on the paragraphs that have earlier wording in either: identical
      top-1, identical top-5 (ids and order), identical chain; pairs one found and the other
      not. Also checks both against the exhaustive answer, computed here by scoring every
      earlier pair (word 3-shingle Jaccard as `undex_analysis::similarity`; ties: earlier date,
      document id, position, id).

Usage: bash bench/earlier_wording.sh (builds, ingests, serves, dumps, prints latency).
"""
import collections
import glob
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse

THRESHOLD = 0.2
CHAIN_MIN = 0.3
K = 5


def rows_of(extracted):
    rows = []
    for path in sorted(glob.glob(os.path.join(extracted, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def dump(addr, extracted, out):
    host, port = addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    ids = [r["id"] for r in rows_of(extracted)]

    def get(pid):
        conn.request("GET", f"/api/paragraphs/{urllib.parse.quote(pid, safe='')}/earlier")
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise SystemExit(f"{pid}: HTTP {resp.status}: {body[:200]!r}")
        return json.loads(body)

    get(ids[0])  # warm-up (the former store is loaded on the first request)
    ms = []
    with open(out, "w", encoding="utf-8") as f:
        for pid in ids:
            t0 = time.perf_counter()
            e = get(pid)
            dt = (time.perf_counter() - t0) * 1000.0
            ms.append(dt)
            f.write(json.dumps({
                "id": pid,
                "earlier": [[x["id"], x["score"]] for x in e["earlier"]],
                "chain": [s["id"] for s in e["chain"]],
                "ms": round(dt, 3),
            }) + "\n")
    print(f"earlier: {len(ms)} paragraphs, latency ms: p50 {pct(ms, .5):.2f}  p90 {pct(ms, .9):.2f}"
          f"  p99 {pct(ms, .99):.2f}  max {max(ms):.2f}  mean {statistics.mean(ms):.2f}")


def words(text):
    out, cur = [], []
    for c in text:
        if c.isalnum():
            cur.append(c)
        elif cur:
            out.append("".join(cur).lower())
            cur = []
    if cur:
        out.append("".join(cur).lower())
    return out


def shingles(text):
    w = words(text)
    if len(w) < 3:
        return frozenset((x,) for x in w)
    return frozenset(tuple(w[i:i + 3]) for i in range(len(w) - 2))


def exhaustive(rows):
    """For every row, every earlier row of Jaccard >= THRESHOLD, ranked; via an inverted index."""
    sh = [shingles(r["text"]) for r in rows]
    postings = collections.defaultdict(list)
    for i, s in enumerate(sh):
        for g in s:
            postings[g].append(i)
    truth = {}
    for i, r in enumerate(rows):
        if not r.get("date") or not sh[i]:
            continue
        shared = collections.Counter()
        for g in sh[i]:
            shared.update(postings[g])
        found = []
        for j, inter in shared.items():
            o = rows[j]
            if o["doc_id"] == r["doc_id"] or not o.get("date") or not o["date"] < r["date"]:
                continue
            score = inter / (len(sh[i]) + len(sh[j]) - inter)
            if score >= THRESHOLD:
                found.append((-score, o["date"], o["doc_id"], o["position"], o["id"], score))
        found.sort()
        truth[r["id"]] = [(f[4], f[5]) for f in found]
    return truth


def load(path):
    with open(path, encoding="utf-8") as f:
        return {d["id"]: d for d in map(json.loads, f)}


def compare(old_path, new_path, extracted):
    old, new = load(old_path), load(new_path)
    rows = rows_of(extracted)
    by_id = {r["id"]: r for r in rows}
    truth = exhaustive(rows)

    def chain_truth(pid):
        out = [pid]
        while True:
            best = truth.get(out[-1], [])
            if not best or best[0][1] < CHAIN_MIN:
                return out
            out.append(best[0][0])

    ids = [i for i in old if old[i]["earlier"] or new.get(i, {}).get("earlier")]
    with_old = [i for i in old if old[i]["earlier"]]
    print(f"paragraphs: {len(old)}; with earlier wording: old {len(with_old)},"
          f" new {sum(1 for i in new if new[i]['earlier'])},"
          f" exhaustive {sum(1 for v in truth.values() if v)}")

    def share(pred, pool):
        n = sum(1 for i in pool if pred(i))
        return f"{n}/{len(pool)} ({100.0 * n / max(1, len(pool)):.1f}%)"

    top = lambda d, i, k: [x[0] for x in d[i]["earlier"][:k]]
    print("old vs new, over paragraphs with earlier wording in either:")
    print("  top-1 identical:", share(lambda i: top(old, i, 1) == top(new, i, 1), ids))
    print("  top-5 identical (ids and order):", share(lambda i: top(old, i, 5) == top(new, i, 5), ids))
    print("  top-5 same set:", share(lambda i: set(top(old, i, 5)) == set(top(new, i, 5)), ids))
    print("  chain identical:", share(lambda i: old[i]["chain"] == new[i]["chain"], ids))
    for name, d in (("old", old), ("new", new)):
        tids = [i for i in d if truth.get(i)]
        exp = lambda i: [x[0] for x in truth.get(i, [])[:K]]
        # The exhaustive scores here must be the server's: same words, same shingles.
        listed = [(i, o, s) for i in d for o, s in d[i]["earlier"]]
        off = [x for x in listed if abs(dict(truth.get(x[0], [])).get(x[1], -1.0) - x[2]) > 1e-9]
        print(f"{name}: {len(listed)} listed pairs, {len(off)} not scored alike by the exhaustive pass")
        print(f"{name} vs exhaustive, over {len(tids)} paragraphs with earlier wording:")
        print("  top-1 identical:", share(lambda i: top(d, i, 1) == exp(i)[:1], tids))
        print("  top-5 identical (ids and order):", share(lambda i: top(d, i, 5) == exp(i), tids))
        print("  chain identical:", share(lambda i: d[i]["chain"] == chain_truth(i), tids))
        want = [(i, o, sc) for i in tids for o, sc in truth[i][:K]]
        got = lambda i, o: o in top(d, i, K)
        strong = [x for x in want if x[2] >= CHAIN_MIN]
        print(f"  exhaustive top-5 pairs found: {sum(got(i, o) for i, o, _ in want)}/{len(want)};"
              f" of score >= {CHAIN_MIN}: {sum(got(i, o) for i, o, _ in strong)}/{len(strong)}")
    # Pairs (paragraph, earlier paragraph) in one top-5 and not the other.
    lost = [(i, x) for i in old for x in old[i]["earlier"] if x[0] not in top(new, i, 5)]
    gained = [(i, x) for i in new for x in new[i]["earlier"] if x[0] not in top(old, i, 5)]
    print(f"pairs in old top-5, not in new top-5: {len(lost)}"
          f" (score >= {CHAIN_MIN}: {sum(1 for _, x in lost if x[1] >= CHAIN_MIN)})")
    print(f"pairs in new top-5, not in old top-5: {len(gained)}"
          f" (score >= {CHAIN_MIN}: {sum(1 for _, x in gained if x[1] >= CHAIN_MIN)})")
    for label, pairs in (("lost", lost), ("gained", gained)):
        for i, (other, score) in pairs[:8]:
            rank = [x[0] for x in truth.get(i, [])].index(other) + 1 if other in [x[0] for x in truth.get(i, [])] else None
            print(f"  {label}: {i} -> {other} score {score:.3f} exhaustive rank {rank}"
                  f" ({len(words(by_id[i]['text']))} words)")
    # Scores must agree wherever both list the same pair.
    diffs = [abs(s - dict(new[i]["earlier"])[o]) for i in old for o, s in old[i]["earlier"]
             if o in dict(new[i]["earlier"])]
    print(f"same pair, score difference: max {max(diffs, default=0):.2e} over {len(diffs)} pairs")


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "dump":
        dump(*sys.argv[2:5])
    elif len(sys.argv) >= 5 and sys.argv[1] == "compare":
        compare(*sys.argv[2:5])
    else:
        raise SystemExit(__doc__)
