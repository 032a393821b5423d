import { Context } from '@temporalio/activity';
import { z } from 'zod';
import {
  getAdherenceSettings,
  getIntradaySettings,
  listAdherenceExceptions,
  listAgentWorkRules,
  listPlanningGroups,
  listPublishedActivities,
  listShiftTemplates,
  listStaffingSettings,
  listWorkContracts,
  recordIntradayProposals,
  type Directory,
  type NewProposal,
  type ScheduleActivityRow,
} from '@switchboard/db';
import {
  eligibleForOffer,
  groupRequirement,
  intradayStaffing,
  isPaidActivity,
  proposeOffers,
  reforecastRestOfDay,
  type MovableBreak,
  type OfferCandidate,
  type PlannedActivity,
} from '@switchboard/planning';
import {
  getAgentStateChanges,
  getForecastWithActuals,
  getIntradayDay,
  listForecastVersions,
  writeIntradayRun,
  type ForecastVersion,
  type IntradayGroupRow,
  type IntradayQueueRow,
} from '@switchboard/telemetry';
import { addLocalDays, daysBetween, isLocalDate, localDateOf, localDay } from '@switchboard/calendar';
import type { PlanningDeps } from './activities.ts';
import { parseInput } from './activity-input.ts';
import { directoryOf, staffingPolicyOf } from './directory.ts';

/**
 * The intraday loop's activities (intradayWorkflow, every 15 minutes per tenant): measure the day as of the run's
 * time — reforecast each queue's rest of the day from its actuals, the agents that requires, and per planning group
 * the staffing gap — then propose, per group, break moves and time-off / overtime offers. Arguments are ids and
 * times only; both are safe to retry (the run's rows are keyed on its id, proposals on run, group, kind and start).
 */

const SLOT_MS = 15 * 60_000;
const MIN_MS = 60_000;

export interface IntradayMeasureInput {
  tenantId: string;
  runId: string;
  /** The run's time (ISO): the day is measured as of it, so a retry measures the same day. */
  at: string;
}

export interface IntradayGroupSummary {
  groupId: string;
  /** 15-minute intervals still ahead whose gap is below −threshold / above +threshold. */
  shortIntervals: number;
  overIntervals: number;
  /** The most negative gap ahead (agents). */
  worstGap: number;
}

export interface IntradayMeasureResult {
  date: string;
  /** The forecast the day was planned with; null when none covers the day (nothing measured). */
  forecastVersionId: string | null;
  groups: IntradayGroupSummary[];
}

export interface IntradayProposeInput {
  tenantId: string;
  runId: string;
  at: string;
  date: string;
  groupId: string;
}

const Uuid = z.uuid();
const MeasureInput: z.ZodType<IntradayMeasureInput> = z.object({ tenantId: Uuid, runId: Uuid, at: z.iso.datetime() });
const ProposeInput: z.ZodType<IntradayProposeInput> = z.object({
  tenantId: Uuid,
  runId: Uuid,
  at: z.iso.datetime(),
  date: z.string().refine(isLocalDate, 'a date YYYY-MM-DD'),
  groupId: Uuid,
});

/**
 * The forecast the day was planned with: the newest version covering the day made before the day began (the
 * morning's); failing that, the newest covering it at all.
 */
function morningForecast(versions: readonly ForecastVersion[], date: string, dayStart: Date): ForecastVersion | null {
  const covering = versions.filter((v) => daysBetween(v.start_date, date) >= 0 && daysBetween(v.start_date, date) < v.horizon_days);
  return covering.find((v) => Date.parse(v.created_at) <= dayStart.getTime()) ?? covering[0] ?? null;
}

/** The day's timeline: its origin (local midnight), 15-minute intervals (92–100) and the run's place on it. */
function dayTimeline(date: string, timezone: string, at: Date) {
  const { from, to } = localDay(date, timezone);
  const intervals = Math.round((to.getTime() - from.getTime()) / SLOT_MS);
  return { origin: from, end: to, intervals, completed: Math.max(0, Math.min(intervals, Math.floor((at.getTime() - from.getTime()) / SLOT_MS))) };
}

