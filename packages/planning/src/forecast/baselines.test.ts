import { describe, expect, it } from 'vitest';
import { createMeanOfSameWeekdays, createMedianOfSameWeekdays, seasonalNaive } from './baselines.ts';
import { prepareRequest } from './special-days.ts';
import type { Day } from './types.ts';

// Five Mondays (2024-01-01 … 01-29) with two intervals, and one Tuesday; 01-22 is missing.
const history: Day[] = [
  { date: '2024-01-01', values: [10, 100] },
  { date: '2024-01-08', values: [20, 50] },
  { date: '2024-01-15', values: [40, 70] },
  { date: '2024-01-16', values: [7, 7] },
  { date: '2024-01-29', values: [30, 60] },
];
const input = prepareRequest({ history, targets: ['2024-02-05', '2024-02-06', '2024-02-07'] });

describe('same-weekday baselines', () => {
  it('seasonal naive repeats the latest same weekday, whatever the gap', () => {
    const [monday, tuesday] = seasonalNaive(input);
    expect(monday).toEqual([30, 60]);
    expect(tuesday).toEqual([7, 7]);
  });

  it('median and mean of the last four same weekdays, interval by interval', () => {
    // Mondays used: 01-29, 01-15, 01-08, 01-01 (01-22 does not exist).
    expect(createMedianOfSameWeekdays(4)(input)[0]).toEqual([25, 65]);
    expect(createMeanOfSameWeekdays(4)(input)[0]).toEqual([25, 70]);
    // Fewer than k same weekdays: whatever there is.
    expect(createMedianOfSameWeekdays(4)(input)[1]).toEqual([7, 7]);
  });

  it('falls back to the most recent days for a weekday never seen', () => {
    // No Wednesday in history: median of the last four days (01-29, 01-16, 01-15, 01-08).
    expect(createMedianOfSameWeekdays(4)(input)[2]).toEqual([25, 55]);
  });
});
