import type { Highs } from 'highs';
import { ModelBuilder } from './model-builder.ts';
import type { CompiledShift } from './shifts.ts';

/**
 * Shift coverage: how many shifts of each type to start at each interval, with their breaks, so that the agents on
 * the phone cover the requirement at the least cost. A MIP in HiGHS:
 *
 * - x[c] ≥ 0 integer: shifts started at placement c (a shift type at a start interval);
 * - breaks placed implicitly rather than one column per shift and break position combination:
 *   - within a day (a component of at most `countsUpTo` intervals), Bechtold & Jacobs (1990): y[k,b,p] ≥ 0 integer
 *     counts the type-k shifts taking their b-th break at interval p. Every start of a type has the same window
 *     offsets, so the windows' ends rise with the starts and the breaks can be handed to the shifts iff Σy = Σx,
 *     every prefix of starts has its count of breaks placed by its last start's latest break (forward), and no
 *     break is placed before a start's window opens that the starts before it cannot take (backward).
 *     `assignBreaks` then hands them out earliest deadline first;
 *   - over longer components (night and 24/7 queues, shifts across midnight), Aykin (1996): w[c,b,o] ≥ 0 integer
 *     counts the shifts of placement c taking break b at offset o, Σ_o w = x. Its rows are local; the forward and
 *     backward chains run the length of the horizon, and on a week HiGHS's root cut loop stalled on them for 90 s
 *     past its time limit, where Aykin's reached 2% in 20 s. On a day the counts solve about a third faster;
 *   - a type whose break windows overlap cannot place breaks one at a time (two breaks of one shift might land
 *     together), so it gets a column per start and non-overlapping combination of break starts;
 * - u[t] ≥ 0: agents short in interval t, at a penalty above any shift's cost, so an unreachable requirement still
 *   gives the best schedule and says where it falls short.
 *
 * coverage(t) = Σ shifts covering t − Σ breaks covering t + u[t] ≥ required(t); minimise Σ cost·x + penalty·Σu.
 * Intervals no placement links are solved apart (a day whose shifts cannot cross midnight is its own model).
 */

/** Components up to a day of 15-minute intervals place breaks by counts (Bechtold–Jacobs), longer ones per shift (Aykin). */
const countsUpTo = 96;

export interface Placement {
  shift: number;
  /** Index of the shift's first interval in `required`; the shift covers `length` consecutive intervals from there. */
  start: number;
}

export interface CoverageProblem {
  required: readonly number[];
  shifts: readonly CompiledShift[];
  placements: readonly Placement[];
  /** Cost of one agent short for one interval; by default twice the dearest shift. */
  shortfallPenalty?: number;
  /**
   * At most `maxShifts` shifts starting in intervals [from, to): the agents there are to work them (a day's
   * agent-days). A limit applies within each component it reaches.
   */
  limits?: readonly { from: number; to: number; maxShifts: number }[];
}

export interface ScheduledShift {
  shift: number;
  start: number;
  /** Start interval of each of the type's breaks, in the type's break order. */
  breaks: number[];
}

export interface CoverageOptions {
  timeLimitS?: number;
  /** Relative MIP gap at which the search stops; 1e-6 proves optimality on any realistic instance. */
  mipRelGap?: number;
  /** How implicit breaks are modelled: by component length (the default), or one way throughout (to compare them). */
  breakModel?: 'auto' | 'counts' | 'per-shift';
}

export interface CoverageResult {
  /** `time_limit`: the best schedule found in time, with `mipGap` saying how far from proven it may be. */
  status: 'optimal' | 'time_limit';
  shifts: ScheduledShift[];
  /** Agents on the phone per interval. */
  scheduled: number[];
  /** Σ the chosen shifts' costs. */
  cost: number;
  /** cost + the shortfall penalties: what the model minimised. */
  objective: number;
  /** The cost of one agent short for one interval in `objective` and `lpBound`. */
  penalty: number;
  /** The LP relaxation's optimum of the same model. */
  lpBound: number;
  /** (objective − lpBound) / lpBound. */
  gap: number;
  /** What HiGHS proved: (objective − best bound) / objective. */
  mipGap: number;
  shortfall: number;
  over: number;
  paidHours: number;
  lpSeconds: number;
  solveSeconds: number;
  components: number;
}

const add = (row: Map<number, number>, column: number, value: number) => row.set(column, (row.get(column) ?? 0) + value);

