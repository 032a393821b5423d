import { dayNumberOf, dateOfDayNumber, isLocalDate, weekdayOfDayNumber } from '@switchboard/calendar';
import { median } from 'simple-statistics';
import { createExpectation, defaultDetectionSettings, detectUnusualDays, getDayTotal, type DetectedDay, type DetectionSettings } from './detect.ts';
import type { Holiday } from './holidays.ts';
import type { Day, ForecastRequest, HolidayEffect, IsoDate, MethodInput, OpenCalendar, SpecialDay } from './types.ts';

/** A weekday counts as a usual opening day when it occurs in most of the last ten weeks of history. */
const OPEN_WEEKDAY_LOOKBACK_DAYS = 70;

export function isOpen(calendar: OpenCalendar, dayNumber: number): boolean {
  return calendar.openWeekdays[weekdayOfDayNumber(dayNumber)] === true && !calendar.closed.has(dayNumber);
}

/** A method's input plus what preparing it found: detected days, holiday effects, target multipliers. */
export interface PreparedRequest extends MethodInput {
  detected: DetectedDay[];
  holidayEffects: HolidayEffect[];
  /** Multiplier of each target day that has one: the planner's special days, then holidays. */
  targetMultipliers: ReadonlyMap<IsoDate, number>;
  /** Usual opening days left out of a run of targets (see `getSkippedClosures`). */
  skippedClosures: IsoDate[];
}

function getOpenWeekdays(days: readonly Day[], last: number): boolean[] {
  const counts = new Array<number>(7).fill(0);
  let first = last;
  for (const day of days) {
    const n = dayNumberOf(day.date);
    if (n <= last - OPEN_WEEKDAY_LOOKBACK_DAYS) continue;
    counts[weekdayOfDayNumber(n)]!++;
    first = Math.min(first, n);
  }
  // Half the weeks, so a one-off Saturday opening does not turn every other Saturday into a closure.
  const weeks = Math.ceil((last - first + 1) / 7);
  return counts.map((c) => c > 0 && c >= weeks / 2);
}

/**
 * Usual opening days the request skips in the middle of its targets: a day missing between
 * two targets (or the end of history and a target) that are the usual opening days right
 * before and after it. Asked for the days it opens, a centre that leaves one out is closed
 * then, and the day after it gets the after-closure effect. Days further from the targets
 * (forecasting only Mondays, say) are not read as closures.
 */
function getSkippedClosures(
  targets: readonly IsoDate[],
  lastHistory: number,
  isUsual: (date: IsoDate) => boolean,
  known: (date: IsoDate) => boolean,
): IsoDate[] {
  const asked = new Set(targets.map(dayNumberOf));
  const lastTarget = Math.max(...asked);
  const isUsualDay = (n: number) => isUsual(dateOfDayNumber(n));
  const neighbour = (n: number, step: 1 | -1) => {
    let m = n + step;
    while (Math.abs(m - n) < 7 && !isUsualDay(m)) m += step;
    return m;
  };
  const covered = (n: number) => asked.has(n) || n <= lastHistory;
  const skipped: IsoDate[] = [];
  for (let n = lastHistory + 1; n < lastTarget; n++) {
    const date = dateOfDayNumber(n);
    if (asked.has(n) || !isUsualDay(n) || known(date)) continue;
    if (covered(neighbour(n, -1)) && asked.has(neighbour(n, 1))) skipped.push(date);
  }
  return skipped;
}

/** A substitute day ("Independence Day (substitute day)") learns from and teaches its holiday. */
const baseName = (name: string) => name.replace(/\s*\(substitute day\)$/i, '');

/**
 * Multipliers for holidays on target days. Each past holiday on an opening day gives a
 * ratio to the same weekday around it (0 when closed); a target holiday takes the median
 * ratio of its own past occurrences, else of every past holiday, else `fallback`.
 */
