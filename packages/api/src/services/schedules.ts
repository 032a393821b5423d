import { TRPCError } from '@trpc/server';
import {
  applySwap,
  createSwap,
  createTimeOff,
  decideTimeOff,
  editDraftDay,
  getSchedule,
  getScheduleSettings,
  listAcknowledgements,
  listAgentWorkRules,
  listPlanningGroups,
  listPublishedActivities,
  listSchedules,
  listShiftTemplates,
  listTimeOff,
  listWorkContracts,
  updateSwap,
  ScheduleConflictError,
  type ActivityInput,
  type Republish,
  type ScheduleActivityRow,
  type ScheduleRow,
  type ScheduleSummary,
  type SwapRow,
  type TimeOffRow,
} from '@switchboard/db';
import { addLocalDays, fromLocalSlot, localDayStart, localDays, weekdayOf, type Weekday } from '@switchboard/calendar';
import {
  buildWeekProblem,
  checkAssignment,
  checkShiftPlacement,
  shiftActivities,
  summariseActivities,
  summaryAfter,
  toShiftTemplate,
  weekTimeline,
  type PlannedActivity,
  type ShiftToStaff,
} from '@switchboard/planning';
import type { ApiServices } from '../context.ts';
import { notFound, type Access } from '../trpc.ts';
import { emitSchedulePublished, emitTimeOffDecided } from './webhooks.ts';

/** Schedules for planners and agents: read models, edits of drafts, time off and swaps with their rule checks. */

const minuteMs = 60_000;

function conflict(message: string): TRPCError {
  return new TRPCError({ code: 'CONFLICT', message });
}

function refused(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}

/** Agents in the viewer's scope, by database id. */
function agentsInScope(access: Access) {
  return access.directory.agents.filter((a) => access.agentKeys === null || access.agentKeys.has(a.key));
}

const toTimeline = (schedule: Pick<ScheduleRow, 'weekStart' | 'timezone'>) => {
  const { origin } = weekTimeline(schedule.weekStart, schedule.timezone);
  return (a: { kind: ScheduleActivityRow['kind']; startsAt: Date; endsAt: Date }): PlannedActivity => ({
    kind: a.kind,
    start: (a.startsAt.getTime() - origin.getTime()) / minuteMs,
    end: (a.endsAt.getTime() - origin.getTime()) / minuteMs,
  });
};

const isoActivity = (a: ScheduleActivityRow) => ({
  id: a.id,
  agentId: a.agentId,
  kind: a.kind,
  start: a.startsAt.toISOString(),
  end: a.endsAt.toISOString(),
  shiftDate: a.shiftDate,
  templateId: a.templateId,
});

/** A schedule with its activities (of the agents in scope), the agents and templates the planner's screen needs. */
export async function getScheduleView(services: ApiServices, access: Access, scheduleId: string) {
  const inScope = agentsInScope(access);
  const stored = await getSchedule(services.db, access.tenantId, scheduleId, access.agentKeys === null ? undefined : inScope.map((a) => a.id));
  if (!stored) throw notFound('schedule');
  const [templates, acknowledgements] = await Promise.all([
    listShiftTemplates(services.db, access.tenantId),
    stored.schedule.status === 'published' ? listAcknowledgements(services.db, access.tenantId, scheduleId) : Promise.resolve([]),
  ]);
  const scheduledIds = new Set(stored.activities.map((a) => a.agentId));
  const ackOf = new Map(acknowledgements.map((a) => [a.agentId, a.at]));
  return {
    schedule: {
      id: stored.schedule.id,
      groupId: stored.schedule.groupId,
      weekStart: stored.schedule.weekStart,
      timezone: stored.schedule.timezone,
      status: stored.schedule.status,
      revision: stored.schedule.revision,
      summary: stored.schedule.summary,
      publishedAt: stored.schedule.publishedAt?.toISOString() ?? null,
      acknowledgeBy: stored.schedule.acknowledgeBy?.toISOString() ?? null,
      rejectedReason: stored.schedule.rejectedReason,
    },
    agents: inScope
      .filter((a) => scheduledIds.has(a.id))
      .map((a) => ({
        id: a.id,
        key: a.key,
        name: a.displayName,
        teamKey: a.teamKey,
        teamName: a.teamName,
        skillIds: a.skillIds,
        acknowledgedAt: ackOf.get(a.id)?.toISOString() ?? null,
      })),
    // Skills are ids in the directory: each is named by the queues that ask for it, for the planner's filter.
    skills: [...new Set(access.directory.queues.map((q) => q.skillId))].map((id) => ({
      id,
      name: access.directory.queues
        .filter((q) => q.skillId === id)
        .map((q) => q.name)
        .join(', '),
    })),
    activities: stored.activities.map(isoActivity),
    templates: templates.map(toShiftTemplate),
  };
}

