#!/usr/bin/env bash
# Rerunnable measurement of what serving the browser code costs the server: starts the release build
# (target/release/server with target/site; build it first with `. .ci/tools.sh; build_release`) on
# a fresh SQLite database, finds the page's .wasm and .js from the home page, and fetches each N times
# (default 50) with `Accept-Encoding: br` and then `gzip`, as a phone would on a first visit. Reports
# the bytes on the wire, the caching headers, and the server's CPU time per request (user + system,
# from /proc: the difference over all N requests divided by N).
#   bash .ci/bench-assets.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/serve.sh
N=${1:-50}
[ -x target/release/server ] || { echo 'no release build: run ". .ci/tools.sh; build_release" first' >&2; exit 1; }
DIR=$(mktemp -d /tmp/troika-bench-assets.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
serve target/release/server "sqlite://$DIR/troika.db" "$DIR/server.log"
BASE="http://127.0.0.1:$PORT"
HOME_HTML=$(curl -fsS "$BASE/")
ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
HZ=$(getconf CLK_TCK)
echo "server: $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $N requests per asset and encoding"
printf '%-44s %-5s %10s  %-8s %-46s %s\n' asset enc bytes encoding cache-control "CPU ms/request"
for asset in $(grep -oE '/pkg/[^"]+\.(wasm|js)' <<<"$HOME_HTML" | sort -u); do
  for enc in br gzip; do
    headers=$(curl -fsS -o "$DIR/body" -D - -H "Accept-Encoding: $enc" "$BASE$asset")
    bytes=$(stat -c %s "$DIR/body")
    got=$(grep -i '^content-encoding:' <<<"$headers" | tr -d '\r' | cut -d' ' -f2)
    cache=$(grep -i '^cache-control:' <<<"$headers" | tr -d '\r' | cut -d' ' -f2-)
    before=$(ticks)
    for _ in $(seq 1 "$N"); do curl -fsS -o /dev/null -H "Accept-Encoding: $enc" "$BASE$asset"; done
    after=$(ticks)
    ms=$(python3 -c "print(f'{($after - $before) * 1000 / $HZ / $N:.2f}')")
    printf '%-44s %-5s %10s  %-8s %-46s %s\n' "$asset" "$enc" "$bytes" "${got:-none}" "${cache:-none}" "$ms"
  done
done
