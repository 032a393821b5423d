import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { dayNumberOf, weekdayOfDayNumber } from '@switchboard/calendar';
import { solveRidge, type SparseRow } from './linear.ts';
import { getDayTotal } from './detect.ts';
import { isOpen } from './special-days.ts';
import type { Day, ForecastMethod, MethodInput, OpenCalendar } from './types.ts';

export interface DailyProfileOptions {
  /** Calendar days of history the weekday and calendar effects are fitted on. */
  effectWindowDays: number;
  /** Calendar days of history whose effect-adjusted totals give the current level (median). */
  levelWindowDays: number;
  /** When above 0, the level is instead exponentially smoothed with this weight on each new day. */
  levelAlpha: number;

  /** Fit month-turn and after-closure effects (else weekday effects only). */
  calendarEffects: boolean;
  /** Ridge penalty pulling calendar effects (log scale) toward zero: weight of a pseudo-day at 0. */
  calendarPenalty: number;
  /** Most same-weekday days averaged into the intraday profile, and recent days of any weekday it is shrunk toward. */
  profileDays: number;
  /** Same-weekday windows the profile may average, chosen per weekday by how well each predicted the latest days. */
  profileWindows: readonly number[];
  /** Half-width, in intervals, of the triangular kernel smoothing the profile when too few days are seen to choose one. */
  profileSmoothing: number;
}

const defaultDailyProfileOptions: DailyProfileOptions = {
  effectWindowDays: 182,
  levelWindowDays: 28,
  levelAlpha: 0,
  calendarEffects: true,
  calendarPenalty: 0.1,
  profileDays: 32,
  profileWindows: [8, 16, 32],
  profileSmoothing: 1,
};

/** Names of the calendar effects, in design-matrix order. */
export const calendarEffectNames = [
  'month_open_day_1',
  'month_open_day_2',
  'month_open_day_3',
  'month_last_open_day',
  'after_closure_1',
  'after_closure_2',
] as const;

/**
 * 0/1 calendar features of a day: its position among the month's opening days (first
 * three, last) and whether it is the first or second opening day after a closure. Contact
 * volumes commonly jump at month turns (statements, billing) and after holidays (backlog).
 */
export function getCalendarFeatures(calendar: OpenCalendar, dayNumber: number): number[] {
  const date = new Date(dayNumber * 86_400_000);
  const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 86_400_000;
  const nextMonthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 86_400_000;
  let fromStart = 0;
  for (let n = monthStart; n <= dayNumber && fromStart <= 3; n++) if (isOpen(calendar, n)) fromStart++;
  let laterOpen = false;
  for (let n = dayNumber + 1; n < nextMonthStart && !laterOpen; n++) laterOpen = isOpen(calendar, n);
  const previous = getPreviousUsualDay(calendar, dayNumber);
  const afterClosure = calendar.closed.has(previous);
  const secondAfterClosure = !afterClosure && isOpen(calendar, previous) && calendar.closed.has(getPreviousUsualDay(calendar, previous));
  return [fromStart === 1 ? 1 : 0, fromStart === 2 ? 1 : 0, fromStart === 3 ? 1 : 0, laterOpen ? 0 : 1, afterClosure ? 1 : 0, secondAfterClosure ? 1 : 0];
}

/** The nearest earlier day on a usual opening weekday, whether or not it was a closure. */
function getPreviousUsualDay(calendar: OpenCalendar, dayNumber: number): number {
  let n = dayNumber - 1;
  while (n > dayNumber - 8 && !calendar.openWeekdays[weekdayOfDayNumber(n)]) n--;
  return n;
}

