"""``undex-ray``: the command line.

    undex-ray ingest PATH... --out DIR [--address auto|HOST:PORT] [--manifest FILE] [--ocr]
                                       [--docs-per-task N] [--max-retries N] [--strict] [--json]

Exit codes as ``undex``: 0 done, 1 when ``--strict`` is set and a document failed, 2 when the
run could not be done (no cluster, ``DIR`` not writable).
"""

from __future__ import annotations

import argparse
import json
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="undex-ray",
        description="undex on a Ray cluster: extract and tag documents on the workers, write "
        "DIR/<document id>.jsonl as `undex ingest --extracted DIR` does; then build the index "
        "on one machine with `undex reindex --extracted DIR`.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser(
        "ingest",
        help="extract and tag files and folders (local paths or fsspec URLs) on the cluster",
    )
    ing.add_argument("paths", nargs="*", metavar="PATH",
                     help="files and folders (recursively), local or fsspec URLs (s3://, gs://, file://…)")
    ing.add_argument("--out", required=True, metavar="DIR",
                     help="the extracted folder: DIR/<document id>.jsonl and DIR/failures.jsonl")
    ing.add_argument("--address", default=None, metavar="auto|HOST:PORT",
                     help="the Ray cluster: `auto` for the one running on this machine, "
                     "HOST:PORT for its head (GCS port); default: RAY_ADDRESS, else a local Ray started for the run")
    ing.add_argument("--manifest", action="append", default=[], metavar="FILE",
                     help="a crawl's manifest.jsonl or a list of paths/URLs, one a line (repeatable)")
    ing.add_argument("--ocr", action="store_true", help="run OCR on pages without text (tesseract on every worker)")
    ing.add_argument("--docs-per-task", type=int, default=4, metavar="N",
                     help="documents per Ray task (default 4): smaller balances better, larger costs less overhead")
    ing.add_argument("--max-retries", type=int, default=3, metavar="N",
                     help="times a task is run again after its worker died (default 3)")
    ing.add_argument("--strict", action="store_true", help="exit 1 when any document failed")
    ing.add_argument("--json", action="store_true", help="print the summary as one JSON object on stdout")
    ing.add_argument("--quiet", action="store_true", help="no progress lines, no worker logs")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.paths and not args.manifest:
        print("undex-ray: error: give PATH... or --manifest FILE", file=sys.stderr)
        return 2
    from . import pipeline

    out = sys.stdout
    if args.json:
        # Ray's threads print its workers' and raylets' messages to standard output, also
        # after the run: with --json they go to standard error for good, so that standard
        # output holds the summary alone.
        sys.stdout = sys.stderr
    try:
        summary = pipeline.ingest(
            args.paths,
            args.out,
            args.address,
            manifests=args.manifest,
            ocr=args.ocr,
            docs_per_task=args.docs_per_task,
            max_retries=args.max_retries,
            quiet=args.quiet,
        )
    except (OSError, ConnectionError, RuntimeError) as e:
        print(f"undex-ray: error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary.to_json()), file=out, flush=True)
        print(summary, file=sys.stderr)
    else:
        print(summary)
    return 1 if args.strict and summary.failures else 0


if __name__ == "__main__":
    sys.exit(main())
