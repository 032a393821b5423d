import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { ChDateTime, queryRows, toChDateTime } from './rows.ts';
import { AccuracyRow, toChDateTimeText } from './planning.ts';

/**
 * The intraday loop's runs (migrations/clickhouse/0018): each run writes its tenant's whole day, per queue (forecast,
 * reforecast, actual, required agents) and per planning group (the staffing gap), under its run time. Readers take
 * the day's latest run; the accuracy ledger scores each interval's reforecast as it stood when the interval began.
 */

export interface IntradayQueueRow {
  queue_id: string;
  interval_start: string;
  forecast: number;
  reforecast: number;
  actual: number | null;
  aht_s: number;
  required: number;
}

export interface IntradayGroupRow {
  group_id: string;
  interval_start: string;
  required: number;
  scheduled: number;
  excepted: number;
  absent: number;
  net: number;
  gap: number;
}

export interface IntradayRunInput {
  tenantId: string;
  date: string;
  runId: string;
  runAt: Date;
  forecastVersionId: string;
  queues: readonly IntradayQueueRow[];
  groups: readonly IntradayGroupRow[];
}

const runAtText = (date: Date) => date.toISOString().slice(0, 23).replace('T', ' ');

/** Stores one run; a retry writes the same rows again (collapsed by the engine, identical to readers). */
export async function writeIntradayRun(client: ClickHouseClient, input: IntradayRunInput): Promise<void> {
  const base = { tenant_id: input.tenantId, date: input.date, run_at: runAtText(input.runAt), run_id: input.runId };
  if (input.queues.length > 0)
    await client.insert({
      table: 'intraday_queue_intervals',
      values: input.queues.map((r) => ({
        ...base,
        ...r,
        forecast_version_id: input.forecastVersionId,
        interval_start: toChDateTimeText(r.interval_start),
      })),
      format: 'JSONEachRow',
    });
  // Groups last: the day view reads the latest run from this table, so a run is visible once it is whole.
  if (input.groups.length > 0)
    await client.insert({
      table: 'intraday_group_intervals',
      values: input.groups.map((r) => ({ ...base, ...r, interval_start: toChDateTimeText(r.interval_start) })),
      format: 'JSONEachRow',
    });
}

const Float = z.union([z.number(), z.string()]).transform(Number);

export const IntradayQueueInterval = z.object({
  queue_id: z.string(),
  interval_start: ChDateTime,
  forecast: Float,
  reforecast: Float,
  actual: Float.nullable(),
  aht_s: Float,
  required: Float,
});
export type IntradayQueueInterval = z.infer<typeof IntradayQueueInterval>;

export const IntradayGroupInterval = z.object({
  group_id: z.string(),
  interval_start: ChDateTime,
  required: Float,
  scheduled: Float,
  excepted: Float,
  absent: Float,
  net: Float,
  gap: Float,
});
export type IntradayGroupInterval = z.infer<typeof IntradayGroupInterval>;

const LatestRun = z.object({ run_at: ChDateTime, run_id: z.string(), forecast_version_id: z.string() });

/** The day's latest complete run: its time and id, and its rows (null before the first run of the day). */
export async function getIntradayDay(
  client: ClickHouseClient,
  params: { tenantId: string; date: string },
): Promise<{ runAt: string; runId: string; forecastVersionId: string; queues: IntradayQueueInterval[]; groups: IntradayGroupInterval[] } | null> {
  const [latest] = await queryRows(
    client,
    LatestRun,
    `SELECT toString(g.run_at) AS run_at, g.run_id AS run_id,
            (SELECT toString(any(forecast_version_id)) FROM intraday_queue_intervals
              WHERE tenant_id = {tenantId:String} AND date = {date:Date} AND run_id = g.run_id) AS forecast_version_id
       FROM (SELECT run_at, run_id FROM intraday_group_intervals
              WHERE tenant_id = {tenantId:String} AND date = {date:Date}
              ORDER BY run_at DESC LIMIT 1) AS g`,
    params,
  );
  if (!latest) return null;
  const where = 'tenant_id = {tenantId:String} AND date = {date:Date} AND run_id = {runId:String}';
  const bound = { ...params, runId: latest.run_id };
  const [queues, groups] = await Promise.all([
    queryRows(
      client,
      IntradayQueueInterval,
      `SELECT queue_id, interval_start, any(forecast) AS forecast, any(reforecast) AS reforecast, any(actual) AS actual,
              any(aht_s) AS aht_s, any(required) AS required
         FROM intraday_queue_intervals WHERE ${where}
        GROUP BY queue_id, interval_start ORDER BY queue_id, interval_start`,
      bound,
    ),
    queryRows(
      client,
      IntradayGroupInterval,
      `SELECT group_id, interval_start, any(required) AS required, any(scheduled) AS scheduled, any(excepted) AS excepted,
              any(absent) AS absent, any(net) AS net, any(gap) AS gap
         FROM intraday_group_intervals WHERE ${where}
        GROUP BY group_id, interval_start ORDER BY group_id, interval_start`,
      bound,
    ),
  ]);
  return { runAt: latest.run_at, runId: latest.run_id, forecastVersionId: latest.forecast_version_id, queues, groups };
}

