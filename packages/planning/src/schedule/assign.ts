import type { Highs } from 'highs';
import { ModelBuilder } from './model-builder.ts';

/**
 * Named agents for the shifts the coverage model chose, over a week, under each agent's contract, availability,
 * time off and skills. One MIP over every agent × shift pair (1,000 agents × 4,500 shifts) is far past what HiGHS in
 * WebAssembly solves in a minute, and even one over agent × kind (a planning group, a day, a shift type: 17,000
 * binaries at 1,000 agents) spent 20 s on its root LP and stopped at 30 s with 395 shifts unassigned. So:
 *
 * 1. **Each agent's mix of shift types** (`chooseMixes`, a small MIP: one of the mixes each contract's hours allow
 *    per agent, so that together they cover every group's shifts of each type at the fewest hours).
 * 2. **Days**, by construction (`chooseDays`, about a second): agents in turn, the least flexible first, take the
 *    kinds of their mix most in need; then agents on over-filled kinds move to open ones, open shifts go to agents
 *    with room, and ejection chains (`repairByChains`) move days between agents until no open shift has one. One
 *    shift a day, days off, consecutive days (counting the week before), hours, the rest rule between days and
 *    preferred days off hold throughout.
 * 3. **Start times**, day by day (a transportation problem per kind in HiGHS, integral by total unimodularity): the
 *    agents of a kind take its shifts' starts, each within availability, clear of time off and rested since
 *    yesterday's shift; preferred start bands are honoured where they can be, a late finish goes to agents off
 *    tomorrow (or whose shift tomorrow starts late), and evening shifts go to those who have had fewest.
 *
 * Every rule is then checked again from scratch (`checkAssignment`): a violation is reported, never hidden.
 */

export interface ShiftToStaff {
  group: string;
  /** Day of the week, 0-based from the schedule's first day. */
  day: number;
  type: string;
  /** Minutes on the schedule's timeline (elapsed time, so a rest across a clock change is measured truly). */
  start: number;
  end: number;
  paidHours: number;
  /** Evening shifts and weekend days: spread evenly and reported. */
  unpopular: boolean;
}

export interface AgentContract {
  id: string;
  /** Planning groups the agent is skilled for. */
  groups: readonly string[];
  minHours: number;
  maxHours: number;
  minRestMin: number;
  maxConsecutiveDays: number;
  minDaysOff: number;
  fixedDaysOff?: readonly number[];
  /** Per day, the timeline window a shift must lie in; null: not available that day. Left out: always available. */
  availability?: readonly ({ from: number; to: number } | null)[];
  /** Approved time off on the timeline; `paidHours` of it count towards the contract's hours. */
  timeOff?: readonly { start: number; end: number; paidHours: number }[];
  /** Preferred start, as a window of minutes after the day's start. */
  preferredStart?: { from: number; to: number };
  preferredDaysOff?: readonly number[];
  /** The week before: when the last shift ended (timeline minutes, negative) and how many days in a row it closed. */
  previous?: { lastEnd: number; consecutiveDays: number };
}

export interface AssignmentProblem {
  days: number;
  /** Timeline minute at which each day starts (its local midnight). */
  dayStarts: readonly number[];
  /** Days whose every shift is unpopular (weekends). */
  weekendDays: readonly number[];
  shifts: readonly ShiftToStaff[];
  /**
   * Shifts that may be added, any number of times, when contracts' minimum hours need more than `shifts` offers
   * (one per allowed start of each type, group and day). They cost more than any preference, so are a last resort.
   */
  extraShifts?: readonly ShiftToStaff[];
  agents: readonly AgentContract[];
}

export interface Violation {
  agent: string;
  rule: 'skills' | 'one_shift_a_day' | 'rest' | 'max_consecutive_days' | 'days_off' | 'min_hours' | 'max_hours' | 'availability' | 'time_off';
  detail: string;
}

