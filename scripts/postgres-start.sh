#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the test suite on 127.0.0.1 and prints the line to eval:
#   eval "$(scripts/postgres-start.sh [data-dir] [port])"   (defaults: .data/postgres-test, 54329)
# Idempotent: installs Debian's postgresql when its server binaries are missing, creates the
# cluster and the database once, and leaves a running server alone.
# Test-only settings (trust auth on loopback, fsync off): never point it at real data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/postgres-common.sh"

data_dir=${1:-$default_data_dir}
port=${2:-54329}
database=switchboard_test
superuser=postgres
# The tests connect as an ordinary user, as the product would: not a superuser, no BYPASSRLS,
# CREATEROLE so migrations can create the app role (migrations/postgres/0002), CREATEDB for
# the tests that migrate a fresh database.
app_user=switchboard

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

bin_dir=$(find_bin_dir)
if [ -z "$bin_dir" ]; then
  log "installing postgresql (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  bin_dir=$(find_bin_dir)
  [ -n "$bin_dir" ] || { log "postgresql is installed but initdb/pg_ctl were not found"; exit 1; }
fi

mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { log "as root this needs the 'postgres' user (apt-get install postgresql creates it)"; exit 1; }
  chown postgres: "$data_dir"
  run_as_owner test -w "$data_dir" || { log "user postgres cannot reach $data_dir; pass a directory it can, e.g. /tmp/switchboard-postgres-test"; exit 1; }
fi
chmod 700 "$data_dir"

if [ ! -f "$data_dir/PG_VERSION" ]; then
  log "creating a cluster in $data_dir"
  run_as_owner "$bin_dir/initdb" -D "$data_dir" -U "$superuser" --auth=trust --encoding=UTF8 --no-locale --no-sync >&2
fi

if run_as_owner "$bin_dir/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
  # Line 4 of postmaster.pid is the port the running server listens on.
  port=$(sed -n 4p "$data_dir/postmaster.pid")
  log "already running in $data_dir on port $port"
else
  # TCP on loopback only; no unix socket, whose path would depend on the data dir's length.
  run_as_owner "$bin_dir/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { log "start failed; the end of $data_dir/server.log:"; tail -n 20 "$data_dir/server.log" >&2 || true; exit 1; }
fi

connect=(-h 127.0.0.1 -p "$port" -U "$superuser")
psql_admin() { "$bin_dir/psql" "${connect[@]}" -d postgres -tA -v ON_ERROR_STOP=1 -c "$1"; }
[ -n "$(psql_admin "select 1 from pg_roles where rolname = '$app_user'")" ] ||
  psql_admin "create role $app_user login createrole createdb nosuperuser nobypassrls" >/dev/null
owner=$(psql_admin "select pg_get_userbyid(datdba) from pg_database where datname = '$database'")
if [ -n "$owner" ] && [ "$owner" != "$app_user" ]; then
  # A database from before the tests ran as $app_user: its tables belong to the superuser.
  log "recreating $database, owned by $owner, for $app_user"
  "$bin_dir/dropdb" "${connect[@]}" "$database"
  owner=
fi
[ -n "$owner" ] || "$bin_dir/createdb" "${connect[@]}" -O "$app_user" "$database"

# Two lines: `eval` sets and exports it; scripts/test.sh reads the first with sed.
echo "TEST_DATABASE_URL=postgres://$app_user@127.0.0.1:$port/$database"
echo "export TEST_DATABASE_URL"
