"""undex-ray: undex on a Ray cluster.

``undex-ray ingest PATH... --out DIR [--address auto|HOST:PORT]`` extracts and tags documents on
the cluster's workers with the ``undex`` module (the Rust extractor and tagger, in-process) and
writes ``DIR/<document id>.jsonl`` exactly as ``undex ingest --extracted DIR`` would, failures
in ``DIR/failures.jsonl``; ``undex reindex --extracted DIR`` then builds the index on one
machine. See :func:`undex_ray.pipeline.ingest`.
"""

__all__ = ["pipeline"]
