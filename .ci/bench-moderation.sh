#!/usr/bin/env bash
# Rerunnable screening and moderation-queue benchmark: builds the release server and the bench client
# (in target/bench), starts the server on a free port with a fresh SQLite database (or a throwaway
# Postgres cluster with --postgres), and runs `server/benches/moderation.rs` against it: screening
# time per review, then N pending reviews (default 10000) and the time of the moderator's queue page.
#   bash .ci/bench-moderation.sh [pending] [--postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/pg.sh
PENDING=10000
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then PENDING=$1; shift; fi
DIR=$(mktemp -d /tmp/troika-bench-moderation.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  pg_stop
  rm -rf "$DIR"
}
trap cleanup EXIT

export CARGO_TARGET_DIR=target/bench
cargo bench -p server --bench moderation --no-run --locked 2>/dev/null
if [ "${1:-}" = "--postgres" ]; then
  pg_start
  DB_URL="${TROIKA_TEST_POSTGRES_URL%/*}/postgres"
else
  DB_URL="sqlite://$DIR/troika.db"
fi
mkdir -p "$DIR/site"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
DATABASE_URL="$DB_URL" TROIKA_ADDR="127.0.0.1:$PORT" TROIKA_SIGNIN_PER_MINUTE=1000 TROIKA_JOBS_EVERY_SECS=0 RUST_LOG=warn \
  LEPTOS_OUTPUT_NAME=troika LEPTOS_SITE_ROOT="$DIR/site" LEPTOS_SITE_PKG_DIR=pkg \
  "$CARGO_TARGET_DIR/release/server" > "$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DIR/server.log"; exit 1; }
  sleep 0.5
done
echo "server: $(curl -fsS "http://127.0.0.1:$PORT/healthz") ($([ "${1:-}" = "--postgres" ] && echo PostgreSQL || echo SQLite))"
cargo bench -p server --bench moderation --locked -- --url "http://127.0.0.1:$PORT" --db "$DB_URL" --pending "$PENDING"
