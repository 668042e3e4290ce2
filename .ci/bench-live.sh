#!/usr/bin/env bash
# Rerunnable live-tracking benchmark: builds the release server, starts it on a fresh SQLite
# database (or Postgres with --postgres), and runs `server/benches/live_orders.rs` against it:
# N buyers (default 1000) on their live feeds while the sellers accept every order.
#   bash .ci/bench-live.sh [buyers] [--postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/tools.sh
. .ci/pg.sh
. .ci/serve.sh
BUYERS=${1:-1000}
DIR=$(mktemp -d /tmp/troika-bench.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  pg_stop
  rm -rf "$DIR"
}
trap cleanup EXIT
ulimit -n 20000 2>/dev/null || true

build_release >/dev/null
# The bench client builds in its own target dir: `cargo bench` also rebuilds the server binary, and
# must not replace the one cargo-leptos built (and configured) in target/release.
export CARGO_TARGET_DIR=target/bench
cargo bench -p server --bench live_orders --no-run --locked 2>/dev/null

if [ "${2:-}" = "--postgres" ]; then
  pg_start
  DB_URL="${TROIKA_TEST_POSTGRES_URL%/*}/postgres"
else
  DB_URL="sqlite://$DIR/troika.db"
fi
# MIMALLOC_PURGE_DELAY=0: freed memory goes back to the system at once, so the server's RSS before
# and after the feeds open measures the feeds, not the sign-ups' password hashing still being returned.
serve target/release/server "$DB_URL" "$DIR/server.log" MIMALLOC_PURGE_DELAY=0 TROIKA_SIGNIN_PER_MINUTE=100000 TROIKA_SIGNUPS_PER_HOUR=1000000 \
  TROIKA_JOBS_EVERY_SECS=0 TROIKA_DB_MAX_CONNECTIONS=16
echo "server: $(curl -fsS "http://127.0.0.1:$PORT/healthz")"
cargo bench -p server --bench live_orders --locked -- --url "http://127.0.0.1:$PORT" --db "$DB_URL" --pid "$SERVER_PID" --buyers "$BUYERS"
