import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows, toChDateTime, UInt64 } from './rows.ts';

/**
 * Distinct events per type whose occurred_at falls in [from, to). Counting by event_id
 * keeps the figure exact even if a duplicate slipped past idempotency and is not merged yet.
 */
export function countEventsByType(client: ClickHouseClient, params: { tenantId: string; from: Date; to: Date }): Promise<{ type: string; events: number }[]> {
  return queryRows(
    client,
    z.object({ type: z.string(), events: UInt64 }),
    `SELECT type, uniqExact(event_id) AS events
       FROM events
      WHERE tenant_id = {tenantId:String}
        AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
      GROUP BY type ORDER BY type`,
    { tenantId: params.tenantId, from: toChDateTime(params.from), to: toChDateTime(params.to) },
  );
}

export const IngestKeyRecord = z.object({ tenant_id: z.string(), ingest_key: z.string(), accepted: UInt64 });
export type IngestKeyRecord = z.infer<typeof IngestKeyRecord>;

/**
 * Idempotency keys whose events were stored since `since`, with how many events each
 * stored. Ingest loads them at start so a batch retried across a restart is not stored again.
 */
export function listStoredIngestKeys(client: ClickHouseClient, params: { since: Date }): Promise<IngestKeyRecord[]> {
  return queryRows(
    client,
    IngestKeyRecord,
    `SELECT tenant_id, ingest_key, count() AS accepted
       FROM events
      WHERE received_at >= {since:DateTime64(3, 'UTC')} AND ingest_key != ''
      GROUP BY tenant_id, ingest_key`,
    { since: toChDateTime(params.since) },
  );
}

/** Milliseconds the engine has spent merging parts since it started (its own counter). */
export async function getMergeMilliseconds(client: ClickHouseClient): Promise<number> {
  const [row] = await queryRows(client, z.object({ ms: UInt64 }), `SELECT sum(value) AS ms FROM system.events WHERE event = 'MergeTotalMilliseconds'`, {});
  return row?.ms ?? 0;
}