export interface AssignmentResult {
  /** Agent index per shift of `problem.shifts`, or null when nobody could take it. */
  agentOf: (number | null)[];
  /** Shifts added beyond the coverage model's because contracts' minimum hours needed them (with their agent). */
  extra: { shift: ShiftToStaff; agent: number }[];
  violations: Violation[];
  /** Per agent: the share of their shifts that are unpopular, and the share of their preferences met. */
  unpopularShare: number[];
  preferenceMet: number[];
  daysSeconds: number;
  startsSeconds: number;
}

export class ContractRuleError extends Error {
  constructor(readonly problems: string[]) {
    super(`the rules cannot all hold: ${problems.join('; ')}`);
  }
}

/** Cost of an agent left without a start: above any preference or fairness term. */
const shortPenalty = 1000;

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** Can the agent work this shift at all, leaving rest and the other days aside? */
function fits(agent: AgentContract, shift: ShiftToStaff): boolean {
  if (!agent.groups.includes(shift.group)) return false;
  if (agent.fixedDaysOff?.includes(shift.day)) return false;
  const window = agent.availability?.[shift.day];
  if (window === null || (window && (shift.start < window.from || shift.end > window.to))) return false;
  return !(agent.timeOff ?? []).some((t) => overlaps(t, shift));
}

interface Kind {
  group: string;
  day: number;
  type: string;
  paidHours: number;
  shifts: number[];
  /** Indices into `extraShifts`. */
  extras: number[];
}

function listKinds(problem: AssignmentProblem): Kind[] {
  const byKey = new Map<string, Kind>();
  const kindOf = (shift: ShiftToStaff) => {
    const key = `${shift.group}\u0000${shift.day}\u0000${shift.type}`;
    const kind = byKey.get(key) ?? { group: shift.group, day: shift.day, type: shift.type, paidHours: shift.paidHours, shifts: [], extras: [] };
    byKey.set(key, kind);
    return kind;
  };
  problem.shifts.forEach((shift, i) => kindOf(shift).shifts.push(i));
  (problem.extraShifts ?? []).forEach((shift, i) => kindOf(shift).extras.push(i));
  return [...byKey.values()].sort((a, b) => a.day - b.day || a.group.localeCompare(b.group) || a.type.localeCompare(b.type));
}

const shiftsOfKind = (problem: AssignmentProblem, kind: Kind) => [
  ...kind.shifts.map((s) => problem.shifts[s]!),
  ...kind.extras.map((e) => problem.extraShifts![e]!),
];

/** Hours the agent's approved time off pays this week: they count towards the contract. */
export const creditedHours = (agent: AgentContract) => (agent.timeOff ?? []).reduce((sum, t) => sum + t.paidHours, 0);

/**
 * Whether an agent can work a shift of `second` the day after one of `first` under their rest rule, whichever starts
 * the days stage later picks (the earliest end and the latest start: a pair the start stage can always make).
 */
function restedBetween(problem: AssignmentProblem, agent: AgentContract, first: Kind, second: Kind): boolean {
  const earliestEnd = Math.min(...shiftsOfKind(problem, first).map((s) => s.end));
  const latestStart = Math.max(...shiftsOfKind(problem, second).map((s) => s.start));
  return earliestEnd + agent.minRestMin <= latestStart;
}

/** Contracts that no schedule can honour, each named; checked before any solving. */
function findImpossibleContracts(problem: AssignmentProblem, kinds: Kind[], eligible: number[][]): string[] {
  const problems: string[] = [];
  problem.agents.forEach((agent, a) => {
    const who = `agent ${agent.id}`;
    if (agent.minHours > agent.maxHours) problems.push(`${who}: minimum ${agent.minHours} h a week is above the maximum ${agent.maxHours} h`);
    if (agent.minDaysOff > problem.days) problems.push(`${who}: ${agent.minDaysOff} days off do not fit in a ${problem.days}-day week`);
    if (agent.maxConsecutiveDays < 1) problems.push(`${who}: at most ${agent.maxConsecutiveDays} consecutive days leaves no day to work`);
    const need = agent.minHours - creditedHours(agent);
    if (need <= 0) return;
    const bestPerDay = Array.from({ length: problem.days }, (_, d) =>
      Math.max(0, ...eligible[a]!.filter((k) => kinds[k]!.day === d).map((k) => kinds[k]!.paidHours)),
    ).sort((x, y) => y - x);
    const workable = Math.min(problem.days - agent.minDaysOff, problem.days);
    const most = bestPerDay.slice(0, Math.max(0, workable)).reduce((sum, h) => sum + h, 0);
    if (most + 1e-9 < need)
      problems.push(
        `${who}: minimum ${agent.minHours} h a week cannot be met: at most ${most} h of shifts fit in the ${workable} days they may work (skills, availability, time off, ${agent.minDaysOff} days off)`,
      );
  });
  return problems;
}