export interface ShiftEdit {
  scheduleId: string;
  expectedRevision: number;
  agentId: string;
  shiftDate: string;
  /** Null removes the agent's shift that day (a day off). */
  shift: { templateId: string; startMin: number; breakOffsetsMin: number[] } | null;
}

/**
 * Moves or removes one agent's shift of one day in a draft, within its template's start window and break windows
 * and the agent's rest rule, and recomputes the week's coverage and figures. A save on an older revision is refused.
 */
export async function editShiftDay(services: ApiServices, access: Access, userId: string, edit: ShiftEdit) {
  const stored = await getSchedule(services.db, access.tenantId, edit.scheduleId);
  if (!stored) throw notFound('schedule');
  const { schedule } = stored;
  if (schedule.status !== 'draft') throw conflict(`the schedule is ${schedule.status}: only drafts can be edited`);
  // The coverage below is computed from this read: it must be the revision the planner edited.
  if (schedule.revision !== edit.expectedRevision)
    throw conflict(`the draft changed since you opened it (revision ${schedule.revision}, yours ${edit.expectedRevision}): reload it and edit again`);
  if (!access.directory.agents.some((a) => a.id === edit.agentId)) throw notFound('agent');
  const date = edit.shiftDate;
  const days = weekTimeline(schedule.weekStart, schedule.timezone);
  if (!Array.from({ length: 7 }, (_, i) => addLocalDays(schedule.weekStart, i)).includes(date))
    throw refused(`${date} is not in the week of ${schedule.weekStart}`);
  let activities: Omit<ActivityInput, 'agentId' | 'shiftDate'>[] = [];
  if (edit.shift) {
    const templates = await listShiftTemplates(services.db, access.tenantId);
    const row = templates.find((t) => t.id === edit.shift!.templateId);
    if (!row) throw notFound('shift template');
    const template = toShiftTemplate(row);
    const problems = checkShiftPlacement(template, weekdayOf(date) as Weekday, edit.shift.startMin, edit.shift.breakOffsetsMin);
    if (problems.length > 0) throw refused(problems.join('; '));
    const startsAt = fromLocalSlot(date, edit.shift.startMin / 15, schedule.timezone);
    if (!startsAt) throw refused(`a clock change skips minute ${edit.shift.startMin} of ${date}: pick another start`);
    const start = (startsAt.getTime() - days.origin.getTime()) / minuteMs;
    const planned = shiftActivities(
      template,
      start,
      edit.shift.breakOffsetsMin.map((o) => start + o),
    );
    const rest = await restProblem(services, access, stored.activities, edit.agentId, date, start, start + template.lengthMin, days.origin);
    if (rest) throw refused(rest);
    activities = planned.map((a) => ({
      kind: a.kind,
      startsAt: new Date(days.origin.getTime() + a.start * minuteMs),
      endsAt: new Date(days.origin.getTime() + a.end * minuteMs),
      templateId: row.id,
    }));
  }
  const others = stored.activities.filter((a) => !(a.agentId === edit.agentId && a.shiftDate === date)).map(toActivityInput);
  const summary = summaryAfter(schedule, [...others, ...activities.map((a) => ({ ...a, agentId: edit.agentId, shiftDate: date }))]);
  try {
    const revision = await editDraftDay(services.db, access.tenantId, userId, { ...edit, activities, summary });
    return { revision, figures: summary.figures };
  } catch (error) {
    if (error instanceof ScheduleConflictError) throw conflict(error.message);
    throw error;
  }
}

