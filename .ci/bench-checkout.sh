#!/usr/bin/env bash
# Rerunnable checkout benchmark: 50 concurrent buyers racing for 10 units, on SQLite and on a
# throwaway Postgres cluster, each run N times (default 5). Prints the wall time of each race.
# Correctness (exactly 10 orders, stock 0) is asserted by the same test; this script reports speed.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/pg.sh
trap pg_stop EXIT
runs=${1:-5}
race() { cargo test -q -p server --test storefront fifty_buyers_racing_for_ten_units_get_exactly_ten_orders -- --nocapture 2>&1 | grep -o 'checkout race.*'; }
for _ in $(seq "$runs"); do race; done
pg_start
for _ in $(seq "$runs"); do race; done
