import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import type { HistoryInterval } from '@switchboard/contracts';
import { ChDateTime, queryRows, UInt64 } from './rows.ts';

/**
 * Forecast and staffing versions (migrations/clickhouse/0010): written once by the planning
 * workflows, read by the planner screens, scored against the 15-minute rollup as actuals
 * arrive. A version is visible once its header row exists.
 */

/** 'YYYY-MM-DD hh:mm:ss' in UTC: what a DateTime('UTC') column takes in JSONEachRow. */
export function toChDateTimeText(iso: string | Date): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

/** The same with milliseconds, for DateTime64(3) columns. */
const toChDateTime64Text = (date: Date) => date.toISOString().slice(0, 23).replace('T', ' ');

/** Handle time over `queue_interval_15m` rows: the catalogue's talk + hold + wrap-up (aht_s). */
const HANDLE_MS_SUM = 'sum(talk_ms_sum) + sum(hold_ms_sum) + sum(wrapup_ms_sum)';

const Float = z.union([z.number(), z.string()]).transform(Number);

// ── history ──────────────────────────────────────────────────────────────────

export const IntervalActual = z.object({
  interval_start: ChDateTime,
  // Numbers, not counts: imported history spreads a 30- or 60-minute row over its 15-minute intervals.
  offered: Float,
  handled: Float,
  handle_ms_sum: Float,
});
export type IntervalActual = z.infer<typeof IntervalActual>;

/**
 * The instant a queue's live data begins, for reading its imported history: the start of its
 * first `queue_interval_15m` row, or `{to}` when it has none before the last imported interval
 * (the bound keeps a tenant without imports from scanning its whole rollup).
 */
const FIRST_LIVE_SQL = `ifNull((
  SELECT minOrNull(interval_start) FROM queue_interval_15m
   WHERE tenant_id = {tenantId:String} AND queue_id = {queueId:String} AND interval_start < {to:DateTime('UTC')}
     AND interval_start <= (SELECT max(interval_start) FROM imported_queue_interval_15m
                             WHERE tenant_id = {tenantId:String} AND queue_id = {queueId:String})
), {to:DateTime('UTC')})`;

/**
 * Offered contacts and handle time per 15-minute interval of one queue: the rollup, and before
 * the queue's first live interval its imported history (migrations/clickhouse/0016), answered
 * standing in for handled. Imported rows from the first live interval on are never read, even
 * where live has no row: filling each interval live lacks would add the old system's contacts
 * to every quiet live interval of an import that overlaps live data. So every interval comes
 * from one source, and a queue's history switches from imported to live exactly once.
 */
export function getQueueIntervalActuals(
  client: ClickHouseClient,
  params: { tenantId: string; queueId: string; from: Date; to: Date },
): Promise<IntervalActual[]> {
  return queryRows(
    client,
    IntervalActual,
    `SELECT interval_start, offered, handled, handle_ms_sum FROM (
       SELECT interval_start, toFloat64(sum(offered)) AS offered, toFloat64(sum(handled)) AS handled,
              toFloat64(${HANDLE_MS_SUM}) AS handle_ms_sum
         FROM queue_interval_15m
        WHERE tenant_id = {tenantId:String} AND queue_id = {queueId:String}
          AND interval_start >= {from:DateTime('UTC')} AND interval_start < {to:DateTime('UTC')}
        GROUP BY interval_start
       UNION ALL
       SELECT interval_start, offered, answered AS handled, handle_ms_sum
         FROM imported_queue_interval_15m FINAL
        WHERE tenant_id = {tenantId:String} AND queue_id = {queueId:String}
          AND interval_start >= {from:DateTime('UTC')} AND interval_start < {to:DateTime('UTC')}
          AND interval_start < ${FIRST_LIVE_SQL})
      ORDER BY interval_start`,
    { tenantId: params.tenantId, queueId: params.queueId, from: toChDateTimeText(params.from), to: toChDateTimeText(params.to) },
  );
}

/** Rows per insert: an import of years of 15-minute intervals goes in several. */
const IMPORT_CHUNK_ROWS = 50_000;

/**
 * Stores imported history (parseHistoryCsv's intervals) under one import id and time: an
 * interval imported before is replaced (ReplacingMergeTree on imported_at, read with FINAL).
 */