/** Penalty per shift of a group and type that no agent's mix takes: above any mix's hours. */
const mixShortPenalty = 100;

/**
 * How many shifts of each type each agent is to work: a MIP over the mixes their contracts allow (two 9.5 h and two
 * 7.5 h shifts make a part-timer's 34 h; five 7.5 h a full-timer's 37.5 h), one mix per agent, the agents shared
 * between groups splitting theirs, so that together they can staff every group's shifts of each type at the fewest
 * hours. Handing out types greedily instead left the last agents only mixes their hours could not take: on the
 * bench, 25 of 4,500 shifts went unstaffed while 30 were added on the weekend for agents short of their minimum.
 * An agent whose days allow no mix gets none (the days stage then fills by hours alone).
 */
function chooseMixes(highs: Highs, problem: AssignmentProblem, kinds: Kind[], eligible: number[][]): Map<string, number>[] {
  const model = new ModelBuilder();
  const demandRows = new Map<string, [number, number][]>();
  const demand = new Map<string, number>();
  for (const kind of kinds) demand.set(`${kind.group}\u0000${kind.type}`, (demand.get(`${kind.group}\u0000${kind.type}`) ?? 0) + kind.shifts.length);
  const rows: { entries: [number, number][]; lower: number; upper: number }[] = [];
  const mixes = problem.agents.map((agent, a) => {
    const mine = eligible[a]!.map((k) => kinds[k]!);
    const types = [...new Map(mine.map((k) => [k.type, k.paidHours])).entries()];
    const workable = Math.min(problem.days - agent.minDaysOff, new Set(mine.map((k) => k.day)).size);
    const credited = creditedHours(agent);
    const found: { counts: number[]; column: number }[] = [];
    const visit = (t: number, counts: number[], days: number, hours: number) => {
      if (t === types.length) {
        if (hours >= agent.minHours - credited - 1e-9 && hours <= agent.maxHours - credited + 1e-9)
          found.push({ counts: [...counts], column: model.addColumn(hours, true, 1) });
        return;
      }
      for (let n = 0; days + n <= workable; n++) visit(t + 1, [...counts, n], days + n, hours + n * types[t]![1]);
    };
    visit(0, [], 0, 0);
    if (found.length === 0) return { types, found };
    rows.push({ entries: found.map((m) => [m.column, 1]), lower: 1, upper: 1 });
    types.forEach(([type], t) => {
      // The agent's shifts of this type, split over the groups where the agent may work it.
      const link: [number, number][] = found.map((m) => [m.column, -m.counts[t]!]);
      for (const group of new Set(mine.filter((k) => k.type === type).map((k) => k.group))) {
        const share = model.addColumn(0, false);
        link.push([share, 1]);
        const key = `${group}\u0000${type}`;
        demandRows.set(key, [...(demandRows.get(key) ?? []), [share, 1]]);
      }
      rows.push({ entries: link, lower: 0, upper: 0 });
    });
    return { types, found };
  });
  for (const [key, entries] of demandRows)
    rows.push({ entries: [...entries, [model.addColumn(mixShortPenalty, false), 1]], lower: demand.get(key)!, upper: Infinity });
  for (const row of rows) model.addRow(row.entries, row.lower, row.upper);
  const values = highs.withModel(model.build(highs.infinity), (m) => {
    m.options.set({ output_flag: false, random_seed: 1, time_limit: 10, mip_rel_gap: 1e-4 });
    m.run();
    return m.info.get('primal_solution_status') === highs.constants.solutionStatus.feasible ? m.getSolution().colValue : null;
  });
  return mixes.map(({ types, found }) => {
    const chosen = values === null ? undefined : found.find((m) => values[m.column]! > 0.5);
    return new Map(chosen ? types.map(([type], t) => [type, chosen.counts[t]!]) : []);
  });
}