const onTimeline =
  (origin: Date) =>
  (a: Pick<ScheduleActivityRow, 'kind' | 'startsAt' | 'endsAt'>): PlannedActivity => ({
    kind: a.kind,
    start: (a.startsAt.getTime() - origin.getTime()) / MIN_MS,
    end: (a.endsAt.getTime() - origin.getTime()) / MIN_MS,
  });

/** One agent's activities, shift by shift. */
function byShift<T extends { shiftDate: string }>(rows: readonly T[]): T[][] {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(r.shiftDate, [...(out.get(r.shiftDate) ?? []), r]);
  return [...out.values()];
}

function byAgent<T extends { agentId: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(r.agentId, [...(out.get(r.agentId) ?? []), r]);
  return out;
}

/**
 * Agents whose shift began at least the grace minutes ago, scheduled to work at `at`, whose state then is offline or
 * unknown: not there, and counted absent for the rest of their day until they log in.
 */
async function absentAgents(
  deps: PlanningDeps,
  tenantId: string,
  directory: Directory,
  activities: readonly ScheduleActivityRow[],
  at: Date,
): Promise<Set<string>> {
  const grace = ((await getAdherenceSettings(deps.db, tenantId))?.graceMinutes ?? 2) * MIN_MS;
  const due = new Set<string>();
  for (const [agentId, own] of byAgent(activities)) {
    const working = own.find((a) => a.kind === 'work' && a.startsAt <= at && a.endsAt > at);
    if (!working) continue;
    const shiftStart = Math.min(...own.filter((a) => a.shiftDate === working.shiftDate).map((a) => a.startsAt.getTime()));
    if (shiftStart + grace <= at.getTime()) due.add(agentId);
  }
  if (due.size === 0) return due;
  const keyOf = new Map(directory.agents.map((a) => [a.id, a.key]));
  const keys = [...due].map((id) => keyOf.get(id)).filter((k): k is string => k !== undefined);
  const changes = await getAgentStateChanges(deps.telemetry, { tenantId, from: at, to: new Date(at.getTime() + 1), agentIds: keys });
  const absent = new Set<string>();
  for (const id of due) {
    const last = changes
      .get(keyOf.get(id) ?? '')
      ?.filter((c) => c.at <= at.getTime())
      .at(-1);
    if (!last || last.state === 'offline') absent.add(id);
  }
  return absent;
}

