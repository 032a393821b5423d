import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  getCenterConfig,
  listAgentWorkRules,
  listPlanningGroups,
  listWorkContracts,
  removableCenterLists,
  removeCenterItem,
  saveCenterItem,
  type CenterItemProblem,
} from '@switchboard/db';
import type { ApiServices } from '../context.ts';
import { notFound, type Access } from '../trpc.ts';

/**
 * The center's configuration one item at a time, for the admin screen: the same rules, writes
 * and audit as an import (@switchboard/db center-config.ts saveCenterItem), plus the links
 * scheduling keeps beside it (an agent's work contract, a queue's planning group).
 */

/** The item as CenterConfig spells it; validateCenterConfig checks it, so the input only has to be an object. */
const Item = z.record(z.string(), z.unknown());

export const SaveCenterItemInput = z.discriminatedUnion('list', [
  z.object({ list: z.literal('agents'), create: z.boolean(), item: Item, contractId: z.uuid().optional() }),
  z.object({ list: z.literal('queues'), create: z.boolean(), item: Item, planningGroupId: z.uuid().nullable().optional() }),
  z.object({ list: z.enum(['skills', 'teams', 'bots', 'intents']), create: z.boolean(), item: Item }),
]);

export const RemoveCenterItemInput = z.object({ list: z.enum(removableCenterLists), id: z.string().min(1).max(63) });

/** Every list with what the screen shows beside each item, and the contracts and planning groups to choose from. */
export async function listCenterItems(services: ApiServices, access: Access) {
  const [config, contracts, groups, rules] = await Promise.all([
    getCenterConfig(services.db, access.tenantId),
    listWorkContracts(services.db, access.tenantId),
    listPlanningGroups(services.db, access.tenantId),
    listAgentWorkRules(services.db, access.tenantId),
  ]);
  const { skills, teams, agents, queues, bots, intents } = config!;
  const agentKeys = new Map(access.directory.agents.map((a) => [a.id, a.key]));
  const queueKeys = new Map(access.directory.queues.map((q) => [q.id, q.key]));
  const contractOf = new Map(rules.map((r) => [agentKeys.get(r.agentId), contracts.find((c) => c.id === r.contractId)]));
  const groupOf = new Map(groups.flatMap((g) => g.queueIds.map((id) => [queueKeys.get(id), g] as const)));
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  return {
    skills: skills.map((s) => ({
      ...s,
      agents: agents.filter((a) => a.skills.some((as) => as.skill_id === s.id)).length,
      queues: queues.filter((q) => q.skill_id === s.id).length,
    })),
    teams: teams.map((t) => ({ ...t, agents: agents.filter((a) => a.team_id === t.id).length })),
    agents: agents.map((a) => {
      const contract = contractOf.get(a.id);
      return { ...a, teamName: teamName.get(a.team_id) ?? a.team_id, contractId: contract?.id ?? null, contractName: contract?.name ?? null };
    }),
    queues: queues.map((q) => {
      const group = groupOf.get(q.id);
      return { ...q, planningGroupId: group?.id ?? null, planningGroupName: group?.name ?? null };
    }),
    bots: bots.map((b) => ({ ...b, intents: intents.filter((i) => i.bot_id === b.id).length })),
    intents,
    contracts: contracts.map((c) => ({ id: c.id, name: c.name })),
    planningGroups: groups.map((g) => ({ id: g.id, key: g.key, name: g.name })),
  };
}

/**
 * What a refused item answers: 400, the problems as issues by field (the error formatter sends a ZodError's issues, as
 * for any invalid input; ZodRealError is the one that is an Error, which tRPC keeps as the cause) and all of them in the message.
 */
function refused(problems: readonly CenterItemProblem[]): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; '),
    cause: new z.ZodRealError(problems.map((p) => ({ code: 'custom', path: p.field ? [p.field] : [], message: p.message, input: undefined }))),
  });
}

export async function saveCenterItemView(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof SaveCenterItemInput>) {
  const result = await saveCenterItem(services.db, access.tenantId, input, actorId);
  if (!result) throw notFound(`${input.list.replace(/s$/, '')} to edit`);
  if ('problems' in result) throw refused(result.problems);
  // The directory cache would show the old configuration for up to its lifetime.
  services.directory.invalidate(access.tenantId);
  return result.saved;
}

export async function removeCenterItemView(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof RemoveCenterItemInput>) {
  const result = await removeCenterItem(services.db, access.tenantId, input.list, input.id, actorId);
  if (!result) throw notFound(input.list.replace(/s$/, ''));
  if ('blocked' in result) throw new TRPCError({ code: 'CONFLICT', message: result.blocked });
  services.directory.invalidate(access.tenantId);
  return { removed: input.id };
}