/**
 * The staffing gap of each planning group (by key) in the interval holding `at`, from the latest run made at or
 * before it: what the alert evaluator's `staffing_gap` reads. Groups without a run that day are absent.
 */
export async function getCurrentStaffingGaps(client: ClickHouseClient, params: { tenantId: string; at: Date }): Promise<Map<string, number>> {
  const rows = await queryRows(
    client,
    z.object({ group_id: z.string(), gap: Float }),
    `SELECT group_id, argMax(gap, run_at) AS gap FROM intraday_group_intervals
      WHERE tenant_id = {tenantId:String} AND date >= toDate({at:DateTime64(3, 'UTC')}) - 1
        AND run_at <= {at:DateTime64(3, 'UTC')}
        AND interval_start <= {at:DateTime64(3, 'UTC')} AND interval_start + INTERVAL 15 MINUTE > {at:DateTime64(3, 'UTC')}
      GROUP BY group_id`,
    { tenantId: params.tenantId, at: toChDateTime(params.at) },
  );
  return new Map(rows.map((r) => [r.group_id, r.gap]));
}

/**
 * The intraday reforecast in the accuracy ledger, as the version `intraday`: each interval scored with the reforecast
 * of the last run made before the interval began (what a planner saw then), per queue and horizon day 1 or local
 * minute of day, like getAccuracyLedger.
 */
export function getIntradayAccuracy(
  client: ClickHouseClient,
  params: { tenantId: string; now: Date; timezone: string; by: 'horizon' | 'slot'; from?: Date },
): Promise<AccuracyRow[]> {
  const bucket = params.by === 'slot' ? `toInt32(toHour(f.interval_start, {tz:String}) * 60 + toMinute(f.interval_start, {tz:String}))` : 'toInt32(1)';
  return queryRows(
    client,
    AccuracyRow,
    `WITH forecast AS (
       SELECT queue_id, interval_start, argMax(reforecast, run_at) AS volume FROM intraday_queue_intervals
        WHERE tenant_id = {tenantId:String} AND run_at <= interval_start AND interval_start < {now:DateTime('UTC')}
          AND interval_start >= {from:DateTime('UTC')}
        GROUP BY queue_id, interval_start),
     actuals AS (
       SELECT queue_id, interval_start, sum(offered) AS offered FROM queue_interval_15m
        WHERE tenant_id = {tenantId:String}
          AND interval_start >= (SELECT min(interval_start) FROM forecast) AND interval_start < {now:DateTime('UTC')}
        GROUP BY queue_id, interval_start)
     SELECT 'intraday' AS version_id, f.queue_id AS queue_id, ${bucket} AS bucket,
            count() AS intervals, sum(coalesce(a.offered, 0)) AS actual, sum(f.volume) AS forecast,
            sum(abs(f.volume - coalesce(a.offered, 0))) AS abs_error
       FROM forecast AS f
       LEFT JOIN actuals AS a ON a.queue_id = f.queue_id AND a.interval_start = f.interval_start
      GROUP BY version_id, queue_id, bucket
      ORDER BY queue_id, bucket`,
    { tenantId: params.tenantId, now: toChDateTimeText(params.now), tz: params.timezone, from: toChDateTimeText(params.from ?? new Date(0)) },
  );
}
