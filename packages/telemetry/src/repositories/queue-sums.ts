import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { serviceLevelThresholdsS, SHORT_ABANDON_MS } from '@switchboard/contracts';
import type { QueueSums } from '@switchboard/kpis';
import { liveRead } from '../client.ts';
import { queryRows, toChDateTime, UInt64 } from './rows.ts';

/**
 * Per-queue sums (the KPI catalogue's QueueSums) read either from the 15-minute rollup or,
 * for windows the rollup cannot cut (the wallboard's rolling 30 minutes), from raw events
 * with the same expressions as the rollup's materialized view.
 */

const within = serviceLevelThresholdsS.map((t) => `answered_within_${t}s`);
const additive = [
  'offered',
  'answered',
  ...within,
  'abandoned',
  'short_abandoned',
  'wait_answered_ms_sum',
  'wait_abandoned_ms_sum',
  'handled',
  'talk_ms_sum',
  'hold_ms_sum',
  'wrapups',
  'wrapup_ms_sum',
  'holds',
  'transferred',
] as const;

/** SELECT list over `queue_interval_15m`. */
export const rollupQueueSumsSql = [...additive.map((c) => `sum(${c}) AS ${c}`), 'max(wait_ms_max) AS wait_ms_max'].join(', ');

/** The same sums from raw `events` (mirrors migrations/clickhouse/0002's view). */
const rawQueueSumsSql = [
  `countIf(type = 'interaction.offered') AS offered`,
  `countIf(type = 'interaction.answered') AS answered`,
  ...serviceLevelThresholdsS.map((t) => `countIf(type = 'interaction.answered' AND wait_ms <= ${t * 1000}) AS answered_within_${t}s`),
  `countIf(type = 'interaction.abandoned') AS abandoned`,
  `countIf(type = 'interaction.abandoned' AND wait_ms < ${SHORT_ABANDON_MS}) AS short_abandoned`,
  `sumIf(toUInt64(wait_ms), type = 'interaction.answered') AS wait_answered_ms_sum`,
  `sumIf(toUInt64(wait_ms), type = 'interaction.abandoned') AS wait_abandoned_ms_sum`,
  `countIf(type = 'interaction.ended') AS handled`,
  `sumIf(toUInt64(talk_ms), type = 'interaction.ended') AS talk_ms_sum`,
  `sumIf(toUInt64(hold_ms), type = 'interaction.ended') AS hold_ms_sum`,
  `countIf(type = 'interaction.wrapup_ended') AS wrapups`,
  `sumIf(toUInt64(wrapup_ms), type = 'interaction.wrapup_ended') AS wrapup_ms_sum`,
  `countIf(type = 'interaction.held') AS holds`,
  `countIf(type = 'interaction.transferred') AS transferred`,
  `maxIf(wait_ms, type IN ('interaction.answered', 'interaction.abandoned')) AS wait_ms_max`,
].join(',\n       ');

const sumColumns = [...additive, 'wait_ms_max'];
/** A zod shape of every column of `rollupQueueSumsSql`. */
export const queueSumsShape = Object.fromEntries(sumColumns.map((c) => [c, UInt64])) as Record<string, typeof UInt64>;

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

/** Sums per queue and channel of the events that occurred in [from, to), from raw events: for short rolling windows. */
export function getRecentQueueSums(client: ClickHouseClient, params: Window): Promise<QueueSumsRow[]> {
  return queryRows(
    client,
    QueueSumsRow,
    `SELECT queue_id, channel,
       ${rawQueueSumsSql}
       FROM events
      WHERE tenant_id = {tenantId:String}
        AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
        AND startsWith(type, 'interaction.')
      GROUP BY queue_id, channel
      ORDER BY queue_id, channel`,
    { tenantId: params.tenantId, from: toChDateTime(params.from), to: toChDateTime(params.to) },
    liveRead,
  );
}
