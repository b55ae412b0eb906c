"""The distributed ingest: documents extracted and tagged on a Ray cluster's workers, written by
the driver as ``undex ingest --extracted DIR`` writes them.

Division of work:

- the driver plans (``undex.collect_files`` for local paths, so the files, their order, the
  skipped notes and the failures of unreadable paths are those of ``undex ingest``; fsspec for
  URLs; manifests), reads what ``DIR`` already holds (the SHA-256 of each document done), and
  starts a Ray Data pipeline over the file list;
- each worker task reads a few files (local or any fsspec URL), skips those whose SHA-256 is
  already done, and calls ``undex.extract_document`` (the Rust function ``undex ingest``
  calls): it returns the document id and the exact JSONL bytes, or the failure code;
- the driver writes each ``DIR/<document id>.jsonl`` atomically (temporary file, sync, rename:
  ``undex.write_atomic``), once per file index however often Ray delivers it (a task retried
  after its worker died is delivered again: same bytes, same name, written once), then runs the
  ingest's cross-language step over the folder (``undex.carry_english_tags``), then writes
  ``DIR/failures.jsonl``.

The driver writes, not the workers, so ``DIR`` need not be shared by the nodes, a document that
two files share (same id) is decided in path order as the ingest decides it, and a retried task
can never leave a half file: only whole, renamed files are ever in ``DIR``.
"""

from __future__ import annotations

import fcntl
import logging
import json
import os
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable

import undex

#: File names that are never documents (as ``undex ingest`` passes them over).
NOT_DOCUMENTS = {"README.md", "MANIFEST.md", "SHA256SUMS", "manifest.jsonl", ".gitkeep"}

#: Failure code of a document whose worker task failed every retry (the worker process died
#: each time, e.g. out of memory): the document is reported, never silently dropped.
WORKER_FAILED = "worker_failed"

#: Lock file of a run in ``DIR`` (a second run on the same folder waits for the first).
LOCK_FILE = ".undex-ray.lock"


def is_url(path: str) -> bool:
    """True for an fsspec URL (``s3://…``, ``gs://…``, ``file://…``, ``memory://…``)."""
    return "://" in path


@dataclass
class Plan:
    """What a run reads: files in ingest order, failures of paths, files passed over."""

    files: list[str] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _walk_url(url: str, plan: Plan) -> None:
    import fsspec

    try:
        fs, root = fsspec.core.url_to_fs(url)
        if fs.isdir(root):
            found = []
            for p in fs.find(root):
                rel = PurePosixPath(p).relative_to(PurePosixPath(root)) if p != root else PurePosixPath(p)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                full = fs.unstrip_protocol(p)
                if PurePosixPath(p).name in NOT_DOCUMENTS:
                    plan.skipped.append((full, "a corpus note or checksum list, not a document"))
                    continue
                found.append(full)
            plan.files.extend(sorted(found))
        elif fs.exists(root):
            plan.files.append(url)
        else:
            plan.failures.append({"path": url, "code": "io", "message": "cannot read: not found"})
    except Exception as e:  # noqa: BLE001 - any filesystem error is a failure of that path
        plan.failures.append({"path": url, "code": "io", "message": f"cannot read: {e}"})


def _read_manifest(manifest: str, plan: Plan) -> list[str]:
    """The documents a manifest names: a crawl's ``manifest.jsonl`` (records with a ``path``
    relative to the manifest's folder, listings left out) or a list of paths or URLs, one a
    line (relative to the manifest's folder unless absolute); ``#`` starts a comment."""
    import fsspec

    try:
        with fsspec.open(manifest, "rt", encoding="utf-8") as f:
            text = f.read()
    except Exception as e:  # noqa: BLE001
        plan.failures.append({"path": manifest, "code": "io", "message": f"cannot read: {e}"})
        return []
    base = manifest.rsplit("/", 1)[0] if "/" in manifest else "."
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if rec.get("listing") or not rec.get("path"):
                continue
            line = rec["path"]
        if not (is_url(line) or line.startswith("/")):
            line = f"{base}/{line}"
        if line not in out:
            out.append(line)
    return out


def plan_files(paths: Iterable[str], manifests: Iterable[str] = ()) -> Plan:
    """The files of a run: local paths exactly as ``undex ingest PATHS…`` finds them (the same
    Rust function), URLs walked with fsspec (hidden entries and corpus notes passed over),
    the documents named by each manifest; in that order, each file once."""
    plan = Plan()
    wanted = list(paths)
    for m in manifests:
        wanted.extend(_read_manifest(m, plan))
    local = [p for p in wanted if not is_url(p)]
    if local:
        found = undex.collect_files(local)
        plan.files.extend(found["files"])
        plan.failures.extend(found["failures"])
        plan.skipped.extend(found["skipped"])
    for url in (p for p in wanted if is_url(p)):
        _walk_url(url, plan)
    seen: set[str] = set()
    files = []
    for f in plan.files:
        if f not in seen:
            seen.add(f)
            files.append(f)
    plan.files = files
    return plan


