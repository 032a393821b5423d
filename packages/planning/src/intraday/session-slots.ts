import { scheduleIntervalMin, type PlannedActivity } from '../schedule/week.ts';

/**
 * Where a coaching session can go in an agent's schedule: inside one stretch of their work (never over a break,
 * lunch, meeting or time off, and not in the first or last quarter hour of the stretch, which are for settling in
 * and wrapping up), on quarter hours, with the coach free, and only where the agent's team can spare them: every
 * quarter hour it covers has a surplus of at least one agent over the requirement (net − required ≥ 1), so the
 * session makes no one short. Times are minutes on one timeline (the caller's origin).
 */
export interface SessionSlotInput {
  /** The agent's activities over the period searched. */
  activities: readonly PlannedActivity[];
  /** When the coach is taken: their other sessions, their own non-work time. */
  coachBusy: readonly { start: number; end: number }[];
  /** Agents over the requirement in the quarter hour starting at `start`; null where nothing is known (never booked there). */
  surplusAt: (start: number) => number | null;
  minutes: number;
  /** No slot starts before this (e.g. now plus the lead time). */
  earliest: number;
  /** Nor ends after this (e.g. the assignment's due date). */
  latest: number;
}

const EDGE_MIN = scheduleIntervalMin;

/** The agent's stretches of work, touching pieces joined (a republished week may hold work split at a moved break). */
function joinWork(activities: readonly PlannedActivity[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const a of activities.filter((x) => x.kind === 'work').sort((x, y) => x.start - y.start)) {
    const last = out.at(-1);
    if (last && a.start === last.end) last.end = a.end;
    else out.push({ start: a.start, end: a.end });
  }
  return out;
}

/** The slots that fit, earliest first (at most `limit`). */
export function findSessionSlots(input: SessionSlotInput, limit = 3): { start: number; end: number }[] {
  const step = scheduleIntervalMin;
  const out: { start: number; end: number }[] = [];
  const works = joinWork(input.activities);
  for (const work of works) {
    const first = Math.max(work.start + EDGE_MIN, Math.ceil(input.earliest / step) * step);
    for (let start = Math.ceil(first / step) * step; start + input.minutes <= Math.min(work.end - EDGE_MIN, input.latest); start += step) {
      const end = start + input.minutes;
      if (input.coachBusy.some((b) => b.start < end && start < b.end)) continue;
      let spare = true;
      for (let q = Math.floor(start / step) * step; q < end && spare; q += step) spare = (input.surplusAt(q) ?? 0) >= 1;
      if (!spare) continue;
      out.push({ start, end });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
