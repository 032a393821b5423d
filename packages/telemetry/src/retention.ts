import type { ClickHouseClient } from '@clickhouse/client';
import type { TenantRetention } from './event-row.ts';

/**
 * Applies a tenant's (changed) retention to the rows it already has: every row carries its
 * tenant's retention in days (migration 0017), which the tables' TTLs read. Mutations
 * rewrite the tenant's rows that differ; the TTLs then delete (or, for transcript words,
 * blank) what has expired at the next merges. `materialize` also runs the TTLs at once
 * (`MATERIALIZE TTL` rewrites every part: for an operator, not for every change).
 *
 * Idempotent: rows already carrying the retention are left alone, so running it again
 * after a failure, or after the ingest authenticator's cache (60 s) has let a few rows in
 * with the old retention, finishes the job.
 */
export async function applyTenantRetention(
  client: ClickHouseClient,
  tenantId: string,
  retention: TenantRetention,
  options: { wait?: boolean; materialize?: boolean } = {},
): Promise<void> {
  const settings = options.wait === false ? {} : { mutations_sync: '2' };
  const params = { tenantId, events: retention.events, transcripts: retention.transcripts, rejections: retention.rejections };
  await client.command({
    query: `ALTER TABLE events UPDATE retention_days = {events:UInt16}, transcript_retention_days = {transcripts:UInt16}
      WHERE tenant_id = {tenantId:String} AND (retention_days != {events:UInt16} OR transcript_retention_days != {transcripts:UInt16})`,
    query_params: params,
    clickhouse_settings: settings,
  });
  await client.command({
    query: `ALTER TABLE ingest_rejections UPDATE retention_days = {rejections:UInt16}
      WHERE tenant_id = {tenantId:String} AND retention_days != {rejections:UInt16}`,
    query_params: params,
    clickhouse_settings: settings,
  });
  if (options.materialize) {
    for (const table of ['events', 'ingest_rejections']) {
      await client.command({ query: `ALTER TABLE ${table} MATERIALIZE TTL`, clickhouse_settings: settings });
    }
  }
}
