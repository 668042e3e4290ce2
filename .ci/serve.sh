# Starts a Troika server binary in the background on a free port and waits until it answers.
# Source it, then: serve BIN DATABASE_URL LOG_FILE [VAR=value ...]
# The demo data is loaded (TROIKA_SEED=1) unless a VAR=value says otherwise.
# Sets PORT and SERVER_PID; returns non-zero (after printing the log) if the server does not come up.
serve() {
  local bin=$1 db=$2 log=$3
  shift 3
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  env DATABASE_URL="$db" TROIKA_ADDR="127.0.0.1:$PORT" RUST_LOG=warn TROIKA_SEED=1 "$@" "$bin" > "$log" 2>&1 &
  SERVER_PID=$!
  # The server migrates and seeds the demo data, then answers.
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server exited" >&2; cat "$log" >&2; return 1; }
    sleep 0.5
  done
  echo "the server did not become healthy" >&2
  cat "$log" >&2
  return 1
}
