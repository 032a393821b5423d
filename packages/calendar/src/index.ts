import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays } from 'date-fns';

/**
 * The tenant's calendar: every tenant-local date, day, slot, week and report bucket in
 * the product comes from here. Local days run from 23 to 25 hours (23.5 and 24.5 on Lord
 * Howe Island), offsets can be +05:30 or +05:45, and a local clock can repeat or skip
 * part of an hour: nothing here assumes a day is 24 hours or that local hours start on
 * UTC hours. Pure: time zone data comes from the runtime's Intl through @date-fns/tz.
 */

/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

/** Minutes per slot of a local grid. */
export type SlotMinutes = 15 | 30 | 60;

/** 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number) => String(n).padStart(2, '0');

function parts(date: LocalDate): [number, number, number] {
  const m = LOCAL_DATE.exec(date);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  // Date.UTC rolls 2026-02-30 over into March: a date must come back as itself.
  if (!m || new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d || mo < 1 || mo > 12) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return [y, mo, d];
}

/** Forecast backtests look up the same few hundred dates many times over: parsing dominated. */
const dayNumbers = new Map<LocalDate, number>();

/**
 * Days since 1970-01-01 of a calendar date: what code that walks many days counts in
 * (calendar arithmetic needs no time zone).
 */
export function dayNumberOf(date: LocalDate): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    const [y, m, d] = parts(date);
    n = Date.UTC(y, m - 1, d) / DAY_MS;
    dayNumbers.set(date, n);
  }
  return n;
}

