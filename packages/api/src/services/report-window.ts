import { TZDate } from '@date-fns/tz';
import type { ReportGrain } from '@switchboard/telemetry';
import { addDays, differenceInCalendarDays, parseISO, startOfWeek } from 'date-fns';

/** A report window: whole local days [from, to] of the tenant, as instants. */
export interface ReportWindow {
  from: Date;
  to: Date;
}

/** Local midnight of `day` (YYYY-MM-DD) in `timezone`. */
function localMidnight(day: string, timezone: string): TZDate {
  const d = parseISO(day);
  return new TZDate(d.getFullYear(), d.getMonth(), d.getDate(), timezone);
}

/** Whole local days `from` … `to` (inclusive) in the tenant's time zone. */
export function getReportWindow(from: string, to: string, timezone: string): ReportWindow {
  return { from: new Date(localMidnight(from, timezone).getTime()), to: new Date(addDays(localMidnight(to, timezone), 1).getTime()) };
}

/** The same local days one week earlier (DST-safe: local days, not 168 hours). */
export function getPreviousWeekWindow(from: string, to: string, timezone: string): ReportWindow {
  return {
    from: new Date(addDays(localMidnight(from, timezone), -7).getTime()),
    to: new Date(addDays(localMidnight(to, timezone), -6).getTime()),
  };
}

export function countDays(from: string, to: string): number {
  return differenceInCalendarDays(parseISO(to), parseISO(from)) + 1;
}

/**
 * Every bucket start of the window at a grain, so a chart shows a quiet interval as zero
 * and not as a gap. Buckets follow local time: days and weeks (from Monday) are local.
 */
export function listBuckets(window: ReportWindow, grain: ReportGrain, timezone: string): string[] {
  const out: string[] = [];
  const end = window.to.getTime();
  if (grain === 'day' || grain === 'week') {
    const first = new TZDate(window.from.getTime(), timezone);
    let day = grain === 'week' ? startOfWeek(first, { weekStartsOn: 1 }) : first;
    for (; day.getTime() < end; day = addDays(day, grain === 'week' ? 7 : 1)) out.push(new Date(day.getTime()).toISOString());
    return out;
  }
  const stepMs = { '15m': 15, '30m': 30, '60m': 60 }[grain] * 60_000;
  for (let t = window.from.getTime(); t < end; t += stepMs) out.push(new Date(t).toISOString());
  return out;
}
