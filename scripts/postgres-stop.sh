#!/usr/bin/env bash
# Stops the test PostgreSQL started by postgres-start.sh; its data stays for the next start.
#   scripts/postgres-stop.sh [data-dir]   (default: .data/postgres-test)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/postgres-common.sh"

data_dir=${1:-$default_data_dir}
if [ ! -f "$data_dir/PG_VERSION" ]; then
  log "no cluster in $data_dir"
  exit 0
fi
bin_dir=$(find_bin_dir)
[ -n "$bin_dir" ] || { log "pg_ctl not found"; exit 1; }
if run_as_owner "$bin_dir/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
  run_as_owner "$bin_dir/pg_ctl" -D "$data_dir" -m fast -w stop >&2
else
  log "not running ($data_dir)"
fi
