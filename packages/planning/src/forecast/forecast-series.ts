import { addToAccuracy, emptyAccuracySums, rankingWape } from '@switchboard/kpis';
import { createMeanOfSameWeekdays, createMedianOfSameWeekdays, seasonalNaive } from './baselines.ts';
import { dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import { createDailyProfileMethod } from './daily-profile.ts';
import { fallbackIntervalModel, fitIntervalModel, getIntervalBounds, type IntervalModel, type Residuals } from './intervals.ts';
import { applyTargetEffects, isOpen, prepareRequest } from './special-days.ts';
import type { DetectedDay } from './detect.ts';
import type { Day, ForecastMethod, ForecastRequest, HolidayEffect, IsoDate, MethodInput } from './types.ts';

const forecastMethods = {
  'seasonal-naive': seasonalNaive,
  mean4: createMeanOfSameWeekdays(4),
  median4: createMedianOfSameWeekdays(4),
  profile: createDailyProfileMethod({ calendarEffects: false }),
  'calendar-profile': createDailyProfileMethod({ calendarEffects: true }),
  'smoothed-profile': createDailyProfileMethod({ calendarEffects: true, levelAlpha: 0.2 }),
} satisfies Record<string, ForecastMethod>;

export type MethodName = keyof typeof forecastMethods;
export const methodNames = Object.keys(forecastMethods) as MethodName[];

export interface ForecastOptions {
  method?: MethodName | 'auto';
  /** Intervals summed before backtest errors are scored, e.g. 6 for 30 minutes of 5-minute intervals. */
  scoringBucket?: number;
  /** Backtest origins, the most recent first, `backtestStep` days apart. */
  backtestOrigins?: number;
  backtestStep?: number;
  /** Methods blended per weekday (default 2; 1 selects the single best). */
  blendSize?: number;
}

/** `blend` unless every target uses one and the same method alone. */
function summarizeBlends(blends: readonly WeekdayBlend[]): MethodName | 'blend' {
  const methods = new Set(blends.flatMap((b) => b.members.map((m) => m.method)));
  return methods.size === 1 && blends.every((b) => b.members.length === 1) ? [...methods][0]! : 'blend';
}

export interface SeriesForecast {
  /** The method that produced the values, or `blend` when targets combine several. */
  method: MethodName | 'blend';
  /** Backtest WAPE (fraction) of the forecast as made, blends and all; null when history allowed no backtest. */
  wape: number | null;
  /** Backtest WAPE of each method tried over all backtest days (fraction), when history allowed a backtest. */
  backtestWape: Partial<Record<MethodName, number>>;
  /** Per target weekday: the methods combined and their weights. */
  blends: WeekdayBlend[];
  /** Closures and unusual days found in history, left out of every method's fit. */
  detected: DetectedDay[];
  /** Holidays among the targets and the multiplier each was given. */
  holidayEffects: HolidayEffect[];
  /** Usual opening days skipped between targets, taken as closures. */
  skippedClosures: IsoDate[];
  days: { date: IsoDate; values: number[]; lo80: number[]; hi80: number[] }[];
}

/** Methods need a few weeks of history before their backtest means anything. */
const MIN_BACKTEST_HISTORY_DAYS = 15;
/** Beyond this many opening days ahead, errors are assumed to stop growing. */
const MAX_BACKTEST_HORIZON = 20;

function sumBuckets(values: readonly number[], size: number): number[] {
  const out: number[] = [];
  for (let start = 0; start < values.length; start += size) {
    let s = 0;
    for (let i = start; i < Math.min(values.length, start + size); i++) s += values[i]!;
    out.push(s);
  }
  return out;
}

/** Opening days from the day after history up to the last target: how far ahead the forecast reaches. */
function getHorizon(input: MethodInput): number {
  const lastHistory = dayNumberOf(input.history[input.history.length - 1]!.date);
  const lastTarget = Math.max(...input.targets.map(dayNumberOf));
  let open = 0;
  for (let n = lastHistory + 1; n <= lastTarget && open < MAX_BACKTEST_HORIZON; n++) if (isOpen(input.calendar, n)) open++;
  return Math.min(MAX_BACKTEST_HORIZON, Math.max(1, open, input.targets.length));
}

/** One method's backtest forecasts, per origin and target day, beside the days they forecast. */
type BacktestRun = number[][][];

/** A blend member: a method and its weight (weights of a blend sum to 1). */
interface BlendMember {
  method: MethodName;
  weight: number;
}

/** The methods blended for targets on one weekday, and the backtest WAPE of each on that weekday. */
interface WeekdayBlend {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  members: BlendMember[];
  /** Backtest WAPE of each candidate on this weekday's days (fraction). */
  wape: Partial<Record<MethodName, number>>;
}

/**
 * Backtest days' worth of weight the pooled ranking gets against a weekday's own: a weekday
 * with few backtest days is ranked mostly as the whole series is, one with many by itself.
 */
const WEEKDAY_PRIOR_DAYS = 20;

function getBacktestDays(input: MethodInput, origins: readonly number[], horizon: number): Day[][] {
  return origins.map((origin) => input.history.slice(origin, origin + horizon));
}

/** What a method sees at each backtest origin: one input per origin, shared by every method (and their caches). */
function getOriginInputs(input: MethodInput, origins: readonly number[], actual: readonly Day[][]): MethodInput[] {
  return origins.map((origin, o) => ({ ...input, history: input.history.slice(0, origin), targets: actual[o]!.map((d) => d.date) }));
}

function runBacktest(method: ForecastMethod, originInputs: readonly MethodInput[]): BacktestRun {
  return originInputs.map((originInput) => method(originInput));
}

/** Scoring-bucket WAPE of forecasts against actual days, over the days `include` accepts. */
function scoreRun(forecasts: readonly (readonly (readonly number[])[])[], actual: readonly Day[][], bucket: number, include: (day: Day) => boolean): number {
  const sums = emptyAccuracySums();
  actual.forEach((days, o) =>
    days.forEach((day, t) => {
      if (!include(day)) return;
      const fb = sumBuckets(forecasts[o]![t]!, bucket);
      sumBuckets(day.values, bucket).forEach((a, i) => addToAccuracy(sums, fb[i]!, a));
    }),
  );
  return rankingWape(sums);
}

/**
 * Inverse-WAPE weights over the `size` best-ranked methods: combining a few good forecasts
 * is reliably better than betting on the single best, and the weights stay explainable.
 */
function getBlend(wapes: Partial<Record<MethodName, number>>, size: number): BlendMember[] {
  const ranked = (Object.entries(wapes) as [MethodName, number][]).filter(([, w]) => Number.isFinite(w)).sort((a, b) => a[1] - b[1]);
  if (ranked.length === 0) return [];
  if (ranked[0]![1] === 0) return [{ method: ranked[0]![0], weight: 1 }];
  const top = ranked.slice(0, size);
  const total = top.reduce((s, [, w]) => s + 1 / w, 0);
  return top.map(([method, w]) => ({ method, weight: 1 / w / total }));
}

function combine(forecasts: readonly (readonly number[])[], weights: readonly number[]): number[] {
  return forecasts[0]!.map((_, i) => forecasts.reduce((s, f, k) => s + weights[k]! * f[i]!, 0));
}

const weekdayOf = (date: IsoDate) => weekdayOfDayNumber(dayNumberOf(date));

/**
 * Forecasts one series for the target dates. With `auto`, every method is backtested over
 * recent origins of the training history; each target weekday gets a blend of the methods
 * that backtest best on that weekday (the pooled ranking where a weekday has too few days).
 * The 80% intervals come from the backtest residuals of the forecast actually made.
 */
export function forecastSeries(request: ForecastRequest, options: ForecastOptions = {}): SeriesForecast {
  const width = request.history[0]?.values.length ?? 0;
  for (const day of request.history) {
    if (day.values.length !== width) throw new Error(`${day.date} has ${day.values.length} intervals, expected ${width}`);
  }
  for (let i = 1; i < request.history.length; i++) {
    if (request.history[i]!.date <= request.history[i - 1]!.date) throw new Error('history must be in date order without repeated days');
  }
  const requested = options.method ?? 'auto';
  const candidates = requested === 'auto' ? methodNames : [requested];
  const input = prepareRequest(request);
  const bucket = options.scoringBucket ?? 1;
  const step = options.backtestStep ?? 5;
  const blendSize = options.blendSize ?? 2;

  const backtestWape: SeriesForecast['backtestWape'] = {};
  const fallback: BlendMember[] = [{ method: requested === 'auto' ? 'median4' : requested, weight: 1 }];
  const blends = new Map<number, WeekdayBlend>();
  let intervalModel: IntervalModel = fallbackIntervalModel;
  let forecastWape: number | null = null;
  const targetWeekdays = [...new Set(input.targets.map(weekdayOf))];
  if (input.history.length > 0 && input.targets.length > 0) {
    const horizon = getHorizon(input);
    const origins: number[] = [];
    for (let j = 0; j < (options.backtestOrigins ?? 8); j++) {
      const origin = input.history.length - horizon - j * step;
      if (origin >= MIN_BACKTEST_HISTORY_DAYS) origins.push(origin);
    }
    if (origins.length > 0) {
      const actual = getBacktestDays(input, origins, horizon);
      const originInputs = getOriginInputs(input, origins, actual);
      const runs = new Map<MethodName, BacktestRun>(candidates.map((name) => [name, runBacktest(forecastMethods[name], originInputs)]));
      for (const [name, run] of runs) backtestWape[name] = scoreRun(run, actual, bucket, () => true);
      // No finite score at all (contacts forecast where none ever came): keep the fallback.
      const orFallback = (members: BlendMember[]) => (members.length > 0 ? members : fallback);
      const pooled = orFallback(getBlend(backtestWape, blendSize));
      for (const weekday of targetWeekdays) {
        const onWeekday = (day: Day) => weekdayOf(day.date) === weekday;
        const count = actual.reduce((s, days) => s + days.filter(onWeekday).length, 0);
        const wape: WeekdayBlend['wape'] = {};
        const ranking: WeekdayBlend['wape'] = {};
        for (const [name, run] of runs) {
          if (count === 0) {
            ranking[name] = backtestWape[name]!;
            continue;
          }
          const own = scoreRun(run, actual, bucket, onWeekday);
          wape[name] = own;
          ranking[name] = (count * own + WEEKDAY_PRIOR_DAYS * backtestWape[name]!) / (count + WEEKDAY_PRIOR_DAYS);
        }
        blends.set(weekday, { weekday, members: orFallback(getBlend(ranking, blendSize)), wape });
      }
      // The intervals are fitted on the blended backtest forecasts, weekday by weekday.
      const residuals: Residuals = { forecast: [], actual: [] };
      const blended = actual.map((days, o) =>
        days.map((day, t) => {
          const members = blends.get(weekdayOf(day.date))?.members ?? pooled;
          const f = combine(
            members.map((m) => runs.get(m.method)![o]![t]!),
            members.map((m) => m.weight),
          );
          day.values.forEach((a, i) => {
            residuals.forecast.push(f[i]!);
            residuals.actual.push(a);
          });
          return f;
        }),
      );
      forecastWape = scoreRun(blended, actual, bucket, () => true);
      intervalModel = fitIntervalModel(residuals, origins.length * horizon);
    }
  }

  const forecasts = new Map<MethodName, number[][]>();
  const forecastOf = (name: MethodName) => {
    let f = forecasts.get(name);
    if (!f) forecasts.set(name, (f = forecastMethods[name](input)));
    return f;
  };
  const raw =
    input.history.length > 0
      ? input.targets.map((date, t) => {
          const members = blends.get(weekdayOf(date))?.members ?? fallback;
          return combine(
            members.map((m) => forecastOf(m.method)[t]!),
            members.map((m) => m.weight),
          );
        })
      : input.targets.map(() => new Array<number>(width).fill(0));
  const bounds = raw.map((values) => getIntervalBounds(intervalModel, values));
  const values = applyTargetEffects(raw, input.targets, input.targetMultipliers);
  const lo80 = applyTargetEffects(
    bounds.map((b) => b.lo80),
    input.targets,
    input.targetMultipliers,
  );
  const hi80 = applyTargetEffects(
    bounds.map((b) => b.hi80),
    input.targets,
    input.targetMultipliers,
  );
  const weekdayBlends = targetWeekdays.map((w) => blends.get(w) ?? { weekday: w, members: fallback, wape: {} }).sort((a, b) => a.weekday - b.weekday);
  return {
    method: summarizeBlends(weekdayBlends),
    wape: forecastWape,
    backtestWape,
    blends: weekdayBlends,
    detected: input.detected,
    holidayEffects: input.holidayEffects,
    skippedClosures: input.skippedClosures,
    days: input.targets.map((date, t) => ({ date, values: values[t]!, lo80: lo80[t]!, hi80: hi80[t]! })),
  };
}
