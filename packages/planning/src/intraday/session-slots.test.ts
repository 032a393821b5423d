import { describe, expect, it } from 'vitest';
import { applySession, releaseSession } from './apply.ts';
import { findSessionSlots, type SessionSlotInput } from './session-slots.ts';

// A day in minutes from midnight: work 09:00–17:00 with lunch 12:00–12:30.
const day: SessionSlotInput['activities'] = [
  { kind: 'work', start: 540, end: 720 },
  { kind: 'lunch', start: 720, end: 750 },
  { kind: 'work', start: 750, end: 1020 },
];
const base: SessionSlotInput = { activities: day, coachBusy: [], surplusAt: () => 2, minutes: 30, earliest: 0, latest: 1440 };

describe('findSessionSlots', () => {
  it('books inside work, a quarter hour from its edges, on quarter hours, earliest first', () => {
    expect(findSessionSlots(base)).toEqual([
      { start: 555, end: 585 },
      { start: 570, end: 600 },
      { start: 585, end: 615 },
    ]);
    // From 11:10 on: 11:15 fits (ends 11:45, a quarter hour before lunch), 11:30 does not; the afternoon begins at 12:45.
    expect(findSessionSlots({ ...base, earliest: 670 }, 3)).toEqual([
      { start: 675, end: 705 },
      { start: 765, end: 795 },
      { start: 780, end: 810 },
    ]);
  });

  it('skips where the team cannot spare the agent, or nothing is known, and where the coach is taken', () => {
    // Surplus below one at 09:15–09:45 and unknown at 09:45–10:00; the coach is busy 10:00–10:30.
    const surplusAt = (q: number) => (q < 585 ? 0.5 : q < 600 ? null : 1);
    expect(findSessionSlots({ ...base, surplusAt, coachBusy: [{ start: 600, end: 630 }] }, 2)).toEqual([
      { start: 630, end: 660 },
      { start: 645, end: 675 },
    ]);
  });

  it('finds nothing past the latest end, nor in a day without work', () => {
    expect(findSessionSlots({ ...base, latest: 580 })).toEqual([]);
    expect(findSessionSlots({ ...base, activities: [{ kind: 'time_off', start: 540, end: 1020 }] })).toEqual([]);
  });

  it('joins work split at an edit before looking for room', () => {
    const split: SessionSlotInput['activities'] = [
      { kind: 'work', start: 540, end: 560 },
      { kind: 'work', start: 560, end: 600 },
    ];
    expect(findSessionSlots({ ...base, activities: split }, 5)).toEqual([{ start: 555, end: 585 }]);
  });
});

describe('applySession', () => {
  it('carves the session out of work and refuses one over lunch', () => {
    expect(applySession(day, { start: 555, end: 585 })).toEqual([
      { kind: 'work', start: 540, end: 555 },
      { kind: 'coaching', start: 555, end: 585 },
      { kind: 'work', start: 585, end: 720 },
      { kind: 'lunch', start: 720, end: 750 },
      { kind: 'work', start: 750, end: 1020 },
    ]);
    expect(() => applySession(day, { start: 705, end: 735 })).toThrow(RangeError);
  });

  it('gives a session back to work, joined with the work around it', () => {
    const booked = applySession(day, { start: 555, end: 585 });
    expect(releaseSession(booked, { start: 555, end: 585 })).toEqual(day);
    expect(() => releaseSession(day, { start: 555, end: 585 })).toThrow(RangeError);
  });
});
