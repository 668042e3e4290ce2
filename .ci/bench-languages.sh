#!/usr/bin/env bash
# Rerunnable measurement of what each language adds to the first download: the release server
# (target/release/server, built by `build_release`) with the demo data on a fresh SQLite database;
# each storefront page is fetched in English and in French, and its HTML weighed raw and gzip -9.
# The browser's code is the same in both languages (islands get their words from the page), so the
# difference is the page itself; the wasm and js are weighed by end2end/tests/bundle.spec.js.
#   bash .ci/bench-languages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/serve.sh
DIR=$(mktemp -d /tmp/troika-bench-languages.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
serve target/release/server "sqlite://$DIR/troika.db" "$DIR/server.log" TROIKA_JOBS_EVERY_SECS=0
printf '%-28s %10s %10s %10s %10s\n' page "en raw" "fr raw" "en gzip" "fr gzip"
for path in / /search?q=crepe+pann /product/1 /shop/atelier-lumiere /category/kitchen; do
  sizes=()
  for lang in en fr; do
    curl -fsS "http://127.0.0.1:$PORT/$lang$path" -o "$DIR/page.$lang.html" || true
    sizes+=("$(wc -c < "$DIR/page.$lang.html")")
  done
  for lang in en fr; do sizes+=("$(gzip -9 -n -c "$DIR/page.$lang.html" | wc -c)"); done
  printf '%-28s %10s %10s %10s %10s\n' "$path" "${sizes[@]}"
done