/** The agent's rest rule against their shifts on the days either side, or null when it holds. */
async function restProblem(
  services: ApiServices,
  access: Access,
  activities: readonly ScheduleActivityRow[],
  agentId: string,
  date: string,
  start: number,
  end: number,
  origin: Date,
): Promise<string | null> {
  const [rules, contracts] = await Promise.all([listAgentWorkRules(services.db, access.tenantId), listWorkContracts(services.db, access.tenantId)]);
  const contract = contracts.find((c) => c.id === rules.find((r) => r.agentId === agentId)?.contractId);
  if (!contract) return null;
  const at = (d: Date) => (d.getTime() - origin.getTime()) / minuteMs;
  const mine = activities.filter((a) => a.agentId === agentId && a.shiftDate !== date && a.kind !== 'time_off');
  const before = mine.filter((a) => a.shiftDate < date).reduce((max, a) => Math.max(max, at(a.endsAt)), -Infinity);
  const after = mine.filter((a) => a.shiftDate > date).reduce((min, a) => Math.min(min, at(a.startsAt)), Infinity);
  const hours = (m: number) => `${(m / 60).toFixed(1)} h`;
  if (start - before < contract.minRestMin) return `rest: ${hours(start - before)} after the previous shift, the contract needs ${hours(contract.minRestMin)}`;
  if (after - end < contract.minRestMin) return `rest: ${hours(after - end)} before the next shift, the contract needs ${hours(contract.minRestMin)}`;
  return null;
}

/** What changed from one version of a week to another: per agent and day, and per interval of coverage. */
export async function scheduleDiff(services: ApiServices, access: Access, fromId: string, toId: string) {
  const [from, to] = await Promise.all([getScheduleView(services, access, fromId), getScheduleView(services, access, toId)]);
  if (from.schedule.groupId !== to.schedule.groupId || from.schedule.weekStart !== to.schedule.weekStart)
    throw refused('the two versions are of different weeks or groups');
  const shiftsOf = (view: typeof from) => {
    // The span of each agent's day, and every activity in it: a moved break or time off is a change too.
    const out = new Map<string, { start: string; end: string; activities: string }>();
    for (const a of [...view.activities].sort((x, y) => x.start.localeCompare(y.start))) {
      const key = `${a.agentId}/${a.shiftDate}`;
      const cur = out.get(key);
      out.set(key, {
        start: cur && cur.start < a.start ? cur.start : a.start,
        end: cur && cur.end > a.end ? cur.end : a.end,
        activities: `${cur ? `${cur.activities},` : ''}${a.kind}@${a.start}-${a.end}`,
      });
    }
    return out;
  };
  const before = shiftsOf(from);
  const after = shiftsOf(to);
  const names = new Map([...from.agents, ...to.agents].map((a) => [a.id, a.name]));
  const changes = [...new Set([...before.keys(), ...after.keys()])].sort().flatMap((key) => {
    const [agentId, date] = key.split('/') as [string, string];
    const b = before.get(key);
    const a = after.get(key);
    if (b && a && b.activities === a.activities) return [];
    const span = (s: typeof b) => (s ? { start: s.start, end: s.end } : null);
    return [{ agentId, agent: names.get(agentId) ?? agentId, date, before: span(b), after: span(a) }];
  });
  const intervals = to.schedule.summary.scheduled.map((s, t) => s - (from.schedule.summary.scheduled[t] ?? 0));
  return { changes, intervals, dayStarts: to.schedule.summary.dayStarts };
}

// ── the agent's own schedule ────────────────────────────────────────────────

export interface Me {
  agentId: string;
  timezone: string;
}

