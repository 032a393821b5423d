import { dayNumberOf, dateOfDayNumber, weekdayOfDayNumber } from '@switchboard/calendar';
import type { Day } from '../src/forecast/types.ts';

/** Weekdays from `from` for `weeks` weeks (Monday–Friday), values from `valuesOf(date, index)`. */
export function createWeekdaySeries(from: string, weeks: number, valuesOf: (date: string, index: number) => number[]): Day[] {
  const days: Day[] = [];
  const start = dayNumberOf(from);
  for (let n = start; n < start + weeks * 7; n++) {
    const weekday = weekdayOfDayNumber(n);
    if (weekday === 0 || weekday === 6) continue;
    const date = dateOfDayNumber(n);
    days.push({ date, values: valuesOf(date, days.length) });
  }
  return days;
}
