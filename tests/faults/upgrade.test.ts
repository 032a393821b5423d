import { execFile, execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompressSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localDayStartOf } from '@switchboard/calendar';
import { validateEvent, type TelemetryEvent } from '@switchboard/contracts';
import { createDb } from '@switchboard/db';
import { createTelemetryStore, queryRows, UInt64 } from '@switchboard/telemetry';
import { callApi, cookieOf, signIn } from '../support/api-client.ts';
import { post, postAll, sampleInteraction, ndjson, waitForRollups } from '../support/events.ts';
import { recordFaultFigures, type FaultFigures } from '../support/faults.ts';
import { repoRoot, tempDataDir } from '../support/host.ts';
import { differingCells, expectedRollups, storedRollups } from '../support/rollup-oracle.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from '../support/spawn-host.ts';

/**
 * Upgrades (issue 17, backup and restore): today's host started on a data directory an older commit made
 * (tests/fixtures/upgrade: how it was made, and what it holds, is in its README). It must migrate both stores to today's
 * latest, keep every event exactly once with the figures the old version reported, keep its people, API key and
 * configuration, take new events, start again without migrating anything — and refuse a directory a newer version
 * migrated rather than run on a schema it does not know.
 */
const FIXTURE = '2ccbec0';
const fixtureDir = path.join(repoRoot, 'tests/fixtures/upgrade');
const Kpis = z.record(z.string(), z.number().nullable());
const Expected = z.object({
  commit: z.string(),
  window: z.object({ from: z.string(), to: z.string(), timezone: z.string() }),
  users: z.array(z.object({ role: z.string(), email: z.string() })),
  events: z.object({ total: z.number(), batch_size: z.number(), key_prefix: z.string() }),
  config: z.object({
    alert_rule: z.object({ id: z.string(), queueId: z.string(), metric: z.string(), comparator: z.string(), threshold: z.number(), severity: z.string() }),
    special_day: z.object({ id: z.string(), date: z.string(), label: z.string(), effect: z.string(), multiplier: z.number() }),
    override: z.object({
      id: z.string(),
      queueId: z.string(),
      fromDate: z.string(),
      toDate: z.string(),
      kind: z.string(),
      value: z.number(),
      label: z.string(),
    }),
    staffing_settings: z.object({ queueId: z.string(), shrinkage: z.number(), maxOccupancy: z.number(), patienceS: z.number(), plannedAhtS: z.number() }),
    queue_key: z.string(),
    alert_rules_total: z.number(),
  }),
  report_days: z.object({ from: z.string(), to: z.string() }),
  report_by_queue: z.object({ total: Kpis, rows: z.record(z.string(), Kpis) }),
  report_by_agent_total: Kpis,
  bots_total: Kpis,
  drill_handled_total: z.number(),
  planning: z.object({
    forecast_version_id: z.string(),
    staffing_version_id: z.string(),
    input: z.object({ queueKey: z.string(), date: z.string(), days: z.number() }),
    forecast_intervals: z.number(),
    forecast_volume_sum: z.number(),
    staffing_intervals: z.number(),
    staffing_required_fte_sum: z.number(),
  }),
});
const expected = Expected.parse(JSON.parse(readFileSync(path.join(fixtureDir, `${FIXTURE}.json`), 'utf8')));

/** Today's migrations: the ClickHouse files and the Postgres journal's entries. */
const clickhouseMigrations = readdirSync(path.join(repoRoot, 'migrations/clickhouse'))
  .filter((f) => f.endsWith('.sql'))
  .sort();
const postgresJournal = z
  .object({ entries: z.array(z.object({ when: z.number() })) })
  .parse(JSON.parse(readFileSync(path.join(repoRoot, 'migrations/postgres/meta/_journal.json'), 'utf8'))).entries;

const work = tempDataDir('faults-upgrade');
const dataDir = path.join(work, 'data');
const hosts: SpawnedHost[] = [];
afterAll(() => {
  for (const h of hosts) h.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});
const run = promisify(execFile);
const seconds = (ms: number) => Math.round(ms / 10) / 100;

