/**
 * npm run -s check:rollups -- [--tenant ID|SLUG] [--from ISO --to ISO]
 * npm run -s repair:rollups -- (same options)
 *
 * Compares every rollup with the raw events over the window (UTC instants; default the
 * last 24 hours, all tenants) and prints one line per mismatching interval — tenant,
 * rollup, interval, raw figures, rollup figures — then a summary; `repair` rebuilds those
 * intervals from raw events. Exit code 1 when mismatches remain, 2 for bad options.
 * Through the running host when there is one; otherwise it opens the stores itself.
 */
import { parseArgs } from 'node:util';
import {
  callOperator,
  clickhouseMigrations,
  DataDirLockedError,
  loadHostEnv,
  lockDataDir,
  resolveTenant,
  RollupWindow,
  runRollupCommand,
  toScope,
  type RollupReport,
} from '@switchboard/host';
import { createDb, withAdvisoryLocks } from '@switchboard/db';
import { createTelemetryStore, formatMismatch, migrateTelemetry, RollupBuilder } from '@switchboard/telemetry';

const [command, ...rest] = process.argv.slice(2);

function fail(message: string, code: number): never {
  console.error(`${command ?? 'rollups'}: ${message}`);
  process.exit(code);
}

async function viaHost(dataDir: string, window: RollupWindow): Promise<RollupReport | undefined> {
  const answer = await callOperator(dataDir, `rollups/${command}`, window);
  if (!answer) return undefined;
  if (answer.status !== 200) fail(String(answer.body.message ?? `the host answered ${answer.status}`), answer.status === 404 || answer.status === 400 ? 2 : 1);
  return answer.body as unknown as RollupReport;
}

async function direct(window: RollupWindow): Promise<RollupReport> {
  const env = loadHostEnv();
  // The stores belong to one process: take the host's lock so no host starts meanwhile.
  const release = env.embedded ? lockDataDir(env.dataDir) : () => undefined;
  const telemetry = createTelemetryStore({ url: env.CLICKHOUSE_URL, dataDir: env.dataDir });
  const db = window.tenant || !env.embedded ? await createDb({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir }) : undefined;
  try {
    const tenantId = window.tenant ? (await resolveTenant(db!.db, window.tenant))?.id : undefined;
    if (window.tenant && !tenantId) fail(`no tenant ${window.tenant}`, 2);
    const rollups = new RollupBuilder({
      client: telemetry.client,
      instance: 'operator',
      // Beside running hosts (servers), take the same per-tenant turns as their builders.
      lock: env.embedded
        ? undefined
        : (tenants, fn) =>
            withAdvisoryLocks(
              db!.db,
              tenants.map((t) => `rollups:${t}`),
              fn,
            ),
      log: (line) => console.error(line),
    });
    await migrateTelemetry(telemetry.client, clickhouseMigrations);
    await rollups.loadQuarantine();
    const report = await runRollupCommand(rollups, command as 'check' | 'repair', toScope(window, tenantId));
    await rollups.stop();
    return report;
  } finally {
    await telemetry.close();
    await db?.close();
    release();
  }
}

async function main(): Promise<void> {
  if (command !== 'check' && command !== 'repair') fail('usage: rollups.ts check|repair [--tenant ID|SLUG] [--from ISO --to ISO]', 2);
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: { tenant: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } }));
  } catch (error) {
    fail((error as Error).message, 2);
  }
  const now = Date.now();
  const parsed = RollupWindow.safeParse({
    tenant: values.tenant,
    from: values.from ?? new Date(now - 86_400_000).toISOString(),
    to: values.to ?? new Date(now).toISOString(),
  });
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '), 2);
  const window = parsed.data;
  const env = loadHostEnv();
  let report: RollupReport | undefined;
  try {
    report = (env.embedded ? await viaHost(env.dataDir, window) : undefined) ?? (await direct(window));
  } catch (error) {
    if (error instanceof DataDirLockedError) fail(`${error.message} (its operator address in operator.json did not answer)`, 1);
    throw error;
  }
  for (const m of report.mismatches) console.log(formatMismatch(m));
  const scope = `${window.tenant ? `tenant ${window.tenant}` : 'all tenants'}, ${window.from} – ${window.to}`;
  const remaining = report.remaining ?? report.mismatches;
  if (command === 'check') {
    console.log(`${report.mismatches.length === 0 ? 'ok' : 'MISMATCH'}: ${report.mismatches.length} rollup intervals differ from the raw events (${scope})`);
  } else {
    console.log(`repaired ${report.mismatches.length} rollup intervals; ${remaining.length} still differ (${scope})`);
  }
  for (const q of report.quarantined) console.log(`QUARANTINED\t${q.tenant_id}\t${q.interval_start}\t${q.error}`);
  if (report.quarantined.length > 0) {
    console.log(`${report.quarantined.length} intervals stay quarantined: the store refuses to compute them (fix the cause, then run repair:rollups again)`);
  }
  process.exit(remaining.length > 0 || report.quarantined.length > 0 ? 1 : 0);
}

await main();
