import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { assignAgents, checkAssignment, ContractRuleError, type AgentContract, type AssignmentProblem, type ShiftToStaff } from './assign.ts';
import { createSeededRandom } from '../random.ts';
import { loadSolver } from './solver.ts';

let highs: Highs;
beforeAll(async () => {
  highs = await loadSolver();
});

const day = 1440;

/** A shift of `hours` on `d` starting at `startHour` (timeline minutes from Monday 00:00). */
function shift(group: string, d: number, startHour: number, hours: 8 | 10): ShiftToStaff {
  const start = d * day + startHour * 60;
  return { group, day: d, type: `${hours}h`, start, end: start + hours * 60, paidHours: hours - 0.5, unpopular: startHour + hours > 19 };
}

/** Whether working `days` keeps within `most` days in a row, counting `before` days worked up to the week's start. */
function runsWithin(days: number[], before: number, most: number): boolean {
  let run = before;
  for (let d = 0; d < 7; d++) {
    run = days.includes(d) ? run + 1 : 0;
    if (run > most) return false;
  }
  return true;
}

const contract = (id: string, groups: string[], extra: Partial<AgentContract> = {}): AgentContract => ({
  id,
  groups,
  minHours: 36,
  maxHours: 40,
  minRestMin: 11 * 60,
  maxConsecutiveDays: 5,
  minDaysOff: 2,
  ...extra,
});

/** Monday–Friday, for each group, four 8-hour shifts a day (two early, two late): 40 shifts for 8 agents × 5 days. */
function weekOf(agents: AgentContract[]): AssignmentProblem {
  const shifts = ['voice', 'chat'].flatMap((group) =>
    [0, 1, 2, 3, 4].flatMap((d) => [shift(group, d, 7, 8), shift(group, d, 7, 8), shift(group, d, 13, 8), shift(group, d, 13, 8)]),
  );
  return { days: 7, dayStarts: [0, 1, 2, 3, 4, 5, 6].map((d) => d * day), weekendDays: [5, 6], shifts, agents };
}

