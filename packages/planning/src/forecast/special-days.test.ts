import { describe, expect, it } from 'vitest';
import { dayNumberOf } from '@switchboard/calendar';
import { createDailyProfileMethod } from './daily-profile.ts';
import { forecastSeries } from './forecast-series.ts';
import { expandYearly, prepareRequest } from './special-days.ts';
import { createWeekdaySeries } from '../../test/series.ts';
import type { SpecialDay } from './types.ts';

// Three weeks of Monday–Friday with a flat [10, 10]; 2024-01-10 (Wednesday) is missing.
const history = createWeekdaySeries('2024-01-01', 3, () => [10, 10]).filter((d) => d.date !== '2024-01-10');
history[history.findIndex((d) => d.date === '2024-01-15')] = { date: '2024-01-15', values: [0, 60] };
history[history.findIndex((d) => d.date === '2024-01-17')] = { date: '2024-01-17', values: [30, 30] };
const specialDays: SpecialDay[] = [
  { date: '2024-01-15', label: 'outage', effect: 'exclude' },
  { date: '2024-01-17', label: 'mailing', effect: 'multiply', multiplier: 3 },
  { date: '2024-01-24', label: 'mailing', effect: 'multiply', multiplier: 2 },
  { date: '2024-01-25', label: 'holiday', effect: 'multiply', multiplier: 0 },
];

describe('special days', () => {
  it('leave history as the planner said: excluded dropped, multiplied divided back, gaps closed', () => {
    const input = prepareRequest({ history, targets: ['2024-01-22'], specialDays });
    expect(input.history.map((d) => d.date)).not.toContain('2024-01-15');
    expect(input.history.find((d) => d.date === '2024-01-17')!.values).toEqual([10, 10]);
    expect(input.profileExcluded).toEqual(new Set(['2024-01-17']));
    expect([...input.calendar.closed].sort()).toEqual([dayNumberOf('2024-01-10'), dayNumberOf('2024-01-25')]);
    expect(input.calendar.openWeekdays).toEqual([false, true, true, true, true, true, false]);
  });

  it('keep an excluded day out of profiles and totals', () => {
    // Without the exclusion, 01-15's [0, 60] would pull the Monday profile toward the second interval.
    const method = createDailyProfileMethod({ calendarEffects: false, profileSmoothing: 0 });
    const [monday] = method(prepareRequest({ history, targets: ['2024-01-22'], specialDays }));
    expect(monday![0]).toBeCloseTo(10, 4);
    expect(monday![1]).toBeCloseTo(10, 4);
    const [unmarked] = method(prepareRequest({ history, targets: ['2024-01-22'], detect: false }));
    expect(unmarked![1]! - unmarked![0]!).toBeGreaterThan(0.5);
  });

  it('apply their multiplier to targets, 0 for a closure', () => {
    const result = forecastSeries({ history, targets: ['2024-01-23', '2024-01-24', '2024-01-25'], specialDays }, { method: 'median4' });
    expect(result.days.map((d) => d.values)).toEqual([
      [10, 10],
      [20, 20],
      [0, 0],
    ]);
    expect(result.days[2]!.hi80).toEqual([0, 0]);
  });
});

describe('yearly special days', () => {
  it('repeat on their month and day in every year of the range, a date saved for itself winning', () => {
    const days = expandYearly(
      [
        { date: '2024-12-24', label: 'Christmas Eve', effect: 'multiply', multiplier: 0.5, recursYearly: true },
        { date: '2024-02-29', label: 'Leap outage', effect: 'exclude', recursYearly: true },
        { date: '2025-12-24', label: 'Closed this year', effect: 'multiply', multiplier: 0 },
      ],
      '2024-06-01',
      '2026-12-31',
    );
    expect(days.map((d) => [d.date, d.label])).toEqual(
      [
        ['2024-12-24', 'Christmas Eve'],
        ['2025-12-24', 'Closed this year'],
        ['2026-12-24', 'Christmas Eve'],
        ['2024-02-29', 'Leap outage'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    expect(days.find((d) => d.date === '2026-12-24')).toEqual({ date: '2026-12-24', label: 'Christmas Eve', effect: 'multiply', multiplier: 0.5 });
  });
});

describe('usual opening days skipped between targets', () => {
  // Three weeks Monday to Friday ending Friday 2024-01-19.
  const weeks = createWeekdaySeries('2024-01-01', 3, () => [10, 10]);
  const skipped = (targets: string[], extra: Partial<Parameters<typeof prepareRequest>[0]> = {}) =>
    prepareRequest({ history: weeks, targets, ...extra }).skippedClosures;

  it('are closures when the days either side are targets or history, as after a Monday holiday', () => {
    expect(skipped(['2024-01-23', '2024-01-24'])).toEqual(['2024-01-22']);
    expect(skipped(['2024-01-22', '2024-01-23', '2024-01-25'])).toEqual(['2024-01-24']);
    const input = prepareRequest({ history: weeks, targets: ['2024-01-23'] });
    expect(input.calendar.closed.has(dayNumberOf('2024-01-22'))).toBe(true);
  });

  it('are not read into a sparse request, nor into days the planner described', () => {
    expect(skipped(['2024-01-22', '2024-01-29'])).toEqual([]);
    expect(skipped(['2024-01-23'], { specialDays: [{ date: '2024-01-22', label: 'open late', effect: 'multiply', multiplier: 0.5 }] })).toEqual([]);
    expect(skipped(['2024-01-22', '2024-01-23'])).toEqual([]);
  });
});
