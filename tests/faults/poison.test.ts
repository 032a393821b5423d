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
import { runAdmin, runRollups } from '../support/admin-cli.ts';
import { ndjson, post, waitForRollups } from '../support/events.ts';
import { byTier, recordFaultFigures } from '../support/faults.ts';
import { repoRoot, tempDataDir } from '../support/host.ts';
import { expectedRollups, storedRollups } from '../support/rollup-oracle.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from '../support/spawn-host.ts';

/**
 * R5, poison events: valid events the store refuses (an operator's CHECK constraint on `events`, the realistic way a
 * ClickHouse refuses a row ingest validated) and events whose rollup the store refuses to write (a constraint on a
 * rollup table). The refused events are answered 207 `store_rejected` and kept whole in ingest_rejections while their
 * siblings — in the same request and in the requests coalesced into the same insert — are stored; the interval whose
 * rollup fails is quarantined while the others keep flowing; restarts come up despite both; once the constraints are
 * gone, `admin rejections replay` (with the host stopped for one batch, through it for the rest) stores each refused
 * event exactly once, a second replay stores nothing, and a start computes the quarantined interval.
 */
const BATCHES = byTier(20, 400);
const BATCH = 250;
const SENDERS = 4;
const dataDir = tempDataDir('faults-poison');
const run = promisify(execFile);
let current: SpawnedHost | undefined;
afterAll(() => {
  current?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const EVENT_CONSTRAINT = `ALTER TABLE events ADD CONSTRAINT poison_event CHECK interaction_id NOT LIKE 'poison-%'`;
const ROLLUP_CONSTRAINT = `ALTER TABLE queue_interval_15m ADD CONSTRAINT poison_rollup CHECK queue_id != 'poison-q'`;

/** Statements on the stopped host's ClickHouse, from a process of its own (store-statements.ts says why). */
async function onStoppedStore(statements: readonly string[]): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'store-statements.ts'), dataDir, ...statements], { cwd: repoRoot });
}

type Health = { status: string; rollups: { quarantined_intervals: number; startup_check_done: boolean } };

