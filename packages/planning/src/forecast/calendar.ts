import type { IsoDate } from './types.ts';

const DAY_MS = 86_400_000;

/** Backtests look up the same few hundred dates many times over; parsing them dominated. */
const dayNumbers = new Map<IsoDate, number>();

/** Days since 1970-01-01 for an ISO date; the whole module counts in these. */
export function getDayNumber(date: IsoDate): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new Error(`"${date}" is not a YYYY-MM-DD date`);
  }
  dayNumbers.set(date, ms / DAY_MS);
  return ms / DAY_MS;
}

export function getIsoDate(dayNumber: number): IsoDate {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function getWeekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isIsoDate(text: string): boolean {
  try {
    getDayNumber(text);
    return true;
  } catch {
    return false;
  }
}
