import type { Db } from './client.ts';
import { auditLog } from './schema.ts';
import { withTenant } from './tenancy.ts';

/** Records who read or changed something sensitive (ids only, never content). */
export async function recordAudit(db: Db, entry: { tenantId: string; userId: string; action: string; objectType: string; objectId: string }): Promise<void> {
  await withTenant(db, entry.tenantId, (tx) => tx.insert(auditLog).values(entry));
}
