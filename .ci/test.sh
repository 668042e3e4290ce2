#!/usr/bin/env bash
# Runs every Troika test from a fresh clone, installing what is missing:
#   1. Rust unit, database and integration tests on SQLite, then clippy;
#   2. the same suite on a throwaway PostgreSQL cluster (with two server processes on one database);
#   3. the browser's code as released (cargo-leptos) and Playwright journeys in Chromium against
#      it, with JavaScript on and off, at a phone's viewport.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/test-tools.sh
. .ci/pg.sh
. .ci/serve.sh
echo "tools ready after $SECONDS s"

SERVER_PID=""
E2E_DIR=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "$E2E_DIR" ] && rm -rf "$E2E_DIR"
  pg_stop
}
trap cleanup EXIT

# Each step says how long the one before it took (and the total at the end): where CI time goes.
STEP_NAME=""
STEP_START=$SECONDS
step_done() { [ -n "$STEP_NAME" ] && printf '\033[1m-- %s: %d s\033[0m\n' "$STEP_NAME" $((SECONDS - STEP_START)); return 0; }
step() { step_done; STEP_NAME="$*"; STEP_START=$SECONDS; printf '\n\033[1m== %s\033[0m\n' "$*"; }
# A test that hangs fails its step within a bounded time (CI has 90 minutes for everything).
bounded() {
  local minutes=$1; shift
  timeout -k 30 "${minutes}m" "$@" || { rc=$?; [ "$rc" -eq 124 ] && echo "!! '$*' did not finish within $minutes minutes: a test hangs"; return "$rc"; }
}

step "Rust tests on SQLite"
bounded 25 cargo test --workspace --locked

step "Lints (clippy: no unwrap/expect outside tests, warnings are errors)"
cargo clippy --workspace --tests --benches --locked -- -D warnings

step "Rust tests on PostgreSQL"
pg_start
bounded 15 cargo test --workspace --locked
pg_stop

# The browser's code exactly as released (size budgets are checked on it). The server that serves
# it to the journeys is the one the Rust tests built above (target/debug/server, same code and
# features): building the release server as well took 10-18 minutes and tested nothing more. The
# demo command and the benchmarks build and run the release server.
step "Browser code, release build (cargo-leptos --frontend-only)"
start=$(date +%s)
build_release --frontend-only # hashed names, each file also stored brotli- and gzip-compressed (.ci/tools.sh)
echo "release build of the browser's code took $(( $(date +%s) - start )) s"
for f in target/site/pkg/*.wasm target/site/pkg/*.js; do
  echo "$(basename "$f"): $(stat -c %s "$f") bytes raw, $(stat -c %s "$f.br") bytes brotli, $(stat -c %s "$f.gz") bytes gzip"
done

step "Browser journeys (Playwright, Chromium)"
E2E_DIR=$(mktemp -d /tmp/troika-e2e.XXXXXX)
[ -x target/debug/server ] || { echo "!! target/debug/server is missing: the Rust tests build it"; exit 1; }
# The server reads the list of hashed names beside its binary (cargo-leptos wrote it beside the
# release one) and where the site is from Leptos' variables (cargo-leptos compiles them into the
# release server).
cp target/debug/server target/release/hash.txt "$E2E_DIR/"
# (cargo leptos end-to-end would not wait for the server: `serve` does.)
serve "$E2E_DIR/server" "sqlite://$E2E_DIR/troika.db" "$E2E_DIR/server.log" LEPTOS_OUTPUT_NAME=troika LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  TROIKA_SIGNIN_PER_MINUTE=100 TROIKA_SIGNUPS_PER_HOUR=10000
(cd end2end && export E2E_BASE_URL="http://127.0.0.1:$PORT" && bounded 15 npx playwright test) || { echo "--- server log"; tail -50 "$E2E_DIR/server.log"; exit 1; }
step_done
echo "all tests passed in $SECONDS s"
