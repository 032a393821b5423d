import { describe, expect, it } from 'vitest';
import { dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import { calendarEffectNames, chooseProfileWindow, createDailyProfileMethod, getCalendarFeatures, smoothShares } from './daily-profile.ts';
import { createSeededRandom, drawPoisson } from '../random.ts';
import { prepareRequest } from './special-days.ts';
import { createWeekdaySeries } from '../../test/series.ts';

// Four weeks: Mondays total 20 with shares .2/.2/.4/.2, other days total 10 with shares .1/.2/.4/.3.
const history = createWeekdaySeries('2024-01-01', 4, (date) => (weekdayOfDayNumber(dayNumberOf(date)) === 1 ? [4, 4, 8, 4] : [1, 2, 4, 3]));
const input = prepareRequest({ history, targets: ['2024-01-29', '2024-01-30'] });

describe('daily total × intraday profile', () => {
  it('reproduces an exact weekly pattern: weekday totals times same-weekday shares', () => {
    const method = createDailyProfileMethod({ calendarEffects: false, profileSmoothing: 0 });
    const [monday, tuesday] = method(input);
    [4, 4, 8, 4].forEach((v, i) => expect(monday![i]).toBeCloseTo(v, 5));
    [1, 2, 4, 3].forEach((v, i) => expect(tuesday![i]).toBeCloseTo(v, 5));
  });

  it('keeps a weekday profile that differs for real: a short Friday stays closed in the afternoon', () => {
    const days = createWeekdaySeries('2024-01-01', 6, (date) => (weekdayOfDayNumber(dayNumberOf(date)) === 5 ? [50, 50, 0, 0] : [30, 30, 20, 20]));
    const method = createDailyProfileMethod({ calendarEffects: false, profileSmoothing: 0 });
    const [friday] = method(prepareRequest({ history: days, targets: ['2024-02-16'] }));
    expect(friday).toEqual([expect.closeTo(50, 3), expect.closeTo(50, 3), 0, 0]);
  });

  it('pulls a noisy weekday profile toward the profile of all days when they do not differ for real', () => {
    // Every weekday has the shares [.3, .3, .2, .2], each day jittered by up to ±0.04: Monday's own
    // mean is noisy, the all-days mean less so, and the blend lands nearer the truth than Monday's mean.
    const truth = [0.3, 0.3, 0.2, 0.2];
    const days = createWeekdaySeries('2024-01-01', 4, (_, i) => {
      const e = (((i * 13 + 7) % 9) - 4) / 100;
      return [truth[0]! + e, truth[1]! - e, truth[2]! - e, truth[3]! + e].map((v) => v * 1000);
    });
    const method = createDailyProfileMethod({ calendarEffects: false, profileSmoothing: 0 });
    const [monday] = method(prepareRequest({ history: days, targets: ['2024-01-29'] }));
    const total = monday!.reduce((a, b) => a + b, 0);
    const mondays = days.filter((d) => weekdayOfDayNumber(dayNumberOf(d.date)) === 1);
    const ownMean = truth.map((_, k) => mondays.reduce((s, d) => s + d.values[k]! / 1000, 0) / mondays.length);
    const distance = (p: number[]) => p.reduce((s, v, k) => s + Math.abs(v - truth[k]!), 0);
    expect(distance(ownMean)).toBeGreaterThan(0.01);
    expect(distance(monday!.map((v) => v / total))).toBeLessThan(distance(ownMean) / 2);
  });

  it('moves the daily total with the recent level, not the long-run mean', () => {
    // Same pattern ×100, the last two weeks 50% higher: with a 14-day level window the Monday
    // total is the new 3,000 (totals are modelled as log(total + 1), hence "close").
    const stepped = history.map((d, i) => ({ date: d.date, values: d.values.map((v) => (i >= 10 ? v * 150 : v * 100)) }));
    const method = createDailyProfileMethod({ calendarEffects: false, levelWindowDays: 14, profileSmoothing: 0 });
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
    // Interior: (1·.2 + 2·.6 + 1·.2) / 4 = .4; edges: (2·.2 + 1·.6) / 3 = 1/3; renormalised by 16/15.
    const out = smoothShares([0.2, 0.6, 0.2], 1);
    expect(out[0]).toBeCloseTo(5 / 16, 12);
    expect(out[1]).toBeCloseTo(6 / 16, 12);
    expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('leaves closed intervals closed and does not lean on them', () => {
    const out = smoothShares([0, 0.5, 0.5, 0], 1);
    expect(out).toEqual([0, 0.5, 0.5, 0]);
  });
});

describe('profile window', () => {
  /**
   * Shares of `count` days on 24 intervals, most recent first: a two-hump day whose morning
   * half gets `drift(k)` more weight on day k, drawn as counts of `volume` contacts.
   */
  const days = (count: number, volume: number, drift: (k: number) => number) => {
    const random = createSeededRandom(7);
    return Array.from({ length: count }, (_, k) => {
      const weights = Array.from({ length: 24 }, (_, i) => 1 + 0.5 * Math.sin(i / 4) + (i < 12 ? drift(k) : 0));
      const total = weights.reduce((a, b) => a + b, 0);
      const counts = weights.map((w) => drawPoisson(random, (volume * w) / total));
      const sum = counts.reduce((a, b) => a + b, 0);
      return counts.map((c) => c / sum);
    });
  };

  const windows = [8, 16, 32];

  it('averages many days when the profile holds still and only counting noise moves the shares', () => {
    const still = days(32, 200, () => 0);
    expect(chooseProfileWindow(still, windows)).toBe(32);
  });

  it('follows a profile that drifts with a short window when the counts are large', () => {
    // The morning's weight grows week by week (most recent first: it falls going back).
    const drifting = days(32, 2_000, (k) => 0.05 * (32 - k));
    expect(chooseProfileWindow(drifting, windows)).toBe(8);
    expect(chooseProfileWindow(drifting.slice(0, 5), windows)).toBe(32);
  });

  it('forecasts a drifting profile from recent weeks, not from the mean of every day kept', () => {
    // Monday's morning share grows steadily over 32 weeks of large counts.
    const morningOf = (i: number) => 0.3 + (0.2 * i) / 160;
    const history = createWeekdaySeries('2024-01-01', 32, (_, i) => [morningOf(i) * 10_000, (1 - morningOf(i)) * 10_000]);
    const method = createDailyProfileMethod({ calendarEffects: false, profileSmoothing: 0 });
    const [monday] = method(prepareRequest({ history, targets: ['2024-08-12'] }));
    const share = monday![0]! / (monday![0]! + monday![1]!);
    // Mondays are days 0, 5, …, 155: the last one's share, and the mean of the last sixteen.
    const latest = morningOf(155);
    const sixteenWeeks = Array.from({ length: 16 }, (_, k) => morningOf(155 - 5 * k)).reduce((a, b) => a + b, 0) / 16;
    expect(share).toBeLessThan(latest);
    expect(share).toBeGreaterThan(sixteenWeeks + 0.02);
  });
});
