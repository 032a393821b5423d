#!/usr/bin/env bash
# The first command: set up, start the host process with the demo tenant, backfill 30
# days of simulated history and publish a first forecast and staffing plan (once), then
# stream live simulated traffic until Ctrl-C. On its first run the demo center is placed in
# a time zone where it is working hours now (kept in .data/demo-timezone), so whoever starts
# it, at whatever hour, sees it busy.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

export SWITCHBOARD_DATA_DIR="${SWITCHBOARD_DATA_DIR:-.data}"
export PORT="${PORT:-3000}" HOST="${HOST:-127.0.0.1}"
export SWITCHBOARD_SEED_DEMO=1 NEXT_TELEMETRY_DISABLED=1
mkdir -p "$SWITCHBOARD_DATA_DIR"
url="http://$HOST:$PORT"
log="$SWITCHBOARD_DATA_DIR/host.log"

pids=()
cleanup() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# Workflows (forecasts, staffing) run on Temporal: the dev server from the CLI setup built,
# its state under the data directory, unless TEMPORAL_ADDRESS points at a cluster.
if [ -z "${TEMPORAL_ADDRESS:-}" ]; then
  temporal_cli="$(bash scripts/temporal-cli.sh)"
  temporal_port="${TEMPORAL_PORT:-7233}" temporal_ui_port="${TEMPORAL_UI_PORT:-8233}"
  echo "==> starting the Temporal dev server (log: $SWITCHBOARD_DATA_DIR/temporal.log)"
  "$temporal_cli" server start-dev --ip 127.0.0.1 --port "$temporal_port" --ui-port "$temporal_ui_port" \
    --db-filename "$SWITCHBOARD_DATA_DIR/temporal.db" --log-level warn >"$SWITCHBOARD_DATA_DIR/temporal.log" 2>&1 &
  temporal_pid=$!
  pids+=("$temporal_pid")
  for _ in $(seq 1 120); do
    if "$temporal_cli" operator cluster health --address "127.0.0.1:$temporal_port" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$temporal_pid" 2>/dev/null; then
      echo "switchboard: the Temporal dev server stopped while starting:" >&2
      tail -n 20 "$SWITCHBOARD_DATA_DIR/temporal.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  export TEMPORAL_ADDRESS="127.0.0.1:$temporal_port" TEMPORAL_UI_URL="http://127.0.0.1:$temporal_ui_port"
fi

marker="$SWITCHBOARD_DATA_DIR/demo-backfill.done"
tz_file="$SWITCHBOARD_DATA_DIR/demo-timezone"
if [ -z "${SWITCHBOARD_DEMO_TIMEZONE:-}" ]; then
  if [ -f "$tz_file" ]; then
    SWITCHBOARD_DEMO_TIMEZONE="$(tr -d '\n' < "$tz_file")"
  elif [ ! -f "$marker" ]; then
    SWITCHBOARD_DEMO_TIMEZONE=auto
  fi
fi
export SWITCHBOARD_DEMO_TIMEZONE

echo "==> starting the host process (log: $log)"
# `node --import tsx` rather than `npx tsx`: one process each, so the pid kept for cleanup
# is the server itself and a SIGTERM to this script (not only Ctrl-C) stops it.
node --import tsx apps/web/server.ts >"$log" 2>&1 &
host_pid=$!
pids+=("$host_pid")
for _ in $(seq 1 240); do
  if curl -fsS "$url/api/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$host_pid" 2>/dev/null; then
    echo "switchboard: the host process stopped while starting:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$url/api/health" >/dev/null || { echo "switchboard: the host did not answer on $url" >&2; exit 1; }

api_key="$(tr -d '\n' < "$SWITCHBOARD_DATA_DIR/demo-api-key")"
export SWITCHBOARD_API_KEY="$api_key"
demo_tz="$(tr -d '\n' < "$tz_file")"
local_now="$(node -e 'console.log(new Date().toLocaleString("en-GB", { timeZone: process.argv[1], weekday: "short", hour: "2-digit", minute: "2-digit" }))' "$demo_tz")"
echo "==> the demo center works in $demo_tz (local time there: $local_now)"

live_from=()
if [ ! -f "$marker" ]; then
  echo "==> backfilling 30 days of simulated history"
  until_ts="$(date -u +%Y-%m-%dT%H:%M:%S.000Z)"
  npx tsx apps/simulator/src/cli.ts backfill --days 30 --until "$until_ts" --url "$url" --timezone "$demo_tz"
  echo "$until_ts" > "$marker"
  # Live traffic starts where the backfill ended and catches up the minutes it took.
  live_from=(--from "$until_ts" --speed 60)
fi

echo "==> starting live simulated traffic"
node --import tsx apps/simulator/src/cli.ts live --url "$url" --timezone "$demo_tz" "${live_from[@]}" >"$SWITCHBOARD_DATA_DIR/simulator.log" 2>&1 &
pids+=("$!")

planned="$SWITCHBOARD_DATA_DIR/demo-planning.done"
if [ ! -f "$planned" ]; then
  echo "==> publishing a first forecast and staffing plan (later ones run daily at 02:00)"
  if node --import tsx scripts/demo-planning.ts --url "$url" --data-dir "$SWITCHBOARD_DATA_DIR"; then
    date -u +%Y-%m-%dT%H:%M:%SZ > "$planned"
  else
    echo "    (the demo runs without it; run a forecast from /planning)"
  fi
fi

users="$(node -e '
  const users = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const u of users) console.log(`      ${(u.login ?? u.role).padEnd(11)} ${u.email.padEnd(34)} ${u.password}`);
' "$SWITCHBOARD_DATA_DIR/demo-users.json")"

cat <<MSG

  Switchboard is running.
    Open:         $url   (sign in as one of the demo users below)
$users
                  (also in $SWITCHBOARD_DATA_DIR/demo-users.json)
    Ingest status: $url/ingest#key=$api_key
    Workflows:    ${TEMPORAL_UI_URL:-Temporal at $TEMPORAL_ADDRESS}   (forecasts run daily at 02:00 and from /planning)
    Demo API key: $api_key   (also in $SWITCHBOARD_DATA_DIR/demo-api-key)
    Send events:  curl -H "authorization: Bearer \$(cat $SWITCHBOARD_DATA_DIR/demo-api-key)" \\
                       -H 'content-type: application/x-ndjson' --data-binary @events.ndjson $url/api/v1/events
    Logs:         $log, $SWITCHBOARD_DATA_DIR/simulator.log
  Press Ctrl-C to stop.

MSG
wait "$host_pid"