export function createIntradayActivities(deps: PlanningDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    /** Reforecast, requirements and the staffing gap of the day as of the run's time, stored under the run. */
    async measureIntraday(raw: IntradayMeasureInput): Promise<IntradayMeasureResult> {
      const input = parseInput('measureIntraday', MeasureInput, raw);
      const directory = await directoryOf(deps.db, input.tenantId);
      const at = new Date(input.at);
      const date = localDateOf(at, directory.timezone);
      const day = dayTimeline(date, directory.timezone, at);
      const version = morningForecast(await listForecastVersions(deps.telemetry, input.tenantId, 500), date, day.origin);
      if (!version) return { date, forecastVersionId: null, groups: [] };

      const settings = new Map((await listStaffingSettings(deps.db, input.tenantId)).map((s) => [s.queueId, s]));
      const slotStart = (t: number) => new Date(day.origin.getTime() + t * SLOT_MS).toISOString();
      const queueRows: IntradayQueueRow[] = [];
      for (const queue of directory.queues) {
        const stored = await getForecastWithActuals(deps.telemetry, {
          tenantId: input.tenantId,
          versionId: version.version_id,
          queueId: queue.key,
          from: day.origin,
          to: day.end,
          now: new Date(day.origin.getTime() + day.completed * SLOT_MS),
        });
        const bySlot = new Map(stored.map((r) => [Math.round((Date.parse(r.interval_start) - day.origin.getTime()) / SLOT_MS), r]));
        const slots = Array.from({ length: day.intervals }, (_, t) => bySlot.get(t));
        const forecast = slots.map((r) => r?.volume ?? 0);
        const actual = slots.slice(0, day.completed).map((r) => r?.actual_offered ?? 0);
        const reforecast = reforecastRestOfDay(forecast, actual);
        const setting = settings.get(queue.id);
        const requirements = await deps.math.staffQueue({
          queueId: queue.key,
          policy: staffingPolicyOf(queue, setting, directory.agents),
          plannedAhtS: setting?.plannedAhtS,
          intervals: slots.map((r, t) => ({ interval_start: slotStart(t), volume: reforecast[t]!, aht_s: r?.aht_s ?? 0 })),
        });
        requirements.forEach((r, t) =>
          queueRows.push({
            queue_id: queue.key,
            interval_start: r.interval_start,
            forecast: forecast[t]!,
            reforecast: reforecast[t]!,
            actual: t < day.completed ? actual[t]! : null,
            aht_s: r.aht_s,
            required: r.required_fte,
          }),
        );
        Context.current().heartbeat(queue.key);
      }

      const [groups, published, exceptions] = await Promise.all([
        listPlanningGroups(deps.db, input.tenantId),
        listPublishedActivities(deps.db, input.tenantId, { from: day.origin, to: day.end }),
        listAdherenceExceptions(deps.db, input.tenantId, { from: day.origin, to: day.end, statuses: ['approved'] }),
      ]);
      const absent = await absentAgents(deps, input.tenantId, directory, published, at);
      const timeline = onTimeline(day.origin);
      const groupRows: IntradayGroupRow[] = [];
      const summaries: IntradayGroupSummary[] = [];
      const threshold = (await getIntradaySettings(deps.db, input.tenantId)).gapThreshold;
      for (const group of groups) {
        const queueKeys = new Set(directory.queues.filter((q) => group.queueIds.includes(q.id)).map((q) => q.key));
        const { required } = groupRequirement(
          day.intervals,
          day.origin,
          queueRows.filter((r) => queueKeys.has(r.queue_id)).map((r) => ({ interval_start: r.interval_start, required_fte: r.required })),
        );
        const agents = [...byAgent(published.filter((a) => a.groupId === group.id))].map(([agentId, rows]) => ({ agentId, activities: rows.map(timeline) }));
        const staffed = intradayStaffing({
          intervals: day.intervals,
          required,
          agents,
          exceptions: exceptions.map((e) => ({ agentId: e.agentId, ...timeline({ kind: 'work', startsAt: e.startsAt, endsAt: e.endsAt }) })),
          absent,
          absentFromSlot: day.completed,
        });
        for (let t = 0; t < day.intervals; t++)
          groupRows.push({
            group_id: group.key,
            interval_start: slotStart(t),
            required: required[t]!,
            scheduled: staffed.scheduled[t]!,
            excepted: staffed.excepted[t]!,
            absent: staffed.absent[t]!,
            net: staffed.net[t]!,
            gap: staffed.gap[t]!,
          });
        const ahead = staffed.gap.slice(day.completed);
        summaries.push({
          groupId: group.id,
          shortIntervals: ahead.filter((g) => g <= -threshold).length,
          overIntervals: ahead.filter((g) => g >= threshold).length,
          worstGap: ahead.length > 0 ? Math.min(...ahead) : 0,
        });
      }
      await writeIntradayRun(deps.telemetry, {
        tenantId: input.tenantId,
        date,
        runId: input.runId,
        runAt: at,
        forecastVersionId: version.version_id,
        queues: queueRows,
        groups: groupRows,
      });
      return { date, forecastVersionId: version.version_id, groups: summaries };
    },

    /**
     * One group's proposals from the run's measurement: break moves (a small MIP in the math pool) for the shortfall
     * from the lead time on, then time-off offers where the gap (after those moves) stays above the threshold and
     * overtime offers where it stays below, to the agents the rules allow. Earlier runs' waiting proposals are
     * superseded. A run no longer the day's latest proposes nothing.
     */
    async proposeIntraday(raw: IntradayProposeInput): Promise<{ proposals: number; waiting: number }> {
      const input = parseInput('proposeIntraday', ProposeInput, raw);
      const directory = await directoryOf(deps.db, input.tenantId);
      const groups = await listPlanningGroups(deps.db, input.tenantId);
      const group = groups.find((g) => g.id === input.groupId);
      const measured = await getIntradayDay(deps.telemetry, { tenantId: input.tenantId, date: input.date });
      if (!group || measured?.runId !== input.runId) return { proposals: 0, waiting: 0 };
      const at = new Date(input.at);
      const day = dayTimeline(input.date, directory.timezone, at);
      const settings = await getIntradaySettings(deps.db, input.tenantId);
      const rows = measured.groups.filter((g) => g.group_id === group.key);
      const net = rows.map((r) => r.net);
      const required = rows.map((r) => r.required);
      const fromMinute = Math.ceil((at.getTime() + settings.leadMinutes * MIN_MS - day.origin.getTime()) / SLOT_MS) * 15;

      // A day either side: night shifts reaching into the day, and the rest between shifts for overtime.
      const around = { from: new Date(day.origin.getTime() - 86_400_000), to: new Date(day.end.getTime() + 86_400_000) };
      const [published, templates] = await Promise.all([listPublishedActivities(deps.db, input.tenantId, around), listShiftTemplates(deps.db, input.tenantId)]);
      const timeline = onTimeline(day.origin);
      const mine = published.filter((a) => a.groupId === group.id && a.startsAt < day.end && a.endsAt > day.origin);
      // Moving an absent agent's break covers nothing.
      const absent = await absentAgents(deps, input.tenantId, directory, mine, at);
      const breaks: MovableBreak[] = [];
      for (const [agentId, rows] of byAgent(mine)) {
        if (absent.has(agentId)) continue;
        // A break is never moved onto a meeting, coaching or training.
        const blocked = rows.filter((a) => a.kind !== 'work' && a.kind !== 'break' && a.kind !== 'lunch').map(timeline);
        for (const shift of byShift(rows)) {
          const shiftStart = Math.min(...shift.map((a) => timeline(a).start));
          const template = templates.find((t) => t.id === shift[0]!.templateId);
          const used = new Set<number>();
          for (const a of shift) {
            if (a.kind !== 'break' && a.kind !== 'lunch') continue;
            const { start, end } = timeline(a);
            const offset = start - shiftStart;
            const slot = template?.breaks.findIndex(
              (b, i) => !used.has(i) && b.kind === a.kind && b.lengthMin === end - start && b.earliestOffsetMin <= offset && offset <= b.latestOffsetMin,
            );
            if (slot === undefined || slot < 0) continue;
            used.add(slot);
            const window = template!.breaks[slot]!;
            breaks.push({
              agentId,
              kind: a.kind,
              start,
              lengthMin: end - start,
              earliest: shiftStart + window.earliestOffsetMin,
              latest: shiftStart + window.latestOffsetMin,
              blocked,
            });
          }
        }
      }
      const proposals: NewProposal[] = [];
      const instant = (minute: number) => new Date(day.origin.getTime() + minute * MIN_MS);
      const gap = rows.map((r) => r.gap);
      if (breaks.length > 0) {
        const beat = setInterval(() => Context.current().heartbeat('moving breaks'), 5_000);
        const planned = await deps.math.moveBreaks({ intervals: day.intervals, net, required, fromMinute, breaks }).finally(() => clearInterval(beat));
        if (planned.moves.length > 0 && planned.shortfallAfter < planned.shortfallBefore - 1e-6) {
          for (const m of planned.moves) shiftCoverage(gap, m.from, m.to, m.lengthMin);
          proposals.push({
            kind: 'break_moves',
            startsAt: instant(Math.min(...planned.moves.map((m) => Math.min(m.from, m.to)))),
            endsAt: instant(Math.max(...planned.moves.map((m) => Math.max(m.from, m.to) + m.lengthMin))),
            agents: planned.moves.length,
            gain: planned.shortfallBefore - planned.shortfallAfter,
            detail: {
              moves: planned.moves.map((m) => ({
                agentId: m.agentId,
                kind: m.kind,
                from: instant(m.from).toISOString(),
                to: instant(m.to).toISOString(),
                lengthMin: m.lengthMin,
              })),
              shortfallBefore: planned.shortfallBefore,
              shortfallAfter: planned.shortfallAfter,
            },
          });
        }
      }

      const offers = proposeOffers({ gap, fromSlot: Math.min(day.intervals, fromMinute / 15), threshold: settings.gapThreshold });
      if (offers.length > 0) {
        const candidates = await offerCandidates(deps, input.tenantId, directory, group.queueIds, input.date, published, timeline);
        for (const offer of offers) {
          const start = offer.fromSlot * 15;
          const end = offer.toSlot * 15;
          const { eligible, refused } = eligibleForOffer({ kind: offer.kind, start, end, groupQueueIds: group.queueIds, candidates });
          if (eligible.length === 0) continue;
          const agents = Math.min(offer.agents, eligible.length);
          proposals.push({
            kind: offer.kind,
            startsAt: instant(start),
            endsAt: instant(end),
            agents,
            gain: agents * (offer.toSlot - offer.fromSlot),
            detail: { eligible, refused },
          });
        }
      }
      const waiting = await recordIntradayProposals(deps.db, input.tenantId, {
        runId: input.runId,
        groupId: group.id,
        date: input.date,
        now: now(),
        proposals,
      });
      return { proposals: proposals.length, waiting };
    },
  };
}

