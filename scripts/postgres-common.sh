# Shared by postgres-start.sh and postgres-stop.sh (sourced, not run).

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
default_data_dir="$repo_root/.data/postgres-test"

log() { echo "$(basename "$0" .sh): $*" >&2; }

# Debian keeps initdb and pg_ctl out of PATH, under /usr/lib/postgresql/<version>/bin.
find_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v pg_ctl)"; fi
}

# initdb refuses to run as root: as root, the cluster belongs to the postgres user.
run_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
