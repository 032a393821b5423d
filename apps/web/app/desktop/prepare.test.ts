import { describe, expect, it } from 'vitest';
import {
  addNudge,
  clockOffsetMs,
  connectionLabel,
  connectionPlan,
  describeAgentOutcome,
  describeDay,
  dismissNudge,
  emptyNudges,
  formatCountdown,
  initialConnection,
  kpiRows,
  nextActivityText,
  nextConnection,
  parseNudge,
  type Connection,
  type ConnectionEvent,
  type DesktopKpis,
  type DesktopNudge,
  type MyActivity,
} from './prepare';

const nudge = (id: string, firesAt = 0): DesktopNudge => ({ id, kind: 'empathy', message: `message ${id}`, interactionId: 'i-1', firesAt });

describe('nudges', () => {
  it('reads a pushed nudge and drops what is not one', () => {
    expect(parseNudge('{"id":"n1","kind":"hold_update","message":"Update the customer","interactionId":"c9","firesAt":1700000000000}')).toEqual({
      id: 'n1',
      kind: 'hold_update',
      message: 'Update the customer',
      interactionId: 'c9',
      firesAt: 1_700_000_000_000,
    });
    expect(parseNudge('{"id":"n1","kind":"smile","message":"x","interactionId":"c9","firesAt":1}')).toBeNull();
    expect(parseNudge('{"id":"n1","kind":"empathy","message":"x","interactionId":"c9"}')).toBeNull();
    expect(parseNudge('not json')).toBeNull();
  });

  it('puts the newest on top and keeps three', () => {
    let list = emptyNudges;
    for (const id of ['a', 'b', 'c', 'd']) list = addNudge(list, nudge(id));
    expect(list.shown.map((n) => n.id)).toEqual(['d', 'c', 'b']);
    expect(list.seen).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ignores an id already shown: still on screen, dismissed, or pushed out', () => {
    let list = addNudge(addNudge(emptyNudges, nudge('a')), nudge('b'));
    const same = addNudge(list, { ...nudge('b'), message: 'resent' });
    expect(same).toBe(list);

    list = dismissNudge(list, 'a');
    expect(list.shown.map((n) => n.id)).toEqual(['b']);
    expect(addNudge(list, nudge('a')).shown.map((n) => n.id)).toEqual(['b']);

    for (const id of ['c', 'd', 'e']) list = addNudge(list, nudge(id));
    expect(list.shown.map((n) => n.id)).toEqual(['e', 'd', 'c']);
    expect(addNudge(list, nudge('b')).shown.map((n) => n.id)).toEqual(['e', 'd', 'c']);
  });

  it('dismisses only the one asked for, and nothing for an unknown id', () => {
    const list = addNudge(addNudge(emptyNudges, nudge('a')), nudge('b'));
    expect(dismissNudge(list, 'b').shown.map((n) => n.id)).toEqual(['a']);
    expect(dismissNudge(list, 'zzz')).toBe(list);
  });
});

