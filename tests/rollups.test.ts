import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceLevelThresholdsS, SHORT_ABANDON_MS, type TelemetryEvent } from '@switchboard/contracts';
import { demoCenter, simulate } from '@switchboard/simulator';
import { countEventsByType, queryRows, UInt64 } from '@switchboard/telemetry';
import { ndjson, post } from './support/events.ts';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * For one simulated day sent through the ingest API out of order, every cell of every
 * rollup equals the figure computed here, in plain TypeScript, from the events that were sent.
 */
let t: TestHost;
let tenantId: string;
let events: TelemetryEvent[];
// A whole UTC weekday (busy) a few days back, within the late-event horizon whenever the test runs.
let dayStart = (Math.floor(Date.now() / 86_400_000) - 3) * 86_400_000;
while ([0, 6].includes(new Date(dayStart).getUTCDay())) dayStart -= 86_400_000;

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
});
afterAll(async () => {
  await t?.stop();
});

type InteractionEvent = Extract<TelemetryEvent, { type: `interaction.${string}` }>;
const isInteraction = (e: TelemetryEvent): e is InteractionEvent => e.type.startsWith('interaction.');

const interval = (iso: string) => new Date(Math.floor(Date.parse(iso) / 900_000) * 900_000).toISOString();
const chTime = z.string().transform((v) => `${v.replace(' ', 'T')}.000Z`);

function add(map: Map<string, Record<string, number>>, key: string, values: Record<string, number>) {
  const row = map.get(key) ?? {};
  for (const [k, v] of Object.entries(values)) row[k] = k === 'wait_ms_max' ? Math.max(row[k] ?? 0, v) : (row[k] ?? 0) + v;
  map.set(key, row);
}

