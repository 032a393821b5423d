export const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Local time minus UTC at an instant, in ms (e.g. −4 h for New York in summer). */
export function getUtcOffsetMs(timeZone: string, utcMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of getFormatter(timeZone).formatToParts(utcMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const local = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  return local - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/** The center's calendar day (days since 1970-01-01, local) that contains an instant. */
export function getLocalDay(timeZone: string, utcMs: number): number {
  return Math.floor((utcMs + getUtcOffsetMs(timeZone, utcMs)) / DAY_MS);
}

/**
 * The instant a local day's clock times are counted from: local midnight, with the offset
 * of local noon. On a clock-change day that is an hour off at night but exact for every
 * time after the change (02:00), so shifts and opening hours stay right.
 */
export function getLocalMidnight(timeZone: string, day: number): number {
  const noonUtcGuess = day * DAY_MS + 12 * HOUR_MS;
  const offset = getUtcOffsetMs(timeZone, noonUtcGuess - getUtcOffsetMs(timeZone, noonUtcGuess));
  return day * DAY_MS - offset;
}

/** 0 = Sunday … 6 = Saturday, as in the center config. */
export function getWeekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
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
