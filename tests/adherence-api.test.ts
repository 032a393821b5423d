import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocalDays, localDateOf, localDayStart, localWeekStart } from '@switchboard/calendar';
import type { TelemetryEvent } from '@switchboard/contracts';
import {
  getDirectory,
  listAudit,
  listPlanningGroups,
  publishSchedule,
  saveDraftSchedule,
  seedSchedulingDefaults,
  type ActivityInput,
  type Directory,
} from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { syncScheduleSnapshots } from '@switchboard/workflows';
import { postAll } from './support/events.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { seedTenantWithMembers } from './support/members.ts';

/**
 * Adherence through the real router and stores (PGlite, chDB): a published day, state events
 * sent through ingest, the clock fixed at 15:00 of that day, so each verdict, duration and
 * minute count below is counted by hand. Times are minutes after the local midnight (on a
 * clock-change day they are still real minutes). Grace is the default 2 minutes.
 */

const tz = demoCenter.timezone;
/** Two days back: state events must be in the past, and within the ingest horizon. */
const DAY = addLocalDays(localDateOf(Date.now(), tz), -2);
const dayStart = localDayStart(DAY, tz).getTime();
const t = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(dayStart + (h * 60 + m) * 60_000);
};
const NOW = t('15:00');

const team = demoCenter.teams[0]!;
const otherTeam = demoCenter.teams[2]!;
const teamAgents = demoCenter.agents.filter((a) => a.team_id === team.id);
type Agent = (typeof teamAgents)[number];
const [a1, a2, a3, a4, a5, a6] = teamAgents as [Agent, Agent, Agent, Agent, Agent, Agent, ...Agent[]];
const outsider = demoCenter.agents.find((a) => a.team_id === otherTeam.id)!;

let host: TestHost;
let tenantId: string;
let directory: Directory;
type Caller = Awaited<ReturnType<typeof seedTenantWithMembers>>['callers'][number];
let admin: Caller;
let planner: Caller;
let supervisor: Caller;
let otherSupervisor: Caller;
let agent: Caller;

function stateEvent(agentKey: string, hhmm: string, state: string, reasonCode?: string): TelemetryEvent {
  const at = t(hhmm).toISOString();
  return {
    event_id: randomUUID(),
    type: 'agent.state_changed',
    schema_version: 1,
    occurred_at: at,
    sent_at: at,
    source: 'desktop',
    agent_id: agentKey,
    state,
    ...(reasonCode ? { reason_code: reasonCode } : {}),
  } as TelemetryEvent;
}

