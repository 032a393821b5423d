import type { ActivityKind, AgentConfig, TelemetryEvent } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { demoCenter } from './demo-center.ts';
import { createRng } from './rng.ts';
import { defaultDeviations, deviationBounds, drawOutage, planScheduledShift, ScheduleBook, type ScheduleActivity } from './schedule.ts';
import { simulate, simulateLive } from './simulate.ts';
import { getLocalDate, getLocalMidnight, MINUTE_MS } from './time.ts';

const tz = demoCenter.timezone;
/** Tuesday 2024-05-07: a full weekday. */
const tuesday = Date.UTC(2024, 4, 7) / 86_400_000;
const date = getLocalDate(tuesday);
const midnight = getLocalMidnight(tz, tuesday);
const dayEnd = getLocalMidnight(tz, tuesday + 1);
const S = 1000;

const working = demoCenter.agents.filter((a) => a.shift.weekdays.includes(2));
const timeOff = new Set(working.filter((_, i) => i % 10 === 3).map((a) => a.id));
const unscheduled = new Set(working.filter((_, i) => i % 10 === 7).map((a) => a.id));

/**
 * An agent's configured Tuesday shift published half an hour later (so following it is
 * told apart from the configured shift), with a meeting, coaching or training for some.
 */
function publishedDay(agent: AgentConfig, i: number, shiftBy = 30): ScheduleActivity[] {
  const start = midnight + (agent.shift.start_minute + shiftBy) * MINUTE_MS;
  const at = (minutes: number) => start + minutes * MINUTE_MS;
  const one = (kind: ActivityKind, from: number, to: number): ScheduleActivity => ({ agent: agent.id, kind, start: at(from), end: at(to), shiftDate: date });
  if (timeOff.has(agent.id)) return [one('time_off', 0, agent.shift.length_minutes)];
  const away = agent.shift.breaks.map((b) => one(b.kind, b.offset_minutes, b.offset_minutes + b.minutes));
  if (i % 5 === 0) away.push(one('meeting', 30, 60));
  if (i % 5 === 1) away.push(one('coaching', 30, 60));
  if (i % 5 === 2 && agent.shift.length_minutes >= 420) away.push(one('training', 300, 330));
  away.sort((a, b) => a.start - b.start);
  const out: ScheduleActivity[] = [];
  let cursor = start;
  for (const a of away) {
    if (a.start > cursor) out.push({ ...a, kind: 'work', start: cursor, end: a.start });
    out.push(a);
    cursor = a.end;
  }
  out.push({ agent: agent.id, kind: 'work', start: cursor, end: at(agent.shift.length_minutes), shiftDate: date });
  return out;
}

function publishedBook(): { book: ScheduleBook; activities: ScheduleActivity[] } {
  const activities = working.flatMap((a, i) => (unscheduled.has(a.id) ? [] : publishedDay(a, i)));
  const book = new ScheduleBook();
  book.replace([date], activities);
  return { book, activities };
}

interface AgentDay {
  logins: number[];
  logouts: number[];
  states: { at: number; state: string; reason: string | undefined }[];
  any: boolean;
}

function byAgent(events: Iterable<TelemetryEvent>): Map<string, AgentDay> {
  const days = new Map<string, AgentDay>();
  const get = (id: string) => {
    let d = days.get(id);
    if (!d) days.set(id, (d = { logins: [], logouts: [], states: [], any: false }));
    return d;
  };
  for (const e of events) {
    if (!('agent_id' in e) || typeof e.agent_id !== 'string') continue;
    const d = get(e.agent_id);
    d.any = true;
    const at = Date.parse(e.occurred_at);
    if (e.type === 'agent.logged_in') d.logins.push(at);
    if (e.type === 'agent.logged_out') d.logouts.push(at);
    if (e.type === 'agent.state_changed') d.states.push({ at, state: e.state, reason: e.reason_code });
  }
  return days;
}

