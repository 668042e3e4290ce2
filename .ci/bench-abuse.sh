#!/usr/bin/env bash
# Rerunnable abuse benchmark: builds the release server and the bench client (in target/bench), starts
# the server on a free port with a fresh SQLite database (or a throwaway Postgres cluster with
# --postgres), and runs `server/benches/abuse.rs` against it: 64 connections posting sign-ups for
# 15 s while a second client reads the home page. Twice: with the default limits (one address
# flooding), then with the per-address sign-up limit lifted (a flood from many addresses, held back
# only by the password-hashing queue).
#   bash .ci/bench-abuse.sh [--postgres] [--connections 64] [--seconds 15] [--server path/to/server]
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/pg.sh
. .ci/serve.sh
POSTGRES="" CONNECTIONS=64 SECONDS_=15 BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) POSTGRES=1 ;;
    --connections) CONNECTIONS=$2; shift ;;
    --seconds) SECONDS_=$2; shift ;;
    --server) BIN=$2; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
DIR=$(mktemp -d /tmp/troika-bench-abuse.XXXXXX)
SERVER_PID=""
stop_server() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}
cleanup() {
  stop_server
  pg_stop
  rm -rf "$DIR"
}
trap cleanup EXIT
ulimit -n 20000 2>/dev/null || true

export CARGO_TARGET_DIR=target/bench
cargo bench -p server --bench abuse --no-run --locked 2>/dev/null
[ -n "$BIN" ] || { cargo build --release -p server --locked 2>/dev/null; BIN="$CARGO_TARGET_DIR/release/server"; }
[ -n "$POSTGRES" ] && pg_start
mkdir -p "$DIR/site" # no static files needed: the bench reads server-rendered HTML and server functions

scenario() {
  local label=$1
  shift
  local db
  if [ -n "$POSTGRES" ]; then
    db="${TROIKA_TEST_POSTGRES_URL%/*}/bench_$RANDOM$RANDOM"
    "${PG_TEST_AS[@]}" "$PG_TEST_BIN/createdb" -h 127.0.0.1 -p "$PG_TEST_PORT" -U troika "${db##*/}"
  else
    db="sqlite://$DIR/$label.db"
  fi
  # MIMALLOC_PURGE_DELAY=0: freed memory goes back to the system at once, so RSS shows what is held.
  serve "$BIN" "$db" "$DIR/server-$label.log" MIMALLOC_PURGE_DELAY=0 TROIKA_JOBS_EVERY_SECS=0 \
    LEPTOS_OUTPUT_NAME=troika LEPTOS_SITE_ROOT="$DIR/site" LEPTOS_SITE_PKG_DIR=pkg "$@"
  cargo bench -p server --bench abuse --locked -- --url "http://127.0.0.1:$PORT" --db "$db" --pid "$SERVER_PID" \
    --connections "$CONNECTIONS" --seconds "$SECONDS_" --label "$label"
  stop_server
}

echo "server: $BIN ($([ -n "$POSTGRES" ] && echo PostgreSQL || echo SQLite), $(nproc) cores)"
scenario default-limits
scenario no-address-limit TROIKA_SIGNUPS_PER_HOUR=1000000000 TROIKA_SIGNIN_PER_MINUTE=1000000000
