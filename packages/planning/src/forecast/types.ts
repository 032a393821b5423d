import type { Holiday } from './holidays.ts';

/**
 * Shapes shared by the forecasting functions. A series (one queue × channel × measure) is a
 * list of observed days on one regular intraday grid: `values[i]` is interval i of the day.
 * Days the center was closed or has no data are simply absent.
 */

/** An ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export interface Day {
  date: IsoDate;
  values: readonly number[];
}

/**
 * A day the planner knows is unusual. `exclude`: drop it from history (an outage, a storm).
 * `multiply`: the day runs at that multiple of a normal day; its history is divided by it
 * and its forecast multiplied by it. A multiplier of 0 marks the center closed.
 */
export type SpecialDay = { date: IsoDate; label: string; effect: 'exclude' } | { date: IsoDate; label: string; effect: 'multiply'; multiplier: number };

export interface ForecastRequest {
  /** Observed days before the forecast, in date order, all with the same number of intervals. */
  history: readonly Day[];
  targets: readonly IsoDate[];
  specialDays?: readonly SpecialDay[];
  /** Public holidays over history and targets (see `listPublicHolidays`); their effect is learned from history. */
  holidays?: readonly Holiday[];
  /** Multiplier of a holiday when history shows no holiday at all on an opening day (default 0: closed). */
  holidayDefault?: number;
  /** Days the planner says were normal: never treated as closures or unusual. */
  normalDays?: readonly IsoDate[];
  /** Find closures and unusual days in history (default true; off for the reference baselines). */
  detect?: boolean;
}

/** Which days the center opens: its usual weekdays, minus known closures (as day numbers). */
export interface OpenCalendar {
  openWeekdays: readonly boolean[];
  closed: ReadonlySet<number>;
}

/** What a method sees once special days, holidays and detected days are dealt with (see `prepareRequest`). */
export interface MethodInput {
  /** History without excluded or closed days, multiplied days divided back to normal. */
  history: readonly Day[];
  targets: readonly IsoDate[];
  calendar: OpenCalendar;
  /** Special days kept for daily totals but left out of intraday profiles. */
  profileExcluded: ReadonlySet<IsoDate>;
}

/**
 * The effect a public holiday on a target day gets: its multiplier, learned from the same
 * holiday's past occurrences, else from the other holidays history holds, else the default.
 */
export interface HolidayEffect {
  date: IsoDate;
  name: string;
  multiplier: number;
  basis: 'same holiday' | 'other holidays' | 'default';
  /** Past occurrences on opening days the multiplier is the median of (0 for the default). */
  occurrences: number;
}

/** A statistical method: one array of interval values per target date, in target order. */
export type ForecastMethod = (input: MethodInput) => number[][];
