import type { Db } from './client.ts';
import { auditLog } from './schema.ts';

/** Records who read or changed something sensitive (ids only, never content). */
export async function recordAudit(
  db: Db,
  entry: { tenantId: string; userId: string; action: string; objectType: string; objectId: string },
): Promise<void> {
  await db.insert(auditLog).values(entry);
}
