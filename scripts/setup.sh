#!/usr/bin/env bash
# Installs what Switchboard needs from a fresh clone, offline-safe: npm packages from the
# lockfile and the web build. Re-running it is cheap: each step is skipped when done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_node="20.19.0"
have_node="$(node -p 'process.versions.node' 2>/dev/null || echo 0)"
if ! node -e "const [a,b]=process.argv[1].split('.').map(Number),[c,d]=process.argv[2].split('.').map(Number);process.exit(a>c||(a===c&&b>=d)?0:1)" "$have_node" "$need_node"; then
  echo "switchboard: Node.js >= $need_node is required (found $have_node). Install it, then run this again." >&2
  exit 1
fi

export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1

# npm ci only when the lockfile changed since the last install.
stamp=node_modules/.switchboard-lock-hash
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "==> installing npm packages (first time: a few minutes, chDB alone is ~560 MB)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi

echo "==> building the web app"
npx turbo run build --filter=@switchboard/web --output-logs=errors-only

echo "==> Temporal CLI: $(bash scripts/temporal-cli.sh)"
