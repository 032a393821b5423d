import { describe, expect, it } from 'vitest';
import {
  addAdherenceSums,
  adherenceKpis,
  emptyAdherenceSums,
  judgeAdherence,
  judgeNow,
  MINUTE_MS,
  spansOf,
  type ScheduledActivity,
  type StateChange,
} from './adherence.ts';

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

  it('judges a day in two parts exactly as in one (the real-time view judges the settled part once)', () => {
    const whole = judgeAdherence({ activities: day, states, graceMinutes: 2, window: { start: at('08:00'), end: at('11:00') } }).sums;
    for (const cut of ['08:00', '09:00', '09:27', '09:30', '09:46', '11:00']) {
      const before = states.filter((s) => s.at < at(cut));
      const first = judgeAdherence({ activities: day, states: before, graceMinutes: 2, window: { start: at('08:00'), end: at(cut) } }).sums;
      const after = [...before.slice(-1), ...states.filter((s) => s.at >= at(cut))];
      const second = judgeAdherence({ activities: day, states: after, graceMinutes: 2, window: { start: at(cut), end: at('11:00') } }).sums;
      const total = [...first.values(), ...second.values()].reduce(addAdherenceSums, emptyAdherenceSums());
      expect(total, `cut at ${cut}`).toEqual(whole.get('2026-06-01'));
    }
  });

  it('has no edge where an activity continues in one of the same kind, and one at each end of a gap', () => {
    const split = [activity('work', '09:00', '09:10'), activity('work', '09:10', '09:20'), activity('work', '09:30', '09:40')];
    const { minutes } = judgeAdherence({ activities: split, states: [state('08:00', 'break')], graceMinutes: 1 });
    const grace = minutes.filter((m) => m.verdict === 'grace').map((m) => new Date(m.minute).toISOString().slice(11, 16));
    expect(grace).toEqual(['09:00', '09:19', '09:30', '09:39']);
  });

  it('lists the states as spans, offline before the first one', () => {
    expect(spansOf(states, at('08:50'), at('10:00'))).toEqual([
      { start: at('08:50'), end: at('08:58'), state: 'offline', reasonCode: null },
      { start: at('08:58'), end: at('09:25'), state: 'available', reasonCode: null },
      { start: at('09:25'), end: at('09:50'), state: 'break', reasonCode: null },
      { start: at('09:50'), end: at('10:00'), state: 'available', reasonCode: null },
    ]);
  });

  describe('now (the real-time view)', () => {
    const now = (hhmm: string, s: StateChange['state'], since: string | null, extra: { graceMinutes?: number; reasonCode?: string } = {}) =>
      judgeNow({
        activities: day,
        state: s,
        reasonCode: extra.reasonCode ?? null,
        since: since === null ? null : at(since),
        graceMinutes: extra.graceMinutes ?? 2,
        now: at(hhmm),
      });

    it('is adherent in a state the activity allows, out since the state began otherwise', () => {
      expect(now('09:10', 'available', '08:58')).toMatchObject({ status: 'adherent', outSince: null, activity: { kind: 'work' } });
      expect(now('09:27', 'break', '09:25')).toMatchObject({ status: 'out', outSince: at('09:25') });
      expect(now('09:35', 'break', '09:25')).toMatchObject({ status: 'adherent' });
    });

    it('counts from the end of the grace when the state began near an edge', () => {
      // Still on break after it ended at 09:45: within grace until 09:47, then out from 09:47.
      expect(now('09:46', 'break', '09:25')).toMatchObject({ status: 'grace', outSince: null });
      expect(now('09:50', 'break', '09:25')).toMatchObject({ status: 'out', outSince: at('09:47') });
      // With no grace, out from the edge itself.
      expect(now('09:50', 'break', '09:25', { graceMinutes: 0 })).toMatchObject({ status: 'out', outSince: at('09:45') });
    });

    it('goes back over earlier activities the state does not fit either', () => {
      // Logged out since 08:00: out of the work from 09:02 (grace at the shift start) through the break and after.
      expect(now('09:50', 'offline', '08:00')).toMatchObject({ status: 'out', outSince: at('09:02') });
      expect(now('09:50', 'offline', null)).toMatchObject({ status: 'out', outSince: at('09:02') });
    });

    it('is excused inside an exception and counts from its end after it', () => {
      const exceptions = [{ start: at('09:20'), end: at('09:40') }];
      const base = { activities: day, state: 'offline' as const, reasonCode: null, since: at('09:20'), exceptions, graceMinutes: 2 };
      expect(judgeNow({ ...base, now: at('09:30') })).toMatchObject({ status: 'exception' });
      // Offline through the break as well: out from the exception's end.
      expect(judgeNow({ ...base, now: at('09:55') })).toMatchObject({ status: 'out', outSince: at('09:40') });
      expect(judgeNow({ ...base, since: at('09:10'), exceptions: [{ start: at('09:05'), end: at('09:12') }], now: at('09:20') })).toMatchObject({
        status: 'out',
        outSince: at('09:12'),
      });
    });

    it('honours reason codes, and judges nothing outside the schedule or in time off', () => {
      const lunch = [activity('lunch', '12:00', '12:30'), activity('time_off', '12:30', '17:00')];
      const base = { activities: lunch, since: at('12:00'), graceMinutes: 0 };
      expect(judgeNow({ ...base, state: 'break', reasonCode: 'lunch', now: at('12:10') }).status).toBe('adherent');
      expect(judgeNow({ ...base, state: 'break', reasonCode: 'personal', now: at('12:10') }).status).toBe('out');
      expect(judgeNow({ ...base, state: 'available', reasonCode: null, now: at('13:00') })).toMatchObject({
        status: 'time_off',
        activity: { kind: 'time_off' },
      });
      expect(judgeNow({ ...base, state: 'available', reasonCode: null, now: at('18:00') })).toEqual({ status: 'unscheduled', activity: null, outSince: null });
    });
  });
});
