import { mean, median } from 'simple-statistics';
import { dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import type { Day, ForecastMethod } from './types.ts';

/** The last `k` observed days of `weekday` in history (most recent first); fewer when history is short. */
function getLastSameWeekdays(history: readonly Day[], weekday: number, k: number): Day[] {
  const found: Day[] = [];
  for (let i = history.length - 1; i >= 0 && found.length < k; i--) {
    const day = history[i]!;
    if (weekdayOfDayNumber(dayNumberOf(day.date)) === weekday) found.push(day);
  }
  return found;
}

/**
 * Applies `combine` interval by interval over the last k same weekdays of each target. A
 * weekday never seen falls back to the last k days of any weekday, so a new pattern (a
 * first Saturday opening) still gets a forecast.
 */
function createSameWeekdayMethod(k: number, combine: (values: number[]) => number): ForecastMethod {
  return ({ history, targets }) =>
    targets.map((target) => {
      let days = getLastSameWeekdays(history, weekdayOfDayNumber(dayNumberOf(target)), k);
      if (days.length === 0) days = history.slice(-k);
      const width = history[0]?.values.length ?? 0;
      if (days.length === 0) return new Array<number>(width).fill(0);
      return Array.from({ length: width }, (_, i) => combine(days.map((d) => d.values[i]!)));
    });
}

/** Same weekday last week: the most recent observed day with the target's weekday. */
export const seasonalNaive: ForecastMethod = createSameWeekdayMethod(1, (v) => v[0]!);

export function createMeanOfSameWeekdays(k = 4): ForecastMethod {
  return createSameWeekdayMethod(k, mean);
}

export function createMedianOfSameWeekdays(k = 4): ForecastMethod {
  return createSameWeekdayMethod(k, median);
}
