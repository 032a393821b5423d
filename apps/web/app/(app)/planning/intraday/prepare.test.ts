import { localDaySlots } from '@switchboard/calendar';
import { describe, expect, it } from 'vitest';
import {
  describeAccuracy,
  describeLastRun,
  describeMove,
  describeOffer,
  describeProposal,
  describeRefusal,
  formatAgo,
  formatGap,
  labelAt,
  markGap,
  parseSettings,
  prepareIntradayChart,
  splitProposals,
  type IntradayDay,
  type Proposal,
} from './prepare';

const tz = 'America/New_York';

/** A day's intervals as the API answers them, one per local quarter-hour. */
function dayOf(date: string, now: string, gap = (_k: number) => 0): IntradayDay {
  const intervals = localDaySlots(date, tz, 15).map((s, k) => ({
    start: s.start.toISOString(),
    forecast: 10,
    reforecast: 12,
    actual: s.end.getTime() <= Date.parse(now) ? 11 : null,
    required: 5,
    scheduled: 6,
    excepted: 0.5,
    absent: 0.5,
    net: 5 + gap(k),
    gap: gap(k),
  }));
  return {
    date,
    timezone: tz,
    now,
    canDecide: true,
    groups: [],
    groupId: null,
    run: null,
    intervals,
    accuracy: { intervals: 0, forecastWape: null, reforecastWape: null },
    proposals: [],
    settings: { gapThreshold: 2, leadMinutes: 30 },
  } as IntradayDay;
}

describe('prepareIntradayChart', () => {
  it('puts each interval at its middle, hours at their edges and now inside its interval', () => {
    // 10:20 local (EDT, UTC−4): a third of the way into interval 41.
    const model = prepareIntradayChart(dayOf('2026-06-01', '2026-06-01T14:20:00.000Z', (k) => (k === 40 ? -2 : k === 41 ? 1.5 : 0)));
    expect(model.points).toHaveLength(96);
    expect(model.domain).toEqual([0, 96]);
    expect(model.points[40]).toMatchObject({ x: 40.5, gap: -2, mark: 'short' });
    expect(model.points[41]).toMatchObject({ mark: 'ok' });
    expect(model.now).toBeCloseTo(41 + 1 / 3, 10);
    expect(model.ticks).toHaveLength(24);
    expect(model.ticks[10]).toEqual({ x: 40, label: '10:00' });
    expect(labelAt(model, 41.4)).toBe('10:15–10:30');
    // Actuals only where the interval is over: null ahead, never 0.
    expect(model.points[40]!.actual).toBe(11);
    expect(model.points[41]!.actual).toBeNull();
  });

  it('keeps the 100 intervals of the day clocks go back, with 01:00 twice', () => {
    const model = prepareIntradayChart(dayOf('2026-11-01', '2026-11-01T05:30:00.000Z'));
    expect(model.points).toHaveLength(100);
    expect(model.ticks.slice(0, 4).map((t) => [t.x, t.label])).toEqual([
      [0, '00:00'],
      [4, '01:00'],
      [8, '01:00'],
      [12, '02:00'],
    ]);
    // 05:30Z is 01:30 EDT, the first time round: interval 6.
    expect(model.now).toBeCloseTo(6, 10);
    expect(labelAt(model, 99.5)).toBe('23:45–00:00');
  });

  it('has no now line on another day', () => {
    expect(prepareIntradayChart(dayOf('2026-06-01', '2026-06-03T14:20:00.000Z')).now).toBeNull();
  });
});

describe('gaps', () => {
  it('marks a gap beyond the threshold either way, the threshold itself included', () => {
    expect([-3, -2, -1.99, 0, 1.99, 2, 5].map((g) => markGap(g, 2))).toEqual(['short', 'short', 'ok', 'ok', 'ok', 'over', 'over']);
  });

  it('signs a gap and shows no sign on zero', () => {
    expect(formatGap(-2.46)).toBe('−2.5');
    expect(formatGap(1)).toBe('+1.0');
    expect(formatGap(-0.04)).toBe('0.0');
    expect(formatGap(null)).toBe('—');
  });
});

describe('describeLastRun', () => {
  const now = Date.parse('2026-06-01T14:18:30.000Z');
  it('says when the loop last ran and how long ago, today', () => {
    const day = { date: '2026-06-01', timezone: tz, run: { runAt: '2026-06-01T14:15:10.000Z', runId: 'r' } };
    expect(describeLastRun(day, now)).toBe('Last run 10:15 (3 min ago)');
    expect(describeLastRun({ ...day, run: null }, now)).toBe('No run yet today');
    expect(describeLastRun({ ...day, date: '2026-05-31' }, now)).toBe('Last run 10:15');
    expect(describeLastRun({ ...day, date: '2026-05-31', run: null }, now)).toBe('No run on this day');
  });

  it('counts minutes and hours', () => {
    expect(formatAgo(20_000)).toBe('just now');
    expect(formatAgo(59 * 60_000)).toBe('59 min ago');
    expect(formatAgo(125 * 60_000)).toBe('2 h 5 min ago');
  });
});

describe('describeAccuracy', () => {
  it('reads both WAPEs over the elapsed intervals', () => {
    expect(describeAccuracy({ intervals: 34, forecastWape: 0.1234, reforecastWape: 0.079 })).toBe(
      'Morning forecast WAPE 12.3% · reforecast 7.9% over 34 intervals',
    );
    expect(describeAccuracy({ intervals: 1, forecastWape: null, reforecastWape: null })).toBe('Morning forecast WAPE — · reforecast — over 1 interval');
    expect(describeAccuracy({ intervals: 0, forecastWape: null, reforecastWape: null })).toMatch(/No actuals yet/);
    expect(describeAccuracy({ intervals: 2, forecastWape: 0.5 })).toBe('Morning forecast WAPE 50.0% over 2 intervals');
  });
});