export async function writeImportedHistory(
  client: ClickHouseClient,
  params: { tenantId: string; importId: string; importedAt: Date; intervals: readonly HistoryInterval[] },
): Promise<void> {
  const base = { tenant_id: params.tenantId, import_id: params.importId, imported_at: toChDateTime64Text(params.importedAt) };
  for (let i = 0; i < params.intervals.length; i += IMPORT_CHUNK_ROWS) {
    await client.insert({
      table: 'imported_queue_interval_15m',
      values: params.intervals.slice(i, i + IMPORT_CHUNK_ROWS).map((r) => ({ ...base, ...r, interval_start: toChDateTimeText(r.interval_start) })),
      format: 'JSONEachRow',
    });
  }
}

/**
 * The first live interval (ISO) of each of `queueIds` that has one up to `until`: imported
 * history from there on is not read (see getQueueIntervalActuals).
 */
export async function getFirstLiveIntervals(
  client: ClickHouseClient,
  params: { tenantId: string; queueIds: readonly string[]; until: Date },
): Promise<Map<string, string>> {
  const rows = await queryRows(
    client,
    z.object({ queue_id: z.string(), first_live: ChDateTime }),
    `SELECT queue_id, min(interval_start) AS first_live FROM queue_interval_15m
      WHERE tenant_id = {tenantId:String} AND queue_id IN {queueIds:Array(String)} AND interval_start <= {until:DateTime('UTC')}
      GROUP BY queue_id`,
    { tenantId: params.tenantId, queueIds: params.queueIds, until: toChDateTimeText(params.until) },
  );
  return new Map(rows.map((r) => [r.queue_id, r.first_live]));
}

// ── forecast versions ────────────────────────────────────────────────────────

export interface ForecastVersionInput {
  tenantId: string;
  versionId: string;
  createdAt: Date;
  trainUntil: Date;
  startDate: string;
  horizonDays: number;
  trigger: string;
  workflowId: string;
  series: number;
}

export interface ForecastIntervalRow {
  queue_id: string;
  channel: string;
  interval_start: string;
  volume: number;
  volume_lo80: number;
  volume_hi80: number;
  volume_statistical: number;
  aht_s: number;
  overridden: 0 | 1;
}

export interface ForecastMethodRow {
  queue_id: string;
  measure: 'volume' | 'aht';
  method: string;
  backtest_wape: number | null;
  candidates: string;
  /** JSON: per target weekday, the methods blended and their weights ('[]' for one method alone). */
  blends: string;
}

async function countRows(
  client: ClickHouseClient,
  table: 'forecast_intervals' | 'forecast_versions' | 'staffing_versions',
  tenantId: string,
  versionId: string,
  queueId?: string,
): Promise<number> {
  // sql-safe: table is one of the three table names its type allows; the values are bound.
  const [row] = await queryRows(
    client,
    z.object({ n: UInt64 }),
    `SELECT count() AS n FROM ${table}
      WHERE tenant_id = {tenantId:String} AND version_id = {versionId:UUID}
        ${queueId === undefined ? '' : 'AND queue_id = {queueId:String}'}`,
    { tenantId, versionId, queueId },
  );
  return row?.n ?? 0;
}

/**
 * Stores one queue's forecast of a version. A retried activity finds its rows and writes
 * nothing, so a version never holds a queue twice. Returns whether it wrote.
 */
export async function writeForecastSeries(
  client: ClickHouseClient,
  params: { tenantId: string; versionId: string; queueId: string; intervals: readonly ForecastIntervalRow[]; methods: readonly ForecastMethodRow[] },
): Promise<boolean> {
  if ((await countRows(client, 'forecast_intervals', params.tenantId, params.versionId, params.queueId)) > 0) return false;
  const base = { tenant_id: params.tenantId, version_id: params.versionId };
  // Methods first: a crash between the two inserts leaves no intervals, so the retry rewrites both.
  await client.insert({ table: 'forecast_methods', values: params.methods.map((m) => ({ ...base, ...m })), format: 'JSONEachRow' });
  await client.insert({
    table: 'forecast_intervals',
    values: params.intervals.map((r) => ({ ...base, ...r, interval_start: toChDateTimeText(r.interval_start) })),
    format: 'JSONEachRow',
  });
  return true;
}

