import { describe, expect, it } from 'vitest';
import { cohensKappa, fleissKappa, meanAbsoluteDeviation } from './agreement.ts';

describe('agreement', () => {
  it("computes Cohen's kappa as the textbook example does", () => {
    // Two raters, 50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no — observed 0.7, chance 0.5, kappa 0.4.
    const a = [...Array(20).fill('yes'), ...Array(5).fill('yes'), ...Array(10).fill('no'), ...Array(15).fill('no')];
    const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')];
    expect(cohensKappa(a, b)).toBeCloseTo(0.4, 10);
    expect(cohensKappa(['yes', 'no', 'na'], ['yes', 'no', 'na'])).toBe(1);
    expect(cohensKappa(['yes', 'yes'], ['yes', 'yes'])).toBeNull();
    expect(cohensKappa([], [])).toBeNull();
    expect(() => cohensKappa(['yes'], [])).toThrow(RangeError);
  });

  it("computes Fleiss' kappa as Fleiss (1971) does, and agrees with Cohen's in spirit at full agreement", () => {
    // Wikipedia's worked example: 10 items, 14 raters, 5 categories; kappa 0.210.
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const ratings = table.map((counts) => counts.flatMap((k, c) => Array<string>(k).fill(`c${c}`)));
    expect(fleissKappa(ratings)).toBeCloseTo(0.21, 3);
    expect(
      fleissKappa([
        ['yes', 'yes', 'yes'],
        ['no', 'no', 'no'],
      ]),
    ).toBe(1);
    expect(() => fleissKappa([['yes'], ['no']])).toThrow(RangeError);
  });

  it('measures how far raters total scores sit from each item’s mean', () => {
    expect(
      meanAbsoluteDeviation([
        [80, 90, 100],
        [50, 50, 50],
      ]),
    ).toBeCloseTo(20 / 6, 10);
    expect(meanAbsoluteDeviation([])).toBeNull();
  });
});
