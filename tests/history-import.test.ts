import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocalDays, localDateOf, localDays, weekdayOf } from '@switchboard/calendar';
import { and, eq } from 'drizzle-orm';
import { schema } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { getForecastWithActuals, listForecastVersions } from '@switchboard/telemetry';
import { createMathPool, createPlanningWorker, PLANNING_TASK_QUEUE, type ForecastWorkflowResult, type MathPool } from '@switchboard/workflows';
import { runAdmin } from './support/admin-cli.ts';
import { startTestHost, tempDataDir, type TestHost } from './support/host.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * A new center brings eight weeks of half-hourly history from its previous system: the
 * operator imports it with `npm run -s admin -- history import` (first with no host, then
 * through the running one), and the first forecast, with no live data at all, follows it.
 */

const dataDir = tempDataDir('history');
const TIMEZONE = 'Europe/London';
const START_DATE = '2026-11-30'; // a Monday
const FIRST_DATE = addLocalDays(START_DATE, -8 * 7); // 2026-10-05: the history spans the October clock change
const queue = demoCenter.queues[0]!;
const AHT_S = 280;
/** Monday to Friday; the center is closed at weekends. */
const weekdayFactor = [0, 1.3, 1.1, 1, 1, 0.9, 0];

let env: TestWorkflowEnvironment;
let t: TestHost | undefined;
let math: MathPool | undefined;
let tenant: { id: string; slug: string; email: string; password: string };

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
}, 180_000);

