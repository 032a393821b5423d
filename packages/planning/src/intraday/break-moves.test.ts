import fc from 'fast-check';
import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSolver } from '../schedule/solver.ts';
import { planBreakMoves, type BreakMovesInput, type MovableBreak } from './break-moves.ts';
import { addSlotMinutes } from './slots.ts';

let highs: Highs;
beforeAll(async () => {
  highs = await loadSolver();
});

/**
 * A 96-slot day with 3 agents on the phone from 09:00 to 18:00 (slots 36–71) and 3 required, `changes` applied
 * (slot → [on the phone, required]); `net` then loses every break at its current start, as `intradayStaffing` would.
 */
function day(breaks: readonly MovableBreak[], changes: Record<number, [number, number]> = {}): Pick<BreakMovesInput, 'intervals' | 'net' | 'required'> {
  const base = Array.from({ length: 96 }, (_, t): number => (t >= 36 && t < 72 ? 3 : 0));
  const required = [...base];
  for (const [t, [on, req]] of Object.entries(changes)) {
    base[Number(t)] = on;
    required[Number(t)] = req;
  }
  const minutes = base.map((b) => b * 15);
  for (const b of breaks) addSlotMinutes(minutes, b.start, b.start + b.lengthMin, -1);
  return { intervals: 96, net: minutes.map((m) => m / 15), required };
}

const lunch = (agentId: string, start: number, earliest: number, latest: number): MovableBreak => ({
  agentId,
  kind: 'lunch',
  start,
  lengthMin: 30,
  earliest,
  latest,
});
const rest = (agentId: string, start: number, earliest: number, latest: number): MovableBreak => ({
  agentId,
  kind: 'break',
  start,
  lengthMin: 15,
  earliest,
  latest,
});

