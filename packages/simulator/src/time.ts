import { addLocalDays, daysBetween, localDateOf, utcOffsetMs, weekdayOf } from '@switchboard/calendar';

export const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The simulator counts local days as day numbers (days since 1970-01-01, local) because
 * it walks them in a loop; the calendar module does the time zone work.
 */
const EPOCH = '1970-01-01';

/** The center's calendar day (days since 1970-01-01, local) that contains an instant. */
export function getLocalDay(timeZone: string, utcMs: number): number {
  return daysBetween(EPOCH, localDateOf(utcMs, timeZone));
}

/**
 * The instant a local day's clock times are counted from: local midnight, with the offset
 * of local noon. On a clock-change day that is an hour off at night but exact for every
 * time after the change (02:00), so shifts and opening hours stay right; on other days it is
 * the calendar's localDayStart (rng.test.ts holds it to both).
 */
export function getLocalMidnight(timeZone: string, day: number): number {
  const noonUtcGuess = day * DAY_MS + 12 * HOUR_MS;
  const offset = utcOffsetMs(noonUtcGuess - utcOffsetMs(noonUtcGuess, timeZone), timeZone);
  return day * DAY_MS - offset;
}

/** The local date (YYYY-MM-DD) of a day number, as schedules name shift dates. */
export function getLocalDate(day: number): string {
  return addLocalDays(EPOCH, day);
}

/** 0 = Sunday … 6 = Saturday, as in the center config. */
export function getWeekday(day: number): number {
  return weekdayOf(addLocalDays(EPOCH, day));
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * ISO 8601 UTC formatting for the hot path: the date part is cached per day and the last
 * result is reused, because many events share a timestamp.
 */
export class IsoFormatter {
  #dayStart = Number.NaN;
  #prefix = '';
  #lastMs = Number.NaN;
  #last = '';

  format(ms: number): string {
    if (ms === this.#lastMs) return this.#last;
    const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
    if (dayStart !== this.#dayStart) {
      this.#dayStart = dayStart;
      this.#prefix = new Date(dayStart).toISOString().slice(0, 11);
    }
    let rest = ms - dayStart;
    const hours = Math.floor(rest / HOUR_MS);
    rest -= hours * HOUR_MS;
    const minutes = Math.floor(rest / MINUTE_MS);
    rest -= minutes * MINUTE_MS;
    const seconds = Math.floor(rest / 1000);
    this.#last = `${this.#prefix}${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.${THREE[rest - seconds * 1000]}Z`;
    this.#lastMs = ms;
    return this.#last;
  }
}
