import { localDays } from '@switchboard/calendar';
import { bias, emptyAccuracySums, wape, type AccuracySums } from '@switchboard/kpis';
import {
  getAccuracyLedger,
  getForecastMethods,
  getForecastWithActuals,
  getIntradayAccuracy,
  getStaffingIntervals,
  listForecastVersions,
  listStaffingVersions,
  type AccuracyRow,
} from '@switchboard/telemetry';
import type { ApiServices } from '../context.ts';
import type { Access } from '../trpc.ts';

/** The planner's read models over the stored forecast and staffing versions. */

export interface Accuracy {
  key: string;
  intervals: number;
  actual: number;
  forecast: number;
  /** Σ|forecast − actual| / Σ actual; null before any actual contact. */
  wape: number | null;
  /** (Σ forecast − Σ actual) / Σ actual: positive means over-forecast. */
  bias: number | null;
}

function summarise(rows: readonly AccuracyRow[], keyOf: (r: AccuracyRow) => string): Accuracy[] {
  const groups = new Map<string, AccuracySums & { intervals: number }>();
  for (const r of rows) {
    const g = groups.get(keyOf(r)) ?? { intervals: 0, ...emptyAccuracySums() };
    g.intervals += r.intervals;
    g.actual += r.actual;
    g.forecast += r.forecast;
    g.absError += r.abs_error;
    groups.set(keyOf(r), g);
  }
  return [...groups.entries()].map(([key, g]) => ({
    key,
    intervals: g.intervals,
    actual: g.actual,
    forecast: g.forecast,
    wape: wape(g),
    bias: bias(g),
  }));
}

export async function getPlanningOverview(services: ApiServices, access: Access) {
  const versions = await listForecastVersions(services.telemetry, access.tenantId, 30);
  const latest = versions[0];
  return {
    timezone: access.directory.timezone,
    queues: access.directory.queues.map((q) => ({
      key: q.key,
      id: q.id,
      name: q.name,
      channel: q.channel,
      slThresholdS: q.slThresholdS,
      slTarget: q.slTarget,
    })),
    versions,
    staffingVersions: latest ? await listStaffingVersions(services.telemetry, access.tenantId, latest.version_id) : [],
    engine: services.planning
      ? { configured: true, uiUrl: services.planning.uiUrl, namespace: services.planning.namespace }
      : { configured: false, uiUrl: null, namespace: null },
  };
}

export async function getQueueForecast(services: ApiServices, access: Access, input: { versionId: string; queueKey: string; date: string; days: number }) {
  const { from, to } = localDays(input.date, input.days, access.directory.timezone);
  const [intervals, methods] = await Promise.all([
    getForecastWithActuals(services.telemetry, {
      tenantId: access.tenantId,
      versionId: input.versionId,
      queueId: input.queueKey,
      from,
      to,
      now: services.now(),
    }),
    getForecastMethods(services.telemetry, access.tenantId, input.versionId),
  ]);
  return { intervals, methods: methods.filter((m) => m.queue_id === input.queueKey) };
}

/** Accuracy of published versions so far, by version, horizon day, queue and interval of the day (optionally one version or queue). */
export async function getForecastAccuracy(services: ApiServices, access: Access, input: { versionId?: string | undefined; queueKey?: string | undefined }) {
  const scope = { tenantId: access.tenantId, now: services.now(), timezone: access.directory.timezone };
  const ofQueue = (rows: AccuracyRow[]) => (input.queueKey ? rows.filter((r) => r.queue_id === input.queueKey) : rows);
  const ledger = (by: 'horizon' | 'slot') =>
    getAccuracyLedger(services.telemetry, { ...scope, by, ...(input.versionId ? { versionIds: [input.versionId] } : {}) }).then(ofQueue);
  const [byDay, bySlot, intraday] = await Promise.all([
    ledger('horizon'),
    ledger('slot'),
    // The intraday reforecast sits beside the versions as `intraday` (each interval as it stood when the interval began).
    input.versionId ? [] : getIntradayAccuracy(services.telemetry, { ...scope, by: 'horizon' }).then(ofQueue),
  ]);
  const numeric = (a: Accuracy, b: Accuracy) => Number(a.key) - Number(b.key);
  return {
    byVersion: summarise([...byDay, ...intraday], (r) => r.version_id),
    byHorizon: summarise(byDay, (r) => String(r.bucket)).sort(numeric),
    byQueue: summarise(byDay, (r) => r.queue_id).sort((a, b) => (a.key < b.key ? -1 : 1)),
    /** Keyed by the local minute of day the 15-minute interval starts (540 = 09:00). */
    byInterval: summarise(bySlot, (r) => String(r.bucket)).sort(numeric),
  };
}

export async function getQueueStaffing(services: ApiServices, access: Access, input: { versionId: string; queueKey: string; date: string; days: number }) {
  const { from, to } = localDays(input.date, input.days, access.directory.timezone);
  const version = (await listStaffingVersions(services.telemetry, access.tenantId)).find((v) => v.version_id === input.versionId);
  if (!version) return null;
  const params = (JSON.parse(version.params) as Record<string, unknown>)[input.queueKey] ?? null;
  const intervals = await getStaffingIntervals(services.telemetry, {
    tenantId: access.tenantId,
    versionId: input.versionId,
    queueId: input.queueKey,
    from,
    to,
  });
  return { version: { ...version, params: undefined }, policy: params, intervals };
}
