import { describe, expect, it } from 'vitest';
import { dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import { forecastSeries, type SeriesForecast } from './forecast-series.ts';
import { createCentre, type WeekShape } from '../../test/centres.ts';
import { createWeekdaySeries } from '../../test/series.ts';
import type { Day } from './types.ts';

const weekdayOf = (date: string) => weekdayOfDayNumber(dayNumberOf(date));

/** Weekdays each shape never opens (0 = Sunday). */
const closedWeekdays: Record<WeekShape, number[]> = {
  'mon-fri': [0, 6],
  'sun-thu': [5, 6],
  'short-friday': [0, 6],
  'seven-day': [],
  'always-open': [],
  night: [],
};

const shapes = Object.keys(closedWeekdays) as WeekShape[];
const seeds = [1, 2, 3];
const historyWeeks = 18;

/**
 * Each shape and seed: 20 generated weeks of 30-minute intervals with 3 closures, 3 outages and 3
 * promotions left unflagged; the first 18 weeks are history, the next 14 days are forecast.
 */
const runs = shapes.map((shape) => ({
  shape,
  seeds: seeds.map((seed) => {
    const centre = createCentre({ shape, seed, firstDate: '2024-01-01', weeks: historyWeeks + 2, closures: 3, outages: 3, promotions: 3 });
    const cut = dayNumberOf('2024-01-01') + historyWeeks * 7;
    const history = centre.days.filter((d) => dayNumberOf(d.date) < cut);
    const future = centre.days.filter((d) => dayNumberOf(d.date) >= cut);
    // Scored against normal days only: an outage, a promotion or the backlog after a closure in the
    // forecast weeks is news neither forecast could have known.
    const truth = future.filter((d, k) => !centre.events.has(d.date) && !(k > 0 && centre.events.get(future[k - 1]!.date) === 'closed'));
    const targets = Array.from({ length: 14 }, (_, k) => dateOfDayNumber(cut + k));
    return {
      seed,
      centre,
      truth,
      auto: forecastSeries({ history, targets }),
      median4: forecastSeries({ history, targets, detect: false }, { method: 'median4' }),
    };
  }),
}));

/** Absolute error and actual volume, interval by interval (30 minutes), over the truth days. */
function addErrors(sums: { error: number; actual: number }, forecast: SeriesForecast, truth: readonly Day[]) {
  for (const day of truth) {
    const f = forecast.days.find((d) => d.date === day.date)!;
    day.values.forEach((a, i) => {
      sums.error += Math.abs(f.values[i]! - a);
      sums.actual += a;
    });
  }
}

describe.each(runs)('$shape centre', ({ shape, seeds: results }) => {
  it('auto forecasts beat the plain median of four weeks at 30 minutes', () => {
    const auto = { error: 0, actual: 0 };
    const median4 = { error: 0, actual: 0 };
    for (const r of results) {
      expect(r.truth.length).toBeGreaterThanOrEqual(4);
      addErrors(auto, r.auto, r.truth);
      addErrors(median4, r.median4, r.truth);
    }
    const autoWape = auto.error / auto.actual;
    const medianWape = median4.error / median4.actual;
    expect(autoWape).toBeLessThan(medianWape);
    expect(autoWape).toBeLessThan(0.2);
  });

  it('finds the events in history and keeps them out of the fit', () => {
    for (const r of results) {
      expect(r.auto.detected.length).toBeGreaterThanOrEqual(3);
      // Every closure found is a generated closure or an outage that left almost nothing; at most one false alarm.
      for (const d of r.auto.detected) if (d.kind === 'closed') expect(r.centre.events.has(d.date), d.date).toBe(true);
      expect(r.auto.detected.filter((d) => !r.centre.events.has(d.date)).length).toBeLessThanOrEqual(1);
      // The reference baseline looks for no unusual days.
      expect(r.median4.detected.filter((d) => d.kind === 'unusual')).toEqual([]);
    }
  });

  it('forecasts exactly zero on weekdays the centre never opens', () => {
    for (const r of results) {
      const closedDays = r.auto.days.filter((d) => closedWeekdays[shape].includes(weekdayOf(d.date)));
      expect(closedDays).toHaveLength(2 * closedWeekdays[shape].length);
      for (const d of closedDays) {
        expect(d.values.every((v) => v === 0)).toBe(true);
        expect(d.hi80.every((v) => v === 0)).toBe(true);
      }
      for (const d of r.auto.days) if (!closedWeekdays[shape].includes(weekdayOf(d.date))) expect(d.values.reduce((s, v) => s + v, 0)).toBeGreaterThan(500);
    }
  });

  it('keeps every forecast inside its 80% interval', () => {
    for (const r of results) {
      for (const d of r.auto.days) {
        d.values.forEach((v, i) => {
          expect(d.lo80[i]).toBeGreaterThanOrEqual(0);
          expect(d.lo80[i]).toBeLessThanOrEqual(v);
          expect(d.hi80[i]).toBeGreaterThanOrEqual(v);
        });
      }
    }
  });
});

describe('opening hours within the day', () => {
  const forecastsOf = (shape: WeekShape) => runs.find((r) => r.shape === shape)!.seeds.map((r) => r.auto);

  it('forecasts nothing after 13:00 on a short Friday', () => {
    for (const forecast of forecastsOf('short-friday')) {
      const fridays = forecast.days.filter((d) => weekdayOf(d.date) === 5);
      expect(fridays).toHaveLength(2);
      for (const d of fridays) {
        expect(d.values.slice(26).every((v) => v === 0)).toBe(true);
        expect(d.values.slice(16, 26).every((v) => v > 0)).toBe(true);
      }
      // Other weekdays stay open until 20:00.
      const thursday = forecast.days.find((d) => weekdayOf(d.date) === 4)!;
      expect(thursday.values.slice(26, 40).every((v) => v > 0)).toBe(true);
    }
  });

  it('forecasts nothing between 06:00 and 20:00 for a night queue', () => {
    for (const forecast of forecastsOf('night')) {
      for (const d of forecast.days) {
        expect(d.values.slice(12, 40).every((v) => v === 0)).toBe(true);
        expect(d.values.slice(0, 12).every((v) => v > 0)).toBe(true);
        expect(d.values.slice(40).every((v) => v > 0)).toBe(true);
      }
    }
  });

  // The profile's smoothing kernel must not spread volume into intervals no day of history had any in.
  it('forecasts nothing in intervals closed on every day of history', () => {
    const history = createWeekdaySeries('2024-01-01', 2, () => [0, 10, 10, 0]);
    const [monday] = forecastSeries({ history, targets: ['2024-01-15'] }, { method: 'profile' }).days;
    expect(monday!.values[0]).toBe(0);
    expect(monday!.values[3]).toBe(0);
    for (const { shape, seeds: results } of runs) {
      for (const r of results) {
        for (const d of r.auto.days) {
          const open = r.centre.openIntervals(weekdayOf(d.date));
          d.values.forEach((v, i) => {
            if (!open[i]) expect(v, `${shape} ${r.seed} ${d.date} interval ${i}`).toBe(0);
          });
        }
      }
    }
  });
});