describe('the connection', () => {
  const run = (events: ConnectionEvent['type'][], from: Connection = initialConnection) =>
    events.reduce((c, type) => nextConnection(c, { type } as ConnectionEvent), from);

  it('starts connecting and is live once the stream opens and says ready', () => {
    expect(connectionLabel(initialConnection)).toBe('connecting…');
    expect(run(['open']).state).toBe('live');
    expect(run(['open', 'ready'])).toEqual({ state: 'live', errors: 0, missed: false, everReady: true });
    expect(connectionPlan(run(['open', 'ready']))).toEqual({ reopenInMs: 1_000, pollMs: false });
  });

  it('reconnects after one and two errors in a row, waiting longer each time, and polls after the third', () => {
    const once = run(['open', 'ready', 'error']);
    expect(once).toEqual({ state: 'reconnecting', errors: 1, missed: true, everReady: true });
    expect(connectionLabel(once)).toBe('reconnecting…');
    expect(connectionPlan(once)).toEqual({ reopenInMs: 1_000, pollMs: false });
    const twice = run(['error'], once);
    expect(twice.state).toBe('reconnecting');
    expect(connectionPlan(twice)).toEqual({ reopenInMs: 2_000, pollMs: false });
    const thrice = run(['error'], twice);
    expect(thrice.state).toBe('polling');
    expect(connectionLabel(thrice)).toBe('polling');
    expect(connectionPlan(thrice)).toEqual({ reopenInMs: 30_000, pollMs: 10_000 });
  });

  it('counts errors in a row only: a ready between them starts the count again', () => {
    expect(run(['error', 'error', 'open', 'ready', 'error', 'error']).state).toBe('reconnecting');
  });

  it('still ends in polling when the stream opens and fails at once, over and over (no ready between)', () => {
    expect(run(['open', 'error', 'open', 'error', 'open', 'error']).state).toBe('polling');
  });

  it('stays polling while the 30 s retries fail, and is live again when one gets through', () => {
    const polling = run(['error', 'error', 'error', 'error']);
    expect(polling.state).toBe('polling');
    expect(polling.errors).toBe(4);
    const back = run(['open', 'ready'], polling);
    expect(back).toEqual({ state: 'live', errors: 0, missed: false, everReady: true });
    expect(connectionPlan(back).pollMs).toBe(false);
  });

  it("takes the host's clock from ready, and no offset from something unreadable", () => {
    expect(clockOffsetMs('2025-03-03T12:00:05.000Z', Date.parse('2025-03-03T12:00:00.000Z'))).toBe(5_000);
    expect(clockOffsetMs('2025-03-03T11:59:58.500Z', Date.parse('2025-03-03T12:00:00.000Z'))).toBe(-1_500);
    expect(clockOffsetMs('yesterday', 1)).toBe(0);
    expect(clockOffsetMs(undefined, 1)).toBe(0);
  });
});

describe('the countdown', () => {
  it('counts seconds in the last minute and whole minutes (rounded up) before that', () => {
    expect(formatCountdown(-5)).toBe('now');
    expect(formatCountdown(0)).toBe('now');
    expect(formatCountdown(1)).toBe('in 1 s');
    expect(formatCountdown(42_000)).toBe('in 42 s');
    expect(formatCountdown(42_001)).toBe('in 43 s');
    expect(formatCountdown(60_000)).toBe('in 60 s');
    expect(formatCountdown(60_001)).toBe('in 2 min');
    expect(formatCountdown(240_000)).toBe('in 4 min');
    // 4 min 59 s before 12:30 is 12:25:01: the clocks say five minutes.
    expect(formatCountdown(299_000)).toBe('in 5 min');
    expect(formatCountdown(3_540_001)).toBe('in 1 h');
    expect(formatCountdown(3_600_000)).toBe('in 1 h');
    expect(formatCountdown(3_900_000)).toBe('in 1 h 5 min');
  });
});

// Paris is UTC+1 in early March: 07:00Z is 08:00 on the agent's clock.
const tz = 'Europe/Paris';
let n = 0;
const act = (kind: MyActivity['kind'], start: string, end: string): MyActivity => ({
  id: `a${++n}`,
  agentId: 'agent-1',
  kind,
  start,
  end,
  shiftDate: start.slice(0, 10),
  templateId: null,
});
// Monday 3 March 2025, 08:00–16:00 local with lunch at 12:30; the work before lunch is stored in two pieces.
const day = [
  act('work', '2025-03-03T07:00:00.000Z', '2025-03-03T09:00:00.000Z'),
  act('lunch', '2025-03-03T11:30:00.000Z', '2025-03-03T12:00:00.000Z'),
  act('work', '2025-03-03T09:00:00.000Z', '2025-03-03T11:30:00.000Z'),
  act('work', '2025-03-03T12:00:00.000Z', '2025-03-03T15:00:00.000Z'),
  act('work', '2025-03-03T23:30:00.000Z', '2025-03-04T07:00:00.000Z'),
];