describe('named assignment', () => {
  it('staffs every shift under every rule: skills, hours, days off, rest, time off and the week before', () => {
    // 9 agents for 40 shifts: six single-skilled at five shifts each, and three shared between both groups — one
    // preferring early starts (five), one with Wednesday off (paid) and three shifts to work, a part-timer with two.
    // v0 ended Sunday at 22:00, so Monday's 07:00 start is too soon for the 11 h rest.
    const agents = [
      contract('v0', ['voice'], { previous: { lastEnd: -2 * 60, consecutiveDays: 0 } }),
      ...[1, 2].map((i) => contract(`v${i}`, ['voice'])),
      ...[0, 1, 2].map((i) => contract(`c${i}`, ['chat'])),
      contract('both-early', ['voice', 'chat'], { preferredStart: { from: 7 * 60, to: 8 * 60 } }),
      contract('both-off', ['voice', 'chat'], { minHours: 28, maxHours: 32, timeOff: [{ start: 2 * day, end: 3 * day, paidHours: 7.5 }] }),
      contract('part', ['voice', 'chat'], { minHours: 15, maxHours: 16 }),
    ];
    const problem = weekOf(agents);
    const result = assignAgents(highs, problem);
    expect(result.violations).toEqual([]);
    expect(result.agentOf.filter((a) => a === null)).toHaveLength(0);
    expect(result.extra).toHaveLength(0);
    // Checked independently of the assigner: skills, one shift a day, and the 11 h rest after Sunday 22:00.
    result.agentOf.forEach((a, i) => {
      expect(problem.agents[a!]!.groups).toContain(problem.shifts[i]!.group);
    });
    const v0Monday = result.agentOf.findIndex((a, i) => a === 0 && problem.shifts[i]!.day === 0);
    if (v0Monday >= 0) expect(problem.shifts[v0Monday]!.start).toBeGreaterThanOrEqual(9 * 60);
    const offOnWednesday = result.agentOf.some((a, i) => a === 7 && problem.shifts[i]!.day === 2);
    expect(offOnWednesday).toBe(false);
    expect(result.preferenceMet[6]).toBeGreaterThan(0.5);
  });

  it('staffs a week that takes every day its agents can give, whatever their mix of 8- and 10-hour shifts', () => {
    // Shifts made from a schedule that exists: each agent's week drawn at random within their rules (five 8-hour
    // shifts or four 10-hour ones full time, two of each part time; at most 5 days in a row counting up to 3 days
    // worked into last weekend), and the shifts it holds given without names. Nothing is left over, so a greedy
    // choice of days or of types strands shifts; what is asked for is exactly what the agents can give.
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 11]) {
      const random = createSeededRandom(seed);
      const shifts: ShiftToStaff[] = [];
      const agents = Array.from({ length: 60 }, (_, i) => {
        const groups = i % 5 === 0 ? ['voice', 'chat'] : [i % 2 === 0 ? 'voice' : 'chat'];
        const kind = i % 3;
        const types: (8 | 10)[] = kind === 0 ? [8, 8, 8, 8, 8] : kind === 1 ? [10, 10, 10, 10] : [8, 8, 10, 10];
        const before = Math.floor(random() * 4);
        let days: number[];
        do {
          days = [0, 1, 2, 3, 4, 5, 6].sort(() => random() - 0.5).slice(0, types.length);
        } while (!runsWithin(days, before, 5));
        days.forEach((d, n) => shifts.push(shift(groups[Math.floor(random() * groups.length)]!, d, 8, types[(n + i) % types.length]!)));
        return contract(`a${i}`, groups, {
          ...(kind === 2 ? { minHours: 32, maxHours: 36 } : {}),
          previous: { lastEnd: before > 0 ? -8 * 60 : -40 * 60, consecutiveDays: before },
        });
      });
      const problem: AssignmentProblem = { days: 7, dayStarts: [0, 1, 2, 3, 4, 5, 6].map((d) => d * day), weekendDays: [5, 6], shifts, agents };
      const result = assignAgents(highs, problem);
      expect({ seed, violations: result.violations, open: result.agentOf.filter((a) => a === null).length, extra: result.extra.length }).toEqual({
        seed,
        violations: [],
        open: 0,
        extra: 0,
      });
    }
  });

  it('finds every kind of broken rule when it checks an assignment from scratch', () => {
    const agents = [contract('a', ['voice'], { maxConsecutiveDays: 2, previous: { lastEnd: -60, consecutiveDays: 1 } })];
    const shifts = [shift('chat', 0, 7, 8), shift('voice', 0, 13, 8), shift('voice', 1, 7, 8), shift('voice', 2, 7, 8)];
    const problem: AssignmentProblem = { days: 7, dayStarts: [], weekendDays: [], shifts, agents };
    const rules = checkAssignment(problem, [0, 0, 0, 0]).map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['skills', 'one_shift_a_day', 'rest', 'max_consecutive_days', 'min_hours']));
    expect(checkAssignment({ ...problem, agents: [contract('a', ['voice', 'chat'], { maxHours: 20 })] }, [0, 0, 0, 0]).map((v) => v.rule)).toContain(
      'max_hours',
    );
  });

  it('refuses a contract no week can honour, naming the agent and the rule', () => {
    const agents = [contract('a', ['voice'], { minHours: 45, maxHours: 40 }), contract('b', ['voice'], { minHours: 40, maxHours: 48, minDaysOff: 3 })];
    const run = () => assignAgents(highs, weekOf(agents));
    expect(run).toThrow(ContractRuleError);
    expect(run).toThrow('agent a: minimum 45 h a week is above the maximum 40 h');
    expect(run).toThrow(/agent b: minimum 40 h a week cannot be met: at most 30 h of shifts fit in the 4 days they may work/);
  });
});
