import { localDateOf } from '@switchboard/calendar';
import { queueKpis, surveyKpis } from '@switchboard/kpis';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { z } from 'zod';
import { formatChange, getEffectUnit, readOutcome } from '../(app)/coaching/prepare';
import { kindLabel } from '../(app)/planning/schedules/activity-kinds';
import { formatClock } from '../(app)/planning/schedules/prepare';
import { formatKpi } from '../lib/format';

/** The desktop panel's pure half: the pushed nudges, the connection's state, the countdown, the figures and coaching in words. */

type Outputs = inferRouterOutputs<AppRouter>;
export type MyActivity = Outputs['me']['schedule']['activities'][number];
export type MyAssignment = Outputs['coaching']['mine'][number];
export type DesktopKpis = Outputs['desktop']['kpis'];

// ── nudges ───────────────────────────────────────────────────────────────────

/** A nudge as the host pushes it (`event: nudge`). */
export const DesktopNudge = z.object({
  id: z.string().min(1),
  kind: z.enum(['empathy', 'hold_update', 'verify_identity']),
  message: z.string(),
  interactionId: z.string(),
  firesAt: z.number(),
});
export type DesktopNudge = z.infer<typeof DesktopNudge>;

export const nudgeKindLabel: Record<DesktopNudge['kind'], string> = { empathy: 'Empathy', hold_update: 'Hold', verify_identity: 'Identity' };

/** How many nudges the area holds: the space is reserved for this many, so a new one never moves the rest of the panel. */
const MAX_NUDGES = 3;
/** Ids remembered after they left the area, so a resent nudge (a reconnect replays) stays gone. */
const SEEN_LIMIT = 500;

export interface NudgeList {
  /** Newest (last arrived) first, at most MAX_NUDGES. */
  shown: DesktopNudge[];
  /** Every id shown so far (dismissed and pushed out ones too), oldest first. */
  seen: string[];
}

export const emptyNudges: NudgeList = { shown: [], seen: [] };