/** The stretches an agent spent in a state (with a reason), and what came after each. */
function stretches(day: AgentDay, state: string, reason: string) {
  return day.states.flatMap((s, i) => {
    if (s.state !== state || s.reason !== reason || day.states[i - 1]?.state === state) return [];
    const next = day.states.slice(i + 1).find((n) => n.state !== state);
    return next ? [{ start: s.at, end: next.at, nextState: next.state }] : [];
  });
}

const expected = {
  break: { state: 'break', reason: 'scheduled_break' },
  lunch: { state: 'lunch', reason: 'lunch' },
  meeting: { state: 'meeting', reason: 'meeting' },
  coaching: { state: 'meeting', reason: 'coaching' },
  training: { state: 'training', reason: 'training' },
} as const;

describe('ScheduleBook', () => {
  it('keeps the dates it is given, and the same list for an agent whose day is unchanged', () => {
    const book = new ScheduleBook();
    const a: ScheduleActivity = { agent: 'a', kind: 'work', start: 0, end: 60_000, shiftDate: '2024-05-07' };
    const b: ScheduleActivity = { agent: 'b', kind: 'work', start: 0, end: 60_000, shiftDate: '2024-05-07' };
    const elsewhere: ScheduleActivity = { ...a, shiftDate: '2024-05-09' };
    expect(book.replace(['2024-05-07', '2024-05-08'], [a, b, elsewhere])).toBe(true);
    expect(book.version).toBe(1);
    expect(book.activitiesOf('2024-05-09', 'a')).toEqual([]);
    const first = book.activitiesOf('2024-05-07', 'a');
    expect(book.replace(['2024-05-07'], [{ ...a }, { ...b, end: 120_000 }])).toBe(true);
    expect(book.activitiesOf('2024-05-07', 'a')).toBe(first);
    expect(book.activitiesOf('2024-05-07', 'b')[0]!.end).toBe(120_000);
    expect(book.replace(['2024-05-07'], [{ ...a }, { ...b, end: 120_000 }])).toBe(false);
    expect(book.version).toBe(2);
    expect(book.replace(['2024-05-07'], [])).toBe(true);
    expect(book.activitiesOf('2024-05-07', 'a')).toEqual([]);
  });
});

