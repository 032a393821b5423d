import { dayNumberOf, dateOfDayNumber, weekdayOfDayNumber } from '@switchboard/calendar';
import type { Day, ForecastRequest, IsoDate, MethodInput, OpenCalendar, SpecialDay } from './types.ts';

/** A weekday counts as a usual opening day when it occurs in most of the last ten weeks of history. */
const OPEN_WEEKDAY_LOOKBACK_DAYS = 70;

export function isOpen(calendar: OpenCalendar, dayNumber: number): boolean {
  return calendar.openWeekdays[weekdayOfDayNumber(dayNumber)] === true && !calendar.closed.has(dayNumber);
}

/**
 * Turns a request into what methods work on: excluded and closed days leave history,
 * multiplied days are divided back to a normal day, and missing usual opening days inside
 * the history span count as closures (so "first day after a closure" is known).
 */
export function prepareRequest(request: ForecastRequest): MethodInput {
  const special = new Map<IsoDate, SpecialDay>((request.specialDays ?? []).map((s) => [s.date, s]));
  const raw = request.history;
  const last = raw.length > 0 ? dayNumberOf(raw[raw.length - 1]!.date) : 0;
  const counts = new Array<number>(7).fill(0);
  let first = last;
  for (const day of raw) {
    const n = dayNumberOf(day.date);
    if (n <= last - OPEN_WEEKDAY_LOOKBACK_DAYS) continue;
    counts[weekdayOfDayNumber(n)]!++;
    first = Math.min(first, n);
  }
  // Half the weeks, so a one-off Saturday opening does not turn every other Saturday into a closure.
  const weeks = Math.ceil((last - first + 1) / 7);
  const openWeekdays = counts.map((c) => c > 0 && c >= weeks / 2);
  const closed = new Set<number>();
  for (const s of special.values()) if (s.effect === 'multiply' && s.multiplier === 0) closed.add(dayNumberOf(s.date));
  const seen = new Set(raw.map((d) => d.date));
  if (raw.length > 0) {
    for (let n = dayNumberOf(raw[0]!.date); n <= last; n++) {
      if (openWeekdays[weekdayOfDayNumber(n)] && !seen.has(dateOfDayNumber(n)) && !special.has(dateOfDayNumber(n))) closed.add(n);
    }
  }
  const history: Day[] = [];
  const profileExcluded = new Set<IsoDate>();
  for (const day of raw) {
    const s = special.get(day.date);
    if (s === undefined) history.push(day);
    else if (s.effect === 'multiply' && s.multiplier > 0) {
      history.push({ date: day.date, values: day.values.map((v) => v / s.multiplier) });
      profileExcluded.add(day.date);
    }
  }
  return { history, targets: request.targets, calendar: { openWeekdays, closed }, profileExcluded };
}

/** Multiplies each target's forecast by its special-day multiplier (0 for a closure). */
export function applyTargetEffects(values: number[][], targets: readonly IsoDate[], specialDays: readonly SpecialDay[] = []): number[][] {
  const multipliers = new Map<IsoDate, number>();
  for (const s of specialDays) if (s.effect === 'multiply') multipliers.set(s.date, s.multiplier);
  return values.map((row, t) => {
    const m = multipliers.get(targets[t]!);
    return m === undefined ? row : row.map((v) => v * m);
  });
}