afterAll(async () => {
  await math?.close();
  await t?.stop();
  await env?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

const admin = (...args: string[]) => runAdmin(dataDir, ...args);

const pad = (n: number) => String(n).padStart(2, '0');

/** Half-hour rows 08:00–17:30 local on open days: a midday peak, the weekday's factor and a fixed ripple. */
function history(scale = 1): { csv: string; offeredByDate: Map<string, number> } {
  const lines = ['interval_start,queue,offered,answered,abandoned,aht_s'];
  const offeredByDate = new Map<string, number>();
  for (let d = 0; d < 8 * 7; d++) {
    const date = addLocalDays(FIRST_DATE, d);
    const factor = weekdayFactor[weekdayOf(date)]!;
    if (factor === 0) continue;
    for (let half = 16; half < 36; half++) {
      const offered = Math.round(scale * factor * (20 + 10 * Math.sin((Math.PI * (half - 16)) / 20)) * (1 + 0.1 * Math.sin(d * 7 + half * 3)));
      const abandoned = Math.round(offered * 0.05);
      lines.push(`${date} ${pad(Math.floor(half / 2))}:${pad((half % 2) * 30)},${queue.id},${offered},${offered - abandoned},${abandoned},${AHT_S}`);
      offeredByDate.set(date, (offeredByDate.get(date) ?? 0) + offered);
    }
  }
  return { csv: `${lines.join('\n')}\n`, offeredByDate };
}

function writeFile(name: string, text: string): string {
  const file = path.join(dataDir, name);
  writeFileSync(file, text);
  return file;
}

const { csv, offeredByDate } = history();
const totalOffered = [...offeredByDate.values()].reduce((a, b) => a + b, 0);
const STORED_INTERVALS = 8 * 5 * 20 * 2;

describe('importing history', () => {
  it('with no host running: refuses a file with problems and dry-runs a good one, storing nothing', async () => {
    const created = await admin('tenant', 'create', '--name', 'History Care', '--time-zone', TIMEZONE, '--admin-email', 'hi@history.test', '--json');
    expect(created.code, created.stderr).toBe(0);
    const body = JSON.parse(created.stdout) as { tenant: { id: string; slug: string }; admin: { email: string; password: string } };
    tenant = { id: body.tenant.id, slug: body.tenant.slug, ...body.admin };
    const config = writeFile('center.json', JSON.stringify({ ...demoCenter, timezone: TIMEZONE }));
    expect((await admin('config', 'import', '--tenant', tenant.slug, config)).code).toBe(0);

    const bad = writeFile(
      'bad.csv',
      [
        'interval_start,queue,offered,answered,abandoned,aht_s',
        `2026-11-02 09:00,${queue.id},10,8,2,300`,
        `2026-11-02 09:30,no-such-queue,10,8,2,300`,
        `2026-11-02 10:00,${queue.id},10,9,2,300`,
        `2026-03-29 01:30,${queue.id},10,8,2,300`,
      ].join('\n'),
    );
    const refused = await admin('history', 'import', '--tenant', tenant.slug, bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the import was refused: 3 problem(s), nothing was stored');
    expect(refused.stderr).toContain('bad.csv, row 3, queue: unknown queue "no-such-queue"');
    expect(refused.stderr).toContain('bad.csv, row 4, offered: answered + abandoned (11) is more than offered (10)');
    expect(refused.stderr).toContain('bad.csv, row 5, interval_start: 2026-03-29 01:30 does not exist in Europe/London');

    const dry = await admin('history', 'import', '--tenant', tenant.slug, '--dry-run', writeFile('history.csv', csv));
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`${queue.id}\\s+30 min\\s+800\\s+2026-10-05\\s+2026-11-27\\s+${totalOffered}\\n`));
    expect(dry.stdout).toContain('dry run: nothing was stored (dates in Europe/London');
  });

  it('through the running host: stores the history, and importing it again replaces it', async () => {
    t = await startTestHost({ SWITCHBOARD_DATA_DIR: dataDir });
    const stored = async () => {
      const result = await t!.host.telemetry.client.query({
        query: `SELECT count() AS n, sum(offered) AS offered, sum(handle_ms_sum) / sum(answered) AS aht_ms
                  FROM imported_queue_interval_15m FINAL WHERE tenant_id = {tenantId:String}`,
        query_params: { tenantId: tenant.id },
        format: 'JSONEachRow',
      });
      const [row] = await result.json<{ n: string; offered: number; aht_ms: number }>();
      return { n: Number(row!.n), offered: row!.offered, aht_ms: row!.aht_ms };
    };
    // The refused import and the dry run left nothing.
    expect((await stored()).n).toBe(0);

    const first = await admin('history', 'import', '--tenant', tenant.slug, writeFile('half.csv', history(0.5).csv));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`stored ${STORED_INTERVALS} 15-minute intervals`);
    const again = await admin('history', 'import', '--tenant', tenant.slug, path.join(dataDir, 'history.csv'));
    expect(again.code, again.stderr).toBe(0);
    const after = await stored();
    expect(after.n).toBe(STORED_INTERVALS);
    expect(after.offered).toBeCloseTo(totalOffered, 6);
    expect(after.aht_ms).toBeCloseTo(AHT_S * 1000, 6);
    // Each import is in the tenant's audit trail, by the id its rows carry; the dry run and the refusal are not.
    const audited = await t!.host.db.db
      .select({ objectId: schema.auditLog.objectId })
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.tenantId, tenant.id), eq(schema.auditLog.action, 'history.import')));
    expect(audited).toHaveLength(2);
  });

  it('gives the first forecast a level that follows the imported weekdays', async () => {
    math = createMathPool({ threads: 1 });
    const taskQueue = `${PLANNING_TASK_QUEUE}-${randomUUID().slice(0, 8)}`;
    const worker = await createPlanningWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      deps: { telemetry: t!.host.telemetry.client, db: t!.host.db.db, math, now: () => new Date(`${START_DATE}T00:00:00Z`) },
      taskQueue,
    });
    const handle = await env.client.workflow.start('forecastWorkflow', {
      taskQueue,
      workflowId: `forecast:${tenant.id}:${START_DATE}`,
      args: [{ tenantId: tenant.id, startDate: START_DATE, horizonDays: 7, trigger: 'manual' }],
    });
    const result = (await worker.runUntil(handle.result())) as ForecastWorkflowResult;
    expect(result.series.find((s) => s.queueId === queue.id)?.written).toBe(true);
    expect((await listForecastVersions(t!.host.telemetry.client, tenant.id)).map((v) => v.version_id)).toEqual([result.versionId]);

    const week = localDays(START_DATE, 7, TIMEZONE);
    const rows = await getForecastWithActuals(t!.host.telemetry.client, {
      tenantId: tenant.id,
      versionId: result.versionId,
      queueId: queue.id,
      ...week,
      now: week.from,
    });
    const forecastByDate = new Map<string, number>();
    for (const r of rows) {
      const date = localDateOf(new Date(r.interval_start), TIMEZONE);
      forecastByDate.set(date, (forecastByDate.get(date) ?? 0) + r.volume);
    }
    for (let d = 0; d < 7; d++) {
      const date = addLocalDays(START_DATE, d);
      const sameWeekday = [...offeredByDate].filter(([day]) => weekdayOf(day) === weekdayOf(date)).map(([, n]) => n);
      const mean = sameWeekday.length > 0 ? sameWeekday.reduce((a, b) => a + b, 0) / sameWeekday.length : 0;
      const forecast = forecastByDate.get(date) ?? 0;
      if (mean === 0) expect(forecast, date).toBeLessThan(1);
      else expect(Math.abs(forecast / mean - 1), `${date}: forecast ${forecast.toFixed(1)}, imported mean ${mean.toFixed(1)}`).toBeLessThan(0.15);
    }
    // Handle time comes from the import too.
    const busy = rows.filter((r) => r.volume > 1);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((r) => Math.abs(r.aht_s - AHT_S) < 1)).toBe(true);
  });

  it('shows imported days in the queue report, marked by their imported intervals', async () => {
    const signedIn = await fetch(`${t!.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t!.url },
      body: JSON.stringify({ email: tenant.email, password: tenant.password }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const input = { from: '2026-11-23', to: '2026-11-29', grain: 'day', dimension: 'queue', compare: false };
    const res = await fetch(`${t!.url}/api/trpc/reports.run?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie } });
    expect(res.status, await res.clone().text()).toBe(200);
    const report = ((await res.json()) as { result: { data: ReportData } }).result.data;
    const weekOffered = [...offeredByDate].filter(([day]) => day >= '2026-11-23').reduce((s, [, n]) => s + n, 0);
    expect(report.rows).toEqual([expect.objectContaining({ key: queue.id, importedIntervals: 5 * 40 })]);
    expect(report.rows[0]!.kpis.offered).toBeCloseTo(weekOffered, 6);
    // No live waits behind imported contacts: service level stays empty rather than 0%.
    expect(report.rows[0]!.kpis.service_level).toBeNull();
    expect(report.series.map((p) => p.importedIntervals ?? 0)).toEqual([40, 40, 40, 40, 40, 0, 0]);
  });
});

interface ReportData {
  rows: { key: string; kpis: Record<string, number | null>; importedIntervals?: number }[];
  series: { bucket: string; importedIntervals?: number }[];
}