/** Publishes a version (its header row), once. */
export async function publishForecastVersion(client: ClickHouseClient, input: ForecastVersionInput): Promise<boolean> {
  if ((await countRows(client, 'forecast_versions', input.tenantId, input.versionId)) > 0) return false;
  await client.insert({
    table: 'forecast_versions',
    values: [
      {
        tenant_id: input.tenantId,
        version_id: input.versionId,
        created_at: toChDateTime64Text(input.createdAt),
        train_until: toChDateTimeText(input.trainUntil),
        start_date: input.startDate,
        horizon_days: input.horizonDays,
        trigger: input.trigger,
        workflow_id: input.workflowId,
        series: input.series,
      },
    ],
    format: 'JSONEachRow',
  });
  return true;
}

export const ForecastVersion = z.object({
  version_id: z.string(),
  created_at: ChDateTime,
  train_until: ChDateTime,
  start_date: z.string(),
  horizon_days: z.number(),
  trigger: z.string(),
  workflow_id: z.string(),
  series: z.number(),
});
export type ForecastVersion = z.infer<typeof ForecastVersion>;

export function listForecastVersions(client: ClickHouseClient, tenantId: string, limit = 50): Promise<ForecastVersion[]> {
  return queryRows(
    client,
    ForecastVersion,
    `SELECT toString(version_id) AS version_id, any(created_at) AS created_at, any(train_until) AS train_until,
            toString(any(start_date)) AS start_date, any(horizon_days) AS horizon_days, any(trigger) AS trigger,
            any(workflow_id) AS workflow_id, any(series) AS series
       FROM forecast_versions
      WHERE tenant_id = {tenantId:String}
      GROUP BY version_id
      ORDER BY created_at DESC
      LIMIT {limit:UInt32}`,
    { tenantId, limit },
  );
}

export const ForecastInterval = z.object({
  interval_start: ChDateTime,
  volume: Float,
  volume_lo80: Float,
  volume_hi80: Float,
  volume_statistical: Float,
  aht_s: Float,
  overridden: z.number(),
  actual_offered: UInt64.nullable(),
  actual_aht_s: Float.nullable(),
});
export type ForecastInterval = z.infer<typeof ForecastInterval>;

/** One queue's forecast of a version beside its actuals so far (null where none yet). */
export function getForecastWithActuals(
  client: ClickHouseClient,
  params: { tenantId: string; versionId: string; queueId: string; from: Date; to: Date; now: Date },
): Promise<ForecastInterval[]> {
  return queryRows(
    client,
    ForecastInterval,
    `WITH actuals AS (
       SELECT interval_start, sum(offered) AS offered,
              if(sum(handled) > 0, (${HANDLE_MS_SUM}) / sum(handled) / 1000, NULL) AS aht_s
         FROM queue_interval_15m
        WHERE tenant_id = {tenantId:String} AND queue_id = {queueId:String}
          AND interval_start >= {from:DateTime('UTC')} AND interval_start < {to:DateTime('UTC')}
        GROUP BY interval_start)
     SELECT f.interval_start AS interval_start, f.volume AS volume, f.volume_lo80 AS volume_lo80, f.volume_hi80 AS volume_hi80,
            f.volume_statistical AS volume_statistical, f.aht_s AS aht_s, f.overridden AS overridden,
            if(f.interval_start < {now:DateTime('UTC')}, toNullable(coalesce(a.offered, 0)), NULL) AS actual_offered,
            a.aht_s AS actual_aht_s
       FROM (SELECT interval_start, any(volume) AS volume, any(volume_lo80) AS volume_lo80, any(volume_hi80) AS volume_hi80,
                    any(volume_statistical) AS volume_statistical, any(aht_s) AS aht_s, any(overridden) AS overridden
               FROM forecast_intervals
              WHERE tenant_id = {tenantId:String} AND version_id = {versionId:UUID} AND queue_id = {queueId:String}
                AND interval_start >= {from:DateTime('UTC')} AND interval_start < {to:DateTime('UTC')}
              GROUP BY interval_start) AS f
       LEFT JOIN actuals AS a ON a.interval_start = f.interval_start
      ORDER BY interval_start
      SETTINGS join_use_nulls = 1`,
    {
      tenantId: params.tenantId,
      versionId: params.versionId,
      queueId: params.queueId,
      from: toChDateTimeText(params.from),
      to: toChDateTimeText(params.to),
      now: toChDateTimeText(params.now),
    },
  );
}

