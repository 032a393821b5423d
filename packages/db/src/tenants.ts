import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { audit } from './audit.ts';
import { apiKeys, forecastSettings, memberships, tenants, users } from './schema.ts';
import { enterTenant } from './tenancy.ts';

export type Tenant = typeof tenants.$inferSelect;

export async function createTenant(db: Db, input: { slug: string; name: string; timezone?: string }): Promise<Tenant> {
  const [tenant] = await db.insert(tenants).values(input).returning();
  if (!tenant) throw new Error(`tenant "${input.slug}" was not created`);
  return tenant;
}

export async function getTenantBySlug(db: Db, slug: string): Promise<Tenant | null> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, slug));
  return tenant ?? null;
}

export async function getTenantById(db: Db, id: string): Promise<Tenant | null> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, id));
  return tenant ?? null;
}

/**
 * Creates a tenant with its settings in one transaction, audited as an operator's act (no
 * user). Null when the slug is taken.
 */
export async function provisionTenant(
  db: Db,
  input: { slug: string; name: string; timezone: string; weekStart: number; holidayRegion: string | null },
): Promise<Tenant | null> {
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({ slug: input.slug, name: input.name, timezone: input.timezone, weekStart: input.weekStart })
      .onConflictDoNothing({ target: tenants.slug })
      .returning();
    if (!tenant) return null;
    await enterTenant(tx, tenant.id);
    if (input.holidayRegion) await tx.insert(forecastSettings).values({ tenantId: tenant.id, holidayRegion: input.holidayRegion });
    await audit(tx, tenant.id, null, 'tenant.create', 'tenant', tenant.id);
    return tenant;
  });
}

/** Every tenant's id and time zone: provisioning-level, for jobs that run per tenant (schedules). */
export function listTenantTimezones(db: Db): Promise<{ id: string; timezone: string }[]> {
  return db.select({ id: tenants.id, timezone: tenants.timezone }).from(tenants);
}

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  weekStart: number;
  createdAt: Date;
  disabledAt: Date | null;
  members: number;
  activeKeys: number;
}

/** Every tenant with its people and live API keys counted: what an operator lists. Provisioning-level. */
export async function listTenants(db: Db): Promise<TenantSummary[]> {
  const members = db
    .select({ tenantId: memberships.tenantId, n: count().as('members') })
    .from(memberships)
    .groupBy(memberships.tenantId)
    .as('m');
  const keys = db
    .select({ tenantId: apiKeys.tenantId, n: count().as('active_keys') })
    .from(apiKeys)
    .where(isNull(apiKeys.revokedAt))
    .groupBy(apiKeys.tenantId)
    .as('k');
  const rows = await db
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      timezone: tenants.timezone,
      weekStart: tenants.weekStart,
      createdAt: tenants.createdAt,
      disabledAt: tenants.disabledAt,
      members: sql<number>`coalesce(${members.n}, 0)`.mapWith(Number),
      activeKeys: sql<number>`coalesce(${keys.n}, 0)`.mapWith(Number),
    })
    .from(tenants)
    .leftJoin(members, eq(members.tenantId, tenants.id))
    .leftJoin(keys, eq(keys.tenantId, tenants.id))
    .orderBy(asc(tenants.slug));
  return rows;
}

/**
 * Disables or enables a tenant; false when there is no such tenant or it already was. A
 * disabled tenant's API keys and members are refused (see verifyApiKey and getMembership).
 */
export async function setTenantDisabled(db: Db, tenantId: string, disabled: boolean): Promise<boolean> {
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(tenants)
      .set({ disabledAt: disabled ? sql`now()` : null })
      .where(and(eq(tenants.id, tenantId), disabled ? isNull(tenants.disabledAt) : sql`${tenants.disabledAt} is not null`))
      .returning({ id: tenants.id });
    if (changed.length === 0) return false;
    await enterTenant(tx, tenantId);
    await audit(tx, tenantId, null, disabled ? 'tenant.disable' : 'tenant.enable', 'tenant', tenantId);
    return true;
  });
}

/** Whether anyone has an account with this e-mail address (compared without case). */
export async function userExists(db: Db, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row !== undefined;
}

/** Sets how long the tenant's audit trail is kept, audited by the admin who set it. */
export async function setAuditRetention(db: Db, tenantId: string, actorId: string, days: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(tenants).set({ auditRetentionDays: days }).where(eq(tenants.id, tenantId));
    await enterTenant(tx, tenantId);
    await audit(tx, tenantId, actorId, 'audit_retention.set', 'tenant', tenantId);
  });
}

export interface DataRetention {
  retentionDays: number;
  transcriptRetentionDays: number | null;
  rejectionRetentionDays: number;
}

/**
 * Sets how long the tenant's raw events, transcripts' words and rejected events are kept,
 * audited; marks the change pending until the rows ClickHouse holds carry it (markRetentionApplied).
 */
export async function setDataRetention(db: Db, tenantId: string, actorId: string | null, retention: DataRetention): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(tenants)
      .set({ ...retention, retentionPending: true })
      .where(eq(tenants.id, tenantId));
    await enterTenant(tx, tenantId);
    await audit(tx, tenantId, actorId, 'retention.set', 'tenant', tenantId);
  });
}

/** Tenants whose retention changed without reaching ClickHouse's rows (a failure, a crash), with their settings. */
export function listPendingRetention(db: Db): Promise<({ id: string } & DataRetention)[]> {
  return db
    .select({
      id: tenants.id,
      retentionDays: tenants.retentionDays,
      transcriptRetentionDays: tenants.transcriptRetentionDays,
      rejectionRetentionDays: tenants.rejectionRetentionDays,
    })
    .from(tenants)
    .where(eq(tenants.retentionPending, true));
}

/** Clears the pending mark, unless the settings changed again meanwhile (then that change is still to apply). */
export async function markRetentionApplied(db: Db, tenantId: string, applied: DataRetention): Promise<void> {
  await db
    .update(tenants)
    .set({ retentionPending: false })
    .where(
      and(
        eq(tenants.id, tenantId),
        eq(tenants.retentionDays, applied.retentionDays),
        eq(tenants.rejectionRetentionDays, applied.rejectionRetentionDays),
        applied.transcriptRetentionDays === null
          ? isNull(tenants.transcriptRetentionDays)
          : eq(tenants.transcriptRetentionDays, applied.transcriptRetentionDays),
      ),
    );
}