/** The calendar date of a day number (see dayNumberOf). */
export function dateOfDayNumber(n: number): LocalDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The weekday of a day number (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(n: number): Weekday {
  return ((((n + 4) % 7) + 7) % 7) as Weekday;
}

/** Whether `text` is a calendar date, `YYYY-MM-DD`. */
export function isLocalDate(text: string): boolean {
  try {
    parts(text);
    return true;
  } catch {
    return false;
  }
}

const ms = (instant: Date | number) => (typeof instant === 'number' ? instant : instant.getTime());

/** Whether the runtime knows `timezone` as an IANA time zone (`Europe/London`, `UTC`). */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Local time minus UTC at an instant, in milliseconds (+05:45 → 20,700,000). */
export function utcOffsetMs(instant: Date | number, timezone: string): number {
  return tzOffset(timezone, new Date(ms(instant))) * MINUTE_MS;
}

/** The local date an instant falls on. */
export function localDateOf(instant: Date | number, timezone: string): LocalDate {
  const local = new TZDate(ms(instant), timezone);
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** `date` plus `days` calendar days (negative goes back). */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  return dateOfDayNumber(dayNumberOf(date) + days);
}

/** `count` consecutive dates from `start`. */
export function localDateRange(start: LocalDate, count: number): LocalDate[] {
  const first = dayNumberOf(start);
  return Array.from({ length: count }, (_, i) => dateOfDayNumber(first + i));
}

/** Calendar days from `from` to `to` (0 when equal, negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumberOf(to) - dayNumberOf(from);
}

/** The weekday of a date. */
export function weekdayOf(date: LocalDate): Weekday {
  return weekdayOfDayNumber(dayNumberOf(date));
}

/** The first date of the week holding `date`, for a tenant whose weeks start on `weekStart`. */
export function localWeekStart(date: LocalDate, weekStart: Weekday): LocalDate {
  return addLocalDays(date, -((weekdayOf(date) - weekStart + 7) % 7));
}

/**
 * The first instant of a local day: local midnight, or where a clock change skips
 * midnight (Santiago, Havana), the first instant the day has.
 */
export function localDayStart(date: LocalDate, timezone: string): Date {
  const [y, m, d] = parts(date);
  return new Date(new TZDate(y, m - 1, d, timezone).getTime());
}

/** A stretch of time [from, to). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** The local day `date` as instants: from 23 to 25 hours long. */
export function localDay(date: LocalDate, timezone: string): TimeRange {
  return localDays(date, 1, timezone);
}

/** `days` local days from `date` as instants. */
export function localDays(date: LocalDate, days: number, timezone: string): TimeRange {
  return { from: localDayStart(date, timezone), to: localDayStart(addLocalDays(date, days), timezone) };
}

/** The whole local days `first` … `last` (inclusive) as instants: what a report covers. */
export function localDateSpan(first: LocalDate, last: LocalDate, timezone: string): TimeRange {
  return localDays(first, daysBetween(first, last) + 1, timezone);
}

/** The start of the local day that holds `instant`. */
export function localDayStartOf(instant: Date | number, timezone: string): Date {
  return localDayStart(localDateOf(instant, timezone), timezone);
}

/** Hours in a local day: 24, or 23/25 (23.5/24.5 on Lord Howe) on a clock-change day. */
export function localDayHours(date: LocalDate, timezone: string): number {
  const { from, to } = localDay(date, timezone);
  return (to.getTime() - from.getTime()) / 3_600_000;
}

/** Minutes past local midnight on the local clock at an instant (a repeated hour repeats). */
function clockMinutes(instant: number, timezone: string): number {
  const wall = instant + utcOffsetMs(instant, timezone);
  return Math.floor((((wall % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/**
 * The first instant in (after, until] whose UTC offset differs from the one at `after`,
 * or null. Slots are at most an hour long, and no zone changes its offset twice in one.
 */
function offsetChange(after: number, until: number, timezone: string): number | null {
  const before = utcOffsetMs(after, timezone);
  if (utcOffsetMs(until, timezone) === before) return null;
  let lo = after;
  let hi = until;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (utcOffsetMs(mid, timezone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** One slot of a local day's grid. */
export interface LocalSlot {
  start: Date;
  end: Date;
  /**
   * The slot's place on the local clock, 0 … 24·60/minutes − 1: 10:00–10:15 is slot 40
   * on every day, so patterns line up across days. A repeated hour's slots share numbers;
   * a skipped hour's numbers are absent.
   */
  slot: number;
}

/**
 * The slots of a local day at a grid of `minutes`, each a stretch of real time: 92
 * quarter-hours on New York's spring-forward day, 100 on its fall-back day. A slot ends
 * at the next grid line of the local clock or at a clock change, so where the clock moves
 * by half an hour (Lord Howe) an hourly grid has a half slot.
 */
export function localDaySlots(date: LocalDate, timezone: string, minutes: SlotMinutes = 15): LocalSlot[] {
  const { from, to } = localDay(date, timezone);
  const end = to.getTime();
  const out: LocalSlot[] = [];
  for (let t = from.getTime(); t < end;) {
    const clock = clockMinutes(t, timezone);
    const wall = t + utcOffsetMs(t, timezone);
    const intoMinute = ((wall % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
    const gridLine = Math.min(end, t + ((Math.floor(clock / minutes) + 1) * minutes - clock) * MINUTE_MS - intoMinute);
    const next = offsetChange(t, gridLine, timezone) ?? gridLine;
    out.push({ start: new Date(t), end: new Date(next), slot: Math.floor(clock / minutes) });
    t = next;
  }
  return out;
}

/** The local date and clock slot an instant falls in (see LocalSlot.slot). */
export function toLocalSlot(instant: Date | number, timezone: string, minutes: SlotMinutes = 15): { date: LocalDate; slot: number } {
  return { date: localDateOf(instant, timezone), slot: Math.floor(clockMinutes(ms(instant), timezone) / minutes) };
}

/**
 * The instant clock slot `slot` of a local day starts (its first occurrence on a day that
 * repeats it), or null when the day skips it entirely.
 */
export function fromLocalSlot(date: LocalDate, slot: number, timezone: string, minutes: SlotMinutes = 15): Date | null {
  return localDaySlots(date, timezone, minutes).find((s) => s.slot === slot)?.start ?? null;
}

/** The same local clock time `days` local days later (DST-safe: not days × 24 hours). */
export function shiftLocalDays(instant: Date | number, days: number, timezone: string): Date {
  return new Date(addDays(new TZDate(ms(instant), timezone), days).getTime());
}

/** A report's grain: a local slot grid, local days or the tenant's weeks. */
export type BucketGrain = '15m' | '30m' | '60m' | 'day' | 'week';

const gridMinutes: Record<'15m' | '30m' | '60m', SlotMinutes> = { '15m': 15, '30m': 30, '60m': 60 };

/**
 * Every bucket start of the local days [first, last], so that a chart shows a quiet bucket
 * as zero rather than a gap: slots of the local grid, local days, or the weeks (starting
 * on `weekStart`) that hold those days.
 */
export function localBuckets(first: LocalDate, last: LocalDate, grain: BucketGrain, timezone: string, weekStart: Weekday = 1): Date[] {
  const days = localDateRange(first, daysBetween(first, last) + 1);
  if (grain === 'day') return days.map((d) => localDayStart(d, timezone));
  if (grain === 'week') {
    const weeks = [...new Set(days.map((d) => localWeekStart(d, weekStart)))];
    return weeks.map((d) => localDayStart(d, timezone));
  }
  return days.flatMap((d) => localDaySlots(d, timezone, gridMinutes[grain]).map((s) => s.start));
}

/** The bucket start an instant falls in, at a grain (as localBuckets lists them). */
export function localBucketOf(instant: Date | number, grain: BucketGrain, timezone: string, weekStart: Weekday = 1): Date {
  if (grain === 'day') return localDayStart(localDateOf(instant, timezone), timezone);
  if (grain === 'week') return localDayStart(localWeekStart(localDateOf(instant, timezone), weekStart), timezone);
  // Without walking the day's slots (reports name hundreds of buckets): the last grid line of
  // the local clock at or before the instant, unless the clock changed after it, in which
  // case the slot starts at the change (as localDaySlots cuts it).
  const t = ms(instant);
  const offset = utcOffsetMs(t, timezone);
  const wall = t + offset;
  const gridLine = t - (clockMinutes(t, timezone) % gridMinutes[grain]) * MINUTE_MS - (((wall % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
  return new Date(utcOffsetMs(gridLine, timezone) === offset ? gridLine : offsetChange(gridLine, t, timezone)!);
}

/** The same local days one week earlier, as instants: what a report compares with. */
export function sameDaysLastWeek(first: LocalDate, last: LocalDate, timezone: string): TimeRange {
  return localDateSpan(addLocalDays(first, -7), addLocalDays(last, -7), timezone);
}