/** /api/health once the host's start-up recovery (which tries the quarantined intervals again) is done. */
async function health(url: string): Promise<{ status: number; body: Health }> {
  for (;;) {
    const res = await fetch(`${url}/api/health`);
    const body = (await res.json()) as Health;
    if (body.rollups.startup_check_done) return { status: res.status, body };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function start(port: number): Promise<{ host: SpawnedHost; ms: number }> {
  const began = performance.now();
  const host = spawnHost(dataDir, port);
  await waitReady(host);
  return { host, ms: performance.now() - began };
}

describe('poison events (R5)', () => {
  it(
    'keeps what the store refuses aside, stores the siblings, quarantines an interval it cannot compute, survives restarts and replays exactly once',
    { timeout: byTier(300_000, 1_200_000) },
    async () => {
      await onStoppedStore([EVENT_CONSTRAINT, ROLLUP_CONSTRAINT]);
      const port = await freePort();
      ({ host: current } = await start(port));
      const url = current.url;
      const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
      const random = createSeededRandom(23);

      const end = Date.now() - 60_000;
      // About 2,000 events an hour of the demo centre: a window that holds every batch.
      const simulation = simulate({ config: demoCenter, seed: 23, start: end - byTier(12, 72) * 3_600_000, end });
      // Rollup poison: an interval of its own, days before the rest.
      const quarantinedAt = new Date(Math.floor((end - 5 * 86_400_000) / 900_000) * 900_000 + 60_000).toISOString();
      const sent: TelemetryEvent[] = [];
      const refusedIds = new Set<string>();
      const batches: { key: string; events: TelemetryEvent[]; poisoned: number[] }[] = [];
      for (let b = 0; b < BATCHES; b++) {
        const events: TelemetryEvent[] = [];
        while (events.length < BATCH) {
          const e = simulation.next();
          if (e.done) break;
          events.push(e.value);
        }
        expect(events.length, 'the simulated window holds every batch').toBe(BATCH);
        const poisoned: number[] = [];
        // One batch in five carries one or two events the store refuses, at seeded positions.
        if (b % 5 === 2) {
          for (let k = 0; k < 1 + (b % 2); k++) {
            const at = Math.floor(random() * events.length);
            const like = events[at]!;
            events.splice(at, 0, { ...like, event_id: randomUUID(), interaction_id: `poison-${b}-${k}` } as TelemetryEvent);
          }
          events.forEach((e, i) => 'interaction_id' in e && e.interaction_id?.startsWith('poison-') && poisoned.push(i));
          for (const i of poisoned) refusedIds.add(events[i]!.event_id);
        }
        // Two batches carry an event the raw table takes but whose rollup the store refuses.
        if (b === 5 || b === 6) {
          const like = events.find((e) => e.type === 'interaction.offered')!;
          events.push({ ...like, event_id: randomUUID(), queue_id: 'poison-q', occurred_at: quarantinedAt, sent_at: quarantinedAt } as TelemetryEvent);
        }
        sent.push(...events);
        batches.push({ key: `poison-${b}-${randomUUID()}`, events, poisoned });
      }

      // Concurrent senders, so refused rows share inserts with other requests' rows.
      const answers: { status: number; body: IngestResult }[] = new Array<{ status: number; body: IngestResult }>(batches.length);
      let next = 0;
      const sender = async () => {
        for (let b = next++; b < batches.length; b = next++) {
          const batch = batches[b]!;
          const res = await post(url, apiKey, ndjson(batch.events), { 'idempotency-key': batch.key });
          answers[b] = { status: res.status, body: IngestResult.parse(await res.json()) };
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, sender));
      batches.forEach((batch, b) => {
        const { status, body } = answers[b]!;
        expect(status, `batch ${b}`).toBe(batch.poisoned.length > 0 ? 207 : 200);
        expect(body.accepted, `batch ${b}`).toBe(batch.events.length - batch.poisoned.length);
        expect(
          body.errors.map((e) => [e.index, e.reason, e.event_id]),
          `batch ${b}`,
        ).toEqual(batch.poisoned.map((i) => [i, 'store_rejected', batch.events[i]!.event_id]));
      });
      await waitForRollups(url);
      const quarantined = await health(url);
      expect(quarantined).toMatchObject({ status: 200, body: { status: 'ok', rollups: { quarantined_intervals: 1 } } });
      // The operator's check (through the running host) names it and fails.
      const check = await runRollups(dataDir, 'check');
      expect(check.code, check.stderr).toBe(1);
      expect(check.stdout.split('\n').filter((line) => line.startsWith('QUARANTINED\t'))).toHaveLength(1);
      expect(check.stdout).toContain('1 intervals stay quarantined');

      // Restarted with both constraints still there: it comes up, and says what stays quarantined.
      await stopHost(current);
      const restart = await start(port);
      current = restart.host;
      expect((await health(url)).body.rollups.quarantined_intervals).toBe(1);
      expect(current.output()).toContain('1 stay quarantined');
      // Still refused: a replay now stores nothing and says so.
      const early = await runAdmin(dataDir, 'rejections', 'replay', '--tenant', 'demo', '--json');
      expect(early.code).toBe(1);
      expect(JSON.parse(early.stdout)).toMatchObject({ replayed: 0, due: refusedIds.size });

      // The operator fixes the store (the host stopped), replays one batch on the stopped stores, starts the host.
      await stopHost(current);
      await onStoppedStore(['ALTER TABLE events DROP CONSTRAINT poison_event', 'ALTER TABLE queue_interval_15m DROP CONSTRAINT poison_rollup']);
      const firstPoisoned = batches.find((b) => b.poisoned.length > 0)!;
      const offline = await runAdmin(dataDir, 'rejections', 'replay', '--tenant', 'demo', '--batch', firstPoisoned.key, '--json');
      expect(offline.code, offline.stderr).toBe(0);
      expect(JSON.parse(offline.stdout)).toMatchObject({ replayed: firstPoisoned.poisoned.length, already_stored: 0, still_refused: [] });
      ({ host: current } = await start(port));
      expect((await health(url)).body.rollups.quarantined_intervals).toBe(0);
      // The rest through the running host; then again, which finds everything stored.
      const online = await runAdmin(dataDir, 'rejections', 'replay', '--tenant', 'demo', '--json');
      expect(online.code, online.stderr).toBe(0);
      expect(JSON.parse(online.stdout)).toMatchObject({
        replayed: refusedIds.size - firstPoisoned.poisoned.length,
        already_stored: firstPoisoned.poisoned.length,
      });
      const again = await runAdmin(dataDir, 'rejections', 'replay', '--tenant', 'demo', '--json');
      expect(JSON.parse(again.stdout)).toMatchObject({ replayed: 0, due: 0, already_stored: refusedIds.size });
      // Later batches flow as ever.
      const fresh = batches[0]!.events.map((e) => ({ ...e, event_id: randomUUID() }) as TelemetryEvent);
      sent.push(...fresh);
      const later = await post(url, apiKey, ndjson(fresh), { 'idempotency-key': randomUUID() });
      expect(later.status).toBe(200);
      await waitForRollups(url);
      const list = await runAdmin(dataDir, 'rejections', 'list', '--tenant', 'demo', '--json');
      const listed = z.object({ rejections: z.array(z.object({ event_id: z.string(), status: z.string() })) }).parse(JSON.parse(list.stdout));
      expect(new Set(listed.rejections.map((r) => r.event_id))).toEqual(refusedIds);
      expect(new Set(listed.rejections.map((r) => r.status))).toEqual(new Set(['stored']));
      await stopHost(current);
      current = undefined;

      // Every event sent is stored exactly once, nothing else is, and the rollups equal the raw events.
      const store = createTelemetryStore({ dataDir });
      try {
        const [tenant] = await queryRows(store.client, z.object({ tenant_id: z.string() }), `SELECT DISTINCT tenant_id FROM events LIMIT 1`, {});
        const stored = await queryRows(
          store.client,
          z.object({ id: z.string(), copies: UInt64 }),
          `SELECT toString(event_id) AS id, count() AS copies FROM events GROUP BY event_id`,
          {},
        );
        const sentIds = new Set(sent.map((e) => e.event_id));
        const storedIds = new Set(stored.map((r) => r.id));
        const lost = sent.filter((e) => !storedIds.has(e.event_id)).length;
        const duplicates = stored.reduce((n, r) => n + r.copies - 1, 0);
        const phantoms = stored.filter((r) => !sentIds.has(r.id)).length;
        expect({ lost, duplicates, phantoms }).toEqual({ lost: 0, duplicates: 0, phantoms: 0 });
        const expected = expectedRollups(sent);
        const rolled = await storedRollups(store.client, tenant!.tenant_id);
        for (const rollup of Object.keys(expected)) expect(rolled[rollup], rollup).toEqual(expected[rollup]);
        recordFaultFigures('poison', {
          events: sent.length,
          lost,
          duplicates,
          phantoms,
          extra: {
            restart_ready_ms: Math.round(restart.ms),
            store_rejected: refusedIds.size,
            replayed: refusedIds.size,
            replayed_again: 0,
            quarantined_intervals: quarantined.body.rollups.quarantined_intervals,
          },
        });
      } finally {
        await store.close();
      }
    },
  );
});
