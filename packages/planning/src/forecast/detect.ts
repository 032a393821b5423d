import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import type { Day, IsoDate } from './types.ts';

/**
 * A day the forecaster found unusual in history without being told: `closed` (nothing, or
 * next to nothing, on a normally open day) or `unusual` (far below or above what its
 * weekday predicts: an outage, a promotion). `expected` is the median of the same weekday
 * in the weeks around it.
 */
export interface DetectedDay {
  date: IsoDate;
  kind: 'closed' | 'unusual';
  total: number;
  expected: number;
}

export interface DetectionSettings {
  /** A day below this share of its expected total is a closure. */
  closedShare: number;
  /** Smallest |log(total / expected)| counted as unusual, whatever the series' own spread. */
  minLogRatio: number;
  /** Robust standard deviations of the series' log ratios counted as unusual. */
  spreadMultiple: number;
  /** Longest run of consecutive unusual days (in one direction) still counted as an event and not a new level. */
  maxRunDays: number;
  /** Same-weekday neighbours on each side the expected total is the median of. */
  neighbours: number;
}

export const defaultDetectionSettings: DetectionSettings = {
  closedShare: 0.1,
  minLogRatio: 0.25,
  spreadMultiple: 4,
  maxRunDays: 4,
  neighbours: 4,
};

/** Counting noise a day may show before it can be unusual: its total within this many √expected of expected is normal. */
const POISSON_DEVIATIONS = 4;

/** Backtest origins slice the same day objects over and over: their totals are kept. */
const dayTotals = new WeakMap<Day, number>();

/** A day's total over its intervals (kept per day object). */
export function getDayTotal(day: Day): number {
  let total = dayTotals.get(day);
  if (total === undefined) {
    total = 0;
    for (const v of day.values) total += v;
    dayTotals.set(day, total);
  }
  return total;
}

/**
 * What a normal day would have totalled on any date, from `days`: the median total of up to
 * `k` same-weekday days on each side (the date itself left out), within five weeks. Null
 * with fewer than three such days, where a median is not yet robust to one odd day.
 */
export function createExpectation(days: readonly Day[], k: number = defaultDetectionSettings.neighbours): (date: IsoDate) => number | null {
  const byWeekday = new Map<number, { n: number; total: number }[]>();
  for (const d of days) {
    const n = dayNumberOf(d.date);
    let list = byWeekday.get(weekdayOfDayNumber(n));
    if (!list) byWeekday.set(weekdayOfDayNumber(n), (list = []));
    list.push({ n, total: getDayTotal(d) });
  }
  return (date) => {
    const n = dayNumberOf(date);
    const list = byWeekday.get(weekdayOfDayNumber(n)) ?? [];
    let position = list.findIndex((d) => d.n >= n);
    if (position < 0) position = list.length;
    const around: number[] = [];
    for (let j = position - 1; j >= 0 && j >= position - k; j--) if (n - list[j]!.n <= 35) around.push(list[j]!.total);
    const after = list[position]?.n === n ? position + 1 : position;
    for (let j = after; j < list.length && j < after + k; j++) if (list[j]!.n - n <= 35) around.push(list[j]!.total);
    return around.length >= 3 ? median(around) : null;
  };
}

/**
 * Finds closures and unusual days in a history (in date order). A closure is any day far
 * below its expectation; an unusual day is one whose log ratio to its expectation exceeds
 * both a floor and a multiple of the series' own robust spread, in a run short enough to be
 * an event (a longer run is a change of level the forecast should follow). `skip` holds
 * days the planner has already described or said are normal, and days whose jump a method
 * models (the first days after a closure).
 */
export function detectUnusualDays(days: readonly Day[], skip: ReadonlySet<IsoDate>, settings: DetectionSettings = defaultDetectionSettings): DetectedDay[] {
  const totals = days.map(getDayTotal);
  const expectationOf = createExpectation(days, settings.neighbours);
  const expected = days.map((d) => expectationOf(d.date));
  const found: DetectedDay[] = [];
  const logRatios: (number | null)[] = days.map((d, i) => {
    const e = expected[i]!;
    if (e === null || e <= 0 || skip.has(d.date)) return null;
    if (totals[i]! < settings.closedShare * e) {
      found.push({ date: d.date, kind: 'closed', total: totals[i]!, expected: e });
      return null;
    }
    return Math.log(totals[i]! / e);
  });
  // A quiet day's count is noisy on its own: a gap within a few Poisson deviations is no news.
  const beyond = (i: number, limit: number) =>
    Math.abs(logRatios[i]!) > limit && Math.abs(totals[i]! - expected[i]!) > POISSON_DEVIATIONS * Math.sqrt(expected[i]!);
  const usable = logRatios.filter((r): r is number => r !== null);
  if (usable.length < 10) return found;
  const threshold = Math.max(settings.minLogRatio, settings.spreadMultiple * 1.4826 * medianAbsoluteDeviation(usable));

  // Runs have hysteresis: one starts beyond the threshold and goes on while days stay beyond
  // half of it in the same direction, so a noisy change of level is one long run, not a few
  // short ones split by a day that fell just short.
  let run: number[] = [];
  let sign = 0;
  const closeRun = (atEnd: boolean) => {
    // A run still going at the end of history may be a new level: only a short one is an event.
    const limit = atEnd ? Math.min(2, settings.maxRunDays) : settings.maxRunDays;
    if (run.length > 0 && run.length <= limit) {
      for (const i of run) if (beyond(i, threshold)) found.push({ date: days[i]!.date, kind: 'unusual', total: totals[i]!, expected: expected[i]! });
    }
    run = [];
    sign = 0;
  };
  logRatios.forEach((r, i) => {
    if (r === null) return;
    if (sign !== 0 && Math.sign(r) === sign && Math.abs(r) > threshold / 2) {
      run.push(i);
      return;
    }
    closeRun(false);
    if (beyond(i, threshold)) {
      run.push(i);
      sign = Math.sign(r);
    }
  });
  closeRun(true);
  return found.sort((a, b) => (a.date < b.date ? -1 : 1));
}
