import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import {
  createSeededRandom,
  createSeriesForecaster,
  listPublicHolidays,
  methodNames,
  parseIntervalCsv,
  runBankProtocol,
  type BacktestScore,
  type SpecialDay,
} from '@switchboard/planning';

const repoRoot = path.resolve(import.meta.dirname, '..');
const dataFile = path.join(repoRoot, 'tests/data/bank-calls-5min.csv');
const bank = parseIntervalCsv(readFileSync(dataFile, 'utf8')).days;

/** In percentage points, as the data README writes them. */
const pp = (score: BacktestScore) => ({ m15: score.wape[3]! * 100, m30: score.wape[6]! * 100, daily: score.wape[168]! * 100 });
const toRow = (score: BacktestScore) => {
  const w = pp(score);
  return { '15-min %': w.m15.toFixed(2), '30-min %': w.m30.toFixed(2), 'daily %': w.daily.toFixed(2), 'PI80 coverage': score.coverage80?.toFixed(3) };
};

function score(method: (typeof methodNames)[number] | 'auto', specialDays: SpecialDay[] = []): BacktestScore {
  const forecaster = createSeriesForecaster({ method, scoringBucket: 6 });
  return runBankProtocol(bank, (request) => forecaster({ ...request, specialDays }));
}

describe('forecasting on the bank call series (tests/data/README.md protocol)', () => {
  it('has the data the README describes', () => {
    expect(bank).toHaveLength(164);
    expect(bank.every((d) => d.values.length === 169)).toBe(true);
    expect(bank.reduce((s, d) => s + d.values.reduce((a, v) => a + v, 0), 0)).toBe(5_323_661);
  });

  it('first reproduces the reference baselines to ±0.01 pp', () => {
    const reference = {
      'seasonal-naive': { m15: 9.54, m30: 8.83, daily: 7.07 },
      mean4: { m15: 7.5, m30: 6.96, daily: 5.72 },
      median4: { m15: 7.07, m30: 6.48, daily: 5.2 },
    } as const;
    for (const [method, expected] of Object.entries(reference)) {
      const got = pp(score(method as keyof typeof reference));
      for (const level of ['m15', 'm30', 'daily'] as const) {
        expect(Math.abs(got[level] - expected[level]), `${method} ${level}: ${got[level].toFixed(3)}`).toBeLessThanOrEqual(0.01);
      }
    }
  });

  it('auto, chosen per origin by backtest on training days only, meets the accuracy and calibration targets', () => {
    const rows: Record<string, ReturnType<typeof toRow>> = {};
    for (const method of methodNames) rows[method] = toRow(score(method));
    const auto = score('auto');
    rows.auto = toRow(auto);
    console.table(rows);

    const w = pp(auto);
    expect(w.m30).toBeLessThanOrEqual(5.0);
    expect(w.daily).toBeLessThanOrEqual(3.5);
    expect(w.m30).toBeLessThan(pp(score('median4')).m30);
    expect(auto.coverage80).toBeGreaterThanOrEqual(0.77);
    expect(auto.coverage80).toBeLessThanOrEqual(0.83);
  });

  it('reads a weekday the protocol leaves out of its targets as the closure a planner would have marked', () => {
    // The six weekdays missing from the data are the center's closures (Memorial Day, July 4, Labor Day, …).
    const present = new Set(bank.map((d) => d.date));
    const closures: SpecialDay[] = [];
    for (let n = dayNumberOf(bank[0]!.date); n <= dayNumberOf(bank[bank.length - 1]!.date); n++) {
      const weekday = weekdayOfDayNumber(n);
      if (weekday >= 1 && weekday <= 5 && !present.has(dateOfDayNumber(n)))
        closures.push({ date: dateOfDayNumber(n), label: 'closed', effect: 'multiply', multiplier: 0 });
    }
    expect(closures.map((c) => c.date)).toEqual(['2003-04-04', '2003-04-07', '2003-05-26', '2003-07-04', '2003-09-01', '2003-10-14']);
    const auto = score('auto');
    const withCalendar = score('auto', closures);
    expect(Math.abs(pp(withCalendar).m30 - pp(auto).m30)).toBeLessThan(0.01);

    // Asked for every weekday instead (a planner who marks nothing and skips nothing), the
    // forecaster cannot know Labor Day is closed, and the day after it is forecast as a plain Tuesday.
    const forecaster = createSeriesForecaster({ method: 'auto', scoringBucket: 6 });
    const everyWeekday = runBankProtocol(bank, (request) => {
      const first = dayNumberOf(request.targets[0]!);
      const last = dayNumberOf(request.targets[request.targets.length - 1]!);
      const all: string[] = [];
      for (let n = first; n <= last; n++) if (weekdayOfDayNumber(n) >= 1 && weekdayOfDayNumber(n) <= 5) all.push(dateOfDayNumber(n));
      const out = forecaster({ ...request, targets: all });
      const pick = <T>(rows: T[] | undefined) => request.targets.map((t) => rows![all.indexOf(t)]!);
      return { values: pick(out.values), lo80: pick(out.lo80), hi80: pick(out.hi80) };
    });
    console.table({ auto: toRow(auto), 'auto + holiday calendar': toRow(withCalendar), 'auto asked for every weekday': toRow(everyWeekday) });
    expect(pp(everyWeekday).daily).toBeGreaterThan(pp(auto).daily + 0.3);
  });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'packages/planning/scripts/forecast.ts'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A US centre open Monday to Friday, 08:00–19:30 starts on a 30-minute grid, closed (no rows)
 * on every US public holiday, with a midday peak and normal noise; `from` and `to` inclusive.
 */
function writeUsCentre(file: string, from: string, to: string): void {
  const random = createSeededRandom(2025);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const closed = new Set(listPublicHolidays('US', from, to).map((h) => h.date));
  const weekdayLevel = [0, 1.15, 1, 0.95, 0.95, 0.9, 0];
  const rows = ['interval_start,calls'];
  for (let n = dayNumberOf(from); n <= dayNumberOf(to); n++) {
    const weekday = weekdayOfDayNumber(n);
    const date = dateOfDayNumber(n);
    if (weekday === 0 || weekday === 6 || closed.has(date)) continue;
    for (let i = 0; i < 24; i++) {
      const shape = 0.6 + Math.sin((Math.PI * (i + 0.5)) / 24);
      const value = Math.max(0, Math.round(60 * weekdayLevel[weekday]! * shape * (1 + 0.08 * normal())));
      const minutes = 8 * 60 + 30 * i;
      rows.push(`${date}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00,${value}`);
    }
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
}

/** Forecast total per target date from the CLI's stdout. */
function totalsByDate(stdout: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of stdout.trim().split('\n').slice(1)) {
    const [start, forecast] = line.split(',');
    const date = start!.slice(0, 10);
    totals.set(date, (totals.get(date) ?? 0) + Number(forecast));
  }
  return totals;
}

const detectedLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('detected:'));

describe('forecast CLI', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forecast-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const targets = '2003-10-13,2003-10-15,2003-10-16';

  it('prints every interval of each target on the input grid, 21:00 included, with ordered intervals', async () => {
    const { code, stdout, stderr } = await runCli(['--input', dataFile, '--train-until', '2003-10-13', '--targets', targets]);
    expect(code, stderr).toBe(0);
    // 10-14 is left out between two targets: read as closed, and said so.
    expect(stderr).toMatch(/^closed: 2003-10-14 \(a usual opening day left out of --targets/m);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('interval_start,forecast,lo80,hi80');
    expect(lines).toHaveLength(1 + 3 * 169);
    expect(lines[1]).toMatch(/^2003-10-13T07:00:00,/);
    expect(lines[169]).toMatch(/^2003-10-13T21:00:00,/);
    expect(lines[170]).toMatch(/^2003-10-15T07:00:00,/);
    for (const line of lines.slice(1)) {
      const [, forecast, lo, hi] = line.split(',').map(Number);
      expect(lo).toBeLessThanOrEqual(forecast!);
      expect(forecast).toBeLessThanOrEqual(hi!);
    }
  });

  it('uses nothing from --train-until on: a truncated input gives the same output', async () => {
    const text = readFileSync(dataFile, 'utf8').split('\n');
    const truncated = path.join(dir, 'truncated.csv');
    writeFileSync(truncated, text.filter((l, i) => i === 0 || (l !== '' && l < '2003-10-13')).join('\n'));
    for (const method of ['auto', 'median4']) {
      const full = await runCli(['--input', dataFile, '--train-until', '2003-10-13', '--targets', targets, '--method', method]);
      const cut = await runCli(['--input', truncated, '--train-until', '2003-10-13', '--targets', targets, '--method', method]);
      expect(cut.code, cut.stderr).toBe(0);
      expect(cut.stdout).toBe(full.stdout);
    }
  });

  it('exits 2 naming the flag or the line for bad input', async () => {
    const badFlag = await runCli(['--input', dataFile, '--train-until', '13/10/2003', '--targets', targets]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--train-until must be a date/);
    const unknown = await runCli(['--input', dataFile, '--train-until', '2003-10-13', '--targets', targets, '--method', 'prophet']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--method must be auto or one of/);
    const missing = await runCli(['--input', path.join(dir, 'none.csv'), '--train-until', '2003-10-13', '--targets', targets]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read input .*none\.csv/);
    const malformed = path.join(dir, 'malformed.csv');
    writeFileSync(malformed, 'interval_start,calls\n2003-03-03T07:00:00,111\n2003-03-03T07:05:00,many\n');
    const bad = await runCli(['--input', malformed, '--train-until', '2003-10-13', '--targets', targets]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 3: "many" is not a non-negative number/);
  });

  it('reports on stderr the method, its blend per weekday and the closures it detected', async () => {
    const args = ['--input', dataFile, '--train-until', '2003-10-20', '--targets', '2003-10-20,2003-10-21'];
    const plain = await runCli(args);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.split('\n')[0]).toBe('interval_start,forecast,lo80,hi80');
    expect(plain.stdout).not.toMatch(/method|detected/);
    const lines = plain.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^method: \S+$/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}Mon: [a-z0-9-]+( [01]\.\d\d \+ [a-z0-9-]+ [01]\.\d\d)?$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}Tue: /));
    expect(lines).toContainEqual(expect.stringMatching(/^backtest WAPE: \d+\.\d%$/));
    const closures = ['2003-04-04', '2003-04-07', '2003-05-26', '2003-07-04', '2003-09-01', '2003-10-14'];
    expect(
      detectedLines(plain.stderr)
        .filter((l) => / closed \(0 vs [\d,]+ expected\)$/.test(l))
        .map((l) => l.slice(10, 20)),
    ).toEqual(closures);

    // The planner knows 2003-07-04 was a normal day (as if its rows were lost): it is no longer reported.
    const told = await runCli([...args, '--normal-days', '2003-07-04']);
    expect(told.code, told.stderr).toBe(0);
    expect(detectedLines(told.stderr).map((l) => l.slice(10, 20))).toEqual(closures.filter((d) => d !== '2003-07-04'));
  });

  it('with --holidays, forecasts a holiday the centre always closes on as closed, and says why', async () => {
    const input = path.join(dir, 'us-centre.csv');
    writeUsCentre(input, '2025-02-10', '2025-11-21');
    const args = ['--input', input, '--train-until', '2025-11-24', '--targets', '2025-11-24,2025-11-26,2025-11-27,2025-11-28'];

    const told = await runCli([...args, '--holidays', 'US']);
    expect(told.code, told.stderr).toBe(0);
    const withHolidays = totalsByDate(told.stdout);
    expect(withHolidays.get('2025-11-27')).toBe(0);
    expect(withHolidays.get('2025-11-28')).toBeGreaterThan(0);
    expect(withHolidays.get('2025-11-26')).toBeGreaterThan(0);
    expect(told.stderr).toMatch(/^holiday: 2025-11-27 Thanksgiving Day × 0 \((same holiday|other holidays), \d+ past occurrences?\)$/m);
    // Every closure in this history is a holiday, so none is reported as detected.
    expect(detectedLines(told.stderr)).toEqual(['detected: none']);

    const untold = await runCli(args);
    expect(untold.code, untold.stderr).toBe(0);
    const without = totalsByDate(untold.stdout);
    expect(without.get('2025-11-27')).toBeGreaterThan(0.5 * without.get('2025-11-26')!);
    expect(without.get('2025-11-28')).toBeGreaterThan(0);
    expect(untold.stderr).not.toMatch(/^holiday:/m);
    // Without the calendar, each holiday closure is still found, as a closure.
    const holidays = listPublicHolidays('US', '2025-02-10', '2025-11-21').map((h) => h.date);
    expect(holidays).toHaveLength(7);
    expect(detectedLines(untold.stderr).map((l) => /^detected: (\S+) closed \(0 vs [\d,]+ expected\)$/.exec(l)?.[1])).toEqual(holidays);
  });

  it('exits 2 naming the problem for an unknown holiday region or a negative holiday effect', async () => {
    const base = ['--input', dataFile, '--train-until', '2003-10-20', '--targets', '2003-10-20'];
    const country = await runCli([...base, '--holidays', 'XX']);
    expect(country.code).toBe(2);
    expect(country.stderr).toMatch(/^forecast: --holidays "XX" is not a country/);
    const region = await runCli([...base, '--holidays', 'US-ZZ']);
    expect(region.code).toBe(2);
    expect(region.stderr).toMatch(/^forecast: --holidays "ZZ" is not a region of US; one of .*\bCA\b/);
    const negative = await runCli([...base, '--holidays', 'US', '--holiday-effect', '-1']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/^forecast: --holiday-effect must be a number ≥ 0/);
  });
});