beforeAll(async () => {
  host = await startTestHost();
  const seeded = await seedTenantWithMembers(
    host,
    demoCenter,
    [
      { role: 'admin' },
      { role: 'planner' },
      { role: 'supervisor', teamKeys: [team.id] },
      { role: 'supervisor', teamKeys: [otherTeam.id] },
      { role: 'agent', agentKey: a1.id },
    ],
    () => NOW,
  );
  tenantId = seeded.tenantId;
  [admin, planner, supervisor, otherSupervisor, agent] = seeded.callers as [Caller, Caller, Caller, Caller, Caller];
  const db = host.host.db.db;
  directory = (await getDirectory(db, tenantId))!;
  const idOf = (key: string) => directory.agents.find((a) => a.key === key)!.id;
  const work = (key: string, from: string, to: string, kind: ActivityInput['kind'] = 'work'): ActivityInput => ({
    agentId: idOf(key),
    kind,
    startsAt: t(from),
    endsAt: t(to),
    shiftDate: DAY,
    templateId: null,
  });
  await seedSchedulingDefaults(db, tenantId, NOW);
  const group = (await listPlanningGroups(db, tenantId)).find((g) => g.key === 'voice')!;
  const draft = await saveDraftSchedule(db, tenantId, {
    groupId: group.id,
    weekStart: localWeekStart(DAY, 1),
    timezone: tz,
    staffingVersionId: null,
    workflowId: randomUUID(),
    summary: { figures: { lpBound: 0, penalty: 0 }, required: [], scheduled: [], dayStarts: [], notes: [] },
    activities: [
      work(a1.id, '09:00', '12:00'),
      work(a1.id, '12:00', '12:30', 'lunch'),
      work(a1.id, '12:30', '17:00'),
      work(a2.id, '08:00', '16:00'),
      work(a3.id, '08:00', '14:55'),
      work(a3.id, '14:55', '15:10', 'break'),
      work(a3.id, '15:10', '17:00'),
      work(a4.id, '14:00', '22:00'),
      work(a6.id, '14:59', '23:00'),
      // a5: the night before's shift, ending this morning; it belongs to the day it began.
      { ...work(a5.id, '00:00', '06:00'), startsAt: new Date(dayStart - 2 * 3_600_000), shiftDate: addLocalDays(DAY, -1) },
      work(outsider.id, '09:00', '17:00'),
    ],
  });
  await publishSchedule(db, tenantId, null, draft.id, NOW, NOW);
  await syncScheduleSnapshots({ db, telemetry: host.host.telemetry.client }, tenantId);
  await postAll(host.url, seeded.apiKey, [
    // a1: to lunch 5 minutes late, back 3 minutes late, on a break during work since 14:48.
    stateEvent(a1.id, '08:55', 'available'),
    stateEvent(a1.id, '12:05', 'lunch'),
    stateEvent(a1.id, '12:33', 'available'),
    stateEvent(a1.id, '14:48', 'break', 'personal'),
    stateEvent(a2.id, '07:58', 'available'),
    stateEvent(a3.id, '10:00', 'available'),
    stateEvent(a5.id, '11:00', 'available'),
    stateEvent(outsider.id, '08:59', 'available'),
  ]);
}, 180_000);

afterAll(async () => {
  await host?.stop();
});

type Realtime = Awaited<ReturnType<Caller['adherence']['realtime']>>;
const row = (view: Realtime, key: string) => view.agents.find((a) => a.key === key)!;