/** The agent's own clock: their time zone, or the tenant's. */
export async function whoAmI(services: ApiServices, access: Access, agentKey: string | undefined): Promise<Me> {
  const agent = access.directory.agents.find((a) => a.key === agentKey);
  if (!agent) throw notFound('agent');
  const rules = (await listAgentWorkRules(services.db, access.tenantId)).find((r) => r.agentId === agent.id);
  return { agentId: agent.id, timezone: rules?.timezone ?? access.directory.timezone };
}

/** This week and next on the agent's clock: their published activities, what to acknowledge, and time off. */
export async function getMySchedule(services: ApiServices, access: Access, me: Me, weekStart: string) {
  const range = localDays(weekStart, 14, me.timezone);
  const activities = await listPublishedActivities(services.db, access.tenantId, { ...range, agentIds: [me.agentId] });
  const scheduleIds = [...new Set(activities.map((a) => a.scheduleId))];
  const acknowledgements = await Promise.all(scheduleIds.map((id) => listAcknowledgements(services.db, access.tenantId, id)));
  const schedules = await Promise.all(scheduleIds.map((id) => getSchedule(services.db, access.tenantId, id, [])));
  const pending = scheduleIds.flatMap((id, i) => {
    const mine = acknowledgements[i]!.find((a) => a.agentId === me.agentId);
    const row = schedules[i]?.schedule;
    return mine?.at || !row ? [] : [{ scheduleId: id, weekStart: row.weekStart, acknowledgeBy: row.acknowledgeBy?.toISOString() ?? null }];
  });
  return {
    timezone: me.timezone,
    weekStart,
    activities: activities.map(isoActivity),
    toAcknowledge: pending,
  };
}

/** Paid hours of a time-off request: the paid work it removes, or for a day with no shift a contract's typical day. */
function paidHoursOf(removed: readonly PlannedActivity[], typicalDayHours: number, fullDay: boolean, requestedHours: number): number {
  const scheduled = removed.reduce((s, a) => s + (a.kind === 'work' || a.kind === 'break' ? a.end - a.start : 0), 0) / 60;
  if (scheduled > 0) return scheduled;
  return fullDay ? typicalDayHours : requestedHours;
}

/**
 * An agent's time-off request. Approved at once when every interval it takes the agent from stays staffed at or
 * above the requirement (then the published week is republished with the time off in place of the work); else
 * pending for a planner, with the intervals it would leave short.
 */
