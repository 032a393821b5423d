import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { localDayStartOf } from '@switchboard/calendar';
import type { TelemetryEvent } from '@switchboard/contracts';
import { createDb } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { createTelemetryStore, queryRows, UInt64 } from '@switchboard/telemetry';
import { z } from 'zod';
import { callApi, signInAsDemo } from '../support/api-client.ts';
import { postAll, waitForRollups } from '../support/events.ts';
import { byTier, recordFaultFigures } from '../support/faults.ts';
import { repoRoot, tempDataDir } from '../support/host.ts';
import { differingCells, expectedRollups, storedRollups } from '../support/rollup-oracle.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from '../support/spawn-host.ts';
import { generatorEvents, readLedger, spawnGenerator, type GeneratorConfig } from './crash-generator.ts';

/**
 * Backup and restore (issue 17): `npm run backup` taken from a running host while a generator process keeps sending
 * events (crash-generator.ts, its ledger fsynced after each 2xx), then `npm run restore` into a new data directory and a
 * host started there. Every event acknowledged before the backup began must be there exactly once, nothing that was
 * never sent, the rollups equal to an oracle over the restored events (and a report and the wallboard with them), and
 * what lives in Postgres (an alert rule, a signed-in session) and the data directory (the cookie secret) with them.
 * Restore refuses a directory a host runs on; a backup of a stopped host opens the stores under the host's lock.
 */
const EVENTS = byTier(60_000, 600_000);
const SEED = 1717;
const run = promisify(execFile);
const dirs: string[] = [];
const temp = (prefix: string) => {
  const dir = tempDataDir(prefix);
  dirs.push(dir);
  return dir;
};
const hosts: SpawnedHost[] = [];
afterAll(() => {
  for (const h of hosts) h.child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The real CLI, as an operator runs it: `npm run -s backup|restore -- …`; a failure is an answer, not a throw. */
async function cli(command: 'backup' | 'restore', env: Record<string, string>, ...args: string[]) {
  const started = performance.now();
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', command, '--', ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, seconds: (performance.now() - started) / 1000 };
  }
}

const BackupAnswer = z.object({
  rows: z.number(),
  bytes: z.number(),
  tables: z.number(),
  postgres: z.string(),
  temporal: z.boolean(),
  files: z.array(z.string()),
});
const RestoreAnswer = z.object({ rows: z.number(), rollup_intervals_repaired: z.number(), tables: z.array(z.object({ name: z.string(), rows: z.number() })) });
const Manifest = z.object({ clickhouse: z.object({ tables: z.array(z.object({ name: z.string(), rows: z.number() })) }) });
const eventRows = (dir: string) =>
  Manifest.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))).clickhouse.tables.find((t) => t.name === 'events')!.rows;

