import { addLocalDays, localDateOf } from '@switchboard/calendar';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { DASH, formatDecimal, formatPercent } from '../../../lib/format';
import { formatClock, formatDay } from '../schedules/prepare';

/**
 * The intraday screens' pure half: the day's two charts, the interval table's marks, the proposals and offers in
 * words, and the settings form read back. The components only render these.
 */

type Intraday = inferRouterOutputs<AppRouter>['intraday'];
export type IntradayDay = Intraday['day'];
export type IntradayInterval = IntradayDay['intervals'][number];
export type Proposal = IntradayDay['proposals'][number];
export type ProposalStatus = Proposal['status'];
export type IntradaySettings = IntradayDay['settings'];
export type Offer = Intraday['offers'][number];
export type OfferOutcome = Intraday['acceptOffer']['outcome'];

const MINUTE_MS = 60_000;
const INTERVAL_MS = 15 * MINUTE_MS;

// ── the last run ─────────────────────────────────────────────────────────────

/** "just now", "3 min ago", "2 h 5 min ago". */
export function formatAgo(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / MINUTE_MS);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''} ago`;
}

/** "Last run 10:15 (3 min ago)"; how long ago only for today's runs, where it tells how fresh the proposals are. */
export function describeLastRun(day: Pick<IntradayDay, 'run' | 'timezone' | 'date'>, nowMs: number): string {
  const today = localDateOf(nowMs, day.timezone) === day.date;
  if (!day.run) return today ? 'No run yet today' : 'No run on this day';
  const at = formatClock(day.run.runAt, day.timezone);
  return today ? `Last run ${at} (${formatAgo(nowMs - Date.parse(day.run.runAt))})` : `Last run ${at}`;
}

// ── gaps ─────────────────────────────────────────────────────────────────────

/** Short or over by at least the threshold (agents), as the loop itself judges an interval; else within it. */
export type GapMark = 'short' | 'over' | 'ok';

export function markGap(gap: number, threshold: number): GapMark {
  if (gap <= -threshold) return 'short';
  if (gap >= threshold) return 'over';
  return 'ok';
}

/** A gap in agents with its sign: "−2.5", "+1.0", "0.0". */
export function formatGap(gap: number | null | undefined): string {
  if (gap === null || gap === undefined || !Number.isFinite(gap)) return DASH;
  const text = formatDecimal(Math.abs(gap), 1);
  if (text === formatDecimal(0, 1)) return text;
  return `${gap < 0 ? '−' : '+'}${text}`;
}

// ── charts ───────────────────────────────────────────────────────────────────

/** One interval on the charts' axis: interval i spans [i, i + 1) and its values sit at its middle. */
interface IntradayPoint {
  x: number;
  start: string;
  forecast: number;
  reforecast: number;
  /** Null for intervals that have not happened yet, never 0. */
  actual: number | null;
  required: number;
  scheduled: number;
  net: number;
  gap: number;
  mark: GapMark;
}

export interface IntradayChartModel {
  points: IntradayPoint[];
  /** The axis runs over whole intervals. */
  domain: [number, number];
  /** Each local whole hour, at its interval's left edge; a clock change shows as a skipped or repeated hour. */
  ticks: { x: number; label: string }[];
  /** Where now falls, to the minute inside its interval; null when the day shown is not today. */
  now: number | null;
  /** "10:15–10:30" for an axis position (tooltips). */
  labels: string[];
}

/**
 * The day's intervals on a numeric axis of interval numbers: DST days keep their 92 or 100 intervals and their
 * hours read as the local clock does, and the now line can sit inside an interval.
 */
export function prepareIntradayChart(day: Pick<IntradayDay, 'intervals' | 'timezone' | 'now' | 'settings'>): IntradayChartModel {
  const { intervals, timezone } = day;
  const starts = intervals.map((i) => Date.parse(i.start));
  const endOf = (k: number) => starts[k + 1] ?? starts[k]! + INTERVAL_MS;
  const points = intervals.map((i, k) => ({
    x: k + 0.5,
    start: i.start,
    forecast: i.forecast,
    reforecast: i.reforecast,
    actual: i.actual,
    required: i.required,
    scheduled: i.scheduled,
    net: i.net,
    gap: i.gap,
    mark: markGap(i.gap, day.settings.gapThreshold),
  }));
  const ticks = intervals.flatMap((i, k) => {
    const label = formatClock(i.start, timezone);
    return label.endsWith(':00') ? [{ x: k, label }] : [];
  });
  const nowMs = Date.parse(day.now);
  const k = starts.findIndex((s, n) => s <= nowMs && nowMs < endOf(n));
  const now = k < 0 ? null : k + (nowMs - starts[k]!) / (endOf(k) - starts[k]!);
  const labels = intervals.map((i, n) => `${formatClock(i.start, timezone)}–${formatClock(new Date(endOf(n)), timezone)}`);
  return { points, domain: [0, intervals.length], ticks, now, labels };
}

/** The interval label under an axis position. */
export function labelAt(model: Pick<IntradayChartModel, 'labels'>, x: number): string {
  return model.labels[Math.floor(x)] ?? '';
}

/**
 * "Morning forecast WAPE 12.3% · reforecast 7.9% over 34 intervals": the server measures both over the day so far
 * (the reforecast part is left out while it sends none).
 */
export function describeAccuracy(accuracy: { intervals: number; forecastWape: number | null; reforecastWape?: number | null }): string {
  if (accuracy.intervals === 0) return 'No actuals yet to measure the forecasts against.';
  const n = `${accuracy.intervals} interval${accuracy.intervals === 1 ? '' : 's'}`;
  const reforecast = accuracy.reforecastWape === undefined ? '' : ` · reforecast ${formatPercent(accuracy.reforecastWape)}`;
  return `Morning forecast WAPE ${formatPercent(accuracy.forecastWape)}${reforecast} over ${n}`;
}

// ── proposals ────────────────────────────────────────────────────────────────

export const statusLabel: Record<ProposalStatus, string> = {
  proposed: 'Waiting for a decision',
  open: 'Offered to agents',
  filled: 'Filled',
  applied: 'Applied',
  rejected: 'Rejected',
  superseded: 'Replaced by a newer run',
  expired: 'Expired',
};

/** The pill class each status shows with. */
export const statusClass: Record<ProposalStatus, string> = {
  proposed: 'warning',
  open: 'running',
  filled: 'good',
  applied: 'good',
  rejected: 'bad',
  superseded: 'muted',
  expired: 'muted',
};

/** Why an agent may not take an offer, by the rule they fail. */
const ruleLabel: Record<string, string> = {
  no_skill: 'no skill in this group’s queues',
  not_working: 'not working the whole time',
  busy: 'already scheduled then',
  max_week_minutes: 'over their contract’s weekly hours',
  min_rest: 'too little rest between shifts',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Move 3 breaks", "Voluntary time off for 2 agents 14:00–15:30", "Overtime for 1 agent 17:00–18:00". */
export function describeProposal(p: Pick<Proposal, 'kind' | 'start' | 'end' | 'agents' | 'moves'>, timezone: string): string {
  const span = `${formatClock(p.start, timezone)}–${formatClock(p.end, timezone)}`;
  if (p.kind === 'vto') return `Voluntary time off for ${plural(p.agents, 'agent')} ${span}`;
  if (p.kind === 'overtime') return `Overtime for ${plural(p.agents, 'agent')} ${span}`;
  const breaks = p.moves.filter((m) => m.kind === 'break').length;
  const lunches = p.moves.length - breaks;
  const parts = [breaks > 0 && plural(breaks, 'break'), lunches > 0 && plural(lunches, 'lunch', 'lunches')].filter(Boolean);
  return parts.length ? `Move ${parts.join(' and ')}` : 'Move breaks';
}

/** "Ana Ruiz lunch 12:00 → 13:00". */
export function describeMove(m: Proposal['moves'][number], timezone: string): string {
  return `${m.agentName} ${m.kind} ${formatClock(m.from, timezone)} → ${formatClock(m.to, timezone)}`;
}

/** "Ben Ode: already scheduled then". */
export function describeRefusal(r: Proposal['refused'][number]): string {
  return `${r.agentName}: ${ruleLabel[r.rule] ?? r.rule.replaceAll('_', ' ')}`;
}

/** What a proposal is worth: agent-intervals of gap it closes (shortfall covered by moves; agents × intervals offered). */
export function describeGain(gain: number): string {
  return `${formatDecimal(gain, 1)} agent-intervals`;
}

/** Those still in play (waiting, offered, done) and those that are history (rejected, replaced, expired), each by start. */
export function splitProposals<P extends Pick<Proposal, 'status' | 'start'>>(proposals: readonly P[]): { current: P[]; past: P[] } {
  const past = new Set<ProposalStatus>(['rejected', 'superseded', 'expired']);
  const byStart = (a: P, b: P) => a.start.localeCompare(b.start);
  // Waiting ones first: they are what a planner has to act on.
  const rank = (p: P) => (p.status === 'proposed' ? 0 : 1);
  return {
    current: proposals.filter((p) => !past.has(p.status)).sort((a, b) => rank(a) - rank(b) || byStart(a, b)),
    past: proposals.filter((p) => past.has(p.status)).sort(byStart),
  };
}

// ── settings ─────────────────────────────────────────────────────────────────

export interface SettingsDraft {
  gapThreshold: string;
  leadMinutes: string;
}

export const toSettingsDraft = (s: IntradaySettings): SettingsDraft => ({ gapThreshold: String(s.gapThreshold), leadMinutes: String(s.leadMinutes) });

/** The form as settings, or what is wrong with it in a sentence. */
export function parseSettings(draft: SettingsDraft): { settings: IntradaySettings } | { error: string } {
  const read = (text: string) => (text.trim() === '' ? NaN : Number(text));
  const gapThreshold = read(draft.gapThreshold);
  const leadMinutes = read(draft.leadMinutes);
  if (!(gapThreshold > 0 && gapThreshold <= 50)) return { error: 'The gap threshold is a number of agents above 0 and up to 50, e.g. 2 or 1.5.' };
  if (!(Number.isInteger(leadMinutes) && leadMinutes >= 0 && leadMinutes <= 240))
    return { error: 'The lead time is a whole number of minutes from 0 to 240, e.g. 30.' };
  return { settings: { gapThreshold, leadMinutes } };
}

// ── the agent's offers ───────────────────────────────────────────────────────

const offerKindLabel: Record<Offer['kind'], string> = { vto: 'Voluntary time off', overtime: 'Overtime' };

/** "today", "tomorrow", "on Mon 3 Mar" on the agent's clock. */
function dayWord(iso: string, timezone: string, nowMs: number): string {
  const date = localDateOf(Date.parse(iso), timezone);
  const today = localDateOf(nowMs, timezone);
  if (date === today) return 'today';
  if (date === addLocalDays(today, 1)) return 'tomorrow';
  return `on ${formatDay(date)}`;
}

/** "Voluntary time off today 14:00–15:30". */
export function describeOfferWhen(o: Pick<Offer, 'kind' | 'start' | 'end'>, timezone: string, nowMs: number): string {
  return `${offerKindLabel[o.kind]} ${dayWord(o.start, timezone, nowMs)} ${formatClock(o.start, timezone)}–${formatClock(o.end, timezone)}`;
}

/** "Voluntary time off today 14:00–15:30 — 1 of 2 places left". */
export function describeOffer(o: Pick<Offer, 'kind' | 'status' | 'start' | 'end' | 'agents' | 'taken' | 'mine'>, timezone: string, nowMs: number): string {
  const what = describeOfferWhen(o, timezone, nowMs);
  const left = Math.max(0, o.agents - o.taken);
  const state = o.mine ? 'you took it' : o.status === 'filled' || left === 0 ? 'all places are taken' : `${left} of ${plural(o.agents, 'place')} left`;
  return `${what} — ${state}`;
}

/** What an agent reads after pressing Accept. */
export const outcomeText: Record<OfferOutcome, string> = {
  accepted: 'You took it — your schedule is updated.',
  already: 'You had already taken this one — it is on your schedule.',
  taken: 'Someone else took the last place just before you.',
  closed: 'This offer has closed: it has started, or a planner withdrew it.',
  not_eligible: 'This offer is not open to you: your skills, contract hours or rest between shifts do not allow it.',
};
