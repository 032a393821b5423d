import {
  CenterConfig,
  centerLists,
  diffCenterConfig,
  formatCenterDiff,
  mergeCenterConfig,
  parseCenterCsv,
  validateCenterConfig,
  type CenterList,
  type ImportProblem,
} from '@switchboard/contracts';
import { and, count, eq, getTableColumns, or, sql, type SQL } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';
import { audit } from './audit.ts';
import { agents, agentSkills, agentWorkRules, bots, evaluationPlans, intents, queues, skills, supervisorTeams, teams, tenants } from './schema.ts';
import { listPlanningGroups, listWorkContracts, saveAgentWorkRules, savePlanningGroup } from './schedules.ts';
import { enterTenant, withTenant, type Tx } from './tenancy.ts';

/**
 * A CenterConfig that can be stored: ids unique per kind and every reference pointing at
 * something in the same config. Postgres would refuse the rest with a less helpful error.
 */
const SeedableCenterConfig = CenterConfig.superRefine((config, ctx) => {
  const idsOf = (kind: keyof CenterConfig, items: readonly { id: string }[]) => {
    const ids = new Set<string>();
    items.forEach(({ id }, i) => {
      if (ids.has(id)) ctx.addIssue({ code: 'custom', path: [kind, i, 'id'], message: `duplicate id "${id}"` });
      ids.add(id);
    });
    return ids;
  };
  const requireRef = (ids: Set<string>, id: string, path: (string | number)[]) => {
    if (!ids.has(id)) ctx.addIssue({ code: 'custom', path, message: `unknown id "${id}"` });
  };
  const skillIds = idsOf('skills', config.skills);
  const teamIds = idsOf('teams', config.teams);
  const queueIds = idsOf('queues', config.queues);
  const botIds = idsOf('bots', config.bots);
  idsOf('agents', config.agents);
  idsOf('intents', config.intents);
  config.agents.forEach((agent, i) => {
    requireRef(teamIds, agent.team_id, ['agents', i, 'team_id']);
    const agentSkillIds = new Set<string>();
    agent.skills.forEach(({ skill_id }, j) => {
      requireRef(skillIds, skill_id, ['agents', i, 'skills', j, 'skill_id']);
      if (agentSkillIds.has(skill_id)) ctx.addIssue({ code: 'custom', path: ['agents', i, 'skills', j], message: `duplicate skill "${skill_id}"` });
      agentSkillIds.add(skill_id);
    });
  });
  config.queues.forEach((queue, i) => requireRef(skillIds, queue.skill_id, ['queues', i, 'skill_id']));
  config.intents.forEach((intent, i) => {
    requireRef(botIds, intent.bot_id, ['intents', i, 'bot_id']);
    requireRef(queueIds, intent.queue_id, ['intents', i, 'queue_id']);
  });
});

const casing = new CasingCache('snake_case');

const excluded = (column: PgColumn): SQL => sql`excluded.${sql.identifier(casing.getColumnCasing(column))}`;

/**
 * ON CONFLICT DO UPDATE of `keys`, only where a value differs: seeding an unchanged config
 * writes no row versions at all.
 */
function updateChanged<T extends PgTable>(table: T, keys: readonly (keyof T['$inferInsert'] & string)[]) {
  const columns: Record<string, PgColumn> = getTableColumns(table);
  const changed = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`no column ${key}`);
    return [key, column] as const;
  });
  const current = changed.map(([, column]) => column);
  const incoming = changed.map(([, column]) => excluded(column));
  return {
    set: Object.fromEntries(changed.map(([key, column]) => [key, excluded(column)])) as PgUpdateSetSource<T>,
    setWhere: sql`(${sql.join(current, sql`, `)}) is distinct from (${sql.join(incoming, sql`, `)})`,
  };
}

// Keeps every statement well under Postgres' 65,535 bind parameters.
const BATCH_ROWS = 1_000;

function batches<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += BATCH_ROWS) out.push(rows.slice(i, i + BATCH_ROWS));
  return out;
}

