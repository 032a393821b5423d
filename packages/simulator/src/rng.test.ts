import { describe, expect, it } from 'vitest';
import { EventHeap } from './heap.ts';
import { createRng, forkRng, lognormal, uniform, uuid } from './rng.ts';
import { addLocalDays, fromLocalSlot, localDateOf, localDayHours, localDayStart, weekdayOf } from '@switchboard/calendar';
import fc from 'fast-check';
import { getLocalDay, getLocalMidnight, getWeekday, IsoFormatter } from './time.ts';

describe('rng', () => {
  it('is reproducible from its path and differs between paths', () => {
    const draws = (rng: ReturnType<typeof createRng>) => Array.from({ length: 5 }, () => rng.next());
    expect(draws(createRng(1, 2, 3))).toEqual(draws(createRng(1, 2, 3)));
    expect(draws(createRng(1, 2, 3))).not.toEqual(draws(createRng(1, 2, 4)));
    expect(draws(createRng(2 ** 40))).not.toEqual(draws(createRng(0)));
  });

  it('makes RFC 4122 v4 UUIDs that do not collide across many forked streams', () => {
    const parent = createRng(42);
    const ids = new Set<string>();
    // 2^32-state children would collide here with near certainty (birthday bound).
    for (let i = 0; i < 300_000; i++) ids.add(uuid(forkRng(parent)));
    expect(ids.size).toBe(300_000);
    expect([...ids][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('draws uniforms in (0, 1) and lognormals with the requested median', () => {
    const rng = createRng(7);
    const values = Array.from({ length: 20_001 }, () => lognormal(rng, 300, 0.6)).sort((a, b) => a - b);
    expect(values[10_000]!).toBeGreaterThan(290);
    expect(values[10_000]!).toBeLessThan(310);
    const u = Array.from({ length: 10_000 }, () => uniform(rng));
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThan(1);
  });
});

describe('EventHeap', () => {
  it('pops by time, then by order', () => {
    const heap = new EventHeap<{ time: number; order: number }>();
    const rng = createRng(3);
    const items = Array.from({ length: 1000 }, (_, i) => ({ time: Math.floor(uniform(rng) * 50), order: i }));
    for (const item of items) heap.push(item);
    const popped: { time: number; order: number }[] = [];
    for (let item = heap.pop(); item; item = heap.pop()) popped.push(item);
    expect(popped).toEqual([...items].sort((a, b) => a.time - b.time || a.order - b.order));
    expect(heap.size).toBe(0);
  });
});

describe('time', () => {
  it('formats like toISOString', () => {
    const iso = new IsoFormatter();
    for (const ms of [0, 1_715_344_245_123, 1_715_344_245_123, 1_715_385_599_999, 1_709_251_200_000]) {
      expect(iso.format(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('finds local days in the center time zone, with exact daytime hours across a clock change', () => {
    const tz = 'America/New_York';
    const day = Date.UTC(2024, 2, 10) / 86_400_000; // Sunday 10 March 2024: clocks go forward at 02:00
    expect(getWeekday(day)).toBe(0);
    expect(new Date(getLocalMidnight(tz, day - 1)).toISOString()).toBe('2024-03-09T05:00:00.000Z');
    // 07:00 EDT is 11:00 UTC: the day is anchored on its daytime offset.
    expect(new Date(getLocalMidnight(tz, day) + 7 * 3_600_000).toISOString()).toBe('2024-03-10T11:00:00.000Z');
    expect(new Date(getLocalMidnight(tz, day + 1)).toISOString()).toBe('2024-03-11T04:00:00.000Z');
    expect(getLocalDay(tz, Date.UTC(2024, 2, 11, 3, 59))).toBe(day);
    expect(getLocalDay(tz, Date.UTC(2024, 2, 11, 4, 0))).toBe(day + 1);
  });

  it('equals the tenant calendar: its day numbers and weekdays, local midnight on ordinary days, and the clock from 04:00 on clock-change days', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago', 'UTC'];
    const epoch = '1970-01-01';
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) }), (zone, instant) => {
        const day = getLocalDay(zone, instant);
        const date = addLocalDays(epoch, day);
        expect(date).toBe(localDateOf(instant, zone));
        expect(getWeekday(day)).toBe(weekdayOf(date));
        const midnight = getLocalMidnight(zone, day);
        if (localDayHours(date, zone) === 24 && localDayHours(addLocalDays(date, -1), zone) === 24) expect(midnight).toBe(localDayStart(date, zone).getTime());
        // Every quarter-hour from 04:00 on is exact: the simulator's shifts and opening hours.
        for (let slot = 16; slot < 96; slot += 7) expect(midnight + slot * 900_000).toBe(fromLocalSlot(date, slot, zone)!.getTime());
      }),
      { numRuns: 400 },
    );
  });
});
