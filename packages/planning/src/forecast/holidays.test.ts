import { describe, expect, it } from 'vitest';
import { dateOfDayNumber, dayNumberOf } from '@switchboard/calendar';
import { HolidayRegionError, listPublicHolidays, parseHolidayRegion } from './holidays.ts';
import { forecastSeries } from './forecast-series.ts';
import { prepareRequest } from './special-days.ts';
import { createCentre } from '../../test/centres.ts';
import type { Day, IsoDate } from './types.ts';

const sumOf = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
const datesFrom = (from: IsoDate, count: number) => Array.from({ length: count }, (_, k) => dateOfDayNumber(dayNumberOf(from) + k));

describe('parseHolidayRegion', () => {
  it('reads a country, or a country and region, in any case', () => {
    expect(parseHolidayRegion('US')).toEqual({ country: 'US' });
    expect(parseHolidayRegion('DE-BY')).toEqual({ country: 'DE', region: 'BY' });
    expect(parseHolidayRegion('GB-SCT')).toEqual({ country: 'GB', region: 'SCT' });
    expect(parseHolidayRegion('gb-sct')).toEqual({ country: 'GB', region: 'SCT' });
    expect(parseHolidayRegion(' us ')).toEqual({ country: 'US' });
  });

  it('refuses malformed codes and unknown countries', () => {
    expect(() => parseHolidayRegion('USA')).toThrow(HolidayRegionError);
    expect(() => parseHolidayRegion('US-')).toThrow('"US-" is not a region like US, GB-SCT or DE-BY');
    expect(() => parseHolidayRegion('')).toThrow(HolidayRegionError);
    expect(() => parseHolidayRegion('XX')).toThrow('"XX" is not a country the holiday calendar knows');
    expect(() => parseHolidayRegion('zz-by')).toThrow('"ZZ" is not a country');
  });

  it('refuses an unknown region and lists the valid ones', () => {
    let error: unknown;
    try {
      parseHolidayRegion('DE-XY');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HolidayRegionError);
    const message = (error as Error).message;
    expect(message).toContain('"XY" is not a region of DE');
    for (const state of ['BW', 'BY', 'BE', 'HH', 'NW', 'SN', 'TH']) expect(message).toContain(state);
    expect(() => parseHolidayRegion('IL-ABC')).toThrow('"ABC" is not a region of IL; use the country code alone');
  });
});

describe('listPublicHolidays', () => {
  it('lists US public holidays of 2025 without observances or optional days', () => {
    const list = listPublicHolidays('US', '2025-01-01', '2025-12-31');
    expect(list).toContainEqual({ date: '2025-11-27', name: 'Thanksgiving Day' });
    expect(list).toContainEqual({ date: '2025-07-04', name: 'Independence Day' });
    expect(list).toContainEqual({ date: '2025-01-20', name: 'Martin Luther King Jr. Day' });
    expect(list).toHaveLength(11);
    const dates = list.map((h) => h.date);
    // Valentine's Day, Easter Sunday, Halloween, the day after Thanksgiving (observances), Christmas Eve (optional).
    for (const date of ['2025-02-14', '2025-04-20', '2025-10-31', '2025-11-28', '2025-12-24']) expect(dates).not.toContain(date);
    expect(dates).toEqual([...dates].sort());
  });

  it('keeps to the dates asked for, across years, substitute days included', () => {
    expect(listPublicHolidays('US', '2024-12-25', '2025-01-01')).toEqual([
      { date: '2024-12-25', name: 'Christmas Day' },
      { date: '2025-01-01', name: "New Year's Day" },
    ]);
    expect(listPublicHolidays('US', '2026-07-01', '2026-07-10')).toEqual([
      { date: '2026-07-03', name: 'Independence Day (substitute day)' },
      { date: '2026-07-04', name: 'Independence Day' },
    ]);
  });

  it('adds a region’s own holidays to its country’s', () => {
    const germany = listPublicHolidays('DE', '2025-01-01', '2025-12-31').map((h) => h.date);
    const bavaria = listPublicHolidays('de-by', '2025-01-01', '2025-12-31').map((h) => h.date);
    expect(germany).not.toContain('2025-01-06');
    expect(bavaria).toContain('2025-01-06'); // Epiphany
    for (const date of germany) expect(bavaria).toContain(date);
    expect(listPublicHolidays('GB-SCT', '2025-01-01', '2025-01-31').map((h) => h.date)).toEqual(['2025-01-01', '2025-01-02']);
  });

  it('names Israeli holidays in English', () => {
    const list = listPublicHolidays('IL', '2025-01-01', '2025-12-31');
    expect(list.length).toBeGreaterThan(5);
    for (const h of list) expect(h.name).toMatch(/^[\x20-\x7e]+$/);
    expect(list).toContainEqual({ date: '2025-10-02', name: 'Day of Atonement (Yom Kippur)' });
  });

  it('refuses a bad region code', () => {
    expect(() => listPublicHolidays('DE-XY', '2025-01-01', '2025-12-31')).toThrow(HolidayRegionError);
  });
});