def order_key(path: str) -> tuple:
    """The order of ``undex ingest``'s file list (Rust ``PathBuf`` order: by components)."""
    return tuple(PurePosixPath(path).parts)


def scan_done(out_dir: str) -> dict[str, str]:
    """SHA-256 → document id of every document ``out_dir`` holds (from each file's first row)."""
    done: dict[str, str] = {}
    try:
        names = os.listdir(out_dir)
    except FileNotFoundError:
        return done
    for name in names:
        if not name.endswith(".jsonl") or name.startswith(".") or name == undex.FAILURES_FILE:
            continue
        try:
            with open(os.path.join(out_dir, name), "rb") as f:
                first = json.loads(f.readline())
            done[first["sha256"]] = first["doc_id"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not whole or not ours: extracted again
    return done


def remove_temporaries(out_dir: str) -> int:
    """Removes ``.tmp…`` files a killed run left in ``out_dir`` (held under the run's lock)."""
    n = 0
    for name in os.listdir(out_dir):
        if name.startswith(".tmp"):
            try:
                os.remove(os.path.join(out_dir, name))
                n += 1
            except OSError:
                pass
    return n


# ---- worker side -------------------------------------------------------------------------

_DONE_CACHE: dict[str, frozenset] = {}


def _done_set(holder: list) -> frozenset:
    if not holder:
        return frozenset()
    import ray

    ref = holder[0]
    key = ref.hex()
    if key not in _DONE_CACHE:
        _DONE_CACHE.clear()
        _DONE_CACHE[key] = ray.get(ref)
    return _DONE_CACHE[key]


def _read_bytes(path: str) -> bytes:
    """The file's bytes, refusing one over ``undex.MAX_FILE_BYTES`` before reading it."""
    limit = undex.MAX_FILE_BYTES
    if is_url(path):
        import fsspec

        fs, p = fsspec.core.url_to_fs(path)
        size = fs.size(p)
        if size is not None and size > limit:
            raise _TooLarge(size)
        with fs.open(p, "rb") as f:
            return f.read()
    size = os.stat(path).st_size
    if size > limit:
        raise _TooLarge(size)
    with open(path, "rb") as f:
        return f.read()


class _TooLarge(Exception):
    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def extract_one(path: str, ocr: bool = False, done: frozenset = frozenset()) -> dict:
    """One file, on a worker: ``status`` ``ok`` (``doc_id``, ``sha256``, ``jsonl``, ``pages``,
    ``rows``, ``warnings``), ``done`` (its SHA-256 is already in DIR) or ``failed`` (``code``,
    ``message``, as ``undex ingest`` reports the file); ``seconds``: wall time spent reading,
    extracting and tagging it on the worker."""
    rec = {
        "path": path,
        "status": "failed",
        "doc_id": "",
        "sha256": "",
        "jsonl": b"",
        "pages": 0,
        "rows": 0,
        "warnings": "[]",
        "code": "",
        "message": "",
        "worker": f"{os.uname().nodename}:{os.getpid()}",
        "seconds": 0.0,
    }
    started = time.perf_counter()
    try:
        data = _read_bytes(path)
    except _TooLarge as e:
        rec.update(
            code="too_large",
            message=f"the file is {e.size} bytes; the limit is {undex.MAX_FILE_BYTES} bytes",
        )
        return rec
    except Exception as e:  # noqa: BLE001 - an unreadable file fails alone, as in the ingest
        rec.update(code="io", message=f"cannot read file: {e}")
        return rec
    sha = undex.sha256_hex(data)
    rec["sha256"] = sha
    if sha in done:
        rec["status"] = "done"
        return rec
    try:
        doc = undex.extract_document(data, path, ocr=ocr)
    except undex.ExtractError as e:
        rec.update(code=e.code, message=e.message, seconds=time.perf_counter() - started)
        return rec
    rec.update(
        status="ok",
        doc_id=doc["id"],
        jsonl=doc["jsonl"],
        pages=doc["pages"],
        rows=doc["rows"],
        warnings=json.dumps(doc["warnings"]),
        seconds=time.perf_counter() - started,
    )
    return rec


def extract_batch(
    batch: dict, ocr: bool = False, done_ref: list | None = None, exit_on: str = ""
) -> dict:
    """The Ray Data map function: a batch of ``{i, path}`` to one record per file.
    ``exit_on`` (tests only, from ``UNDEX_RAY_TEST_EXIT_ON``): the worker process dies on a
    path containing it, as on a document that crashes or exhausts its worker."""
    done = _done_set(done_ref or [])
    out: dict[str, list] = {}
    for i, path in zip(batch["i"], batch["path"]):
        if exit_on and exit_on in str(path):
            os._exit(3)
        rec = extract_one(str(path), ocr=ocr, done=done)
        rec["i"] = int(i)
        for k, v in rec.items():
            out.setdefault(k, []).append(v)
    return out


# ---- driver side -------------------------------------------------------------------------


@dataclass
class Summary:
    """What a run did."""

    planned: int = 0
    documents: int = 0
    rows: int = 0
    pages: int = 0
    resumed: int = 0
    failures: list[dict] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)
    retried_tasks_output: int = 0
    removed_temporaries: int = 0
    workers: int = 0
    #: Seconds the workers spent reading, extracting and tagging (summed over documents).
    worker_seconds: float = 0.0
    #: Seconds the driver spent writing documents (atomic writes, fsync included).
    driver_write_seconds: float = 0.0
    elapsed: float = 0.0

    def to_json(self) -> dict:
        return {
            "planned": self.planned,
            "documents": self.documents,
            "rows": self.rows,
            "pages": self.pages,
            "resumed": self.resumed,
            "failed": len(self.failures),
            "skipped": len(self.skipped),
            "carried": len(self.carried),
            "duplicate_deliveries": self.retried_tasks_output,
            "workers": self.workers,
            "worker_s": round(self.worker_seconds, 3),
            "driver_write_s": round(self.driver_write_seconds, 3),
            "elapsed_s": round(self.elapsed, 3),
            "documents_per_s": round(self.documents / self.elapsed, 3) if self.elapsed else 0.0,
        }

    def __str__(self) -> str:
        rate = self.documents / self.elapsed if self.elapsed else 0.0
        lines = [
            f"extracted {self.documents} documents, {self.rows} paragraphs, {self.pages} pages "
            f"in {self.elapsed:.1f} s ({rate:.1f} documents/s) on {self.workers} worker "
            f"processes; {len(self.failures)} failed, {len(self.skipped)} skipped"
        ]
        if self.resumed:
            lines.append(f"  already done (same SHA-256 in the folder): {self.resumed}")
        if self.carried:
            lines.append(
                f"  tags carried from the English version to {len(self.carried)} other language versions"
            )
        by_code: dict[str, int] = {}
        for f in self.failures:
            by_code[f["code"]] = by_code.get(f["code"], 0) + 1
        for code in sorted(by_code):
            lines.append(f"  failed ({code}): {by_code[code]}")
        for f in self.failures:
            lines.append(f"  {f['path']}: {f['message']}")
        for path, why in self.skipped:
            lines.append(f"  skipped {path}: {why}")
        return "\n".join(lines)


