import { addLocalDays, localDayStart, weekdayOf, type Weekday } from '@switchboard/calendar';
import type { AgentContract } from './assign.ts';
import { scheduleIntervalMin, weekTimeline, type PlannedShift, type ShiftTemplate, type WeekProblem } from './week.ts';

/**
 * From the stores' rows to the solver's week and back: which agents a planning group schedules, their contracts on
 * the week's timeline, and the plan's shifts as activities with instants. The row types are the Postgres rows'
 * shapes (packages/db schema), written out here because planning depends on no store.
 */

interface DirectoryLike {
  queues: readonly { id: string; skillId: string }[];
  agents: readonly { id: string; key: string; skillIds: readonly string[] }[];
}
interface GroupRow {
  id: string;
  key: string;
  queueIds: readonly string[];
}
interface TemplateRow extends Omit<ShiftTemplate, 'weekdays'> {
  weekdays: readonly number[];
  active: boolean;
}
interface ContractRow {
  id: string;
  minHours: number;
  maxHours: number;
  minRestMin: number;
  maxConsecutiveDays: number;
  daysOffPerWeek: number;
  fixedDaysOff: readonly number[];
}
interface RulesRow {
  agentId: string;
  contractId: string;
  timezone: string | null;
  availability: readonly ({ from: number; to: number } | null)[] | null;
  preferredStartFrom: number | null;
  preferredStartTo: number | null;
  preferredDaysOff: readonly number[];
}
interface ActivityRow {
  agentId: string;
  endsAt: Date;
  shiftDate: string;
}
interface TimeOffRowLike {
  agentId: string;
  startsAt: Date;
  endsAt: Date;
  paidHours: number;
}

const minuteMs = 60_000;

/**
 * The group an agent is scheduled in: the one holding most of the queues the agent is skilled for (ties to the
 * group key first in order). One group per agent keeps each group's weekly run independent — two runs can never
 * book the same agent twice — at the cost of not lending a multi-skilled agent to a second group within a week.
 */
function homeGroupOf(agent: DirectoryLike['agents'][number], groups: readonly GroupRow[], directory: DirectoryLike): string | null {
  let best: { id: string; key: string; n: number } | null = null;
  for (const group of groups) {
    const n = directory.queues.filter((q) => group.queueIds.includes(q.id) && agent.skillIds.includes(q.skillId)).length;
    if (n > 0 && (!best || n > best.n || (n === best.n && group.key < best.key))) best = { id: group.id, key: group.key, n };
  }
  return best?.id ?? null;
}

export function toShiftTemplate(row: TemplateRow): ShiftTemplate {
  return {
    id: row.id,
    name: row.name,
    lengthMin: row.lengthMin,
    startStepMin: row.startStepMin,
    earliestStartMin: row.earliestStartMin,
    latestStartMin: row.latestStartMin,
    weekdays: row.weekdays as Weekday[],
    cost: row.cost,
    breaks: row.breaks,
  };
}

export interface WeekInputs {
  tenantTimezone: string;
  weekStart: string;
  groupId: string;
  directory: DirectoryLike;
  groups: readonly GroupRow[];
  templates: readonly TemplateRow[];
  contracts: readonly ContractRow[];
  rules: readonly RulesRow[];
  /** Approved time off overlapping the week. */
  timeOff: readonly TimeOffRowLike[];
  /** Published activities of the week before (rest and consecutive days carry over). */
  previous: readonly ActivityRow[];
  required: readonly number[];
}

