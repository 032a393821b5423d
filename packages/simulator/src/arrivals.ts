import type { CenterConfig } from '@switchboard/contracts';
import { PROFILE_INTERVAL_MINUTES, PROFILE_START_MINUTE, weekdayProfiles } from './profile.generated.ts';
import { exponential, type Rng } from './rng.ts';
import { getLocalDay, getLocalMidnight, getWeekday, MINUTE_MS } from './time.ts';
import type { TrafficConfig } from './traffic.ts';

const INTERVAL_MS = PROFILE_INTERVAL_MINUTES * MINUTE_MS;

/** Weekends have no data in the series; they take the mean weekday shape, scaled down by day_factors. */
const weekendProfile: readonly number[] = weekdayProfiles[0]!.map((_, i) => weekdayProfiles.reduce((sum, p) => sum + (p[i] ?? 0), 0) / weekdayProfiles.length);

/** Intraday shape of a day of week (0 = Sunday): share of the day's contacts per 5-minute interval. */
export function getDayProfile(weekday: number): readonly number[] {
  return weekday >= 1 && weekday <= 5 ? weekdayProfiles[weekday - 1]! : weekendProfile;
}

/** Piecewise-constant arrival rate of one queue over one local day: contacts per ms in each interval. */
export interface DayRates {
  /** Instant the first interval starts. */
  firstMs: number;
  perMs: Float64Array;
}

export function getDayRates(dailyVolume: number, weekday: number, midnightMs: number, dayFactor: number): DayRates {
  const profile = getDayProfile(weekday);
  const perMs = new Float64Array(profile.length);
  for (let i = 0; i < profile.length; i++) perMs[i] = (dailyVolume * dayFactor * profile[i]!) / INTERVAL_MS;
  return { firstMs: midnightMs + PROFILE_START_MINUTE * MINUTE_MS, perMs };
}

/** When the last interval with arrivals ends, so closing agents know whether more may come. */
export function getArrivalsEnd(rates: DayRates): number {
  let last = rates.perMs.length - 1;
  while (last >= 0 && rates.perMs[last] === 0) last--;
  return rates.firstMs + (last + 1) * INTERVAL_MS;
}

/**
 * A non-homogeneous Poisson process with piecewise-constant rate, sampled by inversion:
 * one unit-exponential draw is spent across the intervals' integrated rate. Exact, and
 * it keeps only the next arrival in memory.
 */
export class ArrivalStream {
  #interval = 0;
  #time: number;

  constructor(
    private readonly rates: DayRates,
    private readonly rng: Rng,
  ) {
    this.#time = rates.firstMs;
  }

  /** The next arrival instant (ms, fractional), or undefined when the day has no more. */
  next(): number | undefined {
    let budget = exponential(this.rng, 1);
    const { perMs, firstMs } = this.rates;
    while (this.#interval < perMs.length) {
      const end = firstMs + (this.#interval + 1) * INTERVAL_MS;
      const rate = perMs[this.#interval]!;
      if (rate > 0) {
        const step = budget / rate;
        if (this.#time + step < end) {
          this.#time += step;
          return this.#time;
        }
        budget -= (end - this.#time) * rate;
      }
      this.#time = end;
      this.#interval++;
    }
    return undefined;
  }
}

export interface ExpectedArrivalsOptions {
  config: CenterConfig;
  traffic: TrafficConfig;
  from: number;
  to: number;
  volumeFactor?: number;
}

/**
 * Expected number of new contacts (bot sessions plus direct offers, transfers excluded)
 * per queue in [from, to): the integral of the simulator's arrival rate.
 */
export function getExpectedArrivals({ config, traffic, from, to, volumeFactor = 1 }: ExpectedArrivalsOptions): Record<string, number> {
  const expected: Record<string, number> = Object.fromEntries(config.queues.map((q) => [q.id, 0]));
  const lastDay = getLocalDay(config.timezone, to);
  for (let day = getLocalDay(config.timezone, from) - 1; day <= lastDay; day++) {
    const weekday = getWeekday(day);
    const midnight = getLocalMidnight(config.timezone, day);
    for (const queue of config.queues) {
      const t = traffic.queues[queue.id]!;
      const rates = getDayRates(t.daily_volume * volumeFactor, weekday, midnight, traffic.day_factors[weekday]!);
      let sum = 0;
      rates.perMs.forEach((rate, i) => {
        const start = rates.firstMs + i * INTERVAL_MS;
        const overlap = Math.min(to, start + INTERVAL_MS) - Math.max(from, start);
        if (overlap > 0) sum += overlap * rate;
      });
      expected[queue.id] = (expected[queue.id] ?? 0) + sum;
    }
  }
  return expected;
}
