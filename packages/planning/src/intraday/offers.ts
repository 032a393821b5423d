import type { PlannedActivity } from '../schedule/week.ts';
import { unionRanges } from './slots.ts';

export type OfferKind = 'vto' | 'overtime';

/** A proposal to offer `agents` agents voluntary time off or overtime over slots [fromSlot, toSlot). */
export interface ProposedOffer {
  kind: OfferKind;
  fromSlot: number;
  toSlot: number;
  agents: number;
}

export interface ProposeOffersInput {
  /** net − required per slot (`intradayStaffing`'s `gap`). */
  gap: readonly number[];
  /** The first slot an offer may cover (the next one to start). */
  fromSlot: number;
  /** A slot is over- or understaffed when its gap is at least this far from zero (agents, > 0). */
  threshold: number;
  /** Shorter runs are not worth an offer; 2 slots by default. */
  minSlots?: number;
}

/**
 * Splits an integer profile of agents per slot into blocks, as a skyline: over each run of positive slots, the
 * run's least value for the whole run, then the same again over what stays positive (peaks get blocks of their own).
 */
function skyline(kind: OfferKind, amounts: number[], from: number, to: number, minSlots: number, out: ProposedOffer[]): void {
  let t = from;
  while (t < to) {
    if (amounts[t]! <= 0) {
      t++;
      continue;
    }
    let end = t;
    while (end < to && amounts[end]! > 0) end++;
    if (end - t >= minSlots) {
      const agents = Math.min(...amounts.slice(t, end));
      out.push({ kind, fromSlot: t, toSlot: end, agents });
      for (let i = t; i < end; i++) amounts[i]! -= agents;
      skyline(kind, amounts, t, end, minSlots, out);
    }
    t = end;
  }
}

/**
 * VTO and overtime offers for the rest of the day from its staffing gap. A slot counts for VTO when its gap is
 * ≥ threshold, with floor(gap) agents able to go without it going short; for overtime when its gap is
 * ≤ −threshold, with ceil(−gap) agents wanted. Over a run of such slots the offer is for the run's least count
 * (VTO: floor of the least gap, so no slot goes short; overtime: the least shortfall rounded up, so no slot is
 * overstaffed by a whole agent), and deeper parts of the run get further, shorter offers on top. Runs and their
 * deeper parts shorter than `minSlots` are dropped. Sorted by kind, start and longest first.
 */
export function proposeOffers(input: ProposeOffersInput): ProposedOffer[] {
  const minSlots = Math.max(1, input.minSlots ?? 2);
  const from = Math.max(0, input.fromSlot);
  const vto = input.gap.map((g) => (g >= input.threshold ? Math.floor(g) : 0));
  const overtime = input.gap.map((g) => (-g >= input.threshold ? Math.ceil(-g) : 0));
  const out: ProposedOffer[] = [];
  skyline('vto', vto, from, input.gap.length, minSlots, out);
  skyline('overtime', overtime, from, input.gap.length, minSlots, out);
  return out.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'vto' ? -1 : 1) || a.fromSlot - b.fromSlot || b.toSlot - a.toSlot);
}

/** An agent who might take an offer, with what the rules need to know about them. */
export interface OfferCandidate {
  agentId: string;
  skillQueueIds: readonly string[];
  /** Their activities on this day's timeline, including the adjacent days' shifts translated onto it. */
  activities: readonly PlannedActivity[];
  /** Paid minutes already scheduled in the offer's week. */
  weekPaidMinutes: number;
  maxWeekMinutes: number;
  /** Least rest between two shifts. */
  minRestMin: number;
}

export interface EligibleForOfferInput {
  kind: OfferKind;
  /** The offer's range, timeline minutes. */
  start: number;
  end: number;
  /** The planning group's queues the offer is for. */
  groupQueueIds: readonly string[];
  candidates: readonly OfferCandidate[];
}

/** Why an agent may not take an offer: the first rule they fail. */
export type OfferRule = 'no_skill' | 'not_working' | 'busy' | 'max_week_minutes' | 'min_rest';

/**
 * Who may take an offer, and who may not with the rule they fail, so a planner sees why. Both kinds need a skill in
 * one of the group's queues (an agent serving none of them is not part of the gap). VTO: the agent works the whole
 * range. Overtime: nothing else of theirs overlaps it, the week stays within their contract's maximum, and on each
 * side the block either touches their next activity (it extends a shift) or leaves at least the minimum rest.
 */
export function eligibleForOffer(input: EligibleForOfferInput): { eligible: string[]; refused: { agentId: string; rule: OfferRule }[] } {
  const { start, end } = input;
  if (!(end > start)) throw new RangeError(`an offer must end after it starts, not [${start}, ${end})`);
  const queues = new Set(input.groupQueueIds);
  const eligible: string[] = [];
  const refused: { agentId: string; rule: OfferRule }[] = [];
  for (const c of input.candidates) {
    const rule = refusal(input.kind, start, end, queues, c);
    if (rule) refused.push({ agentId: c.agentId, rule });
    else eligible.push(c.agentId);
  }
  return { eligible, refused };
}

function refusal(kind: OfferKind, start: number, end: number, queues: ReadonlySet<string>, c: OfferCandidate): OfferRule | null {
  if (!c.skillQueueIds.some((q) => queues.has(q))) return 'no_skill';
  if (kind === 'vto') {
    const work = unionRanges(c.activities.filter((a) => a.kind === 'work'));
    return work.some((w) => w.start <= start && end <= w.end) ? null : 'not_working';
  }
  if (c.activities.some((a) => a.start < end && start < a.end)) return 'busy';
  if (c.weekPaidMinutes + (end - start) > c.maxWeekMinutes) return 'max_week_minutes';
  const previousEnd = Math.max(-Infinity, ...c.activities.filter((a) => a.end <= start).map((a) => a.end));
  const nextStart = Math.min(Infinity, ...c.activities.filter((a) => a.start >= end).map((a) => a.start));
  const restOk = (gap: number) => gap === 0 || gap >= c.minRestMin;
  return restOk(start - previousEnd) && restOk(nextStart - end) ? null : 'min_rest';
}
