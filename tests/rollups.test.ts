import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@switchboard/contracts';
import { demoCenter, simulate } from '@switchboard/simulator';
import { checkRollups, countEventsByType, getRecentQueueSums, toQueueSums } from '@switchboard/telemetry';
import { ndjson, post, waitForRollups } from './support/events.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { expectedRollups, storedRollups } from './support/rollup-oracle.ts';

/**
 * For one simulated day sent through the ingest API out of order, with some events sent
 * twice under new keys, every cell of every rollup equals the figure computed in plain
 * TypeScript from the distinct events that were sent; the operator check finds any cell
 * that does not, and a repair mends it without touching intervals whose raw events are gone.
 */
let t: TestHost;
let tenantId: string;
let events: TelemetryEvent[];
// A whole UTC weekday (busy) a few days back, within the late-event horizon whenever the test runs.
let dayStart = (Math.floor(Date.now() / 86_400_000) - 3) * 86_400_000;
while ([0, 6].includes(new Date(dayStart).getUTCDay())) dayStart -= 86_400_000;
const day = { from: new Date(dayStart - 86_400_000), to: new Date(dayStart + 2 * 86_400_000) };

beforeAll(async () => {
  t = await startTestHost();
  const tenant = await t.createTenant();
  tenantId = tenant.tenantId;
  events = [...simulate({ config: demoCenter, seed: 11, start: dayStart, end: dayStart + 86_400_000 })];
  // Batches go newest first: every batch is late relative to the one before, as when a
  // source replays history, and the rollups must still come out exact.
  const starts = Array.from({ length: Math.ceil(events.length / 5_000) }, (_, i) => i * 5_000).reverse();
  for (const i of starts) {
    const res = await post(t.url, tenant.apiKey, ndjson(events.slice(i, i + 5_000)));
    expect(res.status).toBe(200);
  }
  // A replay under new keys (the simulator's --from, a sender that lost its keys): the
  // events reach the raw table twice, and must not count twice anywhere.
  for (const i of [0, 25_000]) {
    const res = await post(t.url, tenant.apiKey, ndjson(events.slice(i, i + 2_000)), { 'idempotency-key': `replay-${randomUUID()}` });
    expect(res.status).toBe(200);
  }
  await waitForRollups(t.url);
});
afterAll(async () => {
  await t?.stop();
});