describe('holiday effects', () => {
  const holidays = listPublicHolidays('US', '2024-08-01', '2026-01-31');
  const holidayDates = new Set(holidays.map((h) => h.date));

  /** A Monday–Friday centre closed on public holidays, the next opening day carrying `backlog` times its volume. */
  function createClosedOnHolidays(seed: number, firstDate: IsoDate, weeks: number, backlog = 1): Day[] {
    const days: Day[] = [];
    let afterHoliday = false;
    for (const day of createCentre({ shape: 'mon-fri', seed, firstDate, weeks }).days) {
      if (holidayDates.has(day.date)) {
        afterHoliday = true;
        continue;
      }
      days.push(afterHoliday ? { date: day.date, values: day.values.map((v) => Math.round(v * backlog)) } : day);
      afterHoliday = false;
    }
    return days;
  }

  it('closes a target holiday the centre closed on last year: same holiday', () => {
    // 2024-09-03 to 2025-10-24; Thanksgiving and Veterans Day 2024 were closed.
    const history = createClosedOnHolidays(1, '2024-09-02', 60).filter((d) => d.date < '2025-10-27');
    const targets = datesFrom('2025-11-10', 21);
    const prepared = prepareRequest({ history, targets, holidays });
    expect(prepared.holidayEffects).toEqual([
      { date: '2025-11-11', name: 'Veterans Day', multiplier: 0, basis: 'same holiday', occurrences: 1 },
      { date: '2025-11-27', name: 'Thanksgiving Day', multiplier: 0, basis: 'same holiday', occurrences: 1 },
    ]);
    // Past holidays are closures, not detected days; the holidays leave history.
    expect(prepared.detected).toEqual([]);
    expect(prepared.calendar.closed.has(dayNumberOf('2024-11-28'))).toBe(true);
    expect(prepared.calendar.closed.has(dayNumberOf('2025-11-27'))).toBe(true);

    const result = forecastSeries({ history, targets, holidays }, { method: 'median4' });
    expect(result.holidayEffects).toEqual(prepared.holidayEffects);
    const byDate = new Map(result.days.map((d) => [d.date, d]));
    for (const date of ['2025-11-11', '2025-11-27']) {
      expect(byDate.get(date)!.values.every((v) => v === 0)).toBe(true);
      expect(byDate.get(date)!.hi80.every((v) => v === 0)).toBe(true);
    }
    expect(sumOf(byDate.get('2025-11-20')!.values)).toBeGreaterThan(1000);
  });

  it('learns from other holidays when the target holiday is not in history', () => {
    // 2024-09-03 to 2024-12-20: Columbus Day, Veterans Day and Thanksgiving closed (Labor Day is before history).
    const history = createClosedOnHolidays(2, '2024-09-02', 16);
    const prepared = prepareRequest({ history, targets: datesFrom('2025-01-13', 12), holidays });
    expect(prepared.holidayEffects).toEqual([
      { date: '2025-01-20', name: 'Martin Luther King Jr. Day', multiplier: 0, basis: 'other holidays', occurrences: 3 },
    ]);
    expect(prepared.targetMultipliers.get('2025-01-20')).toBe(0);
  });

  it('falls back to the default when history holds no holiday', () => {
    // 2025-02-24 to 2025-05-23: no US public holiday.
    const history = createCentre({ shape: 'mon-fri', seed: 3, firstDate: '2025-02-24', weeks: 13 }).days;
    const targets = datesFrom('2025-05-26', 5);
    const closedByDefault = prepareRequest({ history, targets, holidays });
    expect(closedByDefault.holidayEffects).toEqual([{ date: '2025-05-26', name: 'Memorial Day', multiplier: 0, basis: 'default', occurrences: 0 }]);
    const halfOpen = prepareRequest({ history, targets, holidays, holidayDefault: 0.3 });
    expect(halfOpen.holidayEffects).toEqual([{ date: '2025-05-26', name: 'Memorial Day', multiplier: 0.3, basis: 'default', occurrences: 0 }]);

    const result = forecastSeries({ history, targets, holidays, holidayDefault: 0.3 }, { method: 'median4' });
    const memorial = sumOf(result.days[0]!.values);
    const plain = sumOf(forecastSeries({ history, targets }, { method: 'median4' }).days[0]!.values);
    expect(memorial / plain).toBeCloseTo(0.3, 6);
  });

  it('learns a 24/7 centre running at half volume on holidays', () => {
    const centre = createCentre({ shape: 'always-open', seed: 4, firstDate: '2024-08-05', weeks: 26 });
    const history = centre.days.map((d) => (holidayDates.has(d.date) ? { date: d.date, values: d.values.map((v) => Math.round(v * 0.5)) } : d));
    const targets = datesFrom('2025-02-03', 15);
    const result = forecastSeries({ history, targets, holidays });
    // Labor Day, Columbus Day, Veterans Day, Thanksgiving, Christmas, New Year, MLK Day: Washington's Birthday is new.
    expect(result.holidayEffects).toHaveLength(1);
    const [effect] = result.holidayEffects;
    expect(effect).toMatchObject({ date: '2025-02-17', name: "Washington's Birthday", basis: 'other holidays', occurrences: 7 });
    expect(effect!.multiplier).toBeGreaterThan(0.42);
    expect(effect!.multiplier).toBeLessThan(0.58);
    // Half-volume holidays are neither closures nor unusual days: they leave history as holidays.
    expect(result.detected).toEqual([]);
    const total = (date: IsoDate) => sumOf(result.days.find((d) => d.date === date)!.values);
    const ratio = total('2025-02-17') / total('2025-02-10');
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(0.6);
  });

  it('forecasts the backlog after a closed target holiday when history shows it', () => {
    // Each holiday closed, the next opening day at +30%: Columbus Day to MLK Day 2025 give six such days.
    const history = createClosedOnHolidays(5, '2024-09-02', 22, 1.3);
    const targets = datesFrom('2025-02-10', 19);
    const result = forecastSeries({ history, targets, holidays });
    expect(result.holidayEffects.map((e) => [e.date, e.multiplier, e.basis])).toEqual([['2025-02-17', 0, 'other holidays']]);
    const total = (date: IsoDate) => sumOf(result.days.find((d) => d.date === date)!.values);
    expect(total('2025-02-17')).toBe(0);
    // Tuesday after Washington's Birthday against the Tuesdays around it.
    expect(total('2025-02-18') / total('2025-02-25')).toBeGreaterThan(1.12);
    expect(total('2025-02-18') / total('2025-02-11')).toBeGreaterThan(1.12);
    // Without the backlog in history there is no bump to forecast.
    const flat = forecastSeries({ history: createClosedOnHolidays(5, '2024-09-02', 22), targets, holidays });
    const flatTotal = (date: IsoDate) => sumOf(flat.days.find((d) => d.date === date)!.values);
    expect(flatTotal('2025-02-18') / flatTotal('2025-02-25')).toBeLessThan(1.06);
  });

  it('lets a planner special day on the same date win over the holiday', () => {
    const history = createClosedOnHolidays(6, '2024-09-02', 16);
    const targets = datesFrom('2025-01-13', 12);
    const request = { history, targets, holidays };
    const plain = prepareRequest(request);
    expect(plain.targetMultipliers.get('2025-01-20')).toBe(0);

    const special = prepareRequest({ ...request, specialDays: [{ date: '2025-01-20', label: 'open for MLK Day', effect: 'multiply', multiplier: 1.5 }] });
    expect(special.holidayEffects).toEqual([]);
    expect(special.targetMultipliers.get('2025-01-20')).toBe(1.5);
    expect(special.calendar.closed.has(dayNumberOf('2025-01-20'))).toBe(false);

    const result = forecastSeries(
      { ...request, specialDays: [{ date: '2025-01-20', label: 'open for MLK Day', effect: 'multiply', multiplier: 1.5 }] },
      { method: 'median4' },
    );
    const mlk = sumOf(result.days.find((d) => d.date === '2025-01-20')!.values);
    const monday = sumOf(result.days.find((d) => d.date === '2025-01-13')!.values);
    expect(mlk / monday).toBeCloseTo(1.5, 6);
  });
});