export const ForecastMethod = z.object({
  queue_id: z.string(),
  measure: z.string(),
  method: z.string(),
  backtest_wape: Float.nullable(),
  candidates: z.string(),
  blends: z.string(),
});
export type ForecastMethod = z.infer<typeof ForecastMethod>;

export function getForecastMethods(client: ClickHouseClient, tenantId: string, versionId: string): Promise<ForecastMethod[]> {
  return queryRows(
    client,
    ForecastMethod,
    `SELECT queue_id, measure, any(method) AS method, any(backtest_wape) AS backtest_wape, any(candidates) AS candidates, any(blends) AS blends
       FROM forecast_methods
      WHERE tenant_id = {tenantId:String} AND version_id = {versionId:UUID}
      GROUP BY queue_id, measure
      ORDER BY queue_id, measure`,
    { tenantId, versionId },
  );
}

// ── accuracy ledger ──────────────────────────────────────────────────────────

export const AccuracyRow = z.object({
  version_id: z.string(),
  queue_id: z.string(),
  /** Horizon day (1 = the version's first day), or with `by: 'slot'` the local minute of day the interval starts. */
  bucket: z.number(),
  intervals: UInt64,
  actual: Float,
  forecast: Float,
  abs_error: Float,
});
export type AccuracyRow = z.infer<typeof AccuracyRow>;

// Allowlisted grouping expressions: the only SQL that varies with input.
const accuracyBuckets = {
  horizon: `toInt32(dateDiff('day', v.start_date, toDate(f.interval_start, {tz:String})) + 1)`,
  slot: `toInt32(toHour(f.interval_start, {tz:String}) * 60 + toMinute(f.interval_start, {tz:String}))`,
} as const;

/**
 * Every published version scored against the actuals that have arrived (intervals before
 * `now`): sums per version × queue × horizon day (1 = the version's first day) or local
 * interval of the day, from which
 * WAPE = Σ|f − a| / Σa and bias = (Σf − Σa) / Σa follow at any grouping. Computed on read,
 * so a version is rescored the moment its actuals land.
 */
export function getAccuracyLedger(
  client: ClickHouseClient,
  params: { tenantId: string; now: Date; timezone: string; versionIds?: readonly string[]; by?: keyof typeof accuracyBuckets },
): Promise<AccuracyRow[]> {
  return queryRows(
    client,
    AccuracyRow,
    `WITH versions AS (
       SELECT version_id, any(start_date) AS start_date FROM forecast_versions
        WHERE tenant_id = {tenantId:String} ${params.versionIds ? 'AND version_id IN {versionIds:Array(UUID)}' : ''}
        GROUP BY version_id),
     forecast AS (
       SELECT version_id, queue_id, interval_start, any(volume) AS volume FROM forecast_intervals
        WHERE tenant_id = {tenantId:String} AND version_id IN (SELECT version_id FROM versions)
          AND interval_start < {now:DateTime('UTC')}
        GROUP BY version_id, queue_id, interval_start),
     actuals AS (
       SELECT queue_id, interval_start, sum(offered) AS offered FROM queue_interval_15m
        WHERE tenant_id = {tenantId:String}
          AND interval_start >= (SELECT min(interval_start) FROM forecast) AND interval_start < {now:DateTime('UTC')}
        GROUP BY queue_id, interval_start)
     SELECT toString(f.version_id) AS version_id, f.queue_id AS queue_id,
            ${accuracyBuckets[params.by ?? 'horizon']} AS bucket,
            count() AS intervals, sum(coalesce(a.offered, 0)) AS actual, sum(f.volume) AS forecast,
            sum(abs(f.volume - coalesce(a.offered, 0))) AS abs_error
       FROM forecast AS f
       INNER JOIN versions AS v ON v.version_id = f.version_id
       LEFT JOIN actuals AS a ON a.queue_id = f.queue_id AND a.interval_start = f.interval_start
      GROUP BY version_id, queue_id, bucket
      ORDER BY version_id, queue_id, bucket`,
    { tenantId: params.tenantId, now: toChDateTimeText(params.now), tz: params.timezone, versionIds: params.versionIds },
  );
}

// ── staffing versions ────────────────────────────────────────────────────────

