import { describe, expect, it } from 'vitest';
import { reforecastRestOfDay } from './intraday.ts';

describe('intraday reforecast', () => {
  it('keeps the actuals and scales the rest of the day by the credibility-weighted ratio so far', () => {
    // Day forecast 100; first half forecast 50, actual 70; pseudo-volume 0.2 × 100 = 20:
    // ratio (70 + 20) / (50 + 20) = 9/7.
    const out = reforecastRestOfDay([25, 25, 25, 25], [30, 40], 0.2);
    expect(out.slice(0, 2)).toEqual([30, 40]);
    expect(out[2]).toBeCloseTo((25 * 9) / 7, 12);
    expect(out[3]).toBeCloseTo((25 * 9) / 7, 12);
  });

  it('leaves the forecast alone before any actuals arrive', () => {
    expect(reforecastRestOfDay([5, 10], [])).toEqual([5, 10]);
  });
});