/**
 * Stage 1 without a solver: agents in turn (the least flexible first) take the week that best fills what is still
 * needed, a day at a time (the day whose kind is emptiest), within their days off, consecutive days and hours; then
 * shifts still open go to agents off that day with room in their contract.
 */
function chooseDays(problem: AssignmentProblem, kinds: Kind[], eligible: number[][], mixes: Map<string, number>[]): number[][] {
  const need = kinds.map((k) => k.shifts.length);
  // Hours the agent is to work this week: the contract's, less what approved time off already pays.
  const minOf = (a: number) => problem.agents[a]!.minHours - creditedHours(problem.agents[a]!);
  const maxOf = (a: number) => problem.agents[a]!.maxHours - creditedHours(problem.agents[a]!);
  const perAgent = problem.agents.map(() => [] as number[]);
  const hours = problem.agents.map(() => 0);
  const order = problem.agents.map((_, a) => a).sort((x, y) => eligible[x]!.length - eligible[y]!.length);
  const worksOn = (a: number) => new Set(perAgent[a]!.map((k) => kinds[k]!.day));
  const runOk = (a: number, days: Set<number>) => {
    const agent = problem.agents[a]!;
    let run = agent.previous?.consecutiveDays ?? 0;
    for (let d = 0; d < problem.days; d++) {
      run = days.has(d) ? run + 1 : 0;
      if (run > agent.maxConsecutiveDays) return false;
    }
    return true;
  };
  const restOk = (a: number, k: number) => {
    const agent = problem.agents[a]!;
    const kind = kinds[k]!;
    return perAgent[a]!.every((other) => {
      const o = kinds[other]!;
      if (Math.abs(o.day - kind.day) !== 1) return true;
      return o.day < kind.day ? restedBetween(problem, agent, o, kind) : restedBetween(problem, agent, kind, o);
    });
  };
  const canAdd = (a: number, k: number, maxHours: number) => {
    const agent = problem.agents[a]!;
    const days = worksOn(a);
    const kind = kinds[k]!;
    if (days.has(kind.day) || days.size + 1 > problem.days - agent.minDaysOff || hours[a]! + kind.paidHours > maxHours + 1e-9) return false;
    return runOk(a, new Set([...days, kind.day])) && restOk(a, k);
  };
  const take = (a: number, k: number) => {
    perAgent[a]!.push(k);
    hours[a]! += kinds[k]!.paidHours;
    need[k]! -= 1;
  };
  for (const a of order) {
    const agent = problem.agents[a]!;
    const minHours = minOf(a);
    const maxHours = maxOf(a);
    // Fill the kinds most in need while under the minimum; a preferred day off only when nothing else is.
    // Weekend days already taken count against another, so weekends spread over the floor.
    const weekends = () => perAgent[a]!.filter((k) => problem.weekendDays.includes(kinds[k]!.day)).length;
    const score = (k: number) =>
      need[k]! / Math.max(1, kinds[k]!.shifts.length) -
      (agent.preferredDaysOff?.includes(kinds[k]!.day) ? 0.5 : 0) -
      (problem.weekendDays.includes(kinds[k]!.day) ? 0.3 * weekends() : 0);
    // Sums of paid hours reachable with j more shifts of the agent's types: a day is taken only if the minimum can
    // still be reached without passing the maximum (two 7.5 h and two 9.5 h shifts make 34 h, and no fifth fits 40 h).
    const lengths = [...new Set(eligible[a]!.map((k) => kinds[k]!.paidHours))];
    const reachable: Set<number>[] = [new Set([0])];
    for (let j = 1; j <= problem.days; j++) reachable.push(new Set([...reachable[j - 1]!].flatMap((sum) => lengths.map((h) => sum + h))));
    const completable = (after: number, daysLeft: number) =>
      reachable.slice(0, Math.max(0, daysLeft) + 1).some((sums) => [...sums].some((sum) => after + sum >= minHours - 1e-9 && after + sum <= maxHours + 1e-9));
    // The agent's mix first; when the days will not take it, whatever completes the hours.
    const quota = new Map(mixes[a]!);
    let byMix = [...quota.values()].some((n) => n > 0);
    while (byMix ? [...quota.values()].some((n) => n > 0) : hours[a]! < minHours - 1e-9) {
      const daysLeft = problem.days - agent.minDaysOff - worksOn(a).size - 1;
      const options = eligible[a]!.filter(
        (k) => canAdd(a, k, maxHours) && (byMix ? (quota.get(kinds[k]!.type) ?? 0) > 0 : completable(hours[a]! + kinds[k]!.paidHours, daysLeft)),
      );
      if (options.length === 0) {
        if (!byMix) break;
        byMix = false;
        continue;
      }
      const best = options.reduce((x, y) => (score(y) > score(x) || (score(y) === score(x) && kinds[y]!.paidHours > kinds[x]!.paidHours) ? y : x));
      take(a, best);
      if (byMix) quota.set(kinds[best]!.type, quota.get(kinds[best]!.type)! - 1);
    }
  }
  // An agent on a kind with more agents than shifts moves to an open kind (any day) when every rule still holds.
  kinds.forEach((kind, k) => {
    for (const a of order) {
      if (need[k]! <= 0) break;
      if (!eligible[a]!.includes(k)) continue;
      for (const from of perAgent[a]!.filter((other) => need[other]! < 0)) {
        const after = hours[a]! - kinds[from]!.paidHours + kind.paidHours;
        if (after < minOf(a) - 1e-9 || after > maxOf(a) + 1e-9) continue;
        perAgent[a] = perAgent[a]!.filter((other) => other !== from);
        hours[a]! -= kinds[from]!.paidHours;
        need[from]! += 1;
        if (canAdd(a, k, maxOf(a))) {
          take(a, k);
          break;
        }
        take(a, from);
      }
    }
  });
  // Open shifts to the agents with the fewest hours who have room for them.
  kinds.forEach((kind, k) => {
    while (need[k]! > 0) {
      const candidates = order.filter((a) => eligible[a]!.includes(k) && canAdd(a, k, maxOf(a)));
      if (candidates.length === 0) break;
      take(
        candidates.reduce((x, y) => (hours[y]! < hours[x]! ? y : x)),
        k,
      );
    }
  });
  repairByChains(problem, kinds, eligible, perAgent, need, { minOf, maxOf, runOk });
  return perAgent;
}

