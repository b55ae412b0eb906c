#!/usr/bin/env bash
# A local Ray cluster on loopback only: one head (no CPUs of its own: it schedules, the driver
# runs beside it) and two worker nodes of one CPU each, i.e. two worker processes; no
# dashboard, no usage statistics. Its processes are told apart from any other Ray on the
# machine by their own temporary folder, and stopped by process id.
#
#   eval "$(bash local_cluster.sh start)"   # exports RAY_ADDRESS and UNDEX_RAY_TMP
#   bash local_cluster.sh stop              # kills the processes of $UNDEX_RAY_TMP, removes it
#
# WORKERS (default 2) and WORKER_CPUS (default 1) change the shape; OBJECT_STORE_MB (default
# 300) is each node's object store.
set -euo pipefail
export RAY_USAGE_STATS_ENABLED=0
WORKERS=${WORKERS:-2}
WORKER_CPUS=${WORKER_CPUS:-1}
STORE=$(( ${OBJECT_STORE_MB:-300} * 1024 * 1024 ))

pids_of() {
  # Every process whose command line names the cluster's temporary folder (gcs_server,
  # raylets, the monitors), and their descendants (agents and workers, whose process titles
  # are rewritten to `ray::…`).
  local dir=$1
  ps -eo pid=,ppid=,args= | awk -v d="$dir" -v self="$$" '
    { pid[NR] = $1; ppid[NR] = $2; if (index($0, d) && $0 !~ /awk -v d=/ && $1 != self) mark[$1] = 1 }
    END {
      changed = 1
      while (changed) { changed = 0; for (i = 1; i <= NR; i++) if (!(pid[i] in mark) && (ppid[i] in mark)) { mark[pid[i]] = 1; changed = 1 } }
      for (p in mark) print p
    }'
}

case "${1:-}" in
start)
  tmp=$(mktemp -d /tmp/undex-ray.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  common=(--node-ip-address=127.0.0.1 --disable-usage-stats --object-store-memory="$STORE")
  # A start that fails half-way stops what it started.
  failed() { cat "$1" >&2; bash "$0" stop "$tmp" >&2; exit 1; }
  ray start --head --port="$port" --num-cpus=0 --include-dashboard=false \
    --temp-dir="$tmp" "${common[@]}" >"$tmp/head.log" 2>&1 || failed "$tmp/head.log"
  for _ in $(seq "$WORKERS"); do
    ray start --address="127.0.0.1:$port" --num-cpus="$WORKER_CPUS" "${common[@]}" \
      --temp-dir="$tmp" >>"$tmp/workers.log" 2>&1 || failed "$tmp/workers.log"
  done
  echo "export RAY_ADDRESS=127.0.0.1:$port UNDEX_RAY_TMP=$tmp RAY_USAGE_STATS_ENABLED=0"
  ;;
stop)
  dir=${2:-${UNDEX_RAY_TMP:?UNDEX_RAY_TMP is not set}}
  case "$dir" in /tmp/undex-ray.*) ;; *) echo "not a cluster folder of this script: $dir" >&2; exit 2 ;; esac
  for sig in TERM KILL; do
    pids=$(pids_of "$dir")
    [ -z "$pids" ] && break
    # shellcheck disable=SC2086
    kill -s "$sig" $pids 2>/dev/null || true
    sleep 2
  done
  rm -rf "$dir"
  ;;
pids)
  pids_of "${2:-${UNDEX_RAY_TMP:?}}"
  ;;
*)
  echo "usage: local_cluster.sh start|stop [DIR]|pids [DIR]" >&2
  exit 2
  ;;
esac
