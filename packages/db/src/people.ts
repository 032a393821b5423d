import { and, eq, inArray, isNotNull, isNull, like, max, ne, or, sql } from 'drizzle-orm';
import type { Role } from './access.ts';
import { setMembership } from './access.ts';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { accounts, agents, memberships, sessions, supervisorTeams, teams, users } from './schema.ts';
import { withTenant } from './tenancy.ts';

/** The people of a tenant as its administrators manage them. Every change is audited with the admin who made it. */

export interface Person {
  userId: string;
  name: string;
  email: string;
  role: Role;
  agentKey: string | null;
  teamKeys: string[];
  qualityLead: boolean;
  /** Invited and has neither set a password nor signed in through the identity provider yet. */
  invited: boolean;
  /** Has a password. */
  password: boolean;
  /** Has signed in through the tenant's identity provider. */
  sso: boolean;
  /** Confirms sign-ins with an authenticator app. */
  twoFactor: boolean;
  deactivatedAt: Date | null;
  /** The last time one of their sessions was used (to the hour: better-auth refreshes sessions hourly). */
  lastSeenAt: Date | null;
}

/** A change refused for what it asks (the last administrator, yourself): the API answers it as a conflict. */
export class PeopleRuleError extends Error {}

export async function listPeople(db: Db, tenantId: string): Promise<Person[]> {
  const rows = await withTenant(db, tenantId, async (tx) => {
    const members = await tx
      .select({
        userId: memberships.userId,
        role: memberships.role,
        qualityLead: memberships.qualityLead,
        deactivatedAt: memberships.deactivatedAt,
        agentKey: agents.key,
      })
      .from(memberships)
      .leftJoin(agents, and(eq(agents.tenantId, memberships.tenantId), eq(agents.id, memberships.agentId)))
      .where(eq(memberships.tenantId, tenantId));
    const supervised = await tx
      .select({ userId: supervisorTeams.userId, teamKey: teams.key })
      .from(supervisorTeams)
      .innerJoin(teams, and(eq(teams.tenantId, supervisorTeams.tenantId), eq(teams.id, supervisorTeams.teamId)))
      .where(eq(supervisorTeams.tenantId, tenantId));
    return { members, supervised };
  });
  if (rows.members.length === 0) return [];
  const ids = rows.members.map((m) => m.userId);
  // Users, accounts and sessions are not a tenant's rows: read as getMembership reads users.
  const people = await db
    .select({ id: users.id, name: users.name, email: users.email, twoFactor: users.twoFactorEnabled })
    .from(users)
    .where(inArray(users.id, ids));
  const ways = await db
    .select({ userId: accounts.userId, providerId: accounts.providerId })
    .from(accounts)
    .where(and(inArray(accounts.userId, ids), or(isNotNull(accounts.password), like(accounts.providerId, 'oidc:%'))));
  const seen = await db
    .select({ userId: sessions.userId, at: max(sessions.updatedAt) })
    .from(sessions)
    .where(inArray(sessions.userId, ids))
    .groupBy(sessions.userId);
  const viaSso = new Set(ways.filter((a) => a.providerId.startsWith('oidc:')).map((a) => a.userId));
  const withPassword = new Set(ways.filter((a) => !a.providerId.startsWith('oidc:')).map((a) => a.userId));
  return rows.members
    .map((m) => {
      const user = people.find((p) => p.id === m.userId);
      return {
        userId: m.userId,
        name: user?.name ?? m.userId,
        email: user?.email ?? '',
        role: m.role,
        agentKey: m.agentKey,
        teamKeys: rows.supervised
          .filter((s) => s.userId === m.userId)
          .map((s) => s.teamKey)
          .sort(),
        qualityLead: m.role === 'admin' || m.qualityLead,
        invited: !withPassword.has(m.userId) && !viaSso.has(m.userId),
        password: withPassword.has(m.userId),
        sso: viaSso.has(m.userId),
        twoFactor: user?.twoFactor ?? false,
        deactivatedAt: m.deactivatedAt,
        lastSeenAt: seen.find((s) => s.userId === m.userId)?.at ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether the tenant keeps another active administrator besides `userId`: a tenant must never lose its last one. */
async function hasOtherActiveAdmin(db: Db, tenantId: string, userId: string): Promise<boolean> {
  const count = await withTenant(db, tenantId, (tx) =>
    tx.$count(
      memberships,
      and(eq(memberships.tenantId, tenantId), eq(memberships.role, 'admin'), isNull(memberships.deactivatedAt), ne(memberships.userId, userId)),
    ),
  );
  return count > 0;
}

async function getMemberRole(db: Db, tenantId: string, userId: string): Promise<{ role: Role; deactivatedAt: Date | null } | null> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ role: memberships.role, deactivatedAt: memberships.deactivatedAt })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId))),
  );
  return row ?? null;
}

export interface PersonChange {
  userId: string;
  role: Role;
  agentKey?: string | undefined;
  teamKeys?: readonly string[] | undefined;
  qualityLead?: boolean | undefined;
}

/** Changes a member's role and scope. False when they are not a member of this tenant. */
export async function updatePerson(db: Db, tenantId: string, actorId: string, change: PersonChange): Promise<boolean> {
  const current = await getMemberRole(db, tenantId, change.userId);
  if (!current) return false;
  if (current.role === 'admin' && change.role !== 'admin' && !current.deactivatedAt && !(await hasOtherActiveAdmin(db, tenantId, change.userId))) {
    throw new PeopleRuleError('this is the last active administrator: make someone else an administrator first');
  }
  await setMembership(db, { ...change, tenantId }, { actorId, action: 'person.update' });
  return true;
}

/**
 * Deactivates a member (their sessions are ended, their history kept) or activates them
 * again. False when they are not a member or already in that state.
 */
export async function setPersonDeactivated(db: Db, tenantId: string, actorId: string, userId: string, deactivated: boolean): Promise<boolean> {
  const current = await getMemberRole(db, tenantId, userId);
  if (!current || (current.deactivatedAt !== null) === deactivated) return false;
  if (deactivated && userId === actorId) throw new PeopleRuleError('you cannot deactivate yourself');
  if (deactivated && current.role === 'admin' && !(await hasOtherActiveAdmin(db, tenantId, userId))) {
    throw new PeopleRuleError('this is the last active administrator: make someone else an administrator first');
  }
  await withTenant(db, tenantId, async (tx) => {
    await tx
      .update(memberships)
      .set({ deactivatedAt: deactivated ? sql`now()` : null })
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
    await audit(tx, tenantId, actorId, deactivated ? 'person.deactivate' : 'person.activate', 'user', userId);
  });
  if (deactivated) await db.delete(sessions).where(eq(sessions.userId, userId));
  return true;
}
