/**
 * npm run -s forecast -- --input FILE --train-until DATE --targets DATE[,DATE…] [options]
 *
 * Forecasts one interval series (CSV `interval_start,value`) for the target dates and prints
 * `interval_start,forecast,lo80,hi80` for every interval of each target, on the input's grid
 * and in its timestamp format. Only rows before --train-until are read into the model.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isLocalDate } from '@switchboard/calendar';
import { formatIntervalStart, forecastSeries, methodNames, parseIntervalCsv, SeriesInputError, type SpecialDay } from '../src/index.ts';

const usage = `Usage: npm run -s forecast -- --input FILE --train-until DATE --targets DATE[,DATE…] [options]

  --input FILE          CSV with a header "interval_start,<value>" and one row per interval;
                        the grid (interval length, first and last interval of the day) is
                        inferred from it; intervals without a row count as 0
  --train-until DATE    YYYY-MM-DD; exclusive: only days before it are used
  --targets DATES       comma-separated YYYY-MM-DD, each on or after --train-until
  --method NAME         auto (default: backtest every method, keep the best) or one of
                        ${methodNames.join(', ')}
  --special-days FILE   optional CSV "date,label,effect": effect "exclude" (leave the day out
                        of history) or a multiplier (0 = closed, 1.3 = 30% busier)
  -h, --help            this help

Prints interval_start,forecast,lo80,hi80 (an 80% prediction interval). Exit status: 0 done,
2 bad arguments or unreadable input.
`;

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2003-10-13')
  .refine(isLocalDate, 'is not a calendar date');

const Args = z
  .object({
    input: z.string().min(1, 'must name a file'),
    trainUntil: IsoDate,
    targets: z
      .string()
      .transform((s) => s.split(',').map((t) => t.trim()))
      .pipe(z.array(IsoDate).min(1)),
    method: z.enum(['auto', ...methodNames], { error: `must be auto or one of ${methodNames.join(', ')}` }).default('auto'),
    specialDays: z.string().min(1).optional(),
  })
  .refine((a) => a.targets.every((t) => t >= a.trainUntil), { message: 'must all be on or after --train-until', path: ['targets'] })
  .refine((a) => new Set(a.targets).size === a.targets.length, { message: 'must not repeat a date', path: ['targets'] });

class UsageError extends Error {}

const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function readArgs(argv: string[]): z.infer<typeof Args> | null {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        input: { type: 'string' },
        'train-until': { type: 'string' },
        targets: { type: 'string' },
        method: { type: 'string' },
        'special-days': { type: 'string' },
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
  const result = forecastSeries({ history, targets: args.targets, specialDays }, { method: args.method, scoringBucket });
  const lines = ['interval_start,forecast,lo80,hi80'];
  for (const day of result.days) {
    day.values.forEach((v, i) => {
      lines.push(`${formatIntervalStart(series.format, series.grid, day.date, i)},${round(v)},${round(day.lo80[i]!)},${round(day.hi80[i]!)}`);
    });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stderr.write(`method: ${result.method}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`forecast: ${error.message}\n\n${usage}`);
  process.exitCode = 2;
}