/**
 * Ejection chains for the shifts still open: an agent takes the open shift and gives up one of theirs (another day,
 * or another type that day), which another agent takes, and so on, until the last one gives up a shift its kind has
 * too many of (one that would be added for an agent's minimum hours) or has room for it. A breadth-first search over
 * kinds finds the shortest chain; every agent on it is checked against every rule after the moves, and a chain that
 * breaks one is undone. The greedy days stage ends a few percent short of what the agents can give when the
 * weekdays take nearly all of it; chains move those last days to where they are needed.
 */
function repairByChains(
  problem: AssignmentProblem,
  kinds: Kind[],
  eligible: number[][],
  perAgent: number[][],
  need: number[],
  rules: { minOf: (a: number) => number; maxOf: (a: number) => number; runOk: (a: number, days: Set<number>) => boolean },
): void {
  const canWork = eligible.map((list) => new Set(list));
  const candidates = kinds.map((_, k) => problem.agents.flatMap((_, a) => (canWork[a]!.has(k) ? [a] : [])));
  const holds = (a: number, list: number[]) => {
    const agent = problem.agents[a]!;
    const days = new Set(list.map((k) => kinds[k]!.day));
    if (days.size < list.length || days.size > problem.days - agent.minDaysOff) return false;
    const hours = list.reduce((sum, k) => sum + kinds[k]!.paidHours, 0);
    if (hours < rules.minOf(a) - 1e-9 || hours > rules.maxOf(a) + 1e-9 || !rules.runOk(a, days)) return false;
    return list.every((k) => list.every((other) => kinds[other]!.day !== kinds[k]!.day + 1 || restedBetween(problem, agent, kinds[k]!, kinds[other]!)));
  };
  const moved = (a: number, from: number | null, to: number) => [...perAgent[a]!.filter((k) => k !== from), to];
  const augment = (open: number): boolean => {
    // reached[k]: k was freed by `agent` moving from k to `into`.
    const reached = new Map<number, { agent: number; into: number }>();
    const queue = [open];
    const apply = (agent: number, from: number | null, into: number) => {
      const moves: { agent: number; from: number | null; into: number }[] = [{ agent, from, into }];
      for (let k = into; k !== open; k = reached.get(k)!.into) moves.push({ agent: reached.get(k)!.agent, from: k, into: reached.get(k)!.into });
      const before = new Map(moves.map((m) => [m.agent, [...perAgent[m.agent]!]]));
      for (const m of moves) perAgent[m.agent] = moved(m.agent, m.from, m.into);
      if ([...before.keys()].every((a) => holds(a, perAgent[a]!))) {
        need[open]! -= 1;
        if (from !== null) need[from]! += 1;
        return true;
      }
      for (const [a, list] of before) perAgent[a] = list;
      return false;
    };
    while (queue.length > 0) {
      const k = queue.shift()!;
      for (const a of candidates[k]!) {
        if (perAgent[a]!.includes(k)) continue;
        if (holds(a, moved(a, null, k)) && apply(a, null, k)) return true;
        for (const from of perAgent[a]!) {
          if (from === open || reached.has(from) || !holds(a, moved(a, from, k))) continue;
          if (need[from]! < 0) {
            if (apply(a, from, k)) return true;
            continue;
          }
          reached.set(from, { agent: a, into: k });
          queue.push(from);
        }
      }
    }
    return false;
  };
  let progress = true;
  while (progress) {
    progress = false;
    kinds.forEach((_, k) => {
      while (need[k]! > 0 && augment(k)) progress = true;
    });
  }
}

