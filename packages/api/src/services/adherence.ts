import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { AgentState } from '@switchboard/contracts';
import { addLocalDays, daysBetween, localDateOf, localDateSpan, localDays, localWeekStart, type TimeRange } from '@switchboard/calendar';
import {
  adherenceReaders,
  decideAdherenceException,
  fileAdherenceException,
  getAdherenceSettings,
  listAdherenceExceptions,
  saveAdherenceSettings,
  type AdherenceExceptionRow,
  type Directory,
} from '@switchboard/db';
import {
  addAdherenceSums,
  adherenceKpis,
  DEFAULT_GRACE_MINUTES,
  defaultAdherenceMapping,
  emptyAdherenceSums,
  judgeAdherence,
  judgeNow,
  spansOf,
  type AdherenceMapping,
  type AdherenceMinute,
  type AdherenceSums,
  type ExceptionSpan,
  type NowStatus,
  type ScheduledActivity,
  type StateChange,
} from '@switchboard/kpis';
import {
  adherenceRulesOf,
  exceptionSpansByAgent,
  getAgentCurrentStates,
  getAgentStateChanges,
  judgeAdherenceDays,
  JUDGE_BATCH,
  MAX_AGENT_DAYS,
  readPublishedActivities,
  SavedAdherenceMapping,
  yieldToRequests,
  type AdherenceRules,
  type AgentCurrentState,
} from '@switchboard/telemetry';
import type { ApiServices } from '../context.ts';
import { canSeeAgent, notFound, type Access } from '../trpc.ts';
import { whoAmI } from './schedules.ts';
import { getSharedLiveBase, LIVE_CUT_STEP_MS } from './wallboard.ts';

/**
 * Schedule adherence for supervisors, planners and agents: the real-time view, the day's Gantt,
 * reports and their minutes, exceptions and the tenant's rules. Every figure is judged by
 * packages/kpis adherence.ts from the stored state events and the published schedule snapshot.
 */

type AgentEntry = Directory['agents'][number];

const IsoDate = z.iso.date({ error: 'a date as YYYY-MM-DD' });
const TeamKey = z.string().min(1).max(64);

// ── the tenant's rules ─────────────────────────────────────────────────────────

export const AdherenceSettingsInput = z.object({
  mapping: SavedAdherenceMapping,
  graceMinutes: z.int().min(0).max(30),
});

interface Rules extends AdherenceRules {
  /** When they were last saved; null while the defaults apply. */
  updatedAt: string | null;
}

async function getRules(services: ApiServices, tenantId: string): Promise<Rules> {
  const row = await getAdherenceSettings(services.db, tenantId);
  return { ...adherenceRulesOf(row), updatedAt: row?.updatedAt.toISOString() ?? null };
}

/** The rules as a screen edits them (mutable copies), with the defaults to go back to. */
export async function getSettings(services: ApiServices, access: Access) {
  const rules = await getRules(services, access.tenantId);
  const editable = (mapping: AdherenceMapping) => AdherenceSettingsInput.shape.mapping.parse(mapping);
  return {
    mapping: editable(rules.mapping),
    graceMinutes: rules.graceMinutes,
    updatedAt: rules.updatedAt,
    defaults: { mapping: editable(defaultAdherenceMapping), graceMinutes: DEFAULT_GRACE_MINUTES },
  };
}

export async function saveSettings(services: ApiServices, access: Access, userId: string, input: z.infer<typeof AdherenceSettingsInput>) {
  await saveAdherenceSettings(services.db, access.tenantId, userId, input);
  forgetToday(services, access);
  return getSettings(services, access);
}

// ── what the judgement reads ──────────────────────────────────────────────────

/** The agents in the viewer's scope, narrowed to a team; a team with none of them is answered like an unknown one. */
function agentsInScope(access: Access, teamKey?: string): AgentEntry[] {
  const agents = access.directory.agents.filter((a) => canSeeAgent(access, a.key) && (!teamKey || a.teamKey === teamKey));
  if (teamKey && agents.length === 0) throw notFound('team');
  return agents;
}

function findAgent(access: Access, agentKey: string): AgentEntry {
  const agent = access.directory.agents.find((a) => a.key === agentKey);
  if (!agent || !canSeeAgent(access, agentKey)) throw notFound('agent');
  return agent;
}