function getHolidayEffects(
  holidays: readonly Holiday[],
  ratios: ReadonlyMap<IsoDate, number>,
  targets: readonly IsoDate[],
  calendar: OpenCalendar,
  fallback: number,
): HolidayEffect[] {
  const byName = new Map<string, number[]>();
  const all: number[] = [];
  for (const h of holidays) {
    const r = ratios.get(h.date);
    if (r === undefined) continue;
    all.push(r);
    byName.set(baseName(h.name), [...(byName.get(baseName(h.name)) ?? []), r]);
  }
  const targetSet = new Set(targets);
  const effects: HolidayEffect[] = [];
  for (const h of holidays) {
    if (!targetSet.has(h.date) || !calendar.openWeekdays[weekdayOfDayNumber(dayNumberOf(h.date))] || effects.some((e) => e.date === h.date)) continue;
    const own = byName.get(baseName(h.name));
    if (own) effects.push({ date: h.date, name: h.name, multiplier: median(own), basis: 'same holiday', occurrences: own.length });
    else if (all.length > 0) effects.push({ date: h.date, name: h.name, multiplier: median(all), basis: 'other holidays', occurrences: all.length });
    else effects.push({ date: h.date, name: h.name, multiplier: fallback, basis: 'default', occurrences: 0 });
  }
  return effects;
}

/**
 * Turns a request into what methods work on. In order: the planner's special days (excluded
 * days leave history, multiplied days are divided back to normal); closures and unusual days
 * found in history (they leave every method's fit); public holidays (past ones leave the fit
 * and teach their effect, future ones get it); and usual opening days missing from history
 * count as closures, so "first day after a closure" is known.
 */
export function prepareRequest(request: ForecastRequest, settings: DetectionSettings = defaultDetectionSettings): PreparedRequest {
  const special = new Map<IsoDate, SpecialDay>((request.specialDays ?? []).map((s) => [s.date, s]));
  const normal = new Set(request.normalDays ?? []);
  const raw = request.history;
  const last = raw.length > 0 ? dayNumberOf(raw[raw.length - 1]!.date) : 0;
  const holidays = (request.holidays ?? []).filter((h) => !special.has(h.date) && !normal.has(h.date));
  const holidayDates = new Set(holidays.map((h) => h.date));

  // Closures first, on every weekday, so a weekday the centre exports as zeros is not an opening day.
  const skip = new Set([...special.keys(), ...normal, ...holidayDates]);
  const detect = request.detect ?? true;
  const firstPass = detect ? detectUnusualDays(raw, skip, { ...settings, minLogRatio: Infinity }) : [];
  const zero = new Set(detect ? raw.filter((d) => !skip.has(d.date) && getDayTotal(d) === 0).map((d) => d.date) : []);
  const closedDates = new Set([...firstPass.map((d) => d.date), ...zero]);
  const open = raw.filter((d) => !closedDates.has(d.date));
  const openWeekdays = getOpenWeekdays(open, last);
  const isUsual = (date: IsoDate) => openWeekdays[weekdayOfDayNumber(dayNumberOf(date))] === true;
  const expectationOf = createExpectation(open, settings.neighbours);

  const closed = new Set<number>();
  for (const s of special.values()) if (s.effect === 'multiply' && s.multiplier === 0) closed.add(dayNumberOf(s.date));
  const detected: DetectedDay[] = firstPass.filter((d) => isUsual(d.date));
  for (const date of zero) {
    if (isUsual(date) && !detected.some((d) => d.date === date)) detected.push({ date, kind: 'closed', total: 0, expected: expectationOf(date) ?? 0 });
  }
  const seen = new Set(open.map((d) => d.date));
  if (raw.length > 0) {
    for (let n = dayNumberOf(raw[0]!.date); n <= last; n++) {
      const date = dateOfDayNumber(n);
      if (!isUsual(date) || seen.has(date) || special.has(date) || normal.has(date)) continue;
      closed.add(n);
      if (!holidayDates.has(date) && detect && !closedDates.has(date)) detected.push({ date, kind: 'closed', total: 0, expected: expectationOf(date) ?? 0 });
    }
  }
  for (const d of detected) closed.add(dayNumberOf(d.date));

  // Holidays in history: a ratio to the weekday around them, then out of the fit.

  const holidayRatios = new Map<IsoDate, number>();
  for (const h of holidays) {
    const n = dayNumberOf(h.date);
    if (n > last || n < dayNumberOf(raw[0]?.date ?? h.date) || !isUsual(h.date)) continue;
    const e = expectationOf(h.date);
    const day = open.find((d) => d.date === h.date);
    const ratio = closed.has(n) || !day ? 0 : e !== null && e > 0 ? getDayTotal(day) / e : undefined;
    if (ratio === undefined) continue;
    holidayRatios.set(h.date, ratio < settings.closedShare ? 0 : ratio);
    if (ratio < settings.closedShare) closed.add(n);
  }
  const calendar: OpenCalendar = { openWeekdays, closed };

  // Unusual days: after closures are known, so the jump on the first days back is left to the methods.
  if (detect) {
    const afterClosure = new Set<IsoDate>();
    for (const n of closed) {
      let found = 0;
      for (let m = n + 1; m <= n + 7 && found < 2; m++) {
        if (isOpen(calendar, m)) {
          afterClosure.add(dateOfDayNumber(m));
          found++;
        }
      }
    }
    for (const d of detectUnusualDays(open, new Set([...skip, ...afterClosure]), settings)) if (d.kind === 'unusual') detected.push(d);
  }
  const unusual = new Set(detected.filter((d) => d.kind === 'unusual').map((d) => d.date));

  const history: Day[] = [];
  const profileExcluded = new Set<IsoDate>();
  for (const day of open) {
    if (unusual.has(day.date) || holidayDates.has(day.date)) continue;
    const s = special.get(day.date);
    if (s === undefined) history.push(day);
    else if (s.effect === 'multiply' && s.multiplier > 0) {
      history.push({ date: day.date, values: day.values.map((v) => v / s.multiplier) });
      profileExcluded.add(day.date);
    }
  }

  const skippedClosures = getSkippedClosures(request.targets, last, isUsual, (date) => special.has(date) || normal.has(date));
  for (const date of skippedClosures) closed.add(dayNumberOf(date));

  const holidayEffects = getHolidayEffects(holidays, holidayRatios, request.targets, calendar, request.holidayDefault ?? 0);
  const targetMultipliers = new Map<IsoDate, number>();
  for (const e of holidayEffects) targetMultipliers.set(e.date, e.multiplier);
  // A weekday the centre does not open on forecasts nothing, unless the planner marks the day (a one-off opening).
  for (const date of request.targets) if (!isUsual(date)) targetMultipliers.set(date, 0);
  for (const s of special.values()) if (s.effect === 'multiply') targetMultipliers.set(s.date, s.multiplier);
  for (const [date, m] of targetMultipliers) if (m === 0 && isUsual(date)) closed.add(dayNumberOf(date));
  detected.sort((a, b) => (a.date < b.date ? -1 : 1));
  return { history, targets: request.targets, calendar, profileExcluded, detected, holidayEffects, targetMultipliers, skippedClosures };
}