export async function requestTimeOff(
  services: ApiServices,
  access: Access,
  me: Me,
  userId: string,
  input: { date: string; fromMin: number | null; toMin: number | null },
): Promise<{ request: TimeOffRow; shortIntervals: number }> {
  const fullDay = input.fromMin === null;
  const dayStart = localDayStart(input.date, me.timezone);
  const startsAt = fullDay ? dayStart : new Date(dayStart.getTime() + input.fromMin! * minuteMs);
  const endsAt = fullDay ? localDayStart(addLocalDays(input.date, 1), me.timezone) : new Date(dayStart.getTime() + input.toMin! * minuteMs);
  if (endsAt <= startsAt) throw refused('the time off ends before it starts');
  if (startsAt.getTime() < services.now().getTime() - 86_400_000) throw refused('time off is asked for ahead of time, not for days already past');
  const [rules, contracts] = await Promise.all([listAgentWorkRules(services.db, access.tenantId), listWorkContracts(services.db, access.tenantId)]);
  const contract = contracts.find((c) => c.id === rules.find((r) => r.agentId === me.agentId)?.contractId);
  const typicalDay = contract ? contract.maxHours / Math.max(1, 7 - contract.daysOffPerWeek) : 8;

  const published = await listPublishedActivities(services.db, access.tenantId, { from: startsAt, to: endsAt, agentIds: [me.agentId] });
  const scheduleId = published[0]?.scheduleId;
  if (!scheduleId) {
    // No published week holds work of theirs then: nothing to take away, and the next generated week honours it.
    const request = await createTimeOff(services.db, access.tenantId, userId, {
      agentId: me.agentId,
      startsAt,
      endsAt,
      paidHours: paidHoursOf([], typicalDay, fullDay, (endsAt.getTime() - startsAt.getTime()) / 3_600_000),
      status: 'approved',
      decisionNote: 'no scheduled work in that time: approved',
    });
    await emitTimeOffDecided(services, access, request, 'automatic');
    return { request, shortIntervals: 0 };
  }
  const stored = (await getSchedule(services.db, access.tenantId, scheduleId))!;
  const timeline = toTimeline(stored.schedule);
  const { activities: next, removed } = cutOut(stored.activities, me.agentId, startsAt, endsAt);
  const { scheduled } = summariseActivities({ required: stored.schedule.summary.required, lpBound: 0, penalty: 0 }, next.map(timeline));
  const from = Math.max(0, Math.floor(timeline({ kind: 'work', startsAt, endsAt }).start / 15));
  const to = Math.min(scheduled.length, Math.ceil(timeline({ kind: 'work', startsAt, endsAt }).end / 15));
  let short = 0;
  for (let t = from; t < to; t++) if (scheduled[t]! < (stored.schedule.summary.required[t] ?? 0)) short++;
  const paidHours = paidHoursOf(removed.map(timeline), typicalDay, fullDay, (endsAt.getTime() - startsAt.getTime()) / 3_600_000);
  const base = { agentId: me.agentId, startsAt, endsAt, paidHours };
  if (short > 0) {
    const request = await createTimeOff(services.db, access.tenantId, userId, {
      ...base,
      status: 'pending',
      decisionNote: `${short} quarter hour(s) would fall below the requirement: a planner decides`,
    });
    return { request, shortIntervals: short };
  }
  const change: Republish = { scheduleId, activities: next, summary: summaryAfter(stored.schedule, next), at: services.now() };
  const request = await createTimeOff(
    services.db,
    access.tenantId,
    userId,
    { ...base, status: 'approved', decisionNote: 'staffing stays at or above the requirement: approved' },
    change,
  );
  await services.snapshotSchedules(access.tenantId);
  await emitRepublished(services, access, scheduleId);
  await emitTimeOffDecided(services, access, request, 'automatic');
  return { request, shortIntervals: 0 };
}

/** `schedule.published` for the version that replaced `supersededId` (its group and week's published one now). */
async function emitRepublished(services: ApiServices, access: Access, supersededId: string): Promise<void> {
  const old = await getSchedule(services.db, access.tenantId, supersededId);
  if (!old) return;
  const current = (await listSchedules(services.db, access.tenantId, { groupId: old.schedule.groupId, weekStart: old.schedule.weekStart })).find(
    (s) => s.status === 'published',
  );
  if (current) await emitSchedulePublished(services, access, current.id);
}

/** A planner's decision on a pending request: an approval republishes the week with the time off. */
export async function decideTimeOffRequest(
  services: ApiServices,
  access: Access,
  userId: string,
  input: { id: string; approve: boolean; note?: string | undefined },
) {
  const request = (await listTimeOff(services.db, access.tenantId, { statuses: ['pending'] })).find((r) => r.id === input.id);
  if (!request) throw notFound('pending time-off request');
  let change: Republish | undefined;
  if (input.approve) {
    const published = await listPublishedActivities(services.db, access.tenantId, { from: request.startsAt, to: request.endsAt, agentIds: [request.agentId] });
    const scheduleId = published[0]?.scheduleId;
    if (scheduleId) {
      const stored = (await getSchedule(services.db, access.tenantId, scheduleId))!;
      const { activities } = cutOut(stored.activities, request.agentId, request.startsAt, request.endsAt);
      change = { scheduleId, activities, summary: summaryAfter(stored.schedule, activities), at: services.now() };
    }
  }
  const decided = await decideTimeOff(
    services.db,
    access.tenantId,
    userId,
    { id: input.id, status: input.approve ? 'approved' : 'refused', note: input.note },
    change,
  );
  if (!decided) throw notFound('pending time-off request');
  if (change) {
    await services.snapshotSchedules(access.tenantId);
    await emitRepublished(services, access, change.scheduleId);
  }
  await emitTimeOffDecided(services, access, decided, 'planner');
  return decided;
}