/** Coverage after a break moves from `from` to `to`: the agent works where the break was and rests where it goes. */
function shiftCoverage(gap: number[], from: number, to: number, lengthMin: number): void {
  const overlap = (start: number, t: number) => Math.max(0, Math.min(start + lengthMin, (t + 1) * 15) - Math.max(start, t * 15)) / 15;
  for (let t = 0; t < gap.length; t++) gap[t]! += overlap(from, t) - overlap(to, t);
}

/**
 * Everyone an offer could go to, with what the rules need: their skills (as queue ids), their activities around the
 * day on its timeline, their paid minutes in their published weeks touching the day, their contract's limits.
 * Agents without work rules cannot be given overtime (no contract to check) and are left out.
 */
async function offerCandidates(
  deps: PlanningDeps,
  tenantId: string,
  directory: Directory,
  groupQueueIds: readonly string[],
  date: string,
  published: readonly (ScheduleActivityRow & { weekStart: string })[],
  timeline: ReturnType<typeof onTimeline>,
): Promise<OfferCandidate[]> {
  const [rules, contracts] = await Promise.all([listAgentWorkRules(deps.db, tenantId), listWorkContracts(deps.db, tenantId)]);
  const contractOf = new Map(rules.map((r) => [r.agentId, contracts.find((c) => c.id === r.contractId)]));
  const activities = byAgent(published);
  // The published week holding the day: its paid minutes are what the contract's weekly maximum bounds.
  const week = published
    .map((a) => a.weekStart)
    .filter((w) => w <= date)
    .sort()
    .at(-1);
  const weekActivities = week
    ? await listPublishedActivities(deps.db, tenantId, {
        from: localDay(week, directory.timezone).from,
        to: localDay(addLocalDays(week, 7), directory.timezone).from,
      })
    : [];
  const paid = new Map<string, number>();
  for (const a of weekActivities)
    if (isPaidActivity(a.kind)) paid.set(a.agentId, (paid.get(a.agentId) ?? 0) + (a.endsAt.getTime() - a.startsAt.getTime()) / MIN_MS);
  const out: OfferCandidate[] = [];
  for (const agent of directory.agents) {
    const contract = contractOf.get(agent.id);
    if (!contract) continue;
    const skillQueueIds = directory.queues.filter((q) => agent.skillIds.includes(q.skillId)).map((q) => q.id);
    if (!skillQueueIds.some((q) => groupQueueIds.includes(q))) continue;
    out.push({
      agentId: agent.id,
      skillQueueIds,
      activities: (activities.get(agent.id) ?? []).map(timeline),
      weekPaidMinutes: paid.get(agent.id) ?? 0,
      maxWeekMinutes: contract.maxHours * 60,
      minRestMin: contract.minRestMin,
    });
  }
  return out;
}
