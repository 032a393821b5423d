import { describe, expect, it } from 'vitest';
import { formatIn, localClockToInstant, minuteRuns, prepareGantt, type Gantt, type Minutes } from './prepare';

const tz = 'America/New_York';

describe('prepareGantt', () => {
  // 2026-11-01: clocks go back at 02:00, a 25-hour day from 04:00Z to 05:00Z the next day.
  const gantt = {
    date: '2026-11-01',
    timezone: tz,
    dayStart: '2026-11-01T04:00:00.000Z',
    dayEnd: '2026-11-02T05:00:00.000Z',
    now: '2026-11-01T16:30:00.000Z',
    graceMinutes: 2,
    agents: [
      {
        key: 'a-1',
        name: 'Ann',
        teamName: 'Retail',
        // The night shift began the day before: its minutes are that day's.
        shiftDate: '2026-10-31',
        adherence: 0.5,
        scheduledMin: 10,
        conformance: null,
        outOfAdherenceMin: 5,
        // A night shift from the day before runs into this one: cut at the day's start.
        activities: [{ kind: 'work', start: '2026-11-01T02:00:00.000Z', end: '2026-11-01T06:30:00.000Z' }],
        states: [{ state: 'available', reasonCode: null, start: '2026-11-01T04:00:00.000Z', end: '2026-11-01T16:30:00.000Z' }],
        out: [{ start: '2026-11-01T06:00:00.000Z', end: '2026-11-01T06:30:00.000Z' }],
        exceptions: [{ id: 'e', status: 'approved', reason: 'system_outage', start: '2026-11-01T05:00:00.000Z', end: '2026-11-01T05:30:00.000Z' }],
      },
    ],
  } as Gantt;

  it('places spans in percent of the hours that matter, cut to the day, with the now line', () => {
    // From the day's start (nothing earlier in it) to an hour after now (16:30Z): 04:00Z–18:00Z, 14 hours.
    const model = prepareGantt(gantt);
    const row = model.rows[0]!;
    const hour = 100 / 14;
    expect(row.shiftDate).toBe('2026-10-31');
    expect(row.scheduled[0]!.left).toBe(0);
    expect(row.scheduled[0]!.width).toBeCloseTo(2.5 * hour, 10);
    expect(row.out[0]!.left).toBeCloseTo(2 * hour, 10);
    expect(row.exceptions[0]).toMatchObject({ status: 'approved', reason: 'system_outage' });
    expect(row.exceptions[0]!.left).toBeCloseTo(hour, 10);
    expect(row.actual[0]!.width).toBeCloseTo(12.5 * hour, 10);
    expect(model.now).toBeCloseTo(12.5 * hour, 10);
  });

  it('labels the local clock hours, 01:00 twice on the day clocks go back', () => {
    const { hours } = prepareGantt(gantt);
    expect(hours).toHaveLength(14);
    expect(hours.slice(0, 4).map((h) => h.label)).toEqual(['00:00', '01:00', '01:00', '02:00']);
    expect(hours[3]!.left).toBeCloseTo(300 / 14, 10);
  });

  it('shows the whole day when nothing happened', () => {
    const quiet = {
      ...gantt,
      now: '2026-11-03T00:00:00.000Z',
      agents: [{ ...gantt.agents[0]!, activities: [], states: [], out: [], exceptions: [] }],
    } as Gantt;
    const model = prepareGantt(quiet);
    expect(model.hours).toHaveLength(25);
    expect(model.now).toBeNull();
  });
});

describe('localClockToInstant', () => {
  it('reads a local time on its day, across a clock change, and refuses a skipped one', () => {
    expect(localClockToInstant('2026-03-08', '01:59', tz)?.toISOString()).toBe('2026-03-08T06:59:00.000Z');
    expect(localClockToInstant('2026-03-08', '02:30', tz)).toBeNull();
    expect(localClockToInstant('2026-03-08', '03:05', tz)?.toISOString()).toBe('2026-03-08T07:05:00.000Z');
    expect(localClockToInstant('2026-03-08', '24:00', tz)).toBeNull();
  });
});

describe('minuteRuns', () => {
  it('joins consecutive minutes that read the same', () => {
    const minute = (hhmm: string, verdict: Minutes['minutes'][number]['verdict'], state = 'available') =>
      ({ minute: `2026-06-01T${hhmm}:00.000Z`, activity: 'work', state, reasonCode: null, verdict }) as Minutes['minutes'][number];
    const runs = minuteRuns([
      minute('09:00', 'grace', 'offline'),
      minute('09:01', 'grace', 'offline'),
      minute('09:02', 'adherent'),
      minute('09:03', 'adherent'),
      minute('09:05', 'adherent'),
    ]);
    expect(runs.map((r) => [r.start.slice(11, 16), r.end.slice(11, 16), r.count, r.verdict])).toEqual([
      ['09:00', '09:02', 2, 'grace'],
      ['09:02', '09:04', 2, 'adherent'],
      ['09:05', '09:06', 1, 'adherent'],
    ]);
  });
});

describe('formatIn', () => {
  it('says how long until something', () => {
    expect(formatIn(4 * 60_000)).toBe('in 4 min');
    expect(formatIn(3 * 60_000 + 20_000)).toBe('in 3 min');
    expect(formatIn(10_000)).toBe('in 1 min');
    expect(formatIn(125 * 60_000)).toBe('in 2 h 5 min');
    expect(formatIn(0)).toBe('now');
  });
});
