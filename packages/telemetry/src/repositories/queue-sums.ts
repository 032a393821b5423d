import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { serviceLevelThresholdsS } from '@switchboard/contracts';
import type { QueueSums } from '@switchboard/kpis';
import { liveRead } from '../client.ts';
import { queueEventsWhere, queueMeasures } from '../rollups/definitions.ts';
import { queryRows, toChDateTime, UInt64 } from './rows.ts';

/**
 * Per-queue sums (the KPI catalogue's QueueSums) read from the 15-minute rollup or, for
 * the wallboard's rolling 30 minutes, from the minute rollup and raw events with the same
 * expressions as the rollups (rollups/definitions.ts).
 */

/** SELECT list over `queue_interval_15m`. */
export const rollupQueueSumsSql = queueMeasures.map((m) => `${m.kind}(${m.name}) AS ${m.name}`).join(', ');

/** The same sums from raw `events`, with the rollup's own expressions. */
const rawQueueSumsSql = queueMeasures.map((m) => `${m.expr} AS ${m.name}`).join(',\n       ');

/** A zod shape of every column of `rollupQueueSumsSql`. */
export const queueSumsShape = Object.fromEntries(queueMeasures.map((m) => [m.name, UInt64])) as Record<string, typeof UInt64>;

/** Turns a flat row of sums (every column of `sumColumns`, parsed by zod) into QueueSums. */
export function toQueueSums(row: Record<string, number>): QueueSums {
  const n = (column: string) => row[column] ?? 0;
  return {
    offered: n('offered'),
    answered: n('answered'),
    answered_within: Object.fromEntries(serviceLevelThresholdsS.map((t) => [t, n(`answered_within_${t}s`)])) as QueueSums['answered_within'],
    // Set per queue by applyServiceLevelThreshold: the row does not know its queue's target.
    answered_in_sl: 0,
    abandoned: n('abandoned'),
    short_abandoned: n('short_abandoned'),
    wait_answered_ms_sum: n('wait_answered_ms_sum'),
    wait_abandoned_ms_sum: n('wait_abandoned_ms_sum'),
    wait_ms_max: n('wait_ms_max'),
    handled: n('handled'),
    talk_ms_sum: n('talk_ms_sum'),
    hold_ms_sum: n('hold_ms_sum'),
    wrapups: n('wrapups'),
    wrapup_ms_sum: n('wrapup_ms_sum'),
    holds: n('holds'),
    transferred: n('transferred'),
  };
}

export const QueueSumsRow = z
  .object({ queue_id: z.string(), channel: z.string(), ...queueSumsShape })
  .transform(({ queue_id, channel, ...sums }) => ({ queue_id, channel, sums: toQueueSums(sums as Record<string, number>) }));
export type QueueSumsRow = z.infer<typeof QueueSumsRow>;

interface Window {
  tenantId: string;
  from: Date;
  to: Date;
}

/**
 * Sums per queue and channel over [from, to) from the rollup. `from` and `to` should fall
 * on 15-minute boundaries; an interval is included when it starts inside the window.
 */
export function getQueueSums(client: ClickHouseClient, params: Window): Promise<QueueSumsRow[]> {
  return queryRows(
    client,
    QueueSumsRow,
    `SELECT queue_id, channel, ${rollupQueueSumsSql}
       FROM queue_interval_15m
      WHERE tenant_id = {tenantId:String}
        AND interval_start >= {from:DateTime64(3, 'UTC')} AND interval_start < {to:DateTime64(3, 'UTC')}
      GROUP BY queue_id, channel
      ORDER BY queue_id, channel`,
    { tenantId: params.tenantId, from: toChDateTime(params.from), to: toChDateTime(params.to) },
    liveRead,
  );
}

const MINUTE_MS = 60_000;

/** Each measure as an Int64 column: the raw side's counts are unsigned, the rollup's sums signed. */
const asInt64 = queueMeasures.map((m) => `toInt64(${m.name}) AS ${m.name}`).join(', ');

/**
 * Sums per queue and channel of the events that occurred in [from, to), for short windows
 * that end now (a minute row holds its whole minute): whole minutes from the minute rollup (as fresh as the 15-minute one), and the
 * part of a minute before them from raw events, each event_id once, as the rollup counts.
 */
export function getRecentQueueSums(client: ClickHouseClient, params: Window): Promise<QueueSumsRow[]> {
  const firstMinute = new Date(Math.ceil(params.from.getTime() / MINUTE_MS) * MINUTE_MS);
  return queryRows(
    client,
    QueueSumsRow,
    `SELECT queue_id, channel, ${rollupQueueSumsSql}
       FROM (
         SELECT queue_id, channel, ${asInt64}
           FROM queue_interval_1m
          WHERE tenant_id = {tenantId:String}
            AND interval_start >= {firstMinute:DateTime64(3, 'UTC')} AND interval_start < {to:DateTime64(3, 'UTC')}
         UNION ALL
         SELECT queue_id, channel, ${asInt64}
           FROM (SELECT queue_id, channel,
                        ${rawQueueSumsSql}
                   FROM (SELECT * FROM events
                          WHERE tenant_id = {tenantId:String}
                            AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {firstMinute:DateTime64(3, 'UTC')}
                            AND ${queueEventsWhere}
                          LIMIT 1 BY event_id)
                  GROUP BY queue_id, channel))
      GROUP BY queue_id, channel
      ORDER BY queue_id, channel`,
    {
      tenantId: params.tenantId,
      from: toChDateTime(params.from),
      firstMinute: toChDateTime(firstMinute),
      to: toChDateTime(params.to),
    },
    liveRead,
  );
}
