/**
 * npm run -s schedule -- --requirements FILE --shifts FILE [--time-limit-s 60] [--out schedule.json]
 *
 * The cheapest set of shifts, with their breaks, covering a requirement of agents per 15-minute interval: the shift
 * coverage MIP (HiGHS) the schedule generator solves before it names agents. The last line on stdout is one JSON
 * object; where the schedule falls short goes to stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  compileShiftTypes,
  listDayPlacements,
  locateInterval,
  parseRequirementCsv,
  RequirementInputError,
  requirementIntervalMin,
  ShiftRuleError,
  ShiftSet,
  solveCoverage,
  type CompiledShift,
  type CoverageResult,
  type Requirement,
} from '../src/index.ts';
import { loadSolver } from '../src/schedule/solver.ts';

const usage = `Usage: npm run -s schedule -- --requirements FILE --shifts FILE [options]

  --requirements FILE  CSV "interval_start,required": one row per 15-minute interval, local wall-clock
                       time without an offset (2024-05-01T07:15), one or more days; required is a
                       whole number of agents on the phone
  --shifts FILE        JSON {"shifts":[{"name":"8h","length_min":480,"start_step_min":15,"cost":8,
                       "breaks":[{"length_min":30,"earliest_offset_min":180,"latest_offset_min":300,
                       "paid":false}]}]}: offsets are the break's possible starts from the shift's
                       start; a break is paid unless it says "paid": false; cost defaults to paid hours
  --time-limit-s S     stop the search after S seconds with the best schedule found (default 60)
  --out FILE           write the schedule: every shift with its breaks, and coverage per interval
  -h, --help           this help

A shift lies within the intervals the file lists for its day and starts on that day's first
interval plus a multiple of start_step_min. Lengths, steps and offsets are whole 15-minute
intervals. An interval short of agents costs more than any shift, so shortfall is left only
where no shift can reach it.

The last line on stdout is {"cost","lp_bound","gap","paid_hours","shifts_used",
"shortfall_agent_intervals","over_coverage_agent_intervals","solve_s",...}: cost is the sum of
the chosen shifts' costs, lp_bound the optimum of the same model with integrality relaxed, gap
= (cost − lp_bound) / lp_bound (with shortfall, both sides include its penalty). Exit status:
0 solved, 2 bad arguments or input.
`;

class UsageError extends Error {}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function readArgs(argv: string[]) {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        requirements: { type: 'string' },
        shifts: { type: 'string' },
        'time-limit-s': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  if (!values.requirements) throw new UsageError('--requirements is required');
  if (!values.shifts) throw new UsageError('--shifts is required');
  const timeLimit = Number(values['time-limit-s'] ?? 60);
  if (!Number.isFinite(timeLimit) || timeLimit <= 0) throw new UsageError(`--time-limit-s must be a number of seconds > 0, not "${values['time-limit-s']}"`);
  return { requirements: values.requirements, shifts: values.shifts, timeLimitS: timeLimit, out: values.out };
}

function readShifts(file: string, intervalMin: number): CompiledShift[] {
  let json: unknown;
  try {
    json = JSON.parse(readText(file, 'shifts'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: not JSON: ${(error as Error).message}`);
  }
  const parsed = ShiftSet.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${file}: ${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') || 'top level'}: ${issue.message}`);
  }
  try {
    return compileShiftTypes(parsed.data, intervalMin);
  } catch (error) {
    if (error instanceof ShiftRuleError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const at = (requirement: Requirement, interval: number) => {
  const { date, minute } = locateInterval(requirement, interval);
  return `${date}T${clock(minute)}`;
};
const endOf = (requirement: Requirement, lastInterval: number) => {
  const { date, minute } = locateInterval(requirement, lastInterval);
  return `${date}T${clock(minute + requirementIntervalMin)}`;
};
const round = (v: number, digits = 6) => Number(v.toFixed(digits));

/** Runs of short intervals, one line each, for the planner: where no shift could reach. */
function describeShortfall(requirement: Requirement, result: CoverageResult): string[] {
  const lines: string[] = [];
  let run: { from: number; to: number; agents: number } | null = null;
  const flush = () => {
    if (run) lines.push(`short: ${at(requirement, run.from)}–${endOf(requirement, run.to).slice(11)} ${run.agents} agent-intervals`);
    run = null;
  };
  requirement.required.forEach((required, t) => {
    const short = required - result.scheduled[t]!;
    const sameDay = run !== null && locateInterval(requirement, run.to).date === locateInterval(requirement, t).date && run.to === t - 1;
    if (short > 0 && run !== null && sameDay) {
      run.to = t;
      run.agents += short;
    } else {
      flush();
      if (short > 0) run = { from: t, to: t, agents: short };
    }
  });
  flush();
  return lines;
}

async function main(argv: string[]): Promise<number> {
  const args = readArgs(argv);
  if (args === null) {
    process.stdout.write(usage);
    return 0;
  }
  let requirement: Requirement;
  try {
    requirement = parseRequirementCsv(readText(args.requirements, 'requirements'));
  } catch (error) {
    if (error instanceof RequirementInputError) throw new UsageError(`${args.requirements}: ${error.message}`);
    throw error;
  }
  const shifts = readShifts(args.shifts, requirementIntervalMin);
  const placements = listDayPlacements(requirement, shifts);
  const notes = shifts.filter((_, k) => !placements.some((p) => p.shift === k)).map((s) => `note: shift "${s.name}" fits on no day of the requirement`);
  const highs = await loadSolver();
  const result = solveCoverage(highs, { required: requirement.required, shifts, placements }, { timeLimitS: args.timeLimitS });
  const requiredHours = (requirement.required.reduce((a, b) => a + b, 0) * requirementIntervalMin) / 60;
  const summary = {
    cost: round(result.cost),
    lp_bound: round(result.lpBound),
    gap: round(result.gap, 8),
    paid_hours: round(result.paidHours),
    shifts_used: result.shifts.length,
    shortfall_agent_intervals: result.shortfall,
    over_coverage_agent_intervals: result.over,
    solve_s: round(result.solveSeconds, 3),
    status: result.status,
    mip_gap: round(result.mipGap, 8),
    required_agent_hours: round(requiredHours),
    efficiency: result.paidHours > 0 ? round(requiredHours / result.paidHours, 4) : 0,
  };
  if (args.out) {
    const schedule = {
      ...summary,
      shifts: result.shifts.map((unit) => {
        const shift = shifts[unit.shift]!;
        return {
          shift: shift.name,
          start: at(requirement, unit.start),
          end: endOf(requirement, unit.start + shift.length - 1),
          breaks: unit.breaks.map((p, b) => ({
            start: at(requirement, p),
            end: endOf(requirement, p + shift.breaks[b]!.length - 1),
            paid: shift.breaks[b]!.paid,
          })),
        };
      }),
      coverage: requirement.required.map((required, t) => ({ interval_start: at(requirement, t), required, scheduled: result.scheduled[t]! })),
    };
    writeFileSync(args.out, `${JSON.stringify(schedule, null, 2)}\n`);
  }
  const perType = shifts.map((s, k) => `${s.name} ×${result.shifts.filter((u) => u.shift === k).length}`).join(', ');
  const status = result.status === 'optimal' ? 'optimal' : `time limit reached: best found, within ${(result.mipGap * 100).toFixed(2)}% of the best possible`;
  process.stderr.write(`${[`shifts: ${perType}`, `status: ${status}`, ...describeShortfall(requirement, result), ...notes].join('\n')}\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`schedule: ${error.message}\n\n${usage}`);
  process.exitCode = 2;
}
