import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@switchboard/contracts';
import { demoCenter, simulate } from '@switchboard/simulator';
import {
  checkRollups,
  createTelemetryStore,
  encodeEventRow,
  eventColumns,
  INTERVAL_MS,
  migrateTelemetry,
  RollupBuilder,
  type TelemetryStore,
} from '@switchboard/telemetry';
import { expectedRollups, storedRollups } from './support/rollup-oracle.ts';

/**
 * The builder counts each request's events once, after its insert returned. These drive
 * it the way the ingest writer does, with the interleavings that a request-counting
 * builder can get wrong: a duplicate whose rows a merge folded together before its step,
 * and a repair that runs while requests are still being inserted.
 */
// 6,000 events from the middle of a weekday (busy) a few days back.
let day = (Math.floor(Date.now() / 86_400_000) - 3) * 86_400_000;
while ([0, 6].includes(new Date(day).getUTCDay())) day -= 86_400_000;
const window = { from: new Date(day - 86_400_000), to: new Date(day + 2 * 86_400_000) };
const all = [...simulate({ config: demoCenter, seed: 5, start: day, end: day + 86_400_000 })];
const events = all.slice(all.length / 2 - 3_000, all.length / 2 + 3_000);

let dataDir: string;
let store: TelemetryStore;
let builder: RollupBuilder;
const tenantId = randomUUID();

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-builder-'));
  store = createTelemetryStore({ dataDir });
  await migrateTelemetry(store.client, path.resolve(import.meta.dirname, '../migrations/clickhouse'));
  builder = new RollupBuilder({ client: store.client, instance: 'test', log: () => undefined, minStepIntervalMs: 0 });
  await builder.recover();
});
afterEach(async () => {
  await builder.stop();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One request's insert, as the writer does it; `beforeEnd` runs once its rows are stored. */
async function insert(list: readonly TelemetryEvent[], beforeEnd?: () => Promise<void>): Promise<void> {
  const batch = randomUUID();
  const ticket = builder.beginInsert([batch]);
  const intervals = new Set(list.map((e) => Math.floor(Date.parse(e.occurred_at) / INTERVAL_MS) * INTERVAL_MS));
  try {
    await store.insertTsv({ table: 'events', columns: eventColumns, body: Buffer.from(list.map((e) => encodeEventRow(tenantId, e, '', batch)).join('')) });
    await beforeEnd?.();
  } finally {
    builder.endInsert(ticket, new Map([[tenantId, intervals]]));
  }
}

async function expectExact(): Promise<void> {
  await builder.settled();
  expect(events).toHaveLength(6_000);
  expect(await checkRollups(store.client, { ...window, tenantIds: [tenantId] })).toEqual([]);
  const expected = expectedRollups(events);
  const stored = await storedRollups(store.client, tenantId);
  expect(Object.keys(stored.queue_interval_15m!).length).toBeGreaterThan(10);
  for (const rollup of Object.keys(expected)) expect(stored[rollup], rollup).toEqual(expected[rollup]);
}

describe('the rollup builder', () => {
  it('counts a duplicate once when a merge folded its rows before the step', async () => {
    await insert(events);
    await builder.settled();
    // A replay under a new request; the table is merged before the builder sees it.
    await insert(events.slice(1_000, 3_000), async () => {
      await store.client.command({ query: 'OPTIMIZE TABLE events FINAL' });
    });
    await expectExact();
  });

  it('mends a step that failed part-way by reconciling its intervals, not counting them again', async () => {
    // The last rollup's table is away while the step runs: the first three rollups count
    // the request, the fourth fails, and the next step must not count it in the first three again.
    await insert(events.slice(0, 3_000), async () => {
      await store.client.command({ query: 'RENAME TABLE bot_intent_interval_15m TO bot_intent_interval_15m_away' });
    });
    while (builder.status().failures === 0) await new Promise((r) => setTimeout(r, 20));
    await store.client.command({ query: 'RENAME TABLE bot_intent_interval_15m_away TO bot_intent_interval_15m' });
    await insert(events.slice(3_000));
    await expectExact();
  });

  it('a repair beside requests still being inserted leaves them to the steps', async () => {
    await insert(events.slice(0, 3_000));
    await insert(events.slice(3_000), async () => {
      // Stored, not yet reported to the builder: the repair must not count these rows.
      expect(await builder.repair({ ...window, tenantIds: [tenantId] })).toEqual([]);
    });
    await insert(events.slice(2_000, 4_000), () => builder.repair({ ...window, tenantIds: [tenantId] }).then(() => undefined));
    await expectExact();
  });

  it('quarantines an interval the store refuses to compute: the others flow, a restart does not fail on it, a repair computes it once fixed', async () => {
    // A value a rollup's table refuses (an operator's constraint), in an interval of its own, half a day before the rest.
    const offered = events.find((e) => e.type === 'interaction.offered')!;
    const at = new Date(day - 12 * 3_600_000).toISOString();
    const poison = { ...offered, event_id: randomUUID(), queue_id: 'poison-q', occurred_at: at, sent_at: at } as TelemetryEvent;
    const poisonInterval = Math.floor(Date.parse(at) / INTERVAL_MS) * INTERVAL_MS;
    await store.client.command({ query: `ALTER TABLE queue_interval_15m ADD CONSTRAINT poison CHECK queue_id != 'poison-q'` });

    await insert([...events.slice(0, 3_000), poison]);
    await builder.settled();
    expect(builder.status().quarantined_intervals).toBe(1);
    expect(builder.quarantined()).toEqual([
      { tenant_id: tenantId, interval_start: new Date(poisonInterval).toISOString(), error: 'VIOLATED_CONSTRAINT: constraint poison' },
    ]);
    // Later requests are counted as usual; the quarantined interval is left out of their steps.
    await insert(events.slice(3_000));
    await builder.settled();
    const rest = { from: new Date(day), to: new Date(day + 86_400_000), tenantIds: [tenantId] };
    expect(await checkRollups(store.client, rest)).toEqual([]);

    // A restart reads the quarantine, tries it once more and goes on.
    await builder.stop();
    builder = new RollupBuilder({ client: store.client, instance: 'test', log: () => undefined, minStepIntervalMs: 0 });
    await builder.recover();
    expect(builder.status().quarantined_intervals).toBe(1);

    await store.client.command({ query: 'ALTER TABLE queue_interval_15m DROP CONSTRAINT poison' });
    await builder.repair({ ...window, tenantIds: [tenantId] });
    expect(builder.status().quarantined_intervals).toBe(0);
    expect(await checkRollups(store.client, { ...window, tenantIds: [tenantId] })).toEqual([]);
    const expected = expectedRollups([...events, poison]);
    const stored = await storedRollups(store.client, tenantId);
    for (const rollup of Object.keys(expected)) expect(stored[rollup], rollup).toEqual(expected[rollup]);
    // And the next start finds nothing quarantined.
    await builder.stop();
    builder = new RollupBuilder({ client: store.client, instance: 'test', log: () => undefined, minStepIntervalMs: 0 });
    await builder.recover();
    expect(builder.quarantined()).toEqual([]);
  });
});
