import { randomUUID } from 'node:crypto';
import { addLocalDays, localDateOf, localDay, localDays, localDayStart, toLocalSlot, weekdayOf } from '@switchboard/calendar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHORT_ABANDON_MS, type TelemetryEvent } from '@switchboard/contracts';
import { REPORT_MAX_STALE_MS } from '@switchboard/api';
import { demoCenter, simulate } from '@switchboard/simulator';
import { ndjson, post, waitForRollups } from './support/events.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { seedTenantWithMembers } from './support/members.ts';

/**
 * Reports against one simulated local day sent through ingest: totals equal the rows of
 * their drill-downs, rows add up to totals, and service level equals a count made here
 * from the events that were sent.
 */

let t: TestHost;
let admin: Awaited<ReturnType<typeof seedTenantWithMembers>>['callers'][number];
let supervisor: typeof admin;
let events: TelemetryEvent[];
let apiKey: string;
const tz = demoCenter.timezone;
const team = demoCenter.teams[0]!;

// A weekday four or more local days back: busy, and inside the late-event horizon.
let date = addLocalDays(localDateOf(Date.now(), tz), -4);
while ([0, 6].includes(weekdayOf(date))) date = addLocalDays(date, -1);
const dayStart = localDayStart(date, tz);

beforeAll(async () => {
  t = await startTestHost();
  const seeded = await seedTenantWithMembers(t, demoCenter, [{ role: 'admin' }, { role: 'supervisor', teamKeys: [team.id] }]);
  [admin, supervisor] = seeded.callers as [typeof admin, typeof admin];
  apiKey = seeded.apiKey;
  events = [...simulate({ config: demoCenter, seed: 5, start: dayStart.getTime(), end: localDay(date, tz).to.getTime() })];
  for (let i = 0; i < events.length; i += 10_000) {
    expect((await post(t.url, seeded.apiKey, ndjson(events.slice(i, i + 10_000)))).status).toBe(200);
  }
  await waitForRollups(t.url);
});
afterAll(async () => {
  await t?.stop();
});

type Kpis = Record<string, number | null>;

/** How many events stand behind each drill-down metric, from a row's KPIs. */
function expectedCount(metric: string, k: Kpis): number {
  const n = (id: string) => k[id] ?? 0;
  switch (metric) {
    case 'waits':
      return n('answered') + n('abandoned');
    case 'transferred':
      return Math.round(n('transfer_rate') * n('handled'));
    case 'held':
      return Math.round(n('hold_rate') * n('handled'));
    default:
      return n(metric);
  }
}

