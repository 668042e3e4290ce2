#!/usr/bin/env bash
# Sets up what is missing, builds Troika and serves it with demo data on embedded SQLite
# (data/troika.db) at http://127.0.0.1:3000 (TROIKA_ADDR to change). Ctrl-C stops it.
# The demo data (TROIKA_SEED=1) brings public demo accounts: never set it on a real marketplace.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/tools.sh
build_release
exec env TROIKA_SEED=1 target/release/server
