import { describe, expect, it } from 'vitest';
import { dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import { calendarEffectNames, createDailyProfileMethod, getCalendarFeatures, smoothShares } from './daily-profile.ts';
import { prepareRequest } from './special-days.ts';
import { createWeekdaySeries } from '../../test/series.ts';

// Four weeks: Mondays total 20 with shares .2/.2/.4/.2, other days total 10 with shares .1/.2/.4/.3.
const history = createWeekdaySeries('2024-01-01', 4, (date) => (weekdayOfDayNumber(dayNumberOf(date)) === 1 ? [4, 4, 8, 4] : [1, 2, 4, 3]));
const input = prepareRequest({ history, targets: ['2024-01-29', '2024-01-30'] });

describe('daily total × intraday profile', () => {
  it('reproduces an exact weekly pattern: weekday totals times same-weekday shares', () => {
    const method = createDailyProfileMethod({ calendarEffects: false, profileWeekdayWeight: 1, profileSmoothing: 0 });
    const [monday, tuesday] = method(input);
    [4, 4, 8, 4].forEach((v, i) => expect(monday![i]).toBeCloseTo(v, 5));
    [1, 2, 4, 3].forEach((v, i) => expect(tuesday![i]).toBeCloseTo(v, 5));
  });

  it('shrinks a weekday profile toward the profile of all recent days', () => {
    // The last 8 days before 01-29 hold 1 Monday and 7 other days:
    // all-day shares = [(7·.1 + .2)/8, .2, .4, (7·.3 + .2)/8] = [.1125, .2, .4, .2875];
    // Monday = 20 × (0.7 × [.2, .2, .4, .2] + 0.3 × that) = [3.475, 4, 8, 4.525].
    const method = createDailyProfileMethod({ calendarEffects: false, profileWeekdayWeight: 0.7, profileDays: 8, profileSmoothing: 0 });
    const [monday] = method(input);
    [3.475, 4, 8, 4.525].forEach((v, i) => expect(monday![i]).toBeCloseTo(v, 5));
  });

  it('moves the daily total with the recent level, not the long-run mean', () => {
    // Same pattern ×100, the last two weeks 50% higher: with a 14-day level window the Monday
    // total is the new 3,000 (totals are modelled as log(total + 1), hence "close").
    const stepped = history.map((d, i) => ({ date: d.date, values: d.values.map((v) => (i >= 10 ? v * 150 : v * 100)) }));
    const method = createDailyProfileMethod({ calendarEffects: false, levelWindowDays: 14, profileWeekdayWeight: 1, profileSmoothing: 0 });
    const [monday] = method(prepareRequest({ history: stepped, targets: ['2024-01-29'] }));
    expect(monday!.reduce((s, v) => s + v, 0)).toBeCloseTo(3000, 0);
  });
});

describe('calendar features', () => {
  // Monday to Friday, with 2003-09-01 (Labor Day) closed.
  const calendar = { openWeekdays: [false, true, true, true, true, true, false], closed: new Set([dayNumberOf('2003-09-01')]) };
  const features = (date: string) => Object.fromEntries(calendarEffectNames.map((name, i) => [name, getCalendarFeatures(calendar, dayNumberOf(date))[i]]));

  it('marks the month turn by opening days and the days after a closure', () => {
    expect(features('2003-08-29')).toMatchObject({ month_last_open_day: 1, month_open_day_1: 0 });
    expect(features('2003-09-02')).toMatchObject({ month_open_day_1: 1, after_closure_1: 1, after_closure_2: 0 });
    expect(features('2003-09-03')).toMatchObject({ month_open_day_2: 1, after_closure_1: 0, after_closure_2: 1 });
    expect(features('2003-09-05')).toMatchObject({ month_open_day_3: 0, after_closure_2: 0 });
    expect(Object.values(features('2003-09-10'))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('profile smoothing', () => {
  it('uses a triangular kernel and keeps the shares summing to one', () => {
    // Interior: (1·0 + 2·1 + 1·0) / 4 = 0.5; edges: (2·0 + 1·1) / 3 = 1/3; renormalised by 7/6.
    const out = smoothShares([0, 1, 0], 1);
    expect(out[0]).toBeCloseTo(2 / 7, 12);
    expect(out[1]).toBeCloseTo(3 / 7, 12);
    expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });
});