/** The solver's week for one planning group, and what the planner should know about the inputs. */
export function buildWeekProblem(inputs: WeekInputs): { problem: WeekProblem; notes: string[]; agentIds: string[] } {
  const { weekStart, tenantTimezone: timezone } = inputs;
  const { origin, dayStarts } = weekTimeline(weekStart, timezone);
  const toTimeline = (at: Date) => (at.getTime() - origin.getTime()) / minuteMs;
  const dates = Array.from({ length: 7 }, (_, d) => addLocalDays(weekStart, d));
  const daysOf = (weekdays: readonly number[]) => dates.flatMap((date, d) => (weekdays.includes(weekdayOf(date)) ? [d] : []));
  const contracts = new Map(inputs.contracts.map((c) => [c.id, c]));
  const rules = new Map(inputs.rules.map((r) => [r.agentId, r]));
  const notes: string[] = [];
  const withoutRules: string[] = [];
  const agents: AgentContract[] = [];
  for (const agent of inputs.directory.agents) {
    if (homeGroupOf(agent, inputs.groups, inputs.directory) !== inputs.groupId) continue;
    const rule = rules.get(agent.id);
    const contract = rule && contracts.get(rule.contractId);
    if (!rule || !contract) {
      withoutRules.push(agent.key);
      continue;
    }
    // Availability and preferences are on the agent's own clock.
    const zone = rule.timezone ?? timezone;
    const dayStartOnOwnClock = (d: number) => toTimeline(localDayStart(dates[d]!, zone));
    const ownOffset = dayStartOnOwnClock(0) - dayStarts[0]!;
    const mine = inputs.previous.filter((a) => a.agentId === agent.id);
    const lastEnd = mine.reduce((max, a) => Math.max(max, toTimeline(a.endsAt)), -Infinity);
    const workedDates = new Set(mine.map((a) => a.shiftDate));
    let consecutiveDays = 0;
    while (workedDates.has(addLocalDays(weekStart, -1 - consecutiveDays))) consecutiveDays++;
    agents.push({
      id: agent.id,
      groups: [inputs.groupId],
      minHours: contract.minHours,
      maxHours: contract.maxHours,
      minRestMin: contract.minRestMin,
      maxConsecutiveDays: contract.maxConsecutiveDays,
      minDaysOff: contract.daysOffPerWeek,
      ...(contract.fixedDaysOff.length > 0 ? { fixedDaysOff: daysOf(contract.fixedDaysOff) } : {}),
      ...(rule.availability
        ? {
            availability: dates.map((date, d) => {
              const window = rule.availability![weekdayOf(date)];
              return window ? { from: dayStartOnOwnClock(d) + window.from, to: dayStartOnOwnClock(d) + window.to } : null;
            }),
          }
        : {}),
      timeOff: inputs.timeOff
        .filter((t) => t.agentId === agent.id)
        .map((t) => ({ start: toTimeline(t.startsAt), end: toTimeline(t.endsAt), paidHours: t.paidHours })),
      ...(rule.preferredStartFrom !== null && rule.preferredStartTo !== null
        ? { preferredStart: { from: rule.preferredStartFrom + ownOffset, to: rule.preferredStartTo + ownOffset } }
        : {}),
      ...(rule.preferredDaysOff.length > 0 ? { preferredDaysOff: daysOf(rule.preferredDaysOff) } : {}),
      ...(Number.isFinite(lastEnd) ? { previous: { lastEnd, consecutiveDays } } : {}),
    });
  }
  if (withoutRules.length > 0)
    notes.push(`${withoutRules.length} agent(s) of this group have no work contract and were not scheduled (${withoutRules.slice(0, 5).join(', ')}…)`);
  const templates = inputs.templates.filter((t) => t.active).map(toShiftTemplate);
  if (templates.length === 0) notes.push('no active shift template: add one under shift templates');
  return {
    problem: { weekStart, timezone, groups: [{ id: inputs.groupId, required: inputs.required }], templates, agents },
    notes,
    agentIds: agents.map((a) => a.id),
  };
}

/** The plan's shifts as stored activities: instants from the week's timeline, the shift's local date. */
export function toActivityRows(shifts: readonly PlannedShift[], weekStart: string, timezone: string) {
  const { origin } = weekTimeline(weekStart, timezone);
  const at = (minute: number) => new Date(origin.getTime() + minute * minuteMs);
  return shifts.flatMap((s) =>
    s.activities.map((a) => ({
      agentId: s.agent,
      kind: a.kind,
      startsAt: at(a.start),
      endsAt: at(a.end),
      shiftDate: addLocalDays(weekStart, s.day),
      templateId: s.template,
    })),
  );
}

/** Sums the group's queues' required agents (fractional FTE) per interval of the week, then rounds up once. */
export function groupRequirement(
  intervals: number,
  origin: Date,
  /** ISO instants, as the telemetry repositories return them. */
  rows: readonly { interval_start: string; required_fte: number }[],
): { required: number[]; covered: boolean[] } {
  const sums = new Array<number>(intervals).fill(0);
  const covered = new Array<boolean>(intervals).fill(false);
  for (const row of rows) {
    const t = (Date.parse(row.interval_start) - origin.getTime()) / (scheduleIntervalMin * minuteMs);
    if (t < 0 || t >= intervals || !Number.isInteger(t)) continue;
    sums[t]! += row.required_fte;
    covered[t] = true;
  }
  // Rounding each queue up on its own would add up to one agent per queue per interval.
  return { required: sums.map((s) => Math.ceil(s - 1e-9)), covered };
}
