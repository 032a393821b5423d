import { describe, expect, it } from 'vitest';
import type { PlannedActivity } from '../schedule/week.ts';
import { intradayStaffing } from './staffing.ts';

const work = (start: number, end: number): PlannedActivity => ({ kind: 'work', start, end });

/** Slots 36..47 (09:00–12:00) of a 96-slot day, to read the hand-computed figures against. */
const morning = (values: number[]) => values.slice(36, 48);

describe('intradayStaffing', () => {
  // a: works 09:00–12:00 with a break 10:05–10:20; b: works 10:00–11:00, on an exception 10:10–10:40 (and a
  // second one inside it, counted once); c: works 09:00–12:00, an exception 10:00–10:15, absent from slot 40 (10:00).
  const input = {
    intervals: 96,
    required: Array.from({ length: 96 }, (_, t) => (t >= 36 && t < 48 ? 2 : 0)),
    agents: [
      { agentId: 'a', activities: [work(540, 605), { kind: 'break' as const, start: 605, end: 620 }, work(620, 720)] },
      { agentId: 'b', activities: [work(600, 660)] },
      { agentId: 'c', activities: [work(540, 720)] },
    ],
    exceptions: [
      { agentId: 'b', start: 610, end: 640 },
      { agentId: 'b', start: 620, end: 630 },
      { agentId: 'c', start: 600, end: 615 },
      { agentId: 'nobody', start: 0, end: 1440 },
    ],
    absent: new Set(['c']),
    absentFromSlot: 40,
  };

  it('counts partial slots as fractions, takes exceptions out, and absences from the given slot on', () => {
    const result = intradayStaffing(input);
    // a works 5 of slot 40's minutes and 10 of slot 41's; b's exception takes 5, 15 and 10 minutes of slots 40–42.
    expect(morning(result.scheduled)).toEqual([2, 2, 2, 2, 7 / 3, 8 / 3, 3, 3, 2, 2, 2, 2]);
    expect(morning(result.excepted)).toEqual([0, 0, 0, 0, 4 / 3, 1, 2 / 3, 0, 0, 0, 0, 0]);
    // c's slot 40 is all exception already: it is not lost twice.
    expect(morning(result.absent)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
    const net = [2, 2, 2, 2, 1, 2 / 3, 4 / 3, 2, 1, 1, 1, 1];
    morning(result.net).forEach((n, i) => expect(n).toBeCloseTo(net[i]!, 12));
    morning(result.gap).forEach((g, i) => expect(g).toBeCloseTo(net[i]! - 2, 12));
    expect(result.scheduled.reduce((a, b) => a + b, 0)).toBeCloseTo(12 + 12 - 1 + 4, 12);
    expect(result.gap.slice(48)).toEqual(new Array(48).fill(0));
  });

  it('counts an absent agent before the absence slot as present', () => {
    const result = intradayStaffing({ ...input, absentFromSlot: 44 });
    expect(morning(result.absent)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(intradayStaffing({ ...input, absent: new Set() }).absent.every((a) => a === 0)).toBe(true);
  });

  it('clips shifts running into the previous or next day, on a 100-slot clock-change day', () => {
    const result = intradayStaffing({
      intervals: 100,
      required: new Array(100).fill(1),
      agents: [
        // Yesterday's night shift translated onto today's timeline, and tonight's running past the 25-hour day.
        { agentId: 'n', activities: [work(-300, 20), work(1380, 1800)] },
      ],
      exceptions: [],
      absent: new Set(),
      absentFromSlot: 0,
    });
    expect(result.scheduled).toHaveLength(100);
    expect(result.scheduled.slice(0, 3)).toEqual([1, 1 / 3, 0]);
    expect(result.scheduled.slice(91, 100)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(result.gap[99]).toBe(0);
    expect(result.gap[50]).toBe(-1);
  });
});