describe('the day on the agent’s clock', () => {
  it('names what is on now and counts down to the next activity', () => {
    const now = Date.parse('2025-03-03T11:25:30.000Z'); // 12:25:30 in Paris
    const view = describeDay(day, now, tz);
    expect(view.current).toEqual({ kind: 'work', text: 'Work until 12:30' });
    expect(view.next).toEqual({ kind: 'lunch', label: 'Lunch', at: '12:30', startMs: Date.parse('2025-03-03T11:30:00.000Z') });
    expect(nextActivityText(view.next!, now)).toBe('Lunch at 12:30 · in 5 min');
    expect(nextActivityText(view.next!, now + 4 * 60_000)).toBe('Lunch at 12:30 · in 30 s');
    expect(view.later).toBeNull();
    expect(view.today).toEqual([
      { kind: 'work', from: '08:00', to: '12:30', current: true },
      { kind: 'lunch', from: '12:30', to: '13:00', current: false },
      { kind: 'work', from: '13:00', to: '16:00', current: false },
    ]);
  });

  it('says the shift starts when nothing is on yet', () => {
    const view = describeDay(day, Date.parse('2025-03-03T06:00:00.000Z'), tz);
    expect(view.current).toBeNull();
    expect(nextActivityText(view.next!, Date.parse('2025-03-03T06:00:00.000Z'))).toBe('Your shift starts at 08:00 · in 1 h');
  });

  it('leaves tomorrow out of today by the local date, not UTC’s, and names the next shift instead', () => {
    // 23:00 in Paris on Monday; the night shift at 00:30 local is Tuesday's although it is still Monday in UTC.
    const view = describeDay(day, Date.parse('2025-03-03T22:00:00.000Z'), tz);
    expect(view.current).toBeNull();
    expect(view.next).toBeNull();
    expect(view.later).toBe('Tue 4 Mar 00:30');
    expect(view.today.map((r) => r.from)).toEqual(['08:00', '12:30', '13:00']);
  });
});

describe('coaching outcomes in words', () => {
  const base = { targetLabel: 'Greeting', target: { type: 'metric', metric: 'aht_s' } as const, outcome: null };
  it('says how a closed assignment ended', () => {
    expect(describeAgentOutcome({ ...base, status: 'cancelled' })).toBe('Cancelled by your coach');
    expect(describeAgentOutcome({ ...base, status: 'closed' })).toBe('Closed');
    expect(describeAgentOutcome({ ...base, status: 'closed', outcome: { outcome: 'not_measured', reason: 'too few calls' } })).toBe(
      'Closed, not measured: too few calls',
    );
    expect(describeAgentOutcome({ ...base, status: 'closed', outcome: { outcome: 'improved', estimate: -12.46, low: -20, high: -4 } })).toBe(
      'Your AHT improved (−12.5 s)',
    );
    expect(
      describeAgentOutcome({
        ...base,
        target: { type: 'metric', metric: 'hold_rate' },
        status: 'closed',
        outcome: { outcome: 'worse', estimate: 0.032, low: 0.01, high: 0.05 },
      }),
    ).toBe('Your hold rate got worse (+3.2 pp)');
    expect(
      describeAgentOutcome({
        ...base,
        target: { type: 'question', questionId: 'greeting' },
        status: 'closed',
        outcome: { outcome: 'no_change', estimate: 0.004, low: -0.05, high: 0.06 },
      }),
    ).toBe('No clear change in your pass rate on “Greeting” (+0.4 pp)');
  });
});

describe("today's figures", () => {
  it('sets the agent beside the team in each catalogue unit, a dash where there is nothing to compute from', () => {
    const kpis = {
      since: '2025-03-02T23:00:00.000Z',
      teamName: 'Team A',
      mine: { handled: 12, aht_s: 245, hold_rate: 0.25, transfer_rate: null, csat: 0.8 },
      team: { agents: 5, handled: 60, aht_s: 300.4, hold_rate: 0.1, transfer_rate: 0.05, csat: null },
    } as DesktopKpis;
    expect(kpiRows(kpis)).toEqual([
      { id: 'handled', label: 'Handled', mine: '12', team: '60' },
      { id: 'aht_s', label: 'AHT', mine: '4:05', team: '5:00' },
      { id: 'hold_rate', label: 'Hold rate', mine: '25.0%', team: '10.0%' },
      { id: 'transfer_rate', label: 'Transfer rate', mine: '—', team: '5.0%' },
      { id: 'csat', label: 'CSAT', mine: '80.0%', team: '—' },
    ]);
  });
});
