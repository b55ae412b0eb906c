"""The `undex` module and `undex-ray` on a running local Ray cluster (RAY_ADDRESS), against the
`undex` binary (UNDEX_BIN) on the shared corpus (../shared, or UNDEX_SHARED).

    python3 tests/test_cluster.py            # every test
    python3 tests/test_cluster.py kill       # the tests whose name contains "kill"

Run by tests/run.sh (which builds and installs the package, starts the cluster on loopback and
stops it). Each test prints one line; the script exits 1 if any failed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import undex

ROOT = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("UNDEX_SHARED", ROOT.parent / "shared")).resolve()
UNDEX_BIN = os.environ.get("UNDEX_BIN", str(ROOT / "target" / "debug" / "undex"))
INPUTS = [str(SHARED / "seeds"), str(SHARED / "corpus")]
WORK = Path(tempfile.mkdtemp(prefix="undex-ray-test."))


def undex_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [UNDEX_BIN, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "UNDEX_LOG": "warn"},
        check=False,
    )


def undex_ray(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["undex-ray", "ingest", *args, "--address", os.environ["RAY_ADDRESS"], "--json", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        **kw,
    )


def last_json(stdout: str) -> dict:
    """The summary `undex-ray ingest --json` prints last."""
    return json.loads(stdout.strip().splitlines()[-1])


_REFERENCE: dict = {}


def reference() -> dict:
    """`undex ingest` of the inputs, once: its extracted folder and its failures."""
    if not _REFERENCE:
        out = WORK / "ingest-extracted"
        p = undex_cli("ingest", *INPUTS, "--index", str(WORK / "ingest-index"), "--extracted", str(out))
        assert p.returncode == 0, p.stderr
        text = p.stdout + p.stderr
        codes = {m[0]: int(m[1]) for m in re.findall(r"^  failed \(([a-z_]+)\): (\d+)$", text, re.M)}
        skipped = re.findall(r"^  skipped (.+?): ", text, re.M)
        # "  PATH: MESSAGE" lines of the failures (the paths are absolute).
        failed = {}
        for line in text.splitlines():
            m = re.match(r"^  (/.+?): (.+)$", line)
            if m:
                failed[m[1]] = m[2]
        _REFERENCE.update(dir=out, codes=codes, failed=failed, skipped=sorted(skipped), summary=text)
    return _REFERENCE


def files_of(d: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in d.iterdir()
        if p.suffix == ".jsonl" and not p.name.startswith(".") and p.name != undex.FAILURES_FILE
    }


def assert_same_as_ingest(out: Path, summary: dict | None = None) -> None:
    ref = reference()
    want, got = files_of(ref["dir"]), files_of(out)
    assert sorted(got) == sorted(want), f"documents differ: only ingest {sorted(set(want) - set(got))}, only undex-ray {sorted(set(got) - set(want))}"
    differ = [name for name in want if want[name] != got[name]]
    assert not differ, f"rows differ from undex ingest in {differ}"
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".tmp")]
    assert not leftovers, f"temporary files left: {leftovers}"
    failures = [json.loads(line) for line in (out / undex.FAILURES_FILE).read_text().splitlines()]
    assert {f["path"]: f["message"] for f in failures} == ref["failed"], (failures, ref["failed"])
    codes: dict[str, int] = {}
    for f in failures:
        codes[f["code"]] = codes.get(f["code"], 0) + 1
    assert codes == ref["codes"], (codes, ref["codes"])
    if summary is not None:
        assert summary["documents"] == len(want), summary
        assert summary["skipped"] == len(ref["skipped"]), (summary, ref["skipped"])


# ---- the binding -------------------------------------------------------------------------


def test_binding_rows_are_those_of_undex_extract():
    files = [f for f in undex.collect_files(INPUTS)["files"] if f not in reference()["failed"]]
    text = next(f for f in files if f.endswith(".txt"))
    pdf = next(f for f in files if f.endswith(".pdf"))
    for f in [text, pdf]:
        p = undex_cli("extract", "--format", "jsonl", f)
        assert p.returncode == 0, p.stderr
        want = [json.loads(line) for line in p.stdout.splitlines()]
        got = undex.extract(Path(f).read_bytes(), f)
        assert got == want and len(got) > 0, f


def test_binding_raises_with_the_failure_codes():
    ref = reference()
    for path, message in ref["failed"].items():
        try:
            undex.extract(Path(path).read_bytes(), path)
        except undex.ExtractError as e:
            assert e.path == path and e.message == message, (e.path, e.message, message)
            assert e.code in ref["codes"], e.code
            assert str(e) == f"{path}: {message} ({e.code})"
            assert isinstance(e, ValueError)
        else:
            raise AssertionError(f"{path} did not raise")
    try:
        undex.extract(b"\0" * (undex.MAX_FILE_BYTES + 1), "huge.bin")
    except undex.ExtractError as e:
        assert e.code == "too_large", e.code
    else:
        raise AssertionError("a file over MAX_FILE_BYTES did not raise")
    try:
        undex.extract_document(b"x", 12)  # type: ignore[arg-type]
    except TypeError:
        pass
    else:
        raise AssertionError("a filename that is not a str did not raise TypeError")


# ---- undex-ray ---------------------------------------------------------------------------


def test_same_rows_and_failures_as_undex_ingest_then_a_rerun_skips_everything():
    out = WORK / "ray-extracted"
    p = undex_ray(*INPUTS, "--out", str(out))
    assert p.returncode == 0, p.stderr
    summary = last_json(p.stdout)
    assert summary["workers"] == 2, summary
    assert_same_as_ingest(out, summary)

    before = {q.name: q.stat().st_mtime_ns for q in out.iterdir() if q.suffix == ".jsonl"}
    again = undex_ray(*INPUTS, "--out", str(out))
    assert again.returncode == 0, again.stderr
    s2 = last_json(again.stdout)
    assert s2["documents"] == 0 and s2["resumed"] == summary["documents"], s2
    after = {q.name: q.stat().st_mtime_ns for q in out.iterdir() if q.suffix == ".jsonl"}
    rewritten = [n for n in before if n != undex.FAILURES_FILE and before[n] != after[n]]
    assert not rewritten, f"a re-run rewrote {rewritten}"
    assert_same_as_ingest(out)

    # `undex reindex` builds the index from the folder (failures.jsonl is not a document).
    p = undex_cli("reindex", "--extracted", str(out), "--index", str(WORK / "ray-index"), "--strict")
    assert p.returncode == 0, p.stdout + p.stderr
    m = re.search(r"ingested (\d+) documents, (\d+) paragraphs", p.stdout + p.stderr)
    ref = re.search(r"ingested (\d+) documents, (\d+) paragraphs", reference()["summary"])
    assert m and ref and m.groups() == ref.groups(), (p.stdout, reference()["summary"])


def busy_workers() -> list[int]:
    """Pids of the cluster's worker processes running an extraction task right now."""
    ps = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=True)
    return [
        int(line.split(None, 1)[0])
        for line in ps.stdout.splitlines()
        if "MapBatches(extract_batch)" in line
    ]