export interface StaffingIntervalRow {
  queue_id: string;
  interval_start: string;
  calls: number;
  aht_s: number;
  workload_erlangs: number;
  erlang_agents: number;
  capped_agents: number;
  required_fte: number;
  service_level: number;
  asa_s: number | null;
  occupancy: number;
  p_abandon: number | null;
}

/** Stores a staffing version, rows first and header last, once (a retry writes nothing). */
export async function writeStaffingVersion(
  client: ClickHouseClient,
  params: {
    tenantId: string;
    versionId: string;
    forecastVersionId: string;
    createdAt: Date;
    trigger: string;
    workflowId: string;
    params: unknown;
    intervals: readonly StaffingIntervalRow[];
  },
): Promise<boolean> {
  if ((await countRows(client, 'staffing_versions', params.tenantId, params.versionId)) > 0) return false;
  const base = { tenant_id: params.tenantId, version_id: params.versionId };
  // ReplacingMergeTree collapses the rows of an attempt that died before its header.
  await client.insert({
    table: 'staffing_intervals',
    values: params.intervals.map((r) => ({ ...base, ...r, interval_start: toChDateTimeText(r.interval_start) })),
    format: 'JSONEachRow',
  });
  await client.insert({
    table: 'staffing_versions',
    values: [
      {
        ...base,
        forecast_version_id: params.forecastVersionId,
        created_at: toChDateTime64Text(params.createdAt),
        trigger: params.trigger,
        workflow_id: params.workflowId,
        params: JSON.stringify(params.params),
      },
    ],
    format: 'JSONEachRow',
  });
  return true;
}

export const StaffingVersion = z.object({
  version_id: z.string(),
  forecast_version_id: z.string(),
  created_at: ChDateTime,
  trigger: z.string(),
  workflow_id: z.string(),
  params: z.string(),
});
export type StaffingVersion = z.infer<typeof StaffingVersion>;

export function listStaffingVersions(client: ClickHouseClient, tenantId: string, forecastVersionId?: string): Promise<StaffingVersion[]> {
  return queryRows(
    client,
    StaffingVersion,
    `SELECT toString(version_id) AS version_id, toString(any(forecast_version_id)) AS forecast_version_id, any(created_at) AS created_at,
            any(trigger) AS trigger, any(workflow_id) AS workflow_id, any(params) AS params
       FROM (SELECT * FROM staffing_versions
              WHERE tenant_id = {tenantId:String} ${forecastVersionId ? 'AND forecast_version_id = {forecastVersionId:UUID}' : ''})
      GROUP BY version_id
      ORDER BY created_at DESC`,
    { tenantId, forecastVersionId },
  );
}

export const StaffingInterval = z.object({
  interval_start: ChDateTime,
  calls: Float,
  aht_s: Float,
  workload_erlangs: Float,
  erlang_agents: z.number(),
  capped_agents: z.number(),
  required_fte: Float,
  service_level: Float,
  asa_s: Float.nullable(),
  occupancy: Float,
  p_abandon: Float.nullable(),
});
export type StaffingInterval = z.infer<typeof StaffingInterval>;

export function getStaffingIntervals(
  client: ClickHouseClient,
  params: { tenantId: string; versionId: string; queueId: string; from: Date; to: Date },
): Promise<StaffingInterval[]> {
  return queryRows(
    client,
    StaffingInterval,
    `SELECT interval_start, any(calls) AS calls, any(aht_s) AS aht_s, any(workload_erlangs) AS workload_erlangs,
            any(erlang_agents) AS erlang_agents, any(capped_agents) AS capped_agents, any(required_fte) AS required_fte,
            any(service_level) AS service_level, any(asa_s) AS asa_s, any(occupancy) AS occupancy, any(p_abandon) AS p_abandon
       FROM staffing_intervals
      WHERE tenant_id = {tenantId:String} AND version_id = {versionId:UUID} AND queue_id = {queueId:String}
        AND interval_start >= {from:DateTime('UTC')} AND interval_start < {to:DateTime('UTC')}
      GROUP BY interval_start
      ORDER BY interval_start`,
    {
      tenantId: params.tenantId,
      versionId: params.versionId,
      queueId: params.queueId,
      from: toChDateTimeText(params.from),
      to: toChDateTimeText(params.to),
    },
  );
}
