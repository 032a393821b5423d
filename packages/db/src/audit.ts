import { and, desc, eq, gte, inArray, like, lt, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { auditLog, tenants, users } from './schema.ts';
import { withTenant, type Tx } from './tenancy.ts';

/** Records who read or changed something sensitive (ids only, never content). */
export async function recordAudit(
  db: Db,
  entry: { tenantId: string; userId: string | null; action: string; objectType: string; objectId: string },
): Promise<void> {
  await withTenant(db, entry.tenantId, (tx) => tx.insert(auditLog).values(entry));
}

/** Records a change inside the transaction that makes it, so the change and its record stand or fall together. */
export async function audit(tx: Tx, tenantId: string, userId: string | null, action: string, objectType: string, objectId: string): Promise<void> {
  await tx.insert(auditLog).values({ tenantId, userId, action, objectType, objectId });
}

export interface AuditEntry {
  id: string;
  at: Date;
  userId: string | null;
  userName: string | null;
  action: string;
  objectType: string;
  objectId: string;
}

export interface AuditFilter {
  from: Date;
  to: Date;
  /** Actions starting with this (`api_key.` for every key action). */
  action?: string | undefined;
  userId?: string | undefined;
  objectType?: string | undefined;
  /** Entries strictly older than this one (the last of the previous page). */
  before?: { at: Date; id: string } | undefined;
  limit: number;
}

/** The tenant's audit trail, newest first, one page at a time, with the names of who acted. */
export async function listAudit(db: Db, tenantId: string, filter: AuditFilter): Promise<AuditEntry[]> {
  const rows = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.tenantId, tenantId),
            gte(auditLog.at, filter.from),
            lt(auditLog.at, filter.to),
            filter.action ? like(auditLog.action, `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
            filter.userId ? eq(auditLog.userId, filter.userId) : undefined,
            filter.objectType ? eq(auditLog.objectType, filter.objectType) : undefined,
            filter.before ? sql`(${auditLog.at}, ${auditLog.id}) < (${filter.before.at}, ${filter.before.id})` : undefined,
          ),
        )
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(filter.limit),
    { accessMode: 'read only' },
  );
  const userIds = [...new Set(rows.flatMap((r) => (r.userId ? [r.userId] : [])))];
  // Users are not a tenant's rows: their names are read as getMembership reads them.
  const names = userIds.length > 0 ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds)) : [];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.userId,
    userName: names.find((n) => n.id === r.userId)?.name ?? null,
    action: r.action,
    objectType: r.objectType,
    objectId: r.objectId,
  }));
}

/**
 * Deletes audit entries older than each tenant's retention. The application's role may only
 * add to the trail (see migration 0002): this runs as the owner, from the host's maintenance.
 */
export async function purgeExpiredAudit(db: Db): Promise<number> {
  const deleted = await db
    .delete(auditLog)
    .where(
      sql`${auditLog.at} < now() - make_interval(days => (select ${tenants.auditRetentionDays} from ${tenants} where ${tenants.id} = ${auditLog.tenantId}))`,
    )
    .returning({ id: auditLog.id });
  return deleted.length;
}

/**
 * The certificate of a customer's erasure: `erasure.customer` on the customer named by the hash of its reference
 * (never the reference), and one `erasure.customer.table` entry per table whose object id is `{hash}:{rows changed}`
 * (the trail has no column for figures), in one transaction. No user: an operator command asks for it. A certificate
 * for the hash already recorded since `since` (the run's start: a retried activity) is not recorded again.
 */
export async function recordErasureCertificate(
  db: Db,
  input: { tenantId: string; refHash: string; since: Date; counts: Record<string, number> },
): Promise<boolean> {
  return recordCertificate(db, { ...input, action: 'erasure.customer', objectType: 'customer', objectId: input.refHash });
}

/**
 * The certificate of a departed agent's erasure, as the customer's: `erasure.agent` on the agent's id (never a name or
 * an e-mail) and one `erasure.agent.table` entry per target, `{agent id}:{rows changed}`.
 */
export async function recordAgentErasureCertificate(
  db: Db,
  input: { tenantId: string; agentId: string; since: Date; counts: Record<string, number> },
): Promise<boolean> {
  return recordCertificate(db, { ...input, action: 'erasure.agent', objectType: 'agent', objectId: input.agentId });
}

async function recordCertificate(
  db: Db,
  input: { tenantId: string; action: string; objectType: string; objectId: string; since: Date; counts: Record<string, number> },
): Promise<boolean> {
  return withTenant(db, input.tenantId, async (tx) => {
    const [existing] = await tx
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(
        and(eq(auditLog.tenantId, input.tenantId), eq(auditLog.action, input.action), eq(auditLog.objectId, input.objectId), gte(auditLog.at, input.since)),
      )
      .limit(1);
    if (existing) return false;
    const tables = Object.entries(input.counts).map(([table, rows]) => ({
      tenantId: input.tenantId,
      userId: null,
      action: `${input.action}.table`,
      objectType: table,
      objectId: `${input.objectId}:${rows}`,
    }));
    await tx
      .insert(auditLog)
      .values([{ tenantId: input.tenantId, userId: null, action: input.action, objectType: input.objectType, objectId: input.objectId }, ...tables]);
    return true;
  });
}
