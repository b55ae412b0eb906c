"""undex in-process: the extractor and tagger of the undex search engine, on bytes.

    import undex
    rows = undex.extract(data, "A_79_875-EN.pdf")   # list of dicts, the rows of `undex extract --format jsonl`

Functions (all in Rust, the very functions `undex ingest` calls):

- ``extract(data, filename, *, ocr=False) -> list[dict]``
- ``extract_document(data, filename, *, ocr=False) -> dict``: id, source_file, sha256, pages,
  rows, warnings, jsonl (the bytes `undex ingest` writes to ``<id>.jsonl``)
- ``collect_files(paths) -> dict``: files, failures, skipped, as `undex ingest PATHS` finds them
- ``write_atomic(path, data)``, ``sha256_hex(data)``
- ``carry_english_tags(extracted_dir) -> list[str]``: the cross-language step of an ingest

Errors: ``ExtractError`` (a ``ValueError``) with ``path``, ``code`` (the failure code of the
ingest summary: needs_ocr, damaged_pdf, legacy_doc, too_large, …) and ``message``.
"""

from ._undex import (  # noqa: F401
    FAILURES_FILE,
    MAX_FILE_BYTES,
    ExtractError,
    __version__,
    carry_english_tags,
    collect_files,
    extract,
    extract_document,
    sha256_hex,
    write_atomic,
)

__all__ = [
    "FAILURES_FILE",
    "MAX_FILE_BYTES",
    "ExtractError",
    "carry_english_tags",
    "collect_files",
    "extract",
    "extract_document",
    "sha256_hex",
    "write_atomic",
]