/** Today's host on `dir`, without the demo seed: whatever works, works from what the old version stored. */
async function startToday(dir: string, port: number): Promise<{ host: SpawnedHost; ms: number }> {
  const started = performance.now();
  const host = spawnHost(dir, port, { SWITCHBOARD_SEED_DEMO: '0' });
  hosts.push(host);
  await waitReady(host, 120_000);
  return { host, ms: performance.now() - started };
}

/** Every KPI the old version reported, as today's code reports it. */
function expectSameKpis(got: Record<string, unknown>, want: Record<string, number | null>, what: string) {
  for (const [kpi, value] of Object.entries(want)) {
    if (value === null) expect(got[kpi], `${what}: ${kpi}`).toBeNull();
    else expect(got[kpi], `${what}: ${kpi}`).toBeCloseTo(value, 9);
  }
}

/** What the upgrade measured, recorded with the refusals' times by the test after it. */
let upgraded: (Partial<FaultFigures> & { extra: Record<string, unknown> }) | undefined;

describe('an older data directory under today’s code', () => {
  it(`migrates the data of ${FIXTURE}, keeps every event once with the old figures, its people, key and configuration`, { timeout: 180_000 }, async () => {
    // Raw events expire after the default retention of 400 days (ClickHouse 0017), so the fixture does too.
    const ageDays = (Date.now() - Date.parse(expected.window.from)) / 86_400_000;
    expect(ageDays, 'the fixture’s events are near the 400-day retention: make a new fixture (tests/fixtures/upgrade/README.md)').toBeLessThan(390);

    execFileSync('tar', ['-x', '-f', '-', '-C', work], { input: brotliDecompressSync(readFileSync(path.join(fixtureDir, `${FIXTURE}.tar.br`))) });
    // The old version's events are valid under today's contract.
    const fixtureEvents = readFileSync(path.join(work, 'events.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line, i) => {
        const checked = validateEvent(JSON.parse(line));
        if (!checked.ok) throw new Error(`fixture event ${i}: ${checked.message}`);
        return checked.event;
      });
    expect(fixtureEvents.length).toBe(expected.events.total);

    const port = await freePort();
    const first = await startToday(dataDir, port);
    const url = first.host.url;
    expect(first.host.output()).toContain('clickhouse: applied');

    // People sign in with the passwords the old version set; each keeps their role.
    const users = z
      .array(z.object({ role: z.string(), email: z.string(), password: z.string() }))
      .parse(JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')));
    expect(users.map((u) => u.email)).toEqual(expected.users.map((u) => u.email));
    const cookies = new Map<string, string>();
    for (const user of users) {
      const res = await signIn(url, user.email, user.password);
      expect(res.status, user.email).toBe(200);
      cookies.set(user.role, cookieOf(res));
      expect(((await callApi(url, cookieOf(res), 'session.me')).data as { role: string }).role).toBe(user.role);
    }
    const supervisor = cookies.get('supervisor')!;
    const planner = cookies.get('planner')!;

    // The figures the old version reported over its events, through today's report paths.
    const reportInput = { ...expected.report_days, grain: 'day', compare: false };
    const Report = z.object({ total: z.object({ kpis: Kpis }), rows: z.array(z.object({ key: z.string(), kpis: Kpis })) });
    const checkReports = async () => {
      const byQueue = Report.parse((await callApi(url, supervisor, 'reports.run', { ...reportInput, dimension: 'queue' }, { query: true })).data);
      expectSameKpis(byQueue.total.kpis, expected.report_by_queue.total, 'report by queue');
      for (const [key, kpis] of Object.entries(expected.report_by_queue.rows)) {
        expectSameKpis(byQueue.rows.find((r) => r.key === key)?.kpis ?? {}, kpis, `report row ${key}`);
      }
      const byAgent = Report.parse((await callApi(url, supervisor, 'reports.run', { ...reportInput, dimension: 'agent' }, { query: true })).data);
      expectSameKpis(byAgent.total.kpis, expected.report_by_agent_total, 'report by agent');
      const bots = z
        .object({ total: z.record(z.string(), z.unknown()) })
        .parse((await callApi(url, supervisor, 'reports.bots', { ...expected.report_days, grain: 'day' }, { query: true })).data);
      expectSameKpis(bots.total, expected.bots_total, 'bots report');
      const drill = z
        .object({ total: z.number() })
        .parse(
          (
            await callApi(
              url,
              supervisor,
              'reports.drill',
              { from: expected.window.from, to: expected.window.to, metric: 'handled', dimension: 'queue' },
              { query: true },
            )
          ).data,
        );
      expect(drill.total, 'drill-down of handled').toBe(expected.drill_handled_total);
      return byQueue.total.kpis;
    };
    await checkReports();

    // Postgres configuration: the alert rule became one condition (Postgres 0016), planning inputs as saved.
    const config = expected.config;
    const rules = z
      .array(
        z.object({
          id: z.string(),
          queueId: z.string().nullable(),
          severity: z.string(),
          conditions: z.array(z.object({ metric: z.string(), comparator: z.string(), threshold: z.number(), clearThreshold: z.number() })),
        }),
      )
      .parse((await callApi(url, supervisor, 'wallboard.alertRules.list')).data);
    expect(rules).toHaveLength(config.alert_rules_total);
    const { alert_rule: rule } = config;
    expect(rules.find((r) => r.id === rule.id)).toEqual({
      id: rule.id,
      queueId: rule.queueId,
      severity: rule.severity,
      conditions: [{ metric: rule.metric, comparator: rule.comparator, threshold: rule.threshold, clearThreshold: rule.threshold }],
    });
    const specialDays = z.array(z.object({ id: z.string() }).loose()).parse((await callApi(url, planner, 'planning.specialDays.list')).data);
    expect(specialDays.find((d) => d.id === config.special_day.id)).toMatchObject(config.special_day);
    const overrides = z.array(z.object({ id: z.string() }).loose()).parse((await callApi(url, planner, 'planning.overrides.list', {}, { query: true })).data);
    expect(overrides.find((o) => o.id === config.override.id)).toMatchObject(config.override);
    const settings = z.array(z.object({ queueId: z.string() }).loose()).parse((await callApi(url, planner, 'planning.settings.list')).data);
    expect(settings.find((s) => s.queueId === config.staffing_settings.queueId)).toMatchObject(config.staffing_settings);

    // The forecast and staffing versions the old workflows published (ClickHouse 0014 added to their tables).
    const plan = expected.planning;
    const overview = z
      .object({ versions: z.array(z.object({ version_id: z.string() })), staffingVersions: z.array(z.object({ version_id: z.string() })) })
      .parse((await callApi(url, planner, 'planning.overview')).data);
    expect(overview.versions.map((v) => v.version_id)).toContain(plan.forecast_version_id);
    expect(overview.staffingVersions.map((v) => v.version_id)).toContain(plan.staffing_version_id);
    const forecast = z
      .object({ intervals: z.array(z.object({ volume: z.number() })) })
      .parse((await callApi(url, planner, 'planning.forecast', { ...plan.input, versionId: plan.forecast_version_id }, { query: true })).data).intervals;
    expect(forecast).toHaveLength(plan.forecast_intervals);
    expect(forecast.reduce((n, i) => n + i.volume, 0)).toBeCloseTo(plan.forecast_volume_sum, 6);
    const staffing = z
      .object({ intervals: z.array(z.object({ required_fte: z.number() })) })
      .parse((await callApi(url, planner, 'planning.staffing', { ...plan.input, versionId: plan.staffing_version_id }, { query: true })).data).intervals;
    expect(staffing).toHaveLength(plan.staffing_intervals);
    expect(staffing.reduce((n, i) => n + i.required_fte, 0)).toBeCloseTo(plan.staffing_required_fte_sum, 6);

    // The old API key ingests new events, which the wallboard counts today.
    const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
    const at = Date.now() - 300_000;
    const newEvents = Array.from({ length: 5 }, (_, i) => sampleInteraction(new Date(at + i * 1_000), { queue_id: config.queue_key })).flat();
    await postAll(url, apiKey, newEvents);
    // A client retrying an old batch across the upgrade: a replay inside the idempotency window (24 h), stored again
    // and collapsed on event_id after it, refused as too late past the horizon (45 days). No query path may change.
    const oldBatch = fixtureEvents.slice(0, expected.events.batch_size);
    const resent = await post(url, apiKey, ndjson(oldBatch), { 'idempotency-key': `${expected.events.key_prefix}0` });
    expect([200, 207]).toContain(resent.status);
    const resentAnswer = z.object({ accepted: z.number(), replayed: z.boolean() }).parse(await resent.json());
    await waitForRollups(url);
    const reported = await checkReports();
    const dayStart = localDayStartOf(new Date(), expected.window.timezone).getTime();
    const wallboard = z
      .object({ queues: z.array(z.object({ today: z.object({ offered: z.number() }) })) })
      .parse((await callApi(url, supervisor, 'wallboard.snapshot')).data);
    const offeredToday = newEvents.filter((e) => e.type === 'interaction.offered' && Date.parse(e.occurred_at) >= dayStart).length;
    expect(wallboard.queues.reduce((n, q) => n + q.today.offered, 0)).toBe(offeredToday);

    await stopHost(first.host);
    expect(await first.host.exited).toBe(0);

    // Started again: nothing left to migrate.
    const second = await startToday(dataDir, port);
    expect(second.host.output()).not.toContain('clickhouse: applied');
    expect((await signIn(url, users[0]!.email, users[0]!.password)).status).toBe(200);
    await stopHost(second.host);
    expect(await second.host.exited).toBe(0);
    // Copies for the next test, taken before this process opens the stores (chDB then keeps its lock until exit). A host
    // reaches Postgres only once ClickHouse is migrated, so the ClickHouse one needs no Postgres.
    const copy = { recursive: true, verbatimSymlinks: true };
    cpSync(path.join(dataDir, 'clickhouse'), path.join(work, 'newer-clickhouse', 'clickhouse'), copy);
    cpSync(dataDir, path.join(work, 'newer-postgres'), copy);

    // Both stores' bookkeeping at today's latest, each migration once.
    const db = await createDb({ dataDir });
    const store = createTelemetryStore({ dataDir });
    try {
      const pg = await db.db.execute<{ n: number; newest: string }>(
        sql`select count(*)::int as n, max(created_at)::text as newest from drizzle.__drizzle_migrations`,
      );
      expect(pg.rows[0]).toEqual({ n: postgresJournal.length, newest: String(postgresJournal.at(-1)!.when) });
      const applied = await queryRows(store.client, z.object({ name: z.string() }), 'SELECT name FROM schema_migrations ORDER BY name', {});
      expect(applied.map((r) => r.name)).toEqual(clickhouseMigrations);

      // Raw: every event sent once, nothing else; the re-sent old batch (stored again only past the window) collapses on event_id.
      const sent = [...fixtureEvents, ...newEvents];
      const [tenant] = await queryRows(store.client, z.object({ tenant: z.string() }), 'SELECT any(tenant_id) AS tenant FROM events', {});
      const stored = new Set(
        (
          await queryRows(store.client, z.object({ id: z.string() }), 'SELECT DISTINCT event_id AS id FROM events WHERE tenant_id = {tenant:String}', tenant!)
        ).map((r) => r.id),
      );
      const sentIds = new Set(sent.map((e) => e.event_id));
      const lost = [...sentIds].filter((id) => !stored.has(id)).length;
      const phantoms = [...stored].filter((id) => !sentIds.has(id)).length;
      const [raw] = await queryRows(
        store.client,
        z.object({ rows: UInt64, distinct: UInt64, resent_rows: UInt64, resent_distinct: UInt64 }),
        `SELECT countIf(ingest_key != {resentKey:String}) AS rows, uniqExactIf(event_id, ingest_key != {resentKey:String}) AS distinct,
                countIf(ingest_key = {resentKey:String}) AS resent_rows, uniqExactIf(event_id, ingest_key = {resentKey:String}) AS resent_distinct
           FROM events WHERE tenant_id = {tenant:String}`,
        { ...tenant!, resentKey: `${expected.events.key_prefix}0` },
      );
      const duplicates = raw!.rows - raw!.distinct;

      // Rollups (built by the old version for its events, by today's for the new ones) agree with an oracle over the events.
      const want = expectedRollups(sent as TelemetryEvent[]);
      const got = await storedRollups(store.client, tenant!.tenant);
      const differing = differingCells(want, got);

      upgraded = {
        events: sent.length,
        lost,
        duplicates,
        phantoms,
        extra: {
          from_commit: expected.commit,
          fixture_events: fixtureEvents.length,
          new_events: newEvents.length,
          migrate_s: seconds(first.ms),
          second_start_s: seconds(second.ms),
          clickhouse_migrations: clickhouseMigrations.length,
          postgres_migrations: postgresJournal.length,
          resent_old_batch: { status: resent.status, ...resentAnswer, rows: raw!.resent_rows },
          report_offered: reported.offered,
          rollup_cells_differing: differing.length,
        },
      };
      expect({ lost, phantoms, duplicates, differing: differing.slice(0, 10) }).toEqual({ lost: 0, phantoms: 0, duplicates: 0, differing: [] });
      // The re-sent batch: once, or twice when it came past the idempotency window (the readers above counted it once).
      expect(raw!.resent_distinct).toBe(expected.events.batch_size);
      expect([1, 2].map((n) => n * expected.events.batch_size)).toContain(raw!.resent_rows);
      expect(raw!.distinct + raw!.resent_distinct).toBe(sent.length);
    } finally {
      await store.close();
      await db.close();
    }
  });

  it('refuses a data directory a newer version migrated, saying why, before applying anything', { timeout: 120_000 }, async () => {
    if (!upgraded) throw new Error('needs the upgraded directory of the test before');
    // A migration from the future in each store's bookkeeping, written by a process of its own (chDB's lock).
    const newerClickhouse = path.join(work, 'newer-clickhouse');
    await run(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { createTelemetryStore } from '@switchboard/telemetry';
         const store = createTelemetryStore({ dataDir: ${JSON.stringify(newerClickhouse)} });
         await store.client.insert({ table: 'schema_migrations', values: [{ name: '9999_from_a_newer_version.sql', checksum: '' }], format: 'JSONEachRow' });
         await store.close();`,
      ],
      { cwd: repoRoot },
    );
    const newerPostgres = path.join(work, 'newer-postgres');
    const future = await createDb({ dataDir: newerPostgres });
    await future.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', 4102444800000)`);
    await future.close();

    // Both at once (separate directories): each must stop at its store from the future.
    const refused = await Promise.all(
      (
        [
          [newerClickhouse, 'ClickHouse was migrated by a newer version of Switchboard (migrations 9999_from_a_newer_version.sql are unknown to this one)'],
          [newerPostgres, 'Postgres was migrated by a newer version of Switchboard (1 migration newer than this one knows)'],
        ] as const
      ).map(async ([dir, message]) => {
        const started = performance.now();
        const host = spawnHost(dir, await freePort(), { SWITCHBOARD_SEED_DEMO: '0' });
        hosts.push(host);
        // A host that starts on it fails the test (and is killed after it) instead of hanging it.
        const code = await waitReady(host, 60_000).then(
          () => 'listening',
          () => host.exited,
        );
        return { store: path.basename(dir), code, message, output: host.output(), s: seconds(performance.now() - started) };
      }),
    );
    for (const r of refused) {
      expect(r.code, r.output).toBe(1);
      expect(r.output).toContain(`switchboard: could not start: ${r.message}`);
      expect(r.output).not.toContain('listening');
    }

    // Nothing was applied on top: the newer Postgres bookkeeping is as it was.
    const db = await createDb({ dataDir: newerPostgres });
    try {
      const rows = await db.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(rows.rows[0]!.n).toBe(postgresJournal.length + 1);
    } finally {
      await db.close();
    }
    recordFaultFigures('upgrade', { ...upgraded, extra: { ...upgraded.extra, refused_in_s: Object.fromEntries(refused.map((r) => [r.store, r.s])) } });
  });
});