const totalOf = (sums: Iterable<AdherenceSums | undefined>): AdherenceSums => {
  let total = emptyAdherenceSums();
  for (const s of sums) if (s) total = addAdherenceSums(total, s);
  return total;
};

/** The catalogue's adherence KPIs of summed minutes (never an average of averages). */
function kpisOf(sums: AdherenceSums) {
  return {
    adherence: adherenceKpis.adherence.compute(sums),
    conformance: adherenceKpis.conformance.compute(sums),
    outOfAdherenceMin: adherenceKpis.out_of_adherence_min.compute(sums),
    scheduledMin: sums.scheduled_min,
  };
}

const kpiColumns = Object.values(adherenceKpis).map(({ id, label, unit, better, formula, description }) => ({ id, label, unit, better, formula, description }));

/** Everything a tenant-local day is judged against, besides the state events. */
interface DayContext {
  date: string;
  /** The local day (23 to 25 hours). */
  window: TimeRange;
  rules: Rules;
  /** Per agent key, the activities of the day and of its neighbours: one ending at midnight makes an edge (grace) there, and /me shows what comes next. */
  activities: Map<string, ScheduledActivity[]>;
  exceptions: Map<string, ExceptionSpan[]>;
  /** Changes with the schedule versions, the rules or the approved exceptions: a settled judgement is kept per version. */
  version: string;
}

/**
 * The schedule, rules and exceptions change seldom, and reading a day of a large tenant's
 * schedule costs more than the rest of a refresh: the real-time view reads them at most once
 * per CONTEXT_STEP_MS per tenant and day (a republished week shows within that; a change made
 * here drops the entry at once).
 */
const CONTEXT_STEP_MS = 15_000;

const contextKey = (tenantId: string, date: string, now: Date) => `adherence:context:${tenantId}:${date}:${Math.floor(now.getTime() / CONTEXT_STEP_MS)}`;

function getDayContext(services: ApiServices, tenantId: string, directory: Directory, now: Date): Promise<DayContext> {
  const date = localDateOf(now, directory.timezone);
  return services.liveBase.get(contextKey(tenantId, date, now), () => loadDayContext(services, tenantId, directory, date));
}

async function loadDayContext(services: ApiServices, tenantId: string, directory: Directory, date: string): Promise<DayContext> {
  const around = localDays(addLocalDays(date, -1), 3, directory.timezone);
  const [rules, schedule, approved] = await Promise.all([
    getRules(services, tenantId),
    readPublishedActivities(services.telemetry, tenantId, around),
    adherenceReaders(services.db, tenantId).approvedExceptions(around),
  ]);
  const version = createHash('sha256')
    .update(JSON.stringify([rules.updatedAt, schedule.scheduleIds, approved.map((e) => e.id)]))
    .digest('hex')
    .slice(0, 16);
  return {
    date,
    window: localDays(date, 1, directory.timezone),
    rules,
    activities: schedule.byAgent,
    exceptions: exceptionSpansByAgent(approved, directory.agents),
    version,
  };
}

// ── today, for the real-time view and /me ─────────────────────────────────────

/**
 * Judging a tenant's whole day on every refresh would cost most of a second at 2,000 agents,
 * so the day is judged in spans, each from the state in effect at its start (the same minutes
 * and sums as one judgement: packages/kpis tests the split), the settled ones kept in
 * `liveBase` per version:
 * - up to the live cut (every LIVE_CUT_STEP_MS, ten minutes back, as the wallboard's): once
 *   per cut, reading the day's state events;
 * - from the cut to a minute ago: once a minute, reading the events after the cut again, so
 *   an event that arrives late (up to ten minutes) counts from the next minute on;
 * - the last minute or two: on every refresh.
 */
const SETTLED_LAG_MS = 10 * 60_000;
const STEP_MS = 60_000;

interface Judged {
  /** Per scheduled agent, the minutes judged so far. */
  sums: Map<string, AdherenceSums>;
  /** Each agent's state in effect at the end of the span. */
  atEnd: Map<string, StateChange>;
}

/**
 * Judges [from, to) up to `until` after `before` (the day's earlier spans; null for the first,
 * which reads the state in effect at the day's start itself), adding to its sums.
 */
