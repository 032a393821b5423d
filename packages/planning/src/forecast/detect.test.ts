import { describe, expect, it } from 'vitest';
import { dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import { createExpectation, detectUnusualDays } from './detect.ts';
import { prepareRequest } from './special-days.ts';
import { createCentre, type Centre, type WeekShape } from '../../test/centres.ts';
import { createWeekdaySeries } from '../../test/series.ts';
import type { Day, IsoDate } from './types.ts';

const sumOf = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
const shapes: WeekShape[] = ['mon-fri', 'sun-thu', 'short-friday', 'seven-day', 'always-open', 'night'];

/** Multiplies the days `select` picks by `factor`. */
function scale(days: readonly Day[], factor: number, select: (day: Day, index: number) => boolean): Day[] {
  return days.map((d, i) => (select(d, i) ? { date: d.date, values: d.values.map((v) => v * factor) } : d));
}

/** The first two opening days after each of the generator's closures, whose jump detection leaves to the methods. */
function getDaysAfterClosures(centre: Centre): Set<IsoDate> {
  const openWeekdays = new Set(centre.days.map((d) => weekdayOfDayNumber(dayNumberOf(d.date))));
  const out = new Set<IsoDate>();
  for (const [date, kind] of centre.events) {
    if (kind !== 'closed') continue;
    let found = 0;
    for (let n = dayNumberOf(date) + 1; found < 2 && n < dayNumberOf(date) + 8; n++) {
      if (!openWeekdays.has(weekdayOfDayNumber(n))) continue;
      out.add(dateOfDayNumber(n));
      found++;
    }
  }
  return out;
}

describe('detectUnusualDays on generated centres', () => {
  // Two seeds of every week shape, 20 weeks each, with 3 closures, 4 outages and 4 promotions unflagged.
  const centres = shapes.flatMap((shape) =>
    [11, 12].map((seed) => ({
      shape,
      seed,
      centre: createCentre({ shape, seed, firstDate: '2024-01-01', weeks: 20, closures: 3, outages: 4, promotions: 4 }),
    })),
  );
  const results = centres.map(({ shape, seed, centre }) => {
    const prepared = prepareRequest({ history: centre.days, targets: ['2024-05-20'] });
    return { shape, seed, centre, prepared, detected: new Map(prepared.detected.map((d) => [d.date, d])) };
  });

  it('finds every generated closure, absent or all zero, as closed', () => {
    let absent = 0;
    let zero = 0;
    for (const { centre, detected } of results) {
      const last = centre.days[centre.days.length - 1]!.date;
      for (const [date, kind] of centre.events) {
        // A closure after the last exported day is indistinguishable from history ending earlier.
        if (kind !== 'closed' || date > last) continue;
        if (centre.days.some((d) => d.date === date)) zero++;
        else absent++;
        expect(detected.get(date)?.kind, `${date}`).toBe('closed');
        expect(detected.get(date)!.total).toBe(0);
      }
    }
    // Both ways a closure shows in an export are covered.
    expect(absent).toBeGreaterThan(3);
    expect(zero).toBeGreaterThan(3);
  });

  it('finds most big outages and promotions, with few false alarms', () => {
    let big = 0;
    let found = 0;
    let normal = 0;
    let falseAlarms = 0;
    for (const { centre, detected } of results) {
      const clean = centre.days.filter((d) => !centre.events.has(d.date));
      const afterClosures = getDaysAfterClosures(centre);
      for (const [date, kind] of centre.events) {
        if (kind === 'closed' || afterClosures.has(date)) continue;
        const total = sumOf(centre.days.find((d) => d.date === date)!.values);
        const expected = createExpectation(clean)(date)!;
        if (Math.abs(total / expected - 1) <= 0.4) continue;
        big++;
        // An outage that left under 10% of the day is a closure by the detection's own rule.
        const kindWanted = total < 0.1 * expected ? 'closed' : 'unusual';
        if (detected.get(date)?.kind === kindWanted) found++;
      }
      for (const day of centre.days) {
        if (centre.events.has(day.date)) continue;
        normal++;
        if (detected.has(day.date)) falseAlarms++;
      }
    }
    expect(big).toBeGreaterThan(40);
    expect(found / big).toBeGreaterThanOrEqual(0.9);
    expect(falseAlarms / normal).toBeLessThanOrEqual(0.02);
  });

  it('reports days in date order, only on opening weekdays, with expected totals near the normal level', () => {
    for (const { centre, prepared } of results) {
      const dates = prepared.detected.map((d) => d.date);
      expect(dates).toEqual([...dates].sort());
      expect(new Set(dates).size).toBe(dates.length);
      const clean = centre.days.filter((d) => !centre.events.has(d.date));
      const openWeekdays = new Set(centre.days.map((d) => weekdayOfDayNumber(dayNumberOf(d.date))));
      for (const d of prepared.detected) {
        expect(openWeekdays.has(weekdayOfDayNumber(dayNumberOf(d.date)))).toBe(true);
        const day = centre.days.find((x) => x.date === d.date);
        expect(d.total).toBe(day ? sumOf(day.values) : 0);
        const normal = createExpectation(clean)(d.date)!;
        expect(d.expected / normal).toBeGreaterThan(0.85);
        expect(d.expected / normal).toBeLessThan(1.15);
      }
      // Detected days leave the history the methods fit.
      const kept = new Set(prepared.history.map((d) => d.date));
      for (const d of prepared.detected) expect(kept.has(d.date)).toBe(false);
    }
  });
});

describe('detectUnusualDays rules', () => {
  const centre = createCentre({ shape: 'mon-fri', seed: 5, firstDate: '2024-01-01', weeks: 16 });
  const days = centre.days;

  it('flags nothing on a clean centre', () => {
    expect(centre.events.size).toBe(0);
    expect(detectUnusualDays(days, new Set())).toEqual([]);
    expect(prepareRequest({ history: days, targets: ['2024-04-22'] }).detected).toEqual([]);
  });

  it('follows a genuine +40% level shift over the last three weeks of a steady series instead of flagging it', () => {
    const flat = createWeekdaySeries('2024-01-01', 16, () => [40, 60]);
    const shifted = scale(flat, 1.4, (_, i) => i >= flat.length - 15);
    expect(detectUnusualDays(shifted, new Set())).toEqual([]);
    expect(prepareRequest({ history: shifted, targets: ['2024-04-22'] }).detected).toEqual([]);
  });

  // With day-to-day noise a +40% shift sits near the 0.25 log-ratio threshold; a day just under
  // it must not split the shift into short runs that would be flagged as events.
  it('follows a genuine +40% level shift over the last three weeks of a steady series instead of flagging it', () => {
    const flat = createWeekdaySeries('2024-01-01', 16, () => [40, 60]);
    const shifted = scale(flat, 1.4, (_, i) => i >= flat.length - 15);
    expect(detectUnusualDays(shifted, new Set())).toEqual([]);
    expect(prepareRequest({ history: shifted, targets: ['2024-04-22'] }).detected).toEqual([]);
  });

  // BUG (reported, not fixed): with day-to-day noise, a +40% shift sits close to the 0.25 log-ratio
  // threshold; one shifted day just under it splits the run, and the pieces of ≤ 4 days are flagged
  // as events and dropped from the fit. Here 2024-04-01..03 are flagged (Thursday's log ratio is 0.24).
  // 19 of 20 seeds (mon-fri and seven-day, seeds 1–10) flag part of the shift. Turn into \`it\` once fixed.
  it('follows a genuine +40% level shift over the last three weeks of a noisy centre instead of flagging it', () => {
    const shifted = scale(days, 1.4, (_, i) => i >= days.length - 15);
    expect(detectUnusualDays(shifted, new Set())).toEqual([]);
    expect(prepareRequest({ history: shifted, targets: ['2024-04-22'] }).detected).toEqual([]);
  });

  it('flags a short burst mid-history, but not one still going at the end of history', () => {
    // Three days at +60% in week 8 are an event; the same three days ending history may be a new level.
    const burst = scale(days, 1.6, (_, i) => i >= 36 && i < 39);
    expect(detectUnusualDays(burst, new Set()).map((d) => d.date)).toEqual(days.slice(36, 39).map((d) => d.date));
    const atEnd = scale(days, 1.6, (_, i) => i >= days.length - 3);
    expect(detectUnusualDays(atEnd, new Set())).toEqual([]);
    const twoAtEnd = scale(days, 1.6, (_, i) => i >= days.length - 2);
    expect(detectUnusualDays(twoAtEnd, new Set()).map((d) => d.date)).toEqual(days.slice(-2).map((d) => d.date));
  });

  it('flags a one-day spike on the last day of history', () => {
    const spiked = scale(days, 2, (_, i) => i === days.length - 1);
    const last = spiked[spiked.length - 1]!;
    const found = prepareRequest({ history: spiked, targets: ['2024-04-22'] }).detected;
    expect(found.map((d) => [d.date, d.kind])).toEqual([[last.date, 'unusual']]);
    expect(found[0]!.total).toBe(sumOf(last.values));
    expect(found[0]!.total / found[0]!.expected).toBeGreaterThan(1.7);
    expect(found[0]!.total / found[0]!.expected).toBeLessThan(2.3);
  });

  it('leaves days the planner says are normal alone', () => {
    const spikeDate = days[50]!.date;
    const spiked = scale(days, 2, (d) => d.date === spikeDate);
    const flagged = prepareRequest({ history: spiked, targets: ['2024-04-22'] });
    expect(flagged.detected.map((d) => d.date)).toEqual([spikeDate]);
    expect(flagged.history.some((d) => d.date === spikeDate)).toBe(false);
    const told = prepareRequest({ history: spiked, targets: ['2024-04-22'], normalDays: [spikeDate] });
    expect(told.detected).toEqual([]);
    expect(told.history.some((d) => d.date === spikeDate)).toBe(true);
    // A zero day the planner calls normal is not a closure either.
    const zeroed = spiked.map((d) => (d.date === spikeDate ? { date: d.date, values: d.values.map(() => 0) } : d));
    expect(prepareRequest({ history: zeroed, targets: ['2024-04-22'] }).detected.map((d) => [d.date, d.kind])).toEqual([[spikeDate, 'closed']]);
    expect(prepareRequest({ history: zeroed, targets: ['2024-04-22'], normalDays: [spikeDate] }).detected).toEqual([]);
  });

  it('does not flag the backlog on the first days after a closure', () => {
    // Wednesday 2024-03-13 closed (absent); Thursday +25% and, in a second case, +50% / Friday +30%.
    const closedDate = '2024-03-13';
    const open = days.filter((d) => d.date !== closedDate);
    const mild = scale(open, 1.25, (d) => d.date === '2024-03-14');
    const mildPrepared = prepareRequest({ history: mild, targets: ['2024-04-22'] });
    expect(mildPrepared.detected.map((d) => [d.date, d.kind])).toEqual([[closedDate, 'closed']]);
    expect(mildPrepared.history.some((d) => d.date === '2024-03-14')).toBe(true);

    const strong = scale(
      scale(open, 1.5, (d) => d.date === '2024-03-14'),
      1.3,
      (d) => d.date === '2024-03-15',
    );
    expect(prepareRequest({ history: strong, targets: ['2024-04-22'] }).detected.map((d) => d.date)).toEqual([closedDate]);
    // Without knowing about the closure, the +50% day would be an unusual day: the skip is what keeps it.
    expect(detectUnusualDays(strong, new Set()).map((d) => d.date)).toContain('2024-03-14');
  });
});

describe('detectUnusualDays on a flat series', () => {
  // Monday–Friday at exactly 10,000 a day: no spread, so the 0.25 log-ratio floor decides (the
  // volume is high enough for counting noise, four √10,000 = 400, not to).
  const flat = (weeks: number) => createWeekdaySeries('2024-01-01', weeks, () => [4_000, 6_000]);
  const withTotal = (days: Day[], index: number, total: number) => days.map((d, i) => (i === index ? { date: d.date, values: [total * 0.4, total * 0.6] } : d));

  it('needs three same-weekday neighbours before calling a day closed', () => {
    // Week 1's Monday at 500: with 3 weeks of history it has only two later Mondays to compare with.
    expect(detectUnusualDays(withTotal(flat(3), 0, 500), new Set())).toEqual([]);
    expect(detectUnusualDays(withTotal(flat(4), 0, 500), new Set())).toEqual([{ date: '2024-01-01', kind: 'closed', total: 500, expected: 10_000 }]);
    // 10% exactly is not below the closure share; it is far enough off to be unusual.
    expect(detectUnusualDays(withTotal(flat(4), 0, 1_000), new Set())).toEqual([{ date: '2024-01-01', kind: 'unusual', total: 1_000, expected: 10_000 }]);
  });

  it('calls a day unusual from a log ratio of 0.25 when the series has no spread of its own', () => {
    expect(detectUnusualDays(withTotal(flat(6), 12, 13_000), new Set()).map((d) => d.total)).toEqual([13_000]);
    expect(detectUnusualDays(withTotal(flat(6), 12, 12_700), new Set())).toEqual([]);
    expect(detectUnusualDays(withTotal(flat(6), 12, 7_600), new Set()).map((d) => d.total)).toEqual([7_600]);
    expect(detectUnusualDays(withTotal(flat(6), 12, 8_000), new Set())).toEqual([]);
  });

  it('lets a quiet day differ by its counting noise: within four √expected it is normal', () => {
    // 100 a day: 130 is a log ratio of 0.26 but only three √100 off; 150 is five.
    const quiet = createWeekdaySeries('2024-01-01', 6, () => [40, 60]);
    const at = (total: number) => quiet.map((d, i) => (i === 12 ? { date: d.date, values: [total * 0.4, total * 0.6] } : d));
    expect(detectUnusualDays(at(130), new Set())).toEqual([]);
    expect(detectUnusualDays(at(150), new Set()).map((d) => d.total)).toEqual([150]);
  });

  it('counts runs of up to four days as events, longer runs as a new level', () => {
    const run = (length: number) => flat(8).map((d, i) => (i >= 10 && i < 10 + length ? { date: d.date, values: [8_000, 12_000] } : d));
    expect(detectUnusualDays(run(4), new Set())).toHaveLength(4);
    expect(detectUnusualDays(run(5), new Set())).toEqual([]);
    // A skipped day inside the run is not counted in it, nor does it break it.
    const skipped = new Set([flat(8)[11]!.date]);
    expect(detectUnusualDays(run(5), skipped)).toHaveLength(4);
  });
});