class _Writer:
    """The driver's half: each file index handled once, documents written in path order's
    favour (a later file with the same document id replaces an earlier one)."""

    def __init__(self, out_dir: str, files: list[str], summary: Summary, progress):
        self.out_dir = out_dir
        self.files = files
        self.summary = summary
        self.seen: set[int] = set()
        self.owner: dict[str, str] = {}
        self.failed: dict[int, dict] = {}
        self.progress = progress

    def take(self, rec: dict) -> None:
        i = int(rec["i"])
        if i in self.seen:
            self.summary.retried_tasks_output += 1
            return
        self.seen.add(i)
        self.summary.worker_seconds += float(rec.get("seconds") or 0.0)
        status = rec["status"]
        path = self.files[i]
        if status == "done":
            self.summary.resumed += 1
        elif status == "failed":
            self.failed[i] = {"path": path, "code": rec["code"], "message": rec["message"]}
        else:
            doc_id = rec["doc_id"]
            previous = self.owner.get(doc_id)
            if previous is not None and previous != path:
                self.summary.warnings.append(
                    f"{max(path, previous, key=order_key)} and {min(path, previous, key=order_key)} "
                    f"are the same document ({doc_id}): the later file replaces the earlier"
                )
                if order_key(path) < order_key(previous):
                    self.progress()
                    return
            t0 = time.perf_counter()
            undex.write_atomic(os.path.join(self.out_dir, f"{doc_id}.jsonl"), rec["jsonl"])
            self.summary.driver_write_seconds += time.perf_counter() - t0
            if previous is None:
                self.summary.documents += 1
                self.summary.rows += int(rec["rows"])
                self.summary.pages += int(rec["pages"])
            self.owner[doc_id] = path
            for w in json.loads(rec["warnings"] or "[]"):
                self.summary.warnings.append(f"{path}: {w}")
        self.progress()


