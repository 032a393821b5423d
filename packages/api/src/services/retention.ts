import { z } from 'zod';
import { getTenantById, listPendingRetention, markRetentionApplied, setDataRetention, type Db } from '@switchboard/db';
import { applyTenantRetention, MAX_REJECTION_RETENTION_DAYS, tenantRetention, type TelemetryStore } from '@switchboard/telemetry';
import type { ApiServices } from '../context.ts';
import type { Access } from '../trpc.ts';

/** How long a tenant keeps its raw events, transcripts' words and rejected events; rollups and imported history are kept longer. */

export const DataRetentionInput = z
  .object({
    /** From a month (reports of the last weeks still drill to their events) to ten years. */
    retentionDays: z.int().min(30).max(3650),
    /** null: as long as the raw events. */
    transcriptRetentionDays: z.int().min(1).max(3650).nullable(),
    rejectionRetentionDays: z.int().min(1).max(MAX_REJECTION_RETENTION_DAYS),
  })
  .refine((r) => r.transcriptRetentionDays === null || r.transcriptRetentionDays <= r.retentionDays, {
    message: 'transcripts cannot be kept longer than the events they belong to',
    path: ['transcriptRetentionDays'],
  })
  .refine((r) => r.rejectionRetentionDays <= r.retentionDays, {
    message: 'rejected events cannot be kept longer than events',
    path: ['rejectionRetentionDays'],
  });

export async function getRetentionView(services: ApiServices, access: Access) {
  const tenant = (await getTenantById(services.db, access.tenantId))!;
  return {
    retentionDays: tenant.retentionDays,
    transcriptRetentionDays: tenant.transcriptRetentionDays,
    rejectionRetentionDays: tenant.rejectionRetentionDays,
    auditRetentionDays: tenant.auditRetentionDays,
    /** The change is still being written to the stored rows (it is retried at the host's next start if it fails). */
    pending: tenant.retentionPending,
  };
}

/**
 * Writes every tenant's pending retention into the rows ClickHouse holds (asynchronous
 * mutations; the TTLs then delete what has expired at the next merges) and clears the mark.
 * The host runs it at start, so a change a crash or a ClickHouse failure interrupted is finished.
 */
export async function applyPendingRetention(db: Db, telemetry: TelemetryStore['client']): Promise<number> {
  const pending = await listPendingRetention(db);
  for (const tenant of pending) {
    await applyTenantRetention(telemetry, tenant.id, tenantRetention(tenant), { wait: false });
    await markRetentionApplied(db, tenant.id, tenant);
  }
  return pending.length;
}

export async function setDataRetentionView(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof DataRetentionInput>) {
  await setDataRetention(services.db, access.tenantId, actorId, input);
  // Ingest writes a tenant's retention into each new row: the keys it has checked carry the old one.
  services.apiKeysChanged();
  await applyPendingRetention(services.db, services.telemetry);
  return getRetentionView(services, access);
}