async function judgeSpan(
  services: ApiServices,
  tenantId: string,
  day: DayContext,
  before: Judged | null,
  span: { from: number; to: number; until: number },
): Promise<Judged> {
  const changes = await getAgentStateChanges(services.telemetry, {
    tenantId,
    from: new Date(span.from),
    to: new Date(Math.min(span.to, span.until + 1)),
    ...(before ? { lookbackMs: 0 } : {}),
  });
  const judged: Judged = { sums: new Map(), atEnd: new Map() };
  let n = 0;
  for (const [agentKey, activities] of day.activities) {
    if (++n % JUDGE_BATCH === 0) await yieldToRequests();
    const atStart = before?.atEnd.get(agentKey);
    const after = changes.get(agentKey) ?? [];
    const states = atStart ? [atStart, ...after] : after;
    const last = states.at(-1);
    if (last) judged.atEnd.set(agentKey, last);
    const { sums } = judgeAdherence({
      activities,
      states,
      exceptions: day.exceptions.get(agentKey),
      mapping: day.rules.mapping,
      graceMinutes: day.rules.graceMinutes,
      window: { start: span.from, end: span.to },
      until: span.until,
    });
    judged.sums.set(agentKey, totalOf([before?.sums.get(agentKey), ...sums.values()]));
  }
  return judged;
}

interface Today {
  now: Date;
  day: DayContext;
  /** Per scheduled agent: the minutes of the local day judged so far. */
  sums: Map<string, AdherenceSums>;
}

const todayKey = (tenantId: string) => `adherence:today:${tenantId}`;

async function loadToday(services: ApiServices, tenantId: string, directory: Directory): Promise<Today> {
  const now = services.now().getTime();
  const day = await getDayContext(services, tenantId, directory, new Date(now));
  const dayStart = day.window.from.getTime();
  const cut = Math.max(dayStart, Math.floor((now - SETTLED_LAG_MS) / LIVE_CUT_STEP_MS) * LIVE_CUT_STEP_MS);
  const step = Math.max(cut, Math.floor(now / STEP_MS) * STEP_MS - STEP_MS);
  const key = `adherence:${tenantId}:${day.date}:${day.version}:${cut}`;
  const stepped = await services.liveBase.get(`${key}:${step}`, async () => {
    const settled = await services.liveBase.get(key, () => judgeSpan(services, tenantId, day, null, { from: dayStart, to: cut, until: cut }));
    return judgeSpan(services, tenantId, day, settled, { from: cut, to: step, until: step });
  });
  const judged = await judgeSpan(services, tenantId, day, stepped, { from: step, to: day.window.to.getTime(), until: now });
  return { now: new Date(now), day, sums: judged.sums };
}

/** The tenant's day so far, loaded once for all its viewers as the wallboard's data is (at most every LIVE_MAX_AGE_MS). */
function getToday(services: ApiServices, tenantId: string, directory: Directory): Promise<Today> {
  return services.live.get(todayKey(tenantId), () => loadToday(services, tenantId, directory));
}

/** After a change to what the judgement reads (rules, exceptions): the next request waits for a fresh day. */
function forgetToday(services: ApiServices, access: Access): void {
  const now = services.now();
  services.liveBase.invalidate(contextKey(access.tenantId, localDateOf(now, access.directory.timezone), now));
  services.live.invalidate(todayKey(access.tenantId));
}

/** Every agent's current state, as fresh as the wallboard's: its shared live base and the events after its cut. */
function getCurrentStates(services: ApiServices, tenantId: string): Promise<{ now: Date; states: Map<string, AgentCurrentState> }> {
  return services.live.get(`adherence:states:${tenantId}`, async () => {
    const now = services.now();
    const base = await getSharedLiveBase(services, tenantId, now);
    const states = await getAgentCurrentStates(services.telemetry, { tenantId, now, base });
    return { now, states: new Map(states.map((s) => [s.agent_id, s])) };
  });
}

// ── the real-time view ────────────────────────────────────────────────────────

export const RealtimeInput = z.object({ teamKey: TeamKey.optional() });

/** Out of adherence this long turns a row from warning to critical. */
const CRITICAL_OUT_S = 10 * 60;
const statusRank: Record<NowStatus, number> = { out: 0, grace: 1, exception: 2, adherent: 3, time_off: 4, unscheduled: 5 };

type Severity = 'critical' | 'warning' | 'notice' | 'ok';

