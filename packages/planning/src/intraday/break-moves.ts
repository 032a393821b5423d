import type { Highs, ModelData } from 'highs';
import { ModelBuilder } from '../schedule/model-builder.ts';
import { scheduleIntervalMin } from '../schedule/week.ts';
import { addSlotMinutes } from './slots.ts';

/** A scheduled break or lunch and the window its start may move within (timeline minutes). */
export interface MovableBreak {
  agentId: string;
  kind: 'break' | 'lunch';
  start: number;
  lengthMin: number;
  /** First and last allowed start. */
  earliest: number;
  latest: number;
  /** The agent's other non-work activities (meetings, training…) the break may not be moved onto. */
  blocked?: readonly { start: number; end: number }[];
}

interface BreakMove {
  agentId: string;
  kind: 'break' | 'lunch';
  from: number;
  to: number;
  lengthMin: number;
}

export interface BreakMovesInput {
  intervals: number;
  /** Productive agents per slot with every break where it is now (`intradayStaffing`'s `net`). */
  net: readonly number[];
  required: readonly number[];
  /** Now: breaks starting earlier stay, and nothing moves before it. */
  fromMinute: number;
  /** The day's breaks; those starting before `fromMinute` are fixed but still keep their agent's other breaks off them. */
  breaks: readonly MovableBreak[];
  /** Grid of candidate starts from each window's `earliest`; 15 minutes by default. */
  stepMin?: number;
  /** What a move costs against one agent-slot of shortfall, so nobody is moved for nothing; 0.01 by default. */
  movePenalty?: number;
}

export interface BreakMovesResult {
  /** Only the breaks whose start changed. */
  moves: BreakMove[];
  /** Σ max(0, required − coverage) over the slots from `fromMinute`'s, before and after the moves. */
  shortfallBefore: number;
  shortfallAfter: number;
}

/** Fraction of each slot a break starting at `start` takes (slot → fraction), clipped to the day. */
function occupancy(intervals: number, start: number, lengthMin: number): Map<number, number> {
  const minutes = new Array<number>(intervals).fill(0);
  addSlotMinutes(minutes, start, start + lengthMin);
  const out = new Map<number, number>();
  minutes.forEach((m, t) => {
    if (m > 0) out.set(t, m / scheduleIntervalMin);
  });
  return out;
}

const overlaps = (start: number, end: number, ranges: readonly { start: number; end: number }[]) => ranges.some((r) => r.start < end && start < r.end);

/** Σ max(0, required − coverage) over slots [fromSlot, intervals). */
function shortfallOf(required: readonly number[], coverage: readonly number[], fromSlot: number): number {
  let sum = 0;
  for (let t = Math.max(0, fromSlot); t < coverage.length; t++) sum += Math.max(0, (required[t] ?? 0) - coverage[t]!);
  return sum;
}

/**
 * Absolute gap, in agent-slots of shortfall, at which the search stops: an agent-minute and a half is not worth
 * seconds more. Moves that gain nothing are undone afterwards, so the slack never shows as a pointless move.
 */
const gapTolerance = 0.1;

/**
 * The MIP solved to within `gapTolerance` of optimal, fast. Its LP relaxation is nearly integral but HiGHS's own
 * heuristics take seconds to find a good plan for a few hundred breaks, so the breaks the LP places whole are fixed
 * there and the rest solved as a small MIP first; that plan ends the search when it is within the tolerance of the
 * LP bound, and otherwise starts the full MIP. Null when HiGHS finds no plan at all (keep the current one).
 */
function solveNearOptimal(highs: Highs, data: ModelData, units: readonly { columns: number[]; members: readonly number[] }[]): Float64Array | null {
  const unitColumns = units.flatMap((unit) => unit.columns);
  const asIs = units.flatMap((unit) => unit.columns.map((_, k) => (k === 0 ? unit.members.length : 0)));
  const solve = (bounds: Pick<ModelData, 'colLower' | 'colUpper'>, start: number[]) =>
    highs.withModel({ ...data, ...bounds }, (m) => {
      m.options.set({ output_flag: false, random_seed: 1, mip_abs_gap: gapTolerance, time_limit: 10 });
      m.setSolution({ indices: unitColumns, values: start });
      m.run();
      if (m.info.get('primal_solution_status') !== highs.constants.solutionStatus.feasible) return null;
      return { objective: m.getObjectiveValue(), values: m.getSolution().colValue };
    });
  const lp = highs.withModel({ ...data, integrality: undefined }, (m) => {
    m.options.set({ output_flag: false });
    m.run();
    return m.getModelStatus() === highs.constants.modelStatus.optimal ? { bound: m.getObjectiveValue(), values: m.getSolution().colValue } : null;
  });
  if (lp) {
    const colLower = Float64Array.from(data.colLower);
    const colUpper = Array.from(data.colUpper);
    const start = [...asIs];
    let offset = 0;
    for (const unit of units) {
      if (unit.columns.every((c) => Math.abs(lp.values[c]! - Math.round(lp.values[c]!)) < 1e-9))
        unit.columns.forEach((c, k) => (colLower[c] = colUpper[c] = start[offset + k] = Math.round(lp.values[c]!)));
      offset += unit.columns.length;
    }
    const reduced = solve({ colLower, colUpper }, start);
    if (reduced && reduced.objective <= lp.bound + gapTolerance) return reduced.values;
    if (!reduced) return solve(data, asIs)?.values ?? null;
    const rounded = unitColumns.map((c) => Math.round(reduced.values[c]!));
    return solve(data, rounded)?.values ?? reduced.values;
  }
  return solve(data, asIs)?.values ?? null;
}