export const toActivityInput = (a: ScheduleActivityRow | ActivityInput): ActivityInput => ({
  agentId: a.agentId,
  kind: a.kind,
  startsAt: a.startsAt,
  endsAt: a.endsAt,
  shiftDate: a.shiftDate,
  templateId: a.templateId,
});

/** The week's activities with the agent's activities inside [from, to) replaced by one time-off activity. */
function cutOut(activities: readonly ScheduleActivityRow[], agentId: string, from: Date, to: Date) {
  const out: ActivityInput[] = [];
  /** The parts of the agent's activities inside [from, to). */
  const removed: ActivityInput[] = [];
  let shiftDate: string | null = null;
  for (const a of activities) {
    if (a.agentId !== agentId || a.endsAt <= from || a.startsAt >= to) {
      out.push(toActivityInput(a));
      continue;
    }
    removed.push({ ...toActivityInput(a), startsAt: a.startsAt < from ? from : a.startsAt, endsAt: a.endsAt > to ? to : a.endsAt });
    shiftDate ??= a.shiftDate;
    if (a.startsAt < from) out.push({ ...toActivityInput(a), endsAt: from });
    if (a.endsAt > to) out.push({ ...toActivityInput(a), startsAt: to });
  }
  if (shiftDate) {
    const first = removed.reduce((min, a) => (a.startsAt < min ? a.startsAt : min), to);
    const last = removed.reduce((max, a) => (a.endsAt > max ? a.endsAt : max), from);
    out.push({ agentId, kind: 'time_off', startsAt: first, endsAt: last, shiftDate, templateId: null });
  }
  return { activities: out, removed };
}

// ── swaps ────────────────────────────────────────────────────────────────────

/**
 * Whether two agents may trade their shifts of `myDate` and `theirDate` in one published week: both must be in
 * the same week's schedule (so skilled for its planning group), and both contracts must hold after the trade
 * (rest, one shift a day, consecutive days, days off, hours). Returns the activities after the trade, or the rule
 * broken, in words.
 */
async function checkSwap(
  services: ApiServices,
  access: Access,
  swap: Pick<SwapRow, 'requesterId' | 'requesterDate' | 'colleagueId' | 'colleagueDate'>,
): Promise<{ ok: true; scheduleId: string; activities: ActivityInput[]; summary: ScheduleSummary } | { ok: false; reason: string }> {
  const day = (date: string) => localDays(date, 1, access.directory.timezone);
  const mine = await listPublishedActivities(services.db, access.tenantId, { ...day(swap.requesterDate), agentIds: [swap.requesterId] });
  const theirs = await listPublishedActivities(services.db, access.tenantId, { ...day(swap.colleagueDate), agentIds: [swap.colleagueId] });
  const scheduleId = mine.find((a) => a.shiftDate === swap.requesterDate)?.scheduleId ?? theirs.find((a) => a.shiftDate === swap.colleagueDate)?.scheduleId;
  if (!scheduleId) return { ok: false, reason: 'neither of you has a published shift on those days' };
  const stored = (await getSchedule(services.db, access.tenantId, scheduleId))!;
  const inWeek = (agentId: string) => stored.activities.some((a) => a.agentId === agentId);
  if (!inWeek(swap.requesterId) || !inWeek(swap.colleagueId))
    return { ok: false, reason: 'skills: you are not scheduled in the same planning group that week, so you are not both skilled for the other’s shifts' };
  const moves = (a: ScheduleActivityRow) =>
    (a.agentId === swap.requesterId && a.shiftDate === swap.requesterDate) || (a.agentId === swap.colleagueId && a.shiftDate === swap.colleagueDate);
  const traded = stored.activities.map((a) =>
    moves(a) ? { ...toActivityInput(a), agentId: a.agentId === swap.requesterId ? swap.colleagueId : swap.requesterId } : toActivityInput(a),
  );
  // A shift is known by its day and whose it was, so a traded shift stays apart from one the agent already has that day.
  const owners = stored.activities.map((a) => a.agentId);
  const problem = await contractProblem(services, access, stored.schedule, stored.activities.map(toActivityInput), traded, owners, [
    swap.requesterId,
    swap.colleagueId,
  ]);
  return problem ? { ok: false, reason: problem } : { ok: true, scheduleId, activities: traded, summary: summaryAfter(stored.schedule, traded) };
}

