import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  daysBetween,
  fromLocalSlot,
  localBucketOf,
  localBuckets,
  localDateOf,
  localDateRange,
  localDay,
  localDayHours,
  localDaySlots,
  localWeekStart,
  sameDaysLastWeek,
  shiftLocalDays,
  toLocalSlot,
  utcOffsetMs,
  weekdayOf,
  type SlotMinutes,
} from './index.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const minutesOf = (s: { start: Date; end: Date }) => (s.end.getTime() - s.start.getTime()) / 60_000;

describe('local days', () => {
  it.each([
    // zone, date, first instant, end, hours, quarter-hours, hours on the 60-minute grid
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', 23, 92, 23],
    ['America/New_York', '2026-03-09', '2026-03-09T04:00:00.000Z', '2026-03-10T04:00:00.000Z', 24, 96, 24],
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', 25, 100, 25],
    ['Europe/London', '2026-03-29', '2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z', 23, 92, 23],
    ['Europe/London', '2026-10-25', '2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z', 25, 100, 25],
    // Lord Howe moves its clock by 30 minutes: the hourly grid has a half slot.
    ['Australia/Lord_Howe', '2026-04-05', '2026-04-04T13:00:00.000Z', '2026-04-05T13:30:00.000Z', 24.5, 98, 25],
    ['Australia/Lord_Howe', '2026-10-04', '2026-10-03T13:30:00.000Z', '2026-10-04T13:00:00.000Z', 23.5, 94, 24],
    ['Asia/Kolkata', '2026-03-08', '2026-03-07T18:30:00.000Z', '2026-03-08T18:30:00.000Z', 24, 96, 24],
    ['Asia/Kathmandu', '2026-11-01', '2026-10-31T18:15:00.000Z', '2026-11-01T18:15:00.000Z', 24, 96, 24],
    // Santiago skips midnight: the day starts at 01:00.
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z', 23, 92, 23],
    ['America/Santiago', '2026-04-04', '2026-04-04T03:00:00.000Z', '2026-04-05T04:00:00.000Z', 25, 100, 25],
  ] as const)('%s %s runs %s to %s: %d hours, %d quarter-hours, %d hourly slots', (zone, date, from, to, hours, quarters, hourly) => {
    const day = localDay(date, zone);
    expect([iso(day.from), iso(day.to)]).toEqual([from, to]);
    expect(localDayHours(date, zone)).toBe(hours);
    expect(localDaySlots(date, zone, 15)).toHaveLength(quarters);
    expect(localDaySlots(date, zone, 60)).toHaveLength(hourly);
  });

  it('numbers slots by the local clock: a skipped hour is absent, a repeated one repeats', () => {
    const spring = localDaySlots('2026-03-08', 'America/New_York', 15).map((s) => s.slot);
    expect(spring.slice(6, 10)).toEqual([6, 7, 12, 13]);
    expect(new Set(spring).size).toBe(92);
    const fall = localDaySlots('2026-11-01', 'America/New_York', 15);
    expect(fall.slice(4, 12).map((s) => s.slot)).toEqual([4, 5, 6, 7, 4, 5, 6, 7]);
    expect(iso(fall[8]!.start)).toBe('2026-11-01T06:00:00.000Z');
  });

  it("gives Lord Howe's hourly grid a half slot where the clock moves by 30 minutes", () => {
    const back = localDaySlots('2026-04-05', 'Australia/Lord_Howe', 60);
    expect(back.filter((s) => minutesOf(s) !== 60).map((s) => [s.slot, iso(s.start), minutesOf(s)])).toEqual([[1, '2026-04-04T15:00:00.000Z', 30]]);
    const forward = localDaySlots('2026-10-04', 'Australia/Lord_Howe', 60);
    expect(forward.filter((s) => minutesOf(s) !== 60).map((s) => [s.slot, iso(s.start), minutesOf(s)])).toEqual([[2, '2026-10-03T15:30:00.000Z', 30]]);
  });

  it('puts grid lines on the local clock at +05:45 and +05:30', () => {
    expect(iso(fromLocalSlot('2026-11-01', 40, 'Asia/Kathmandu', 15))).toBe('2026-11-01T04:15:00.000Z');
    expect(iso(fromLocalSlot('2026-11-01', 10, 'Asia/Kolkata', 60))).toBe('2026-11-01T04:30:00.000Z');
    expect(toLocalSlot(new Date('2026-11-01T04:29:59.999Z'), 'Asia/Kathmandu', 15)).toEqual({ date: '2026-11-01', slot: 40 });
    expect(toLocalSlot(new Date('2026-11-01T04:30:00.000Z'), 'Asia/Kathmandu', 15)).toEqual({ date: '2026-11-01', slot: 41 });
    expect(utcOffsetMs(new Date('2026-11-01T00:00:00Z'), 'Asia/Kathmandu')).toBe(20_700_000);
  });

  it('answers null for a slot the day skips, and the first occurrence of a repeated one', () => {
    expect(fromLocalSlot('2026-03-08', 8, 'America/New_York')).toBeNull();
    expect(iso(fromLocalSlot('2026-03-08', 12, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(fromLocalSlot('2026-11-01', 4, 'America/New_York'))).toBe('2026-11-01T05:00:00.000Z');
  });
});

describe('dates and weeks', () => {
  it('adds calendar days, lists ranges and counts days across clock changes and years', () => {
    expect(addLocalDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(addLocalDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(localDateRange('2026-10-30', 4)).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']);
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
    expect(() => addLocalDays('2026-3-1', 1)).toThrow(RangeError);
  });

  it('starts weeks on the tenant day', () => {
    expect(weekdayOf('2026-12-05')).toBe(6);
    expect(localWeekStart('2026-12-05', 1)).toBe('2026-11-30');
    expect(localWeekStart('2026-12-05', 0)).toBe('2026-11-29');
    expect(localWeekStart('2026-12-05', 6)).toBe('2026-12-05');
  });

  it('shifts by local days keeping the clock time across a change', () => {
    // 09:00 the Monday after spring-forward, a week back, is 09:00 EST: 7 × 24 h would give 08:00.
    expect(iso(shiftLocalDays(new Date('2026-03-09T13:00:00Z'), -7, 'America/New_York'))).toBe('2026-03-02T14:00:00.000Z');
    expect(iso(shiftLocalDays(new Date('2026-11-02T14:00:00Z'), -7, 'America/New_York'))).toBe('2026-10-26T13:00:00.000Z');
    expect(localDateOf(new Date('2026-10-31T18:14:59Z'), 'Asia/Kathmandu')).toBe('2026-10-31');
  });

  it('compares with the same local days a week earlier', () => {
    const before = sameDaysLastWeek('2026-03-09', '2026-03-10', 'America/New_York');
    expect([iso(before.from), iso(before.to)]).toEqual(['2026-03-02T05:00:00.000Z', '2026-03-04T05:00:00.000Z']);
  });
});

describe('report buckets', () => {
  it('lists every bucket of the days at each grain', () => {
    const zone = 'America/New_York';
    expect(localBuckets('2026-11-01', '2026-11-01', '15m', zone)).toHaveLength(100);
    expect(localBuckets('2026-03-08', '2026-03-08', '30m', zone)).toHaveLength(46);
    expect(localBuckets('2026-03-07', '2026-03-09', '60m', zone)).toHaveLength(71);
    expect(localBuckets('2026-03-07', '2026-03-09', 'day', zone).map(iso)).toEqual([
      '2026-03-07T05:00:00.000Z',
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
    ]);
    expect(localBuckets('2026-03-07', '2026-03-09', 'week', zone).map(iso)).toEqual(['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(localBuckets('2026-03-07', '2026-03-09', 'week', zone, 0).map(iso)).toEqual(['2026-03-01T05:00:00.000Z', '2026-03-08T05:00:00.000Z']);
  });

  it('puts an instant in the bucket that holds it', () => {
    const zone = 'Australia/Lord_Howe';
    expect(iso(localBucketOf(new Date('2026-04-04T15:10:00Z'), '60m', zone))).toBe('2026-04-04T15:00:00.000Z');
    expect(iso(localBucketOf(new Date('2026-04-04T15:40:00Z'), '60m', zone))).toBe('2026-04-04T15:30:00.000Z');
    expect(iso(localBucketOf(new Date('2026-04-04T15:40:00Z'), 'day', zone))).toBe('2026-04-04T13:00:00.000Z');
    // Santiago's day that skips midnight: its first hour starts at 01:00 (04:00 UTC).
    expect(iso(localBucketOf(new Date('2026-09-06T04:10:00Z'), '60m', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(iso(localBucketOf(new Date('2026-11-01T06:20:00Z'), '30m', 'America/New_York'))).toBe('2026-11-01T06:00:00.000Z');
  });
});

describe('properties', () => {
  const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/Santiago', 'UTC'];
  const dates = fc.integer({ min: 0, max: 3 * 366 }).map((n) => addLocalDays('2025-01-01', n));
  const grids = fc.constantFrom<SlotMinutes>(15, 30, 60);

  it('slots cover the local day without gap or overlap, and each instant maps back to its slot', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), dates, grids, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (zone, date, minutes, at) => {
        const day = localDay(date, zone);
        const slots = localDaySlots(date, zone, minutes);
        expect(slots[0]!.start).toEqual(day.from);
        expect(slots.at(-1)!.end).toEqual(day.to);
        for (let i = 1; i < slots.length; i++) expect(slots[i]!.start).toEqual(slots[i - 1]!.end);
        for (const s of slots) expect(minutesOf(s)).toBeLessThanOrEqual(minutes);
        const instant = day.from.getTime() + Math.floor(at * (day.to.getTime() - day.from.getTime()));
        const holder = slots.find((s) => s.start.getTime() <= instant && instant < s.end.getTime())!;
        expect(toLocalSlot(instant, zone, minutes)).toEqual({ date, slot: holder.slot });
        expect(localBucketOf(instant, minutes === 15 ? '15m' : minutes === 30 ? '30m' : '60m', zone)).toEqual(holder.start);
      }),
      { numRuns: 300 },
    );
  });
});
