#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the test suite. Source it, then:
#   pg_start   -> exports TROIKA_TEST_POSTGRES_URL (a superuser URL to the `postgres` database)
#   pg_stop    -> stops the cluster and removes its files
# Uses the machine's PostgreSQL server binaries (installs Debian's when missing). PostgreSQL refuses
# to run as root, so as root the cluster runs as the `postgres` system user.

pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(readlink -f "$(command -v initdb)")"; return 0; }
  return 1
}

pg_start() {
  local bin
  if ! bin=$(pg_bin_dir); then
    echo "[pg] installing PostgreSQL server binaries" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(pg_bin_dir)
  fi
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    as=(runuser -u postgres --)
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/troika-pg.XXXXXX)
  chmod 755 "$PG_TEST_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_TEST_DIR"
  PG_TEST_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  "${as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U troika --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_TEST_PORT -k $PG_TEST_DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  PG_TEST_AS=("${as[@]}")
  PG_TEST_BIN=$bin
  export TROIKA_TEST_POSTGRES_URL="postgres://troika@127.0.0.1:$PG_TEST_PORT/postgres"
  # For the outage test, which runs a cluster of its own and stops it.
  export TROIKA_TEST_PG_BIN="$bin" TROIKA_TEST_PG_AS="${as[*]:-}"
  echo "[pg] throwaway cluster on 127.0.0.1:$PG_TEST_PORT ($PG_TEST_DIR)" >&2
}

pg_stop() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  "${PG_TEST_AS[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
  unset PG_TEST_DIR TROIKA_TEST_POSTGRES_URL TROIKA_TEST_PG_BIN TROIKA_TEST_PG_AS
}
