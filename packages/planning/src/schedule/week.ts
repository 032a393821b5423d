import type { Highs } from 'highs';
import type { ActivityKind } from '@switchboard/contracts';
import { addLocalDays, localDaySlots, localDayStart, toLocalSlot, weekdayOf, type LocalDate, type Weekday } from '@switchboard/calendar';
import { assignAgents, creditedHours, type AgentContract, type ShiftToStaff, type Violation } from './assign.ts';
import { countScheduled, solveCoverage, solveJointRelaxation, type JointLimit, type Placement, type ScheduledShift } from './coverage.ts';
import { compileShiftTypes, type CompiledShift } from './shifts.ts';

/**
 * A week's schedule for named agents over several planning groups, from requirements per 15-minute interval: the
 * shift coverage MIP per group (stage 1), then named agents for its shifts under their contracts (stage 2).
 *
 * The week is a timeline of elapsed minutes from the local midnight of its first day, so a day is 23 to 25 hours
 * long and a rest measured across a clock change is the rest truly had. Shift templates start at local clock
 * times; a shift lasts its length in real time (a night shift over a clock change ends an hour earlier or later on
 * the clock). Shifts must end within the week: a template allowed to start late on the last day loses the starts
 * that would run past it.
 */

export const scheduleIntervalMin = 15;

export interface ShiftTemplate {
  id: string;
  name: string;
  lengthMin: number;
  startStepMin: number;
  /** First and last allowed start, minutes on the local clock. */
  earliestStartMin: number;
  latestStartMin: number;
  weekdays: readonly Weekday[];
  /** What one shift costs; its paid hours when null. */
  cost?: number | null;
  /** Offsets from the shift's start; a break's window is where it may start. */
  breaks: readonly { kind: 'break' | 'lunch'; lengthMin: number; earliestOffsetMin: number; latestOffsetMin: number; paid: boolean }[];
}

export interface WeekProblem {
  weekStart: LocalDate;
  timezone: string;
  /** Agents needed per interval of the week's timeline, per planning group. */
  groups: readonly { id: string; required: readonly number[] }[];
  templates: readonly ShiftTemplate[];
  /** `groups` name planning group ids; every time is on the week's timeline. */
  agents: readonly AgentContract[];
  /** Days whose shifts all count as unpopular; Saturday and Sunday by default. */
  weekendWeekdays?: readonly Weekday[];
  /** A shift ending after this local clock minute is an evening shift (unpopular); 19:00 by default. */
  eveningMin?: number;
  timeLimitS?: number;
}

/** One activity on the week's timeline (minutes). */
export interface PlannedActivity {
  kind: ActivityKind;
  start: number;
  end: number;
}

export interface PlannedShift {
  agent: string;
  group: string;
  template: string;
  day: number;
  start: number;
  end: number;
  paidHours: number;
  /** Work, breaks and lunches one after another, without overlap. */
  activities: PlannedActivity[];
}

/** What every schedule reports (the planner's screen, the CLI, the bench, the workflow's result). */
export interface ScheduleFigures {
  /** Paid hours of the named shifts (or their configured costs). */
  cost: number;
  /** LP bound of the shift coverage problem, on the objective cost + penalty × agent-intervals short. */
  lpBound: number;
  /** (cost + penalty × shortfall − lpBound) / lpBound. */
  gap: number;
  requiredHours: number;
  scheduledHours: number;
  paidHours: number;
  /** Required agent-hours / paid hours. */
  efficiency: number;
  shortfall: number;
  over: number;
}

export interface WeekPlan {
  status: 'optimal' | 'time_limit';
  shifts: PlannedShift[];
  coverage: { group: string; required: number[]; scheduled: number[] }[];
  figures: ScheduleFigures;
  violations: Violation[];
  /** Shifts the coverage model chose that no agent could take, and those added so contracts reach their hours. */
  unassigned: number;
  extra: number;
  /** Max − min across working agents of the share of their shifts that are unpopular. */
  fairnessSpread: number;
  preferenceMet: { mean: number; min: number };
  seconds: { coverage: number; days: number; starts: number; total: number };
  /** Days of the week (timeline minutes of each local midnight, and one past the last). */
  dayStarts: number[];
  /** The cost of one agent short for one interval, in the gap and the LP bound. */
  penalty: number;
}

