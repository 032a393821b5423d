import type { ActivityKind, AgentState } from '@switchboard/contracts';
import type { KpiDefinition } from './catalogue.ts';

/**
 * Schedule adherence, defined once: what an agent did (their state events) against what
 * they were scheduled to do (the published schedule), minute by minute. Pure: the server's
 * reports, the real-time view and the tests all compute it here.
 *
 * A minute is judged by the state the agent spent most of it in ("logged_out" when not
 * logged in), against the activity scheduled at the minute's start. It is adherent when
 * the mapping lets that activity be done in that state (and reason code), when it lies
 * within the grace minutes of an edge between two different activities, or when an
 * approved exception covers it. Time off is not scheduled time; neither is a minute with
 * nothing scheduled.
 */

export const MINUTE_MS = 60_000;

/** What the agent was in: a state of agent.state_changed; `offline` also after agent.logged_out and before anything is known. */
export type ActualState = AgentState;

/** A state (and, when given, one of these reason codes) that does a scheduled activity. */
interface AllowedState {
  state: ActualState;
  reasonCodes?: readonly string[];
}

/** For each activity that counts, the states that do it. time_off is never judged. */
export type AdherenceMapping = Record<Exclude<ActivityKind, 'time_off'>, readonly AllowedState[]>;

const productiveStates: readonly ActualState[] = ['available', 'on_interaction', 'wrap_up'];

/** The mapping a tenant starts from; a tenant can change which states (and reason codes) do which activity. */
export const defaultAdherenceMapping: AdherenceMapping = {
  work: productiveStates.map((state) => ({ state })),
  break: [{ state: 'break' }],
  lunch: [{ state: 'lunch' }, { state: 'break', reasonCodes: ['lunch'] }],
  meeting: [{ state: 'meeting' }],
  coaching: [{ state: 'meeting' }, { state: 'training' }],
  training: [{ state: 'training' }],
};

export const DEFAULT_GRACE_MINUTES = 2;

export interface ScheduledActivity {
  kind: ActivityKind;
  /** UTC instants in ms, on whole minutes (schedules are). */
  start: number;
  end: number;
  /** The tenant-local day the shift belongs to (a shift after midnight keeps its start's day). */
  shiftDate: string;
}

/** A state taking effect at `at` (ms), until the next one. */
export interface StateChange {
  at: number;
  state: ActualState;
  reasonCode?: string | undefined;
}

/** An approved exception: its minutes count as adherent. */
export interface ExceptionSpan {
  start: number;
  end: number;
}

export interface AdherenceInput {
  activities: readonly ScheduledActivity[];
  /** Sorted by `at`; the first one in effect at or before the window's start (else the agent is taken as offline). */
  states: readonly StateChange[];
  exceptions?: readonly ExceptionSpan[];
  mapping?: AdherenceMapping;
  graceMinutes?: number;
  /** Minutes not yet over are not judged (the real-time view passes now). */
  until?: number;
}

type MinuteVerdict = 'adherent' | 'out' | 'grace' | 'exception';

/** One judged minute: what the drill-down lists. */
export interface AdherenceMinute {
  minute: number;
  shiftDate: string;
  activity: Exclude<ActivityKind, 'time_off'>;
  state: ActualState;
  reasonCode: string | null;
  verdict: MinuteVerdict;
}

/** Additive minute counts: sum them over agents, days and teams, then compute the KPIs. */
export interface AdherenceSums {
  /** Judged minutes: scheduled, not time off. */
  scheduled_min: number;
  /** Of those, in adherence (allowed state, grace or approved exception). */
  adherent_min: number;
  /** Scheduled work minutes (the conformance base). */
  work_scheduled_min: number;
  /** Minutes in a productive state, scheduled or not (the conformance numerator). */
  productive_min: number;
}

export const emptyAdherenceSums = (): AdherenceSums => ({ scheduled_min: 0, adherent_min: 0, work_scheduled_min: 0, productive_min: 0 });

export function addAdherenceSums(a: AdherenceSums, b: AdherenceSums): AdherenceSums {
  return {
    scheduled_min: a.scheduled_min + b.scheduled_min,
    adherent_min: a.adherent_min + b.adherent_min,
    work_scheduled_min: a.work_scheduled_min + b.work_scheduled_min,
    productive_min: a.productive_min + b.productive_min,
  };
}