describe('planScheduledShift: deviations', () => {
  const shift: ScheduleActivity[] = [
    { agent: 'x', kind: 'work', start: 0, end: 120 * MINUTE_MS, shiftDate: date },
    { agent: 'x', kind: 'break', start: 120 * MINUTE_MS, end: 135 * MINUTE_MS, shiftDate: date },
    { agent: 'x', kind: 'work', start: 135 * MINUTE_MS, end: 240 * MINUTE_MS, shiftDate: date },
    { agent: 'x', kind: 'lunch', start: 240 * MINUTE_MS, end: 270 * MINUTE_MS, shiftDate: date },
    { agent: 'x', kind: 'work', start: 270 * MINUTE_MS, end: 480 * MINUTE_MS, shiftDate: date },
  ];

  it('happen about as often as configured over a large seeded sample, each within its bounds', () => {
    const n = 20_000;
    let noShows = 0;
    let late = 0;
    let early = 0;
    let long = 0;
    let breaks = 0;
    for (let i = 0; i < n; i++) {
      const plan = planScheduledShift(shift, createRng(11, i), defaultDeviations);
      if (plan.noShow) {
        noShows++;
        continue;
      }
      const [session] = plan.sessions;
      const offset = (session!.loginAt - 0) / S;
      if (offset > 0) {
        late++;
        expect(offset).toBeGreaterThanOrEqual(deviationBounds.lateLoginS[0]);
        expect(offset).toBeLessThanOrEqual(deviationBounds.lateLoginS[1]);
      } else if (-offset > deviationBounds.onTimeLoginS[1]) {
        early++;
        expect(-offset).toBeLessThanOrEqual(deviationBounds.earlyLoginS[1]);
      }
      expect(session!.logoutAt - 480 * MINUTE_MS).toBeGreaterThanOrEqual(0);
      expect(session!.logoutAt - 480 * MINUTE_MS).toBeLessThanOrEqual(deviationBounds.logoutS[1] * S);
      for (const { at, plan: aux } of session!.aux) {
        breaks++;
        expect(at - (aux.until - aux.minutes * MINUTE_MS)).toBeLessThanOrEqual(deviationBounds.auxStartS[1] * S);
        if (aux.overrunMs >= deviationBounds.longBreakS[0] * S) long++;
        else expect(aux.overrunMs).toBeGreaterThanOrEqual(deviationBounds.breakReturnS[0] * S);
        expect(aux.overrunMs).toBeLessThanOrEqual(deviationBounds.longBreakS[1] * S);
      }
    }
    // Within four standard deviations of a binomial count.
    const near = (count: number, of: number, p: number) => expect(Math.abs(count / of - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / of));
    near(noShows, n, defaultDeviations.noShow);
    near(late, n - noShows, defaultDeviations.lateLogin);
    near(early, n - noShows, defaultDeviations.earlyLogin);
    near(long, breaks, defaultDeviations.longBreak);

    let outages = 0;
    for (let day = 0; day < 5000; day++) {
      const outage = drawOutage(createRng(11, day), ['t1', 't2'], 0, defaultDeviations);
      if (!outage) continue;
      outages++;
      expect((outage.end - outage.start) / S).toBeGreaterThanOrEqual(deviationBounds.outageS[0]);
      expect((outage.end - outage.start) / S).toBeLessThanOrEqual(deviationBounds.outageS[1]);
    }
    near(outages, 5000, defaultDeviations.outageDay);
  });

  it('logs out for time off in the middle of a day and back in after it; time off alone is no log-in', () => {
    const split: ScheduleActivity[] = [shift[0]!, { ...shift[1]!, kind: 'time_off', end: 300 * MINUTE_MS }, { ...shift[4]!, start: 300 * MINUTE_MS }];
    const plan = planScheduledShift(split, createRng(1), { ...defaultDeviations, noShow: 0 });
    expect(plan.sessions.map((s) => [s.scheduledStart, s.scheduledEnd])).toEqual([
      [0, 120 * MINUTE_MS],
      [300 * MINUTE_MS, 480 * MINUTE_MS],
    ]);
    expect(planScheduledShift([{ ...shift[0]!, kind: 'time_off' }], createRng(1), defaultDeviations).sessions).toEqual([]);
  });
});