const minuteMs = 60_000;

/** The week's timeline: where each local day starts (minutes) and how many intervals the week has. */
export function weekTimeline(weekStart: LocalDate, timezone: string, days = 7): { origin: Date; dayStarts: number[]; intervals: number } {
  const origin = localDayStart(weekStart, timezone);
  const dayStarts = Array.from({ length: days + 1 }, (_, d) => (localDayStart(addLocalDays(weekStart, d), timezone).getTime() - origin.getTime()) / minuteMs);
  return { origin, dayStarts, intervals: dayStarts[days]! / scheduleIntervalMin };
}

/** Scheduled agents per interval and the figures, measured the same way wherever a schedule is shown. */
function scheduleFigures(input: {
  required: readonly (readonly number[])[];
  scheduled: readonly (readonly number[])[];
  cost: number;
  paidHours: number;
  lpBound: number;
  penalty: number;
}): ScheduleFigures {
  let shortfall = 0;
  let over = 0;
  let required = 0;
  let scheduled = 0;
  input.required.forEach((group, g) =>
    group.forEach((r, t) => {
      const s = input.scheduled[g]![t] ?? 0;
      shortfall += Math.max(0, r - s);
      over += Math.max(0, s - r);
      required += r;
      scheduled += s;
    }),
  );
  const hours = scheduleIntervalMin / 60;
  return {
    cost: input.cost,
    lpBound: input.lpBound,
    gap: input.lpBound > 0 ? (input.cost + input.penalty * shortfall - input.lpBound) / input.lpBound : 0,
    requiredHours: required * hours,
    scheduledHours: scheduled * hours,
    paidHours: input.paidHours,
    efficiency: input.paidHours > 0 ? (required * hours) / input.paidHours : 0,
    shortfall,
    over,
  };
}

/** Agents working (not on a break, lunch or other activity) per interval, from activities on the timeline. */
export function coverageOfActivities(intervals: number, activities: readonly PlannedActivity[]): number[] {
  const out = new Array<number>(intervals).fill(0);
  for (const a of activities) {
    if (a.kind !== 'work') continue;
    const from = Math.max(0, Math.floor(a.start / scheduleIntervalMin));
    const to = Math.min(intervals, Math.ceil(a.end / scheduleIntervalMin));
    for (let t = from; t < to; t++) out[t]! += 1;
  }
  return out;
}

/** A shift's activities: work split around its breaks (starts on the timeline, in the template's break order). */
export function shiftActivities(template: ShiftTemplate, start: number, breakStarts: readonly number[]): PlannedActivity[] {
  const breaks = sortedBreaks(template)
    .map((b, i) => ({ kind: b.kind, start: breakStarts[i]!, end: breakStarts[i]! + b.lengthMin }))
    .sort((a, b) => a.start - b.start);
  const out: PlannedActivity[] = [];
  let at = start;
  for (const b of breaks) {
    if (b.start > at) out.push({ kind: 'work', start: at, end: b.start });
    out.push(b);
    at = b.end;
  }
  const end = start + template.lengthMin;
  if (end > at) out.push({ kind: 'work', start: at, end });
  return out;
}

/** What a shift of a template is paid, in minutes: its length less the breaks that are not paid. */
export function paidMinutesOf(template: { lengthMin: number; breaks: readonly { lengthMin: number; paid: boolean }[] }): number {
  return template.lengthMin - template.breaks.filter((b) => !b.paid).reduce((sum, b) => sum + b.lengthMin, 0);
}

/** Breaks in the order compileShiftTypes keeps them (by window): the order break offsets are given in. */
export function sortedBreaks(template: ShiftTemplate) {
  return [...template.breaks].sort((a, b) => a.earliestOffsetMin - b.earliestOffsetMin || a.latestOffsetMin - b.latestOffsetMin);
}

/** The templates as the coverage model's shift types (whole intervals). */
export function compileTemplates(templates: readonly ShiftTemplate[]): CompiledShift[] {
  return compileShiftTypes(
    {
      shifts: templates.map((t) => ({
        name: t.id,
        length_min: t.lengthMin,
        start_step_min: t.startStepMin,
        ...(t.cost === null || t.cost === undefined ? {} : { cost: t.cost }),
        breaks: sortedBreaks(t).map((b) => ({
          length_min: b.lengthMin,
          earliest_offset_min: b.earliestOffsetMin,
          latest_offset_min: b.latestOffsetMin,
          paid: b.paid,
        })),
      })),
    },
    scheduleIntervalMin,
  );
}