/** Connected runs of intervals: two intervals are linked when one placement covers both. */
export function splitComponents(problem: CoverageProblem): { from: number; to: number; placements: Placement[] }[] {
  const sorted = [...problem.placements].sort((a, b) => a.start - b.start);
  const out: { from: number; to: number; placements: Placement[] }[] = [];
  for (const p of sorted) {
    const end = p.start + problem.shifts[p.shift]!.length;
    const last = out.at(-1);
    if (last && p.start < last.to) {
      last.to = Math.max(last.to, end);
      last.placements.push(p);
    } else out.push({ from: p.start, to: end, placements: [p] });
  }
  return out;
}

interface ComponentModel {
  builder: ModelBuilder;
  /**
   * Per placement: its columns and, for explicit types, the combination each column stands for; under Aykin's
   * formulation, the column counting each break at each offset.
   */
  placementColumns: {
    placement: Placement;
    columns: { column: number; offsets: number[] | null }[];
    windows: { b: number; offset: number; column: number }[];
  }[];
  /** Implicit break counters: (shift, break) → position → column. */
  breakColumns: Map<string, Map<number, number>>;
}

function buildComponent(
  problem: CoverageProblem,
  component: { from: number; to: number; placements: Placement[] },
  penalty: number,
  breakModel: CoverageOptions['breakModel'],
  builder = new ModelBuilder(),
): ComponentModel {
  const { from, to, placements } = component;
  const coverage = new Map<number, Map<number, number>>();
  for (let t = from; t < to; t++) if ((problem.required[t] ?? 0) > 0) coverage.set(t, new Map());
  const cover = (t: number, column: number, value: number) => {
    const row = coverage.get(t);
    if (row) add(row, column, value);
  };

  const placementColumns: ComponentModel['placementColumns'] = [];
  for (const placement of placements) {
    const shift = problem.shifts[placement.shift]!;
    const combos = shift.placement === 'explicit' ? shift.combinations : [null];
    const columns = combos.map((offsets) => {
      const column = builder.addColumn(shift.cost, true);
      const away = new Set<number>();
      offsets?.forEach((offset, b) => {
        for (let i = 0; i < shift.breaks[b]!.length; i++) away.add(placement.start + offset + i);
      });
      for (let t = placement.start; t < placement.start + shift.length; t++) if (!away.has(t)) cover(t, column, 1);
      return { column, offsets };
    });
    placementColumns.push({ placement, columns, windows: [] });
  }

  const chainRows: { entries: Map<number, number>; lower: number; upper: number }[] = [];
  const breakColumns = new Map<string, Map<number, number>>();
  const perShift = breakModel === 'per-shift' || (breakModel !== 'counts' && to - from > countsUpTo);
  if (perShift)
    for (const { placement, columns, windows } of placementColumns) {
      const shift = problem.shifts[placement.shift]!;
      if (shift.placement !== 'implicit') continue;
      shift.breaks.forEach((rule, b) => {
        const row = new Map<number, number>([[columns[0]!.column, -1]]);
        for (let offset = rule.earliest; offset <= rule.latest; offset++) {
          const column = builder.addColumn(0, true);
          row.set(column, 1);
          windows.push({ b, offset, column });
          for (let i = 0; i < rule.length; i++) cover(placement.start + offset + i, column, -1);
        }
        chainRows.push({ entries: row, lower: 0, upper: 0 });
      });
    }
  problem.shifts.forEach((shift, k) => {
    if (perShift || shift.placement !== 'implicit') return;
    const chain = placementColumns.filter((p) => p.placement.shift === k).sort((a, b) => a.placement.start - b.placement.start);
    if (chain.length === 0) return;
    shift.breaks.forEach((rule, b) => {
      const positions = new Map<number, number>();
      for (const { placement } of chain)
        for (let p = placement.start + rule.earliest; p <= placement.start + rule.latest; p++) if (!positions.has(p)) positions.set(p, -1);
      const sortedPositions = [...positions.keys()].sort((x, y) => x - y);
      for (const p of sortedPositions) {
        const column = builder.addColumn(0, true);
        positions.set(p, column);
        for (let i = 0; i < rule.length; i++) cover(p + i, column, -1);
      }
      breakColumns.set(`${k}:${b}`, positions);
      // Running totals keep the forward and backward rows short: X[i] = shifts started up to the i-th start,
      // Y(p) = breaks placed up to position p (with dense prefix sums the bank's Wednesday solved in 3.1 s, not 1.5 s).
      const startedUpTo: number[] = [];
      chain.forEach(({ columns }, i) => {
        const running = builder.addColumn(0, false);
        const row = new Map<number, number>([
          [running, 1],
          [columns[0]!.column, -1],
        ]);
        if (i > 0) row.set(startedUpTo[i - 1]!, -1);
        chainRows.push({ entries: row, lower: 0, upper: 0 });
        startedUpTo.push(running);
      });
      const placedUpTo: number[] = [];
      sortedPositions.forEach((p, i) => {
        const running = builder.addColumn(0, false);
        const row = new Map<number, number>([
          [running, 1],
          [positions.get(p)!, -1],
        ]);
        if (i > 0) row.set(placedUpTo[i - 1]!, -1);
        chainRows.push({ entries: row, lower: 0, upper: 0 });
        placedUpTo.push(running);
      });
      /** The running total of breaks at the last position ≤ t, or null when none is. */
      const placedBy = (t: number) => {
        let found: number | null = null;
        for (let i = 0; i < sortedPositions.length && sortedPositions[i]! <= t; i++) found = placedUpTo[i]!;
        return found;
      };
      const last = (list: number[]) => list[list.length - 1]!;
      chainRows.push({
        entries: new Map([
          [last(startedUpTo), 1],
          [last(placedUpTo), -1],
        ]),
        lower: 0,
        upper: 0,
      });
      for (let i = 0; i < chain.length - 1; i++) {
        // Forward: the shifts started up to start i have their breaks placed by its latest break.
        const row = new Map<number, number>([[startedUpTo[i]!, 1]]);
        const placed = placedBy(chain[i]!.placement.start + rule.latest);
        if (placed !== null) row.set(placed, -1);
        chainRows.push({ entries: row, lower: -Infinity, upper: 0 });
      }
      for (let i = 1; i < chain.length; i++) {
        // Backward: breaks placed before start i's window opens belong to the shifts started before it.
        const placed = placedBy(chain[i]!.placement.start + rule.earliest - 1);
        if (placed === null) continue;
        chainRows.push({
          entries: new Map([
            [placed, 1],
            [startedUpTo[i - 1]!, -1],
          ]),
          lower: -Infinity,
          upper: 0,
        });
      }
    });
  });

  for (const [t, row] of coverage) {
    row.set(builder.addColumn(penalty, false), 1);
    builder.addRow(row, problem.required[t]!, Infinity);
  }
  for (const row of chainRows) builder.addRow(row.entries, row.lower, row.upper);
  for (const limit of problem.limits ?? []) {
    const row = new Map<number, number>();
    for (const { placement, columns } of placementColumns)
      if (placement.start >= limit.from && placement.start < limit.to) for (const { column } of columns) row.set(column, 1);
    if (row.size > 0) builder.addRow(row, -Infinity, limit.maxShifts);
  }
  return { builder, placementColumns, breakColumns };
}

