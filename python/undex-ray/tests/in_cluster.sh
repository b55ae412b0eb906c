#!/usr/bin/env bash
# Starts the local Ray cluster (local_cluster.sh), runs test_cluster.py against it, stops it.
# Called by run.sh, inside a network namespace holding only loopback when it can.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ip link set lo up 2>/dev/null || true
started=$(bash "$here/local_cluster.sh" start)
eval "$started"
trap 'bash "$here/local_cluster.sh" stop "$UNDEX_RAY_TMP"' EXIT
python3 "$here/test_cluster.py" "$@"