/** Every allowed start of every template in the week, as placements on the interval grid. */
export function listWeekPlacements(problem: Pick<WeekProblem, 'weekStart' | 'timezone' | 'templates'>, compiled: readonly CompiledShift[]): Placement[] {
  const { origin, intervals } = weekTimeline(problem.weekStart, problem.timezone);
  const out: Placement[] = [];
  for (let d = 0; d < 7; d++) {
    const date = addLocalDays(problem.weekStart, d);
    const weekday = weekdayOf(date);
    // A repeated hour's slots share a number: the first occurrence is the start.
    const slotStart = new Map<number, number>();
    for (const slot of localDaySlots(date, problem.timezone, scheduleIntervalMin)) {
      if (!slotStart.has(slot.slot)) slotStart.set(slot.slot, (slot.start.getTime() - origin.getTime()) / minuteMs / scheduleIntervalMin);
    }
    problem.templates.forEach((template, k) => {
      if (!template.weekdays.includes(weekday)) return;
      for (let m = template.earliestStartMin; m <= template.latestStartMin; m += template.startStepMin) {
        const start = slotStart.get(m / scheduleIntervalMin);
        if (start !== undefined && Number.isInteger(start) && start + compiled[k]!.length <= intervals) out.push({ shift: k, start });
      }
    });
  }
  return out.sort((a, b) => a.start - b.start || a.shift - b.shift);
}

/**
 * The most days an agent can work in each run of consecutive days of the week (`[i][j]`: days i..j): whatever they
 * work keeps their days off, fixed days off, unavailable days and whole days of time off, at most so many days in a
 * row counting the week before, and no more shifts than their maximum hours hold at the shortest paid shift.
 */
function mostDaysIn(agent: AgentContract, dayStarts: readonly number[], shortestPaidHours: number): number[][] {
  const off = new Set([
    ...(agent.fixedDaysOff ?? []),
    ...(agent.availability ?? []).flatMap((w, d) => (w === null ? [d] : [])),
    ...(agent.timeOff ?? []).flatMap((t) => dayStarts.slice(0, 7).flatMap((from, d) => (t.start <= from && t.end >= dayStarts[d + 1]! ? [d] : []))),
  ]);
  const maxDays = Math.min(7 - agent.minDaysOff, Math.floor((agent.maxHours - creditedHours(agent)) / shortestPaidHours + 1e-9));
  const most = Array.from({ length: 7 }, () => new Array<number>(7).fill(0));
  for (let mask = 0; mask < 128; mask++) {
    const days = Array.from({ length: 7 }, (_, d) => (mask >> d) & 1);
    if (days.reduce((a, b) => a + b, 0) > maxDays || [...off].some((d) => days[d] === 1)) continue;
    let run = agent.previous?.consecutiveDays ?? 0;
    if (days.some((worked) => (run = worked ? run + 1 : 0) > agent.maxConsecutiveDays)) continue;
    for (let i = 0; i < 7; i++) {
      let count = 0;
      for (let j = i; j < 7; j++) {
        count += days[j]!;
        most[i]![j] = Math.max(most[i]![j]!, count);
      }
    }
  }
  return most;
}

/**
 * What the agents can work, as limits on the coverage models: for the groups of every set of planning groups (every
 * single one, and every combination while there are at most five), over every run of consecutive days (a single day
 * included), the most days the agents skilled for any of them can work there, and over the week those agents'
 * maximum paid hours. Every named schedule keeps within them, so the LP bound stays a bound on the named schedule,
 * while the coverage models stop buying weeks the agents' days cannot staff: on the bench, Monday to Friday needs
 * 99% of the weekdays its agents can give once the days they worked at the end of the week before count.
 */