/** The activity at `now` with the ones of the same kind right after it: "lunch until 13:00", not until a split in the schedule. */
function runOf(activities: readonly ScheduledActivity[], current: ScheduledActivity) {
  let end = current.end;
  for (const a of activities) if (a.start === end && a.kind === current.kind) end = a.end;
  return { kind: current.kind, start: new Date(current.start).toISOString(), end: new Date(end).toISOString() };
}

/**
 * The shift day to drill into for an agent seen at an instant: the one of the activity then, else
 * of the last begun before it, else of the first; a night shift belongs to the day it began.
 */
function shiftDayAt(activities: readonly ScheduledActivity[], at: number, fallback: string): string {
  const begun = activities.filter((a) => a.start <= at);
  return (begun.find((a) => a.end > at) ?? begun.at(-1) ?? activities[0])?.shiftDate ?? fallback;
}

/** Where one agent stands now, and their day so far. */
function standing(agent: AgentEntry, now: number, current: AgentCurrentState | undefined, today: Today) {
  const activities = today.day.activities.get(agent.key) ?? [];
  const state = (current?.state ?? 'offline') as AgentState;
  const since = current ? Date.parse(current.state_since) : null;
  const verdict = judgeNow({
    activities,
    state,
    reasonCode: current?.reason_code || null,
    since,
    exceptions: today.day.exceptions.get(agent.key),
    mapping: today.day.rules.mapping,
    graceMinutes: today.day.rules.graceMinutes,
    now,
  });
  const outForS = verdict.outSince === null ? null : Math.round((now - verdict.outSince) / 1000);
  const severity: Severity = verdict.status === 'out' ? (outForS! >= CRITICAL_OUT_S ? 'critical' : 'warning') : verdict.status === 'grace' ? 'notice' : 'ok';
  const run = verdict.activity ? runOf(activities, verdict.activity) : null;
  const next = activities.find((a) => (run ? a.start >= Date.parse(run.end) : a.start > now));
  return {
    key: agent.key,
    name: agent.displayName,
    teamKey: agent.teamKey,
    teamName: agent.teamName,
    activity: run,
    shiftDate: shiftDayAt(activities, now, today.day.date),
    next: next ? { kind: next.kind, start: new Date(next.start).toISOString() } : null,
    state,
    reasonCode: current?.reason_code ?? '',
    stateSince: current?.state_since ?? null,
    status: verdict.status,
    outSince: verdict.outSince === null ? null : new Date(verdict.outSince).toISOString(),
    outForS,
    severity,
    today: kpisOf(today.sums.get(agent.key) ?? emptyAdherenceSums()),
  };
}

/**
 * Every agent in scope (or of one team): the activity scheduled now, the state they are in,
 * out of adherence since when, today's adherence so far; the worst first.
 */
export async function getRealtime(services: ApiServices, access: Access, input: z.infer<typeof RealtimeInput>) {
  const agents = agentsInScope(access, input.teamKey);
  const [{ now, states }, today] = await Promise.all([getCurrentStates(services, access.tenantId), getToday(services, access.tenantId, access.directory)]);
  const rows = agents
    .map((a) => standing(a, now.getTime(), states.get(a.key), today))
    .sort((a, b) => statusRank[a.status] - statusRank[b.status] || (b.outForS ?? 0) - (a.outForS ?? 0) || a.name.localeCompare(b.name));
  const counts: Record<NowStatus, number> = { out: 0, grace: 0, exception: 0, adherent: 0, time_off: 0, unscheduled: 0 };
  for (const r of rows) counts[r.status]++;
  const teams = new Map(agentsInScope(access).map((a) => [a.teamKey, a.teamName]));
  return {
    generatedAt: now.toISOString(),
    date: today.day.date,
    timezone: access.directory.timezone,
    graceMinutes: today.day.rules.graceMinutes,
    criticalAfterS: CRITICAL_OUT_S,
    teams: [...teams].map(([key, name]) => ({ key, name })).sort((a, b) => a.name.localeCompare(b.name)),
    counts,
    today: kpisOf(totalOf(agents.map((a) => today.sums.get(a.key)))),
    agents: rows,
  };
}