/**
 * Hands each counted break to a shift whose window holds it: positions in time order, each to the waiting shift
 * with the earliest deadline. Shifts of one type share their window offsets, so that is the earliest start. The
 * forward and backward constraints guarantee it never runs out.
 */
function assignBreaks(units: ScheduledShift[], b: number, rule: CompiledShift['breaks'][number], counts: [number, number][]): void {
  const ordered = [...units].sort((x, y) => x.start - y.start);
  let next = 0;
  const waiting: ScheduledShift[] = [];
  for (const [position, count] of [...counts].sort((x, y) => x[0] - y[0])) {
    while (next < ordered.length && ordered[next]!.start + rule.earliest <= position) waiting.push(ordered[next++]!);
    for (let i = 0; i < count; i++) {
      const unit = waiting.shift();
      if (!unit || unit.start + rule.latest < position) throw new Error(`break ${b} at interval ${position} fits no shift: the break counts are inconsistent`);
      unit.breaks[b] = position;
    }
  }
  if (waiting.length > 0 || next < ordered.length) throw new Error(`break ${b}: fewer breaks placed than shifts`);
}

/**
 * A schedule from the LP optimum: every placement's count rounded up, each break put where the interval has the most
 * agents to spare. It starts the MIP's search and stands in when the time limit leaves the search without one.
 */
