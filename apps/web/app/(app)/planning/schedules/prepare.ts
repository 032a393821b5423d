import { addLocalDays, fromLocalSlot, localDateOf, localWeekStart, weekdayOf, type Weekday } from '@switchboard/calendar';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import {
  checkShiftPlacement,
  shiftActivities,
  sortedBreaks,
  summariseActivities,
  weekTimeline,
  type PlannedActivity,
  type ShiftTemplate,
} from '@switchboard/planning';
import { formatCount, formatDecimal, formatPercent } from '../../../lib/format';

/**
 * The schedule screen's pure half: the week's timeline, the figures, the chart and Gantt models, and a planner's
 * edit applied in the browser with the same functions the server saves it with.
 */

type Schedules = inferRouterOutputs<AppRouter>['schedules'];
export type ScheduleOverview = Schedules['overview'];
export type ScheduleView = Schedules['get'];
export type ScheduleDiff = Schedules['diff'];
export type ViewActivity = ScheduleView['activities'][number];
type ViewAgent = ScheduleView['agents'][number];
export type Figures = Record<string, number>;

const minuteMs = 60_000;
const intervalMin = 15;

// ── time ─────────────────────────────────────────────────────────────────────

/** "07:30" on the given clock. */
export function formatClock(iso: string | Date, timezone: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hour12: false });
}

/** "Mon 3 Mar" for a local date. */
export function formatDay(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
}