/** The agent's own standing for their widget on /me: now, what comes next and when, today so far. */
export async function getMine(services: ApiServices, access: Access, agentKey: string | undefined) {
  const me = await whoAmI(services, access, agentKey);
  const agent = findAgent(access, agentKey!);
  const [{ now, states }, today] = await Promise.all([getCurrentStates(services, access.tenantId), getToday(services, access.tenantId, access.directory)]);
  const row = standing(agent, now.getTime(), states.get(agent.key), today);
  return {
    generatedAt: now.toISOString(),
    timezone: me.timezone,
    graceMinutes: today.day.rules.graceMinutes,
    state: row.state,
    stateSince: row.stateSince,
    status: row.status,
    severity: row.severity,
    outSince: row.outSince,
    activity: row.activity,
    next: row.next && { ...row.next, inMin: Math.ceil((Date.parse(row.next.start) - now.getTime()) / 60_000) },
    today: row.today,
  };
}

// ── a day's Gantt ─────────────────────────────────────────────────────────────

export const GanttInput = z.object({ date: IsoDate.optional(), teamKey: TeamKey.optional() });

/** More agents than a screen can draw at once: the Gantt asks for a team. */
const GANTT_MAX_AGENTS = 300;

/** Consecutive minutes out of adherence as spans. */
function outSpans(minutes: readonly AdherenceMinute[]): { start: string; end: string }[] {
  const spans: { start: number; end: number }[] = [];
  for (const m of minutes) {
    if (m.verdict !== 'out') continue;
    const last = spans.at(-1);
    if (last && last.end === m.minute) last.end = m.minute + 60_000;
    else spans.push({ start: m.minute, end: m.minute + 60_000 });
  }
  return spans.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() }));
}

/** A local day per agent in scope: the scheduled activities, what they actually did, when they were out of adherence, and their exceptions. */
export async function getGantt(services: ApiServices, access: Access, input: z.infer<typeof GanttInput>) {
  const { timezone } = access.directory;
  const agents = agentsInScope(access, input.teamKey);
  if (agents.length > GANTT_MAX_AGENTS) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `${agents.length} agents are too many for one chart: pick a team` });
  }
  const now = services.now();
  const date = input.date ?? localDateOf(now, timezone);
  const day =
    date === localDateOf(now, timezone)
      ? (await getToday(services, access.tenantId, access.directory)).day
      : await loadDayContext(services, access.tenantId, access.directory, date);
  const from = day.window.from.getTime();
  const until = Math.max(from, Math.min(day.window.to.getTime(), now.getTime()));
  const keys = agents.map((a) => a.key);
  const [changes, exceptions] = await Promise.all([
    keys.length
      ? getAgentStateChanges(services.telemetry, { tenantId: access.tenantId, from: day.window.from, to: new Date(until), agentIds: keys })
      : new Map<string, StateChange[]>(),
    listAdherenceExceptions(services.db, access.tenantId, { ...day.window, agentIds: agents.map((a) => a.id), statuses: ['pending', 'approved'] }),
  ]);
  const iso = (t: number) => new Date(t).toISOString();
  return {
    date,
    timezone,
    dayStart: day.window.from.toISOString(),
    dayEnd: day.window.to.toISOString(),
    now: now.toISOString(),
    graceMinutes: day.rules.graceMinutes,
    agents: agents.map((a) => {
      const activities = day.activities.get(a.key) ?? [];
      const states = changes.get(a.key) ?? [];
      const judged = judgeAdherence({
        activities,
        states,
        exceptions: day.exceptions.get(a.key),
        mapping: day.rules.mapping,
        graceMinutes: day.rules.graceMinutes,
        window: { start: from, end: day.window.to.getTime() },
        until: now.getTime(),
      });
      return {
        key: a.key,
        name: a.displayName,
        teamName: a.teamName,
        shiftDate: shiftDayAt(activities, Math.min(now.getTime(), day.window.to.getTime() - 1), date),
        activities: activities
          .filter((x) => x.end > from && x.start < day.window.to.getTime())
          .map((x) => ({ kind: x.kind, start: iso(x.start), end: iso(x.end) })),
        states:
          until > from ? spansOf(states, from, until).map((s) => ({ state: s.state, reasonCode: s.reasonCode, start: iso(s.start), end: iso(s.end) })) : [],
        out: outSpans(judged.minutes),
        exceptions: exceptions
          .filter((e) => e.agentId === a.id)
          .map((e) => ({ id: e.id, status: e.status, reason: e.reason, start: e.startsAt.toISOString(), end: e.endsAt.toISOString() })),
        ...kpisOf(totalOf(judged.sums.values())),
      };
    }),
  };
}