describe('the real-time view', () => {
  it("shows the supervisor's team only, the worst first, with hand-counted verdicts and durations", async () => {
    const view = await supervisor.adherence.realtime({});
    expect(view.agents.map((a) => a.key).sort()).toEqual(teamAgents.map((a) => a.id).sort());
    expect(view.agents.slice(0, 5).map((a) => [a.key, a.status, a.outForS])).toEqual([
      // Offline since the 14:00 start: out from 14:02 (grace), 58 minutes.
      [a4.id, 'out', 58 * 60],
      // A break during work since 14:48.
      [a1.id, 'out', 12 * 60],
      // Available through the 14:55 break: out from 14:57.
      [a3.id, 'out', 3 * 60],
      // The shift began at 14:59: within grace until 15:01.
      [a6.id, 'grace', null],
      [a2.id, 'adherent', null],
    ]);
    expect(row(view, a4.id)).toMatchObject({ severity: 'critical', state: 'offline', stateSince: null, outSince: t('14:02').toISOString() });
    expect(row(view, a1.id)).toMatchObject({
      severity: 'critical',
      state: 'break',
      reasonCode: 'personal',
      stateSince: t('14:48').toISOString(),
      activity: { kind: 'work', start: t('12:30').toISOString(), end: t('17:00').toISOString() },
    });
    expect(row(view, a3.id)).toMatchObject({ severity: 'warning', activity: { kind: 'break', end: t('15:10').toISOString() }, next: { kind: 'work' } });
    expect(row(view, a5.id)).toMatchObject({ status: 'unscheduled', state: 'available', activity: null });
    expect(view.counts).toMatchObject({ out: 3, grace: 1, adherent: 1, unscheduled: teamAgents.length - 5 });
  });

  it("counts today's minutes so far by hand: late to lunch, late back, on a break since 14:48", async () => {
    const view = await supervisor.adherence.realtime({ teamKey: team.id });
    // 360 scheduled minutes 09:00–15:00. Out: 12:02–12:04 (3, after the 12:00 edge's grace), 12:32 (1), 14:48–14:59 (12).
    // Productive: 08:55–12:04 (190) and 12:33–14:47 (135), against 330 scheduled work minutes.
    expect(row(view, a1.id).today).toEqual({ adherence: 344 / 360, conformance: 325 / 330, outOfAdherenceMin: 16, scheduledMin: 360 });
    // a2 available throughout 08:00–15:00.
    expect(row(view, a2.id).today).toMatchObject({ adherence: 1, scheduledMin: 420 });
    // The view's total is the KPI of the summed minutes, not an average of the agents' figures.
    const rows = view.agents.filter((a) => a.today.scheduledMin > 0);
    const scheduled = rows.reduce((s, a) => s + a.today.scheduledMin, 0);
    const out = rows.reduce((s, a) => s + a.today.outOfAdherenceMin, 0);
    expect(view.today.scheduledMin).toBe(scheduled);
    expect(view.today.adherence).toBeCloseTo((scheduled - out) / scheduled, 12);
  });

  it('keeps other teams, and everything else, from a supervisor; an agent sees their own widget only', async () => {
    await expect(otherSupervisor.adherence.realtime({ teamKey: team.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(otherSupervisor.adherence.minutes({ agentKey: a1.id, date: DAY })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(otherSupervisor.adherence.gantt({ teamKey: team.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const theirs = await otherSupervisor.adherence.realtime({});
    expect(theirs.agents.every((a) => a.teamKey === otherTeam.id)).toBe(true);
    expect(row(theirs, outsider.id)).toMatchObject({ status: 'adherent' });

    await expect(agent.adherence.realtime({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(agent.adherence.minutes({ agentKey: a2.id, date: DAY })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const mine = await agent.adherence.mine();
    expect(mine).toMatchObject({
      status: 'out',
      state: 'break',
      outSince: t('14:48').toISOString(),
      activity: { kind: 'work', end: t('17:00').toISOString() },
      next: null,
      today: { outOfAdherenceMin: 16, scheduledMin: 360 },
    });
  });

  it('draws the Gantt: scheduled and actual per agent, the minutes out as spans', async () => {
    const gantt = await supervisor.adherence.gantt({ teamKey: team.id });
    expect(gantt).toMatchObject({ date: DAY, dayStart: new Date(dayStart).toISOString(), now: NOW.toISOString() });
    const mine = gantt.agents.find((a) => a.key === a1.id)!;
    expect(mine.activities.map((a) => a.kind)).toEqual(['work', 'lunch', 'work']);
    expect(mine.states.map((s) => [s.state, s.start, s.end])).toEqual([
      ['offline', new Date(dayStart).toISOString(), t('08:55').toISOString()],
      ['available', t('08:55').toISOString(), t('12:05').toISOString()],
      ['lunch', t('12:05').toISOString(), t('12:33').toISOString()],
      ['available', t('12:33').toISOString(), t('14:48').toISOString()],
      ['break', t('14:48').toISOString(), NOW.toISOString()],
    ]);
    expect(mine.out).toEqual([
      { start: t('12:02').toISOString(), end: t('12:05').toISOString() },
      { start: t('12:32').toISOString(), end: t('12:33').toISOString() },
      { start: t('14:48').toISOString(), end: NOW.toISOString() },
    ]);
    expect(mine.adherence).toBe(344 / 360);
    // The minutes behind a row are its shift day's: a night shift's is the day it began.
    expect(mine.shiftDate).toBe(DAY);
    const night = gantt.agents.find((a) => a.key === a5.id)!;
    expect(night.activities).toEqual([{ kind: 'work', start: new Date(dayStart - 2 * 3_600_000).toISOString(), end: t('06:00').toISOString() }]);
    expect(night.shiftDate).toBe(addLocalDays(DAY, -1));
  });
});

describe('reports', () => {
  it('add up: the total is the sum of the rows, and each agent row the count of its drill-down minutes', async () => {
    const byAgent = await supervisor.adherence.report({ from: DAY, to: DAY, by: 'agent' });
    const scheduled = byAgent.rows.filter((r) => r.sums.scheduled_min > 0);
    expect(scheduled.map((r) => r.key).sort()).toEqual([a1.id, a2.id, a3.id, a4.id, a6.id].sort());
    const summed = byAgent.rows.reduce(
      (s, r) => ({
        scheduled_min: s.scheduled_min + r.sums.scheduled_min,
        adherent_min: s.adherent_min + r.sums.adherent_min,
        work_scheduled_min: s.work_scheduled_min + r.sums.work_scheduled_min,
        productive_min: s.productive_min + r.sums.productive_min,
      }),
      { scheduled_min: 0, adherent_min: 0, work_scheduled_min: 0, productive_min: 0 },
    );
    expect(byAgent.total.sums).toEqual(summed);
    expect(byAgent.total.kpis.adherence).toBeCloseTo(summed.adherent_min / summed.scheduled_min, 12);
    expect(byAgent.rows.find((r) => r.key === a1.id)!.sums).toEqual({ scheduled_min: 360, adherent_min: 344, work_scheduled_min: 330, productive_min: 325 });

    for (const r of scheduled) {
      const drill = await supervisor.adherence.minutes({ agentKey: r.key, date: DAY });
      expect(drill.minutes.length, r.key).toBe(r.sums.scheduled_min);
      expect(drill.minutes.filter((m) => m.verdict !== 'out').length, r.key).toBe(r.sums.adherent_min);
      expect(drill.sums, r.key).toEqual(r.sums);
    }
    const byTeam = await admin.adherence.report({ from: DAY, to: DAY, by: 'team' });
    const ours = byTeam.rows.find((r) => r.key === team.id)!;
    expect(ours.sums).toEqual(byAgent.total.sums);
    const byDay = await admin.adherence.report({ from: addLocalDays(DAY, -1), to: DAY, by: 'day' });
    // The day before holds a5's night shift alone: eight hours offline, adherent only in the grace at each edge.
    expect(byDay.rows.map((r) => r.key)).toEqual([addLocalDays(DAY, -1), DAY]);
    expect(byDay.rows[0]!.sums).toMatchObject({ scheduled_min: 480, adherent_min: 4 });
    expect(byDay.rows[1]!.sums).toEqual(byTeam.total.sums);
  });

  it('lists the state events behind the minutes of a day', async () => {
    const drill = await agent.adherence.minutes({ agentKey: a1.id, date: DAY });
    expect(drill.events.map((e) => [e.at, e.state, e.reasonCode])).toEqual([
      [t('08:55').toISOString(), 'available', null],
      [t('12:05').toISOString(), 'lunch', null],
      [t('12:33').toISOString(), 'available', null],
      [t('14:48').toISOString(), 'break', 'personal'],
    ]);
    expect(drill.minutes.filter((m) => m.minute >= t('12:00').toISOString() && m.minute < t('12:06').toISOString()).map((m) => m.verdict)).toEqual([
      'grace',
      'grace',
      'out',
      'out',
      'out',
      'adherent',
    ]);
  });
});

describe('exceptions', () => {
  it('are filed, decided only by the supervisor of the team (or an admin), audited, and count as adherent once approved', async () => {
    // The agent's lunch started late because coaching ran over: 12:00–12:10.
    const filed = await agent.adherence.exceptions.file({
      agentKey: a1.id,
      start: t('12:00').toISOString(),
      end: t('12:10').toISOString(),
      reason: 'coaching_overran',
      note: 'coaching with Sam ran over',
    });
    expect(filed).toMatchObject({ status: 'pending', agentKey: a1.id, filedByYou: true });
    await expect(agent.adherence.exceptions.file({ agentKey: a2.id, start: filed.start, end: filed.end, reason: 'other' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // Pending changes nothing.
    expect(row(await supervisor.adherence.realtime({}), a1.id).today.outOfAdherenceMin).toBe(16);

    await expect(otherSupervisor.adherence.exceptions.decide({ id: filed.id, approve: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await otherSupervisor.adherence.exceptions.list({})).map((e) => e.id)).not.toContain(filed.id);
    expect((await supervisor.adherence.exceptions.list({ status: 'pending' })).map((e) => e.id)).toContain(filed.id);
    expect(await supervisor.adherence.exceptions.decide({ id: filed.id, approve: true })).toMatchObject({ status: 'approved' });
    await expect(supervisor.adherence.exceptions.decide({ id: filed.id, approve: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // 12:02–12:04 were out: now excused; so are 12:00–12:01, in grace before (an excuse goes before grace).
    expect(row(await supervisor.adherence.realtime({}), a1.id).today).toMatchObject({ outOfAdherenceMin: 13, adherence: 347 / 360 });
    const drill = await agent.adherence.minutes({ agentKey: a1.id, date: DAY });
    expect(drill.minutes.filter((m) => m.verdict === 'exception').map((m) => m.minute)).toEqual(
      ['12:00', '12:01', '12:02', '12:03', '12:04'].map((hhmm) => t(hhmm).toISOString()),
    );

    // A supervisor files for their agent, offline since the shift began: excused for now.
    const outage = await supervisor.adherence.exceptions.file({
      agentKey: a4.id,
      start: t('14:00').toISOString(),
      end: t('15:30').toISOString(),
      reason: 'system_outage',
    });
    await admin.adherence.exceptions.decide({ id: outage.id, approve: true });
    const view = await supervisor.adherence.realtime({});
    expect(row(view, a4.id)).toMatchObject({ status: 'exception', outForS: null, today: { adherence: 1, scheduledMin: 60 } });
    expect((await supervisor.adherence.gantt({})).agents.find((a) => a.key === a4.id)!.exceptions).toMatchObject([
      { status: 'approved', reason: 'system_outage' },
    ]);

    const rejected = await agent.adherence.exceptions.file({
      agentKey: a1.id,
      start: t('14:48').toISOString(),
      end: t('15:00').toISOString(),
      reason: 'other',
    });
    expect(await supervisor.adherence.exceptions.decide({ id: rejected.id, approve: false })).toMatchObject({ status: 'rejected' });
    expect(row(await supervisor.adherence.realtime({}), a1.id)).toMatchObject({ status: 'out', today: { outOfAdherenceMin: 13 } });

    const audit = await listAudit(host.host.db.db, tenantId, {
      from: new Date(Date.now() - 600_000),
      to: new Date(Date.now() + 60_000),
      objectType: 'adherence_exception',
      limit: 100,
    });
    const actions = (id: string) =>
      audit
        .filter((e) => e.objectId === id)
        .map((e) => e.action)
        .sort();
    expect(actions(filed.id)).toEqual(['adherence_exception.approve', 'adherence_exception.file']);
    expect(actions(rejected.id)).toEqual(['adherence_exception.file', 'adherence_exception.reject']);
  });
});

describe('settings', () => {
  it('are the defaults until a planner saves others, which change the verdicts at once', async () => {
    const defaults = await planner.adherence.settings();
    expect(defaults).toMatchObject({ graceMinutes: 2, updatedAt: null });
    await expect(supervisor.adherence.saveSettings({ mapping: defaults.mapping, graceMinutes: 0 })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await planner.adherence.saveSettings({ mapping: defaults.mapping, graceMinutes: 0 });
    const strict = await supervisor.adherence.realtime({});
    expect(row(strict, a3.id)).toMatchObject({ status: 'out', outSince: t('14:55').toISOString() });
    expect(row(strict, a6.id)).toMatchObject({ status: 'out', outSince: t('14:59').toISOString() });
    // Without grace a1 is also out 12:30–12:31 (12:00–12:04 stay excused): 12:30–12:32 and 14:48–14:59.
    expect(row(strict, a1.id).today.outOfAdherenceMin).toBe(15);

    // A break with the reason "personal" allowed during work.
    await admin.adherence.saveSettings({
      mapping: { ...defaults.mapping, work: [...defaults.mapping.work, { state: 'break', reasonCodes: ['personal'] }] },
      graceMinutes: 2,
    });
    const lenient = await supervisor.adherence.realtime({});
    expect(row(lenient, a1.id)).toMatchObject({ status: 'adherent', outSince: null, today: { outOfAdherenceMin: 1 } });
    const audit = await listAudit(host.host.db.db, tenantId, {
      from: new Date(Date.now() - 600_000),
      to: new Date(Date.now() + 60_000),
      action: 'adherence_settings.save',
      limit: 10,
    });
    expect(audit).toHaveLength(2);
  });
});