describe('simulate with a published schedule', () => {
  const { book, activities } = publishedBook();
  const events = [...simulate({ seed: 4, start: midnight, end: dayEnd, schedule: book })];
  const days = byAgent(events);

  it('gives no events at all to an agent on time off', () => {
    expect(timeOff.size).toBeGreaterThan(5);
    for (const id of timeOff) expect(days.get(id)?.any ?? false).toBe(false);
  });

  it('keeps the configured shift for agents with nothing published', () => {
    let present = 0;
    for (const agent of working.filter((a) => unscheduled.has(a.id))) {
      const day = days.get(agent.id);
      if (!day) continue;
      present++;
      const offset = (day.logins[0]! - (midnight + agent.shift.start_minute * MINUTE_MS)) / S;
      expect(offset).toBeGreaterThanOrEqual(-240);
      expect(offset).toBeLessThanOrEqual(150);
    }
    expect(present).toBeGreaterThan(5);
  });

  it('logs scheduled agents in around their first activity and out after their last, late or early within the bounds', () => {
    let scheduled = 0;
    let late = 0;
    for (const agent of working.filter((a) => !unscheduled.has(a.id) && !timeOff.has(a.id))) {
      const mine = activities.filter((a) => a.agent === agent.id);
      const day = days.get(agent.id);
      if (!day) continue; // a no-show
      scheduled++;
      expect(day.logins).toHaveLength(1);
      const offset = (day.logins[0]! - mine[0]!.start) / S;
      expect(offset).toBeGreaterThanOrEqual(-deviationBounds.earlyLoginS[1]);
      expect(offset).toBeLessThanOrEqual(deviationBounds.lateLoginS[1]);
      if (offset > 0) late++;
      // Out once the shift is over and the last contact finished.
      expect(day.logouts).toHaveLength(1);
      expect(day.logouts[0]!).toBeGreaterThanOrEqual(mine.at(-1)!.end);
    }
    expect(scheduled).toBeGreaterThan(60);
    expect(late / scheduled).toBeGreaterThan(0.05);
    expect(late / scheduled).toBeLessThan(0.3);
  });

  it('takes breaks, lunches, meetings, coaching and training at their scheduled times, back within the deviation bounds', () => {
    const taken: Record<string, number> = {};
    let due = 0;
    for (const a of activities) {
      if (a.kind === 'work' || a.kind === 'time_off') continue;
      const day = days.get(a.agent);
      if (!day) continue;
      due++;
      const { state, reason } = expected[a.kind];
      const stretch = stretches(day, state, reason).find((s) => s.start >= a.start && s.start < a.end);
      if (!stretch) continue;
      taken[a.kind] = (taken[a.kind] ?? 0) + 1;
      if (stretch.nextState === 'offline') continue;
      const length = (a.end - a.start) / S;
      if (a.kind === 'break' || a.kind === 'lunch') {
        const took = (stretch.end - stretch.start) / S;
        expect(took).toBeGreaterThanOrEqual(length + deviationBounds.breakReturnS[0]);
        expect(took).toBeLessThanOrEqual(length + deviationBounds.longBreakS[1]);
      } else {
        expect((stretch.end - a.end) / S).toBeGreaterThanOrEqual(0);
        expect((stretch.end - a.end) / S).toBeLessThanOrEqual(deviationBounds.meetingEndS[1]);
      }
    }
    const all = Object.values(taken).reduce((x, y) => x + y, 0);
    expect(all / due).toBeGreaterThan(0.9);
    for (const kind of ['break', 'lunch', 'meeting', 'coaching', 'training']) expect(taken[kind] ?? 0).toBeGreaterThan(3);
  });

  it('is one endless stream with a schedule too: a window split in two gives the same events as the whole', () => {
    const from = midnight + 9 * 60 * MINUTE_MS;
    const to = midnight + 15 * 60 * MINUTE_MS;
    const cut = midnight + 11 * 60 * MINUTE_MS + 12_345;
    const whole = [...simulate({ seed: 4, start: from, end: to, schedule: book })].map((e) => JSON.stringify(e));
    const parts = [...simulate({ seed: 4, start: from, end: cut, schedule: book }), ...simulate({ seed: 4, start: cut, end: to, schedule: book })];
    expect(parts.map((e) => JSON.stringify(e))).toEqual(whole);
  });
});

describe('simulate: outages and no schedule', () => {
  it('sends one team to meeting with system_outage for 10–25 minutes on an outage day, all back at once', () => {
    const { book } = publishedBook();
    const days = byAgent(simulate({ seed: 9, start: midnight, end: dayEnd, schedule: book, deviations: { outageDay: 1 } }));
    const teamOf = new Map(demoCenter.agents.map((a) => [a.id, a.team_id]));
    const hit = [...days].flatMap(([id, day]) => stretches(day, 'meeting', 'system_outage').map((s) => ({ id, ...s })));
    expect(hit.length).toBeGreaterThan(3);
    expect(new Set(hit.map((h) => teamOf.get(h.id))).size).toBe(1);
    expect(hit.every((h) => !unscheduled.has(h.id))).toBe(true);
    const end = Math.max(...hit.map((h) => h.end));
    const length = (end - Math.min(...hit.map((h) => h.start))) / S;
    expect(length).toBeGreaterThanOrEqual(deviationBounds.outageS[0]);
    expect(length).toBeLessThanOrEqual(deviationBounds.outageS[1]);
    expect(hit.filter((h) => h.nextState !== 'offline').every((h) => h.end === end)).toBe(true);

    const none = byAgent(simulate({ seed: 9, start: midnight, end: dayEnd, schedule: book, deviations: { outageDay: 0 } }));
    expect([...none.values()].some((day) => stretches(day, 'meeting', 'system_outage').length > 0)).toBe(false);
  });

  it('gives the very same events with an empty schedule as without one', () => {
    const window = { seed: 2, start: midnight + 6 * 60 * MINUTE_MS, end: midnight + 12 * 60 * MINUTE_MS };
    const without = [...simulate(window)].map((e) => JSON.stringify(e));
    expect([...simulate({ ...window, schedule: new ScheduleBook() })].map((e) => JSON.stringify(e))).toEqual(without);
  });
});

