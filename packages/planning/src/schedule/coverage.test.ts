import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { countScheduled, solveCoverage, solveJointRelaxation, splitComponents, type CoverageProblem, type CoverageResult, type Placement } from './coverage.ts';
import { compileShiftTypes, type ShiftSet } from './shifts.ts';
import { loadSolver } from './solver.ts';

let highs: Highs;
beforeAll(async () => {
  highs = await loadSolver();
});

/** Every start of every type within [0, length), on its step. */
function everyStart(length: number, shifts: CoverageProblem['shifts']): Placement[] {
  return shifts.flatMap((s, k) =>
    Array.from({ length: Math.max(0, Math.floor((length - s.length) / s.step) + 1) }, (_, j) => ({ shift: k, start: j * s.step })),
  );
}

/** Checks a result from scratch: placements offered, breaks inside their windows and apart, figures recomputed. */
function expectValid(problem: CoverageProblem, result: CoverageResult) {
  const offered = new Set(problem.placements.map((p) => `${p.shift}:${p.start}`));
  for (const unit of result.shifts) {
    const shift = problem.shifts[unit.shift]!;
    expect(offered.has(`${unit.shift}:${unit.start}`)).toBe(true);
    expect(unit.breaks).toHaveLength(shift.breaks.length);
    unit.breaks.forEach((p, b) => {
      expect(p - unit.start).toBeGreaterThanOrEqual(shift.breaks[b]!.earliest);
      expect(p - unit.start).toBeLessThanOrEqual(shift.breaks[b]!.latest);
      unit.breaks.forEach((q, c) => {
        if (c !== b) expect(p + shift.breaks[b]!.length <= q || q + shift.breaks[c]!.length <= p).toBe(true);
      });
    });
  }
  const scheduled = countScheduled(problem.required.length, problem.shifts, result.shifts);
  expect(result.scheduled).toEqual(scheduled);
  expect(result.shortfall).toBe(problem.required.reduce((sum, r, t) => sum + Math.max(0, r - scheduled[t]!), 0));
  expect(result.over).toBe(problem.required.reduce((sum, r, t) => sum + Math.max(0, scheduled[t]! - r), 0));
  expect(result.cost).toBeCloseTo(
    result.shifts.reduce((sum, u) => sum + problem.shifts[u.shift]!.cost, 0),
    9,
  );
  expect(result.objective).toBeGreaterThanOrEqual(result.lpBound - 1e-6);
}

const dayShifts: ShiftSet = {
  shifts: [
    { name: '4h', length_min: 240, start_step_min: 15, breaks: [{ length_min: 15, earliest_offset_min: 60, latest_offset_min: 150 }] },
    {
      name: '8h',
      length_min: 480,
      start_step_min: 30,
      breaks: [
        { length_min: 15, earliest_offset_min: 60, latest_offset_min: 150 },
        { length_min: 30, earliest_offset_min: 180, latest_offset_min: 300, paid: false },
        { length_min: 15, earliest_offset_min: 360, latest_offset_min: 420 },
      ],
    },
  ],
};

/** A day's requirement with a morning and an afternoon peak, 07:00–21:00 in quarter hours. */
const dayRequirement = Array.from({ length: 56 }, (_, t) => Math.round(6 + 10 * Math.exp(-(((t - 14) / 8) ** 2)) + 8 * Math.exp(-(((t - 36) / 10) ** 2))));

