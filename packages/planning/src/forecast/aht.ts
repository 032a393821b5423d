import { dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import type { IsoDate, SpecialDay } from './types.ts';

/** Handled contacts and their summed handle time per interval of one day (additive sums, never averages). */
interface HandleDay {
  date: IsoDate;
  handled: readonly number[];
  handleSeconds: readonly number[];
}

export interface AhtForecastRequest {
  history: readonly HandleDay[];
  targets: readonly IsoDate[];
  specialDays?: readonly SpecialDay[];
  /** Same-weekday days pooled (default 6). */
  days?: number;
  /**
   * Contacts of pseudo-volume at the day's AHT blended into each interval (default 30): an
   * interval with few contacts leans on the daily figure, a busy one on its own.
   */
  priorContacts?: number;
}

/**
 * Handle time per contact for each interval of each target: the ratio of summed handle time
 * to contacts over the last same weekdays, shrunk toward those days' all-day AHT, which is
 * itself shrunk toward the AHT of all recent days when the weekday is thin. Special days
 * are left out: their mix of contact reasons is not a normal day's.
 */
export function forecastAht(request: AhtForecastRequest): number[][] {
  const k = request.days ?? 6;
  const prior = request.priorContacts ?? 30;
  const special = new Set((request.specialDays ?? []).map((s) => s.date));
  const usable = request.history.filter((d) => !special.has(d.date));
  const width = request.history[0]?.handled.length ?? 0;
  const recent = usable.slice(-k);
  const overall = getRatio(recent, 0, 0);
  return request.targets.map((target) => {
    const weekday = weekdayOfDayNumber(dayNumberOf(target));
    const same = usable.filter((d) => weekdayOfDayNumber(dayNumberOf(d.date)) === weekday).slice(-k);
    const daily = getRatio(same, overall, prior);
    return Array.from({ length: width }, (_, i) => {
      let contacts = 0;
      let seconds = 0;
      for (const d of same) {
        contacts += d.handled[i]!;
        seconds += d.handleSeconds[i]!;
      }
      return (seconds + prior * daily) / (contacts + prior);
    });
  });
}

function getRatio(days: readonly HandleDay[], fallback: number, prior: number): number {
  let contacts = 0;
  let seconds = 0;
  for (const d of days) {
    for (let i = 0; i < d.handled.length; i++) {
      contacts += d.handled[i]!;
      seconds += d.handleSeconds[i]!;
    }
  }
  return contacts + prior > 0 ? (seconds + prior * fallback) / (contacts + prior) : fallback;
}