function lookup(map: ReadonlyMap<string, string>, key: string): string {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no row for "${key}"`);
  return value;
}

async function selectIdsByKey(tx: Tx, table: typeof skills | typeof teams | typeof agents | typeof queues | typeof bots, tenantId: string) {
  const rows = await tx.select({ id: table.id, key: table.key }).from(table).where(eq(table.tenantId, tenantId));
  return new Map(rows.map((r) => [r.key, r.id]));
}

/**
 * Creates or updates the tenant and everything in `config`, in one transaction, and returns
 * the tenant id. Running it again with the same config changes nothing. It never deletes
 * skills, teams, agents, queues, bots or intents missing from the config (other data will
 * point at them); an agent's skill set, though, is replaced, as it is part of the agent.
 * With `audit`, the change is recorded in the same transaction.
 */
export async function seedTenant(
  db: Db,
  input: { slug: string; name: string; config: CenterConfig; audit?: { action: string; userId: string | null } },
): Promise<string> {
  const config = SeedableCenterConfig.parse(input.config);
  return db.transaction(async (tx) => {
    const tenantRow = { slug: input.slug, name: input.name, timezone: config.timezone };
    await tx
      .insert(tenants)
      .values(tenantRow)
      .onConflictDoUpdate({ target: tenants.slug, ...updateChanged(tenants, ['name', 'timezone']) });
    const [tenant] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, input.slug));
    if (!tenant) throw new Error(`tenant "${input.slug}" was not stored`);
    const tenantId = tenant.id;
    // Creating the tenant is provisioning; filling it in is the tenant's own work.
    await enterTenant(tx, tenantId);

    await writeCenterItems(tx, tenantId, config);
    if (input.audit) await audit(tx, tenantId, input.audit.userId, input.audit.action, 'center_config', tenantId);
    return tenantId;
  });
}

/**
 * Upserts every item of `config` by key, in seedTenant's order; references are looked up among
 * the stored rows, so `config` may hold only some items once those it refers to are stored.
 */
async function writeCenterItems(tx: Tx, tenantId: string, config: CenterConfig): Promise<void> {
  for (const rows of batches(config.skills.map((s) => ({ tenantId, key: s.id, name: s.name })))) {
    await tx
      .insert(skills)
      .values(rows)
      .onConflictDoUpdate({ target: [skills.tenantId, skills.key], ...updateChanged(skills, ['name']) });
  }
  const skillIds = await selectIdsByKey(tx, skills, tenantId);

  for (const rows of batches(config.teams.map((t) => ({ tenantId, key: t.id, name: t.name })))) {
    await tx
      .insert(teams)
      .values(rows)
      .onConflictDoUpdate({ target: [teams.tenantId, teams.key], ...updateChanged(teams, ['name']) });
  }
  const teamIds = await selectIdsByKey(tx, teams, tenantId);

  const agentRows = config.agents.map((a) => ({
    tenantId,
    key: a.id,
    displayName: a.display_name,
    teamId: lookup(teamIds, a.team_id),
    chatConcurrency: a.chat_concurrency,
    shift: a.shift,
  }));
  for (const rows of batches(agentRows)) {
    await tx
      .insert(agents)
      .values(rows)
      .onConflictDoUpdate({
        target: [agents.tenantId, agents.key],
        ...updateChanged(agents, ['displayName', 'teamId', 'chatConcurrency', 'shift']),
      });
  }
  const agentIds = await selectIdsByKey(tx, agents, tenantId);
  await replaceAgentSkills(tx, tenantId, config, agentIds, skillIds);

  const queueRows = config.queues.map((q) => ({
    tenantId,
    key: q.id,
    name: q.name,
    channel: q.channel,
    skillId: lookup(skillIds, q.skill_id),
    slThresholdS: q.sl_threshold_s,
    slTarget: q.sl_target,
  }));
  for (const rows of batches(queueRows)) {
    await tx
      .insert(queues)
      .values(rows)
      .onConflictDoUpdate({
        target: [queues.tenantId, queues.key],
        ...updateChanged(queues, ['name', 'channel', 'skillId', 'slThresholdS', 'slTarget']),
      });
  }
  const queueIds = await selectIdsByKey(tx, queues, tenantId);

  for (const rows of batches(config.bots.map((b) => ({ tenantId, key: b.id, name: b.name, channels: b.channels })))) {
    await tx
      .insert(bots)
      .values(rows)
      .onConflictDoUpdate({ target: [bots.tenantId, bots.key], ...updateChanged(bots, ['name', 'channels']) });
  }
  const botIds = await selectIdsByKey(tx, bots, tenantId);

  const intentRows = config.intents.map((i) => ({
    tenantId,
    key: i.id,
    botId: lookup(botIds, i.bot_id),
    label: i.label,
    queueId: lookup(queueIds, i.queue_id),
  }));
  for (const rows of batches(intentRows)) {
    await tx
      .insert(intents)
      .values(rows)
      .onConflictDoUpdate({ target: [intents.tenantId, intents.key], ...updateChanged(intents, ['botId', 'label', 'queueId']) });
  }
}

async function replaceAgentSkills(
  tx: Tx,
  tenantId: string,
  config: CenterConfig,
  agentIds: ReadonlyMap<string, string>,
  skillIds: ReadonlyMap<string, string>,
): Promise<void> {
  const wanted = config.agents.flatMap((a) =>
    a.skills.map((s) => ({ tenantId, agentId: lookup(agentIds, a.id), skillId: lookup(skillIds, s.skill_id), proficiency: s.proficiency })),
  );
  const wantedPairs = new Set(wanted.map((w) => `${w.agentId}/${w.skillId}`));
  const seededAgents = new Set(wanted.map((w) => w.agentId));
  const existing = await tx.select({ agentId: agentSkills.agentId, skillId: agentSkills.skillId }).from(agentSkills).where(eq(agentSkills.tenantId, tenantId));
  const stale = existing.filter((e) => seededAgents.has(e.agentId) && !wantedPairs.has(`${e.agentId}/${e.skillId}`));
  for (const rows of batches(stale)) {
    await tx
      .delete(agentSkills)
      .where(and(eq(agentSkills.tenantId, tenantId), or(...rows.map((r) => and(eq(agentSkills.agentId, r.agentId), eq(agentSkills.skillId, r.skillId))))));
  }
  for (const rows of batches(wanted)) {
    await tx
      .insert(agentSkills)
      .values(rows)
      .onConflictDoUpdate({
        target: [agentSkills.tenantId, agentSkills.agentId, agentSkills.skillId],
        ...updateChanged(agentSkills, ['proficiency']),
      });
  }
}

// Code-point order, the same on every engine and collation.
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: { id: string }, b: { id: string }) => compareIds(a.id, b.id);

/**
 * The tenant's configuration as seedTenant stores it, every list in id order; null for an
 * unknown tenant. Read in one snapshot so a concurrent seed is seen whole or not at all.
 */
export async function getCenterConfig(db: Db, tenantId: string): Promise<CenterConfig | null> {
  return withTenant(db, tenantId, (tx) => readCenterConfig(tx, tenantId), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function readCenterConfig(tx: Tx, tenantId: string): Promise<CenterConfig | null> {
  const [tenant] = await tx.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) return null;
  const skillRows = await tx.select().from(skills).where(eq(skills.tenantId, tenantId));
  const teamRows = await tx.select().from(teams).where(eq(teams.tenantId, tenantId));
  const agentRows = await tx.select().from(agents).where(eq(agents.tenantId, tenantId));
  const agentSkillRows = await tx.select().from(agentSkills).where(eq(agentSkills.tenantId, tenantId));
  const queueRows = await tx.select().from(queues).where(eq(queues.tenantId, tenantId));
  const botRows = await tx.select().from(bots).where(eq(bots.tenantId, tenantId));
  const intentRows = await tx.select().from(intents).where(eq(intents.tenantId, tenantId));

  const keyById = (rows: readonly { id: string; key: string }[]) => new Map(rows.map((r) => [r.id, r.key]));
  const skillKeys = keyById(skillRows);
  const teamKeys = keyById(teamRows);
  const queueKeys = keyById(queueRows);
  const botKeys = keyById(botRows);

  const skillsByAgent = new Map<string, { skill_id: string; proficiency: number }[]>();
  for (const s of agentSkillRows) {
    const list = skillsByAgent.get(s.agentId) ?? [];
    list.push({ skill_id: lookup(skillKeys, s.skillId), proficiency: s.proficiency });
    skillsByAgent.set(s.agentId, list);
  }

  // Parsed at the boundary: jsonb and text columns are only as typed as what was written.
  return CenterConfig.parse({
    timezone: tenant.timezone,
    skills: skillRows.map((s) => ({ id: s.key, name: s.name })).sort(byId),
    teams: teamRows.map((t) => ({ id: t.key, name: t.name })).sort(byId),
    agents: agentRows
      .map((a) => ({
        id: a.key,
        display_name: a.displayName,
        team_id: lookup(teamKeys, a.teamId),
        skills: (skillsByAgent.get(a.id) ?? []).sort((x, y) => compareIds(x.skill_id, y.skill_id)),
        chat_concurrency: a.chatConcurrency,
        shift: a.shift,
      }))
      .sort(byId),
    queues: queueRows
      .map((q) => ({
        id: q.key,
        name: q.name,
        channel: q.channel,
        skill_id: lookup(skillKeys, q.skillId),
        sl_threshold_s: q.slThresholdS,
        sl_target: q.slTarget,
      }))
      .sort(byId),
    bots: botRows.map((b) => ({ id: b.key, name: b.name, channels: b.channels })).sort(byId),
    intents: intentRows.map((i) => ({ id: i.key, bot_id: lookup(botKeys, i.botId), label: i.label, queue_id: lookup(queueKeys, i.queueId) })).sort(byId),
  });
}

/** What an import brings: a whole CenterConfig as JSON, or some of the CSV files by list. */
export type CenterImportSource = { json: unknown } | { csv: Partial<Record<CenterList, string>> };

/**
 * Checks an import as a whole against what the tenant has (every problem, by file, row and
 * column), shows what it would change, and, unless a dry run, applies it in one transaction,
 * audited by `actorId` (null: an operator). Imports add and change; they never delete (see
 * seedTenant). The CLI and the admin screen both come here.
 */
export async function importCenterConfig(
  db: Db,
  tenant: { id: string; slug: string; name: string },
  source: CenterImportSource,
  options: { dryRun: boolean; actorId: string | null },
): Promise<{ problems: ImportProblem[] } | { applied: boolean; diff: string }> {
  const existing = (await getCenterConfig(db, tenant.id))!;
  let incoming: CenterConfig;
  let lists: readonly CenterList[] = centerLists;
  if ('csv' in source) {
    const parsed = parseCenterCsv(source.csv, existing.timezone, existing);
    if ('problems' in parsed) return parsed;
    ({ config: incoming, lists } = parsed);
  } else {
    const problems = validateCenterConfig(source.json, existing);
    if (problems.length > 0) return { problems };
    incoming = CenterConfig.parse(source.json);
  }
  const diff = diffCenterConfig(existing, incoming, lists);
  if (!options.dryRun) {
    await seedTenant(db, {
      slug: tenant.slug,
      name: tenant.name,
      config: mergeCenterConfig(existing, incoming),
      audit: { action: 'center_config.import', userId: options.actorId },
    });
  }
  return { applied: !options.dryRun, diff: formatCenterDiff(diff) };
}

// ── one item at a time (the admin screen) ────────────────────────────────────

/** What the audit trail calls an item of each list. */
const itemNouns = { skills: 'skill', teams: 'team', agents: 'agent', queues: 'queue', bots: 'bot', intents: 'intent' } as const satisfies Record<
  CenterList,
  string
>;

/** A problem with one field of the item (`skills[1].proficiency`; empty for the item as a whole). */
export type CenterItemProblem = { field: string; message: string };

/**
 * One item to create or update. `create` says which the person meant, so an Add never
 * overwrites an item with the same id. Beside an agent, the work contract scheduling uses
 * (absent: unchanged); beside a queue, its planning group (null: none; absent: unchanged).
 */
type CenterItemSave =
  | { list: 'agents'; item: unknown; create: boolean; contractId?: string | undefined }
  | { list: 'queues'; item: unknown; create: boolean; planningGroupId?: string | null | undefined }
  | { list: 'skills' | 'teams' | 'bots' | 'intents'; item: unknown; create: boolean };

type CenterItemSaved = { id: string; created: boolean; changes: string[] };

/** Item saves and removals of one tenant one at a time, so each is checked against what it is applied to. */
async function lockCenterItems(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`center_items:${tenantId}`}, 0))`);
}