describe('planBreakMoves', () => {
  it('moves a lunch an hour later to where there is one agent to spare, and leaves a break that would gain nothing', () => {
    // l's lunch at 12:00 leaves slots 48–49 one short; 13:00–13:30 (slots 52–53) needs one fewer. m's break at
    // 15:00 leaves exactly what is needed.
    const breaks = [lunch('l', 720, 660, 810), rest('m', 900, 840, 960)];
    const result = planBreakMoves(highs, { ...day(breaks, { 52: [3, 2], 53: [3, 2], 60: [3, 2] }), fromMinute: 600, breaks });
    expect(result.moves).toEqual([{ agentId: 'l', kind: 'lunch', from: 720, to: 780, lengthMin: 30 }]);
    expect(result.shortfallBefore).toBe(2);
    expect(result.shortfallAfter).toBe(0);
  });

  it('moves nothing when every slot is short: a move only shifts the shortfall', () => {
    const breaks = [lunch('l', 720, 660, 810), rest('m', 900, 840, 960), rest('n', 630, 600, 700)];
    const changes = Object.fromEntries(Array.from({ length: 36 }, (_, i) => [36 + i, [3, 4] as [number, number]]));
    const result = planBreakMoves(highs, { ...day(breaks, changes), fromMinute: 600, breaks });
    expect(result.moves).toEqual([]);
    // Slots 40–71 one short each, plus the breaks' own: 2 for the lunch, 1 per break.
    expect(result.shortfallBefore).toBe(32 + 4);
    expect(result.shortfallAfter).toBe(result.shortfallBefore);
  });

  it('never moves a break that has started, nor one to before now', () => {
    // p's break 09:55–10:10 leaves 2/3 of slot 40 short; slot 50 has one to spare, so moving it there would help.
    // q's break at 11:00 leaves slot 44 short, and slot 38 (09:30, past) has one to spare; every slot from now is
    // exactly staffed.
    const breaks = [rest('p', 595, 540, 780), rest('q', 660, 540, 720)];
    const result = planBreakMoves(highs, { ...day(breaks, { 50: [4, 3], 38: [4, 3] }), fromMinute: 600, breaks });
    expect(result.moves).toEqual([]);
    expect(result.shortfallBefore).toBeCloseTo(2 / 3 + 1, 12);
    expect(result.shortfallAfter).toBeCloseTo(2 / 3 + 1, 12);
    // With now at 09:00 both would move.
    const earlier = planBreakMoves(highs, { ...day(breaks, { 50: [4, 3], 38: [4, 3] }), fromMinute: 540, breaks });
    expect(earlier.moves.map((m) => [m.agentId, m.to]).sort()).toEqual([
      ['p', 750],
      ['q', 570],
    ]);
    expect(earlier.shortfallAfter).toBe(0);
  });

  it("keeps one agent's breaks apart even where stacking them would cover more", () => {
    // a's break at 10:00 and lunch at 12:00 leave slots 40, 48 and 49 short; 11:00 (slot 44) has two to spare and
    // 11:15 (slot 45) one. Both on slot 44 would leave nothing short, but they would overlap: the lunch alone moves.
    const breaks = [rest('a', 600, 600, 690), lunch('a', 720, 630, 780)];
    const result = planBreakMoves(highs, { ...day(breaks, { 44: [5, 3], 45: [4, 3] }), fromMinute: 600, breaks });
    expect(result.moves).toEqual([{ agentId: 'a', kind: 'lunch', from: 720, to: 660, lengthMin: 30 }]);
    expect(result.shortfallBefore).toBe(3);
    expect(result.shortfallAfter).toBe(1);
  });

  it("keeps a break within its window, and off the agent's blocked time", () => {
    // The lunch may start 11:30–12:30; 13:00–13:30 would cover everything but is out of reach, 11:30 gains one slot.
    const breaks = [lunch('l', 720, 690, 750)];
    const changes: Record<number, [number, number]> = { 46: [3, 2], 52: [3, 2], 53: [3, 2] };
    const result = planBreakMoves(highs, { ...day(breaks, changes), fromMinute: 600, breaks });
    expect(result.moves).toEqual([{ agentId: 'l', kind: 'lunch', from: 720, to: 690, lengthMin: 30 }]);
    expect([result.shortfallBefore, result.shortfallAfter]).toEqual([2, 1]);
    const wide = [lunch('l', 720, 690, 810)];
    expect(planBreakMoves(highs, { ...day(wide, changes), fromMinute: 600, breaks: wide }).moves[0]!.to).toBe(780);
    // A meeting at 13:00 takes the best place away again.
    const blocked = [{ ...wide[0]!, blocked: [{ start: 780, end: 840 }] }];
    expect(planBreakMoves(highs, { ...day(blocked, changes), fromMinute: 600, breaks: blocked }).moves[0]!.to).toBe(690);
  });

  it('places breaks on a 5-minute grid by the minutes they take from each slot', () => {
    // The break at 10:00 leaves slot 40 one short; slot 44 (11:00–11:15) has one to spare, its neighbours none.
    const breaks = [rest('a', 600, 600, 700)];
    const result = planBreakMoves(highs, { ...day(breaks, { 44: [4, 3] }), fromMinute: 600, breaks, stepMin: 5 });
    expect(result.moves).toEqual([{ agentId: 'a', kind: 'break', from: 600, to: 660, lengthMin: 15 }]);
    expect(result.shortfallAfter).toBe(0);
    // On a grid from 10:02, 11:02 takes 2 minutes of slot 45 (2/15 short) and 10:57 3 minutes of slot 43 (3/15).
    const offGrid = [rest('a', 600, 602, 700)];
    const partial = planBreakMoves(highs, { ...day(offGrid, { 44: [4, 3] }), fromMinute: 600, breaks: offGrid, stepMin: 5 });
    expect(partial.moves).toEqual([{ agentId: 'a', kind: 'break', from: 600, to: 662, lengthMin: 15 }]);
    expect(partial.shortfallAfter).toBeCloseTo(2 / 15, 12);
  });

  it('never does worse than no move, keeps every move in its window and apart, and is as good as trying every plan', () => {
    const breakArb = fc.record({
      lengthMin: fc.constantFrom(5, 10, 15, 30),
      offset: fc.integer({ min: 0, max: 150 }),
      windowBefore: fc.integer({ min: 0, max: 60 }),
      windowAfter: fc.integer({ min: 0, max: 60 }),
      kind: fc.constantFrom('break' as const, 'lunch' as const),
    });
    const instance = fc.record({
      agents: fc.array(fc.array(breakArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }),
      required: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 16, maxLength: 16 }),
      onPhone: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 16, maxLength: 16 }),
      fromMinute: fc.integer({ min: 0, max: 60 }),
      stepMin: fc.constantFrom(5, 15, 20),
    });
    fc.assert(
      fc.property(instance, ({ agents, required, onPhone, fromMinute, stepMin }) => {
        const breaks: MovableBreak[] = [];
        agents.forEach((list, a) => {
          let at = 0;
          for (const b of list) {
            const start = at + b.offset;
            breaks.push({ agentId: `a${a}`, kind: b.kind, start, lengthMin: b.lengthMin, earliest: start - b.windowBefore, latest: start + b.windowAfter });
            at = start + b.lengthMin;
          }
        });
        const minutes = onPhone.map((n) => n * 15);
        for (const b of breaks) addSlotMinutes(minutes, b.start, b.start + b.lengthMin, -1);
        const net = minutes.map((m) => m / 15);
        const input = { intervals: 16, net, required, fromMinute, breaks, stepMin };
        const result = planBreakMoves(highs, input);

        const coverage = [...net];
        const final = new Map(breaks.map((b, i) => [i, b.start]));
        for (const move of result.moves) {
          const i = breaks.findIndex((b) => b.agentId === move.agentId && b.start === move.from && b.kind === move.kind);
          const b = breaks[i]!;
          expect(b.start).toBeGreaterThanOrEqual(fromMinute);
          expect(move.to).toBeGreaterThanOrEqual(Math.max(fromMinute, b.earliest));
          expect(move.to).toBeLessThanOrEqual(b.latest);
          expect((move.to - b.earliest) % stepMin).toBe(0);
          expect(move.to + b.lengthMin).toBeLessThanOrEqual(16 * 15);
          final.set(i, move.to);
          const c = coverage.map((x) => x * 15);
          addSlotMinutes(c, b.start, b.start + b.lengthMin, 1);
          addSlotMinutes(c, move.to, move.to + b.lengthMin, -1);
          c.forEach((x, t) => (coverage[t] = x / 15));
        }
        breaks.forEach((b, i) =>
          breaks.forEach((o, j) => {
            if (i < j && b.agentId === o.agentId)
              expect(final.get(i)! + b.lengthMin <= final.get(j)! || final.get(j)! + o.lengthMin <= final.get(i)!).toBe(true);
          }),
        );
        const from = Math.floor(fromMinute / 15);
        const shortfall = (cov: number[]) => cov.reduce((sum, c, t) => sum + (t >= from ? Math.max(0, required[t]! - c) : 0), 0);
        expect(result.shortfallBefore).toBeCloseTo(shortfall(net), 9);
        expect(result.shortfallAfter).toBeCloseTo(shortfall(coverage), 9);
        expect(result.shortfallAfter).toBeLessThanOrEqual(result.shortfallBefore + 1e-9);
        // Against every combination of starts: within the search's tolerance of the best.
        expect(result.shortfallAfter).toBeLessThanOrEqual(bestByEnumeration(input) + 0.1 + 1e-9);
      }),
      { numRuns: 50, seed: 15 },
    );
  });
});

