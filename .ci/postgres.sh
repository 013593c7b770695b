#!/usr/bin/env bash
# A PostgreSQL server on 127.0.0.1:5432 for chapterdesk-server's tests, on Debian 12 or later.
# Sourced by .ci/run (then `start_test_postgres` exports CHAPTERDESK_TEST_PG_URL), or run by
# hand: `bash .ci/postgres.sh` starts it and prints the line to export. Idempotent: re-running
# with the package installed, the cluster running and the role present changes nothing.

CHAPTERDESK_PG_PORT=5432
CHAPTERDESK_PG_ROLE=chapterdesk
CHAPTERDESK_PG_PASSWORD=chapterdesk

if ! declare -F as_root >/dev/null; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
fi

# The newest installed major version (Debian 12: 15), or nothing.
_pg_major() {
  local bin
  for bin in /usr/lib/postgresql/*/bin/postgres; do
    if [ -x "$bin" ]; then basename "$(dirname "$(dirname "$bin")")"; fi
  done | sort -V | tail -n 1
}

# psql as the postgres superuser over the Unix socket (peer authentication), SQL on stdin.
_pg_psql() {
  (cd / && as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 \
    -p "$CHAPTERDESK_PG_PORT" -d postgres)
}

start_test_postgres() {
  local v
  v=$(_pg_major)
  if [ -z "$v" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "installing PostgreSQL (Debian package 'postgresql')"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
      postgresql
    v=$(_pg_major)
  fi
  if [ -z "$v" ]; then
    echo "PostgreSQL is not installed under /usr/lib/postgresql" >&2
    return 1
  fi

  # The package's postinst normally makes the 'main' cluster; make it if it didn't.
  if [ ! -f "/etc/postgresql/$v/main/postgresql.conf" ]; then
    as_root pg_createcluster --locale C.UTF-8 --encoding UTF8 "$v" main
  fi

  # Loopback only; no TLS (nothing leaves the machine, and a missing snakeoil key would stop
  # the start); fsync off: a test cluster is never worth a crash-safe disk flush per commit.
  local conf="/etc/postgresql/$v/main/conf.d/chapterdesk-tests.conf"
  local want
  want="# Written by ChapterDesk's .ci/postgres.sh: a loopback-only, throw-away test server.
listen_addresses = '127.0.0.1'
port = $CHAPTERDESK_PG_PORT
ssl = off
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off"
  local changed=0
  if [ "$(as_root cat "$conf" 2>/dev/null)" != "$want" ]; then
    printf '%s\n' "$want" | as_root tee "$conf" >/dev/null
    changed=1
  fi

  # No systemd on a CI container: the socket folder under /run may be missing after a reboot.
  as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql

  if as_root pg_ctlcluster "$v" main status >/dev/null 2>&1; then
    if [ "$changed" = 1 ]; then
      echo "restarting PostgreSQL $v (settings changed)"
      as_root pg_ctlcluster "$v" main restart
    fi
  else
    echo "starting PostgreSQL $v"
    as_root pg_ctlcluster "$v" main start
  fi

  # Ready = accepts TCP connections on loopback; pg_ctlcluster usually waits already.
  local i
  for i in $(seq 1 60); do
    if "/usr/lib/postgresql/$v/bin/pg_isready" -q -h 127.0.0.1 -p "$CHAPTERDESK_PG_PORT"; then
      break
    fi
    if [ "$i" = 60 ]; then
      echo "PostgreSQL $v did not become ready on 127.0.0.1:$CHAPTERDESK_PG_PORT" >&2
      as_root tail -n 30 "/var/log/postgresql/postgresql-$v-main.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done

  # The tests' role: logs in with a password over TCP (pg_hba's scram-sha-256 for
  # 127.0.0.1/32) and creates a fresh database per test.
  _pg_psql <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$CHAPTERDESK_PG_ROLE') THEN
    CREATE ROLE $CHAPTERDESK_PG_ROLE LOGIN CREATEDB PASSWORD '$CHAPTERDESK_PG_PASSWORD';
  ELSE
    ALTER ROLE $CHAPTERDESK_PG_ROLE LOGIN CREATEDB PASSWORD '$CHAPTERDESK_PG_PASSWORD';
  END IF;
END
\$\$;
-- DROP DATABASE ... WITH (FORCE) must be able to end an autovacuum worker busy in a test
-- database; those run under no role, so only pg_signal_backend lets a non-superuser end them.
GRANT pg_signal_backend TO $CHAPTERDESK_PG_ROLE;
SQL

  export CHAPTERDESK_TEST_PG_URL="postgresql://$CHAPTERDESK_PG_ROLE:$CHAPTERDESK_PG_PASSWORD@127.0.0.1:$CHAPTERDESK_PG_PORT/postgres"
  echo "PostgreSQL $v ready: CHAPTERDESK_TEST_PG_URL=$CHAPTERDESK_TEST_PG_URL"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  start_test_postgres
  echo "export CHAPTERDESK_TEST_PG_URL=$CHAPTERDESK_TEST_PG_URL"
fi