const alertRule = (name: string) => ({
  name,
  queueId: null,
  teamId: null,
  match: 'all',
  conditions: [{ metric: 'waiting', comparator: 'above', threshold: 50, clearThreshold: 40 }],
  fireAfterS: 60,
  clearAfterS: 120,
  severity: 'warning',
  enabled: false,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('backup under load and restore (embedded: chDB and PGlite)', () => {
  it(
    'restores every event acknowledged before the backup began, once, with the rollups, the configuration and the secrets',
    { timeout: byTier(300_000, 900_000) },
    async () => {
      const source = temp('faults-backup-src');
      const backupDir = path.join(temp('faults-backup-out'), 'backup');
      const target = temp('faults-backup-dst');
      const port = await freePort();
      const a = spawnHost(source, port);
      hosts.push(a);
      await waitReady(a);

      // Made before the backup: a rule in Postgres, and a session whose cookie is signed with the data directory's secret.
      const admin = await signInAsDemo(a.url, source, 'admin');
      const saved = await callApi(a.url, admin, 'wallboard.alertRules.save', alertRule('made before the backup'));
      expect(saved.status, saved.message).toBe(200);
      // Where `npm start` keeps the Temporal dev server's state: an SQLite file, copied by sqlite3's online backup.
      await run('sqlite3', [path.join(source, 'temporal.db'), "CREATE TABLE marks (m TEXT); INSERT INTO marks VALUES ('made before the backup')"]);

      const end = Date.now() - 60_000;
      // The narrowest window (in days) that holds them, so that they reach today when the centre is open (the wallboard).
      let sent: TelemetryEvent[] = [];
      const start = [1.5, 2, 3, 5, 8, 14, 30, 60]
        .map((days) => end - days * 86_400_000)
        .find((from) => {
          try {
            sent = generatorEvents({ seed: SEED, start: from, end, events: EVENTS });
            return true;
          } catch {
            return false;
          }
        })!;
      const config: GeneratorConfig = {
        url: a.url,
        apiKey: readFileSync(path.join(source, 'demo-api-key'), 'utf8').trim(),
        events: EVENTS,
        batch: 500,
        rate: byTier(2_000, 6_000),
        concurrency: 4,
        ledger: path.join(source, 'ledger.tsv'),
        seed: SEED,
        start,
        end,
        replayShare: 0,
        rekeyShare: 0,
      };
      const generator = spawnGenerator(config, repoRoot);
      const acknowledged = () => readLedger(config.ledger);

      // A tenth of the way in, with batches in flight: what is acknowledged now must all be in the backup. Meanwhile a
      // restore onto the directory the host runs on is refused, and leaves it alone.
      const batches = Math.ceil(EVENTS / config.batch);
      while (acknowledged().length < batches / 10) await sleep(50);
      const ackedBefore = new Set(acknowledged().flatMap((l) => l.ids));
      const [backup, refused] = await Promise.all([
        cli('backup', { SWITCHBOARD_DATA_DIR: source }, backupDir, '--json'),
        cli('restore', { SWITCHBOARD_DATA_DIR: source }, backupDir, '--force'),
      ]);
      expect(backup.code, backup.stderr).toBe(0);
      const backedUp = BackupAnswer.parse(JSON.parse(backup.stdout));
      expect(backedUp).toMatchObject({ postgres: 'pglite', temporal: true, files: expect.arrayContaining(['auth-secret', 'demo-api-key', 'demo-users.json']) });
      const ackedDuring = acknowledged().length - Math.ceil(ackedBefore.size / config.batch);
      expect(ackedDuring, 'ingest went on while the backup ran').toBeGreaterThan(0);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain('is running on');

      expect(await generator.exited, generator.output()).toBe(0);
      expect(new Set(acknowledged().flatMap((l) => l.ids)).size).toBe(EVENTS);
      await stopHost(a);
      expect(await a.exited).toBe(0);

      // The host stopped, a backup opens the stores itself, under the lock, and finds every event; beside it, the restore
      // of the backup taken under load into a new directory.
      const stoppedDir = path.join(temp('faults-backup-stopped'), 'backup');
      const [stopped, restore] = await Promise.all([
        cli('backup', { SWITCHBOARD_DATA_DIR: source }, stoppedDir),
        cli('restore', { SWITCHBOARD_DATA_DIR: target }, backupDir, '--json'),
      ]);
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toMatch(/^backed up \d+ ClickHouse tables/);
      expect(eventRows(stoppedDir)).toBe(EVENTS);
      expect(restore.code, restore.stderr).toBe(0);
      const restored = RestoreAnswer.parse(JSON.parse(restore.stdout));
      expect(restored.rows).toBe(backedUp.rows);

      expect((await run('sqlite3', [path.join(target, 'temporal.db'), 'SELECT m FROM marks'])).stdout.trim()).toBe('made before the backup');
      const b = spawnHost(target, await freePort(), { SWITCHBOARD_SEED_DEMO: '0' });
      hosts.push(b);
      await waitReady(b);
      await waitForRollups(b.url);
      // The session made on the source: its row came back in Postgres and its cookie's secret in the data directory.
      const rules = await callApi(b.url, admin, 'wallboard.alertRules.list');
      expect(rules.status, rules.message).toBe(200);
      expect((rules.data as { name: string }[]).map((r) => r.name)).toContain('made before the backup');

      // The query paths through the API now; the raw rows once the host has stopped (chDB: one process at a time).
      const cookie = await signInAsDemo(b.url, target, 'supervisor');
      const localDate = (at: number) => new Date(at).toLocaleDateString('en-CA', { timeZone: demoCenter.timezone });
      const report = (
        await callApi(
          b.url,
          cookie,
          'reports.run',
          { from: localDate(config.start), to: localDate(end), grain: 'day', dimension: 'queue', compare: false },
          { query: true },
        )
      ).data as { total: { kpis: { offered: number; answered: number } } };
      const wallboard = (await callApi(b.url, cookie, 'wallboard.snapshot')).data as { queues: { today: { offered: number } }[] };
      await stopHost(b);
      expect(await b.exited).toBe(0);

      // Once restored, the same backup does not go over it again (refused before it opens anything); a backup with a
      // changed byte is refused as damaged, before anything is written.
      const again = cli('restore', { SWITCHBOARD_DATA_DIR: target }, backupDir);
      const eventsFile = path.join(
        stoppedDir,
        'clickhouse',
        readdirSync(path.join(stoppedDir, 'clickhouse')).find((f) => f.startsWith('events.'))!,
      );
      const bytes = readFileSync(eventsFile);
      bytes[bytes.length >> 1]! ^= 0xff;
      writeFileSync(eventsFile, bytes);
      const damagedTarget = temp('faults-backup-damaged');
      const damaged = cli('restore', { SWITCHBOARD_DATA_DIR: damagedTarget }, stoppedDir);
      const store = createTelemetryStore({ dataDir: target });
      try {
        const rows = await queryRows(
          store.client,
          z.object({ id: z.string(), n: UInt64 }),
          'SELECT toString(event_id) AS id, count() AS n FROM events GROUP BY id',
          {},
        );
        const stored = new Map(rows.map((r) => [r.id, r.n]));
        const sentIds = new Set(sent.map((e) => e.event_id));
        const lost = [...ackedBefore].filter((id) => !stored.has(id)).length;
        const duplicates = rows.reduce((n, r) => n + r.n - 1, 0);
        const phantoms = rows.filter((r) => !sentIds.has(r.id)).length;
        const restoredEvents = sent.filter((e) => stored.has(e.event_id));
        const [tenant] = await queryRows(store.client, z.object({ tenant: z.string() }), 'SELECT any(tenant_id) AS tenant FROM events', {});
        const expected = expectedRollups(restoredEvents);
        const rollups = await storedRollups(store.client, tenant!.tenant);
        const rollupCellsDiffering = differingCells(expected, rollups).length;
        const dayStart = localDayStartOf(new Date(), demoCenter.timezone).getTime();
        const offered = restoredEvents.filter((e) => e.type === 'interaction.offered');
        const queryPaths = {
          report_offered: [report.total.kpis.offered, offered.length],
          report_answered: [report.total.kpis.answered, restoredEvents.filter((e) => e.type === 'interaction.answered').length],
          wallboard_offered_today: [
            wallboard.queues.reduce((n, q) => n + q.today.offered, 0),
            offered.filter((e) => Date.parse(e.occurred_at) >= dayStart).length,
          ],
        };
        const pathDifferences = Object.values(queryPaths).reduce((n, [got, want]) => n + Math.abs(got! - want!), 0);
        recordFaultFigures('backup-restore', {
          events: EVENTS,
          lost,
          duplicates: duplicates + pathDifferences,
          phantoms,
          extra: {
            backup_s: Number(backup.seconds.toFixed(1)),
            restore_s: Number(restore.seconds.toFixed(1)),
            backup_mb: Number((backedUp.bytes / 1e6).toFixed(1)),
            events_acked_before: ackedBefore.size,
            events_found: [...ackedBefore].filter((id) => stored.has(id)).length,
            events_in_backup: stored.size,
            batches_acked_during_backup: ackedDuring,
            rollup_intervals_repaired: restored.rollup_intervals_repaired,
            rollup_cells_differing: rollupCellsDiffering,
            query_paths: queryPaths,
          },
        });
        expect({ lost, duplicates, phantoms, rollupCellsDiffering, pathDifferences }).toEqual({
          lost: 0,
          duplicates: 0,
          phantoms: 0,
          rollupCellsDiffering: 0,
          pathDifferences: 0,
        });
        expect(stored.size).toBe(eventRows(backupDir));
      } finally {
        await store.close();
      }
      const refusedAgain = await again;
      expect(refusedAgain.code).toBe(1);
      expect(refusedAgain.stderr).toContain('already holds an installation');
      const refusedDamaged = await damaged;
      expect(refusedDamaged.code).toBe(2);
      expect(refusedDamaged.stderr).toContain(`damaged: ${path.relative(stoppedDir, eventsFile)} missing or changed`);
      expect(readdirSync(damagedTarget)).toEqual([]);
    },
  );
});

const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
if (!databaseUrl && (process.env.CI === 'true' || process.env.CI === '1')) {
  throw new Error('CI is set but TEST_DATABASE_URL is not: scripts/test.sh starts PostgreSQL; run the suite through it.');
}

describe.skipIf(!databaseUrl)('backup and restore with PostgreSQL (pg_dump, pg_restore)', () => {
  it('restores Postgres into a new database and ClickHouse into a new data directory', { timeout: 180_000 }, async () => {
    const admin = await createDb({ databaseUrl });
    const names = [`switchboard_backup_src_${process.pid}`, `switchboard_backup_dst_${process.pid}`];
    const urlOf = (name: string) => Object.assign(new URL(databaseUrl!), { pathname: `/${name}` }).toString();
    for (const name of names) await admin.db.execute(sql`create database ${sql.identifier(name)}`);
    const [sourceUrl, targetUrl] = names.map(urlOf) as [string, string];
    const secret = 'b'.repeat(64);
    try {
      const source = temp('faults-backup-pg-src');
      const target = temp('faults-backup-pg-dst');
      const backupDir = path.join(temp('faults-backup-pg-out'), 'backup');
      const env = (dataDir: string, url: string) => ({ SWITCHBOARD_DATA_DIR: dataDir, DATABASE_URL: url, BETTER_AUTH_SECRET: secret });
      const a = spawnHost(source, await freePort(), env(source, sourceUrl));
      hosts.push(a);
      await waitReady(a);
      const cookie = await signInAsDemo(a.url, source, 'admin');
      expect((await callApi(a.url, cookie, 'wallboard.alertRules.save', alertRule('made before the pg_dump'))).status).toBe(200);
      const end = Date.now() - 60_000;
      const events = generatorEvents({ seed: SEED, start: end - 7 * 86_400_000, end, events: 3_000 });
      await postAll(a.url, readFileSync(path.join(source, 'demo-api-key'), 'utf8').trim(), events);

      const backup = await cli('backup', env(source, sourceUrl), backupDir);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toContain('Postgres (postgres)');
      await stopHost(a);

      const restore = await cli('restore', env(target, targetUrl), backupDir);
      expect(restore.code, restore.stderr).toBe(0);
      // Into a database that has tables: refused before anything is written to the new data directory.
      const full = temp('faults-backup-pg-full');
      const refused = await cli('restore', env(full, targetUrl), backupDir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('already has tables');

      const restoredDb = await createDb({ databaseUrl: targetUrl });
      try {
        const { rows } = await restoredDb.db.execute<{ name: string }>(sql`select name from alert_rules`);
        expect(rows.map((r) => r.name)).toContain('made before the pg_dump');
      } finally {
        await restoredDb.close();
      }
      const store = createTelemetryStore({ dataDir: target });
      try {
        const [counted] = await queryRows(
          store.client,
          z.object({ rows: UInt64, distinct: UInt64 }),
          'SELECT count() AS rows, uniqExact(event_id) AS distinct FROM events',
          {},
        );
        expect(counted).toEqual({ rows: events.length, distinct: events.length });
      } finally {
        await store.close();
      }
    } finally {
      for (const name of names) await admin.db.execute(sql`drop database if exists ${sql.identifier(name)} with (force)`);
      await admin.close();
    }
  });
});
