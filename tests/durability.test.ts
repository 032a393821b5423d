import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestResult, type TelemetryEvent } from '@switchboard/contracts';
import { createSeededRandom } from '@switchboard/planning';
import { demoCenter, simulate } from '@switchboard/simulator';
import { createTelemetryStore, queryRows, UInt64 } from '@switchboard/telemetry';
import { z } from 'zod';
import { ndjson, post, waitForRollups } from './support/events.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { expectedRollups, storedRollups } from './support/rollup-oracle.ts';
import { freePort, spawnHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';
import { localDayStartOf } from '@switchboard/calendar';

/**
 * The operator's crash test: concurrent senders post batches with Idempotency-Keys while
 * the host is SIGKILLed at random moments, requests in flight; every batch not
 * acknowledged is sent again with the same key and bytes, and some acknowledged ones
 * again under new keys (a replay). Afterwards the raw events, every rollup, a report and
 * the wallboard, read through the API, all count exactly the events sent, and the
 * operator check finds nothing.
 */
const dataDir = tempDataDir('durability');
let current: SpawnedHost | undefined;
afterAll(() => {
  current?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const EVENTS = 40_000;
const BATCH = 500;
const SENDERS = 4;
const KILLS = 5;
const REPLAYS = 6;
const random = createSeededRandom(9);
const run = promisify(execFile);

const cookieHeader = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return cookieHeader(res);
}

async function trpc<T>(url: string, cookie: string, procedure: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${url}/api/trpc/${procedure}${query}`, { headers: { cookie } });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

const rollupCli = (command: 'check' | 'repair', args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'packages/host/scripts/rollups.ts'), command, ...args], {
    cwd: repoRoot,
    env: { ...process.env, SWITCHBOARD_DATA_DIR: dataDir },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('durability under SIGKILL', () => {
  it('counts every acknowledged event exactly once in raw events, rollups, reports and the wallboard across repeated kills', async () => {
    const port = await freePort();
    current = spawnHost(dataDir, port);
    await waitReady(current);
    const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
    const url = current.url;

    const end = Date.now() - 60_000;
    const events: TelemetryEvent[] = [];
    for (const e of simulate({ config: demoCenter, seed: 21, start: end - 20 * 3_600_000, end })) {
      events.push(e);
      if (events.length === EVENTS) break;
    }
    const batches = Array.from({ length: Math.ceil(events.length / BATCH) }, (_, b) => ({
      key: `durability-${b}-${randomUUID()}`,
      body: ndjson(events.slice(b * BATCH, (b + 1) * BATCH)),
      events: Math.min(BATCH, events.length - b * BATCH),
    }));

    let acked = 0;
    let ackedEvents = 0;
    let retries = 0;
    let next = 0;
    const sender = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        for (;;) {
          try {
            const res = await post(url, apiKey, batch.body, { 'idempotency-key': batch.key });
            if (res.status === 200) {
              ackedEvents += IngestResult.parse(await res.json()).accepted;
              acked++;
              break;
            }
            expect([429, 503]).toContain(res.status);
            await res.arrayBuffer();
          } catch {
            // Connection refused or reset: the host is down; the same batch goes again.
          }
          retries++;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };

    let kills = 0;
    const killer = async () => {
      const points = Array.from({ length: KILLS }, () => 0.05 + random() * 0.85).sort();
      for (const point of points) {
        while (acked < point * batches.length) await new Promise((r) => setTimeout(r, 2));
        // A random moment within the next insert or two, with requests in flight.
        await new Promise((r) => setTimeout(r, random() * 40));
        current!.child.kill('SIGKILL');
        await current!.exited;
        kills++;
        current = spawnHost(dataDir, port);
        await waitReady(current);
      }
    };

    await Promise.all([...Array.from({ length: SENDERS }, sender), killer()]);
    expect(kills).toBe(KILLS);
    expect(acked).toBe(batches.length);
    expect(retries).toBeGreaterThan(0);
    expect(ackedEvents).toBe(events.length);

    // Acknowledged batches again with their keys (answered from the key), and under new
    // keys (stored again, counted once).
    for (let i = 0; i < REPLAYS; i++) {
      const batch = batches[Math.floor(random() * batches.length)]!;
      const same = IngestResult.parse(await (await post(url, apiKey, batch.body, { 'idempotency-key': batch.key })).json());
      expect(same).toMatchObject({ accepted: batch.events, replayed: true });
      const res = await post(url, apiKey, batch.body, { 'idempotency-key': `replay-${i}-${randomUUID()}` });
      expect(IngestResult.parse(await res.json())).toMatchObject({ accepted: batch.events, replayed: false });
    }
    await waitForRollups(url);

    // Through the API, as a supervisor sees them.
    const users = z
      .array(z.object({ role: z.string(), email: z.string(), password: z.string() }))
      .parse(JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')));
    const supervisor = users.find((u) => u.role === 'supervisor')!;
    const cookie = await signIn(url, supervisor.email, supervisor.password);
    const offered = events.filter((e) => e.type === 'interaction.offered');
    const localDate = (at: number) => new Date(at).toLocaleDateString('en-CA', { timeZone: demoCenter.timezone });
    const report = await trpc<{ total: { kpis: { offered: number; answered: number } } }>(url, cookie, 'reports.run', {
      from: localDate(end - 2 * 86_400_000),
      to: localDate(end),
      grain: 'day',
      dimension: 'queue',
      compare: false,
    });
    expect(report.total.kpis.offered).toBe(offered.length);
    expect(report.total.kpis.answered).toBe(events.filter((e) => e.type === 'interaction.answered').length);
    const dayStart = localDayStartOf(new Date(), demoCenter.timezone).getTime();
    const wallboard = await trpc<{ queues: { today: { offered: number } }[] }>(url, cookie, 'wallboard.snapshot');
    expect(wallboard.queues.reduce((n, q) => n + q.today.offered, 0)).toBe(offered.filter((e) => Date.parse(e.occurred_at) >= dayStart).length);

    // The operator check through the running host.
    const window = ['--from', new Date(end - 21 * 3_600_000).toISOString(), '--to', new Date().toISOString()];
    const viaHost = await rollupCli('check', window);
    expect(viaHost.stdout).toContain('ok: 0 rollup intervals differ');
    expect(viaHost.code).toBe(0);

    current.child.kill('SIGTERM');
    expect(await current.exited).toBe(0);
    current = undefined;

    // And with the host stopped, opening the stores itself.
    const stopped = await rollupCli('check', [...window, '--tenant', 'demo']);
    expect(stopped.stdout).toContain('ok: 0 rollup intervals differ');
    expect(stopped.code).toBe(0);
    const repaired = await rollupCli('repair', window);
    expect(repaired.stdout).toContain('repaired 0 rollup intervals; 0 still differ');
    expect(repaired.code).toBe(0);

    const store = createTelemetryStore({ dataDir });
    try {
      const [counts] = await queryRows(
        store.client,
        z.object({ rows: UInt64, distinct: UInt64, keyed_rows: UInt64, keyed_distinct: UInt64, tenant: z.string() }),
        `SELECT count() AS rows, uniqExact(event_id) AS distinct, any(tenant_id) AS tenant,
                countIf(startsWith(ingest_key, 'durability-')) AS keyed_rows,
                uniqExactIf(event_id, startsWith(ingest_key, 'durability-')) AS keyed_distinct
           FROM events`,
        {},
      );
      // Every event stored, none twice under its own batch's key (merges may since have
      // folded a replay into its original, so rows are bounded, not fixed).
      expect(counts).toMatchObject({ distinct: events.length });
      expect(counts!.keyed_rows).toBe(counts!.keyed_distinct);
      expect(counts!.rows).toBeLessThanOrEqual(events.length + REPLAYS * BATCH);
      const expected = expectedRollups(events);
      const stored = await storedRollups(store.client, counts!.tenant);
      for (const rollup of Object.keys(expected)) expect(stored[rollup], rollup).toEqual(expected[rollup]);
    } finally {
      await store.close();
    }
  });
});
