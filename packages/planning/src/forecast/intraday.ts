/**
 * Re-scales the rest of today from the actuals so far: the remaining forecast is multiplied
 * by (actual so far + p·D) / (forecast so far + p·D), D being the day's forecast total. The
 * pseudo-volume p·D at ratio 1 keeps the first quiet intervals from swinging the whole day;
 * as the day fills up the actuals dominate. Returns the full day: actuals, then the reforecast.
 */
export function reforecastRestOfDay(forecast: readonly number[], actualSoFar: readonly number[], priorShare = 0.1): number[] {
  const elapsed = Math.min(actualSoFar.length, forecast.length);
  let dayTotal = 0;
  let forecastSoFar = 0;
  let actualSum = 0;
  for (let i = 0; i < forecast.length; i++) {
    dayTotal += forecast[i]!;
    if (i < elapsed) {
      forecastSoFar += forecast[i]!;
      actualSum += actualSoFar[i]!;
    }
  }
  const pseudo = priorShare * dayTotal;
  const ratio = forecastSoFar + pseudo > 0 ? (actualSum + pseudo) / (forecastSoFar + pseudo) : 1;
  return forecast.map((f, i) => (i < elapsed ? actualSoFar[i]! : f * ratio));
}
