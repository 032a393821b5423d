import { addLocalDays } from '@switchboard/calendar';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { addToAccuracy, bias, emptyAccuracySums, wape } from '@switchboard/kpis';
import { getStaffingWaterfall, StaffingPolicy, type StaffingWaterfall } from '@switchboard/planning';
import { z } from 'zod';

/**
 * The planner screens' pure half: what the charts and tables show, computed from the API's
 * rows. Recharts and the components only render these models.
 */

type Planning = inferRouterOutputs<AppRouter>['planning'];
export type Overview = Planning['overview'];
export type StaffingSetting = Planning['settings']['list'][number];
export type ForecastData = Planning['forecast'];
export type ForecastRow = ForecastData['intervals'][number];
type AccuracyData = Planning['accuracy'];
export type AccuracyRow = AccuracyData['byHorizon'][number];
type StaffingData = Planning['staffing'];
export type StaffingRow = StaffingData['intervals'][number];
export type PlanningRun = Planning['runs'][number];
type DetectedRow = Planning['detectedDays']['list'][number];

// ── dates and times ──────────────────────────────────────────────────────────

/** An instant as the tenant reads it: "09:15", or "Mon 1 Dec 09:15" when a view spans several days. */
export function formatSlot(iso: string, timezone: string, withDay: boolean): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hour12: false });
  if (!withDay) return time;
  return `${d.toLocaleDateString('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

export function formatDateTime(iso: string, timezone: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone: timezone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** A date input's value as people read it: "Mon 1 Dec 2025". */
export function formatDate(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}

/** Minutes of the day as "HH:MM" (1440 reads "24:00", the end of the day). */
export function minutesToTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "HH:MM" from a time input as minutes of the day; empty → null. */
export function timeToMinutes(time: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** The day a version opens on: today when the version covers it, else its first day. */
export function getDefaultDate(version: { start_date: string; horizon_days: number } | undefined, today: string): string {
  if (!version) return today;
  return today >= version.start_date && today < addLocalDays(version.start_date, version.horizon_days) ? today : version.start_date;
}

// ── forecast vs actual ───────────────────────────────────────────────────────

export interface ForecastPoint {
  label: string;
  forecast: number;
  /** [lo80, hi80]: Recharts draws an area between the two. */
  band: [number, number];
  /** Null where no actual exists yet (future intervals), never 0. */
  actual: number | null;
  /** The forecast value where a planner override set it, else null (no marker). */
  overridden: number | null;
}

export function prepareForecastChart(rows: readonly ForecastRow[], timezone: string, withDay: boolean): ForecastPoint[] {
  return rows.map((r) => ({
    label: formatSlot(r.interval_start, timezone, withDay),
    forecast: r.volume,
    band: [r.volume_lo80, r.volume_hi80],
    actual: r.actual_offered,
    overridden: r.overridden ? r.volume : null,
  }));
}

export interface ForecastSummary {
  forecast: number;
  /** Intervals that have actuals so far, and the forecast and actual over those only. */
  comparedIntervals: number;
  comparedForecast: number;
  actual: number;
  /** Σ|f − a| / Σa over the compared intervals; null before any actual contact. */
  wape: number | null;
  /** (Σf − Σa) / Σa: positive means over-forecast. */
  bias: number | null;
  overridden: number;
}

export function summariseForecast(rows: readonly ForecastRow[]): ForecastSummary {
  let forecast = 0;
  let comparedIntervals = 0;
  let overridden = 0;
  const compared = emptyAccuracySums();
  for (const r of rows) {
    forecast += r.volume;
    if (r.overridden) overridden++;
    if (r.actual_offered === null) continue;
    comparedIntervals++;
    addToAccuracy(compared, r.volume, r.actual_offered);
  }
  return {
    forecast,
    comparedIntervals,
    comparedForecast: compared.forecast,
    actual: compared.actual,
    wape: wape(compared),
    bias: bias(compared),
    overridden,
  };
}

export interface Candidate {
  method: string;
  wape: number | null;
  chosen: boolean;
}

/** The backtest's candidates (JSON of method → WAPE), best first; unscored ones last. `chosen`: the methods the forecast used. */
export function parseCandidates(json: string, chosen: ReadonlySet<string>): Candidate[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const scores = z.record(z.string(), z.number().nullable()).safeParse(parsed);
  if (!scores.success) return [];
  return Object.entries(scores.data)
    .map(([method, wape]) => ({ method, wape, chosen: chosen.has(method) }))
    .sort((a, b) => (a.wape ?? Infinity) - (b.wape ?? Infinity) || a.method.localeCompare(b.method));
}

const Blends = z.array(
  z.object({
    weekday: z.number().int().min(0).max(6),
    members: z.array(z.object({ method: z.string(), weight: z.number() })),
  }),
);
export type WeekdayBlend = z.infer<typeof Blends>[number];

/** The stored blend (JSON, per target weekday) in weekday order from Monday; empty for a version with one method alone. */
export function parseBlends(json: string): WeekdayBlend[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const blends = Blends.safeParse(parsed);
  if (!blends.success) return [];
  return [...blends.data]
    .sort((a, b) => ((a.weekday + 6) % 7) - ((b.weekday + 6) % 7))
    .map((b) => ({ ...b, members: [...b.members].sort((x, y) => y.weight - x.weight) }));
}

export interface DetectedDate {
  date: string;
  /** Closed when any queue was closed that day. */
  kind: 'closed' | 'unusual';
  /** Pending while any queue's finding is undecided. */
  status: 'pending' | 'confirmed' | 'rejected';
  queues: { queueKey: string; total: number; expected: number }[];
}

/** Detected days grouped by date (a decision covers every queue found that day), in the order given. */
export function groupDetectedDays(rows: readonly DetectedRow[]): DetectedDate[] {
  const byDate = new Map<string, DetectedDate>();
  for (const r of rows) {
    let d = byDate.get(r.date);
    if (!d) byDate.set(r.date, (d = { date: r.date, kind: r.kind, status: r.status, queues: [] }));
    if (r.kind === 'closed') d.kind = 'closed';
    if (r.status === 'pending') d.status = 'pending';
    d.queues.push({ queueKey: r.queueKey, total: r.total, expected: r.expected });
  }
  return [...byDate.values()];
}

export interface AccuracyPoint {
  label: string;
  wape: number | null;
  bias: number | null;
}

/** WAPE and bias by horizon day (1 = the version's first day). */
export function prepareHorizonChart(rows: readonly AccuracyRow[]): AccuracyPoint[] {
  return rows.map((r) => ({ label: `Day ${r.key}`, wape: r.wape, bias: r.bias }));
}

// ── staffing ─────────────────────────────────────────────────────────────────

/** The policy a staffing version stored per queue: everything but the interval's AHT and calls. */
export const StoredPolicy = StaffingPolicy.omit({ aht_s: true });
export type StoredPolicy = z.output<typeof StoredPolicy>;

export function parseStoredPolicy(policy: unknown): StoredPolicy | null {
  const parsed = StoredPolicy.safeParse(policy);
  return parsed.success ? parsed.data : null;
}

/** Intervals with contacts but no handle time (no history, no planned AHT): staffed with nobody. */
export function countIntervalsWithoutAht(rows: readonly Pick<StaffingRow, 'calls' | 'aht_s'>[]): number {
  return rows.filter((r) => r.calls > 0 && r.aht_s <= 0).length;
}

/**
 * One interval's steps from volume to required FTE, by the code the staffing workflow ran.
 * Null for an interval without contacts or handle time: the workflow stores zeros there
 * without a waterfall, as there is nothing to staff.
 */
export function getIntervalWaterfall(policy: StoredPolicy, interval: { calls: number; aht_s: number }): StaffingWaterfall | null {
  if (interval.calls <= 0 || interval.aht_s <= 0) return null;
  return getStaffingWaterfall({ ...policy, calls: interval.calls, aht_s: interval.aht_s });
}

export const stepLabel: Record<StaffingWaterfall['steps'][number]['step'], string> = {
  volume: 'Volume',
  workload: 'Workload',
  concurrency: 'Concurrency',
  erlang: 'Erlang agents',
  occupancy_cap: 'Occupancy cap',
  shrinkage: 'Shrinkage',
  rounding: 'Whole people',
};

/** What a planner may change in the what-if; fractions as fractions, times in seconds. */
export interface WhatIf {
  serviceLevel: number;
  thresholdS: number;
  /** −0.2 for 20% shorter handle times. */
  ahtChange: number;
  shrinkage: number;
  maxOccupancy: number;
  /** Mean patience: given, the queue is modelled with Erlang A (abandons), else Erlang C. */
  patienceS: number | null;
}

/** Patience a planner starts from when switching Erlang A on for a queue that had none. */
const DEFAULT_PATIENCE_S = 120;

export function getWhatIfDefaults(policy: StoredPolicy): WhatIf {
  return {
    serviceLevel: policy.target.kind === 'service_level' ? policy.target.service_level : 0.8,
    thresholdS: policy.sl_threshold_s,
    ahtChange: 0,
    shrinkage: policy.shrinkage,
    maxOccupancy: policy.max_occupancy,
    patienceS: policy.patience_s ?? null,
  };
}

/** The stored policy with the what-if applied; the what-if always targets a service level. */
function applyWhatIf(policy: StoredPolicy, whatIf: WhatIf): StoredPolicy {
  const { patience_s: _stored, ...rest } = policy;
  return {
    ...rest,
    target: { kind: 'service_level', service_level: whatIf.serviceLevel },
    sl_threshold_s: whatIf.thresholdS,
    shrinkage: whatIf.shrinkage,
    max_occupancy: whatIf.maxOccupancy,
    ...(whatIf.patienceS === null ? {} : { patience_s: whatIf.patienceS }),
  };
}

interface WhatIfPoint {
  interval_start: string;
  label: string;
  stored: number;
  whatIf: number;
}

export interface WhatIfDay {
  points: WhatIfPoint[];
  /** Σ required FTE × interval length: the paid hours the day needs. */
  storedHours: number;
  whatIfHours: number;
  storedPeak: number;
  whatIfPeak: number;
}

/** Required FTE for every interval of the day under the what-if, beside the stored requirement. */
export function recomputeDay(rows: readonly StaffingRow[], policy: StoredPolicy, whatIf: WhatIf, timezone: string): WhatIfDay {
  const changed = applyWhatIf(policy, whatIf);
  const hoursPerInterval = policy.interval_s / 3600;
  const points = rows.map((r) => {
    const waterfall = getIntervalWaterfall(changed, { calls: r.calls, aht_s: r.aht_s * (1 + whatIf.ahtChange) });
    return {
      interval_start: r.interval_start,
      label: formatSlot(r.interval_start, timezone, false),
      stored: r.required_fte,
      whatIf: waterfall?.required_fte ?? 0,
    };
  });
  return {
    points,
    storedHours: points.reduce((s, p) => s + p.stored, 0) * hoursPerInterval,
    whatIfHours: points.reduce((s, p) => s + p.whatIf, 0) * hoursPerInterval,
    storedPeak: Math.max(0, ...points.map((p) => p.stored)),
    whatIfPeak: Math.max(0, ...points.map((p) => p.whatIf)),
  };
}

// ── runs ─────────────────────────────────────────────────────────────────────

/** The run's page in the Temporal Web UI, when the host knows where that is. */
export function getRunUrl(engine: Overview['engine'], workflowId: string): string | null {
  if (!engine.uiUrl || !engine.namespace) return null;
  return `${engine.uiUrl}/namespaces/${encodeURIComponent(engine.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export const runTypeLabel: Record<string, string> = { forecastWorkflow: 'Forecast', staffingWorkflow: 'Staffing' };

/** Done share of a running run, or null when it has not reported any (between phases, or closed). */
export function getRunShare(run: PlanningRun): number | null {
  if (!run.progress || run.progress.total === 0) return null;
  return Math.min(1, run.progress.done / run.progress.total);
}

/** The what-if form as typed: percentages and seconds as the inputs hold them. */
export interface WhatIfDraft {
  serviceLevelPct: string;
  thresholdS: string;
  ahtChangePct: string;
  shrinkagePct: string;
  maxOccupancyPct: string;
  erlangA: boolean;
  patienceS: string;
}

const pct = (fraction: number) => String(Math.round(fraction * 1000) / 10);

export function toWhatIfDraft(whatIf: WhatIf): WhatIfDraft {
  return {
    serviceLevelPct: pct(whatIf.serviceLevel),
    thresholdS: String(whatIf.thresholdS),
    ahtChangePct: pct(whatIf.ahtChange),
    shrinkagePct: pct(whatIf.shrinkage),
    maxOccupancyPct: pct(whatIf.maxOccupancy),
    erlangA: whatIf.patienceS !== null,
    patienceS: String(whatIf.patienceS ?? DEFAULT_PATIENCE_S),
  };
}

/** The draft as a what-if, or the first field that is out of range and why. */
export function parseWhatIf(draft: WhatIfDraft): { whatIf: WhatIf } | { error: string } {
  const read = (text: string) => (text.trim() === '' ? NaN : Number(text));
  const serviceLevel = read(draft.serviceLevelPct) / 100;
  const thresholdS = read(draft.thresholdS);
  const ahtChange = read(draft.ahtChangePct) / 100;
  const shrinkage = read(draft.shrinkagePct) / 100;
  const maxOccupancy = read(draft.maxOccupancyPct) / 100;
  const patienceS = read(draft.patienceS);
  if (!(serviceLevel > 0 && serviceLevel < 1)) return { error: 'The service level target is a percentage above 0 and below 100, e.g. 80.' };
  if (!(thresholdS >= 0)) return { error: 'The threshold is a number of seconds, 0 or more, e.g. 20.' };
  if (!(ahtChange > -1 && ahtChange <= 5)) return { error: 'The AHT change is a percentage between −99 and +500, e.g. −10 for 10% shorter.' };
  if (!(shrinkage >= 0 && shrinkage < 1)) return { error: 'Shrinkage is a percentage from 0 to below 100, e.g. 30.' };
  if (!(maxOccupancy > 0 && maxOccupancy <= 1)) return { error: 'The occupancy cap is a percentage above 0 and up to 100, e.g. 85.' };
  if (draft.erlangA && !(patienceS > 0)) return { error: 'Mean patience is a number of seconds above 0, e.g. 120 (or switch Erlang A off).' };
  return { whatIf: { serviceLevel, thresholdS, ahtChange, shrinkage, maxOccupancy, patienceS: draft.erlangA ? patienceS : null } };
}
