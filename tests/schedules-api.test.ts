import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getDirectory,
  getSchedule,
  listPlanningGroups,
  listShiftTemplates,
  publishSchedule,
  saveDraftSchedule,
  seedSchedulingDefaults,
  type ActivityInput,
} from '@switchboard/db';
import { coverageOfActivities, weekTimeline } from '@switchboard/planning';
import { demoCenter } from '@switchboard/simulator';
import { getScheduledActivities } from '@switchboard/telemetry';
import { startTestHost, type TestHost } from './support/host.ts';
import { seedTenantWithMembers } from './support/members.ts';

/**
 * The schedule API as planners and agents use it, on the real router and stores (PGlite, chDB): time off decided by
 * the coverage it leaves, swaps checked against both contracts, draft edits under their rules and a revision check,
 * acknowledgement, the iCalendar export and a supervisor's team scope. The week is published directly, so no
 * workflow engine is needed here (tests/schedule-workflow.test.ts runs the generation).
 */

const WEEK = '2026-12-07'; // a Monday
const tz = demoCenter.timezone; // America/New_York: local 08:00 is 13:00 UTC in December
const NOW = new Date('2026-12-02T15:00:00Z');
const at = (date: string, localHour: number) => new Date(Date.parse(`${date}T00:00:00Z`) + (localHour + 5) * 3_600_000);

let t: TestHost;
let planner: Caller;
let agent: Caller;
let colleague: Caller;
let supervisor: Caller;
let tenantId: string;
let ids: { agent: string; colleague: string; outsider: string; template: string };
let publishedId: string;
type Caller = Awaited<ReturnType<typeof seedTenantWithMembers>>['callers'][number];

/** An 8h30 shift from `hour` (local) with a 30-minute unpaid lunch after four hours. */
function shift(agentId: string, date: string, hour: number, templateId: string): ActivityInput[] {
  return [
    { agentId, kind: 'work', startsAt: at(date, hour), endsAt: at(date, hour + 4), shiftDate: date, templateId },
    { agentId, kind: 'lunch', startsAt: at(date, hour + 4), endsAt: at(date, hour + 4.5), shiftDate: date, templateId },
    { agentId, kind: 'work', startsAt: at(date, hour + 4.5), endsAt: at(date, hour + 8.5), shiftDate: date, templateId },
  ];
}

