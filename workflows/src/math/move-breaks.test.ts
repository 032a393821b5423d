import { describe, expect, it } from 'vitest';
import { moveBreaks } from './move-breaks.ts';

describe('moveBreaks', () => {
  it('moves a lunch to where an agent is spare, with HiGHS loaded on its own', async () => {
    // 3 on the phone and 3 needed 09:00–18:00; the lunch at 12:00 leaves slots 48–49 short, 13:00–13:30 needs 2.
    const required = Array.from({ length: 96 }, (_, t) => (t >= 36 && t < 72 ? (t === 52 || t === 53 ? 2 : 3) : 0));
    const net = Array.from({ length: 96 }, (_, t) => (t >= 36 && t < 72 ? (t === 48 || t === 49 ? 2 : 3) : 0));
    const result = await moveBreaks({
      intervals: 96,
      net,
      required,
      fromMinute: 600,
      breaks: [{ agentId: 'l', kind: 'lunch', start: 720, lengthMin: 30, earliest: 660, latest: 810 }],
    });
    expect(result).toEqual({ moves: [{ agentId: 'l', kind: 'lunch', from: 720, to: 780, lengthMin: 30 }], shortfallBefore: 2, shortfallAfter: 0 });
  });
});