describe('shift coverage', () => {
  it('covers a day at the least paid hours, every break inside its window, at the LP bound or just above it', () => {
    const shifts = compileShiftTypes(dayShifts, 15);
    expect(shifts.map((s) => s.placement)).toEqual(['implicit', 'implicit']);
    const problem = { required: dayRequirement, shifts, placements: everyStart(56, shifts) };
    const result = solveCoverage(highs, problem);
    expectValid(problem, result);
    expect(result.status).toBe('optimal');
    expect(result.shortfall).toBe(0);
    // Paid hours: 4h shifts are paid 4 h, the 8h shift 7.5 h (its lunch is unpaid); cost defaults to paid hours.
    expect(result.paidHours).toBeCloseTo(result.cost, 9);
    const requiredHours = dayRequirement.reduce((a, b) => a + b, 0) / 4;
    expect(result.paidHours).toBeGreaterThan(requiredHours);
    expect(result.gap).toBeGreaterThanOrEqual(0);
    expect(result.gap).toBeLessThan(0.02);
  });

  it.each(['counts', 'per-shift'] as const)('finds the same optimum as one column per break combination with breaks by %s (exact)', (breakModel) => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 12, maxLength: 24 }),
        fc.integer({ min: 4, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 3 }),
        (required, length, breakLength, earliest, width) => {
          const latest = Math.min(earliest + width, length - breakLength);
          fc.pre(earliest <= latest);
          const set: ShiftSet = {
            shifts: [
              {
                name: 'a',
                length_min: length * 15,
                start_step_min: 15,
                cost: length + 1,
                breaks: [{ length_min: breakLength * 15, earliest_offset_min: earliest * 15, latest_offset_min: latest * 15 }],
              },
              { name: 'b', length_min: 3 * 15, start_step_min: 30, cost: 3.5 },
            ],
          };
          const implicit = compileShiftTypes(set, 15);
          const explicit = compileShiftTypes(set, 15, { breakPlacement: 'explicit' });
          const a = { required, shifts: implicit, placements: everyStart(required.length, implicit) };
          const b = { required, shifts: explicit, placements: everyStart(required.length, explicit) };
          const viaCounts = solveCoverage(highs, a, { breakModel });
          const viaColumns = solveCoverage(highs, b);
          expectValid(a, viaCounts);
          expect(viaCounts.objective).toBeCloseTo(viaColumns.objective, 6);
          expect(viaCounts.lpBound).toBeLessThanOrEqual(viaColumns.lpBound + 1e-6);
        },
      ),
      { numRuns: 25, seed: 12 },
    );
  });

  it('places overlapping break windows by combination, never two breaks of one shift together', () => {
    const shifts = compileShiftTypes(
      {
        shifts: [
          {
            name: '6h',
            length_min: 360,
            start_step_min: 15,
            breaks: [
              { length_min: 15, earliest_offset_min: 60, latest_offset_min: 180 },
              { length_min: 30, earliest_offset_min: 120, latest_offset_min: 240 },
            ],
          },
        ],
      },
      15,
    );
    expect(shifts[0]!.placement).toBe('explicit');
    const problem = { required: dayRequirement.slice(0, 40), shifts, placements: everyStart(40, shifts) };
    const result = solveCoverage(highs, problem);
    expectValid(problem, result);
    expect(result.shifts.length).toBeGreaterThan(0);
  });

  it('reports where a requirement cannot be met instead of failing: early hours no shift reaches, and a peak over the cap', () => {
    const shifts = compileShiftTypes({ shifts: [{ name: '4h', length_min: 240, start_step_min: 60 }] }, 15);
    // Shifts may only start from interval 8 on, so intervals 0–7 are out of reach.
    const placements = everyStart(40, shifts).filter((p) => p.start >= 8);
    const required = Array.from({ length: 40 }, () => 3);
    const result = solveCoverage(highs, { required, shifts, placements });
    expectValid({ required, shifts, placements }, result);
    expect(result.scheduled.slice(0, 8)).toEqual(new Array(8).fill(0));
    expect(result.shortfall).toBe(24);
    expect(result.scheduled.slice(8).every((s) => s >= 3)).toBe(true);
    // The unreachable shortfall is in both the objective and the bound, so the gap only measures the search.
    expect(result.gap).toBeLessThan(1e-6);
  });

  it('keeps to a limit on the shifts a day may have (the agents there), leaving the rest short', () => {
    const shifts = compileShiftTypes({ shifts: [{ name: '4h', length_min: 240, start_step_min: 60 }] }, 15);
    const required = Array.from({ length: 32 }, () => 3);
    const placements = everyStart(32, shifts);
    const free = solveCoverage(highs, { required, shifts, placements });
    expect(free.shifts).toHaveLength(6);
    const capped = solveCoverage(highs, { required, shifts, placements, limits: [{ from: 0, to: 32, maxShifts: 4 }] });
    expectValid({ required, shifts, placements }, capped);
    expect(capped.shifts).toHaveLength(4);
    expect(capped.shortfall).toBe(32);
    expect(capped.lpBound).toBeCloseTo(capped.objective, 6);
  });

  it('spreads agents shared by two groups where they are needed, within what they can work together', () => {
    // Two groups needing 3 agents per quarter hour over 8 hours: six 8-hour shifts. Five agents can work: two are
    // skilled for group 1 (and group 0), three for group 0 only.
    const shifts = compileShiftTypes({ shifts: [{ name: '8h', length_min: 480, start_step_min: 60, breaks: [] }] }, 15);
    const required = Array.from({ length: 32 }, () => 3);
    const placements = everyStart(32, shifts);
    const problems = [0, 1].map(() => ({ required, shifts, placements }));
    const penalty = 2 * shifts[0]!.cost;
    const free = solveJointRelaxation(highs, problems, []);
    expect(free.bound).toBeCloseTo(6 * 8, 6);
    const limited = solveJointRelaxation(highs, problems, [
      { problems: [1], from: 0, to: 32, maxShifts: 2 },
      { problems: [0, 1], from: 0, to: 32, maxShifts: 5 },
    ]);
    // Group 0 gets its three, group 1 the two it can have and is one agent short all day.
    expect(limited.bound).toBeCloseTo(5 * 8 + 32 * penalty, 6);
    const total = (starts: number[]) => starts.reduce((a, b) => a + b, 0);
    expect(total(limited.starts[0]!)).toBeCloseTo(3, 6);
    expect(total(limited.starts[1]!)).toBeCloseTo(2, 6);
    // Paid hours limit the same way: 36 hours are four and a half shifts.
    const hours = solveJointRelaxation(highs, problems, [{ problems: [0, 1], from: 0, to: 32, maxPaidHours: 36 }]);
    expect(total(hours.starts[0]!) + total(hours.starts[1]!)).toBeCloseTo(4.5, 6);
  });

  it('solves days apart and a night queue whose shifts cross midnight as one piece', () => {
    const shifts = compileShiftTypes({ shifts: [{ name: '8h', length_min: 480, start_step_min: 60, breaks: [] }] }, 15);
    const twoDays = [...dayRequirement, ...dayRequirement];
    const apart = everyStart(56, shifts).flatMap((p) => [p, { ...p, start: p.start + 56 }]);
    expect(splitComponents({ required: twoDays, shifts, placements: apart })).toHaveLength(2);
    const night = Array.from({ length: 192 }, (_, t) => 2 + (t % 96 < 24 ? 3 : 0));
    const around = everyStart(192, shifts);
    expect(splitComponents({ required: night, shifts, placements: around })).toHaveLength(1);
    const result = solveCoverage(highs, { required: night, shifts, placements: around });
    expectValid({ required: night, shifts, placements: around }, result);
    expect(result.shortfall).toBe(0);
    expect(result.shifts.some((u) => u.start < 96 && u.start + 32 > 96)).toBe(true);
  });

  it('returns the best schedule found when the time limit ends the search, with its gap', () => {
    const shifts = compileShiftTypes(dayShifts, 15);
    const week = Array.from({ length: 7 }, () => dayRequirement).flat();
    const placements = everyStart(week.length, shifts);
    const result = solveCoverage(highs, { required: week, shifts, placements }, { timeLimitS: 0.5 });
    expectValid({ required: week, shifts, placements }, result);
    expect(result.shifts.length).toBeGreaterThan(0);
    if (result.status === 'time_limit') expect(result.mipGap).toBeGreaterThan(0);
    else expect(result.mipGap).toBeLessThan(1e-5);
  });
});