def _run_pass(ds_items: list[dict], docs_per_task: int, ocr: bool, done_ref: list, writer: _Writer,
              max_retries: int) -> None:
    exit_on = os.environ.get("UNDEX_RAY_TEST_EXIT_ON", "")
    import ray.data

    if not ds_items:
        return
    ctx = ray.data.DataContext.get_current()
    # A block whose task failed every retry is dropped, not fatal: its files are found
    # missing afterwards and tried again one by one, then reported (WORKER_FAILED).
    ctx.max_errored_blocks = -1
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    blocks = max(1, -(-len(ds_items) // docs_per_task))
    ds = ray.data.from_items(ds_items, override_num_blocks=blocks)
    with warnings.catch_warnings():
        # Ray 2.60 has no named parameter for a task's retries yet; `max_retries` as a remote
        # argument is deprecated (removed in 2.64: pinned below that in pyproject.toml). The
        # default would retry forever a file that kills its worker every time.
        warnings.simplefilter("ignore")
        ds = ds.map_batches(
            extract_batch,
            batch_size=docs_per_task,
            fn_kwargs={"ocr": ocr, "done_ref": done_ref, "exit_on": exit_on},
            num_cpus=1,
            max_retries=max_retries,
        )
    for rec in ds.iter_rows():
        writer.take(rec)


def ingest(
    paths: list[str],
    out_dir: str,
    address: str | None = None,
    *,
    manifests: Iterable[str] = (),
    ocr: bool = False,
    docs_per_task: int = 4,
    max_retries: int = 3,
    quiet: bool = False,
) -> Summary:
    """Extracts and tags every document under ``paths`` (and named by ``manifests``) on the Ray
    cluster at ``address`` (``auto``: the running cluster; ``None``: a local one started for
    the run), writing ``out_dir/<document id>.jsonl`` as ``undex ingest --extracted out_dir``
    does and ``out_dir/failures.jsonl``. A document whose SHA-256 ``out_dir`` already holds is
    not extracted again.

    Raises ``OSError`` when ``out_dir`` cannot be created, locked or written; per-document
    problems are failures in the summary and in ``failures.jsonl``."""
    import ray

    started = time.monotonic()
    summary = Summary()
    os.makedirs(out_dir, exist_ok=True)
    lock = open(os.path.join(out_dir, LOCK_FILE), "a+")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        summary.removed_temporaries = remove_temporaries(out_dir)
        plan = plan_files(paths, manifests)
        summary.planned = len(plan.files)
        summary.skipped = plan.skipped
        done = scan_done(out_dir)

        if not ray.is_initialized():
            ray.init(
                address=address,
                log_to_driver=not quiet,
                include_dashboard=False,
                configure_logging=True,
                logging_level=logging.WARNING,
            )
        summary.workers = int(ray.cluster_resources().get("CPU", 0))
        done_ref = [ray.put(frozenset(done))] if done else []

        handled = [0]
        last = [time.monotonic()]

        def progress() -> None:
            handled[0] += 1
            now = time.monotonic()
            if not quiet and (now - last[0] > 5 or handled[0] == summary.planned):
                last[0] = now
                rate = handled[0] / (now - started) if now > started else 0.0
                print(f"undex-ray: {handled[0]}/{summary.planned} files ({rate:.1f}/s)", file=sys.stderr)

        writer = _Writer(out_dir, plan.files, summary, progress)
        items = [{"i": i, "path": p} for i, p in enumerate(plan.files)]
        _run_pass(items, max(1, docs_per_task), ocr, done_ref, writer, max_retries)
        missing = [it for it in items if it["i"] not in writer.seen]
        if missing:
            # Blocks lost to failed tasks: each file again, alone, so that one bad file cannot
            # take others with it.
            _run_pass(missing, 1, ocr, done_ref, writer, max_retries)
        for it in items:
            if it["i"] not in writer.seen:
                writer.failed[it["i"]] = {
                    "path": it["path"],
                    "code": WORKER_FAILED,
                    "message": f"the worker task reading it failed {max_retries + 1} times "
                    "(the worker process died each time)",
                }
        summary.carried = undex.carry_english_tags(out_dir)
        summary.failures = plan.failures + [writer.failed[i] for i in sorted(writer.failed)]
        body = "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in summary.failures)
        undex.write_atomic(os.path.join(out_dir, undex.FAILURES_FILE), body.encode("utf-8"))
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    summary.elapsed = time.monotonic() - started
    return summary
