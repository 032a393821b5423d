import { addToAccuracy, emptyAccuracySums, rankingWape } from '@switchboard/kpis';
import { createMeanOfSameWeekdays, createMedianOfSameWeekdays, seasonalNaive } from './baselines.ts';
import { dayNumberOf } from '@switchboard/calendar';
import { createDailyProfileMethod } from './daily-profile.ts';
import { fallbackIntervalModel, fitIntervalModel, getIntervalBounds, type IntervalModel, type Residuals } from './intervals.ts';
import { applyTargetEffects, isOpen, prepareRequest } from './special-days.ts';
import type { ForecastMethod, ForecastRequest, IsoDate, MethodInput } from './types.ts';

const forecastMethods = {
  'seasonal-naive': seasonalNaive,
  mean4: createMeanOfSameWeekdays(4),
  median4: createMedianOfSameWeekdays(4),
  profile: createDailyProfileMethod({ calendarEffects: false }),
  'calendar-profile': createDailyProfileMethod({ calendarEffects: true }),
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
}

export interface SeriesForecast {
  /** The method that produced the values (for `auto`, the one the backtest chose). */
  method: MethodName;
  /** Backtest WAPE of each method tried (fraction), when history allowed a backtest. */
  backtestWape: Partial<Record<MethodName, number>>;
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

interface BacktestResult {
  wape: number;
  residuals: Residuals;
}

/**
 * Rolling-origin backtest inside the training history: from each origin, forecast the next
 * `horizon` observed days with only the days before it, and pool the errors.
 */
function backtestMethod(method: ForecastMethod, input: MethodInput, origins: readonly number[], horizon: number, bucket: number): BacktestResult {
  const residuals: Residuals = { forecast: [], actual: [] };
  const sums = emptyAccuracySums();
  for (const origin of origins) {
    const actualDays = input.history.slice(origin, origin + horizon);
    const forecast = method({ ...input, history: input.history.slice(0, origin), targets: actualDays.map((d) => d.date) });
    actualDays.forEach((day, t) => {
      const f = forecast[t]!;
      day.values.forEach((a, i) => {
        residuals.forecast.push(f[i]!);
        residuals.actual.push(a);
      });
      const fb = sumBuckets(f, bucket);
      sumBuckets(day.values, bucket).forEach((a, i) => addToAccuracy(sums, fb[i]!, a));
    });
  }
  return { wape: rankingWape(sums), residuals };
}

/**
 * Forecasts one series for the target dates. With `auto`, every method is backtested over
 * recent origins of the training history and the lowest WAPE wins; the 80% intervals come
 * from the chosen method's backtest residuals either way.
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

  const backtestWape: SeriesForecast['backtestWape'] = {};
  let chosen: MethodName = requested === 'auto' ? 'median4' : requested;
  let intervalModel: IntervalModel = fallbackIntervalModel;
  if (input.history.length > 0 && input.targets.length > 0) {
    const horizon = getHorizon(input);
    const origins: number[] = [];
    for (let j = 0; j < (options.backtestOrigins ?? 8); j++) {
      const origin = input.history.length - horizon - j * step;
      if (origin >= MIN_BACKTEST_HISTORY_DAYS) origins.push(origin);
    }
    if (origins.length > 0) {
      let best: BacktestResult | null = null;
      for (const name of candidates) {
        const result = backtestMethod(forecastMethods[name], input, origins, horizon, bucket);
        backtestWape[name] = result.wape;
        if (best === null || result.wape < best.wape) {
          best = result;
          chosen = name;
        }
      }
      intervalModel = fitIntervalModel(best!.residuals, origins.length * horizon);
    }
  }

  const raw = input.history.length > 0 ? forecastMethods[chosen](input) : input.targets.map(() => new Array<number>(width).fill(0));
  const bounds = raw.map((values) => getIntervalBounds(intervalModel, values));
  const specialDays = request.specialDays ?? [];
  const values = applyTargetEffects(raw, input.targets, specialDays);
  const lo80 = applyTargetEffects(
    bounds.map((b) => b.lo80),
    input.targets,
    specialDays,
  );
  const hi80 = applyTargetEffects(
    bounds.map((b) => b.hi80),
    input.targets,
    specialDays,
  );
  return {
    method: chosen,
    backtestWape,
    days: input.targets.map((date, t) => ({ date, values: values[t]!, lo80: lo80[t]!, hi80: hi80[t]! })),
  };
}
