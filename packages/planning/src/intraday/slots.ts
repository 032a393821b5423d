import { scheduleIntervalMin } from '../schedule/week.ts';

/**
 * Adds, to each slot of `target` from `fromSlot` on, `weight` × the minutes of [start, end) inside it: a day's
 * timeline in minutes from its local midnight, slot t covering [15t, 15t + 15); what lies outside the day is clipped.
 */
export function addSlotMinutes(target: number[], start: number, end: number, weight = 1, fromSlot = 0): void {
  const from = Math.max(start, fromSlot * scheduleIntervalMin, 0);
  const to = Math.min(end, target.length * scheduleIntervalMin);
  for (let t = Math.floor(from / scheduleIntervalMin); t * scheduleIntervalMin < to; t++) {
    const minutes = Math.min(to, (t + 1) * scheduleIntervalMin) - Math.max(from, t * scheduleIntervalMin);
    if (minutes > 0) target[t]! += weight * minutes;
  }
}

/** Sorted, disjoint ranges covering the same minutes as `ranges` (overlapping or touching ones joined). */
export function unionRanges(ranges: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}
