#!/usr/bin/env bash
# Rerunnable dispute-room benchmark: builds the release server and the bench client (both in
# target/bench, leaving target/ and target/site alone), starts the server on a free port with a fresh
# SQLite database (or a throwaway Postgres cluster with --postgres), and runs
# `server/benches/dispute_rooms.rs` against it: N claims (default 1000), each room open on three
# WebSockets (buyer, seller, mediator), then M messages per room over HTTP.
#   bash .ci/bench-rooms.sh [rooms] [--postgres] [--messages 5] [--in-flight 20] [--senders alternate|seller]
# TROIKA_DB_MAX_CONNECTIONS (default 16) sets the server's database pool. BENCH and COUNT_FLAG pick
# another bench client of the same shape (.ci/bench-conversations.sh sets them).
set -euo pipefail
BENCH=${BENCH:-dispute_rooms}
COUNT_FLAG=${COUNT_FLAG:---rooms}
cd "$(dirname "$0")/.."
. .ci/pg.sh
. .ci/serve.sh
ROOMS=1000
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then ROOMS=$1; shift; fi
POSTGRES=""
if [ "${1:-}" = "--postgres" ]; then POSTGRES=1; shift; fi
DIR=$(mktemp -d /tmp/troika-bench-rooms.XXXXXX)
SERVER_PID=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; then
    # Graceful shutdown closes every socket; give it a few seconds before forcing it.
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$rc" != 0 ] && [ -f "$DIR/server.log" ]; then
    echo "--- last lines of the server's log ---" >&2
    tail -n 30 "$DIR/server.log" >&2
  fi
  pg_stop
  rm -rf "$DIR"
}
trap cleanup EXIT
# Three sockets per room on each side, plus the buyers' HTTP clients.
ulimit -n 20000 2>/dev/null || true
if [ "$(ulimit -n)" -lt $((ROOMS * 3 + 1000)) ]; then
  echo "warning: ulimit -n is $(ulimit -n), too low for $((ROOMS * 3)) sockets" >&2
fi

# The bench profile is the release profile. Built in its own target dir: target/ belongs to
# whoever else works in this checkout (and cargo-leptos's configured build in target/release).
export CARGO_TARGET_DIR=target/bench
cargo bench -p server --bench "$BENCH" --no-run --locked 2>/dev/null
SERVER_BIN="$CARGO_TARGET_DIR/release/server"
[ -x "$SERVER_BIN" ] || { echo "no server binary at $SERVER_BIN" >&2; exit 1; }

if [ -n "$POSTGRES" ]; then
  pg_start
  DB_URL="${TROIKA_TEST_POSTGRES_URL%/*}/postgres"
else
  DB_URL="sqlite://$DIR/troika.db"
fi
mkdir -p "$DIR/site" # no static files needed: the bench talks to server functions and sockets only
# MIMALLOC_PURGE_DELAY=0: freed memory goes back to the system at once, so the server's RSS before
# and after the sockets open measures the sockets, not the sign-ups' password hashing being returned.
serve "$SERVER_BIN" "$DB_URL" "$DIR/server.log" MIMALLOC_PURGE_DELAY=0 TROIKA_SIGNIN_PER_MINUTE=100000 TROIKA_SIGNUPS_PER_HOUR=1000000 TROIKA_LIVE_PER_USER=1000000 TROIKA_JOBS_EVERY_SECS=0 \
  TROIKA_DB_MAX_CONNECTIONS="${TROIKA_DB_MAX_CONNECTIONS:-16}" \
  LEPTOS_OUTPUT_NAME=troika LEPTOS_SITE_ROOT="$DIR/site" LEPTOS_SITE_PKG_DIR=pkg
echo "server: $(curl -fsS "http://127.0.0.1:$PORT/healthz") (pool ${TROIKA_DB_MAX_CONNECTIONS:-16} connections)"
cargo bench -p server --bench "$BENCH" --locked -- --url "http://127.0.0.1:$PORT" --db "$DB_URL" --pid "$SERVER_PID" "$COUNT_FLAG" "$ROOMS" "$@"
if grep -qE ' (WARN|ERROR) ' "$DIR/server.log"; then
  echo "server log: $(grep -cE ' WARN ' "$DIR/server.log") warnings, $(grep -cE ' ERROR ' "$DIR/server.log") errors; the first:"
  grep -E ' (WARN|ERROR) ' "$DIR/server.log" | head -n 5
fi