export function assignAgents(highs: Highs, problem: AssignmentProblem): AssignmentResult {
  const started = performance.now();
  const kinds = listKinds(problem);
  const eligible = problem.agents.map((agent) => kinds.flatMap((kind, k) => (shiftsOfKind(problem, kind).some((s) => fits(agent, s)) ? [k] : [])));
  const impossible = findImpossibleContracts(problem, kinds, eligible);
  if (impossible.length > 0) throw new ContractRuleError(impossible);
  const chosen = chooseDays(problem, kinds, eligible, chooseMixes(highs, problem, kinds, eligible));
  const daysSeconds = (performance.now() - started) / 1000;

  const agentOf: (number | null)[] = problem.shifts.map(() => null);
  const extra: AssignmentResult['extra'] = [];
  const lastEnd = problem.agents.map((agent) => agent.previous?.lastEnd ?? -Infinity);
  const kindOn = problem.agents.map((_, a) => new Map(chosen[a]!.map((k) => [kinds[k]!.day, k])));
  const evenings = problem.agents.map(() => 0);
  for (let d = 0; d < problem.days; d++) {
    kinds.forEach((kind, k) => {
      if (kind.day !== d) return;
      const agents = problem.agents.flatMap((_, a) => (kindOn[a]!.get(d) === k ? [a] : []));
      if (agents.length === 0) return;
      const picked = chooseStarts(highs, problem, kind, agents, { lastEnd, kindOn, kinds, evenings });
      picked.forEach((s, i) => {
        const a = agents[i]!;
        if (s === null) return;
        if (s.extra) extra.push({ shift: s.shift, agent: a });
        else agentOf[s.index] = a;
        lastEnd[a] = s.shift.end;
        if (s.shift.unpopular) evenings[a]! += 1;
      });
    });
  }
  const startsSeconds = (performance.now() - started) / 1000 - daysSeconds;
  const violations = checkAssignment(problem, agentOf, extra);
  const shiftsOf = problem.agents.map(() => [] as ShiftToStaff[]);
  agentOf.forEach((a, i) => {
    if (a !== null) shiftsOf[a]!.push(problem.shifts[i]!);
  });
  for (const e of extra) shiftsOf[e.agent]!.push(e.shift);
  const isUnpopular = (s: ShiftToStaff) => s.unpopular || problem.weekendDays.includes(s.day);
  return {
    agentOf,
    extra,
    violations,
    unpopularShare: shiftsOf.map((list) => (list.length === 0 ? 0 : list.filter(isUnpopular).length / list.length)),
    preferenceMet: problem.agents.map((agent, a) => measurePreferences(problem, agent, shiftsOf[a]!)),
    daysSeconds,
    startsSeconds,
  };
}

