import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { agents, agentSkills, bots, intents, queues, teams, tenants } from './schema.ts';
import { withTenant, type Tx } from './tenancy.ts';

/**
 * Read models of a tenant's configuration for screens: the telemetry keys (what events
 * carry) beside the database ids (what foreign keys use) and the display names.
 */

interface QueueEntry {
  id: string;
  key: string;
  name: string;
  channel: (typeof queues.$inferSelect)['channel'];
  skillId: string;
  slThresholdS: number;
  slTarget: number;
}

interface AgentEntry {
  id: string;
  key: string;
  displayName: string;
  teamId: string;
  teamKey: string;
  teamName: string;
  skillIds: string[];
  /** Chats the agent handles at once. */
  chatConcurrency: number;
}

interface TeamEntry {
  id: string;
  key: string;
  name: string;
}

interface IntentEntry {
  key: string;
  label: string;
  botKey: string;
}

export interface Directory {
  timezone: string;
  intents: IntentEntry[];
  queues: QueueEntry[];
  agents: AgentEntry[];
  teams: TeamEntry[];
}

export function getDirectory(db: Db, tenantId: string): Promise<Directory | null> {
  return withTenant(db, tenantId, (tx) => readDirectory(tx, tenantId), { accessMode: 'read only' });
}

async function readDirectory(tx: Tx, tenantId: string): Promise<Directory | null> {
  const [tenant] = await tx.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) return null;
  // One after another: the statements share the transaction's connection anyway.
  const queueRows = await tx
    .select({
      id: queues.id,
      key: queues.key,
      name: queues.name,
      channel: queues.channel,
      skillId: queues.skillId,
      slThresholdS: queues.slThresholdS,
      slTarget: queues.slTarget,
    })
    .from(queues)
    .where(eq(queues.tenantId, tenantId))
    .orderBy(asc(queues.key));
  const teamRows = await tx.select({ id: teams.id, key: teams.key, name: teams.name }).from(teams).where(eq(teams.tenantId, tenantId)).orderBy(asc(teams.key));
  const agentRows = await tx
    .select({ id: agents.id, key: agents.key, displayName: agents.displayName, teamId: agents.teamId, chatConcurrency: agents.chatConcurrency })
    .from(agents)
    .where(eq(agents.tenantId, tenantId))
    .orderBy(asc(agents.key));
  const intentRows = await tx
    .select({ key: intents.key, label: intents.label, botKey: bots.key })
    .from(intents)
    .innerJoin(bots, and(eq(bots.tenantId, intents.tenantId), eq(bots.id, intents.botId)))
    .where(eq(intents.tenantId, tenantId))
    .orderBy(asc(intents.key));
  const skillRows = await tx.select({ agentId: agentSkills.agentId, skillId: agentSkills.skillId }).from(agentSkills).where(eq(agentSkills.tenantId, tenantId));
  const skillsByAgent = new Map<string, string[]>();
  for (const { agentId, skillId } of skillRows) skillsByAgent.set(agentId, [...(skillsByAgent.get(agentId) ?? []), skillId]);
  const teamById = new Map(teamRows.map((t) => [t.id, t]));
  return {
    timezone: tenant.timezone,
    intents: intentRows,
    queues: queueRows,
    teams: teamRows,
    agents: agentRows.map((a) => {
      const team = teamById.get(a.teamId);
      return {
        id: a.id,
        key: a.key,
        displayName: a.displayName,
        teamId: a.teamId,
        teamKey: team?.key ?? '',
        teamName: team?.name ?? '',
        skillIds: skillsByAgent.get(a.id) ?? [],
        chatConcurrency: a.chatConcurrency,
      };
    }),
  };
}