/**
 * The first contract rule the trade breaks that the week did not already break (checked by the scheduler's own
 * rule check over the agents' whole week), in words; null when it breaks none.
 */
async function contractProblem(
  services: ApiServices,
  access: Access,
  schedule: ScheduleRow,
  before: readonly ActivityInput[],
  after: readonly ActivityInput[],
  owners: readonly string[],
  agentIds: readonly string[],
) {
  const [groups, templates, contracts, rules] = await Promise.all([
    listPlanningGroups(services.db, access.tenantId),
    listShiftTemplates(services.db, access.tenantId),
    listWorkContracts(services.db, access.tenantId),
    listAgentWorkRules(services.db, access.tenantId),
  ]);
  const { problem } = buildWeekProblem({
    tenantTimezone: schedule.timezone,
    weekStart: schedule.weekStart,
    groupId: schedule.groupId,
    directory: access.directory,
    groups,
    templates,
    contracts,
    rules,
    timeOff: [],
    previous: [],
    required: [],
  });
  const agents = problem.agents.filter((a) => agentIds.includes(a.id));
  if (agents.length < agentIds.length) return 'skills: both of you must be scheduled in this planning group under a work contract';
  const { origin, dayStarts } = weekTimeline(schedule.weekStart, schedule.timezone);
  const minute = (d: Date) => (d.getTime() - origin.getTime()) / minuteMs;
  const violationsOf = (activities: readonly ActivityInput[]) => {
    const byShift = new Map<string, ActivityInput[]>();
    for (const [i, a] of activities.entries()) {
      if (!agentIds.includes(a.agentId) || a.kind === 'time_off') continue;
      const key = `${a.agentId}/${a.shiftDate}/${owners[i]}`;
      byShift.set(key, [...(byShift.get(key) ?? []), a]);
    }
    const shifts: ShiftToStaff[] = [];
    const agentOf: number[] = [];
    for (const [key, list] of byShift) {
      const start = Math.min(...list.map((a) => minute(a.startsAt)));
      const paid = list.reduce((sum, a) => sum + (a.kind === 'lunch' ? 0 : minute(a.endsAt) - minute(a.startsAt)), 0) / 60;
      const day = Math.max(
        0,
        dayStarts.findLastIndex((s) => s <= start),
      );
      shifts.push({
        group: schedule.groupId,
        day,
        type: 'shift',
        start,
        end: Math.max(...list.map((a) => minute(a.endsAt))),
        paidHours: paid,
        unpopular: false,
      });
      agentOf.push(agents.findIndex((a) => a.id === key.split('/')[0]));
    }
    return checkAssignment({ days: 7, dayStarts: dayStarts.slice(0, 7), weekendDays: [], shifts, agents }, agentOf);
  };
  const already = new Set(violationsOf(before).map((v) => `${v.agent}/${v.rule}`));
  const added = violationsOf(after).find((v) => !already.has(`${v.agent}/${v.rule}`));
  if (!added) return null;
  const who = access.directory.agents.find((a) => a.id === added.agent)?.displayName ?? 'an agent';
  return `${added.rule.replaceAll('_', ' ')}: ${who} — ${added.detail}`;
}