/** Share of an agent's stated preferences met: each preferred day off kept, each shift started in the preferred band. */
function measurePreferences(problem: AssignmentProblem, agent: AgentContract, shifts: ShiftToStaff[]): number {
  let asked = 0;
  let met = 0;
  for (const day of agent.preferredDaysOff ?? []) {
    asked += 1;
    if (!shifts.some((s) => s.day === day)) met += 1;
  }
  if (agent.preferredStart) {
    for (const s of shifts) {
      asked += 1;
      const minute = s.start - problem.dayStarts[s.day]!;
      if (minute >= agent.preferredStart.from && minute <= agent.preferredStart.to) met += 1;
    }
  }
  return asked === 0 ? 1 : met / asked;
}

interface StartState {
  lastEnd: number[];
  kindOn: Map<number, number>[];
  kinds: Kind[];
  evenings: number[];
}

/**
 * Stage 2 for one kind: its agents take its shifts' starts (a transportation LP: agents supply one each, a start
 * demands its count of shifts; an extra shift may copy any start). Returns per agent the shift taken, or null.
 */
function chooseStarts(
  highs: Highs,
  problem: AssignmentProblem,
  kind: Kind,
  agents: number[],
  state: StartState,
): ({ index: number; shift: ShiftToStaff; extra: false } | { shift: ShiftToStaff; extra: true } | null)[] {
  const byStart = new Map<number, number[]>();
  for (const s of kind.shifts) byStart.set(problem.shifts[s]!.start, [...(byStart.get(problem.shifts[s]!.start) ?? []), s]);
  /** Every start an extra shift may take: the kind's own and its extra templates'. */
  const shapes = new Map<number, ShiftToStaff>();
  for (const shift of shiftsOfKind(problem, kind)) if (!shapes.has(shift.start)) shapes.set(shift.start, shift);
  const starts = [...shapes.keys()].sort((a, b) => a - b);
  const columns: { cost: number; agent: number; start: number; extra: boolean }[] = [];
  agents.forEach((a, i) => {
    const agent = problem.agents[a]!;
    const tomorrow = state.kindOn[a]!.get(kind.day + 1);
    const tomorrowStarts = tomorrow === undefined ? [] : state.kinds[tomorrow]!.shifts.map((s) => problem.shifts[s]!.start);
    starts.forEach((start, j) => {
      const shift = shapes.get(start)!;
      if (!fits(agent, shift) || shift.start < state.lastEnd[a]! + agent.minRestMin) return;
      const minute = start - problem.dayStarts[kind.day]!;
      const band = agent.preferredStart && (minute < agent.preferredStart.from || minute > agent.preferredStart.to) ? 1 : 0;
      // Tomorrow's starts this finish would rule out, as a share: late finishes go to those with late starts next.
      const blocked = tomorrowStarts.length === 0 ? 0 : tomorrowStarts.filter((t) => t < shift.end + agent.minRestMin).length / tomorrowStarts.length;
      const evening = shift.unpopular ? 0.3 * state.evenings[a]! : 0;
      const cost = band + 3 * blocked + evening;
      if (byStart.has(start)) columns.push({ cost, agent: i, start: j, extra: false });
      columns.push({ cost: cost + 50, agent: i, start: j, extra: true });
    });
  });
  // An agent whose every start is blocked stays home rather than making the problem infeasible (the check then
  // reports what that costs their contract).
  agents.forEach((_, i) => columns.push({ cost: shortPenalty, agent: i, start: -1, extra: false }));
  const model = new ModelBuilder();
  const perAgent = agents.map(() => [] as [number, number][]);
  const perStart = starts.map(() => [] as [number, number][]);
  columns.forEach((c) => {
    const column = model.addColumn(c.cost, true, 1);
    perAgent[c.agent]!.push([column, 1]);
    if (c.start >= 0 && !c.extra) perStart[c.start]!.push([column, 1]);
  });
  perAgent.forEach((entries) => model.addRow(entries, 1, 1));
  starts.forEach((start, j) => {
    if (byStart.has(start)) model.addRow(perStart[j]!, 0, byStart.get(start)!.length);
  });
  const solution = highs.withModel(model.build(highs.infinity), (m) => {
    m.options.set({ output_flag: false, random_seed: 1 });
    m.run();
    return m.getSolution().colValue;
  });
  const used = new Map<number, number>();
  return agents.map((_, i) => {
    const col = columns.findIndex((c, index) => c.agent === i && c.start >= 0 && solution[index]! > 0.5);
    if (col < 0) return null;
    const { start, extra } = columns[col]!;
    if (extra) return { shift: shapes.get(starts[start]!)!, extra: true };
    const list = byStart.get(starts[start]!)!;
    const n = used.get(start) ?? 0;
    used.set(start, n + 1);
    return { index: list[n]!, shift: problem.shifts[list[n]!]!, extra: false };
  });
}