function roundUp(problem: CoverageProblem, model: ComponentModel, lpValues: Float64Array): ScheduledShift[] {
  const units: ScheduledShift[] = [];
  const spare = problem.required.map((required) => -required);
  for (const { placement, columns } of model.placementColumns) {
    const shift = problem.shifts[placement.shift]!;
    const count = columns.reduce((sum, c) => sum + Math.max(0, lpValues[c.column]!), 0);
    for (let n = Math.ceil(count - 1e-6); n > 0; n--) {
      for (let t = placement.start; t < placement.start + shift.length; t++) spare[t]! += 1;
      units.push({ shift: placement.shift, start: placement.start, breaks: [] });
    }
  }
  const least = (from: number, length: number) => Math.min(...spare.slice(from, from + length));
  for (const unit of units) {
    const shift = problem.shifts[unit.shift]!;
    const combos = shift.placement === 'explicit' ? shift.combinations : [null];
    let best: number[] = [];
    let bestScore = -Infinity;
    for (const combo of combos) {
      const offsets =
        combo ??
        shift.breaks.map((rule) => {
          let chosen = rule.earliest;
          for (let o = rule.earliest; o <= rule.latest; o++) if (least(unit.start + o, rule.length) > least(unit.start + chosen, rule.length)) chosen = o;
          return chosen;
        });
      const score = Math.min(...offsets.map((o, b) => least(unit.start + o, shift.breaks[b]!.length)));
      if (score > bestScore) {
        bestScore = score;
        best = offsets;
      }
    }
    unit.breaks = best.map((o) => unit.start + o);
    unit.breaks.forEach((p, b) => {
      for (let i = 0; i < shift.breaks[b]!.length; i++) spare[p + i]! -= 1;
    });
  }
  return units;
}

/** The MIP start for a schedule: its shift and break counts (HiGHS completes the running totals and shortfall). */
function toStart(problem: CoverageProblem, model: ComponentModel, units: ScheduledShift[]): { indices: number[]; values: number[] } {
  const values = new Map<number, number>();
  for (const { placement, columns, windows } of model.placementColumns) {
    const here = units.filter((u) => u.shift === placement.shift && u.start === placement.start);
    for (const { b, offset, column } of windows) values.set(column, here.filter((u) => u.breaks[b] === placement.start + offset).length);
    for (const { column, offsets } of columns) {
      values.set(column, here.filter((u) => offsets === null || offsets.every((o, b) => u.breaks[b] === placement.start + o)).length);
    }
  }
  for (const [key, positions] of model.breakColumns) {
    const [k, b] = key.split(':').map(Number) as [number, number];
    for (const [p, column] of positions) values.set(column, units.filter((u) => u.shift === k && u.breaks[b] === p).length);
  }
  return { indices: [...values.keys()], values: [...values.values()] };
}

/** Requirement in intervals no placement reaches: shortfall in every schedule, in objectives and bounds alike. */
function unreachable(problem: CoverageProblem, components: readonly { from: number; to: number }[]): number {
  let covered = 0;
  for (const component of components) for (let t = component.from; t < component.to; t++) covered += problem.required[t] ?? 0;
  return problem.required.reduce((sum, r) => sum + r, 0) - covered;
}

const penaltyOf = (problem: CoverageProblem) => problem.shortfallPenalty ?? 2 * Math.max(1, ...problem.shifts.map((s) => s.cost));

/**
 * What agents can work of several problems' shifts starting in intervals [from, to) (agents skilled for more than
 * one planning group): at most `maxShifts` of them (their days there) and `maxPaidHours` paid hours (their contracts).
 */
export interface JointLimit {
  problems: readonly number[];
  from: number;
  to: number;
  maxShifts?: number;
  maxPaidHours?: number;
}

/**
 * The LP relaxation of several coverage problems solved as one, under their own limits and limits over several of
 * them: its optimum, a bound on every set of schedules within the limits, and per problem the shifts it starts on
 * each interval (fractions). It says how agents shared between groups are best spread before each group's MIP.
 */