export const adherenceKpis = {
  adherence: {
    id: 'adherence',
    label: 'Adherence',
    unit: 'ratio',
    better: 'higher',
    formula: 'minutes in a state the scheduled activity allows (or in grace, or excused) / scheduled minutes (time off excluded)',
    description: 'How closely agents followed their schedule: the right activity at the right time.',
    compute: (s) => (s.scheduled_min > 0 ? s.adherent_min / s.scheduled_min : null),
  },
  conformance: {
    id: 'conformance',
    label: 'Conformance',
    unit: 'ratio',
    better: 'neither',
    formula: 'minutes logged in a productive state (available, on an interaction, wrap-up) / scheduled work minutes',
    description: 'Whether agents worked the amount of time scheduled, whenever they worked it (above 100%: more than scheduled).',
    compute: (s) => (s.work_scheduled_min > 0 ? s.productive_min / s.work_scheduled_min : null),
  },
  out_of_adherence_min: {
    id: 'out_of_adherence_min',
    label: 'Out of adherence',
    unit: 'count',
    better: 'lower',
    formula: 'scheduled minutes − adherent minutes',
    description: 'Minutes the agent was not doing what the schedule said (time off, grace and excused minutes not counted).',
    compute: (s) => s.scheduled_min - s.adherent_min,
  },
} satisfies Record<string, KpiDefinition<AdherenceSums>>;

/**
 * Edges between different activities (or nothing), where the grace applies: the start of a
 * shift, a break after work… `activities` in time order, not overlapping.
 */
function edgesOf(activities: readonly ScheduledActivity[]): number[] {
  const edges: number[] = [];
  let before: ScheduledActivity | null = null;
  for (const a of activities) {
    const joined = before !== null && before.end === a.start;
    if (before && !joined) edges.push(before.end);
    if (!joined || before!.kind !== a.kind) edges.push(a.start);
    before = a;
  }
  if (before) edges.push(before.end);
  return edges;
}

/** Whether `state` (with its reason code) does `activity` under `mapping`. */
function allows(mapping: AdherenceMapping, activity: Exclude<ActivityKind, 'time_off'>, state: ActualState, reasonCode: string | null): boolean {
  return mapping[activity].some((a) => a.state === state && (!a.reasonCodes || (reasonCode !== null && a.reasonCodes.includes(reasonCode))));
}

/** A stretch of time the agent spent in one state. */
export interface StateSpan {
  start: number;
  end: number;
  state: ActualState;
  reasonCode: string | null;
}

/** The agent's states as consecutive spans over [from, to): offline before the first known change. */
export function spansOf(states: readonly StateChange[], from: number, to: number): StateSpan[] {
  const spans: StateSpan[] = [];
  let current: { state: ActualState; reasonCode: string | null } = { state: 'offline', reasonCode: null };
  let at = from;
  for (const change of states) {
    if (change.at >= to) break;
    if (change.at > at) {
      spans.push({ start: at, end: change.at, ...current });
      at = change.at;
    }
    current = { state: change.state, reasonCode: change.reasonCode ?? null };
  }
  if (at < to) spans.push({ start: at, end: to, ...current });
  return spans;
}

/** The state (and reason) with the most time in [from, to) (ties: the later one), reading spans from `cursor` on. */
function dominantState(
  spans: readonly { start: number; end: number; state: ActualState; reasonCode: string | null }[],
  from: number,
  to: number,
  cursor: { i: number },
): { state: ActualState; reasonCode: string | null } {
  while (cursor.i < spans.length - 1 && spans[cursor.i]!.end <= from) cursor.i++;
  const spent = new Map<string, { state: ActualState; reasonCode: string | null; ms: number }>();
  let best: { state: ActualState; reasonCode: string | null; ms: number } = { state: 'offline', reasonCode: null, ms: -1 };
  for (let i = cursor.i; i < spans.length && spans[i]!.start < to; i++) {
    const span = spans[i]!;
    const ms = Math.min(to, span.end) - Math.max(from, span.start);
    if (ms <= 0) continue;
    const key = `${span.state}\u0000${span.reasonCode ?? ''}`;
    const entry = spent.get(key) ?? { state: span.state, reasonCode: span.reasonCode, ms: 0 };
    entry.ms += ms;
    spent.set(key, entry);
    if (entry.ms >= best.ms) best = entry;
  }
  return { state: best.state, reasonCode: best.reasonCode };
}

/**
 * Judges every scheduled minute of one agent (activities must not overlap), and counts the
 * minutes they spent in a productive state over `window` (by default from the first
 * activity's start to the last one's end; pass a wider one to count work outside the
 * schedule): conformance's numerator. Each minute is attributed to the shift day of its
 * activity, a minute between activities to the shift day of the activity before it.
 */
