import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { addLocalDays, daysBetween, localDateSpan, type TimeRange } from '@switchboard/calendar';
import { agentStates, type ActivityKind } from '@switchboard/contracts';
import {
  DEFAULT_GRACE_MINUTES,
  defaultAdherenceMapping,
  judgeAdherence,
  type AdherenceMapping,
  type AdherenceMinute,
  type AdherenceSums,
  type ExceptionSpan,
  type ScheduledActivity,
  type StateChange,
} from '@switchboard/kpis';
import { getAgentStateChanges } from './repositories/adherence.ts';
import { getScheduledActivities } from './repositories/schedules.ts';

/**
 * Schedule adherence of agents over tenant-local days, judged by packages/kpis adherence.ts from the
 * published schedule and the state events stored here: one place for the API's reports and
 * drill-downs and for the coaching checks of workflows (which may not import the API). The tenant's
 * rules and approved exceptions live in Postgres, which this package does not reach: callers pass
 * readers of them (packages/db getAdherenceSettings, listAdherenceExceptions).
 */

const AllowedStates = z
  .array(z.object({ state: z.enum(agentStates), reasonCodes: z.array(z.string().trim().min(1).max(64)).min(1).max(32).optional() }))
  .max(16);

/** A tenant's AdherenceMapping as a planner saves it, and as it is read back. */
export const SavedAdherenceMapping = z.object({
  work: AllowedStates,
  break: AllowedStates,
  lunch: AllowedStates,
  meeting: AllowedStates,
  coaching: AllowedStates,
  training: AllowedStates,
});

export interface AdherenceRules {
  mapping: AdherenceMapping;
  graceMinutes: number;
}

/** The rules of a tenant's saved settings row; the defaults while it has none. */
export function adherenceRulesOf(saved: { mapping: unknown; graceMinutes: number } | null): AdherenceRules {
  if (!saved) return { mapping: defaultAdherenceMapping, graceMinutes: DEFAULT_GRACE_MINUTES };
  return { mapping: SavedAdherenceMapping.parse(saved.mapping), graceMinutes: saved.graceMinutes };
}

/** The published activities overlapping `range` per agent key, in time order, and the versions they come from. */
export async function readPublishedActivities(client: ClickHouseClient, tenantId: string, range: TimeRange, agentKeys?: readonly string[]) {
  const byAgent = new Map<string, ScheduledActivity[]>();
  if (agentKeys?.length === 0) return { byAgent, scheduleIds: [] };
  const rows = await getScheduledActivities(client, { tenantId, ...range, agentKeys });
  for (const row of rows) {
    const list = byAgent.get(row.agent_id) ?? [];
    list.push({ kind: row.kind as ActivityKind, start: Date.parse(row.start), end: Date.parse(row.end), shiftDate: row.shift_date });
    byAgent.set(row.agent_id, list);
  }
  return { byAgent, scheduleIds: [...new Set(rows.map((r) => r.schedule_id))].sort() };
}

interface ExceptionRow {
  agentId: string;
  startsAt: Date;
  endsAt: Date;
}

interface AgentRef {
  /** The database id (exceptions name agents by it). */
  id: string;
  /** The telemetry key (events and schedules name agents by it). */
  key: string;
}

/** Approved exceptions as spans per agent key. */
export function exceptionSpansByAgent(rows: readonly ExceptionRow[], agents: readonly AgentRef[]): Map<string, ExceptionSpan[]> {
  const keyOf = new Map(agents.map((a) => [a.id, a.key]));
  const byAgent = new Map<string, ExceptionSpan[]>();
  for (const row of rows) {
    const key = keyOf.get(row.agentId);
    if (!key) continue;
    byAgent.set(key, [...(byAgent.get(key) ?? []), { start: row.startsAt.getTime(), end: row.endsAt.getTime() }]);
  }
  return byAgent;
}

/** Agents judged between two turns of the event loop, so a process's other work is not held up behind a tenant's days. */
export const JUDGE_BATCH = 100;

export const yieldToRequests = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Agents × days one judgement covers minute by minute (half a millisecond each): every agent of the
 * demo center over a month. Larger scopes are split by the caller (a report asks for a team or fewer
 * days; a coaching check judges its agents in chunks of this size).
 */
