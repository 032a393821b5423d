import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { memberships, ssoConnections, ssoDomains, tenants, users } from './schema.ts';
import { audit } from './audit.ts';
import { enterTenant, withTenant } from './tenancy.ts';
import type { Role } from './access.ts';

/** A tenant's identity provider as stored: the client secret stays sealed (packages/api seals and opens it). */
export interface SsoConnection {
  tenantId: string;
  issuer: string;
  clientId: string;
  clientSecretSealed: string;
  /** Lower case, sorted. */
  domains: string[];
  provisioning: 'jit' | 'invite';
  jitRole: Role | null;
  updatedAt: Date;
}

export class SsoDomainTakenError extends Error {}

export async function getSsoConnection(db: Db, tenantId: string): Promise<SsoConnection | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx.select().from(ssoConnections).where(eq(ssoConnections.tenantId, tenantId));
    if (!row) return null;
    const domains = await tx.select({ domain: ssoDomains.domain }).from(ssoDomains).where(eq(ssoDomains.tenantId, tenantId)).orderBy(ssoDomains.domain);
    return {
      tenantId,
      issuer: row.issuer,
      clientId: row.clientId,
      clientSecretSealed: row.clientSecretSealed,
      domains: domains.map((d) => d.domain),
      provisioning: row.provisioning === 'jit' ? 'jit' : 'invite',
      jitRole: row.jitRole,
      updatedAt: row.updatedAt,
    };
  });
}

/**
 * The connection of the tenant an e-mail domain belongs to, for a sign-in that has not found
 * its tenant yet (read outside any tenant, as getMembership's first read is); null when no
 * tenant signs that domain in, or the tenant is disabled.
 */
export async function findSsoConnectionByDomain(db: Db, domain: string): Promise<SsoConnection | null> {
  const [row] = await db
    .select({ tenantId: ssoDomains.tenantId })
    .from(ssoDomains)
    .innerJoin(tenants, eq(tenants.id, ssoDomains.tenantId))
    .where(and(eq(ssoDomains.domain, domain.toLowerCase()), sql`${tenants.disabledAt} is null`));
  return row ? getSsoConnection(db, row.tenantId) : null;
}

export interface SsoConnectionInput {
  issuer: string;
  clientId: string;
  /** Kept when null: an administrator changing the domains does not retype the secret. */
  clientSecretSealed: string | null;
  domains: string[];
  provisioning: 'jit' | 'invite';
  jitRole: Role | null;
}

/** Creates or replaces the tenant's connection, audited; a domain another tenant holds is refused with SsoDomainTakenError. */
export async function saveSsoConnection(db: Db, tenantId: string, actorId: string, input: SsoConnectionInput): Promise<void> {
  const domains = [...new Set(input.domains.map((d) => d.toLowerCase()))];
  // The owner connection sees every tenant's domains: the app role could not tell "taken" from "free".
  const taken =
    domains.length === 0
      ? []
      : await db
          .select({ domain: ssoDomains.domain })
          .from(ssoDomains)
          .where(and(inArray(ssoDomains.domain, domains), ne(ssoDomains.tenantId, tenantId)));
  if (taken.length > 0) throw new SsoDomainTakenError(`${taken.map((t) => t.domain).join(', ')} already signs in to another organisation`);
  await withTenant(db, tenantId, async (tx) => {
    const [existing] = await tx.select({ sealed: ssoConnections.clientSecretSealed }).from(ssoConnections).where(eq(ssoConnections.tenantId, tenantId));
    const sealed = input.clientSecretSealed ?? existing?.sealed;
    if (!sealed) throw new Error('a new single sign-on connection needs its client secret');
    const row = {
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecretSealed: sealed,
      provisioning: input.provisioning,
      jitRole: input.provisioning === 'jit' ? input.jitRole : null,
      updatedBy: actorId,
      updatedAt: new Date(),
    };
    await tx
      .insert(ssoConnections)
      .values({ tenantId, ...row })
      .onConflictDoUpdate({ target: ssoConnections.tenantId, set: row });
    await tx.delete(ssoDomains).where(eq(ssoDomains.tenantId, tenantId));
    if (domains.length > 0) await tx.insert(ssoDomains).values(domains.map((domain) => ({ domain, tenantId })));
    await audit(tx, tenantId, actorId, existing ? 'sso.update' : 'sso.create', 'sso_connection', tenantId);
  });
}

/** Removes the connection (and its domains); password sign-in comes back on, or nobody could sign in. */
export async function deleteSsoConnection(db: Db, tenantId: string, actorId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.update(tenants).set({ passwordSignIn: true }).where(eq(tenants.id, tenantId));
    await enterTenant(tx, tenantId);
    const deleted = await tx.delete(ssoConnections).where(eq(ssoConnections.tenantId, tenantId)).returning({ tenantId: ssoConnections.tenantId });
    if (deleted.length > 0) await audit(tx, tenantId, actorId, 'sso.delete', 'sso_connection', tenantId);
    return deleted.length > 0;
  });
}

/** Switches password sign-in for the tenant's members, audited. Off needs a connection (checked by the caller). */
export async function setPasswordSignIn(db: Db, tenantId: string, actorId: string, enabled: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(tenants).set({ passwordSignIn: enabled }).where(eq(tenants.id, tenantId));
    await enterTenant(tx, tenantId);
    await audit(tx, tenantId, actorId, enabled ? 'password_sign_in.enable' : 'password_sign_in.disable', 'tenant', tenantId);
  });
}

/** Whether the tenant of the account with this e-mail lets it sign in with a password (true for an unknown e-mail: the normal refusal follows). */
export async function passwordSignInAllowed(db: Db, email: string): Promise<boolean> {
  const [row] = await db
    .select({ allowed: tenants.passwordSignIn })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row?.allowed ?? true;
}

/** Where an account stands for a sign-in: its tenant and whether it is deactivated; null without a membership. */
export async function getMemberStanding(db: Db, userId: string): Promise<{ tenantId: string; deactivated: boolean } | null> {
  const [row] = await db
    .select({ tenantId: memberships.tenantId, deactivatedAt: memberships.deactivatedAt })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  return row ? { tenantId: row.tenantId, deactivated: row.deactivatedAt !== null } : null;
}
