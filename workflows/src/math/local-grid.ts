import { TZDate } from '@date-fns/tz';

/**
 * The tenant's local day cut into 15-minute slots: forecasts are made per local day (that
 * is where weekly and intraday patterns live) and stored per UTC interval.
 */

export const SLOT_MINUTES = 15;
export const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;

const pad = (n: number) => String(n).padStart(2, '0');

/** The local date and slot an instant falls in. On the autumn DST day two UTC hours share one local hour's slots. */
export function toLocalSlot(instant: Date, timezone: string): { date: string; slot: number } {
  const local = new TZDate(instant.getTime(), timezone);
  return {
    date: `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`,
    slot: Math.floor((local.getHours() * 60 + local.getMinutes()) / SLOT_MINUTES),
  };
}

/** The instant a local slot starts, or null for a slot the spring DST change skips. */
export function fromLocalSlot(date: string, slot: number, timezone: string): Date | null {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const minutes = slot * SLOT_MINUTES;
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  const local = new TZDate(y, m - 1, d, hour, minute, timezone);
  if (local.getHours() !== hour || local.getMinutes() !== minute || local.getDate() !== d) return null;
  return new Date(local.getTime());
}

/** `count` consecutive ISO dates from `start`. */
export function dateRange(start: string, count: number): string[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}