function agentLimits(problem: WeekProblem, dayStarts: readonly number[], shortestPaidHours: number): JointLimit[] {
  const count = problem.groups.length;
  const sets =
    count <= 5
      ? Array.from({ length: (1 << count) - 1 }, (_, i) => i + 1)
      : [...problem.groups.map((_, g) => 1 << g), (1 << count) - 1].filter((s, i, all) => all.indexOf(s) === i);
  const agents = problem.agents.map((agent) => ({
    groups: problem.groups.reduce((mask, g, i) => (agent.groups.includes(g.id) ? mask | (1 << i) : mask), 0),
    most: mostDaysIn(agent, dayStarts, shortestPaidHours),
    hours: agent.maxHours - creditedHours(agent),
  }));
  return sets.flatMap((set) => {
    const problems = problem.groups.flatMap((_, g) => ((set >> g) & 1 ? [g] : []));
    const skilled = agents.filter((a) => (a.groups & set) !== 0);
    const limits: JointLimit[] = [];
    for (let i = 0; i < 7; i++)
      for (let j = i; j < 7; j++)
        limits.push({
          problems,
          from: dayStarts[i]! / scheduleIntervalMin,
          to: dayStarts[j + 1]! / scheduleIntervalMin,
          maxShifts: skilled.reduce((sum, a) => sum + a.most[i]![j]!, 0),
        });
    limits.push({ problems, from: 0, to: dayStarts[7]! / scheduleIntervalMin, maxPaidHours: skilled.reduce((sum, a) => sum + a.hours, 0) });
    return limits;
  });
}

