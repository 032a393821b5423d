import { describe, expect, it } from 'vitest';
import { adherenceKpis, judgeAdherence, MINUTE_MS, type ScheduledActivity, type StateChange } from './adherence.ts';

/** Minutes counted by hand for each case below; instants are UTC. */
const at = (hhmm: string, date = '2026-06-01') => Date.parse(`${date}T${hhmm}:00Z`);
const activity = (kind: ScheduledActivity['kind'], from: string, to: string, shiftDate = '2026-06-01', date = shiftDate): ScheduledActivity => ({
  kind,
  start: at(from, date),
  end: at(to, date),
  shiftDate,
});
const state = (hhmm: string, s: StateChange['state'], reasonCode?: string): StateChange => ({ at: at(hhmm), state: s, reasonCode });

const day = [activity('work', '09:00', '09:30'), activity('break', '09:30', '09:45'), activity('work', '09:45', '10:00')];
const states = [state('08:58', 'available'), state('09:25', 'break'), state('09:50', 'available')];

describe('adherence', () => {
  it('judges each minute against the activity, with grace at activity edges (hand-counted)', () => {
    const { minutes, sums } = judgeAdherence({ activities: day, states, graceMinutes: 2 });
    const verdicts = (from: string, to: string) => minutes.filter((m) => m.minute >= at(from) && m.minute < at(to)).map((m) => m.verdict);
    // 09:00–09:24 working while scheduled to work.
    expect(new Set(verdicts('09:00', '09:25'))).toEqual(new Set(['adherent']));
    // Went to break at 09:25: 09:25–09:27 out, 09:28–09:29 within 2 minutes of the 09:30 edge.
    expect(verdicts('09:25', '09:30')).toEqual(['out', 'out', 'out', 'grace', 'grace']);
    expect(new Set(verdicts('09:30', '09:45'))).toEqual(new Set(['adherent']));
    // Back at 09:50 instead of 09:45: 09:45–09:46 grace, 09:47–09:49 out.
    expect(verdicts('09:45', '09:50')).toEqual(['grace', 'grace', 'out', 'out', 'out']);
    const sum = sums.get('2026-06-01')!;
    expect(sum).toEqual({ scheduled_min: 60, adherent_min: 54, work_scheduled_min: 45, productive_min: 35 });
    expect(adherenceKpis.adherence.compute(sum)).toBeCloseTo(54 / 60, 12);
    expect(adherenceKpis.conformance.compute(sum)).toBeCloseTo(35 / 45, 12);
    expect(adherenceKpis.out_of_adherence_min.compute(sum)).toBe(6);
  });

  it('counts an approved exception as adherent, and no grace when it is zero', () => {
    const exceptions = [{ start: at('09:25'), end: at('09:28') }];
    expect(judgeAdherence({ activities: day, states, graceMinutes: 2, exceptions }).sums.get('2026-06-01')!.adherent_min).toBe(57);
    expect(judgeAdherence({ activities: day, states, graceMinutes: 0 }).sums.get('2026-06-01')!.adherent_min).toBe(50);
  });

  it('judges a minute by the state the agent spent most of it in', () => {
    const activities = [activity('work', '09:00', '09:02')];
    const split: StateChange[] = [state('08:00', 'break'), { at: at('09:00') + 40_000, state: 'available' }];
    const { minutes } = judgeAdherence({ activities, states: split, graceMinutes: 0 });
    // 40 s of break then 20 s available: a break minute; the next is all available.
    expect(minutes.map((m) => [m.state, m.verdict])).toEqual([
      ['break', 'out'],
      ['available', 'adherent'],
    ]);
  });

  it('takes an agent with no state yet as offline, and leaves time off and unscheduled minutes unjudged', () => {
    const activities = [activity('work', '09:00', '09:10'), activity('time_off', '09:10', '12:00')];
    const { minutes, sums } = judgeAdherence({ activities, states: [], graceMinutes: 1 });
    expect(minutes).toHaveLength(10);
    expect(minutes[0]!.state).toBe('offline');
    // Grace at the shift's start (09:00) and at the edge to time off (09:09); the rest out.
    expect(minutes.map((m) => m.verdict)).toEqual(['grace', 'out', 'out', 'out', 'out', 'out', 'out', 'out', 'out', 'grace']);
    expect(sums.get('2026-06-01')).toEqual({ scheduled_min: 10, adherent_min: 2, work_scheduled_min: 10, productive_min: 0 });
  });

  it('honours reason codes in the mapping: lunch taken as a break with the lunch reason', () => {
    const activities = [activity('lunch', '12:00', '12:30')];
    const lunch = judgeAdherence({ activities, states: [state('12:00', 'break', 'lunch')], graceMinutes: 0 }).sums.get('2026-06-01')!;
    const personal = judgeAdherence({ activities, states: [state('12:00', 'break', 'personal')], graceMinutes: 0 }).sums.get('2026-06-01')!;
    expect([lunch.adherent_min, personal.adherent_min]).toEqual([30, 0]);
    const custom = judgeAdherence({
      activities,
      states: [state('12:00', 'break', 'personal')],
      graceMinutes: 0,
      mapping: { work: [], break: [], lunch: [{ state: 'break' }], meeting: [], coaching: [], training: [] },
    }).sums.get('2026-06-01')!;
    expect(custom.adherent_min).toBe(30);
  });

  it('counts real minutes on the days clocks change (Europe/London, 00:00–04:00 local)', () => {
    // 2026-03-29: 00:00 GMT = 00:00Z, 04:00 BST = 03:00Z — a 3-hour shift.
    const spring = judgeAdherence({
      activities: [{ kind: 'work', start: Date.parse('2026-03-29T00:00:00Z'), end: Date.parse('2026-03-29T03:00:00Z'), shiftDate: '2026-03-29' }],
      states: [{ at: Date.parse('2026-03-28T23:55:00Z'), state: 'available' }],
    });
    expect(spring.sums.get('2026-03-29')).toEqual({ scheduled_min: 180, adherent_min: 180, work_scheduled_min: 180, productive_min: 180 });
    // 2026-10-25: 00:00 BST = 2026-10-24T23:00Z, 04:00 GMT = 04:00Z — a 5-hour shift.
    const autumn = judgeAdherence({
      activities: [{ kind: 'work', start: Date.parse('2026-10-24T23:00:00Z'), end: Date.parse('2026-10-25T04:00:00Z'), shiftDate: '2026-10-25' }],
      states: [{ at: Date.parse('2026-10-24T22:00:00Z'), state: 'on_interaction' }],
    });
    expect(autumn.sums.get('2026-10-25')!.scheduled_min).toBe(300);
  });

  it('keeps a shift across midnight on its start day, minute by minute', () => {
    const night: ScheduledActivity = { kind: 'work', start: at('22:00'), end: at('06:00', '2026-06-02'), shiftDate: '2026-06-01' };
    const next = activity('work', '22:00', '23:00', '2026-06-02');
    const { minutes, sums } = judgeAdherence({
      activities: [night, next],
      states: [state('21:50', 'available'), { at: at('05:00', '2026-06-02'), state: 'offline' }],
      graceMinutes: 0,
    });
    expect(minutes.filter((m) => m.shiftDate === '2026-06-01')).toHaveLength(8 * 60);
    // Logged out an hour early: the last 60 minutes of the night shift are out.
    expect(sums.get('2026-06-01')).toEqual({ scheduled_min: 480, adherent_min: 420, work_scheduled_min: 480, productive_min: 420 });
    expect(sums.get('2026-06-02')).toMatchObject({ scheduled_min: 60, adherent_min: 0 });
  });

  it('judges only minutes that are over (the real-time view passes now)', () => {
    const { minutes } = judgeAdherence({ activities: day, states, until: at('09:10') + MINUTE_MS / 2 });
    expect(minutes).toHaveLength(10);
  });
});