describe('simulateLive', () => {
  it('gives the same stream as simulate when moved on in steps', () => {
    const from = midnight + 8 * 60 * MINUTE_MS;
    const to = midnight + 10 * 60 * MINUTE_MS;
    const live = simulateLive({ seed: 5, start: from });
    const stepped: TelemetryEvent[] = [];
    for (let t = from; t <= to; t += 7 * MINUTE_MS + 333) stepped.push(...live.advanceTo(Math.min(t, to)));
    stepped.push(...live.advanceTo(to));
    expect(stepped.map((e) => JSON.stringify(e))).toEqual([...simulate({ seed: 5, start: from, end: to })].map((e) => JSON.stringify(e)));
  });

  it('follows a schedule published during the day from then on, for the agents who have not logged in yet', () => {
    const book = new ScheduleBook();
    const live = simulateLive({ seed: 6, start: midnight, schedule: book, deviations: { noShow: 0 } });
    const publishedAt = midnight + 10 * 60 * MINUTE_MS;
    const before = byAgent(live.advanceTo(publishedAt));
    // Everyone working today is scheduled an hour later than configured.
    const published = working.flatMap((a, i) => (timeOff.has(a.id) || unscheduled.has(a.id) ? [] : publishedDay(a, i, 60)));
    book.replace([date], published);
    const after = byAgent(live.advanceTo(dayEnd));
    let followed = 0;
    let kept = 0;
    let keptOnTime = 0;
    for (const agent of working.filter((a) => !timeOff.has(a.id) && !unscheduled.has(a.id))) {
      const first = published.find((p) => p.agent === agent.id)!;
      const configuredEnd = midnight + (agent.shift.start_minute + agent.shift.length_minutes) * MINUTE_MS;
      if (before.get(agent.id)?.logins.length) {
        // Already at work: the day they began is kept.
        expect(after.get(agent.id)?.logins ?? []).toEqual([]);
        const logout = after.get(agent.id)!.logouts[0]!;
        expect(logout).toBeGreaterThanOrEqual(configuredEnd);
        kept++;
        // Not the published end an hour later (unless email kept them on).
        if (logout < configuredEnd + 30 * MINUTE_MS) keptOnTime++;
      } else if (first.start > publishedAt + deviationBounds.earlyLoginS[1] * S) {
        const offset = (after.get(agent.id)!.logins[0]! - first.start) / S;
        expect(offset).toBeGreaterThanOrEqual(-deviationBounds.earlyLoginS[1]);
        expect(offset).toBeLessThanOrEqual(deviationBounds.lateLoginS[1]);
        followed++;
      }
    }
    expect(kept).toBeGreaterThan(10);
    expect(keptOnTime / kept).toBeGreaterThan(0.8);
    expect(followed).toBeGreaterThan(10);
  });

  it('does not bring in, late at night, the agents on time off when the schedule is withdrawn', () => {
    const { book } = publishedBook();
    const live = simulateLive({ seed: 6, start: midnight, schedule: book });
    live.advanceTo(midnight + 23 * 60 * MINUTE_MS);
    book.replace([date], []);
    const late = live.advanceTo(dayEnd);
    expect(late.filter((e) => e.type === 'agent.logged_in')).toEqual([]);
  });
});