/** Minutes of the day as "HH:MM". */
export function clockOf(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The minute of the local clock an instant falls on. */
function localMinuteOf(iso: string, timezone: string): number {
  const [h, m] = formatClock(iso, timezone).split(':').map(Number);
  return h! * 60 + m!;
}

export interface Week {
  weekStart: string;
  timezone: string;
  origin: number;
  dayStarts: number[];
  intervals: number;
  dates: string[];
}

export function getWeek(weekStart: string, timezone: string): Week {
  const { origin, dayStarts, intervals } = weekTimeline(weekStart, timezone);
  return { weekStart, timezone, origin: origin.getTime(), dayStarts, intervals, dates: Array.from({ length: 7 }, (_, d) => addLocalDays(weekStart, d)) };
}

/** Minutes from the week's first local midnight. */
function toTimeline(week: Week, iso: string): number {
  return (Date.parse(iso) - week.origin) / minuteMs;
}

function onTimeline(week: Week, activities: readonly Pick<ViewActivity, 'kind' | 'start' | 'end'>[]): PlannedActivity[] {
  return activities.map((a) => ({ kind: a.kind, start: toTimeline(week, a.start), end: toTimeline(week, a.end) }));
}

// ── figures ──────────────────────────────────────────────────────────────────

export interface FigureTile {
  key: string;
  label: string;
  value: string;
}

const hours = (v: number | undefined) => (v === undefined ? '—' : `${formatDecimal(v, 1)} h`);

/** The figures as tiles, each formatted once so the screen and its test read the same text. */
export function getFigureTiles(f: Figures): FigureTile[] {
  return [
    { key: 'cost', label: 'Cost (paid hours)', value: hours(f.cost) },
    // The bound is on the solver's objective (cost plus the penalty for each agent-interval short), not in hours.
    { key: 'lpBound', label: 'LP bound (objective)', value: formatDecimal(f.lpBound, 1) },
    { key: 'gap', label: 'Gap to the bound', value: formatPercent(f.gap, 2) },
    { key: 'requiredHours', label: 'Required agent-hours', value: hours(f.requiredHours) },
    { key: 'scheduledHours', label: 'Scheduled agent-hours', value: hours(f.scheduledHours) },
    { key: 'efficiency', label: 'Efficiency', value: formatPercent(f.efficiency) },
    { key: 'shortfall', label: 'Under-coverage (agent-intervals)', value: formatCount(f.shortfall) },
    { key: 'over', label: 'Over-coverage (agent-intervals)', value: formatCount(f.over) },
    { key: 'violations', label: 'Rule violations', value: formatCount(f.violations) },
    { key: 'fairnessSpread', label: 'Fairness spread', value: formatPercent(f.fairnessSpread) },
    { key: 'preferenceMetMean', label: 'Preferences met', value: formatPercent(f.preferenceMetMean) },
    { key: 'solveSeconds', label: 'Solve time', value: f.solveSeconds === undefined ? '—' : `${formatDecimal(f.solveSeconds, 1)} s` },
    { key: 'shifts', label: 'Shifts', value: formatCount(f.shifts) },
    { key: 'agents', label: 'Agents', value: formatCount(f.agents) },
  ];
}

// ── coverage chart ───────────────────────────────────────────────────────────

export interface CoveragePoint {
  t: number;
  required: number;
  scheduled: number;
  /** [low, high] bands: short of the requirement, and above it (zero height elsewhere). */
  under: [number, number];
  over: [number, number];
}

export function prepareCoverage(required: readonly number[], scheduled: readonly number[]): CoveragePoint[] {
  return required.map((r, t) => {
    const s = scheduled[t] ?? 0;
    return { t, required: r, scheduled: s, under: [Math.min(r, s), r], over: [r, Math.max(r, s)] };
  });
}

/** Day boundaries as interval indexes, with the local date each starts. */
export function getDayTicks(week: Pick<Week, 'dayStarts' | 'dates'>): { t: number; label: string }[] {
  return week.dates.map((date, d) => ({ t: week.dayStarts[d]! / intervalMin, label: formatDay(date) }));
}

/** "Mon 3 Mar 09:15" for an interval of the week. */
export function formatInterval(week: Week, t: number): string {
  const iso = new Date(week.origin + t * intervalMin * minuteMs).toISOString();
  const d = week.dayStarts.findLastIndex((s, i) => i < 7 && s <= t * intervalMin);
  return `${formatDay(week.dates[Math.max(0, d)]!)} ${formatClock(iso, week.timezone)}`;
}

// ── Gantt ────────────────────────────────────────────────────────────────────

export type GanttSort = 'name' | 'team' | 'start';

export interface GanttRow {
  agent: ViewAgent;
  /** Timeline minutes, for drawing. */
  activities: (PlannedActivity & { shiftDate: string })[];
  /** Per day of the week: the shift's local times, or null for a day off. */
  days: ({ start: string; end: string } | null)[];
  firstStart: number;
}

export function prepareGantt(
  view: Pick<ScheduleView, 'agents' | 'activities'>,
  week: Week,
  opts: { sort: GanttSort; team: string; skill: string },
): GanttRow[] {
  const byAgent = new Map<string, ViewActivity[]>();
  for (const a of view.activities) byAgent.set(a.agentId, [...(byAgent.get(a.agentId) ?? []), a]);
  const rows = view.agents
    .filter((a) => (opts.team === '' || a.teamKey === opts.team) && (opts.skill === '' || a.skillIds.includes(opts.skill)))
    .map((agent) => {
      const mine = byAgent.get(agent.id) ?? [];
      const days = week.dates.map((date) => {
        const shift = mine.filter((a) => a.shiftDate === date);
        if (shift.length === 0) return null;
        const start = shift.reduce((m, a) => (a.start < m ? a.start : m), shift[0]!.start);
        const end = shift.reduce((m, a) => (a.end > m ? a.end : m), shift[0]!.end);
        return { start: formatClock(start, week.timezone), end: formatClock(end, week.timezone) };
      });
      const activities = mine.map((a) => ({ kind: a.kind, start: toTimeline(week, a.start), end: toTimeline(week, a.end), shiftDate: a.shiftDate }));
      return { agent, activities, days, firstStart: Math.min(Infinity, ...activities.map((a) => a.start)) };
    });
  const byName = (a: GanttRow, b: GanttRow) => a.agent.name.localeCompare(b.agent.name);
  const sorters: Record<GanttSort, (a: GanttRow, b: GanttRow) => number> = {
    name: byName,
    team: (a, b) => a.agent.teamName.localeCompare(b.agent.teamName) || byName(a, b),
    start: (a, b) => a.firstStart - b.firstStart || byName(a, b),
  };
  return rows.sort(sorters[opts.sort]);
}

// ── editing a day ────────────────────────────────────────────────────────────

export interface DayEdit {
  agentId: string;
  shiftDate: string;
  /** Null: a day off. */
  shift: { templateId: string; startMin: number; breakOffsetsMin: number[] } | null;
}

/** The starts a template allows on a date (none on a weekday it is not worked). */
export function allowedStarts(template: ShiftTemplate, date: string): number[] {
  if (!template.weekdays.includes(weekdayOf(date))) return [];
  const out: number[] = [];
  for (let m = template.earliestStartMin; m <= template.latestStartMin; m += template.startStepMin) out.push(m);
  return out;
}

/** A break's allowed offsets from the shift start, on quarter hours. */
export function breakOffsets(b: ShiftTemplate['breaks'][number]): number[] {
  const out: number[] = [];
  for (let m = Math.ceil(b.earliestOffsetMin / intervalMin) * intervalMin; m <= b.latestOffsetMin; m += intervalMin) out.push(m);
  return out;
}

/** A template's shift at `startMin` with each break in the middle of its window. */
export function defaultShift(template: ShiftTemplate, startMin: number): NonNullable<DayEdit['shift']> {
  return {
    templateId: template.id,
    startMin,
    breakOffsetsMin: sortedBreaks(template).map((b) => Math.round((b.earliestOffsetMin + b.latestOffsetMin) / 2 / intervalMin) * intervalMin),
  };
}

/** The agent's shift of a date as stored, in the editor's terms; null when they have none that day. */
export function readShift(view: Pick<ScheduleView, 'activities' | 'templates'>, timezone: string, agentId: string, date: string): DayEdit['shift'] {
  const shift = view.activities.filter((a) => a.agentId === agentId && a.shiftDate === date).sort((a, b) => a.start.localeCompare(b.start));
  const template = view.templates.find((t) => t.id === shift.find((a) => a.templateId)?.templateId);
  if (shift.length === 0 || !template) return null;
  const start = Date.parse(shift[0]!.start);
  return {
    templateId: template.id,
    startMin: localMinuteOf(shift[0]!.start, timezone),
    breakOffsetsMin: shift.filter((a) => a.kind === 'break' || a.kind === 'lunch').map((a) => (Date.parse(a.start) - start) / minuteMs),
  };
}

/** What the API would refuse about the edit, in the server's own words (empty: nothing). */
export function checkEdit(templates: readonly ShiftTemplate[], edit: DayEdit): string[] {
  if (!edit.shift) return [];
  const template = templates.find((t) => t.id === edit.shift!.templateId);
  if (!template) return ['pick a shift template'];
  return checkShiftPlacement(template, weekdayOf(edit.shiftDate) as Weekday, edit.shift.startMin, edit.shift.breakOffsetsMin);
}

/**
 * The week's activities with the edit applied, and its coverage and figures as the server will compute them on
 * saving (summariseActivities over the timeline, the shift count from agent-days).
 */
export function previewEdit(view: ScheduleView, week: Week, edit: DayEdit): { activities: ViewActivity[]; scheduled: number[]; figures: Figures } | null {
  const others = view.activities.filter((a) => !(a.agentId === edit.agentId && a.shiftDate === edit.shiftDate));
  let added: ViewActivity[] = [];
  if (edit.shift) {
    const template = view.templates.find((t) => t.id === edit.shift!.templateId);
    const startsAt = fromLocalSlot(edit.shiftDate, edit.shift.startMin / intervalMin, week.timezone);
    if (!template || !startsAt) return null;
    const start = (startsAt.getTime() - week.origin) / minuteMs;
    added = shiftActivities(
      template,
      start,
      edit.shift.breakOffsetsMin.map((o) => start + o),
    ).map((a, i) => ({
      id: `preview-${i}`,
      agentId: edit.agentId,
      kind: a.kind,
      start: new Date(week.origin + a.start * minuteMs).toISOString(),
      end: new Date(week.origin + a.end * minuteMs).toISOString(),
      shiftDate: edit.shiftDate,
      templateId: template.id,
    }));
  }
  const activities = [...others, ...added];
  const summary = view.schedule.summary;
  const { scheduled, figures } = summariseActivities(
    { required: summary.required, lpBound: summary.figures.lpBound ?? 0, penalty: summary.figures.penalty ?? 0 },
    onTimeline(week, activities),
  );
  const shifts = new Set(activities.map((a) => `${a.agentId}/${a.shiftDate}`)).size;
  return { activities, scheduled, figures: { ...summary.figures, ...figures, shifts } };
}

// ── versions ─────────────────────────────────────────────────────────────────

export const statusLabel: Record<string, string> = { draft: 'draft', published: 'published', superseded: 'superseded', rejected: 'rejected' };

/** A group's versions of the week, newest first. */
export function versionsOf(overview: ScheduleOverview, groupId: string): ScheduleOverview['schedules'] {
  return overview.schedules.filter((s) => s.groupId === groupId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The week a date falls in, from its Monday. */
export const mondayOf = (date: string): string => localWeekStart(date, 1);

export function todayIn(timezone: string): string {
  return localDateOf(new Date(), timezone);
}