export function solveJointRelaxation(highs: Highs, problems: readonly CoverageProblem[], joint: readonly JointLimit[]): { bound: number; starts: number[][] } {
  const builder = new ModelBuilder();
  const models = problems.map((problem) => {
    const components = splitComponents(problem);
    return {
      models: components.map((component) => buildComponent(problem, component, penaltyOf(problem), 'auto', builder)),
      unreachable: penaltyOf(problem) * unreachable(problem, components),
    };
  });
  for (const limit of joint) {
    const shifts = new Map<number, number>();
    const hours = new Map<number, number>();
    for (const p of limit.problems)
      for (const { placementColumns } of models[p]!.models)
        for (const { placement, columns } of placementColumns)
          if (placement.start >= limit.from && placement.start < limit.to)
            for (const { column } of columns) {
              shifts.set(column, 1);
              hours.set(column, problems[p]!.shifts[placement.shift]!.paidHours);
            }
    if (shifts.size === 0) continue;
    if (limit.maxShifts !== undefined) builder.addRow(shifts, -Infinity, limit.maxShifts);
    if (limit.maxPaidHours !== undefined) builder.addRow(hours, -Infinity, limit.maxPaidHours);
  }
  const { objective, values } = solveRelaxation(highs, builder);
  return {
    bound: objective + models.reduce((sum, m) => sum + m.unreachable, 0),
    starts: problems.map((problem, p) => {
      const starts = new Array<number>(problem.required.length).fill(0);
      for (const { placementColumns } of models[p]!.models)
        for (const { placement, columns } of placementColumns) for (const { column } of columns) starts[placement.start]! += Math.max(0, values[column]!);
      return starts;
    }),
  };
}

function solveRelaxation(highs: Highs, builder: ModelBuilder): { objective: number; values: Float64Array } {
  // The relaxation is the same model without integrality (HiGHS ignores solver: 'simplex' for a MIP).
  return highs.withModel({ ...builder.build(highs.infinity), integrality: undefined }, (m) => {
    // Not time-limited: the bound is only a bound once the LP is solved (seconds, on a week of 24/7 shifts).
    m.options.set({ output_flag: false });
    m.run();
    const status = m.getModelStatus();
    if (status !== highs.constants.modelStatus.optimal) throw new Error(`the coverage LP ended with HiGHS model status ${status}, not optimal`);
    return { objective: m.getObjectiveValue(), values: m.getSolution().colValue };
  });
}

const costOf = (problem: CoverageProblem, units: readonly ScheduledShift[], penalty: number, from: number, to: number) => {
  const scheduled = countScheduled(problem.required.length, problem.shifts, units);
  let objective = units.reduce((sum, u) => sum + problem.shifts[u.shift]!.cost, 0);
  for (let t = from; t < to; t++) objective += penalty * Math.max(0, (problem.required[t] ?? 0) - scheduled[t]!);
  return objective;
};

/** The shifts, with their breaks, that a solution's column values describe. */
function readUnits(problem: CoverageProblem, model: ComponentModel, value: (column: number) => number): ScheduledShift[] {
  const units: ScheduledShift[] = [];
  for (const { placement, columns, windows } of model.placementColumns) {
    const shift = problem.shifts[placement.shift]!;
    const first = units.length;
    for (const { column, offsets } of columns) {
      for (let n = value(column); n > 0; n--)
        units.push({
          shift: placement.shift,
          start: placement.start,
          breaks: offsets ? offsets.map((o) => placement.start + o) : new Array<number>(shift.breaks.length),
        });
    }
    // Aykin: the b-th break's offsets, as counted, go to the placement's shifts in turn (its windows are disjoint).
    const given = new Array<number>(shift.breaks.length).fill(first);
    for (const { b, offset, column } of windows) {
      for (let n = value(column); n > 0 && given[b]! < units.length; n--) units[given[b]!++]!.breaks[b] = placement.start + offset;
    }
  }
  for (const [key, positions] of model.breakColumns) {
    const [k, b] = key.split(':').map(Number) as [number, number];
    const counts: [number, number][] = [...positions].map(([p, column]) => [p, value(column)]);
    assignBreaks(
      units.filter((u) => u.shift === k),
      b,
      problem.shifts[k]!.breaks[b]!,
      counts.filter(([, c]) => c > 0),
    );
  }
  return units;
}

