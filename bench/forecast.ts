/**
 * npm run bench:forecast — forecast accuracy and speed.
 *
 * Accuracy: the bank call series (tests/data) under its published protocol, with `auto`
 * (backtest selection per origin) and the median-of-4 baseline from the same harness.
 * Speed: SERIES synthetic series (seeded; weekday pattern, two-peak intraday shape, trend,
 * day-level noise, Poisson counts) of 26 weeks of 15-minute history; each gets the full
 * `auto` forecast of the next 14 days, backtest selection and 80% intervals included.
 * Prints one JSON object as its last line: WAPEs in percent (6.48 = 6.48%), coverage as a
 * fraction of intervals inside the 80% interval (0.80), milliseconds per series.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dateOfDayNumber, dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import {
  createSeededRandom,
  createSeriesForecaster,
  drawNormal,
  drawPoisson,
  forecastSeries,
  listPublicHolidays,
  parseIntervalCsv,
  runBankProtocol,
  runRollingOrigin,
  type Day,
  type Forecaster,
} from '@switchboard/planning';
import { createBenchCentres, type BenchCentre } from './centres.ts';

const SERIES = Number(process.env.BENCH_SERIES ?? 1000);
const HISTORY_DAYS = 26 * 7;
const HORIZON_DAYS = 14;
const INTERVALS = 56; // 07:00–21:00 in 15 minutes
const root = path.resolve(import.meta.dirname, '..');

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function createSyntheticSeries(seed: number, firstDay: number): Day[] {
  const random = createSeededRandom(seed);
  const dailyVolume = Math.exp(Math.log(200) + random() * Math.log(100)); // 200 to 20,000 a day
  const weekdayOnly = random() < 0.4;
  const weekdayFactor = [0.35, 1.25, 1.05, 1, 1, 0.95, 0.55].map((f) => f * (1 + 0.1 * drawNormal(random)));
  const peaks = [
    { at: 10 + random() * 2, width: 1 + random(), weight: 1 },
    { at: 13.5 + random() * 2, width: 1 + random(), weight: 0.6 + random() * 0.6 },
  ];
  const shape = Array.from({ length: INTERVALS }, (_, i) => {
    const hour = 7 + (i + 0.5) / 4;
    return 0.15 + peaks.reduce((s, p) => s + p.weight * Math.exp(-0.5 * ((hour - p.at) / p.width) ** 2), 0);
  });
  const shapeTotal = shape.reduce((s, v) => s + v, 0);
  const trend = (random() - 0.5) * 0.4;
  const days: Day[] = [];
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const n = firstDay + d;
    const weekday = weekdayOfDayNumber(n);
    if (weekdayOnly && (weekday === 0 || weekday === 6)) continue;
    const level = dailyVolume * (1 + (trend * d) / HISTORY_DAYS) * weekdayFactor[weekday]! * Math.exp(0.05 * drawNormal(random));
    days.push({ date: dateOfDayNumber(n), values: shape.map((s) => drawPoisson(random, (level * s) / shapeTotal)) });
  }
  return days;
}

const bank = parseIntervalCsv(readFileSync(path.join(root, 'tests/data/bank-calls-5min.csv'), 'utf8')).days;
const auto = runBankProtocol(bank, createSeriesForecaster({ method: 'auto', scoringBucket: 6 }));
const median4 = runBankProtocol(bank, createSeriesForecaster({ method: 'median4', scoringBucket: 6 }));
log(`bank protocol: auto ${JSON.stringify(auto)}, median4 ${JSON.stringify(median4.wape)}`);

/**
 * Other centres: the synthetic centres of bench/centres.ts (week shapes, grids, holidays,
 * unflagged closures, outages and promotions; not the generator the settings were chosen on).
 * Each is forecast from weekly origins over its last eight weeks, two weeks ahead, with its
 * country's holidays as the CLI's --holidays would give them, and scored at 30 minutes (an
 * hour on hourly grids) against the plain median of the last four same weekdays.
 */
function scoreCentre(centre: BenchCentre): { name: string; auto: number; median4: number; improvement: number } {
  const days = centre.days;
  const last = dayNumberOf(days[days.length - 1]!.date);
  const origins: number[] = [];
  for (let week = 2; week <= 8; week++) {
    const cut = dateOfDayNumber(last - week * 7);
    origins.push(days.findIndex((d) => d.date > cut));
  }
  const horizon = Math.round((days.length / ((last - dayNumberOf(days[0]!.date) + 1) / 7)) * 2);
  const bucket = Math.max(1, Math.round(30 / centre.intervalMinutes));
  const holidays = centre.holidays ? listPublicHolidays(centre.holidays, days[0]!.date, dateOfDayNumber(last + 30)) : [];
  const auto = createSeriesForecaster({ method: 'auto', scoringBucket: bucket });
  const withHolidays: Forecaster = (request) => auto({ ...request, holidays });
  const median4 = createSeriesForecaster({ method: 'median4', scoringBucket: bucket });
  const plain: Forecaster = (request) => median4({ ...request, detect: false });
  const options = { origins, horizon, buckets: [bucket] };
  const a = runRollingOrigin(days, withHolidays, options).wape[bucket]!;
  const m = runRollingOrigin(days, plain, options).wape[bucket]!;
  return { name: centre.name, auto: a, median4: m, improvement: 1 - a / m };
}

const centres = createBenchCentres(Number(process.env.BENCH_CENTRES_SEED ?? 1)).map(scoreCentre);
for (const c of centres)
  log(`${c.name}: auto ${(c.auto * 100).toFixed(2)}%, median4 ${(c.median4 * 100).toFixed(2)}%, ${(c.improvement * 100).toFixed(1)}% better`);

const firstDay = dayNumberOf('2025-01-06');
const series = Array.from({ length: SERIES }, (_, i) => createSyntheticSeries(i + 1, firstDay));
let elapsed = 0;
const chosen = new Map<string, number>();
for (const history of series) {
  const open = new Set(history.map((d) => weekdayOfDayNumber(dayNumberOf(d.date))));
  const targets: string[] = [];
  for (let n = firstDay + HISTORY_DAYS; n < firstDay + HISTORY_DAYS + HORIZON_DAYS; n++) if (open.has(weekdayOfDayNumber(n))) targets.push(dateOfDayNumber(n));
  const began = performance.now();
  const result = forecastSeries({ history, targets }, { method: 'auto', scoringBucket: 2 });
  elapsed += performance.now() - began;
  chosen.set(result.method, (chosen.get(result.method) ?? 0) + 1);
}
log(`synthetic: ${SERIES} series, methods chosen ${JSON.stringify(Object.fromEntries(chosen))}`);

const percent = (fraction: number) => Math.round(fraction * 10_000) / 100;
console.log(
  JSON.stringify({
    bench: 'forecast',
    wape_15m: percent(auto.wape[3]!),
    wape_30m: percent(auto.wape[6]!),
    wape_daily: percent(auto.wape[168]!),
    median4_wape_30m: percent(median4.wape[6]!),
    centres: centres.length,
    centres_mean_improvement_pct: percent(centres.reduce((s, c) => s + c.improvement, 0) / centres.length),
    centres_min_improvement_pct: percent(Math.min(...centres.map((c) => c.improvement))),
    centres_at_least_10pct: centres.filter((c) => c.improvement >= 0.1).length,
    pi80_coverage: Math.round((auto.coverage80 ?? 0) * 1000) / 1000,
    ms_per_series: Math.round((elapsed / SERIES) * 100) / 100,
  }),
);