export const MAX_AGENT_DAYS = 4_000;

export interface AdherenceReaders {
  /** The tenant's saved settings (getAdherenceSettings); null while none are saved. */
  settings: () => Promise<{ mapping: unknown; graceMinutes: number } | null>;
  /** The approved exceptions overlapping a range, of the agents with these database ids (all when not given; listAdherenceExceptions). */
  approvedExceptions: (filter: TimeRange & { agentIds?: string[] }) => Promise<readonly ExceptionRow[]>;
}

interface JudgedAgent {
  activities: ScheduledActivity[];
  states: StateChange[];
  exceptions: ExceptionSpan[];
  /** Per shift day within the range. */
  sums: Map<string, AdherenceSums>;
  /** Each judged minute when `minutes` was asked for (the drill-down), else none. */
  minutes: AdherenceMinute[];
}

/**
 * Judges each agent over the local days first … last, stretched to whole shifts of those days:
 * each minute goes to the shift day of its activity, and only shift days in the range are kept,
 * so a report and the drill-down of one of its days count the same minutes. Minutes after `now`
 * are not judged.
 */
export async function judgeAdherenceDays(
  client: ClickHouseClient,
  readers: AdherenceReaders,
  params: { tenantId: string; timezone: string; agents: readonly AgentRef[]; first: string; last: string; now: number; minutes?: boolean },
): Promise<{ rules: AdherenceRules; judged: Map<string, JudgedAgent> }> {
  const { tenantId, timezone, agents, first, last, now } = params;
  const days = daysBetween(first, last) + 1;
  if (agents.length * days > MAX_AGENT_DAYS) throw new RangeError(`${agents.length} agents × ${days} days is more than ${MAX_AGENT_DAYS} agent-days at once`);
  const span = localDateSpan(first, last, timezone);
  const around = localDateSpan(addLocalDays(first, -1), addLocalDays(last, 1), timezone);
  const keys = agents.map((a) => a.key);
  const [rules, schedule, approved] = await Promise.all([
    readers.settings().then(adherenceRulesOf),
    readPublishedActivities(client, tenantId, around, keys),
    readers.approvedExceptions({ ...around, agentIds: agents.map((a) => a.id) }),
  ]);
  const exceptions = exceptionSpansByAgent(approved, agents);
  const inRange = (a: ScheduledActivity) => a.shiftDate >= first && a.shiftDate <= last;
  const windows = new Map(
    keys.map((key) => {
      const mine = (schedule.byAgent.get(key) ?? []).filter(inRange);
      return [key, { start: Math.min(span.from.getTime(), ...mine.map((a) => a.start)), end: Math.max(span.to.getTime(), ...mine.map((a) => a.end)) }];
    }),
  );
  const start = Math.min(...[...windows.values()].map((w) => w.start));
  const end = Math.max(start, Math.min(now + 1, Math.max(...[...windows.values()].map((w) => w.end))));
  const changes = keys.length
    ? await getAgentStateChanges(client, { tenantId, from: new Date(start), to: new Date(end), agentIds: keys })
    : new Map<string, StateChange[]>();
  const judged = new Map<string, JudgedAgent>();
  for (const [i, key] of keys.entries()) {
    if (i > 0 && i % JUDGE_BATCH === 0) await yieldToRequests();
    const activities = schedule.byAgent.get(key) ?? [];
    const states = changes.get(key) ?? [];
    const result = judgeAdherence({
      activities,
      states,
      exceptions: exceptions.get(key),
      mapping: rules.mapping,
      graceMinutes: rules.graceMinutes,
      window: windows.get(key)!,
      until: now,
    });
    judged.set(key, {
      activities: activities.filter(inRange),
      states,
      exceptions: exceptions.get(key) ?? [],
      sums: new Map([...result.sums].filter(([date]) => date >= first && date <= last)),
      minutes: params.minutes ? result.minutes.filter((m) => m.shiftDate >= first && m.shiftDate <= last) : [],
    });
  }
  return { rules, judged };
}
