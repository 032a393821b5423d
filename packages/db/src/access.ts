import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { roles } from './schema.ts';
import { agents, memberships, supervisorTeams, teams, tenants, users } from './schema.ts';
import { audit } from './audit.ts';
import { withTenant } from './tenancy.ts';

export type Role = (typeof roles)[number];

/** What a signed-in user is in their tenant: role, and the teams or agent they are scoped to. */
export interface Membership {
  userId: string;
  name: string;
  tenantId: string;
  role: Role;
  /** The agent a user with role agent is (database id and telemetry key). */
  agent: { id: string; key: string } | null;
  /** Teams a supervisor is scoped to. */
  teamIds: string[];
  /** Runs calibration and decides disputes (an analyst or supervisor given it; admins have it by role). */
  qualityLead: boolean;
}

/**
 * The signed-in user's membership (none while they are deactivated or their tenant is disabled). The first read runs outside any tenant (it is what tells
 * which tenant the user belongs to); the rest runs inside that tenant.
 */
export async function getMembership(db: Db, userId: string): Promise<Membership | null> {
  const [row] = await db
    .select({
      userId: memberships.userId,
      name: users.name,
      tenantId: memberships.tenantId,
      role: memberships.role,
      qualityLead: memberships.qualityLead,
      agentId: agents.id,
      agentKey: agents.key,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(tenants, and(eq(tenants.id, memberships.tenantId), isNull(tenants.disabledAt)))
    .leftJoin(agents, and(eq(agents.tenantId, memberships.tenantId), eq(agents.id, memberships.agentId)))
    .where(and(eq(memberships.userId, userId), isNull(memberships.deactivatedAt)));
  if (!row) return null;
  const teamRows =
    row.role === 'supervisor'
      ? await withTenant(db, row.tenantId, (tx) =>
          tx
            .select({ teamId: supervisorTeams.teamId })
            .from(supervisorTeams)
            .where(and(eq(supervisorTeams.tenantId, row.tenantId), eq(supervisorTeams.userId, userId))),
        )
      : [];
  return {
    userId: row.userId,
    name: row.name,
    tenantId: row.tenantId,
    role: row.role,
    agent: row.agentId && row.agentKey ? { id: row.agentId, key: row.agentKey } : null,
    teamIds: teamRows.map((t) => t.teamId),
    qualityLead: row.role === 'admin' || row.qualityLead,
  };
}

/**
 * Gives a user a role in a tenant (replacing any earlier one). `agentKey` links an agent
 * user to their agent; `teamKeys` scopes a supervisor. With `change`, audited in the same
 * transaction. A deactivated member stays deactivated.
 */
export async function setMembership(
  db: Db,
  input: {
    userId: string;
    tenantId: string;
    role: Role;
    agentKey?: string | undefined;
    teamKeys?: readonly string[] | undefined;
    qualityLead?: boolean | undefined;
  },
  change?: { actorId: string; action: string },
): Promise<void> {
  await withTenant(db, input.tenantId, async (tx) => {
    if (change) await audit(tx, input.tenantId, change.actorId, change.action, 'user', input.userId);
    let agentId: string | null = null;
    if (input.role === 'agent') {
      if (!input.agentKey) throw new Error('a member with role agent needs agentKey');
      const [agent] = await tx
        .select({ id: agents.id })
        .from(agents)
        .where(and(eq(agents.tenantId, input.tenantId), eq(agents.key, input.agentKey)));
      if (!agent) throw new Error(`no agent "${input.agentKey}" in this tenant`);
      agentId = agent.id;
    }
    if (input.qualityLead && input.role !== 'analyst' && input.role !== 'supervisor')
      throw new Error('only an analyst or a supervisor can be made a quality lead');
    const row = { userId: input.userId, tenantId: input.tenantId, role: input.role, agentId, qualityLead: input.qualityLead ?? false };
    await tx.insert(memberships).values(row).onConflictDoUpdate({ target: memberships.userId, set: row });
    await tx.delete(supervisorTeams).where(eq(supervisorTeams.userId, input.userId));
    if (input.role === 'supervisor' && input.teamKeys?.length) {
      const teamRows = await tx
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(teams.tenantId, input.tenantId), inArray(teams.key, [...input.teamKeys])));
      if (teamRows.length !== input.teamKeys.length) throw new Error('some teamKeys are not teams of this tenant');
      await tx.insert(supervisorTeams).values(teamRows.map((t) => ({ tenantId: input.tenantId, userId: input.userId, teamId: t.id })));
    }
  });
}

/** Members of a tenant with one of `roles`, by name: who can be asked to take part (calibration). */
export async function listMembers(
  db: Db,
  tenantId: string,
  roles: readonly Role[],
): Promise<{ userId: string; name: string; role: Role; qualityLead: boolean }[]> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ userId: memberships.userId, role: memberships.role, qualityLead: memberships.qualityLead })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.role, [...roles]))),
  );
  if (rows.length === 0) return [];
  // Users are not a tenant's rows: their names are read as getMembership reads them.
  const names = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(
      inArray(
        users.id,
        rows.map((r) => r.userId),
      ),
    );
  return rows
    .map((r) => ({ ...r, name: names.find((n) => n.id === r.userId)?.name ?? r.userId, qualityLead: r.role === 'admin' || r.qualityLead }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