export function planWeek(highs: Highs, problem: WeekProblem, onProgress?: (step: string, done: number, total: number) => void): WeekPlan {
  const started = performance.now();
  const { dayStarts, intervals } = weekTimeline(problem.weekStart, problem.timezone);
  for (const g of problem.groups)
    if (g.required.length !== intervals) throw new RangeError(`group ${g.id}: ${g.required.length} intervals given, the week has ${intervals}`);
  const compiled = compileTemplates(problem.templates);
  const placements = listWeekPlacements(problem, compiled);
  const shortestPaidHours = Math.min(...compiled.map((c) => c.paidHours));
  const weekend = problem.weekendWeekdays ?? [0, 6];
  const evening = problem.eveningMin ?? 19 * 60;
  const weekendDays = Array.from({ length: 7 }, (_, d) => d).filter((d) => weekend.includes(weekdayOf(addLocalDays(problem.weekStart, d))));
  const origin = localDayStart(problem.weekStart, problem.timezone).getTime();
  const dayOf = (minute: number) => dayStarts.findLastIndex((s, d) => d < 7 && s <= minute);

  const describe = (group: string, unit: Placement): ShiftToStaff => {
    const shift = compiled[unit.shift]!;
    const start = unit.start * scheduleIntervalMin;
    const end = start + shift.length * scheduleIntervalMin;
    const endClock = toLocalSlot(origin + end * minuteMs, problem.timezone, scheduleIntervalMin);
    const day = dayOf(start);
    const endsLate = endClock.slot * scheduleIntervalMin > evening || endClock.date !== addLocalDays(problem.weekStart, day);
    return { group, day, type: problem.templates[unit.shift]!.id, start, end, paidHours: shift.paidHours, unpopular: endsLate };
  };

  // Stage 1: coverage per group, each given its share of four fifths of the time limit (stage 2 takes seconds).
  const timeLimitS = problem.timeLimitS ?? 60;
  const coverageStarted = performance.now();
  const toStaff: ShiftToStaff[] = [];
  const units: { group: number; unit: ScheduledShift }[] = [];
  const extraShifts: ShiftToStaff[] = [];
  const extraUnits: { group: number; unit: ScheduledShift }[] = [];
  let penalty = 0;
  let timedOut = false;
  // The groups' LP together first: how the agents' days are best spread over the groups and days. Each group's MIP
  // then keeps, per day, to the shifts the LP gave it there (rounded down), so the groups together stay within what
  // the agents can work.
  const problems = problem.groups.map((group) => ({ required: group.required, shifts: compiled, placements }));
  const relaxed = solveJointRelaxation(highs, problems, agentLimits(problem, dayStarts, shortestPaidHours));
  const lpBound = relaxed.bound;
  problem.groups.forEach((group, g) => {
    onProgress?.('coverage', g, problem.groups.length);
    const limits = dayStarts.slice(0, 7).map((from, d) => {
      const span = { from: from / scheduleIntervalMin, to: dayStarts[d + 1]! / scheduleIntervalMin };
      const shifts = relaxed.starts[g]!.slice(span.from, span.to).reduce((a, b) => a + b, 0);
      return { ...span, maxShifts: Math.floor(shifts + 1e-6) };
    });
    const result = solveCoverage(
      highs,
      { ...problems[g]!, limits },
      { timeLimitS: (timeLimitS * 0.8 - (performance.now() - coverageStarted) / 1000) / (problem.groups.length - g), mipRelGap: 0.001 },
    );
    penalty = result.penalty;
    timedOut ||= result.status === 'time_limit';
    for (const unit of result.shifts) {
      units.push({ group: g, unit });
      toStaff.push(describe(group.id, unit));
    }
    for (const p of placements) {
      extraShifts.push(describe(group.id, p));
      // An extra shift only adds coverage: its breaks go mid-window.
      extraUnits.push({ group: g, unit: { ...p, breaks: compiled[p.shift]!.breaks.map((b) => p.start + Math.floor((b.earliest + b.latest) / 2)) } });
    }
  });
  const coverageSeconds = (performance.now() - coverageStarted) / 1000;

  // Stage 2: named agents.
  onProgress?.('assignment', problem.groups.length, problem.groups.length);
  const assigned = assignAgents(highs, { days: 7, dayStarts: dayStarts.slice(0, 7), weekendDays, shifts: toStaff, extraShifts, agents: problem.agents });
  const named = problem.groups.map(() => [] as ScheduledShift[]);
  const shifts: PlannedShift[] = [];
  const place = (group: number, unit: ScheduledShift, staff: ShiftToStaff, agent: number) => {
    named[group]!.push(unit);
    const template = problem.templates[unit.shift]!;
    const breakStarts = unit.breaks.map((b) => b * scheduleIntervalMin);
    shifts.push({
      agent: problem.agents[agent]!.id,
      group: staff.group,
      template: template.id,
      day: staff.day,
      start: staff.start,
      end: staff.end,
      paidHours: staff.paidHours,
      activities: shiftActivities(template, staff.start, breakStarts),
    });
  };
  units.forEach(({ group, unit }, i) => {
    const agent = assigned.agentOf[i];
    if (agent !== null && agent !== undefined) place(group, unit, toStaff[i]!, agent);
  });
  const extraIndex = new Map(extraShifts.map((s, i) => [`${s.group}\u0000${s.type}\u0000${s.start}`, i]));
  for (const { shift, agent } of assigned.extra) {
    const i = extraIndex.get(`${shift.group}\u0000${shift.type}\u0000${shift.start}`)!;
    place(extraUnits[i]!.group, extraUnits[i]!.unit, shift, agent);
  }
  const scheduled = named.map((list) => countScheduled(intervals, compiled, list));
  const cost = shifts.reduce((sum, s) => sum + compiled[problem.templates.findIndex((t) => t.id === s.template)]!.cost, 0);
  const paidHours = shifts.reduce((sum, s) => sum + s.paidHours, 0);
  const working = assigned.unpopularShare.filter((_, a) => shifts.some((s) => s.agent === problem.agents[a]!.id));
  const total = (performance.now() - started) / 1000;
  return {
    status: timedOut ? 'time_limit' : 'optimal',
    shifts: shifts.sort((a, b) => a.start - b.start || a.agent.localeCompare(b.agent)),
    coverage: problem.groups.map((g, i) => ({ group: g.id, required: [...g.required], scheduled: scheduled[i]! })),
    figures: scheduleFigures({ required: problem.groups.map((g) => g.required), scheduled, cost, paidHours, lpBound, penalty }),
    violations: assigned.violations,
    unassigned: assigned.agentOf.filter((a) => a === null).length,
    extra: assigned.extra.length,
    fairnessSpread: working.length > 0 ? Math.max(...working) - Math.min(...working) : 0,
    preferenceMet: {
      mean: assigned.preferenceMet.reduce((a, b) => a + b, 0) / Math.max(1, assigned.preferenceMet.length),
      min: assigned.preferenceMet.length > 0 ? Math.min(...assigned.preferenceMet) : 1,
    },
    seconds: { coverage: coverageSeconds, days: assigned.daysSeconds, starts: assigned.startsSeconds, total },
    dayStarts,
    penalty,
  };
}

