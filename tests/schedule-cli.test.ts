import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIntervalCsv, planIntervals } from '@switchboard/planning';

const repoRoot = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'schedule-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The bank's mean Wednesday, 07:00–21:00 in quarter hours (56 intervals), staffed by Erlang C for 80% in 20 s at a
 * 300 s handle time: a real day's shape, 78 to 278 agents.
 */
function bankWednesday(): number[] {
  const days = parseIntervalCsv(readFileSync(path.join(repoRoot, 'tests/data/bank-calls-5min.csv'), 'utf8')).days;
  const wednesdays = days.filter((d) => new Date(`${d.date}T12:00:00Z`).getUTCDay() === 3);
  const calls = Array.from(
    { length: 56 },
    (_, q) => wednesdays.reduce((sum, d) => sum + d.values[3 * q]! + d.values[3 * q + 1]! + d.values[3 * q + 2]!, 0) / wednesdays.length,
  );
  const plan = planIntervals({ policy: { interval_s: 900, aht_s: 300, sl_threshold_s: 20, target: { kind: 'service_level', service_level: 0.8 } }, calls });
  return Array.from(plan.agents);
}

const quarter = (q: number) => `${String(7 + Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;

function writeRequirement(name: string, required: number[], date = '2003-05-07'): string {
  const file = path.join(work, name);
  writeFileSync(file, ['interval_start,required', ...required.map((r, q) => `${date}T${quarter(q)},${r}`)].join('\n'));
  return file;
}

type BreakRule = { length_min: number; earliest_offset_min: number; latest_offset_min: number; paid?: boolean };
const breaks: Record<'4h' | '6h' | '8h', BreakRule[]> = {
  '4h': [{ length_min: 15, earliest_offset_min: 60, latest_offset_min: 150 }],
  '6h': [
    { length_min: 15, earliest_offset_min: 60, latest_offset_min: 150 },
    { length_min: 30, earliest_offset_min: 180, latest_offset_min: 270, paid: false },
  ],
  '8h': [
    { length_min: 15, earliest_offset_min: 60, latest_offset_min: 150 },
    { length_min: 30, earliest_offset_min: 180, latest_offset_min: 300, paid: false },
    { length_min: 15, earliest_offset_min: 360, latest_offset_min: 420 },
  ],
};
const shiftTypes = (names: (keyof typeof breaks)[]) => ({
  shifts: names.map((name) => ({ name, length_min: Number(name[0]) * 60, start_step_min: 15, cost: Number(name[0]), breaks: breaks[name] })),
});

function writeShifts(name: string, set: unknown): string {
  const file = path.join(work, name);
  writeFileSync(file, JSON.stringify(set));
  return file;
}

interface Summary {
  cost: number;
  lp_bound: number;
  gap: number;
  paid_hours: number;
  shifts_used: number;
  shortfall_agent_intervals: number;
  over_coverage_agent_intervals: number;
  solve_s: number;
  status: string;
  mip_gap: number;
}

function runCli(args: string[]) {
  const result = spawnSync('npx', ['tsx', 'packages/planning/scripts/schedule.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
  const lines = result.stdout.trim().split('\n');
  return {
    status: result.status,
    stderr: result.stderr,
    summary: result.status === 0 ? (JSON.parse(lines[lines.length - 1]!) as Summary) : null,
  };
}

interface ScheduleFile {
  cost: number;
  shifts: { shift: string; start: string; end: string; breaks: { start: string; end: string; paid: boolean }[] }[];
  coverage: { interval_start: string; required: number; scheduled: number }[];
}

const minuteOf = (stamp: string) => Number(stamp.slice(11, 13)) * 60 + Number(stamp.slice(14, 16));

describe('schedule CLI', () => {
  const required = bankWednesday();
  const requirements = writeRequirement('wednesday.csv', required);

  it('covers the bank’s Wednesday at the integer optimum and writes a schedule whose every break sits in its window', () => {
    const out = path.join(work, 'schedule.json');
    const { status, summary, stderr } = runCli([
      '--requirements',
      requirements,
      '--shifts',
      writeShifts('all.json', shiftTypes(['4h', '6h', '8h'])),
      '--out',
      out,
    ]);
    expect(status).toBe(0);
    expect(Object.keys(summary!).slice(0, 8)).toEqual([
      'cost',
      'lp_bound',
      'gap',
      'paid_hours',
      'shifts_used',
      'shortfall_agent_intervals',
      'over_coverage_agent_intervals',
      'solve_s',
    ]);
    const s = summary!;
    expect(summary!.status).toBe('optimal');
    expect(s.shortfall_agent_intervals).toBe(0);
    expect(s.cost).toBeGreaterThanOrEqual(s.lp_bound);
    expect(s.gap).toBeCloseTo((s.cost - s.lp_bound) / s.lp_bound, 6);
    expect(s.gap).toBeLessThan(0.002);
    expect(stderr).toMatch(/^shifts: 4h ×\d+, 6h ×\d+, 8h ×\d+$/m);

    const schedule = JSON.parse(readFileSync(out, 'utf8')) as ScheduleFile;
    expect(schedule.shifts).toHaveLength(s.shifts_used);
    expect(schedule.shifts.reduce((sum, sh) => sum + Number(sh.shift[0]), 0)).toBe(s.cost);
    const onPhone = new Array<number>(56).fill(0);
    for (const shift of schedule.shifts) {
      const start = minuteOf(shift.start);
      expect(minuteOf(shift.end) - start).toBe(Number(shift.shift[0]) * 60);
      const rules = breaks[shift.shift as keyof typeof breaks];
      shift.breaks.forEach((b, i) => {
        const offset = minuteOf(b.start) - start;
        expect(offset).toBeGreaterThanOrEqual(rules[i]!.earliest_offset_min);
        expect(offset).toBeLessThanOrEqual(rules[i]!.latest_offset_min);
        expect(b.paid).toBe(rules[i]!.paid ?? true);
      });
      for (let m = start; m < minuteOf(shift.end); m += 15) {
        if (!shift.breaks.some((b) => m >= minuteOf(b.start) && m < minuteOf(b.end))) onPhone[(m - 420) / 15]! += 1;
      }
    }
    expect(schedule.coverage.map((c) => c.scheduled)).toEqual(onPhone);
    expect(schedule.coverage.map((c) => c.required)).toEqual(required);
    expect(onPhone.every((n, q) => n >= required[q]!)).toBe(true);
    expect(onPhone.reduce((sum, n, q) => sum + n - required[q]!, 0)).toBe(s.over_coverage_agent_intervals);
  });

  it('closes the gap the LP leaves with 6h and 8h shifts only (rounding the LP would not be enough)', () => {
    const { status, summary } = runCli(['--requirements', requirements, '--shifts', writeShifts('long.json', shiftTypes(['6h', '8h']))]);
    expect(status).toBe(0);
    const s = summary!;
    expect(summary!.status).toBe('optimal');
    expect(s.mip_gap).toBeLessThan(1e-5);
    expect(s.gap).toBeGreaterThan(0);
    expect(s.gap).toBeLessThan(0.005);
  });

  it('says where a requirement cannot be met and still prints the best schedule', () => {
    // 2 hours listed on the second day: the 4-hour shift fits on the first day only.
    const file = path.join(work, 'short-day.csv');
    const second = Array.from({ length: 8 }, (_, q) => `2003-05-08T${quarter(q)},3`);
    writeFileSync(file, [readFileSync(writeRequirement('first.csv', new Array(16).fill(2)), 'utf8'), ...second].join('\n'));
    const { status, summary, stderr } = runCli([
      '--requirements',
      file,
      '--shifts',
      writeShifts('four.json', { shifts: [{ name: '4h', length_min: 240, start_step_min: 60 }] }),
    ]);
    expect(status).toBe(0);
    expect(summary).toMatchObject({ shifts_used: 2, cost: 8, shortfall_agent_intervals: 24, over_coverage_agent_intervals: 0 });
    expect(stderr).toContain('short: 2003-05-08T07:00–09:00 24 agent-intervals');
  });

  it.each([
    [['--shifts', 'x.json'], '--requirements is required'],
    [['--requirements', 'nowhere.csv', '--shifts', 'x.json'], 'cannot read requirements nowhere.csv: ENOENT'],
    [['--time-limit-s', '0'], '--time-limit-s must be a number of seconds > 0, not "0"'],
  ])('refuses %j with exit code 2', (args, message) => {
    const full = args.includes('--requirements') || args.includes('--shifts') ? args : ['--requirements', requirements, '--shifts', 'x.json', ...args];
    const { status, stderr } = runCli(full);
    expect(status).toBe(2);
    expect(stderr).toContain(`schedule: ${message}`);
  });

  it('names the field of a bad shift and the line of a bad requirement', () => {
    const bad = shiftTypes(['8h']);
    bad.shifts[0]!.breaks[1]!.latest_offset_min = 470;
    const shifts = runCli(['--requirements', requirements, '--shifts', writeShifts('bad.json', bad)]);
    expect(shifts.status).toBe(2);
    expect(shifts.stderr).toContain('.shifts[0].breaks[1].latest_offset_min: a break starting at +470 min would end after the 480-minute shift');
    const file = path.join(work, 'offset.csv');
    writeFileSync(file, 'interval_start,required\n2003-05-07T07:00:00Z,4\n');
    const requirement = runCli(['--requirements', file, '--shifts', writeShifts('ok.json', shiftTypes(['4h']))]);
    expect(requirement.status).toBe(2);
    expect(requirement.stderr).toContain('offset.csv: line 2: "2003-05-07T07:00:00Z" is not a local time like 2024-05-01T07:15 without an offset');
  });
});