/**
 * Moves the rest of the day's breaks and lunches within their windows to cover a staffing gap: a small MIP in HiGHS
 * (run it in a worker thread). Binary x[b,s] picks one start s per break; coverage c_t = net_t + what b's current
 * start takes from slot t − what s takes; u_t ≥ required_t − c_t, u_t ≥ 0 for the slots from now; minimise
 * Σu + movePenalty per moved break (times 1 + 1% per hour moved, so of equal moves the shortest wins), to within
 * 0.1 agent-slot. An agent's breaks stay apart: at every candidate start (where any overlap would show), at most one
 * of them covers it.
 *
 * A candidate start lies on the window's grid, at or after now, within the day, and off the agent's fixed breaks
 * and `blocked` ranges; the current start is always one, so the answer is never worse than no move. Breaks of
 * agents who are absent or on an exception should not be passed: moving them covers nothing.
 */
export function planBreakMoves(highs: Highs, input: BreakMovesInput): BreakMovesResult {
  const { intervals, fromMinute } = input;
  const step = input.stepMin ?? scheduleIntervalMin;
  const movePenalty = input.movePenalty ?? 0.01;
  if (!(step > 0)) throw new RangeError(`stepMin must be positive, not ${step}`);
  const fromSlot = Math.max(0, Math.floor(fromMinute / scheduleIntervalMin));
  const dayEnd = intervals * scheduleIntervalMin;
  const before = Array.from({ length: intervals }, (_, t) => input.net[t] ?? 0);
  const shortfallBefore = shortfallOf(input.required, before, fromSlot);

  const fixedOf = new Map<string, { start: number; end: number }[]>();
  for (const b of input.breaks)
    if (b.start < fromMinute) fixedOf.set(b.agentId, [...(fixedOf.get(b.agentId) ?? []), { start: b.start, end: b.start + b.lengthMin }]);
  const movable = input.breaks
    .filter((b) => b.start >= fromMinute)
    .map((b) => {
      const starts = [b.start];
      const fixed = fixedOf.get(b.agentId) ?? [];
      for (let s = b.earliest; s <= b.latest; s += step) {
        if (s === b.start || s < fromMinute || s + b.lengthMin > dayEnd) continue;
        if (overlaps(s, s + b.lengthMin, fixed) || overlaps(s, s + b.lengthMin, b.blocked ?? [])) continue;
        starts.push(s);
      }
      const occupancies = starts.map((s) => [...occupancy(intervals, s, b.lengthMin)]);
      return { b, starts, occupancy: occupancies, costs: starts.map((s, k) => (k === 0 ? 0 : movePenalty * (1 + (0.01 * Math.abs(s - b.start)) / 60))) };
    });
  if (movable.every((m) => m.starts.length === 1)) return { moves: [], shortfallBefore, shortfallAfter: shortfallBefore };

  // An agent's breaks whose candidate spans meet need rows keeping them apart; every other break is interchangeable
  // with those of the same kind, place and candidates, so they share integer columns counting how many go where (on a
  // day of shifts started on a common grid this cuts the columns, and the symmetry the search wades through, manyfold).
  const span = (i: number) => ({ start: movable[i]!.starts.reduce((a, b) => Math.min(a, b)), end: Math.max(...movable[i]!.starts) + movable[i]!.b.lengthMin });
  const byAgent = new Map<string, number[]>();
  movable.forEach(({ b }, i) => byAgent.set(b.agentId, [...(byAgent.get(b.agentId) ?? []), i]));
  const linked = new Set<number>();
  for (const indices of byAgent.values())
    for (const i of indices)
      for (const j of indices)
        if (i < j && overlaps(span(i).start, span(i).end, [span(j)])) {
          linked.add(i);
          linked.add(j);
        }
  const units: { members: number[]; starts: number[]; lengthMin: number; columns: number[] }[] = [];
  const unitOf = new Map<string, (typeof units)[number]>();
  movable.forEach(({ b, starts }, i) => {
    if (starts.length === 1 && !linked.has(i)) return;
    const key = linked.has(i) ? `#${i}` : `${b.kind}|${b.lengthMin}|${starts.join(',')}`;
    const unit = unitOf.get(key);
    if (unit) unit.members.push(i);
    else {
      const created = { members: [i], starts, lengthMin: b.lengthMin, columns: [] };
      unitOf.set(key, created);
      units.push(created);
    }
  });

  const builder = new ModelBuilder();
  const coverage = new Map<number, Map<number, number>>();
  const constant = new Array<number>(intervals).fill(0);
  for (const unit of units) {
    const n = unit.members.length;
    unit.columns = movable[unit.members[0]!]!.costs.map((cost) => builder.addColumn(cost, true, n));
    builder.addRow(
      unit.columns.map((c) => [c, 1] as const),
      n,
      n,
    );
    unit.starts.forEach((s, k) => {
      for (const [t, fraction] of occupancy(intervals, s, unit.lengthMin)) {
        if (k === 0) constant[t]! += n * fraction;
        const row = coverage.get(t) ?? new Map<number, number>();
        row.set(unit.columns[k]!, -fraction);
        coverage.set(t, row);
      }
    });
  }
  for (const [t, row] of coverage) {
    if (t < fromSlot) continue;
    row.set(builder.addColumn(1, false), 1);
    builder.addRow(row, (input.required[t] ?? 0) - before[t]! - constant[t]!, Infinity);
  }

  const unitOfBreak = new Map(units.flatMap((unit) => unit.members.map((i) => [i, unit] as const)));
  for (const indices of byAgent.values()) {
    const apart = indices.filter((i) => linked.has(i) && unitOfBreak.has(i));
    if (apart.length < 2) continue;
    const points = new Set(apart.flatMap((i) => movable[i]!.starts));
    for (const p of points) {
      const row: [number, number][] = [];
      const breaks = new Set<number>();
      let now = 0;
      for (const i of apart) {
        const unit = unitOfBreak.get(i)!;
        unit.starts.forEach((s, k) => {
          if (s > p || p >= s + unit.lengthMin) return;
          row.push([unit.columns[k]!, 1]);
          breaks.add(i);
          if (k === 0) now++;
        });
      }
      // Breaks that overlap already (bad input) may stay as they are; the current plan is always feasible.
      if (breaks.size > 1) builder.addRow(row, -Infinity, Math.max(1, now));
    }
  }

  const values = solveNearOptimal(highs, builder.build(highs.infinity), units);
  const chosen = new Array<number>(movable.length).fill(0);
  if (values)
    for (const unit of units) {
      // The unit's members are interchangeable: the first ones take the moves, in the order of the starts.
      let next = 0;
      unit.starts.forEach((_, k) => {
        if (k === 0) return;
        for (let c = Math.round(values[unit.columns[k]!]!); c > 0 && next < unit.members.length; c--) chosen[unit.members[next++]!] = k;
      });
    }

  // Coverage with the chosen starts; then every move that gains nothing goes back (the search's slack, or a tie).
  const after = [...before];
  const shift = (i: number, k: number, sign: number) => {
    for (const [t, fraction] of movable[i]!.occupancy[k]!) after[t]! -= sign * fraction;
  };
  chosen.forEach((k, i) => {
    shift(i, 0, -1);
    shift(i, k, 1);
  });
  for (let undone = true; undone;) {
    undone = false;
    movable.forEach(({ b }, i) => {
      const k = chosen[i]!;
      if (k === 0) return;
      const taken = byAgent
        .get(b.agentId)!
        .filter((j) => j !== i)
        .map((j) => ({ start: movable[j]!.starts[chosen[j]!]!, end: movable[j]!.starts[chosen[j]!]! + movable[j]!.b.lengthMin }));
      if (overlaps(b.start, b.start + b.lengthMin, taken)) return;
      const moved = shortfallOf(input.required, after, fromSlot);
      shift(i, k, -1);
      shift(i, 0, 1);
      if (shortfallOf(input.required, after, fromSlot) <= moved + 1e-9) {
        chosen[i] = 0;
        undone = true;
      } else {
        shift(i, 0, -1);
        shift(i, k, 1);
      }
    });
  }
  const moves: BreakMove[] = [];
  movable.forEach(({ b, starts }, i) => {
    if (chosen[i] !== 0) moves.push({ agentId: b.agentId, kind: b.kind, from: b.start, to: starts[chosen[i]!]!, lengthMin: b.lengthMin });
  });
  const shortfallAfter = shortfallOf(input.required, after, fromSlot);
  // Only a solver stopped short of its first feasible point could do worse than no move.
  if (shortfallAfter > shortfallBefore + 1e-9) return { moves: [], shortfallBefore, shortfallAfter: shortfallBefore };
  return { moves, shortfallBefore, shortfallAfter };
}