const emptyLists = { skills: [], teams: [], agents: [], queues: [], bots: [], intents: [] } satisfies Omit<CenterConfig, 'timezone'>;

/**
 * Creates or updates one item under the import's rules: it is checked by validateCenterConfig
 * as a one-item import against the stored configuration, written as seedTenant writes, and
 * audited `center.<noun>.create|update` on its id, all in one transaction with the agent's
 * contract or the queue's planning group (through the schedules functions, audited there).
 * Answers the problems instead when there are any, and null for an update of an unknown id.
 */
export async function saveCenterItem(db: Db, tenantId: string, change: CenterItemSave, actorId: string | null) {
  return withTenant(db, tenantId, async (tx): Promise<{ problems: CenterItemProblem[] } | { saved: CenterItemSaved } | null> => {
    await lockCenterItems(tx, tenantId);
    const existing = (await readCenterConfig(tx, tenantId))!;
    const { list } = change;
    const noun = itemNouns[list];
    const prefix = `${list}[0]`;
    const problems: CenterItemProblem[] = validateCenterConfig({ timezone: existing.timezone, ...emptyLists, [list]: [change.item] }, existing).map((p) => ({
      field: p.column?.startsWith(prefix) ? p.column.slice(prefix.length).replace(/^\./, '') : '',
      message: p.message,
    }));
    const id = (change.item as { id?: unknown } | null)?.id;
    const stored = existing[list].find((item) => item.id === id);
    if (!change.create && !stored) return null;
    if (change.create && stored) problems.push({ field: 'id', message: `${noun} "${stored.id}" exists already: edit it instead` });

    // The scheduling links live beside the configuration: their functions run as savepoints of this transaction.
    const contracts = change.list === 'agents' && change.contractId !== undefined ? await listWorkContracts(tx, tenantId) : [];
    if (change.list === 'agents' && change.contractId !== undefined && !contracts.some((c) => c.id === change.contractId)) {
      problems.push({ field: 'contractId', message: 'no such work contract' });
    }
    const groups = change.list === 'queues' && change.planningGroupId !== undefined ? await listPlanningGroups(tx, tenantId) : [];
    if (change.list === 'queues' && change.planningGroupId && !groups.some((g) => g.id === change.planningGroupId)) {
      problems.push({ field: 'planningGroupId', message: 'no such planning group' });
    }
    if (problems.length > 0) return { problems };

    const incoming = CenterConfig.parse({ timezone: existing.timezone, ...emptyLists, [list]: [change.item] });
    const item = incoming[list][0]!;
    const listDiff = diffCenterConfig(existing, incoming, [list]).lists[list]!;
    const changes = listDiff.changed.flatMap((c) => c.changes.map((f) => `${f.column}: ${f.from || '(none)'} → ${f.to || '(none)'}`));
    if (listDiff.added.length > 0 || changes.length > 0) {
      await writeCenterItems(tx, tenantId, incoming);
      await audit(tx, tenantId, actorId, `center.${noun}.${stored ? 'update' : 'create'}`, noun, item.id);
    }

    if (change.list === 'agents' && change.contractId !== undefined) {
      const [agent] = await tx
        .select({ id: agents.id })
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), eq(agents.key, item.id)));
      const [rules] = await tx
        .select()
        .from(agentWorkRules)
        .where(and(eq(agentWorkRules.tenantId, tenantId), eq(agentWorkRules.agentId, agent!.id)));
      if (rules?.contractId !== change.contractId) {
        const name = (contractId: string | undefined) => contracts.find((c) => c.id === contractId)?.name ?? '(none)';
        // A new agent's rules start open (any time, no preferences) until a planner sets them.
        await saveAgentWorkRules(tx, tenantId, actorId, {
          agentId: agent!.id,
          contractId: change.contractId,
          timezone: rules?.timezone ?? null,
          availability: rules?.availability ?? null,
          preferredStartFrom: rules?.preferredStartFrom ?? null,
          preferredStartTo: rules?.preferredStartTo ?? null,
          preferredDaysOff: rules?.preferredDaysOff ?? [],
        });
        changes.push(`contract: ${name(rules?.contractId)} → ${name(change.contractId)}`);
      }
    }
    if (change.list === 'queues' && change.planningGroupId !== undefined) {
      const [queue] = await tx
        .select({ id: queues.id })
        .from(queues)
        .where(and(eq(queues.tenantId, tenantId), eq(queues.key, item.id)));
      const queueId = queue!.id;
      const current = groups.find((g) => g.queueIds.includes(queueId));
      const target = groups.find((g) => g.id === change.planningGroupId);
      if (current?.id !== target?.id) {
        // Saving the target group with the queue moves it out of any other; without one, the current group lets it go.
        if (target) await savePlanningGroup(tx, tenantId, actorId, { key: target.key, name: target.name, queueIds: [...target.queueIds, queueId] });
        else if (current)
          await savePlanningGroup(tx, tenantId, actorId, { key: current.key, name: current.name, queueIds: current.queueIds.filter((q) => q !== queueId) });
        changes.push(`planning group: ${current?.name ?? '(none)'} → ${target?.name ?? '(none)'}`);
      }
    }
    return { saved: { id: item.id, created: !stored, changes } };
  });
}