/** Paid minutes of an activity: lunches are unpaid, time off is paid from the allowance, not the schedule. */
export function isPaidActivity(kind: ActivityKind): boolean {
  return kind !== 'lunch' && kind !== 'time_off';
}

/**
 * Coverage and figures of a schedule from its activities (timeline minutes), against the requirement and LP bound
 * it was generated with: what a planner's edit does to the week, computed alike in the browser before saving and
 * on the server when it saves.
 */
export function summariseActivities(
  generated: { required: readonly number[]; lpBound: number; penalty: number },
  activities: readonly PlannedActivity[],
): { scheduled: number[]; figures: ScheduleFigures } {
  const scheduled = coverageOfActivities(generated.required.length, activities);
  const paidHours = activities.reduce((sum, a) => sum + (isPaidActivity(a.kind) ? a.end - a.start : 0), 0) / 60;
  return {
    scheduled,
    figures: scheduleFigures({
      required: [generated.required],
      scheduled: [scheduled],
      cost: paidHours,
      paidHours,
      lpBound: generated.lpBound,
      penalty: generated.penalty,
    }),
  };
}

/** A stored week's summary: the coverage it was generated against and its figures. */
interface WeekSummary {
  figures: Record<string, number>;
  required: number[];
  scheduled: number[];
  dayStarts: number[];
  notes: string[];
}

/**
 * A week's summary after a change (an edit, a republish): its coverage and figures recomputed from all its
 * activities, against the requirement it was generated with.
 */
export function summaryAfter<S extends WeekSummary>(
  schedule: { weekStart: LocalDate; timezone: string; summary: S },
  activities: readonly { agentId: string; kind: PlannedActivity['kind']; startsAt: Date; endsAt: Date; shiftDate: string }[],
): S {
  const { origin } = weekTimeline(schedule.weekStart, schedule.timezone);
  const { summary } = schedule;
  const { scheduled, figures } = summariseActivities(
    { required: summary.required, lpBound: summary.figures.lpBound ?? 0, penalty: summary.figures.penalty ?? 0 },
    activities.map((a) => ({ kind: a.kind, start: (a.startsAt.getTime() - origin.getTime()) / 60_000, end: (a.endsAt.getTime() - origin.getTime()) / 60_000 })),
  );
  return { ...summary, scheduled, figures: { ...summary.figures, ...figures, shifts: new Set(activities.map((a) => `${a.agentId}/${a.shiftDate}`)).size } };
}

/**
 * Why a shift cannot be placed as asked, in words (empty: it can): the template's weekdays, start window and step,
 * and each break inside its window, in the template's order. `startMin` is on the local clock of the shift's day.
 */
export function checkShiftPlacement(template: ShiftTemplate, weekday: Weekday, startMin: number, breakOffsetsMin: readonly number[]): string[] {
  const problems: string[] = [];
  const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  if (!template.weekdays.includes(weekday)) problems.push(`${template.name} is not worked on this weekday`);
  if (startMin < template.earliestStartMin || startMin > template.latestStartMin)
    problems.push(`${template.name} starts between ${clock(template.earliestStartMin)} and ${clock(template.latestStartMin)}, not at ${clock(startMin)}`);
  else if ((startMin - template.earliestStartMin) % template.startStepMin !== 0)
    problems.push(`${template.name} starts every ${template.startStepMin} minutes from ${clock(template.earliestStartMin)}`);
  const breaks = sortedBreaks(template);
  if (breakOffsetsMin.length !== breaks.length) problems.push(`${template.name} has ${breaks.length} breaks, ${breakOffsetsMin.length} were given`);
  breaks.forEach((b, i) => {
    const offset = breakOffsetsMin[i];
    if (offset === undefined) return;
    if (offset < b.earliestOffsetMin || offset > b.latestOffsetMin)
      problems.push(`its ${b.kind} ${i + 1} starts ${b.earliestOffsetMin}–${b.latestOffsetMin} minutes into the shift, not ${offset}`);
    else if (offset % scheduleIntervalMin !== 0) problems.push(`its ${b.kind} ${i + 1} starts on a quarter hour`);
    const next = breakOffsetsMin[i + 1];
    if (next !== undefined && offset + b.lengthMin > next) problems.push(`its ${b.kind} ${i + 1} overlaps the next break`);
  });
  return problems;
}
