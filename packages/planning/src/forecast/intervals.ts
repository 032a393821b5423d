import { quantileSorted } from 'simple-statistics';

/** Backtest pairs of one method: forecast and actual per interval, pooled over origins and horizons. */
export interface Residuals {
  forecast: number[];
  actual: number[];
}

/**
 * An 80% interval model: variance = f + κ·f² (Poisson counting noise plus a relative error
 * in level and shape that grows with volume), with the 10% and 90% quantiles of the
 * standardised backtest residuals, so skew in the errors carries into the bounds.
 */
export interface IntervalModel {
  kappa: number;
  zLow: number;
  zHigh: number;
}

/** Used when history is too short to backtest: Poisson plus a 10% relative error, normal quantiles. */
export const fallbackIntervalModel: IntervalModel = { kappa: 0.01, zLow: -1.2816, zHigh: 1.2816 };

/**
 * `days` is how many forecast days the residuals come from: intervals of one day share its
 * level error, so the days, not the intervals, are the independent draws. The quantile
 * levels get the split-conformal finite-sample correction for that many draws.
 */
export function fitIntervalModel({ forecast, actual }: Residuals, days: number): IntervalModel {
  let excess = 0;
  let scale = 0;
  for (let i = 0; i < forecast.length; i++) {
    const f = forecast[i]!;
    excess += (actual[i]! - f) ** 2 - f;
    scale += f * f;
  }
  const kappa = scale > 0 ? Math.max(0, excess / scale) : fallbackIntervalModel.kappa;
  const z: number[] = [];
  for (let i = 0; i < forecast.length; i++) {
    const f = forecast[i]!;
    const sd = Math.sqrt(f + kappa * f * f);
    if (sd > 0) z.push((actual[i]! - f) / sd);
  }
  if (z.length < 20) return { ...fallbackIntervalModel, kappa };
  z.sort((a, b) => a - b);
  const tail = Math.max(0, 0.1 - 0.9 / Math.max(1, days));
  return { kappa, zLow: quantileSorted(z, tail), zHigh: quantileSorted(z, 1 - tail) };
}

/** Bounds around each forecast value; never below zero and always containing the forecast. */
export function getIntervalBounds(model: IntervalModel, forecast: readonly number[]): { lo80: number[]; hi80: number[] } {
  const lo80: number[] = [];
  const hi80: number[] = [];
  for (const f of forecast) {
    const sd = Math.sqrt(Math.max(0, f + model.kappa * f * f));
    lo80.push(Math.max(0, Math.min(f, f + model.zLow * sd)));
    hi80.push(Math.max(f, f + model.zHigh * sd));
  }
  return { lo80, hi80 };
}
