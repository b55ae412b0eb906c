#!/usr/bin/env bash
# The Python side of undex (issue #14), as .ci/run runs it: builds and installs the package of
# python/undex-ray (the `undex` module in the dev profile, reusing target/debug's crates, and
# `undex-ray`) with one pip install, then runs tests/test_cluster.py on a local Ray cluster of
# one head and two worker nodes, loopback only, stopped at the end whatever happens.
#
#   bash python/undex-ray/tests/run.sh [TEST NAME PART]
#
# Loopback only: Ray's servers listen on every interface and have no setting to bind one, so
# the cluster and the tests run in a network namespace of their own that holds only `lo`
# (`unshare -n`, or `unshare -rn` without root). Where neither is allowed, they run on the
# host's network with a warning (all traffic still goes to 127.0.0.1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
export RAY_USAGE_STATS_ENABLED=0

python3 -c 'import ray.data, fsspec' 2>/dev/null || python3 -m pip install -q "ray[data]>=2.40,<2.64" "fsspec>=2023.1"
command -v maturin >/dev/null 2>&1 || python3 -m pip install -q "maturin>=1.9,<2"
# The dev profile shares target/debug with `cargo test`: only pyo3 and this crate are built.
MATURIN_PEP517_ARGS="--profile dev" python3 -m pip install -q --no-build-isolation --no-deps ./python/undex-ray
cargo build -q --locked -p undex-cli
export UNDEX_BIN=${CARGO_TARGET_DIR:-$root/target}/debug/undex

if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  exec unshare -n bash "$here/in_cluster.sh" "$@"
elif unshare -rn true 2>/dev/null; then
  exec unshare -rn bash "$here/in_cluster.sh" "$@"
else
  echo "warning: no network namespace (unshare): Ray's servers listen on every interface of this machine for the test" >&2
  exec bash "$here/in_cluster.sh" "$@"
fi