/** Multiplies each target's forecast by its multiplier (0 for a closure). */
export function applyTargetEffects(values: number[][], targets: readonly IsoDate[], multipliers: ReadonlyMap<IsoDate, number>): number[][] {
  return values.map((row, t) => {
    const m = multipliers.get(targets[t]!);
    return m === undefined ? row : row.map((v) => v * m);
  });
}

/**
 * Special days with their yearly repeats from `from` to `to`: a day marked `recursYearly`
 * applies on its month and day in every year of the range (not in years without that date,
 * such as 29 February). A day saved for a date itself wins over another's repeat.
 */
export function expandYearly(days: readonly (SpecialDay & { recursYearly?: boolean })[], from: IsoDate, to: IsoDate): SpecialDay[] {
  const out = new Map<IsoDate, SpecialDay>();
  for (const day of days) {
    if (!day.recursYearly) continue;
    for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
      const date = `${year}${day.date.slice(4)}`;
      if (date >= from && date <= to && isLocalDate(date)) out.set(date, { ...withoutRecurrence(day), date });
    }
  }
  for (const day of days) out.set(day.date, withoutRecurrence(day));
  return [...out.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

function withoutRecurrence(day: SpecialDay & { recursYearly?: boolean }): SpecialDay {
  return day.effect === 'multiply'
    ? { date: day.date, label: day.label, effect: 'multiply', multiplier: day.multiplier }
    : { date: day.date, label: day.label, effect: 'exclude' };
}
