import { errorFunction } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArrivalStream, getDayProfile, getDayRates, getExpectedArrivals } from './arrivals.ts';
import { demoCenter, demoTraffic } from './demo-center.ts';
import { createRng } from './rng.ts';
import { simulate } from './simulate.ts';
import { getLocalMidnight, MINUTE_MS } from './time.ts';

const BUCKET_MS = 30 * MINUTE_MS;
const tz = demoCenter.timezone;
/** Monday 2024-05-06 … Wednesday 2024-05-08, local days. */
const firstDay = Date.UTC(2024, 4, 6) / 86_400_000;
const days = 3;

/** Upper-tail p-value of χ² with k degrees of freedom (Wilson–Hilferty; accurate to ~1e-3 for k ≥ 30). */
function chiSquarePValue(statistic: number, k: number): number {
  const z = (Math.cbrt(statistic / k) - (1 - 2 / (9 * k))) / Math.sqrt(2 / (9 * k));
  return 0.5 * (1 - errorFunction(z / Math.SQRT2));
}

function chiSquare(observed: number[], expected: number[]): { statistic: number; pValue: number } {
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) statistic += (observed[i]! - expected[i]!) ** 2 / expected[i]!;
  // Expected counts are fixed in advance (not fitted), so all buckets are degrees of freedom.
  return { statistic, pValue: chiSquarePValue(statistic, observed.length) };
}

/** Half-hour buckets of the open hours (07:00–21:30 local) of each simulated day. */
function getBuckets(): number[] {
  const starts: number[] = [];
  for (let d = 0; d < days; d++) {
    const midnight = getLocalMidnight(tz, firstDay + d);
    for (let t = midnight + 7 * 60 * MINUTE_MS; t < midnight + 21.5 * 60 * MINUTE_MS; t += BUCKET_MS) starts.push(t);
  }
  return starts;
}

function expectedPerBucket(buckets: number[], shiftMs = 0): number[] {
  return buckets.map((from) => {
    const perQueue = getExpectedArrivals({ config: demoCenter, traffic: demoTraffic, from: from - shiftMs, to: from - shiftMs + BUCKET_MS });
    return Object.values(perQueue).reduce((a, b) => a + b, 0);
  });
}

describe('arrivals', () => {
  const buckets = getBuckets();
  const observed = new Array<number>(buckets.length).fill(0);
  let outside = 0;

  beforeAll(() => {
    // A contact arrives with its first event: a bot session or a direct offer (transfers are not arrivals).
    const seen = new Set<string>();
    const start = getLocalMidnight(tz, firstDay);
    for (const e of simulate({ seed: 2024, start, end: getLocalMidnight(tz, firstDay + days) })) {
      if (e.type !== 'bot.session_started' && e.type !== 'interaction.offered') continue;
      if (seen.has(e.interaction_id)) continue;
      seen.add(e.interaction_id);
      const t = Date.parse(e.occurred_at);
      const index = buckets.findIndex((b) => t >= b && t < b + BUCKET_MS);
      if (index < 0) outside++;
      else observed[index]!++;
    }
  });

  it('follow the configured intraday and weekday profile (χ² goodness of fit)', () => {
    const expected = expectedPerBucket(buckets);
    expect(outside).toBe(0);
    expect(Math.min(...expected)).toBeGreaterThan(5);
    const { pValue } = chiSquare(observed, expected);
    expect(pValue).toBeGreaterThan(0.01);
  });

  it('reject a profile shifted by half an hour, so the test has power', () => {
    const { pValue } = chiSquare(observed, expectedPerBucket(buckets, BUCKET_MS));
    expect(pValue).toBeLessThan(0.01);
  });

  it('reject the right shape at a 10% higher volume', () => {
    const { pValue } = chiSquare(
      observed,
      expectedPerBucket(buckets).map((x) => x * 1.1),
    );
    expect(pValue).toBeLessThan(0.01);
  });

  it('scale the weekday shape by the weekday factor; weekends are thin', () => {
    const total = (day: number) =>
      Object.values(
        getExpectedArrivals({
          config: demoCenter,
          traffic: demoTraffic,
          from: getLocalMidnight(tz, day),
          to: getLocalMidnight(tz, day + 1),
        }),
      ).reduce((a, b) => a + b, 0);
    const volume = Object.values(demoTraffic.queues).reduce((a, q) => a + q.daily_volume, 0);
    expect(total(firstDay)).toBeCloseTo(volume * demoTraffic.day_factors[1]!, 0);
    expect(total(firstDay + 5)).toBeCloseTo(volume * demoTraffic.day_factors[6]!, 0);
    expect(demoTraffic.day_factors[6]!).toBeLessThan(0.3);
  });
});

describe('ArrivalStream', () => {
  it('draws a Poisson count per interval: mean and variance match the rate', () => {
    const weekday = 2;
    const rates = getDayRates(2000, weekday, 0, 1);
    const counts: number[] = [];
    for (let run = 0; run < 200; run++) {
      const stream = new ArrivalStream(rates, createRng(run, 99));
      let n = 0;
      for (let t = stream.next(); t !== undefined; t = stream.next()) n++;
      counts.push(n);
    }
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (counts.length - 1);
    // Sum of the profile is 1, so the day's count is Poisson(2000): sd of the mean ≈ 3.2.
    expect(getDayProfile(weekday).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(Math.abs(mean - 2000)).toBeLessThan(12);
    // Dispersion index near 1 (a Poisson process), far from an over-dispersed one.
    expect(variance / mean).toBeGreaterThan(0.7);
    expect(variance / mean).toBeLessThan(1.4);
  });
});
