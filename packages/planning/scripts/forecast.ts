/**
 * npm run -s forecast -- --input FILE --train-until DATE --targets DATE[,DATE…] [options]
 *
 * Forecasts one interval series (CSV `interval_start,value`) for the target dates and prints
 * `interval_start,forecast,lo80,hi80` for every interval of each target, on the input's grid
 * and in its timestamp format. Only rows before --train-until are read into the model. What
 * the forecaster found (methods and weights, closures and unusual days, holiday effects) goes
 * to stderr for the planner to read.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isLocalDate } from '@switchboard/calendar';
import {
  formatIntervalStart,
  forecastSeries,
  HolidayRegionCode,
  listPublicHolidays,
  methodNames,
  parseIntervalCsv,
  SeriesInputError,
  type SeriesForecast,
  type SpecialDay,
} from '../src/index.ts';

const usage = `Usage: npm run -s forecast -- --input FILE --train-until DATE --targets DATE[,DATE…] [options]

  --input FILE           CSV with a header "interval_start,<value>" and one row per interval;
                         the grid (interval length, first and last interval of the day) is
                         inferred from it; intervals without a row count as 0
  --train-until DATE     YYYY-MM-DD; exclusive: only days before it are used
  --targets DATES        comma-separated YYYY-MM-DD, each on or after --train-until; a usual
                         opening day left out between two targets is taken as closed
  --method NAME          auto (default: backtest every method and blend the best two per
                         target weekday) or one of
                         ${methodNames.join(', ')}
  --holidays CC          public holidays of a country or region (US, GB-SCT, DE-BY, …):
                         past ones are left out of the fit and teach their effect (closed,
                         quieter, busier); a target holiday gets the median effect of the same
                         holiday in history, else of the other holidays in history
  --holiday-effect M     with --holidays: the multiplier of a target holiday when history has
                         no holiday on an opening day (default 0 = closed; 0.5 = half a day)
  --special-days FILE    CSV "date,label,effect": effect "exclude" (leave the day out of
                         history) or a multiplier (0 = closed, 1.3 = 30% busier); a day listed
                         here is taken as written, never detected nor treated as a holiday
  --normal-days DATES    comma-separated YYYY-MM-DD of history the forecaster reported as
                         detected but that were normal days: they stay in the fit as they are
  -h, --help             this help

Detection: usual opening days missing from the input or (nearly) empty are closures, and
days far above or below their weekday in the weeks around them (an outage, a campaign) are
unusual; both are left out of every method's fit. --special-days and --normal-days overrule it.

Prints interval_start,forecast,lo80,hi80 (an 80% prediction interval) on stdout; on stderr,
the method (per target weekday, the methods blended and their weights), the backtest WAPE,
each detected day and each holiday effect among the targets. Exit status: 0 done, 2 bad
arguments or unreadable input.
`;

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2003-10-13')
  .refine(isLocalDate, 'is not a calendar date');

const DateList = z
  .string()
  .transform((s) => s.split(',').map((t) => t.trim()))
  .pipe(z.array(IsoDate).min(1));

const Multiplier = z
  .string()
  .trim()
  .refine((s) => s !== '' && Number.isFinite(Number(s)) && Number(s) >= 0, 'must be a number ≥ 0 (0 = closed, 0.5 = half a normal day)')
  .transform(Number);

const Args = z
  .object({
    input: z.string().min(1, 'must name a file'),
    trainUntil: IsoDate,
    targets: DateList,
    method: z.enum(['auto', ...methodNames], { error: `must be auto or one of ${methodNames.join(', ')}` }).default('auto'),
    specialDays: z.string().min(1).optional(),
    holidays: HolidayRegionCode.optional(),
    holidayEffect: Multiplier.optional(),
    normalDays: DateList.optional(),
  })
  .refine((a) => a.targets.every((t) => t >= a.trainUntil), { message: 'must all be on or after --train-until', path: ['targets'] })
  .refine((a) => new Set(a.targets).size === a.targets.length, { message: 'must not repeat a date', path: ['targets'] })
  .refine((a) => a.holidayEffect === undefined || a.holidays !== undefined, { message: 'needs --holidays', path: ['holidayEffect'] })
  .refine((a) => (a.normalDays ?? []).every((d) => d < a.trainUntil), { message: 'must all be before --train-until (days of history)', path: ['normalDays'] });

class UsageError extends Error {}

const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** `--holiday-effect -1` as `--holiday-effect=-1`, so a negative number gets the flag's own message rather than parseArgs' "ambiguous". */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--holiday-effect' && /^-\d/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]!);
  }
  return out;
}

