/**
 * Agreement between raters, defined once for calibration sessions, the machine–human tracking and the CLI's report.
 * simple-statistics has no kappa; these are the textbook formulas (Cohen 1960, Fleiss 1971), over any set of
 * categories ("yes", "no", "na").
 */

/**
 * Cohen's kappa between two raters' answers to the same items: (observed − chance agreement) / (1 − chance). 1 when
 * they agree on every item; null when there are no items, or when both put every item in one category (chance
 * agreement 1: kappa is undefined, and agreement is perfect).
 */
export function cohensKappa(a: readonly string[], b: readonly string[]): number | null {
  if (a.length !== b.length) throw new RangeError(`two raters answered ${a.length} and ${b.length} items`);
  const n = a.length;
  if (n === 0) return null;
  const categories = [...new Set([...a, ...b])];
  const observed = a.filter((x, i) => x === b[i]).length / n;
  const chance = categories.reduce((sum, c) => sum + (a.filter((x) => x === c).length / n) * (b.filter((x) => x === c).length / n), 0);
  if (chance === 1) return null;
  return (observed - chance) / (1 - chance);
}

/**
 * Fleiss' kappa for any number of raters: `ratings[i]` are the answers the raters gave item i (every item rated by
 * the same number of raters, at least two). Null when undefined (no items, or every answer in one category).
 */
export function fleissKappa(ratings: readonly (readonly string[])[]): number | null {
  if (ratings.length === 0) return null;
  const raters = ratings[0]!.length;
  if (raters < 2 || ratings.some((r) => r.length !== raters)) throw new RangeError('every item needs the same number of raters, at least two');
  const categories = [...new Set(ratings.flat())];
  const n = ratings.length;
  const perItem = ratings.map((r) => {
    const counts = categories.map((c) => r.filter((x) => x === c).length);
    return (counts.reduce((sum, k) => sum + k * (k - 1), 0) / (raters * (raters - 1))) as number;
  });
  const observed = perItem.reduce((a, b) => a + b, 0) / n;
  const shares = categories.map((c) => ratings.reduce((sum, r) => sum + r.filter((x) => x === c).length, 0) / (n * raters));
  const chance = shares.reduce((sum, p) => sum + p * p, 0);
  if (chance === 1) return null;
  return (observed - chance) / (1 - chance);
}

/** Mean absolute deviation of each rater's total score from the item's mean score, over items (score points). */
export function meanAbsoluteDeviation(scores: readonly (readonly number[])[]): number | null {
  const deviations = scores.flatMap((item) => {
    const mean = item.reduce((a, b) => a + b, 0) / item.length;
    return item.map((s) => Math.abs(s - mean));
  });
  return deviations.length === 0 ? null : deviations.reduce((a, b) => a + b, 0) / deviations.length;
}
