#!/usr/bin/env bash
# The second command: static checks, then every test against real chDB, PGlite and a
# real PostgreSQL (started here when TEST_DATABASE_URL is not given).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "==> static checks"
npx tsx scripts/check-dependencies.ts
npx tsx scripts/check-sql.ts
npx tsx packages/contracts/scripts/generate-docs.ts --check
npx tsx packages/kpis/scripts/generate-docs.ts --check
npx prettier --check . --log-level warn || { echo 'formatting differs: run npm run format' >&2; exit 1; }
# Typed linting holds every workspace's TypeScript program at once: more than Node's default heap.
NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=8192" npx eslint . --max-warnings=0
npx knip --no-progress
npx turbo run typecheck --output-logs=errors-only

started_pg=0
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "==> starting a PostgreSQL for the tests"
  # Any free port: a PostgreSQL of another checkout may hold the default one.
  pg_port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  pg_out="$(bash scripts/postgres-start.sh .data/postgres-test "$pg_port")"
  export TEST_DATABASE_URL="$(printf '%s\n' "$pg_out" | sed -n 's/^TEST_DATABASE_URL=//p' | tail -n1)"
  [ -n "$TEST_DATABASE_URL" ] || { echo "could not start PostgreSQL:"; echo "$pg_out"; exit 1; } >&2
  started_pg=1
fi
cleanup() { [ "$started_pg" = 1 ] && bash scripts/postgres-stop.sh >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "==> tests"
mkdir -p test-results
rm -rf test-results/faults
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
# The fault suite's fast tier ran with the rest (tests/faults): its figures, as one JSON line.
npx tsx tests/faults/run.ts --summary || true
exit "$status"
