#!/usr/bin/env bash
# Debian packages the test suite uses: PostgreSQL (a real server beside PGlite), curl, sqlite3
# (npm run backup copies the Temporal dev server's SQLite file with it), and Chromium for the
# browser tests (playwright-core drives it; no browser is downloaded).
set -euo pipefail
missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v curl >/dev/null || missing+=(curl)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "switchboard: install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
