#!/usr/bin/env bash
# Rerunnable seller-workspace benchmark: builds the release server and the bench client (in
# target/bench), starts the server on a free port with a fresh SQLite database (or a throwaway
# Postgres cluster with --postgres), and runs `server/benches/sellers.rs` against it: processing and
# uploading a 4000×3000 JPEG (in process, then 30 uploads one at a time), the server's memory while 8
# uploads run at once, then N products in the catalogue (default 10000) and the product
# page's times (search: .ci/bench-search.sh).
#   bash .ci/bench-sellers.sh [products] [--postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/pg.sh
. .ci/serve.sh
PRODUCTS=10000
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then PRODUCTS=$1; shift; fi
DIR=$(mktemp -d /tmp/troika-bench-sellers.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  pg_stop
  rm -rf "$DIR"
}
trap cleanup EXIT

export CARGO_TARGET_DIR=target/bench
cargo bench -p server --bench sellers --no-run --locked 2>/dev/null
if [ "${1:-}" = "--postgres" ]; then
  pg_start
  DB_URL="${TROIKA_TEST_POSTGRES_URL%/*}/postgres"
else
  DB_URL="sqlite://$DIR/troika.db"
fi
mkdir -p "$DIR/site" # no static files needed: the bench reads server-rendered HTML and server functions
# MIMALLOC_PURGE_DELAY=0: freed memory goes back to the system at once, so RSS shows what is held.
serve "$CARGO_TARGET_DIR/release/server" "$DB_URL" "$DIR/server.log" MIMALLOC_PURGE_DELAY=0 TROIKA_SIGNIN_PER_MINUTE=1000 \
  TROIKA_JOBS_EVERY_SECS=0 LEPTOS_OUTPUT_NAME=troika LEPTOS_SITE_ROOT="$DIR/site" LEPTOS_SITE_PKG_DIR=pkg
echo "server: $(curl -fsS "http://127.0.0.1:$PORT/healthz") ($([ "${1:-}" = "--postgres" ] && echo PostgreSQL || echo SQLite), $(nproc) cores)"
cargo bench -p server --bench sellers --locked -- --url "http://127.0.0.1:$PORT" --db "$DB_URL" --pid "$SERVER_PID" \
  --products "$PRODUCTS"
