import { addLocalDays, localDateOf, localDay, localDays } from '@switchboard/calendar';
import { describe, expect, it } from 'vitest';
import { forecastQueue, toLocalDays } from './forecast-queue.ts';

const zone = 'America/New_York';

/** `perInterval` contacts in every real 15-minute interval of [from, to), each handled in 200 s. */
function flatHistory(from: Date, to: Date, perInterval: number) {
  const rows = [];
  for (let t = from.getTime(); t < to.getTime(); t += 900_000) {
    rows.push({ interval_start: new Date(t).toISOString(), offered: perInterval, handled: perInterval, handle_ms_sum: perInterval * 200_000 });
  }
  return rows;
}

function forecastDay(date: string) {
  const { from, to } = localDays(addLocalDays(date, -56), 56, zone);
  return forecastQueue({
    queueId: 'q',
    channel: 'voice',
    timezone: zone,
    history: flatHistory(from, to, 10),
    startDate: date,
    horizonDays: 1,
    specialDays: [],
    holidays: [],
    holidayDefault: 0,
    normalDays: [],
    overrides: [],
  });
}

describe('forecastQueue on clock-change days', () => {
  it("gives New York's spring-forward day 92 quarter-hours and its fall-back day 100, none missing or doubled", () => {
    for (const [date, count] of [
      ['2026-03-08', 92],
      ['2026-11-01', 100],
      ['2026-11-02', 96],
    ] as const) {
      const { intervals } = forecastDay(date);
      const starts = intervals.map((i) => Date.parse(i.interval_start));
      const day = localDay(date, zone);
      expect(intervals).toHaveLength(count);
      expect(new Set(starts).size).toBe(count);
      expect(starts[0]).toBe(day.from.getTime());
      expect(starts.at(-1)! + 900_000).toBe(day.to.getTime());
      starts.slice(1).forEach((s, i) => expect(s - starts[i]!).toBe(900_000));
    }
  });

  it('forecasts a repeated hour at the rate of the hours around it, twice', () => {
    const { intervals } = forecastDay('2026-11-01');
    const volumes = intervals.map((i) => i.volume);
    // 00:00–01:00, the first 01:00–02:00, the second, 02:00–03:00: one flat rate.
    expect(volumes.slice(0, 16).every((v) => Math.abs(v - volumes[0]!) < 1e-6)).toBe(true);
  });
});

describe('toLocalDays', () => {
  it('learns a repeated hour as the mean of its two intervals and leaves a skipped hour empty', () => {
    const fall = localDay('2026-11-01', zone);
    const spring = localDay('2026-03-08', zone);
    const days = toLocalDays([...flatHistory(spring.from, spring.to, 10), ...flatHistory(fall.from, fall.to, 10)], zone, '2027-01-01');
    expect(days.get('2026-11-01')!.offered).toEqual(new Array(96).fill(10));
    expect(days.get('2026-11-01')!.handleSeconds).toEqual(new Array(96).fill(2_000));
    expect(days.get('2026-03-08')!.offered).toEqual([...new Array(8).fill(10), 0, 0, 0, 0, ...new Array(84).fill(10)]);
  });
});

describe('forecastQueue with holidays and detected days', () => {
  it('closes a holiday learned closed, reports the closures it found, and stores the blend behind the volume', () => {
    // Eight weeks Monday to Friday, 10 an interval; Labor Day 2026-09-07 had no contacts.
    const { from, to } = localDays('2026-08-17', 56, zone);
    const history = flatHistory(from, to, 10).filter((row) => {
      const date = localDateOf(new Date(row.interval_start), zone);
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
      return weekday !== 0 && weekday !== 6 && date !== '2026-09-07';
    });
    const holidays = [
      { date: '2026-09-07', name: 'Labor Day' },
      { date: '2026-10-12', name: 'Columbus Day' },
    ];
    const result = forecastQueue({
      queueId: 'q',
      channel: 'voice',
      timezone: zone,
      history,
      startDate: '2026-10-12',
      horizonDays: 2,
      specialDays: [],
      holidays,
      holidayDefault: 1,
      normalDays: [],
      overrides: [],
    });
    const dayTotal = (date: string) => result.intervals.filter((i) => localDateOf(new Date(i.interval_start), zone) === date).reduce((s, i) => s + i.volume, 0);
    // Columbus Day never seen: it takes the effect of the one holiday history has, Labor Day, closed.
    expect(dayTotal('2026-10-12')).toBe(0);
    expect(dayTotal('2026-10-13')).toBeGreaterThan(0);
    // Labor Day was a known holiday, so it is not reported as a detected closure.
    expect(result.detected.map((d) => d.date)).not.toContain('2026-09-07');
    const volume = result.methods.find((m) => m.measure === 'volume')!;
    const blends = JSON.parse(volume.blends) as { weekday: number; members: { weight: number }[] }[];
    expect(blends.map((b) => b.weekday)).toEqual([1, 2]);
    for (const b of blends) expect(b.members.reduce((s, m) => s + m.weight, 0)).toBeCloseTo(1, 9);
  });
});
