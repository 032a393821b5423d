import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sliceWindow } from './builder.ts';

const HOUR = 3_600_000;

describe('sliceWindow', () => {
  it('covers the window exactly, in order, cut only at hour edges, each slice within the limit unless one hour exceeds it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 * HOUR }),
        fc.integer({ min: 1, max: 72 * HOUR }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 1_000 }),
        (from, length, counts, limit) => {
          const to = from + length;
          const first = Math.floor(from / HOUR) * HOUR;
          const perHour = new Map(counts.map((n, i) => [first + i * HOUR, n]));
          const slices = sliceWindow(from, to, perHour, limit);
          expect(slices[0]![0]).toBe(from);
          expect(slices.at(-1)![1]).toBe(to);
          for (let i = 1; i < slices.length; i++) {
            expect(slices[i]![0]).toBe(slices[i - 1]![1]);
            expect(slices[i]![0] % HOUR).toBe(0);
          }
          for (const [start, end] of slices) {
            expect(end).toBeGreaterThan(start);
            let events = 0;
            let hours = 0;
            for (const [hour, n] of perHour) {
              if (hour + HOUR > start && hour < end && n > 0) {
                events += n;
                hours++;
              }
            }
            if (hours > 1) expect(events).toBeLessThanOrEqual(limit);
          }
        },
      ),
    );
  });

  it('keeps a quiet window whole', () => {
    expect(sliceWindow(0, 72 * HOUR, new Map([[HOUR, 10]]), 100)).toEqual([[0, 72 * HOUR]]);
  });
});
