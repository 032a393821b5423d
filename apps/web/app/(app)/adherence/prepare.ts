import { fromLocalSlot, localDaySlots } from '@switchboard/calendar';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';

/** Prepare (pure): what the adherence screens draw, from what the API answers. */

type Outputs = inferRouterOutputs<AppRouter>['adherence'];
export type Realtime = Outputs['realtime'];
export type RealtimeAgent = Realtime['agents'][number];
export type Status = RealtimeAgent['status'];
export type Severity = RealtimeAgent['severity'];
export type Gantt = Outputs['gantt'];
export type Minutes = Outputs['minutes'];
export type Verdict = Minutes['minutes'][number]['verdict'];

export const statusLabel: Record<Status, string> = {
  out: 'Out of adherence',
  grace: 'Within grace',
  exception: 'Excused',
  adherent: 'In adherence',
  time_off: 'Time off',
  unscheduled: 'Not scheduled',
};

export const severityColor: Record<Severity, string> = { critical: '#f85149', warning: '#d29922', notice: '#e3b341', ok: '#3fb950' };

/** The colour of a row's status: its severity, blue when excused, grey when not judged. */
export function statusColor(status: Status, severity: Severity): string {
  if (status === 'exception') return '#4cc2ff';
  if (status === 'time_off' || status === 'unscheduled') return '#8b9bab';
  return severityColor[severity];
}

export const verdictLabel: Record<Verdict, string> = { adherent: 'In adherence', out: 'Out', grace: 'Grace', exception: 'Excused' };
export const verdictColor: Record<Verdict, string> = { adherent: '#3fb950', out: '#f85149', grace: '#e3b341', exception: '#4cc2ff' };

export const reasonLabel: Record<string, string> = {
  system_outage: 'System outage',
  coaching_overran: 'Coaching ran over',
  meeting_overran: 'Meeting ran over',
  supervisor_request: 'Supervisor request',
  other: 'Other',
};

/** A bar on the day's axis, in percent of the local day (23 to 25 hours). */
interface Bar {
  left: number;
  width: number;
}

interface GanttRow {
  key: string;
  name: string;
  teamName: string;
  /** The shift day its minutes drill into (a night shift's is the day it began). */
  shiftDate: string;
  adherence: number | null;
  scheduled: (Bar & { kind: Gantt['agents'][number]['activities'][number]['kind']; start: string; end: string })[];
  actual: (Bar & { state: Gantt['agents'][number]['states'][number]['state']; start: string; end: string })[];
  out: Bar[];
  exceptions: (Bar & { status: string; reason: string })[];
}

export interface GanttModel {
  rows: GanttRow[];
  /** The local clock's hours along the axis; a clock change shows as a skipped or repeated hour. */
  hours: { left: number; label: string }[];
  /** Where now is, when it is on the axis. */
  now: number | null;
}

const HOUR_MS = 3_600_000;

/**
 * Places every span on the axis: the hours of the day from one before the first thing
 * scheduled or done (or excused) to one after the last or now, whichever is later; the whole
 * day when nothing happened. Spans are cut to it.
 */
export function prepareGantt(gantt: Gantt): GanttModel {
  const slots = localDaySlots(gantt.date, gantt.timezone, 60);
  const nowMs = Date.parse(gantt.now);
  const dayStart = Date.parse(gantt.dayStart);
  const dayEnd = Date.parse(gantt.dayEnd);
  const spans = gantt.agents.flatMap((a) => [...a.activities, ...a.states.filter((s) => s.state !== 'offline'), ...a.exceptions]);
  const starts = spans.map((s) => Date.parse(s.start));
  const ends = [...spans.map((s) => Date.parse(s.end)), ...(nowMs > dayStart && nowMs < dayEnd ? [nowMs] : [])];
  const first = starts.length ? Math.min(...starts) - HOUR_MS : dayStart;
  const last = ends.length ? Math.max(...ends) + HOUR_MS : dayEnd;
  const from = slots.findLast((s) => s.start.getTime() <= first)?.start.getTime() ?? dayStart;
  const to = slots.find((s) => s.end.getTime() >= last)?.end.getTime() ?? dayEnd;
  const length = to - from;
  const bar = (start: string, end: string): Bar => {
    const s = Math.max(0, Date.parse(start) - from);
    const e = Math.min(length, Date.parse(end) - from);
    return { left: (100 * s) / length, width: (100 * Math.max(0, e - s)) / length };
  };
  return {
    rows: gantt.agents.map((a) => ({
      key: a.key,
      name: a.name,
      teamName: a.teamName,
      shiftDate: a.shiftDate,
      adherence: a.adherence,
      scheduled: a.activities.map((x) => ({ ...bar(x.start, x.end), kind: x.kind, start: x.start, end: x.end })),
      actual: a.states.map((s) => ({ ...bar(s.start, s.end), state: s.state, start: s.start, end: s.end })),
      out: a.out.map((o) => bar(o.start, o.end)),
      exceptions: a.exceptions.map((e) => ({ ...bar(e.start, e.end), status: e.status, reason: e.reason })),
    })),
    hours: slots
      .filter((s) => s.start.getTime() >= from && s.start.getTime() < to)
      .map((s) => ({ left: (100 * (s.start.getTime() - from)) / length, label: `${String(s.slot).padStart(2, '0')}:00` })),
    now: nowMs >= from && nowMs <= to ? (100 * (nowMs - from)) / length : null,
  };
}

/** A time typed as "HH:MM" on a local date, as an instant; null for a time the day skips (clocks going forward). */
export function localClockToInstant(date: string, clock: string, timezone: string): Date | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(clock);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes >= 24 * 60) return null;
  // Clocks change on quarter hours at the finest: the quarter's start, then the minutes into it.
  const quarter = fromLocalSlot(date, Math.floor(minutes / 15), timezone, 15);
  return quarter && new Date(quarter.getTime() + (minutes % 15) * 60_000);
}

/** Consecutive minutes with the same activity, state and verdict, as one line of the drill-down. */
export function minuteRuns(minutes: Minutes['minutes']) {
  const runs: { start: string; end: string; count: number; activity: string; state: string; reasonCode: string | null; verdict: Verdict }[] = [];
  for (const m of minutes) {
    const last = runs.at(-1);
    const end = new Date(Date.parse(m.minute) + 60_000).toISOString();
    if (
      last &&
      last.end === m.minute &&
      last.activity === m.activity &&
      last.state === m.state &&
      last.reasonCode === m.reasonCode &&
      last.verdict === m.verdict
    ) {
      last.end = end;
      last.count++;
    } else {
      runs.push({ start: m.minute, end, count: 1, activity: m.activity, state: m.state, reasonCode: m.reasonCode, verdict: m.verdict });
    }
  }
  return runs;
}

/** "in 4 min", "in 2 h 5 min", "now" (to the nearest minute, as /me's schedule counts down). */
export function formatIn(ms: number): string {
  if (ms <= 0) return 'now';
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return `in ${min} min`;
  return `in ${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}