beforeAll(async () => {
  t = await startTestHost();
  const [first, second] = demoCenter.agents;
  const outsider = demoCenter.agents.find((a) => a.team_id !== first!.team_id)!;
  const seeded = await seedTenantWithMembers(
    t,
    demoCenter,
    [{ role: 'planner' }, { role: 'agent', agentKey: first!.id }, { role: 'agent', agentKey: second!.id }, { role: 'supervisor', teamKeys: [first!.team_id] }],
    () => NOW,
  );
  tenantId = seeded.tenantId;
  [planner, agent, colleague, supervisor] = seeded.callers as [Caller, Caller, Caller, Caller];
  const db = t.host.db.db;
  await seedSchedulingDefaults(db, tenantId, NOW);
  expect((await planner.schedules.setup.get()).rules).toHaveLength(demoCenter.agents.length);
  const directory = (await getDirectory(db, tenantId))!;
  const keyToId = (key: string) => directory.agents.find((a) => a.key === key)!.id;
  const template = (await listShiftTemplates(db, tenantId)).find((tpl) => tpl.lengthMin === 510)!;
  ids = { agent: keyToId(first!.id), colleague: keyToId(second!.id), outsider: keyToId(outsider.id), template: template.id };

  // Monday to Wednesday: the agent early (08:00), the colleague late (12:00), someone of another team on Monday.
  const activities = ['2026-12-07', '2026-12-08', '2026-12-09'].flatMap((date) => [
    ...shift(ids.agent, date, 8, ids.template),
    ...shift(ids.colleague, date, 12, ids.template),
  ]);
  activities.push(...shift(ids.outsider, '2026-12-07', 9, ids.template));
  const { origin, intervals, dayStarts } = weekTimeline(WEEK, tz);
  const timeline = (a: ActivityInput) => ({
    kind: a.kind,
    start: (a.startsAt.getTime() - origin.getTime()) / 60_000,
    end: (a.endsAt.getTime() - origin.getTime()) / 60_000,
  });
  const scheduled = coverageOfActivities(intervals, activities.map(timeline));
  // The requirement is exactly what is scheduled, except on Wednesday, which has one agent to spare throughout.
  const wednesday = { from: dayStarts[2]! / 15, to: dayStarts[3]! / 15 };
  const required = scheduled.map((s, i) => (i >= wednesday.from && i < wednesday.to ? Math.max(0, s - 1) : s));
  const voice = (await listPlanningGroups(db, tenantId)).find((g) => g.key === 'voice')!;
  const draft = await saveDraftSchedule(db, tenantId, {
    groupId: voice.id,
    weekStart: WEEK,
    timezone: tz,
    summary: { figures: { lpBound: 40, penalty: 17 }, required, scheduled, dayStarts, notes: [] },
    staffingVersionId: null,
    workflowId: 'test',
    activities,
  });
  await publishSchedule(db, tenantId, null, draft.id, NOW, new Date(NOW.getTime() + 2 * 86_400_000));
  publishedId = draft.id;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const currentVersion = async () => {
  const { schedules } = await planner.schedules.overview({ weekStart: WEEK });
  return schedules.find((s) => s.status === 'published')!.id;
};

describe('the agent’s own schedule', () => {
  it('shows next week on the agent’s clock until acknowledged, and the planner sees who acknowledged', async () => {
    const mine = await agent.me.schedule({ weekStart: WEEK });
    expect(mine.timezone).toBe(tz);
    expect(mine.activities.filter((a) => a.kind === 'work')).toHaveLength(6);
    expect(new Set(mine.activities.map((a) => a.agentId))).toEqual(new Set([ids.agent]));
    expect(mine.toAcknowledge).toEqual([{ scheduleId: publishedId, weekStart: WEEK, acknowledgeBy: '2026-12-04T15:00:00.000Z' }]);
    await agent.me.acknowledge({ scheduleId: publishedId });
    expect((await agent.me.schedule({ weekStart: WEEK })).toAcknowledge).toEqual([]);
    const view = await planner.schedules.get({ scheduleId: publishedId });
    expect(view.agents.find((a) => a.id === ids.agent)!.acknowledgedAt).toBe(NOW.toISOString());
    expect(view.agents.find((a) => a.id === ids.colleague)!.acknowledgedAt).toBeNull();
  });

  it('exports the published shifts as iCalendar events', async () => {
    const ics = await agent.me.ical();
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(ics).toContain('DTSTART:20261207T130000Z');
    expect(ics).toContain('DTEND:20261207T213000Z');
  });

  it('lets a supervisor see only their team’s agents in a schedule', async () => {
    const view = await supervisor.schedules.get({ scheduleId: publishedId });
    expect(view.agents.map((a) => a.id).sort()).toEqual([ids.agent, ids.colleague].sort());
    expect(view.activities.some((a) => a.agentId === ids.outsider)).toBe(false);
    expect((await planner.schedules.get({ scheduleId: publishedId })).activities.some((a) => a.agentId === ids.outsider)).toBe(true);
    // The setup screens list the same agents: the team's, each with their rules, names for the table.
    const setup = await supervisor.schedules.setup.get();
    const team = demoCenter.agents.filter((a) => a.team_id === demoCenter.agents[0]!.team_id);
    expect(setup.agents.map((a) => a.key).sort()).toEqual(team.map((a) => a.id).sort());
    expect(setup.agents.find((a) => a.id === ids.agent)?.name).toBe(demoCenter.agents[0]!.display_name);
    expect(setup.rules.map((r) => r.agentId).sort()).toEqual(setup.agents.map((a) => a.id).sort());
  });
});

describe('time off', () => {
  it('approves at once what staffing can spare, leaves the rest to a planner, and republishes the week with it', async () => {
    // Wednesday has one agent to spare: the agent's whole day goes, and the week is republished with the time off.
    const spared = await agent.me.timeOff.request({ date: '2026-12-09', fromMin: null, toMin: null });
    expect(spared.request).toMatchObject({ status: 'approved', paidHours: 8 });
    const afterSpared = await currentVersion();
    expect(afterSpared).not.toBe(publishedId);
    const wednesday = (await agent.me.schedule({ weekStart: WEEK })).activities.filter((a) => a.shiftDate === '2026-12-09');
    expect(wednesday.map((a) => a.kind)).toEqual(['time_off']);
    // The same span, other activities: the version compare lists it, and the coverage moved with it.
    const diff = await planner.schedules.diff({ fromId: publishedId, toId: afterSpared });
    expect(diff.changes.map((c) => [c.agentId, c.date])).toEqual([[ids.agent, '2026-12-09']]);
    expect(diff.intervals.filter((d) => d !== 0).every((d) => d === -1)).toBe(true);
    expect(diff.intervals.filter((d) => d === -1)).toHaveLength(32);
    // The agent's week changed: they are asked to acknowledge the new version.
    expect((await agent.me.schedule({ weekStart: WEEK })).toAcknowledge.map((a) => a.scheduleId)).toEqual([afterSpared]);
    const snapshot = await getScheduledActivities(t.host.telemetry.client, { tenantId, from: at('2026-12-09', 0), to: at('2026-12-10', 0) });
    expect(snapshot.filter((a) => a.kind === 'time_off')).toHaveLength(1);

    // Tuesday afternoon has nobody to spare: pending, with how much it would leave short.
    const short = await agent.me.timeOff.request({ date: '2026-12-08', fromMin: 13 * 60, toMin: 15 * 60 });
    expect(short.request.status).toBe('pending');
    expect(short.shortIntervals).toBe(8);
    expect(short.request.decisionNote).toContain('8 quarter hour(s)');
    const pending = await planner.schedules.timeOff.pending();
    expect(pending.map((r) => r.id)).toEqual([short.request.id]);
    expect((await agent.me.timeOff.list()).balance).toMatchObject({ year: 2026, allowance: 200, approved: 8, pending: 2 });

    // The planner approves it anyway: the agent's Tuesday is cut around the two hours.
    await planner.schedules.timeOff.decide({ id: short.request.id, approve: true, note: 'covered by overtime' });
    const tuesday = (await agent.me.schedule({ weekStart: WEEK })).activities.filter((a) => a.shiftDate === '2026-12-08');
    expect(tuesday.map((a) => [a.kind, a.start.slice(11, 16), a.end.slice(11, 16)])).toEqual([
      ['work', '13:00', '17:00'],
      ['lunch', '17:00', '17:30'],
      ['work', '17:30', '18:00'],
      ['time_off', '18:00', '20:00'],
      ['work', '20:00', '21:30'],
    ]);
    expect((await agent.me.timeOff.list()).balance).toMatchObject({ approved: 10, pending: 0 });
  });
});

describe('shift swaps', () => {
  it('refuses a swap that breaks a contract, naming the rule, and carries out one both agents and a planner agree to', async () => {
    // The agent would work Tuesday twice: their own shift and the colleague's.
    await expect(agent.me.swaps.request({ colleagueKey: demoCenter.agents[1]!.id, myDate: '2026-12-07', theirDate: '2026-12-08' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('one shift a day'),
    });
    const before = await currentVersion();
    const swap = await agent.me.swaps.request({ colleagueKey: demoCenter.agents[1]!.id, myDate: '2026-12-07', theirDate: '2026-12-07' });
    expect(swap.status).toBe('requested');
    // Only the colleague answers.
    await expect(agent.me.swaps.answer({ id: swap.id, accept: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await colleague.me.swaps.answer({ id: swap.id, accept: true })).toMatchObject({ status: 'accepted' });
    expect((await planner.schedules.swaps.pending()).map((s) => s.id)).toEqual([swap.id]);
    const { approvedVersion } = (await planner.schedules.swaps.decide({ id: swap.id, approve: true })) as { approvedVersion: string };
    expect(approvedVersion).toBe(await currentVersion());

    const monday = (who: Caller) => who.me.schedule({ weekStart: WEEK }).then((s) => s.activities.find((a) => a.shiftDate === '2026-12-07')!.start);
    expect(await monday(agent)).toBe('2026-12-07T17:00:00.000Z');
    expect(await monday(colleague)).toBe('2026-12-07T13:00:00.000Z');
    const diff = await planner.schedules.diff({ fromId: before, toId: approvedVersion });
    expect(diff.changes.map((c) => [c.agentId, c.date, c.before?.start, c.after?.start])).toEqual(
      [
        [ids.agent, '2026-12-07', '2026-12-07T13:00:00.000Z', '2026-12-07T17:00:00.000Z'],
        [ids.colleague, '2026-12-07', '2026-12-07T17:00:00.000Z', '2026-12-07T13:00:00.000Z'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    expect((await getSchedule(t.host.db.db, tenantId, before))!.schedule.status).toBe('superseded');
  });
});

describe('editing a draft', () => {
  it('moves a shift within its rules, recomputes the coverage, and refuses a stale revision or a broken rule by name', async () => {
    const db = t.host.db.db;
    const voice = (await listPlanningGroups(db, tenantId)).find((g) => g.key === 'voice')!;
    const published = (await getSchedule(db, tenantId, await currentVersion()))!;
    const draft = await saveDraftSchedule(db, tenantId, {
      groupId: voice.id,
      weekStart: WEEK,
      timezone: tz,
      summary: published.schedule.summary,
      staffingVersionId: null,
      workflowId: 'edit-test',
      activities: published.activities.map(({ agentId, kind, startsAt, endsAt, shiftDate, templateId }) => ({
        agentId,
        kind,
        startsAt,
        endsAt,
        shiftDate,
        templateId,
      })),
    });
    const edit = { scheduleId: draft.id, expectedRevision: 1, agentId: ids.colleague, shiftDate: '2026-12-07' };
    // Breaks out of their windows, and a start the template does not allow.
    await expect(
      planner.schedules.editDay({ ...edit, shift: { templateId: ids.template, startMin: 8 * 60, breakOffsetsMin: [60, 210, 360] } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('break 1 starts 90–150 minutes into the shift') });
    await expect(
      planner.schedules.editDay({ ...edit, shift: { templateId: ids.template, startMin: 13 * 60 + 30, breakOffsetsMin: [90, 210, 360] } }),
    ).rejects.toMatchObject({ message: expect.stringContaining('starts between 07:00 and 12:30') });
    // Earlier on Monday, breaks moved within their windows.
    const moved = await planner.schedules.editDay({ ...edit, shift: { templateId: ids.template, startMin: 7 * 60, breakOffsetsMin: [120, 240, 390] } });
    expect(moved.revision).toBe(2);
    const view = await planner.schedules.get({ scheduleId: draft.id });
    const monday = view.activities.filter((a) => a.agentId === ids.colleague && a.shiftDate === '2026-12-07');
    expect(monday.map((a) => [a.kind, a.start.slice(11, 16)])).toEqual([
      ['work', '12:00'],
      ['break', '14:00'],
      ['work', '14:15'],
      ['lunch', '16:00'],
      ['work', '16:30'],
      ['break', '18:30'],
      ['work', '18:45'],
    ]);
    // Coverage follows: 07:00–08:00 local on Monday now has the colleague.
    const { dayStarts } = weekTimeline(WEEK, tz);
    expect(view.schedule.summary.scheduled[(dayStarts[0]! + 7 * 60) / 15]).toBe(1);
    expect(view.schedule.summary.figures.shortfall).toBeGreaterThan(0);
    // A second planner still on revision 1 is refused rather than overwriting.
    await expect(planner.schedules.editDay({ ...edit, shift: null })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('reload') });
    // Monday's latest start ends at 21:00; Tuesday at 07:00 would leave 10 hours of the contract's 11.
    const late = await planner.schedules.editDay({
      ...edit,
      expectedRevision: 2,
      shift: { templateId: ids.template, startMin: 12 * 60 + 30, breakOffsetsMin: [90, 210, 360] },
    });
    await expect(
      planner.schedules.editDay({
        ...edit,
        expectedRevision: late.revision,
        shiftDate: '2026-12-08',
        shift: { templateId: ids.template, startMin: 7 * 60, breakOffsetsMin: [90, 210, 360] },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'rest: 10.0 h after the previous shift, the contract needs 11.0 h' });
    expect((await planner.schedules.editDay({ ...edit, expectedRevision: late.revision, shift: null })).revision).toBe(4);
    expect((await planner.schedules.get({ scheduleId: draft.id })).activities.some((a) => a.agentId === ids.colleague && a.shiftDate === '2026-12-07')).toBe(
      false,
    );
  });
});

describe('contracts', () => {
  it('refuses a contract no week can honour, naming the rule', async () => {
    const contract = { name: 'Impossible', minHours: 45, maxHours: 48, minRestMin: 660, maxConsecutiveDays: 6, daysOffPerWeek: 2, fixedDaysOff: [] };
    await expect(planner.schedules.setup.saveContract(contract)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'minimum hours: 45 h cannot be reached in 5 working days of at most 8 paid hours (the longest shift template)',
    });
    await expect(planner.schedules.setup.saveContract({ ...contract, minHours: 50, maxHours: 40 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await planner.schedules.setup.saveContract({ ...contract, name: 'Long weeks', minHours: 40 })).toMatchObject({ name: 'Long weeks', minHours: 40 });
  });
});
