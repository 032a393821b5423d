import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows, toChDateTime, UInt64 } from './rows.ts';

export const QueueTotals = z.object({
  queue_id: z.string(),
  channel: z.string(),
  offered: UInt64,
  answered: UInt64,
  abandoned: UInt64,
  handled: UInt64,
  wait_answered_ms_sum: UInt64,
});
export type QueueTotals = z.infer<typeof QueueTotals>;

/** Per queue and channel totals over [from, to), served from the 15-minute rollup. */
export function getQueueTotals(
  client: ClickHouseClient,
  params: { tenantId: string; from: Date; to: Date },
): Promise<QueueTotals[]> {
  return queryRows(
    client,
    QueueTotals,
    `SELECT queue_id, channel, sum(offered) AS offered, sum(answered) AS answered, sum(abandoned) AS abandoned,
            sum(handled) AS handled, sum(wait_answered_ms_sum) AS wait_answered_ms_sum
       FROM queue_interval_15m
      WHERE tenant_id = {tenantId:String}
        AND interval_start >= toStartOfFifteenMinutes({from:DateTime64(3, 'UTC')})
        AND interval_start < {to:DateTime64(3, 'UTC')}
      GROUP BY queue_id, channel
      ORDER BY queue_id, channel`,
    { tenantId: params.tenantId, from: toChDateTime(params.from), to: toChDateTime(params.to) },
  );
}
