import type { Db } from './client.ts';
import { auditLog } from './schema.ts';
import { withTenant, type Tx } from './tenancy.ts';

/** Records who read or changed something sensitive (ids only, never content). */
export async function recordAudit(db: Db, entry: { tenantId: string; userId: string; action: string; objectType: string; objectId: string }): Promise<void> {
  await withTenant(db, entry.tenantId, (tx) => tx.insert(auditLog).values(entry));
}

/** Records a change inside the transaction that makes it, so the change and its record stand or fall together. */
export async function audit(tx: Tx, tenantId: string, userId: string | null, action: string, objectType: string, objectId: string): Promise<void> {
  await tx.insert(auditLog).values({ tenantId, userId, action, objectType, objectId });
}