describe('reports over one simulated day', () => {
  it('every total and every row equals the number of events its drill-down lists', async () => {
    const report = await admin.reports.run({ from: date, to: date, grain: '60m', dimension: 'queue', compare: false });
    expect(report.rows.map((r) => r.key).sort()).toEqual(demoCenter.queues.map((q) => q.id).sort());
    expect(report.total.kpis.offered).toBeGreaterThan(3_000);
    const metrics = [...new Set(report.columns.flatMap((c) => (c.drill ? [c.drill] : [])))];
    expect(metrics.sort()).toEqual(['abandoned', 'answered', 'handled', 'offered', 'short_abandoned', 'transferred', 'waits']);
    for (const row of [...report.rows, report.total]) {
      for (const metric of metrics) {
        const keys = row.key ? [row.key] : undefined;
        const drill = await admin.reports.drill({ ...report.window, metric, dimension: 'queue', keys, limit: 5_000 });
        expect({ row: row.label, metric, total: drill.total }).toEqual({ row: row.label, metric, total: expectedCount(metric, row.kpis) });
        expect(drill.rows.length).toBe(Math.min(drill.total, 5_000));
      }
    }
  });

  it('each interval of the series equals its drill-down, and the intervals cover the day', async () => {
    const report = await admin.reports.run({ from: date, to: date, grain: '60m', dimension: 'channel', compare: false });
    expect(report.series).toHaveLength(24);
    const busiest = [...report.series].sort((a, b) => (b.kpis.offered ?? 0) - (a.kpis.offered ?? 0)).slice(0, 3);
    for (const point of busiest) {
      const to = new Date(Date.parse(point.bucket) + 3_600_000).toISOString();
      const drill = await admin.reports.drill({ from: point.bucket, to, metric: 'offered', dimension: 'channel', limit: 1 });
      expect(drill.total).toBe(point.kpis.offered);
    }
    expect(report.series.reduce((sum, p) => sum + (p.kpis.offered ?? 0), 0)).toBe(report.total.kpis.offered);
  });

  it('rows add up to the total, and service level equals a count made from the events sent', async () => {
    const report = await admin.reports.run({ from: date, to: date, grain: 'day', dimension: 'queue', compare: false });
    for (const id of ['offered', 'answered', 'abandoned', 'handled']) {
      expect(report.rows.reduce((sum, r) => sum + (r.kpis[id] ?? 0), 0)).toBe(report.total.kpis[id]);
    }
    const threshold = new Map(demoCenter.queues.map((q) => [q.id, q.sl_threshold_s * 1000]));
    const count = new Map<string, { within: number; ended: number }>();
    for (const e of events) {
      if (e.type !== 'interaction.answered' && e.type !== 'interaction.abandoned') continue;
      const c = count.get(e.queue_id) ?? { within: 0, ended: 0 };
      if (e.type === 'interaction.answered') {
        c.ended++;
        if (e.wait_ms <= threshold.get(e.queue_id)!) c.within++;
      } else if (e.wait_ms >= SHORT_ABANDON_MS) c.ended++;
      count.set(e.queue_id, c);
    }
    for (const row of report.rows) {
      const c = count.get(row.key)!;
      expect(row.kpis.service_level).toBeCloseTo(c.within / c.ended, 12);
    }
    const all = [...count.values()].reduce((a, c) => ({ within: a.within + c.within, ended: a.ended + c.ended }), { within: 0, ended: 0 });
    expect(report.total.kpis.service_level).toBeCloseTo(all.within / all.ended, 12);
  });

  it('a supervisor gets their team only, and its handled contacts equal the drill-down', async () => {
    const report = await supervisor.reports.run({ from: date, to: date, grain: 'day', dimension: 'team', compare: false });
    expect(report.rows.map((r) => r.key)).toEqual([team.id]);
    const drill = await supervisor.reports.drill({ ...report.window, metric: 'handled', dimension: 'team', keys: [team.id], limit: 1 });
    expect(drill.total).toBe(report.rows[0]!.kpis.handled);
    expect(drill.total).toBeGreaterThan(0);
    const other = demoCenter.teams[1]!.id;
    await expect(supervisor.reports.drill({ ...report.window, metric: 'handled', dimension: 'team', keys: [other], limit: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const agents = await supervisor.reports.run({ from: date, to: date, grain: 'day', dimension: 'agent', compare: false });
    const ofTeam = new Set(demoCenter.agents.filter((a) => a.team_id === team.id).map((a) => a.id));
    expect(agents.rows.length).toBeGreaterThan(0);
    expect(agents.rows.every((r) => ofTeam.has(r.key))).toBe(true);
  });

  it('compares with the same days a week earlier, and days before the data compare with nothing', async () => {
    const report = await admin.reports.run({ from: date, to: date, grain: 'day', dimension: 'queue', compare: true });
    expect(Date.parse(report.window.from) - Date.parse(report.previousWindow!.from)).toBeGreaterThanOrEqual(7 * 86_400_000 - 3_600_000);
    expect(report.total.previous?.offered).toBe(0);
    expect(report.total.previous?.service_level).toBeNull();
  });

  it('compares a week later with the same day: the previous figures are that day’s, by row and by bucket', async () => {
    const later = addLocalDays(date, 7);
    for (const grain of ['day', '60m'] as const) {
      const [that, compared] = await Promise.all([
        admin.reports.run({ from: date, to: date, grain, dimension: 'queue', compare: false }),
        admin.reports.run({ from: later, to: later, grain, dimension: 'queue', compare: true }),
      ]);
      expect(compared.total.previous).toEqual(that.total.kpis);
      expect(compared.rows.map((r) => [r.key, r.previous])).toEqual(that.rows.map((r) => [r.key, r.kpis]));
      expect(compared.series.map((p) => p.previous)).toEqual(that.series.map((p) => p.kpis));
    }
  });

  it('answers viewers of different scopes asking at the same moment each within their scope', async () => {
    const input = { from: date, to: date, grain: 'day', dimension: 'agent', compare: false } as const;
    const [all, mine] = await Promise.all([admin.reports.run(input), supervisor.reports.run(input)]);
    const ofTeam = new Set(demoCenter.agents.filter((a) => a.team_id === team.id).map((a) => a.id));
    expect(all.rows.some((r) => !ofTeam.has(r.key))).toBe(true);
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.every((r) => ofTeam.has(r.key))).toBe(true);
  });

  it('opens an interaction as its timeline, in the order of a contact’s life', async () => {
    const report = await admin.reports.run({ from: date, to: date, grain: 'day', dimension: 'queue', compare: false });
    const drill = await admin.reports.drill({ ...report.window, metric: 'handled', dimension: 'queue', limit: 50 });
    const row = drill.rows.find((r) => r.outcome === 'handled')!;
    const timeline = await admin.interactions.timeline({ interactionId: row.interactionId, around: row.occurredAt });
    const types = timeline.events.map((e) => e.type);
    const sent = events.filter((e) => 'interaction_id' in e && e.interaction_id === row.interactionId);
    expect(types.length).toBe(sent.length);
    for (const [before, after] of [
      ['interaction.offered', 'interaction.answered'],
      ['interaction.answered', 'interaction.ended'],
      ['interaction.ended', 'interaction.wrapup_ended'],
    ] as const) {
      expect(types.indexOf(before)).toBeLessThan(types.indexOf(after));
    }
  });

  it('self-service figures per intent equal the sessions their drill-downs list', async () => {
    const bots = await admin.reports.bots({ from: date, to: date });
    expect(bots.total.sessions).toBeGreaterThan(500);
    for (const row of bots.intents.slice(0, 4)) {
      for (const [metric, expected] of [
        ['bot_sessions', row.sessions],
        ['bot_contained', row.contained],
        ['bot_escalated', row.escalated],
        ['bot_abandoned', row.abandoned],
      ] as const) {
        const drill = await admin.reports.drill({ ...bots.window, metric, dimension: 'intent', keys: [row.intent], limit: 5_000 });
        expect({ intent: row.intent, metric, total: drill.total }).toEqual({ intent: row.intent, metric, total: expected });
      }
    }
    const sent = events.filter((e) => e.type === 'bot.session_ended' && e.outcome === 'contained').length;
    expect(bots.total.contained).toBe(sent);
  });

  it('shows a contact offered just now in a report that includes today within a few seconds, though it was just computed', async () => {
    const today = localDateOf(Date.now(), tz);
    const input = { from: today, to: today, grain: 'day', dimension: 'queue', compare: false } as const;
    const before = (await admin.reports.run(input)).total.kpis.offered ?? 0;
    const at = new Date().toISOString();
    const offered = { event_id: randomUUID(), type: 'interaction.offered', schema_version: 1, occurred_at: at, sent_at: at, source: 'routing' };
    const contact = { ...offered, interaction_id: randomUUID(), queue_id: demoCenter.queues[0]!.id, channel: demoCenter.queues[0]!.channel };
    expect((await post(t.url, apiKey, ndjson([contact as TelemetryEvent]))).status).toBe(200);
    const deadline = Date.now() + REPORT_MAX_STALE_MS + 2_000;
    let shown = before;
    while (shown === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      shown = (await admin.reports.run(input)).total.kpis.offered ?? 0;
    }
    expect(shown).toBe(before + 1);
  });

  it('refuses ranges it cannot answer with a reason', async () => {
    await expect(admin.reports.run({ from: date, to: '2020-01-01', grain: 'day', dimension: 'queue' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.reports.run({ from: '2025-01-01', to: '2025-06-30', grain: '15m', dimension: 'queue' })).rejects.toThrow(
      /intraday grains cover at most/,
    );
  });
});

describe('reports on the tenant calendar', () => {
  /**
   * Rollup cells written directly (the dates are past the late-event horizon, and the check
   * never looks that far back): in every real 15-minute interval of the days, as many
   * contacts offered as the local hour plus one, so an hour-off bucket shows.
   */
  async function tenantWithTraffic(timezone: string, first: string, days: number) {
    const seeded = await seedTenantWithMembers(t, { ...demoCenter, timezone }, [{ role: 'admin' }]);
    const { from, to } = localDays(first, days, timezone);
    const values = [];
    for (let at = from.getTime(); at < to.getTime(); at += 900_000) {
      const offered = toLocalSlot(at, timezone, 60).slot + 1;
      values.push({
        tenant_id: seeded.tenantId,
        interval_start: new Date(at).toISOString().slice(0, 19).replace('T', ' '),
        queue_id: 'q1',
        channel: 'voice',
        offered,
      });
    }
    await t.host.telemetry.client.insert({ table: 'queue_interval_15m', values, format: 'JSONEachRow' });
    return seeded.callers[0]!;
  }
  const run = (caller: typeof admin, from: string, to: string, grain: '15m' | '60m' | 'day' | 'week', compare = false) =>
    caller.reports.run({ from, to, grain, dimension: 'queue', compare });

  it("buckets New York's fall-back and spring-forward days by the local clock: 100 and 92 quarter-hours, 25 and 23 hours", async () => {
    const zone = 'America/New_York';
    const fall = await tenantWithTraffic(zone, '2025-10-20', 21);
    const quarters = await run(fall, '2025-11-02', '2025-11-02', '15m');
    expect(quarters.series).toHaveLength(100);
    expect(quarters.series.map((p) => p.kpis.offered)).toEqual(localDayHoursOffered(zone, '2025-11-02', 15));
    const hours = await run(fall, '2025-11-02', '2025-11-02', '60m');
    expect(hours.series.map((p) => p.bucket).slice(0, 4)).toEqual([
      '2025-11-02T04:00:00.000Z',
      '2025-11-02T05:00:00.000Z',
      '2025-11-02T06:00:00.000Z',
      '2025-11-02T07:00:00.000Z',
    ]);
    // 01:00 happens twice, each an hour of four quarter-hours with 2 contacts.
    expect(hours.series.map((p) => p.kpis.offered).slice(0, 4)).toEqual([4, 8, 8, 12]);
    expect(hours.total.kpis.offered).toBe(quarters.total.kpis.offered);

    const spring = await tenantWithTraffic(zone, '2025-03-03', 14);
    const short = await run(spring, '2025-03-09', '2025-03-09', '15m');
    expect(short.series).toHaveLength(92);
    const shortHours = await run(spring, '2025-03-09', '2025-03-09', '60m');
    expect(shortHours.series.map((p) => p.kpis.offered).slice(0, 3)).toEqual([4, 8, 16]);
  });

  it('compares with the same local clock time a week earlier across a clock change, by hour, day and week', async () => {
    const fall = await tenantWithTraffic('America/New_York', '2025-10-20', 21);
    // The Monday after fall-back against the Monday before: hour by hour, the same figures.
    const hourly = await run(fall, '2025-11-03', '2025-11-03', '60m', true);
    expect(hourly.series).toHaveLength(24);
    expect(hourly.series.map((p) => p.previous?.offered)).toEqual(hourly.series.map((p) => p.kpis.offered));
    // Days spanning the change: each day against its own week-earlier day, none empty.
    const daily = await run(fall, '2025-10-31', '2025-11-04', 'day', true);
    const weekBefore = await run(fall, '2025-10-24', '2025-10-28', 'day');
    expect(daily.series.map((p) => p.previous?.offered)).toEqual(weekBefore.series.map((p) => p.kpis.offered));
    expect(daily.series.every((p) => (p.previous?.offered ?? 0) > 0)).toBe(true);
    const weekly = await run(fall, '2025-11-03', '2025-11-09', 'week', true);
    expect(weekly.series.map((p) => p.bucket)).toEqual(['2025-11-03T05:00:00.000Z']);
    expect(weekly.series[0]!.previous?.offered).toBe((await run(fall, '2025-10-27', '2025-11-02', 'day')).total.kpis.offered);
  });

  it('puts hourly buckets on the local clock at +05:45 and half-slot hours on Lord Howe', async () => {
    const kathmandu = await tenantWithTraffic('Asia/Kathmandu', '2025-06-02', 1);
    const hours = await run(kathmandu, '2025-06-02', '2025-06-02', '60m');
    expect(hours.series.map((p) => p.bucket).slice(0, 2)).toEqual(['2025-06-01T18:15:00.000Z', '2025-06-01T19:15:00.000Z']);
    expect(hours.series.map((p) => p.kpis.offered)).toEqual(Array.from({ length: 24 }, (_, h) => 4 * (h + 1)));
    const lordHowe = await tenantWithTraffic('Australia/Lord_Howe', '2025-04-06', 1);
    const back = await run(lordHowe, '2025-04-06', '2025-04-06', '60m');
    // 24.5 hours: 01:00–02:00 daylight time, then 01:30–02:00 again on standard time.
    expect(back.series).toHaveLength(25);
    expect(back.series.map((p) => p.kpis.offered).slice(0, 4)).toEqual([4, 8, 4, 12]);
  });
});

/** The offered figures tenantWithTraffic writes, per quarter-hour of a local day. */
function localDayHoursOffered(zone: string, date: string, minutes: 15): number[] {
  const { from, to } = localDay(date, zone);
  const out = [];
  for (let at = from.getTime(); at < to.getTime(); at += minutes * 60_000) out.push(toLocalSlot(at, zone, 60).slot + 1);
  return out;
}
