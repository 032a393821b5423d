/**
 * Forecast accuracy, defined once beside the KPIs: the backtest, the API and the
 * planner's screen all compute WAPE and bias here, from sums that add up at any grouping.
 */

/** What accuracy is computed from: sums over the compared intervals. */
export interface AccuracySums {
  /** Σ actual contacts. */
  actual: number;
  /** Σ forecast contacts over the same intervals. */
  forecast: number;
  /** Σ |forecast − actual|, interval by interval. */
  absError: number;
}

export function emptyAccuracySums(): AccuracySums {
  return { actual: 0, forecast: 0, absError: 0 };
}

/** Adds one compared interval (or bucket) to the sums, in place. */
export function addToAccuracy(sums: AccuracySums, forecast: number, actual: number): void {
  sums.actual += actual;
  sums.forecast += forecast;
  sums.absError += Math.abs(forecast - actual);
}

/** Weighted absolute percentage error, Σ|forecast − actual| / Σ actual; null before any actual contact. */
export function wape(sums: Pick<AccuracySums, 'actual' | 'absError'>): number | null {
  return sums.actual > 0 ? sums.absError / sums.actual : null;
}

/** (Σ forecast − Σ actual) / Σ actual: positive means over-forecast; null before any actual contact. */
export function bias(sums: Pick<AccuracySums, 'actual' | 'forecast'>): number | null {
  return sums.actual > 0 ? (sums.forecast - sums.actual) / sums.actual : null;
}

/**
 * WAPE where methods are ranked by it: a method that forecasts contacts where none came
 * ranks last (Infinity), one that forecasts none where none came is perfect (0).
 */
export function rankingWape(sums: Pick<AccuracySums, 'actual' | 'absError'>): number {
  return wape(sums) ?? (sums.absError > 0 ? Infinity : 0);
}
