import { describe, expect, it } from 'vitest';
import type { PlannedActivity } from '../schedule/week.ts';
import { applyBreakMoves, applyOffer } from './apply.ts';

const a = (kind: PlannedActivity['kind'], start: number, end: number): PlannedActivity => ({ kind, start, end });
// 09:00–17:00 with a break at 11:00 and lunch at 12:00.
const shift = [a('work', 540, 660), a('break', 660, 675), a('work', 675, 720), a('lunch', 720, 750), a('work', 750, 1020)];

describe('applyBreakMoves', () => {
  it('turns the old place into work and takes the new one out of work', () => {
    expect(applyBreakMoves(shift, [{ kind: 'break', from: 660, to: 780, lengthMin: 15 }])).toEqual([
      a('work', 540, 720),
      a('lunch', 720, 750),
      a('work', 750, 780),
      a('break', 780, 795),
      a('work', 795, 1020),
    ]);
    expect(applyBreakMoves(shift, [])).toEqual(shift);
  });

  it('lets two breaks trade places', () => {
    const moves = [
      { kind: 'break' as const, from: 660, to: 720, lengthMin: 15 },
      { kind: 'lunch' as const, from: 720, to: 660, lengthMin: 30 },
    ];
    expect(applyBreakMoves(shift, moves)).toEqual([a('work', 540, 660), a('lunch', 660, 690), a('work', 690, 720), a('break', 720, 735), a('work', 735, 1020)]);
  });

  it('refuses a move whose break is not there or whose new place is not work', () => {
    expect(() => applyBreakMoves(shift, [{ kind: 'break', from: 665, to: 780, lengthMin: 15 }])).toThrow(RangeError);
    expect(() => applyBreakMoves(shift, [{ kind: 'lunch', from: 660, to: 780, lengthMin: 15 }])).toThrow(RangeError);
    expect(() => applyBreakMoves(shift, [{ kind: 'break', from: 660, to: 1015, lengthMin: 15 }])).toThrow(RangeError);
    expect(() => applyBreakMoves(shift, [{ kind: 'break', from: 660, to: 735, lengthMin: 15 }])).toThrow(RangeError);
  });
});

describe('applyOffer', () => {
  it('turns VTO into time off and overtime into work joined to the shift', () => {
    expect(applyOffer(shift, { kind: 'vto', start: 900, end: 1020 })).toEqual([...shift.slice(0, 4), a('work', 750, 900), a('time_off', 900, 1020)]);
    expect(applyOffer(shift, { kind: 'overtime', start: 1020, end: 1080 })).toEqual([...shift.slice(0, 4), a('work', 750, 1080)]);
    expect(applyOffer(shift, { kind: 'overtime', start: 420, end: 480 })).toEqual([a('work', 420, 480), ...shift]);
  });

  it('refuses VTO over anything but work and overtime over anything at all', () => {
    expect(() => applyOffer(shift, { kind: 'vto', start: 650, end: 700 })).toThrow(RangeError);
    expect(() => applyOffer(shift, { kind: 'vto', start: 1000, end: 1040 })).toThrow(RangeError);
    expect(() => applyOffer(shift, { kind: 'overtime', start: 1000, end: 1080 })).toThrow(RangeError);
    expect(() => applyOffer(shift, { kind: 'overtime', start: 1080, end: 1080 })).toThrow(RangeError);
  });
});