// ── reports and their minutes ─────────────────────────────────────────────────

/** Days one report may cover. */
const MAX_DAYS = 31;

const reportDimensions = ['agent', 'team', 'day', 'week'] as const;

export const AdherenceReportInput = z
  .object({
    from: IsoDate,
    to: IsoDate,
    by: z.enum(reportDimensions),
    teamKey: TeamKey.optional(),
    /** One agent's rows (the drill from an agent to their days). */
    agentKey: z.string().min(1).max(64).optional(),
  })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
  .refine((r) => daysBetween(r.from, r.to) + 1 <= MAX_DAYS, { message: `a report covers at most ${MAX_DAYS} days`, path: ['from'] });

/** Each agent over the local days first … last (packages/telemetry judgeAdherenceDays); the minutes themselves only when asked for. */
function judgeRange(services: ApiServices, access: Access, agents: readonly AgentEntry[], first: string, last: string, minutes = false) {
  const { tenantId, directory } = access;
  return judgeAdherenceDays(services.telemetry, adherenceReaders(services.db, tenantId), {
    tenantId,
    timezone: directory.timezone,
    agents,
    first,
    last,
    now: services.now().getTime(),
    minutes,
  });
}

/** Adherence, conformance and minutes out by agent, team, day or week over local dates; rows and total from summed minutes. */
export async function getAdherenceReport(services: ApiServices, access: Access, input: z.infer<typeof AdherenceReportInput>) {
  const agents = input.agentKey ? [findAgent(access, input.agentKey)] : agentsInScope(access, input.teamKey);
  const days = daysBetween(input.from, input.to) + 1;
  if (agents.length * days > MAX_AGENT_DAYS) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${agents.length} agents × ${days} days is more than ${MAX_AGENT_DAYS.toLocaleString('en-US')} agent-days at once: pick a team or fewer days`,
    });
  }
  const { judged } = await judgeRange(services, access, agents, input.from, input.to);
  const rows = new Map<string, { key: string; label: string; sums: AdherenceSums }>();
  const add = (key: string, label: string, sums: AdherenceSums) => {
    const row = rows.get(key) ?? { key, label, sums: emptyAdherenceSums() };
    row.sums = addAdherenceSums(row.sums, sums);
    rows.set(key, row);
  };
  for (const agent of agents) {
    for (const [date, sums] of judged.get(agent.key)!.sums) {
      if (input.by === 'agent') add(agent.key, agent.displayName, sums);
      else if (input.by === 'team') add(agent.teamKey, agent.teamName, sums);
      else if (input.by === 'day') add(date, date, sums);
      else add(localWeekStart(date, 1), `week of ${localWeekStart(date, 1)}`, sums);
    }
  }
  const ordered = [...rows.values()].sort((a, b) =>
    input.by === 'agent' || input.by === 'team' ? a.label.localeCompare(b.label) : a.key.localeCompare(b.key),
  );
  const total = totalOf(ordered.map((r) => r.sums));
  return {
    from: input.from,
    to: input.to,
    by: input.by,
    timezone: access.directory.timezone,
    columns: kpiColumns,
    rows: ordered.map((r) => ({ ...r, kpis: kpisOf(r.sums) })),
    total: { sums: total, kpis: kpisOf(total) },
  };
}

export const MinutesInput = z.object({ agentKey: z.string().min(1).max(64), date: IsoDate });

/** One agent's shift day minute by minute, with the state events, activities and exceptions behind each verdict. */
export async function getAdherenceMinutes(services: ApiServices, access: Access, input: z.infer<typeof MinutesInput>) {
  const agent = findAgent(access, input.agentKey);
  const { rules, judged } = await judgeRange(services, access, [agent], input.date, input.date, true);
  const day = judged.get(agent.key)!;
  const sums = day.sums.get(input.date) ?? emptyAdherenceSums();
  const iso = (t: number) => new Date(t).toISOString();
  // The events behind the minutes: the one in effect at the first minute, and those until the last.
  const first = day.minutes[0]?.minute ?? Number.NEGATIVE_INFINITY;
  const last = (day.minutes.at(-1)?.minute ?? Number.POSITIVE_INFINITY) + 60_000;
  const inEffect = day.states.filter((s) => s.at < first).at(-1);
  const events = [...(inEffect ? [inEffect] : []), ...day.states.filter((s) => s.at >= first && s.at < last)];
  return {
    agent: { key: agent.key, name: agent.displayName, teamName: agent.teamName },
    date: input.date,
    timezone: access.directory.timezone,
    graceMinutes: rules.graceMinutes,
    sums,
    kpis: kpisOf(sums),
    activities: day.activities.map((a) => ({ kind: a.kind, start: iso(a.start), end: iso(a.end) })),
    exceptions: day.exceptions.map((e) => ({ start: iso(e.start), end: iso(e.end) })),
    minutes: day.minutes.map((m) => ({
      minute: iso(m.minute),
      activity: m.activity,
      state: m.state,
      reasonCode: m.reasonCode,
      verdict: m.verdict,
    })),
    events: events.map((s) => ({ at: iso(s.at), state: s.state, reasonCode: s.reasonCode ?? null })),
  };
}

// ── exceptions ────────────────────────────────────────────────────────────────

const exceptionReasons = ['system_outage', 'coaching_overran', 'meeting_overran', 'supervisor_request', 'other'] as const;

/** Longest exception one filing may cover. */
const MAX_EXCEPTION_MS = 24 * 3_600_000;

export const FileExceptionInput = z
  .object({
    agentKey: z.string().min(1).max(64),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    reason: z.enum(exceptionReasons),
    note: z.string().trim().max(500).optional(),
  })
  .refine((e) => Date.parse(e.end) > Date.parse(e.start), { message: 'the exception ends before it starts', path: ['end'] })
  .refine((e) => Date.parse(e.end) - Date.parse(e.start) <= MAX_EXCEPTION_MS, { message: 'an exception covers at most 24 hours', path: ['end'] });

export const ListExceptionsInput = z.object({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
  /** Local dates; by default the last two weeks and tomorrow. */
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});

function exceptionView(row: AdherenceExceptionRow, directory: Directory, userId: string) {
  const agent = directory.agents.find((a) => a.id === row.agentId);
  return {
    id: row.id,
    agentKey: agent?.key ?? '',
    agentName: agent?.displayName ?? '',
    teamName: agent?.teamName ?? '',
    start: row.startsAt.toISOString(),
    end: row.endsAt.toISOString(),
    reason: row.reason,
    note: row.note,
    status: row.status,
    filedByYou: row.requestedBy === userId,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

/** An agent asks for themselves, a supervisor for an agent of their teams: pending until a supervisor or admin decides. */
export async function fileException(services: ApiServices, access: Access, userId: string, input: z.infer<typeof FileExceptionInput>) {
  const agent = findAgent(access, input.agentKey);
  const row = await fileAdherenceException(services.db, access.tenantId, userId, {
    agentId: agent.id,
    startsAt: new Date(input.start),
    endsAt: new Date(input.end),
    reason: input.reason,
    note: input.note || null,
  });
  return exceptionView(row, access.directory, userId);
}

export async function listExceptions(services: ApiServices, access: Access, userId: string, input: z.infer<typeof ListExceptionsInput>) {
  const { timezone } = access.directory;
  const today = localDateOf(services.now(), timezone);
  const range = localDateSpan(input.from ?? addLocalDays(today, -14), input.to ?? addLocalDays(today, 1), timezone);
  const agents = agentsInScope(access);
  const rows = await listAdherenceExceptions(services.db, access.tenantId, {
    ...range,
    agentIds: access.agentKeys === null ? undefined : agents.map((a) => a.id),
    statuses: input.status ? [input.status] : undefined,
  });
  return rows.map((r) => exceptionView(r, access.directory, userId));
}

/** Approved, its minutes count as adherent from the next refresh; rejected, nothing changes. */
export async function decideException(services: ApiServices, access: Access, userId: string, input: { id: string; approve: boolean }) {
  const decided = await decideAdherenceException(services.db, access.tenantId, userId, {
    ...input,
    agentIds: access.agentKeys === null ? undefined : agentsInScope(access).map((a) => a.id),
  });
  if (!decided) throw notFound('pending exception');
  forgetToday(services, access);
  return exceptionView(decided, access.directory, userId);
}
