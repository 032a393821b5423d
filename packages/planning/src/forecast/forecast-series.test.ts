import { describe, expect, it } from 'vitest';
import { dateOfDayNumber, dayNumberOf } from '@switchboard/calendar';
import { forecastSeries, methodNames } from './forecast-series.ts';
import { createCentre } from '../../test/centres.ts';
import { createWeekdaySeries } from '../../test/series.ts';

describe('forecastSeries', () => {
  it('auto keeps the method with the lowest backtest WAPE', () => {
    // Volume grows 10% a week: last week's same weekday beats any average of older weeks.
    const history = createWeekdaySeries('2024-01-01', 16, (_, i) => [100, 200].map((v) => v * 1.1 ** Math.floor(i / 5)));
    const result = forecastSeries({ history, targets: ['2024-04-22', '2024-04-23'] }, { blendSize: 1 });
    expect(Object.keys(result.backtestWape).sort()).toEqual([...methodNames].sort());
    const best = Math.min(...Object.values(result.backtestWape));
    expect(result.method).toBe('seasonal-naive');
    expect(result.backtestWape['seasonal-naive']).toBe(best);
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

describe('forecastSeries blends', () => {
  // 14 weeks of a Monday–Friday centre with a few unflagged events; the next week is forecast.
  const centre = createCentre({ shape: 'mon-fri', seed: 8, firstDate: '2024-01-01', weeks: 14, closures: 1, outages: 2, promotions: 2 });
  const targets = Array.from({ length: 7 }, (_, k) => dateOfDayNumber(dayNumberOf('2024-04-08') + k));
  const request = { history: centre.days, targets };
  const blended = forecastSeries(request);

  it('gives each target weekday two methods whose weights sum to 1, the better ranked weighing more', () => {
    expect(blended.blends.map((b) => b.weekday)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const blend of blended.blends) {
      expect(blend.members).toHaveLength(2);
      expect(new Set(blend.members.map((m) => m.method)).size).toBe(2);
      expect(blend.members.reduce((s, m) => s + m.weight, 0)).toBeCloseTo(1, 12);
      for (const m of blend.members) expect(m.weight).toBeGreaterThan(0);
      expect(blend.members[0]!.weight).toBeGreaterThanOrEqual(blend.members[1]!.weight);
    }
    // Weekend days have no backtest days of their own: no per-weekday WAPE, the pooled ranking decides.
    expect(blended.blends[0]!.wape).toEqual({});
    const pooled = Object.entries(blended.backtestWape).sort((a, b) => a[1] - b[1]);
    expect(blended.blends[0]!.members.map((m) => m.method)).toEqual([pooled[0]![0], pooled[1]![0]]);
    expect(blended.blends[0]!.members[0]!.weight / blended.blends[0]!.members[1]!.weight).toBeCloseTo(pooled[1]![1] / pooled[0]![1], 9);
    // Open weekdays were scored on their own backtest days, every method.
    expect(Object.keys(blended.blends[1]!.wape).sort()).toEqual([...methodNames].sort());
  });

  it('reports "blend" and forecasts the weighted sum of its members', () => {
    expect(blended.method).toBe('blend');
    const singles = new Map(methodNames.map((m) => [m, forecastSeries(request, { method: m })]));
    blended.days.forEach((day, t) => {
      const blend = blended.blends.find((b) => b.weekday === new Date(`${day.date}T00:00:00Z`).getUTCDay())!;
      const expected = new Array<number>(day.values.length).fill(0);
      for (const m of blend.members) {
        const single = singles.get(m.method)!.days[t]!.values;
        single.forEach((v, i) => (expected[i]! += m.weight * v));
      }
      day.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    });
    // Weekend targets of a Monday–Friday centre stay closed whatever the blend.
    expect(blended.days[5]!.values.every((v) => v === 0)).toBe(true);
    expect(blended.days[6]!.values.every((v) => v === 0)).toBe(true);
  });

  it('with blendSize 1 keeps the single best-ranked method per weekday', () => {
    const single = forecastSeries(request, { blendSize: 1 });
    for (const [w, blend] of single.blends.entries()) {
      expect(blend.members).toEqual([{ method: blended.blends[w]!.members[0]!.method, weight: 1 }]);
    }
    const methods = new Set(single.blends.map((b) => b.members[0]!.method));
    expect(single.method).toBe(methods.size === 1 ? [...methods][0] : 'blend');
    expect(forecastSeries(request, { blendSize: 3 }).blends.every((b) => b.members.length === 3)).toBe(true);
  });

  it('reports the blended backtest WAPE as a fraction, null without a backtest', () => {
    expect(blended.wape).not.toBeNull();
    expect(Number.isFinite(blended.wape)).toBe(true);
    expect(blended.wape!).toBeGreaterThan(0.02);
    expect(blended.wape!).toBeLessThan(0.3);
    // Blending two good methods is no worse than the worse of the two on the backtest.
    const worst = Math.max(...Object.values(blended.backtestWape));
    expect(blended.wape!).toBeLessThan(worst);

    const short = forecastSeries({ history: centre.days.slice(0, 10), targets: ['2024-01-22'] });
    expect(short.wape).toBeNull();
    expect(short.backtestWape).toEqual({});
    expect(short.blends).toEqual([{ weekday: 1, members: [{ method: 'median4', weight: 1 }], wape: {} }]);
    expect(short.method).toBe('median4');
  });

  it('keeps a single method when one backtests perfectly', () => {
    const history = createWeekdaySeries('2024-01-01', 8, () => [5, 7]);
    const result = forecastSeries({ history, targets: ['2024-02-26', '2024-02-27'] });
    expect(result.wape).toBe(0);
    for (const blend of result.blends) expect(blend.members).toHaveLength(1);
    expect(result.method).not.toBe('blend');
    expect(result.days.map((d) => d.values)).toEqual([
      [5, 7],
      [5, 7],
    ]);
  });
});

describe('forecastSeries on a history without a single contact', () => {
  it('forecasts zeros rather than failing when no method can be scored', () => {
    const history = createWeekdaySeries('2024-01-01', 6, () => [0, 0]);
    const result = forecastSeries({ history, targets: ['2024-02-12'] }, { method: 'auto' });
    expect(result.days[0]!.values).toEqual([0, 0]);
    // Without detection the zero days stay history, every method scores a perfect 0, and so does the forecast.
    const kept = forecastSeries({ history, targets: ['2024-02-12'], detect: false }, { method: 'auto' });
    expect(kept.days[0]!.values).toEqual([0, 0]);
    expect(kept.wape).toBe(0);
  });
});