describe('proposals in words', () => {
  const base = { start: '2026-06-01T18:00:00.000Z', end: '2026-06-01T19:30:00.000Z', moves: [] as Proposal['moves'] };
  const move = (kind: 'break' | 'lunch') => ({
    agentName: 'Ana Ruiz',
    kind,
    from: '2026-06-01T16:00:00.000Z',
    to: '2026-06-01T17:00:00.000Z',
    lengthMin: kind === 'lunch' ? 30 : 15,
  });

  it('names each kind with its agents and times', () => {
    expect(describeProposal({ ...base, kind: 'vto', agents: 2 }, tz)).toBe('Voluntary time off for 2 agents 14:00–15:30');
    expect(describeProposal({ ...base, kind: 'overtime', agents: 1, start: '2026-06-01T21:00:00.000Z', end: '2026-06-01T22:00:00.000Z' }, tz)).toBe(
      'Overtime for 1 agent 17:00–18:00',
    );
    expect(describeProposal({ ...base, kind: 'break_moves', agents: 3, moves: [move('break'), move('break'), move('break')] }, tz)).toBe('Move 3 breaks');
    expect(describeProposal({ ...base, kind: 'break_moves', agents: 2, moves: [move('break'), move('lunch')] }, tz)).toBe('Move 1 break and 1 lunch');
  });

  it('tells each move and refusal', () => {
    expect(describeMove(move('lunch'), tz)).toBe('Ana Ruiz lunch 12:00 → 13:00');
    expect(describeRefusal({ agentName: 'Ben Ode', rule: 'min_rest' })).toBe('Ben Ode: too little rest between shifts');
    expect(describeRefusal({ agentName: 'Ben Ode', rule: 'new_rule' })).toBe('Ben Ode: new rule');
  });

  it('puts waiting proposals first and keeps history apart', () => {
    const p = (id: string, status: Proposal['status'], start: string) => ({ id, status, start });
    const { current, past } = splitProposals([
      p('a', 'open', '2026-06-01T15:00:00.000Z'),
      p('b', 'superseded', '2026-06-01T14:00:00.000Z'),
      p('c', 'proposed', '2026-06-01T16:00:00.000Z'),
      p('d', 'applied', '2026-06-01T13:00:00.000Z'),
      p('e', 'expired', '2026-06-01T12:00:00.000Z'),
    ]);
    expect(current.map((x) => x.id)).toEqual(['c', 'd', 'a']);
    expect(past.map((x) => x.id)).toEqual(['e', 'b']);
  });
});

describe('parseSettings', () => {
  it('accepts what the API accepts and says what is wrong otherwise', () => {
    expect(parseSettings({ gapThreshold: '1.5', leadMinutes: '30' })).toEqual({ settings: { gapThreshold: 1.5, leadMinutes: 30 } });
    expect(parseSettings({ gapThreshold: '50', leadMinutes: '0' })).toEqual({ settings: { gapThreshold: 50, leadMinutes: 0 } });
    expect(parseSettings({ gapThreshold: '0', leadMinutes: '30' })).toMatchObject({ error: expect.stringMatching(/gap threshold/) });
    expect(parseSettings({ gapThreshold: '', leadMinutes: '30' })).toMatchObject({ error: expect.stringMatching(/gap threshold/) });
    expect(parseSettings({ gapThreshold: '2', leadMinutes: '12.5' })).toMatchObject({ error: expect.stringMatching(/lead time/) });
    expect(parseSettings({ gapThreshold: '2', leadMinutes: '241' })).toMatchObject({ error: expect.stringMatching(/lead time/) });
  });
});

describe('describeOffer', () => {
  const now = Date.parse('2026-06-01T14:00:00.000Z');
  const offer = {
    kind: 'vto' as const,
    status: 'open' as const,
    start: '2026-06-01T18:00:00.000Z',
    end: '2026-06-01T19:30:00.000Z',
    agents: 2,
    taken: 1,
    mine: false,
  };

  it('says what, when and how many places are left', () => {
    expect(describeOffer(offer, tz, now)).toBe('Voluntary time off today 14:00–15:30 — 1 of 2 places left');
    expect(describeOffer({ ...offer, kind: 'overtime', agents: 1, taken: 0 }, tz, now)).toBe('Overtime today 14:00–15:30 — 1 of 1 place left');
    expect(describeOffer({ ...offer, mine: true }, tz, now)).toBe('Voluntary time off today 14:00–15:30 — you took it');
    expect(describeOffer({ ...offer, status: 'filled', taken: 2 }, tz, now)).toBe('Voluntary time off today 14:00–15:30 — all places are taken');
  });

  it('names the day on the agent’s clock when it is not today', () => {
    const late = { ...offer, start: '2026-06-02T03:30:00.000Z', end: '2026-06-02T04:00:00.000Z' };
    expect(describeOffer(late, tz, now)).toBe('Voluntary time off today 23:30–00:00 — 1 of 2 places left');
    expect(describeOffer(late, 'Europe/Madrid', now)).toBe('Voluntary time off tomorrow 05:30–06:00 — 1 of 2 places left');
    expect(describeOffer({ ...offer, start: '2026-06-04T18:00:00.000Z', end: '2026-06-04T19:00:00.000Z' }, tz, now)).toBe(
      'Voluntary time off on Thu 4 Jun 14:00–15:00 — 1 of 2 places left',
    );
  });
});