describe('rollups equal the distinct raw events (one simulated day)', () => {
  it('stored every event the simulator produced, 4,000 of them twice', async () => {
    expect(events.length).toBeGreaterThan(50_000);
    const byType = await countEventsByType(t.host.telemetry.client, { tenantId, ...day });
    const expected = new Map<string, number>();
    for (const e of events) expected.set(e.type, (expected.get(e.type) ?? 0) + 1);
    expect(Object.fromEntries(byType.map((r) => [r.type, r.events]))).toEqual(Object.fromEntries(expected));
  });

  it('every cell of every rollup equals the oracle', async () => {
    const expected = expectedRollups(events);
    const stored = await storedRollups(t.host.telemetry.client, tenantId);
    expect(Object.keys(stored.queue_interval_15m!).length).toBeGreaterThan(100);
    expect(Object.keys(stored.agent_interval_15m!).length).toBeGreaterThan(100);
    expect(Object.keys(stored.queue_interval_1m!).length).toBeGreaterThan(1000);
    expect(Object.keys(stored.agent_state_interval_15m!).length).toBeGreaterThan(1000);
    expect(Object.keys(stored.bot_intent_interval_15m!).length).toBeGreaterThan(50);
    for (const rollup of Object.keys(expected)) expect(stored[rollup], rollup).toEqual(expected[rollup]);
  });

  it("the wallboard's rolling sums equal the window's distinct events, to the second, wherever the window starts", async () => {
    // A minute in the middle of the day's traffic, whatever the simulated centre's hours.
    const times = events.map((e) => Date.parse(e.occurred_at)).sort((a, b) => a - b);
    const end = Math.floor(times[times.length >> 1]! / 60_000) * 60_000;
    for (const from of [end - 1_800_000, end - 1_800_000 + 37_250, end - 1_799_999, end - 61_000]) {
      const inWindow = events.filter((e) => Date.parse(e.occurred_at) >= from && Date.parse(e.occurred_at) < end);
      const expected = new Map<string, Record<string, number>>();
      for (const [cell, values] of Object.entries(expectedRollups(inWindow).queue_interval_15m!)) {
        const queueChannel = cell.split('|').slice(0, 2).join('|');
        const sums = expected.get(queueChannel) ?? {};
        for (const [k, v] of Object.entries(values)) sums[k] = k === 'wait_ms_max' ? Math.max(sums[k] ?? 0, v) : (sums[k] ?? 0) + v;
        expected.set(queueChannel, sums);
      }
      const rows = await getRecentQueueSums(t.host.telemetry.client, { tenantId, from: new Date(from), to: new Date(end) });
      expect(rows.length).toBeGreaterThan(2);
      expect(new Map(rows.map((r) => [`${r.queue_id}|${r.channel}`, r.sums])), new Date(from).toISOString()).toEqual(
        new Map([...expected].map(([k, v]) => [k, toQueueSums(v)])),
      );
    }
  });

  it('the operator check finds nothing to repair', async () => {
    expect(await t.host.rollups.check({ ...day, tenantIds: [tenantId] })).toEqual([]);
  });

  it('the check names a wrong cell, and a repair puts it right', async () => {
    const client = t.host.telemetry.client;
    const cells = expectedRollups(events).queue_interval_15m!;
    const cell = Object.keys(cells).sort((a, b) => cells[b]!.offered! - cells[a]!.offered!)[0]!;
    const [queueId, channel, at] = cell.split('|');
    const interval = new Date(at!);
    // As if a correction had been lost: one offered and one handled too many.
    await client.insert({
      table: 'queue_interval_15m',
      values: [{ tenant_id: tenantId, interval_start: interval.getTime() / 1000, queue_id: queueId, channel, offered: 1, handled: 1 }],
      format: 'JSONEachRow',
    });
    const found = await t.host.rollups.check({ ...day, tenantIds: [tenantId] });
    const { offered, handled } = cells[cell]!;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ tenant_id: tenantId, rollup: 'queue_interval_15m', interval_start: interval.toISOString() });
    expect(found[0]!.rollup_values).toEqual({ offered: offered! + 1, handled: handled! + 1 });
    expect(found[0]!.raw).toEqual({ offered, handled });

    expect(await t.host.rollups.repair({ ...day, tenantIds: [tenantId] })).toHaveLength(1);
    expect(await checkRollups(client, { ...day, tenantIds: [tenantId] })).toEqual([]);
    const stored = await storedRollups(client, tenantId);
    expect(stored.queue_interval_15m).toEqual(expectedRollups(events).queue_interval_15m);
  });

  it('keeps the rollups of an hour whose raw events were removed (retention): nothing to report, nothing wiped', async () => {
    const client = t.host.telemetry.client;
    const hour = { from: new Date(dayStart + 3 * 3_600_000), to: new Date(dayStart + 4 * 3_600_000) };
    const before = await storedRollups(client, tenantId);
    await client.command({
      query: `DELETE FROM events WHERE tenant_id = {tenantId:String} AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}`,
      query_params: { tenantId, from: hour.from.getTime() / 1000, to: hour.to.getTime() / 1000 },
    });
    expect(await t.host.rollups.check({ ...day, tenantIds: [tenantId] })).toEqual([]);
    expect(await t.host.rollups.repair({ ...day, tenantIds: [tenantId] })).toEqual([]);
    expect(await storedRollups(client, tenantId)).toEqual(before);
  });
});