def test_killing_a_worker_mid_run_loses_and_duplicates_nothing():
    out = WORK / "ray-killed"
    proc = subprocess.Popen(
        ["undex-ray", "ingest", *INPUTS, "--out", str(out), "--address", os.environ["RAY_ADDRESS"],
         "--json", "--quiet", "--docs-per-task", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = None
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        written = len([q for q in out.glob("*.jsonl")]) if out.exists() else 0
        busy = busy_workers()
        # Mid-run: some documents written, a worker busy with the next ones.
        if killed is None and written >= 4 and busy:
            killed = busy[0]
            os.kill(killed, signal.SIGKILL)
            break
        time.sleep(0.05)
    stdout, stderr = proc.communicate(timeout=600)
    assert killed is not None, f"no busy worker found to kill before the run ended: {stderr}"
    assert proc.returncode == 0, stderr
    summary = last_json(stdout)
    assert summary["failed"] == len(reference()["failed"]), (summary, stderr)
    # Every document present exactly once (one file per id), whole, and the same bytes.
    assert_same_as_ingest(out, summary)
    print(f"    killed worker pid {killed}; {summary}")


def test_a_document_that_kills_its_worker_every_time_is_a_failure_not_a_loss():
    seeds = str(SHARED / "seeds")
    files = undex.collect_files([seeds])["files"]
    poison = files[1]
    out = WORK / "ray-poison"
    p = subprocess.run(
        ["undex-ray", "ingest", seeds, "--out", str(out), "--address", os.environ["RAY_ADDRESS"],
         "--json", "--quiet", "--max-retries", "1", "--docs-per-task", "2"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "UNDEX_RAY_TEST_EXIT_ON": Path(poison).name},
    )
    assert p.returncode == 0 and p.stdout.strip(), p.stderr[-3000:]
    summary = last_json(p.stdout)
    failures = [json.loads(line) for line in (out / undex.FAILURES_FILE).read_text().splitlines()]
    assert [(f["path"], f["code"]) for f in failures] == [(poison, "worker_failed")], failures
    # Every other document is there, whole, as undex ingest writes it (the one sharing the
    # poisoned document's task included: it was tried again alone).
    ref = files_of(reference()["dir"])
    got = files_of(out)
    assert summary["documents"] == len(files) - 1 == len(got), (summary, sorted(got))
    assert all(ref[name] == data for name, data in got.items())


def main(argv: list[str]) -> int:
    wanted = argv[1] if len(argv) > 1 else ""
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_") and wanted in n]
    # The binding first, then the runs.
    tests.sort(key=lambda t: (not t[0].startswith("test_binding"), t[0]))
    failed = 0
    for name, fn in tests:
        t0 = time.monotonic()
        try:
            fn()
            print(f"ok   {name} ({time.monotonic() - t0:.1f} s)", flush=True)
        except Exception:  # noqa: BLE001
            failed += 1
            print(f"FAIL {name} ({time.monotonic() - t0:.1f} s)", flush=True)
            traceback.print_exc()
    if failed:
        print(f"{len(tests) - failed} passed, {failed} failed (work folder kept: {WORK})")
        return 1
    shutil.rmtree(WORK, ignore_errors=True)
    print(f"{len(tests)} passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