export function judgeAdherence(input: AdherenceInput & { window?: { start: number; end: number } }): {
  minutes: AdherenceMinute[];
  sums: Map<string, AdherenceSums>;
} {
  const mapping = input.mapping ?? defaultAdherenceMapping;
  const grace = (input.graceMinutes ?? DEFAULT_GRACE_MINUTES) * MINUTE_MS;
  const until = input.until ?? Number.POSITIVE_INFINITY;
  const activities = [...input.activities].sort((a, b) => a.start - b.start);
  const exceptions = input.exceptions ?? [];
  const minutes: AdherenceMinute[] = [];
  const sums = new Map<string, AdherenceSums>();
  if (activities.length === 0) return { minutes, sums };
  const window = input.window ?? { start: activities[0]!.start, end: Math.max(...activities.map((a) => a.end)) };
  const spans = spansOf(input.states, window.start, window.end);
  const sumsOf = (day: string) => {
    let entry = sums.get(day);
    if (!entry) sums.set(day, (entry = emptyAdherenceSums()));
    return entry;
  };
  const edges = edgesOf(activities);
  const cursor = { i: 0 };
  let next = 0;
  let day = activities[0]!.shiftDate;
  for (let minute = window.start; minute + MINUTE_MS <= window.end && minute + MINUTE_MS <= until; minute += MINUTE_MS) {
    while (next < activities.length && activities[next]!.end <= minute) day = activities[next++]!.shiftDate;
    const activity = next < activities.length && activities[next]!.start <= minute ? activities[next]! : null;
    if (activity) day = activity.shiftDate;
    const { state, reasonCode } = dominantState(spans, minute, minute + MINUTE_MS, cursor);
    const counts = sumsOf(day);
    if (productiveStates.includes(state)) counts.productive_min++;
    if (!activity || activity.kind === 'time_off') continue;
    const kind = activity.kind;
    let verdict: MinuteVerdict;
    if (allows(mapping, kind, state, reasonCode)) verdict = 'adherent';
    else if (exceptions.some((e) => e.start <= minute && minute < e.end)) verdict = 'exception';
    else if (edges.some((edge) => minute >= edge - grace && minute < edge + grace)) verdict = 'grace';
    else verdict = 'out';
    minutes.push({ minute, shiftDate: activity.shiftDate, activity: kind, state, reasonCode, verdict });
    counts.scheduled_min++;
    if (verdict !== 'out') counts.adherent_min++;
    if (kind === 'work') counts.work_scheduled_min++;
  }
  return { minutes, sums };
}

/** Where an agent stands at one instant: what the real-time view shows. */
export type NowStatus = 'out' | 'grace' | 'exception' | 'adherent' | 'time_off' | 'unscheduled';

export interface NowVerdict {
  status: NowStatus;
  /** The activity scheduled at `now`, time off included; null when nothing is. */
  activity: ScheduledActivity | null;
  /** With status out: since when the current state counts as out of adherence (grace and excused time left out). */
  outSince: number | null;
}

/**
 * The verdict at one instant from the state the agent is in now, by the same rules as the
 * minutes: out when the scheduled activity does not allow that state, no exception covers
 * now and no grace applies. Out since the later of the state's start and the start of the
 * scheduled stretch it does not fit, moved past grace windows and exceptions: how long the
 * agent has been out of adherence in their current state.
 */
export function judgeNow(input: {
  activities: readonly ScheduledActivity[];
  state: ActualState;
  reasonCode: string | null;
  /** When the state began; null when unknown (no state event): the whole stretch counts. */
  since: number | null;
  exceptions?: readonly ExceptionSpan[];
  mapping?: AdherenceMapping;
  graceMinutes?: number;
  now: number;
}): NowVerdict {
  const mapping = input.mapping ?? defaultAdherenceMapping;
  const grace = (input.graceMinutes ?? DEFAULT_GRACE_MINUTES) * MINUTE_MS;
  const exceptions = input.exceptions ?? [];
  const activities = [...input.activities].sort((a, b) => a.start - b.start);
  const index = activities.findIndex((a) => a.start <= input.now && input.now < a.end);
  const activity = index >= 0 ? activities[index]! : null;
  if (!activity) return { status: 'unscheduled', activity: null, outSince: null };
  if (activity.kind === 'time_off') return { status: 'time_off', activity, outSince: null };
  const fits = (a: ScheduledActivity) => a.kind !== 'time_off' && allows(mapping, a.kind, input.state, input.reasonCode);
  if (fits(activity)) return { status: 'adherent', activity, outSince: null };
  if (exceptions.some((e) => e.start <= input.now && input.now < e.end)) return { status: 'exception', activity, outSince: null };
  // Back over the activities right before this one that the state does not fit either.
  let from = activity.start;
  for (let i = index - 1; i >= 0; i--) {
    const before = activities[i]!;
    if (before.end !== from || before.kind === 'time_off' || fits(before)) break;
    from = before.start;
  }
  if (input.since !== null) from = Math.max(from, input.since);
  const edges = edgesOf(activities);
  for (let moved = true; moved;) {
    moved = false;
    for (const edge of edges) {
      if (from >= edge - grace && from < edge + grace) {
        from = edge + grace;
        moved = true;
      }
    }
    for (const e of exceptions) {
      if (from >= e.start && from < e.end) {
        from = e.end;
        moved = true;
      }
    }
  }
  return from > input.now ? { status: 'grace', activity, outSince: null } : { status: 'out', activity, outSince: from };
}