/** Every rule checked from scratch on an assignment, whatever produced it. */
export function checkAssignment(problem: AssignmentProblem, agentOf: readonly (number | null)[], extra: AssignmentResult['extra'] = []): Violation[] {
  const violations: Violation[] = [];
  const shiftsOf = problem.agents.map(() => [] as ShiftToStaff[]);
  agentOf.forEach((a, i) => {
    if (a !== null) shiftsOf[a]!.push(problem.shifts[i]!);
  });
  for (const e of extra) shiftsOf[e.agent]!.push(e.shift);
  problem.agents.forEach((agent, a) => {
    const mine = shiftsOf[a]!.sort((x, y) => x.start - y.start);
    const add = (rule: Violation['rule'], detail: string) => violations.push({ agent: agent.id, rule, detail });
    for (const s of mine) {
      if (!agent.groups.includes(s.group)) add('skills', `day ${s.day}: a ${s.group} shift without the skill`);
      const window = agent.availability?.[s.day];
      if (agent.fixedDaysOff?.includes(s.day) || window === null || (window && (s.start < window.from || s.end > window.to)))
        add('availability', `day ${s.day}: outside availability`);
      if ((agent.timeOff ?? []).some((t) => overlaps(t, s))) add('time_off', `day ${s.day}: over approved time off`);
    }
    const days = new Set(mine.map((s) => s.day));
    if (days.size < mine.length) add('one_shift_a_day', `${mine.length} shifts on ${days.size} days`);
    let previousEnd = agent.previous?.lastEnd ?? -Infinity;
    for (const s of mine) {
      if (s.start - previousEnd < agent.minRestMin) add('rest', `day ${s.day}: ${Math.round(s.start - previousEnd)} min after the last shift`);
      previousEnd = s.end;
    }
    if (problem.days - days.size < agent.minDaysOff) add('days_off', `${problem.days - days.size} days off`);
    let run = agent.previous?.consecutiveDays ?? 0;
    for (let d = 0; d < problem.days; d++) {
      run = days.has(d) ? run + 1 : 0;
      if (run > agent.maxConsecutiveDays) {
        add('max_consecutive_days', `${run} days in a row by day ${d}`);
        break;
      }
    }
    const hours = mine.reduce((sum, s) => sum + s.paidHours, 0) + creditedHours(agent);
    if (hours < agent.minHours - 1e-9) add('min_hours', `${hours} h`);
    if (hours > agent.maxHours + 1e-9) add('max_hours', `${hours} h`);
  });
  return violations;
}