function readArgs(argv: string[]): z.infer<typeof Args> | null {
  let values;
  try {
    values = parseArgs({
      args: joinNegativeValues(argv),
      strict: true,
      options: {
        input: { type: 'string' },
        'train-until': { type: 'string' },
        targets: { type: 'string' },
        method: { type: 'string' },
        'special-days': { type: 'string' },
        holidays: { type: 'string' },
        'holiday-effect': { type: 'string' },
        'normal-days': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  const missing = (['input', 'train-until', 'targets'] as const).find((name) => values[name] === undefined);
  if (missing) throw new UsageError(`--${missing} is required`);
  const parsed = Args.safeParse({
    input: values.input,
    trainUntil: values['train-until'],
    targets: values.targets,
    method: values.method,
    specialDays: values['special-days'],
    holidays: values.holidays,
    holidayEffect: values['holiday-effect'],
    normalDays: values['normal-days'],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${flagOf(String(issue.path[0] ?? ''))} ${issue.message}`);
  }
  return parsed.data;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function readSpecialDays(file: string): SpecialDay[] {
  const lines = readText(file, 'special days').split(/\r?\n/);
  if (lines[0]?.trim() !== 'date,label,effect') throw new UsageError(`${file}: line 1: expected the header "date,label,effect"`);
  const out: SpecialDay[] = [];
  lines.slice(1).forEach((text, i) => {
    if (text.trim() === '') return;
    const where = `${file}: line ${i + 2}`;
    const [date, label, effect, ...extra] = text.split(',').map((c) => c.trim());
    if (extra.length > 0 || effect === undefined) throw new UsageError(`${where}: expected 3 columns`);
    if (!IsoDate.safeParse(date).success) throw new UsageError(`${where}: "${date}" is not a date like 2003-09-01`);
    const multiplier = Number(effect);
    if (effect === 'exclude') out.push({ date: date!, label: label!, effect: 'exclude' });
    else if (effect !== '' && Number.isFinite(multiplier) && multiplier >= 0) out.push({ date: date!, label: label!, effect: 'multiply', multiplier });
    else throw new UsageError(`${where}: effect "${effect}" must be "exclude" or a multiplier ≥ 0`);
  });
  return out;
}

const round = (v: number) => String(Math.round(v * 1000) / 1000);
const weekdayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const count = (v: number) => Math.round(v).toLocaleString('en-US');
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the forecaster chose and found, one fact a line, for a planner to read (stderr). */
function describeForecast(result: SeriesForecast): string[] {
  const lines = [`method: ${result.method}`];
  for (const blend of result.blends) {
    const members = blend.members.length === 1 ? blend.members[0]!.method : blend.members.map((m) => `${m.method} ${m.weight.toFixed(2)}`).join(' + ');
    lines.push(`  ${weekdayNames[blend.weekday]}: ${members}`);
  }
  lines.push(`backtest WAPE: ${result.wape === null ? 'none (too little history to backtest)' : percent(result.wape)}`);
  if (result.detected.length === 0) lines.push('detected: none');
  for (const d of result.detected) {
    const figures =
      d.expected > 0 ? `${count(d.total)} vs ${count(d.expected)} expected` : `${count(d.total)}; too few weeks around it to say what was expected`;
    lines.push(`detected: ${d.date} ${d.kind} (${figures})`);
  }
  for (const date of result.skippedClosures)
    lines.push(`closed: ${date} (a usual opening day left out of --targets; the days after it get the after-closure effect)`);
  for (const h of result.holidayEffects) {
    const basis =
      h.basis === 'default'
        ? 'default: no holiday in history fell on an opening day; see --holiday-effect'
        : `${h.basis}, ${plural(h.occurrences, 'past occurrence')}`;
    lines.push(`holiday: ${h.date} ${h.name} × ${Math.round(h.multiplier * 100) / 100} (${basis})`);
  }
  return lines;
}

function main(argv: string[]): number {
  const args = readArgs(argv);
  if (args === null) {
    process.stdout.write(usage);
    return 0;
  }
  let series;
  try {
    series = parseIntervalCsv(readText(args.input, 'input'));
  } catch (error) {
    if (error instanceof SeriesInputError) throw new UsageError(`${args.input}: ${error.message}`);
    throw error;
  }
  const history = series.days.filter((d) => d.date < args.trainUntil);
  if (history.length === 0) throw new UsageError(`${args.input} has no rows before --train-until ${args.trainUntil}`);
  const specialDays = args.specialDays ? readSpecialDays(args.specialDays) : [];
  // Backtests score 30-minute buckets, the resolution staffing is planned at.
  const scoringBucket = Math.max(1, Math.round(30 / series.grid.intervalMinutes));
  const lastTarget = args.targets.reduce((a, b) => (a > b ? a : b));
  const holidays = args.holidays === undefined ? undefined : listPublicHolidays(args.holidays, history[0]!.date, lastTarget);
  const result = forecastSeries(
    { history, targets: args.targets, specialDays, holidays, holidayDefault: args.holidayEffect, normalDays: args.normalDays },
    { method: args.method, scoringBucket },
  );
  const lines = ['interval_start,forecast,lo80,hi80'];
  for (const day of result.days) {
    day.values.forEach((v, i) => {
      lines.push(`${formatIntervalStart(series.format, series.grid, day.date, i)},${round(v)},${round(day.lo80[i]!)},${round(day.hi80[i]!)}`);
    });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const notes = [
    ...series.repeatedHours.map((date) => `input: ${date} runs an hour twice (clocks went back): each repeated interval is the mean of its two rows`),
    ...(series.offsetsVary ? ['input: the offsets change (summer and winter time): times are read and written on the local clock, without an offset'] : []),
  ];
  process.stderr.write(`${[...describeForecast(result), ...notes].join('\n')}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`forecast: ${error.message}\n\n${usage}`);
  process.exitCode = 2;
}