/** The lists whose items can be removed: agents and queues stay, as history refers to them. */
export const removableCenterLists = ['skills', 'teams', 'bots', 'intents'] as const;
type RemovableCenterList = (typeof removableCenterLists)[number];

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Removes one item when nothing depends on it: a skill no agent or queue has, a team with no
 * agents, supervisors or evaluation plans, a bot without intents, any intent. Audited
 * `center.<noun>.remove` on its id. Answers why not when something does, null for an unknown id.
 */
export async function removeCenterItem(db: Db, tenantId: string, list: RemovableCenterList, id: string, actorId: string | null) {
  return withTenant(db, tenantId, async (tx): Promise<{ removed: true } | { blocked: string } | null> => {
    await lockCenterItems(tx, tenantId);
    const table = { skills, teams, bots, intents }[list];
    const [row] = await tx
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.tenantId, tenantId), eq(table.key, id)));
    if (!row) return null;
    const noun = itemNouns[list];
    const countOf = async (from: typeof agentSkills | typeof queues | typeof agents | typeof supervisorTeams | typeof intents, where: SQL) =>
      (
        await tx
          .select({ n: count() })
          .from(from)
          .where(and(eq(from.tenantId, tenantId), where))
      )[0]!.n;
    const users: string[] = [];
    if (list === 'skills') {
      const [agentCount, queueCount] = [await countOf(agentSkills, eq(agentSkills.skillId, row.id)), await countOf(queues, eq(queues.skillId, row.id))];
      if (agentCount > 0) users.push(counted(agentCount, 'agent'));
      if (queueCount > 0) users.push(counted(queueCount, 'queue'));
    } else if (list === 'teams') {
      const [agentCount, supervisorCount] = [
        await countOf(agents, eq(agents.teamId, row.id)),
        await countOf(supervisorTeams, eq(supervisorTeams.teamId, row.id)),
      ];
      const plans = await tx
        .select({ name: evaluationPlans.name })
        .from(evaluationPlans)
        .where(and(eq(evaluationPlans.tenantId, tenantId), sql`${row.id} = any(${evaluationPlans.teamIds})`));
      if (agentCount > 0) users.push(counted(agentCount, 'agent'));
      // Removing the team would quietly narrow a supervisor's scope or change what a plan covers.
      if (supervisorCount > 0) users.push(counted(supervisorCount, 'supervisor'));
      if (plans.length > 0) users.push(`evaluation plan ${plans.map((p) => JSON.stringify(p.name)).join(', ')}`);
    } else if (list === 'bots') {
      // Its intents would go with it (the foreign key cascades): remove them one by one first.
      const intentCount = await countOf(intents, eq(intents.botId, row.id));
      if (intentCount > 0) users.push(counted(intentCount, 'intent'));
    }
    if (users.length > 0) return { blocked: `${noun} "${id}" is still used by ${users.join(' and ')}` };
    await tx.delete(table).where(and(eq(table.tenantId, tenantId), eq(table.id, row.id)));
    await audit(tx, tenantId, actorId, `center.${noun}.remove`, noun, id);
    return { removed: true };
  });
}
