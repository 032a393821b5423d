import { describe, expect, it } from 'vitest';
import { forecastSeries, methodNames } from './forecast-series.ts';
import { createWeekdaySeries } from '../../test/series.ts';

describe('forecastSeries', () => {
  it('auto keeps the method with the lowest backtest WAPE', () => {
    // Volume grows 10% a week: last week's same weekday beats any average of older weeks.
    const history = createWeekdaySeries('2024-01-01', 16, (_, i) => [100, 200].map((v) => v * 1.1 ** Math.floor(i / 5)));
    const result = forecastSeries({ history, targets: ['2024-04-22', '2024-04-23'] });
    expect(Object.keys(result.backtestWape).sort()).toEqual([...methodNames].sort());
    const best = Math.min(...Object.values(result.backtestWape));
    expect(result.backtestWape[result.method]).toBe(best);
    expect(result.method).toBe('seasonal-naive');
    expect(result.days[0]!.values).toEqual(history[history.length - 5]!.values);
  });

  it('gives ordered 80% intervals around every value', () => {
    const history = createWeekdaySeries('2024-01-01', 12, (_, i) => [50 + (i % 7), 80 + ((i * 3) % 11), 20 + (i % 3)]);
    const result = forecastSeries({ history, targets: ['2024-03-25', '2024-03-26', '2024-03-27'] });
    for (const day of result.days) {
      day.values.forEach((v, i) => {
        expect(day.lo80[i]).toBeLessThanOrEqual(v);
        expect(day.hi80[i]).toBeGreaterThanOrEqual(v);
        expect(day.lo80[i]).toBeGreaterThanOrEqual(0);
        expect(day.hi80[i]! - day.lo80[i]!).toBeGreaterThan(0);
      });
    }
  });

  it('still forecasts from a history too short to backtest', () => {
    const history = createWeekdaySeries('2024-01-01', 1, () => [4, 6]);
    const result = forecastSeries({ history, targets: ['2024-01-08'] });
    expect(result.method).toBe('median4');
    expect(result.backtestWape).toEqual({});
    expect(result.days[0]!.values).toEqual([4, 6]);
  });

  it('refuses days on different grids', () => {
    const history = [
      { date: '2024-01-01', values: [1, 2] },
      { date: '2024-01-02', values: [1] },
    ];
    expect(() => forecastSeries({ history, targets: ['2024-01-03'] })).toThrow('2024-01-02 has 1 intervals, expected 2');
  });
});
