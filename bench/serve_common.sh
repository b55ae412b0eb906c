# Shared by the bench scripts that ingest ../shared and serve it: source it after `cd` to the
# repository root (`source bench/serve_common.sh`). Uses $bin, the undex binary.

# Builds the release binary and sets $bin to it.
build_release() {
  cargo build --release -p undex-cli --quiet
  bin=target/release/undex
}

# Makes the temporary folder $work, removed on exit, when the server (if any) is stopped.
make_workdir() {
  work=$(mktemp -d)
  trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
}

# Ingests ../shared/seeds and ../shared/corpus with $bin: the index into $1, the rows into $2.
# With a third argument `timed`, /usr/bin/time prints the wall time and peak memory.
ingest_shared() {
  local time=()
  if [[ "${3:-}" == timed ]]; then time=(/usr/bin/time -f "wall %e s, max RSS %M KB"); fi
  "${time[@]}" "$bin" ingest ../shared/seeds ../shared/corpus --index "$1" --extracted "$2"
}

# Serves the index $1 with $bin on a free loopback port, its output into the file $2; sets
# $port and $server (the process id) and waits until GET $3 answers, at most $4 tenths of a
# second.
serve_index() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" serve --index "$1" --addr "127.0.0.1:$port" >"$2" 2>&1 &
  server=$!
  for _ in $(seq "$4"); do curl -sf "http://127.0.0.1:$port$3" >/dev/null && break; sleep 0.1; done
}