describe('rollups equal the raw events (one simulated day)', () => {
  it('stored every event the simulator produced', async () => {
    expect(events.length).toBeGreaterThan(50_000);
    const byType = await countEventsByType(t.host.telemetry.client, {
      tenantId,
      from: new Date(dayStart - 86_400_000),
      to: new Date(dayStart + 3 * 86_400_000),
    });
    const expected = new Map<string, number>();
    for (const e of events) expected.set(e.type, (expected.get(e.type) ?? 0) + 1);
    expect(Object.fromEntries(byType.map((r) => [r.type, r.events]))).toEqual(Object.fromEntries(expected));
  });

  it('queue_interval_15m', async () => {
    const expected = new Map<string, Record<string, number>>();
    for (const e of events) {
      if (!isInteraction(e)) continue;
      const key = `${e.queue_id}|${e.channel}|${interval(e.occurred_at)}`;
      const values: Record<string, number> = {};
      if (e.type === 'interaction.offered') values.offered = 1;
      if (e.type === 'interaction.answered') {
        values.answered = 1;
        values.wait_answered_ms_sum = e.wait_ms;
        values.wait_ms_max = e.wait_ms;
        for (const s of serviceLevelThresholdsS) values[`answered_within_${s}s`] = e.wait_ms <= s * 1000 ? 1 : 0;
      }
      if (e.type === 'interaction.abandoned') {
        values.abandoned = 1;
        values.short_abandoned = e.wait_ms < SHORT_ABANDON_MS ? 1 : 0;
        values.wait_abandoned_ms_sum = e.wait_ms;
        values.wait_ms_max = e.wait_ms;
      }
      if (e.type === 'interaction.ended') Object.assign(values, { handled: 1, talk_ms_sum: e.talk_ms, hold_ms_sum: e.hold_ms });
      if (e.type === 'interaction.wrapup_ended') Object.assign(values, { wrapups: 1, wrapup_ms_sum: e.wrapup_ms });
      if (e.type === 'interaction.held') values.holds = 1;
      if (e.type === 'interaction.transferred') values.transferred = 1;
      add(expected, key, values);
    }
    const columns = [
      'offered', 'answered', ...serviceLevelThresholdsS.map((s) => `answered_within_${s}s`), 'abandoned', 'short_abandoned',
      'wait_answered_ms_sum', 'wait_abandoned_ms_sum', 'wait_ms_max', 'handled', 'talk_ms_sum', 'hold_ms_sum', 'wrapups',
      'wrapup_ms_sum', 'holds', 'transferred',
    ];
    const rows = await queryRows(
      t.host.telemetry.client,
      z.object({ queue_id: z.string(), channel: z.string(), interval_start: chTime }).catchall(UInt64),
      `SELECT queue_id, channel, interval_start, ${columns.map((c) => `${c === 'wait_ms_max' ? 'max' : 'sum'}(${c}) AS ${c}`).join(', ')}
         FROM queue_interval_15m WHERE tenant_id = {tenantId:String}
        GROUP BY queue_id, channel, interval_start`,
      { tenantId },
    );
    const actual = new Map(
      rows.map((r) => [`${r.queue_id}|${r.channel}|${r.interval_start}`, Object.fromEntries(columns.map((c) => [c, Number(r[c])]))]),
    );
    const normalised = new Map([...expected].map(([k, v]) => [k, Object.fromEntries(columns.map((c) => [c, v[c] ?? 0]))]));
    expect(actual.size).toBeGreaterThan(100);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(normalised));
  });

  it('agent_interval_15m: what each agent handled per queue', async () => {
    const expected = new Map<string, Record<string, number>>();
    for (const e of events) {
      if (!isInteraction(e) || !('agent_id' in e)) continue;
      const values: Record<string, number> = {};
      if (e.type === 'interaction.answered') values.answered = 1;
      if (e.type === 'interaction.ended') Object.assign(values, { handled: 1, talk_ms_sum: e.talk_ms, hold_ms_sum: e.hold_ms });
      if (e.type === 'interaction.wrapup_ended') Object.assign(values, { wrapups: 1, wrapup_ms_sum: e.wrapup_ms });
      if (e.type === 'interaction.held') values.holds = 1;
      if (e.type === 'interaction.transferred') values.transferred = 1;
      if (Object.keys(values).length > 0) add(expected, `${e.agent_id}|${e.queue_id}|${e.channel}|${interval(e.occurred_at)}`, values);
    }
    const columns = ['answered', 'handled', 'talk_ms_sum', 'hold_ms_sum', 'wrapups', 'wrapup_ms_sum', 'holds', 'transferred'];
    const rows = await queryRows(
      t.host.telemetry.client,
      z.object({ agent_id: z.string(), queue_id: z.string(), channel: z.string(), interval_start: chTime }).catchall(UInt64),
      `SELECT agent_id, queue_id, channel, interval_start, ${columns.map((c) => `sum(${c}) AS ${c}`).join(', ')}
         FROM agent_interval_15m WHERE tenant_id = {tenantId:String}
        GROUP BY agent_id, queue_id, channel, interval_start`,
      { tenantId },
    );
    const actual = new Map(
      rows.map((r) => [`${r.agent_id}|${r.queue_id}|${r.channel}|${r.interval_start}`, Object.fromEntries(columns.map((c) => [c, Number(r[c])]))]),
    );
    const normalised = new Map([...expected].map(([k, v]) => [k, Object.fromEntries(columns.map((c) => [c, v[c] ?? 0]))]));
    expect(actual.size).toBeGreaterThan(100);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(normalised));
  });

  it('agent_state_interval_15m: time in state split over intervals, and entries', async () => {
    const expected = new Map<string, Record<string, number>>();
    for (const e of events) {
      if (e.type !== 'agent.state_changed') continue;
      add(expected, `${e.agent_id}|${e.state}|${interval(e.occurred_at)}`, { entries: 1 });
      if (!e.previous_state || !e.previous_state_ms) continue;
      const end = Date.parse(e.occurred_at);
      const start = end - e.previous_state_ms;
      for (let slot = Math.floor(start / 900_000) * 900_000; slot < end; slot += 900_000) {
        const ms = Math.min(end, slot + 900_000) - Math.max(start, slot);
        add(expected, `${e.agent_id}|${e.previous_state}|${new Date(slot).toISOString()}`, { state_ms: ms });
      }
    }
    const rows = await queryRows(
      t.host.telemetry.client,
      z.object({ agent_id: z.string(), state: z.string(), interval_start: chTime, state_ms: UInt64, entries: UInt64 }),
      `SELECT agent_id, state, interval_start, sum(state_ms) AS state_ms, sum(entries) AS entries
         FROM agent_state_interval_15m WHERE tenant_id = {tenantId:String}
        GROUP BY agent_id, state, interval_start`,
      { tenantId },
    );
    const actual = Object.fromEntries(rows.map((r) => [`${r.agent_id}|${r.state}|${r.interval_start}`, { state_ms: r.state_ms, entries: r.entries }]));
    const want = Object.fromEntries([...expected].map(([k, v]) => [k, { state_ms: v.state_ms ?? 0, entries: v.entries ?? 0 }]));
    expect(Object.keys(actual).length).toBeGreaterThan(1000);
    expect(actual).toEqual(want);
  });

  it('bot_intent_interval_15m', async () => {
    const expected = new Map<string, Record<string, number>>();
    for (const e of events) {
      if (e.type !== 'bot.session_ended') continue;
      add(expected, `${e.bot_id}|${e.channel}|${e.intent ?? ''}|${e.escalation_reason ?? ''}|${interval(e.occurred_at)}`, {
        sessions: 1,
        contained: e.outcome === 'contained' ? 1 : 0,
        escalated: e.outcome === 'escalated' ? 1 : 0,
        abandoned: e.outcome === 'abandoned' ? 1 : 0,
        turns_sum: e.turns,
        duration_ms_sum: e.duration_ms,
      });
    }
    const columns = ['sessions', 'contained', 'escalated', 'abandoned', 'turns_sum', 'duration_ms_sum'];
    const rows = await queryRows(
      t.host.telemetry.client,
      z.object({ bot_id: z.string(), channel: z.string(), intent: z.string(), escalation_reason: z.string(), interval_start: chTime }).catchall(UInt64),
      `SELECT bot_id, channel, intent, escalation_reason, interval_start, ${columns.map((c) => `sum(${c}) AS ${c}`).join(', ')}
         FROM bot_intent_interval_15m WHERE tenant_id = {tenantId:String}
        GROUP BY bot_id, channel, intent, escalation_reason, interval_start`,
      { tenantId },
    );
    const actual = Object.fromEntries(
      rows.map((r) => [
        `${r.bot_id}|${r.channel}|${r.intent}|${r.escalation_reason}|${r.interval_start}`,
        Object.fromEntries(columns.map((c) => [c, Number(r[c])])),
      ]),
    );
    expect(Object.keys(actual).length).toBeGreaterThan(50);
    expect(actual).toEqual(Object.fromEntries(expected));
  });
});