/** Requests a swap after checking it now, so an agent learns at once which rule stops it. */
export async function requestSwap(
  services: ApiServices,
  access: Access,
  me: Me,
  userId: string,
  input: { colleagueKey: string; myDate: string; theirDate: string },
): Promise<SwapRow> {
  const colleague = access.directory.agents.find((a) => a.key === input.colleagueKey);
  if (!colleague || colleague.id === me.agentId) throw notFound('colleague');
  const swap = { requesterId: me.agentId, requesterDate: input.myDate, colleagueId: colleague.id, colleagueDate: input.theirDate };
  const check = await checkSwap(services, access, swap);
  if (!check.ok) throw refused(check.reason);
  const stored = (await getSchedule(services.db, access.tenantId, check.scheduleId, []))!;
  return createSwap(services.db, access.tenantId, userId, { ...swap, weekStart: stored.schedule.weekStart });
}

/**
 * The colleague's answer. On acceptance the rules are checked again (the week may have changed); the swap is then
 * carried out at once when the tenant auto-approves swaps, or waits for a planner.
 */
export async function answerSwap(
  services: ApiServices,
  access: Access,
  userId: string,
  swap: SwapRow,
  accept: boolean,
): Promise<SwapRow | { approvedVersion: string }> {
  if (!accept)
    return (await updateSwap(services.db, access.tenantId, userId, { id: swap.id, from: ['requested'], to: 'refused', refusal: 'declined by the colleague' }))!;
  const check = await checkSwap(services, access, swap);
  if (!check.ok) {
    return (await updateSwap(services.db, access.tenantId, userId, { id: swap.id, from: ['requested'], to: 'refused', refusal: check.reason }))!;
  }
  const accepted = await updateSwap(services.db, access.tenantId, userId, { id: swap.id, from: ['requested'], to: 'accepted' });
  if (!accepted) throw conflict('the swap was answered already');
  if (!(await getScheduleSettings(services.db, access.tenantId)).autoApproveSwaps) return accepted;
  return approveSwap(services, access, userId, accepted);
}

/** Carries out an accepted swap (checked once more) as a new published version of the week. */
export async function approveSwap(services: ApiServices, access: Access, userId: string, swap: SwapRow): Promise<{ approvedVersion: string }> {
  const check = await checkSwap(services, access, swap);
  if (!check.ok) {
    await updateSwap(services.db, access.tenantId, userId, { id: swap.id, from: ['accepted'], to: 'refused', refusal: check.reason });
    throw refused(check.reason);
  }
  const version = await applySwap(services.db, access.tenantId, userId, {
    swapId: swap.id,
    scheduleId: check.scheduleId,
    activities: check.activities,
    summary: check.summary,
    at: services.now(),
  });
  if (!version) throw conflict('the swap is no longer waiting for approval');
  await services.snapshotSchedules(access.tenantId);
  await emitSchedulePublished(services, access, version);
  return { approvedVersion: version };
}

// ── iCalendar ────────────────────────────────────────────────────────────────

const icsTime = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The agent's published shifts as an iCalendar file (RFC 5545): one event per shift, breaks in its description. */
export function toICalendar(activities: readonly { id: string; kind: string; start: string; end: string; shiftDate: string }[], now: Date): string {
  const shifts = new Map<string, { start: string; end: string; parts: string[]; id: string }>();
  for (const a of activities) {
    const s = shifts.get(a.shiftDate) ?? { start: a.start, end: a.end, parts: [], id: a.id };
    s.start = a.start < s.start ? a.start : s.start;
    s.end = a.end > s.end ? a.end : s.end;
    if (a.kind !== 'work') s.parts.push(`${a.kind} ${a.start.slice(11, 16)}–${a.end.slice(11, 16)} UTC`);
    shifts.set(a.shiftDate, s);
  }
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Switchboard//Schedule//EN', 'CALSCALE:GREGORIAN'];
  for (const [date, s] of [...shifts.entries()].sort()) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${s.id}@switchboard`,
      `DTSTAMP:${icsTime(now)}`,
      `DTSTART:${icsTime(new Date(s.start))}`,
      `DTEND:${icsTime(new Date(s.end))}`,
      `SUMMARY:Shift ${date}`,
      ...(s.parts.length > 0 ? [`DESCRIPTION:${s.parts.join('\\n')}`] : []),
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}