/** A pushed event's data as a nudge, or null when it is not one (a malformed event is dropped, not shown half). */
export function parseNudge(data: string): DesktopNudge | null {
  try {
    const parsed = DesktopNudge.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A nudge arrives: on top, the oldest beyond the cap drops out; an id already shown (even dismissed) changes nothing. */
export function addNudge(list: NudgeList, nudge: DesktopNudge): NudgeList {
  if (list.seen.includes(nudge.id)) return list;
  return { shown: [nudge, ...list.shown].slice(0, MAX_NUDGES), seen: [...list.seen, nudge.id].slice(-SEEN_LIMIT) };
}

/** The agent closes a nudge; it is still remembered as seen. */
export function dismissNudge(list: NudgeList, id: string): NudgeList {
  return list.shown.some((n) => n.id === id) ? { ...list, shown: list.shown.filter((n) => n.id !== id) } : list;
}

// ── the stream's connection ──────────────────────────────────────────────────

type ConnectionState = 'live' | 'reconnecting' | 'polling';

export interface Connection {
  state: ConnectionState;
  /** Errors since the stream last said `ready`. */
  errors: number;
  /** Whether events may have been missed since the last `ready` (what was pushed meanwhile must be read again). */
  missed: boolean;
  /** Whether the stream has said `ready` at least once. */
  everReady: boolean;
}

export type ConnectionEvent = { type: 'open' } | { type: 'ready' } | { type: 'error' };

/** After this many errors in a row the stream is closed and the panel polls. */
const MAX_STREAM_ERRORS = 3;
/** While polling, how often the queries the stream would refresh are read, and how often the stream is tried again. */
const POLL_MS = 10_000;
const STREAM_RETRY_MS = 30_000;
/** Before giving up: a short wait before reopening, longer after each error. */
const RECONNECT_STEP_MS = 1_000;

export const initialConnection: Connection = { state: 'reconnecting', errors: 0, missed: false, everReady: false };

/**
 * The connection's state machine. Only `ready` (the host's own first event) resets the error count: a stream that
 * opens and fails at once, again and again, still ends in polling.
 */
export function nextConnection(c: Connection, event: ConnectionEvent): Connection {
  switch (event.type) {
    case 'open':
      return { ...c, state: 'live' };
    case 'ready':
      return { state: 'live', errors: 0, missed: false, everReady: true };
    case 'error': {
      const errors = c.errors + 1;
      return { ...c, errors, missed: true, state: c.state === 'polling' || errors >= MAX_STREAM_ERRORS ? 'polling' : 'reconnecting' };
    }
  }
}

/** What the panel does in a state: how long until the stream is reopened after an error, and how often queries poll. */
export function connectionPlan(c: Connection): { reopenInMs: number; pollMs: number | false } {
  if (c.state === 'polling') return { reopenInMs: STREAM_RETRY_MS, pollMs: POLL_MS };
  return { reopenInMs: RECONNECT_STEP_MS * Math.max(1, c.errors), pollMs: false };
}

export const connectionLabel = (c: Connection): string =>
  c.state === 'live' ? 'live' : c.state === 'polling' ? 'polling' : c.errors === 0 && !c.everReady ? 'connecting…' : 'reconnecting…';

/** How far the host's clock is ahead of this browser's (`ready`'s serverTime against when it arrived); 0 when unreadable. */
export function clockOffsetMs(serverTime: unknown, receivedAt: number): number {
  const at = typeof serverTime === 'string' ? Date.parse(serverTime) : Number.NaN;
  return Number.isFinite(at) ? at - receivedAt : 0;
}

// ── the day: what is on now, what comes next ────────────────────────────────

/** "now", "in 42 s", "in 5 min", "in 1 h 5 min". Minutes round up, so the count agrees with the clocks' minutes. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'now';
  if (ms <= 60_000) return `in ${Math.ceil(ms / 1000)} s`;
  const min = Math.ceil(ms / 60_000);
  if (min < 60) return `in ${min} min`;
  return `in ${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

interface Run {
  kind: MyActivity['kind'];
  start: string;
  end: string;
}

/** Activities back to back of the same kind read as one (work until lunch, not work until an internal cut). */
function runsOf(activities: readonly MyActivity[]): Run[] {
  const runs: Run[] = [];
  for (const a of [...activities].sort((x, y) => Date.parse(x.start) - Date.parse(y.start))) {
    const last = runs.at(-1);
    if (last && last.kind === a.kind && Date.parse(last.end) === Date.parse(a.start)) last.end = a.end;
    else runs.push({ kind: a.kind, start: a.start, end: a.end });
  }
  return runs;
}

export interface DayView {
  /** "Work until 12:30", or null when nothing is scheduled now. */
  current: { kind: Run['kind']; text: string } | null;
  /** The next activity today, with its start to count down to. */
  next: { kind: Run['kind']; label: string; at: string; startMs: number } | null;
  /** Nothing more today: when the next shift starts ("Tue 3 Mar 08:00"), if one is published. */
  later: string | null;
  /** Today's activities in order, for the list under the countdown. */
  today: { kind: Run['kind']; from: string; to: string; current: boolean }[];
}

/** What is on now and next on the agent's clock, from the published activities. */
export function describeDay(activities: readonly MyActivity[], now: number, timezone: string): DayView {
  const runs = runsOf(activities);
  const today = localDateOf(now, timezone);
  const isCurrent = (r: Run) => Date.parse(r.start) <= now && now < Date.parse(r.end);
  const current = runs.find(isCurrent) ?? null;
  const upcoming = runs.find((r) => Date.parse(r.start) > now) ?? null;
  const nextToday = upcoming && localDateOf(Date.parse(upcoming.start), timezone) === today ? upcoming : null;
  const dayOf = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short' });
  return {
    current: current && { kind: current.kind, text: `${kindLabel[current.kind]} until ${formatClock(current.end, timezone)}` },
    next: nextToday && {
      kind: nextToday.kind,
      label: nextToday.kind === 'work' && !current ? 'Your shift starts' : kindLabel[nextToday.kind],
      at: formatClock(nextToday.start, timezone),
      startMs: Date.parse(nextToday.start),
    },
    later: !nextToday && upcoming ? `${dayOf(upcoming.start)} ${formatClock(upcoming.start, timezone)}` : null,
    today: runs
      .filter((r) => isCurrent(r) || localDateOf(Date.parse(r.start), timezone) === today)
      .map((r) => ({ kind: r.kind, from: formatClock(r.start, timezone), to: formatClock(r.end, timezone), current: isCurrent(r) })),
  };
}

/** "Lunch at 12:30 · in 4 min": the next activity's line, as it reads at `now`. */
export const nextActivityText = (next: NonNullable<DayView['next']>, now: number): string =>
  `${next.label} at ${next.at} · ${formatCountdown(next.startMs - now)}`;

// ── coaching ─────────────────────────────────────────────────────────────────

/** Statuses the agent answers with the Acknowledge button. */
export const canAcknowledge = (status: MyAssignment['status']): boolean => status === 'delivered' || status === 'overdue';
/** Closed and cancelled assignments are folded away; every other one is still open. */
export const isClosed = (status: MyAssignment['status']): boolean => status === 'closed' || status === 'cancelled';

/** How a closed assignment ended, in words the agent reads: "Your AHT improved (−12.5 s)". */
export function describeAgentOutcome(a: Pick<MyAssignment, 'status' | 'outcome' | 'target' | 'targetLabel'>): string {
  if (a.status === 'cancelled') return 'Cancelled by your coach';
  const outcome = readOutcome(a.outcome);
  if (!outcome) return 'Closed';
  if (outcome.kind === 'not_measured') return `Closed, not measured: ${outcome.reason}`;
  const unit = getEffectUnit(a.target);
  const what = a.target.type === 'metric' ? `your ${inSentence(unit.of)}` : `your pass rate on “${a.targetLabel}”`;
  const change = formatChange(unit.unit, outcome.estimate);
  const verdict = { improved: `${capitalise(what)} improved`, no_change: `No clear change in ${what}`, worse: `${capitalise(what)} got worse` }[
    outcome.outcome
  ];
  return `${verdict} (${change})`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** A label inside a sentence: "Hold rate" → "hold rate"; acronyms (AHT, CSAT) stay. */
const inSentence = (label: string) => (/^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label);

// ── today's figures ──────────────────────────────────────────────────────────

const shownKpis = [queueKpis.handled, queueKpis.aht_s, queueKpis.hold_rate, queueKpis.transfer_rate, surveyKpis.csat] as const;

/** The agent's figure beside the team's, each in its catalogue unit ("—" when there is nothing to compute from). */
export function kpiRows(k: DesktopKpis): { id: keyof DesktopKpis['mine']; label: string; mine: string; team: string }[] {
  return shownKpis.map((kpi) => {
    const id = kpi.id as keyof DesktopKpis['mine'];
    return { id, label: kpi.label, mine: formatKpi(kpi.unit, k.mine[id]), team: formatKpi(kpi.unit, k.team[id]) };
  });
}