/** The least shortfall over every combination of candidate starts (tiny instances only). */
function bestByEnumeration(input: BreakMovesInput & { stepMin: number }): number {
  const from = Math.floor(input.fromMinute / 15);
  const options = input.breaks.map((b) => {
    if (b.start < input.fromMinute) return [b.start];
    const starts = [b.start];
    for (let s = b.earliest; s <= b.latest; s += input.stepMin)
      if (s !== b.start && s >= input.fromMinute && s + b.lengthMin <= input.intervals * 15) starts.push(s);
    return starts;
  });
  let best = Infinity;
  const chosen: number[] = [];
  const visit = (i: number) => {
    if (i === input.breaks.length) {
      const minutes = input.net.map((n) => n * 15);
      input.breaks.forEach((b, k) => {
        addSlotMinutes(minutes, b.start, b.start + b.lengthMin, 1);
        addSlotMinutes(minutes, chosen[k]!, chosen[k]! + b.lengthMin, -1);
      });
      best = Math.min(
        best,
        minutes.reduce((sum, m, t) => sum + (t >= from ? Math.max(0, input.required[t]! - m / 15) : 0), 0),
      );
      return;
    }
    for (const s of options[i]!) {
      const b = input.breaks[i]!;
      const clash = input.breaks.some((o, k) => k < i && o.agentId === b.agentId && chosen[k]! < s + b.lengthMin && s < chosen[k]! + o.lengthMin);
      if (clash) continue;
      chosen[i] = s;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}
