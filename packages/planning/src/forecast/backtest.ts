import { addToAccuracy, emptyAccuracySums, rankingWape, type AccuracySums } from '@switchboard/kpis';
import { forecastSeries, type ForecastOptions } from './forecast-series.ts';
import type { Day, ForecastRequest } from './types.ts';

/** What the backtest asks of a forecaster: point forecasts and, optionally, an 80% interval. */
interface ForecastOutput {
  values: number[][];
  lo80?: number[][];
  hi80?: number[][];
}
export type Forecaster = (request: ForecastRequest) => ForecastOutput;

export interface RollingOriginOptions {
  /** 1-based day numbers: origin o trains on days 1..o and forecasts the `horizon` days after it. */
  origins: readonly number[];
  horizon: number;
  /** Bucket sizes in intervals to aggregate to before scoring, e.g. [3, 6, 168]. */
  buckets: readonly number[];
}

export interface BacktestScore {
  /** Pooled WAPE per bucket size, as a fraction: Σ|forecast − actual| / Σ actual. */
  wape: Record<number, number>;
  /** Share of single intervals inside [lo80, hi80]; null when the forecaster gives no intervals. */
  coverage80: number | null;
}

function sumBuckets(values: readonly number[], size: number): number[] {
  const out: number[] = [];
  for (let start = 0; start + size <= values.length; start += size) {
    let s = 0;
    for (let i = start; i < start + size; i++) s += values[i]!;
    out.push(s);
  }
  return out;
}

/**
 * Rolling-origin evaluation: for every origin, train on the days up to it, forecast the
 * days after it that exist, and pool absolute errors over origins, horizons and buckets.
 */
export function runRollingOrigin(days: readonly Day[], forecaster: Forecaster, options: RollingOriginOptions): BacktestScore {
  const sums = new Map<number, AccuracySums>(options.buckets.map((b) => [b, emptyAccuracySums()]));
  let covered = 0;
  let counted = 0;
  for (const origin of options.origins) {
    const targets = days.slice(origin, origin + options.horizon);
    if (targets.length === 0) continue;
    const out = forecaster({ history: days.slice(0, origin), targets: targets.map((d) => d.date) });
    targets.forEach((actualDay, t) => {
      const forecast = out.values[t]!;
      for (const size of options.buckets) {
        const a = sumBuckets(actualDay.values, size);
        const f = sumBuckets(forecast, size);
        a.forEach((v, i) => addToAccuracy(sums.get(size)!, f[i]!, v));
      }
      const lo = out.lo80?.[t];
      const hi = out.hi80?.[t];
      if (lo && hi) {
        actualDay.values.forEach((v, i) => {
          if (v >= lo[i]! && v <= hi[i]!) covered++;
          counted++;
        });
      }
    });
  }
  const wape: Record<number, number> = {};
  for (const size of options.buckets) wape[size] = rankingWape(sums.get(size)!);
  return { wape, coverage80: counted > 0 ? covered / counted : null };
}

/**
 * The evaluation protocol of the bank call series (tests/data/README.md): days numbered in
 * date order, each cut to its first 168 five-minute intervals; origins 104, 109, …, 159;
 * ten days ahead; WAPE at 15 minutes, 30 minutes and the whole day.
 */
const bankProtocol = {
  intervalsPerDay: 168,
  options: {
    origins: Array.from({ length: 12 }, (_, i) => 104 + 5 * i),
    horizon: 10,
    buckets: [3, 6, 168],
  } satisfies RollingOriginOptions,
};

/** Scores a forecaster on the bank series (days as read, 169 intervals each) by `bankProtocol`. */
export function runBankProtocol(days: readonly Day[], forecaster: Forecaster): BacktestScore {
  const cut = days.map((d) => ({ date: d.date, values: d.values.slice(0, bankProtocol.intervalsPerDay) }));
  return runRollingOrigin(cut, forecaster, bankProtocol.options);
}

/** `forecastSeries` as a backtest forecaster. */
export function createSeriesForecaster(options: ForecastOptions): Forecaster {
  return (request) => {
    const result = forecastSeries(request, options);
    return {
      values: result.days.map((d) => d.values),
      lo80: result.days.map((d) => d.lo80),
      hi80: result.days.map((d) => d.hi80),
    };
  };
}