function solveComponent(
  highs: Highs,
  problem: CoverageProblem,
  component: { from: number; to: number },
  model: ComponentModel,
  settings: { timeLimitS: number; mipRelGap: number; penalty: number },
): { units: ScheduledShift[]; lp: number; bound: number; timedOut: boolean; lpSeconds: number } {
  const data = model.builder.build(highs.infinity);
  const lpStarted = performance.now();
  const relaxed = solveRelaxation(highs, model.builder);
  const rounded = roundUp(problem, model, relaxed.values);
  const lpSeconds = (performance.now() - lpStarted) / 1000;
  const deadline = lpStarted + settings.timeLimitS * 1000;
  return highs.withModel(data, (m) => {
    m.options.set({
      output_flag: false,
      time_limit: Math.max(0.5, settings.timeLimitS - lpSeconds),
      mip_rel_gap: settings.mipRelGap,
      random_seed: 1,
    });
    m.setSolution(toStart(problem, model, rounded));
    m.run({
      // HiGHS checks its own limit between phases; this stops it inside them too.
      [highs.constants.callbackType.mipInterrupt](event) {
        if (performance.now() > deadline) event.interrupt();
      },
    });
    const status = m.getModelStatus();
    const bound = Number(m.info.get('mip_dual_bound'));
    const timedOut = status !== highs.constants.modelStatus.optimal;
    if (m.info.get('primal_solution_status') !== highs.constants.solutionStatus.feasible)
      return { units: rounded, lp: relaxed.objective, bound, timedOut, lpSeconds };
    const values = m.getSolution().colValue;
    const units = readUnits(problem, model, (column) => Math.max(0, Math.round(values[column]!)));
    const better =
      costOf(problem, rounded, settings.penalty, component.from, component.to) < costOf(problem, units, settings.penalty, component.from, component.to);
    return { units: better ? rounded : units, lp: relaxed.objective, bound, timedOut, lpSeconds };
  });
}

/** Agents on the phone per interval for a set of shifts with their breaks. */
export function countScheduled(length: number, shifts: readonly CompiledShift[], units: readonly ScheduledShift[]): number[] {
  const scheduled = new Array<number>(length).fill(0);
  for (const unit of units) {
    const shift = shifts[unit.shift]!;
    for (let t = unit.start; t < unit.start + shift.length; t++) scheduled[t]! += 1;
    unit.breaks.forEach((p, b) => {
      for (let i = 0; i < shift.breaks[b]!.length; i++) scheduled[p + i]! -= 1;
    });
  }
  return scheduled;
}

export function solveCoverage(highs: Highs, problem: CoverageProblem, options: CoverageOptions = {}): CoverageResult {
  const started = performance.now();
  const timeLimitS = options.timeLimitS ?? 60;
  const mipRelGap = options.mipRelGap ?? 1e-6;
  const penalty = penaltyOf(problem);
  const components = splitComponents(problem);
  const size = (c: { from: number; to: number; placements: Placement[] }) => c.placements.length * (c.to - c.from);
  let remainingSize = components.reduce((sum, c) => sum + size(c), 0);
  const units: ScheduledShift[] = [];
  let lpBound = 0;
  /** Objective of the components solved so far, for progress. */
  let bound = 0;
  let timedOut = false;
  let lpSeconds = 0;
  components.forEach((component) => {
    const elapsed = (performance.now() - started) / 1000;
    // Each component gets the time left in proportion to its size, so one large day cannot starve the rest.
    const share = remainingSize > 0 ? size(component) / remainingSize : 1;
    remainingSize -= size(component);
    const model = buildComponent(problem, component, penalty, options.breakModel);
    const settings = { timeLimitS: Math.max(0.5, (timeLimitS - elapsed) * share), mipRelGap, penalty };
    const solved = solveComponent(highs, problem, component, model, settings);
    units.push(...solved.units);
    lpBound += solved.lp;
    bound += Number.isFinite(solved.bound) ? solved.bound : solved.lp;
    timedOut ||= solved.timedOut;
    lpSeconds += solved.lpSeconds;
  });

  const scheduled = countScheduled(problem.required.length, problem.shifts, units);
  let shortfall = 0;
  let over = 0;
  problem.required.forEach((required, t) => {
    shortfall += Math.max(0, required - scheduled[t]!);
    over += Math.max(0, scheduled[t]! - required);
  });
  lpBound += penalty * unreachable(problem, components);
  bound += penalty * unreachable(problem, components);
  const cost = units.reduce((sum, u) => sum + problem.shifts[u.shift]!.cost, 0);
  const objective = cost + penalty * shortfall;
  return {
    status: timedOut ? 'time_limit' : 'optimal',
    shifts: units.sort((a, b) => a.start - b.start || a.shift - b.shift),
    scheduled,
    cost,
    objective,
    penalty,
    lpBound,
    gap: lpBound > 0 ? (objective - lpBound) / lpBound : 0,
    mipGap: objective > 0 ? Math.max(0, (objective - bound) / objective) : 0,
    shortfall,
    over,
    paidHours: units.reduce((sum, u) => sum + problem.shifts[u.shift]!.paidHours, 0),
    lpSeconds,
    solveSeconds: (performance.now() - started) / 1000,
    components: components.length,
  };
}
