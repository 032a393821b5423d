import { describe, expect, it } from 'vitest';
import { addToAccuracy, bias, emptyAccuracySums, rankingWape, wape } from './accuracy.ts';

describe('forecast accuracy', () => {
  it('pools errors over intervals: WAPE Σ|f − a| / Σa, bias (Σf − Σa) / Σa', () => {
    const sums = emptyAccuracySums();
    for (const [f, a] of [
      [10, 8],
      [5, 7],
      [0, 5],
    ] as const)
      addToAccuracy(sums, f, a);
    expect(sums).toEqual({ actual: 20, forecast: 15, absError: 9 });
    expect(wape(sums)).toBe(0.45);
    expect(bias(sums)).toBe(-0.25);
  });

  it('has no WAPE or bias before any actual contact, and ranks such a forecast by whether it forecast any', () => {
    expect([wape({ actual: 0, absError: 3 }), bias({ actual: 0, forecast: 3 })]).toEqual([null, null]);
    expect(rankingWape({ actual: 0, absError: 3 })).toBe(Infinity);
    expect(rankingWape({ actual: 0, absError: 0 })).toBe(0);
    expect(rankingWape({ actual: 4, absError: 1 })).toBe(0.25);
  });
});