function sumOf(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Backtest origins slice the same day objects over and over: their shares are kept. */
const dayShares = new WeakMap<Day, number[] | null>();

interface DailyModel {
  /** log(total + 1) of a day with this weekday and these calendar features, at the current level. */
  predictLog(weekday: number, features: readonly number[]): number;
}

/**
 * log(total + 1) = week level + weekday effect + calendar effects, by ridge least squares
 * over the effect window. Per-week intercepts absorb trend, so the effects are estimated
 * within weeks; the current level is then the median of the last weeks' adjusted totals,
 * which one odd day cannot move.
 */
function fitDailyModel(history: readonly Day[], calendar: OpenCalendar, options: DailyProfileOptions): DailyModel {
  const lastDay = dayNumberOf(history[history.length - 1]!.date);
  const window = history.filter((d) => dayNumberOf(d.date) > lastDay - options.effectWindowDays);
  const firstDay = dayNumberOf(window[0]!.date);
  const weekOf = (n: number) => Math.floor((n - firstDay + weekdayOfDayNumber(firstDay)) / 7);
  const weeks = weekOf(lastDay) + 1;
  const featureCount = options.calendarEffects ? calendarEffectNames.length : 0;
  const weekdayStart = weeks;
  const featureStart = weeks + 7;
  const penalty = new Array<number>(featureStart + featureCount).fill(1e-6);
  for (let k = 0; k < featureCount; k++) penalty[featureStart + k] = options.calendarPenalty;

  const rows: SparseRow[] = [];
  const y: number[] = [];
  const features: number[][] = [];
  for (const day of window) {
    const n = dayNumberOf(day.date);
    const f = options.calendarEffects ? getCalendarFeatures(calendar, n) : [];
    const indices = [weekOf(n), weekdayStart + weekdayOfDayNumber(n)];
    const values = [1, 1];
    f.forEach((v, k) => {
      if (v !== 0) {
        indices.push(featureStart + k);
        values.push(v);
      }
    });
    rows.push({ indices, values });
    y.push(Math.log(getDayTotal(day) + 1));
    features.push(f);
  }
  // Week and weekday columns are collinear (one free constant); the tiny ridge picks one
  // solution, and centring the weekday effects on the weekdays seen makes a weekday never
  // seen an average day. The level below absorbs the constant either way.
  const beta = solveRidge(rows, y, penalty);
  const seen: number[] = [...new Set(window.map((d) => weekdayOfDayNumber(dayNumberOf(d.date))))];
  const weekdayMean = seen.reduce((s, w) => s + beta[weekdayStart + w]!, 0) / seen.length;
  const weekdayEffect = Array.from({ length: 7 }, (_, w) => (seen.includes(w) ? beta[weekdayStart + w]! - weekdayMean : 0));
  const effect = (weekday: number, f: readonly number[]) => {
    let e = weekdayEffect[weekday]!;
    f.forEach((v, k) => (e += v * beta[featureStart + k]!));
    return e;
  };
  const adjusted = window.map((day, i) => y[i]! - effect(weekdayOfDayNumber(dayNumberOf(day.date)), features[i]!));
  const recent = adjusted.filter((_, i) => dayNumberOf(window[i]!.date) > lastDay - options.levelWindowDays);
  const level = options.levelAlpha === 0 ? median(recent) : getSmoothedLevel(adjusted, options.levelAlpha);
  return { predictLog: (weekday, f) => level + effect(weekday, f) };
}

/**
 * Exponentially smoothed level of effect-adjusted log totals, each step's surprise clipped at
 * three robust standard deviations (Huber) so one odd day moves it little.
 */
function getSmoothedLevel(adjusted: readonly number[], alpha: number): number {
  const start = median(adjusted.slice(0, 10));
  const changes = adjusted.slice(1).map((v, i) => v - adjusted[i]!);
  const limit = changes.length > 0 ? (3 * 1.4826 * medianAbsoluteDeviation(changes)) / Math.SQRT2 : Infinity;
  let level = start;
  for (const v of adjusted) level += alpha * Math.max(-limit, Math.min(limit, v - level));
  return level;
}

function getShares(day: Day): number[] | null {
  let shares = dayShares.get(day);
  if (shares === undefined) {
    const total = getDayTotal(day);
    dayShares.set(day, (shares = total > 0 ? day.values.map((v) => v / total) : null));
  }
  return shares;
}

function averageShares(profiles: readonly (readonly number[])[], width: number): number[] | null {
  if (profiles.length === 0) return null;
  const out = new Array<number>(width).fill(0);
  for (const p of profiles) for (let i = 0; i < width; i++) out[i]! += p[i]! / profiles.length;
  return out;
}

/** Recent same weekdays the profile window is chosen on, each predicted from the days before it. */
const WINDOW_CHECK_DAYS = 8;

/**
 * How many of a weekday's days (most recent first) its profile should average: each window's
 * mean of the days before each of the latest days, scored against that day's shares. A long
 * window averages away counting noise, a short one follows a profile that drifts; the series'
 * own days say which matters more.
 */
export function chooseProfileWindow(same: readonly (readonly number[])[], windows: readonly number[]): number {
  const longest = Math.max(...windows);
  if (same.length < WINDOW_CHECK_DAYS) return longest;
  const width = same[0]!.length;
  let best = longest;
  let bestError = Infinity;
  for (const w of windows) {
    let error = 0;
    for (let j = 0; j < WINDOW_CHECK_DAYS && j + 2 < same.length; j++) {
      const mean = averageShares(same.slice(j + 1, j + 1 + w), width)!;
      for (let i = 0; i < width; i++) error += (mean[i]! - same[j]![i]!) ** 2;
    }
    if (error < bestError) {
      bestError = error;
      best = w;
    }
  }
  return best;
}

/** Kernel half-widths the profile may be smoothed with, chosen per weekday by leave-one-out. */
const profileSmoothingWidths = [0, 1, 2, 3];

/**
 * Triangular-kernel smoothing that keeps the shares summing to one. An interval with a zero
 * share (closed on every day the profile is made of) stays zero, and lends its neighbours no
 * weight: smoothing must not move contacts into hours the centre is shut.
 */
export function smoothShares(shares: readonly number[], halfWidth: number): number[] {
  if (halfWidth === 0) return [...shares];
  const out = shares.map((share, i) => {
    if (share === 0) return 0;
    let s = 0;
    let w = 0;
    for (let j = -halfWidth; j <= halfWidth; j++) {
      const v = shares[i + j];
      if (v === undefined || v === 0) continue;
      const weight = halfWidth + 1 - Math.abs(j);
      s += weight * v;
      w += weight;
    }
    return s / w;
  });
  const total = sumOf(out);
  return total > 0 ? out.map((v) => v / total) : out;
}

/**
 * Squared distance of a day's shares from the mean of the other days', smoothed by `halfWidth`
 * (as `smoothShares` smooths), summed over days. Written without per-day arrays: it runs for
 * every weekday, width and backtest origin.
 */
function getLeaveOneOutError(days: readonly (readonly number[])[], halfWidth: number): number {
  const width = days[0]!.length;
  const sum = new Float64Array(width);
  for (const d of days) for (let i = 0; i < width; i++) sum[i]! += d[i]!;
  const others = new Float64Array(width);
  const smoothed = new Float64Array(width);
  let error = 0;
  for (const d of days) {
    for (let i = 0; i < width; i++) others[i] = (sum[i]! - d[i]!) / (days.length - 1);
    let total = 0;
    for (let i = 0; i < width; i++) {
      let v = others[i]!;
      if (halfWidth > 0 && v !== 0) {
        let s = 0;
        let w = 0;
        for (let j = Math.max(0, i - halfWidth); j <= Math.min(width - 1, i + halfWidth); j++) {
          const u = others[j]!;
          if (u === 0) continue;
          const weight = halfWidth + 1 - Math.abs(j - i);
          s += weight * u;
          w += weight;
        }
        v = s / w;
      }
      smoothed[i] = v;
      total += v;
    }
    const scale = halfWidth > 0 && total > 0 ? total : 1;
    for (let i = 0; i < width; i++) error += (smoothed[i]! / scale - d[i]!) ** 2;
  }
  return error;
}

/**
 * The intraday profile of a weekday: mean shares of its recent days (as many as
 * `chooseProfileWindow` finds best), each interval shrunk toward the mean shares of all
 * recent days by how far apart the two are compared with the noise of the weekday's mean
 * (empirical Bayes: a short Friday keeps its own closing hour, a noisy 5-minute interval
 * leans on all days), then smoothed by the kernel width that best predicts each of those
 * days from the others.
 */
function getProfile(history: readonly Day[], excluded: ReadonlySet<string>, weekday: number, options: DailyProfileOptions): number[] {
  const width = history[0]!.values.length;
  const same: number[][] = [];
  const all: number[][] = [];
  for (let i = history.length - 1; i >= 0 && (same.length < options.profileDays || all.length < options.profileDays); i--) {
    const day = history[i]!;
    if (excluded.has(day.date)) continue;
    const shares = getShares(day);
    if (!shares) continue;
    if (all.length < options.profileDays) all.push(shares);
    if (same.length < options.profileDays && weekdayOfDayNumber(dayNumberOf(day.date)) === weekday) same.push(shares);
  }
  const allMean = averageShares(all, width) ?? new Array<number>(width).fill(1 / width);
  same.length = Math.min(same.length, chooseProfileWindow(same, options.profileWindows));
  const sameMean = averageShares(same, width);
  if (!sameMean || same.length < 2) return smoothShares(sameMean ?? allMean, options.profileSmoothing);
  const mixed = sameMean.map((m, i) => {
    let variance = 0;
    for (const d of same) variance += (d[i]! - m) ** 2;
    variance /= (same.length - 1) * same.length;
    const gap = (m - allMean[i]!) ** 2;
    const w = gap + variance > 0 ? gap / (gap + variance) : 1;
    return w * m + (1 - w) * allMean[i]!;
  });
  let halfWidth = options.profileSmoothing;
  if (same.length >= 3) {
    let best = Infinity;
    for (const h of profileSmoothingWidths) {
      const error = getLeaveOneOutError(same, h);
      if (error < best) {
        best = error;
        halfWidth = h;
      }
    }
  }
  return smoothShares(mixed, halfWidth);
}

/**
 * Profiles by weekday for one history: the methods of a backtest origin share its history
 * array, and the variants that differ only in their daily totals share its profiles.
 */
const profileCaches = new WeakMap<readonly Day[], WeakMap<ReadonlySet<string>, Map<string, Map<number, number[]>>>>();

function getProfileCache(history: readonly Day[], excluded: ReadonlySet<string>, key: string): Map<number, number[]> {
  let byExcluded = profileCaches.get(history);
  if (!byExcluded) profileCaches.set(history, (byExcluded = new WeakMap()));
  let byKey = byExcluded.get(excluded);
  if (!byKey) byExcluded.set(excluded, (byKey = new Map()));
  let profiles = byKey.get(key);
  if (!profiles) byKey.set(key, (profiles = new Map()));
  return profiles;
}

/** Daily total (weekday × calendar effects × robust level) spread by a smoothed intraday profile. */
export function createDailyProfileMethod(overrides: Partial<DailyProfileOptions> = {}): ForecastMethod {
  const options = { ...defaultDailyProfileOptions, ...overrides };
  const profileKey = `${options.profileDays}:${options.profileWindows.join(',')}:${options.profileSmoothing}`;
  return ({ history, targets, calendar, profileExcluded }: MethodInput) => {
    if (history.length === 0) return targets.map(() => []);
    const model = fitDailyModel(history, calendar, options);
    const profiles = getProfileCache(history, profileExcluded, profileKey);
    return targets.map((target) => {
      const n = dayNumberOf(target);
      const weekday = weekdayOfDayNumber(n);
      const features = options.calendarEffects ? getCalendarFeatures(calendar, n) : [];
      const total = Math.max(0, Math.exp(model.predictLog(weekday, features)) - 1);
      let profile = profiles.get(weekday);
      if (!profile) {
        profile = getProfile(history, profileExcluded, weekday, options);
        profiles.set(weekday, profile);
      }
      return profile.map((s) => s * total);
    });
  };
}
