import { randomBytes, randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMember } from '@switchboard/api';
import { schema, seedSchedulingDefaults, seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { callApi, cookieOf, signIn } from './support/api-client.ts';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * An administrator edits the center's configuration one item at a time over the web API, as
 * /admin does: each kind created and updated under the import's rules and audited on its id,
 * an agent's contract and a queue's planning group set beside it, invalid items refused with
 * their problems by field, removal only of what nothing uses, other roles and tenants refused.
 */

const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
const engines = databaseUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

let t: TestHost;
let tenants: string[] = [];
let tenantA: string;
let adminA: string;
let adminB: string;
let planner: string;
const password = `pw-${randomBytes(12).toString('hex')}`;
let run: string;

type Lists = {
  skills: { id: string; name: string; agents: number; queues: number }[];
  teams: { id: string; name: string; agents: number }[];
  agents: {
    id: string;
    display_name: string;
    team_id: string;
    teamName: string;
    skills: { skill_id: string; proficiency: number }[];
    contractId: string | null;
    contractName: string | null;
  }[];
  queues: { id: string; sl_target: number; planningGroupId: string | null; planningGroupName: string | null }[];
  bots: { id: string; channels: string[]; intents: number }[];
  intents: { id: string; label: string }[];
  contracts: { id: string; name: string }[];
  planningGroups: { id: string; key: string; name: string }[];
};
type Saved = { id: string; created: boolean; changes: string[] };
type ErrorBody = { message: string; data: { code: string; httpStatus: number; issues?: { path: string; message: string }[] } };

const list = async (cookie: string) => (await callApi(t.url, cookie, 'admin.center.list')).data as Lists;

/** A mutation over HTTP with the whole error body (the problems by field are in its issues). */
async function mutate(cookie: string, path: string, input: unknown): Promise<{ status: number; data?: unknown; error?: ErrorBody }> {
  const res = await fetch(`${t.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { cookie, origin: t.url, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: unknown }; error?: ErrorBody };
  return { status: res.status, data: body.result?.data, error: body.error };
}

async function save(cookie: string, input: Record<string, unknown>): Promise<Saved> {
  const res = await mutate(cookie, 'admin.center.save', input);
  expect(res.status, res.error?.message).toBe(200);
  return res.data as Saved;
}

const window = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
async function centerAudit(cookie: string) {
  const page = (await callApi(t.url, cookie, 'admin.audit', { ...window(), action: 'center.' }, { query: true })).data as {
    entries: { action: string; objectType: string; objectId: string; userName: string | null }[];
  };
  return page.entries;
}

const shift = { start_minute: 1320, length_minutes: 480, weekdays: [1, 2, 3, 4, 5], breaks: [{ kind: 'lunch', offset_minutes: 240, minutes: 30 }] };
const newAgent = {
  id: 'agent-night-1',
  display_name: 'Noor Night',
  team_id: 'night',
  skills: [
    { skill_id: 'mortgages_uk', proficiency: 4 },
    { skill_id: 'cards', proficiency: 2 },
  ],
  chat_concurrency: 2,
  shift,
};
const newQueue = { id: 'mortgage-voice', name: 'Mortgages', channel: 'voice', skill_id: 'mortgages_uk', sl_threshold_s: 30, sl_target: 0.85 };

async function member(email: string, role: 'admin' | 'planner' | 'supervisor', tenantId: string, teamKeys?: string[]): Promise<string> {
  await ensureMember(t.host.auth, t.host.db.db, { email, name: `${role} ${email}`, password, role, tenantId, teamKeys });
  return cookieOf(await signIn(t.url, email, password));
}

describe.each(engines)('[%s] the center item by item', (engine) => {
  beforeAll(async () => {
    // Each engine its own users and tenants: PostgreSQL outlives the run.
    run = randomUUID().slice(0, 8);
    t = await startTestHost(engine === 'postgres' ? { DATABASE_URL: databaseUrl! } : {});
    const db = t.host.db.db;
    tenantA = await seedTenant(db, { slug: `center-a-${run}`, name: 'Center A', config: demoCenter });
    const tenantB = await seedTenant(db, { slug: `center-b-${run}`, name: 'Center B', config: demoCenter });
    tenants = [tenantA, tenantB];
    await seedSchedulingDefaults(db, tenantA);
    adminA = await member(`admin-${run}@a.center.test`, 'admin', tenantA);
    planner = await member(`planner-${run}@a.center.test`, 'planner', tenantA);
    adminB = await member(`admin-${run}@b.center.test`, 'admin', tenantB);
  });

  afterAll(async () => {
    if (!t) return;
    await t.host.db.db.delete(schema.tenants).where(inArray(schema.tenants.id, tenants));
    await t.stop();
  });

  it('lists every kind with what uses each item, the agents’ contracts and the queues’ planning groups', async () => {
    const lists = await list(adminA);
    expect(lists.skills.find((s) => s.id === 'cards')).toMatchObject({ name: 'Cards', queues: 1 });
    expect(lists.skills.find((s) => s.id === 'cards')!.agents).toBe(demoCenter.agents.filter((a) => a.skills.some((s) => s.skill_id === 'cards')).length);
    expect(lists.teams.find((tm) => tm.id === 'retail-a')!.agents).toBe(demoCenter.agents.filter((a) => a.team_id === 'retail-a').length);
    // The scheduling defaults: a full-time contract for a full day's shift, one planning group per channel.
    expect(lists.agents.find((a) => a.id === 'agent-001')).toMatchObject({ teamName: 'Retail Banking A', contractName: 'Full time' });
    expect(lists.queues.find((q) => q.id === 'general-voice')).toMatchObject({ planningGroupName: 'Voice' });
    expect(lists.bots).toEqual([expect.objectContaining({ id: 'ava', intents: demoCenter.intents.length })]);
    expect(lists.contracts.map((c) => c.name).sort()).toEqual(['Full time', 'Part time']);
    expect(lists.planningGroups.map((g) => g.key)).toEqual(['chat', 'email', 'voice']);
  });

  it('creates and updates each kind, with the agent’s contract and the queue’s planning group, each change audited on its id', async () => {
    const { contracts, planningGroups } = await list(adminA);
    const contract = (name: string) => contracts.find((c) => c.name === name)!.id;
    const group = (key: string) => planningGroups.find((g) => g.key === key)!.id;

    expect(await save(adminA, { list: 'skills', create: true, item: { id: 'mortgages_uk', name: 'UK mortgages' } })).toEqual({
      id: 'mortgages_uk',
      created: true,
      changes: [],
    });
    expect((await save(adminA, { list: 'skills', create: false, item: { id: 'mortgages_uk', name: 'UK mortgage advice' } })).changes).toEqual([
      'name: UK mortgages → UK mortgage advice',
    ]);
    await save(adminA, { list: 'teams', create: true, item: { id: 'night', name: 'Night' } });
    expect((await save(adminA, { list: 'teams', create: false, item: { id: 'night', name: 'Night shift' } })).changes).toEqual(['name: Night → Night shift']);

    expect((await save(adminA, { list: 'agents', create: true, item: newAgent, contractId: contract('Part time') })).created).toBe(true);
    let agent = (await list(adminA)).agents.find((a) => a.id === newAgent.id)!;
    expect(agent).toMatchObject({ teamName: 'Night shift', contractName: 'Part time', chat_concurrency: 2 });
    expect(agent.skills).toEqual([
      { skill_id: 'cards', proficiency: 2 },
      { skill_id: 'mortgages_uk', proficiency: 4 },
    ]);
    const moved = await save(adminA, {
      list: 'agents',
      create: false,
      item: { ...newAgent, team_id: 'retail-a', skills: [{ skill_id: 'mortgages_uk', proficiency: 5 }] },
      contractId: contract('Full time'),
    });
    expect(moved.changes).toEqual(['team_id: night → retail-a', 'skills: cards:2;mortgages_uk:4 → mortgages_uk:5', 'contract: Part time → Full time']);
    agent = (await list(adminA)).agents.find((a) => a.id === newAgent.id)!;
    expect(agent).toMatchObject({ team_id: 'retail-a', skills: [{ skill_id: 'mortgages_uk', proficiency: 5 }], contractName: 'Full time' });

    await save(adminA, { list: 'queues', create: true, item: newQueue, planningGroupId: group('voice') });
    expect((await list(adminA)).queues.find((q) => q.id === newQueue.id)).toMatchObject({ planningGroupName: 'Voice', sl_target: 0.85 });
    const regrouped = await save(adminA, { list: 'queues', create: false, item: { ...newQueue, sl_target: 0.9 }, planningGroupId: group('chat') });
    expect(regrouped.changes).toEqual(['sl_target: 0.85 → 0.9', 'planning group: Voice → Chat']);
    expect((await save(adminA, { list: 'queues', create: false, item: { ...newQueue, sl_target: 0.9 }, planningGroupId: null })).changes).toEqual([
      'planning group: Chat → (none)',
    ]);
    const queue = (await list(adminA)).queues.find((q) => q.id === newQueue.id)!;
    expect(queue).toMatchObject({ sl_target: 0.9, planningGroupId: null });

    await save(adminA, { list: 'bots', create: true, item: { id: 'max', name: 'Max', channels: ['chat'] } });
    expect((await save(adminA, { list: 'bots', create: false, item: { id: 'max', name: 'Max', channels: ['chat', 'voice'] } })).changes).toEqual([
      'channels: chat → chat;voice',
    ]);
    await save(adminA, { list: 'intents', create: true, item: { id: 'mortgage_rates', bot_id: 'max', label: 'Rates', queue_id: newQueue.id } });
    await save(adminA, { list: 'intents', create: false, item: { id: 'mortgage_rates', bot_id: 'max', label: 'Mortgage rates', queue_id: newQueue.id } });
    expect((await list(adminA)).intents.find((i) => i.id === 'mortgage_rates')?.label).toBe('Mortgage rates');

    // Saving an item as it is changes nothing and records nothing.
    const before = (await centerAudit(adminA)).length;
    expect((await save(adminA, { list: 'skills', create: false, item: { id: 'mortgages_uk', name: 'UK mortgage advice' } })).changes).toEqual([]);
    const entries = await centerAudit(adminA);
    expect(entries.length).toBe(before);
    expect(entries.map((e) => `${e.action} ${e.objectType} ${e.objectId}`).sort()).toEqual(
      [
        'center.skill.create skill mortgages_uk',
        'center.skill.update skill mortgages_uk',
        'center.team.create team night',
        'center.team.update team night',
        'center.agent.create agent agent-night-1',
        'center.agent.update agent agent-night-1',
        'center.queue.create queue mortgage-voice',
        'center.queue.update queue mortgage-voice',
        'center.bot.create bot max',
        'center.bot.update bot max',
        'center.intent.create intent mortgage_rates',
        'center.intent.update intent mortgage_rates',
      ].sort(),
    );
    expect(new Set(entries.map((e) => e.userName))).toEqual(new Set([`admin admin-${run}@a.center.test`]));
    // The contract and the planning group are saved, and audited, by the schedules' own functions.
    const all = (await callApi(t.url, adminA, 'admin.audit', window(), { query: true })).data as {
      entries: { action: string; objectType: string; userName: string | null }[];
    };
    const byAdmin = all.entries.filter((e) => e.userName !== null);
    expect(byAdmin.filter((e) => e.objectType === 'agent_work_rules').length).toBe(2);
    expect(byAdmin.filter((e) => e.objectType === 'planning_group').length).toBe(3);
  });

  it('refuses an invalid item with 400 and its problems by field, and changes nothing', async () => {
    const before = await list(adminA);
    const bad = await mutate(adminA, 'admin.center.save', {
      list: 'agents',
      create: false,
      item: {
        ...newAgent,
        team_id: 'nowhere',
        skills: [{ skill_id: 'mortgages_uk', proficiency: 9 }],
        shift: { ...shift, breaks: [{ kind: 'lunch', offset_minutes: 470, minutes: 30 }] },
      },
      contractId: randomUUID(),
    });
    expect(bad.status).toBe(400);
    expect(bad.error!.data.issues).toEqual(
      expect.arrayContaining([
        { path: 'skills[0].proficiency', message: 'Too big: expected number to be <=5' },
        { path: 'team_id', message: 'unknown team "nowhere"' },
        { path: 'shift.breaks[0]', message: 'lunch from minute 470 to 500 ends after the 480-minute shift' },
        { path: 'contractId', message: 'no such work contract' },
      ]),
    );
    expect(bad.error!.message).toContain('team_id: unknown team "nowhere"');

    const threshold = await mutate(adminA, 'admin.center.save', { list: 'queues', create: false, item: { ...newQueue, sl_threshold_s: 25 } });
    expect(threshold.status).toBe(400);
    expect(threshold.error!.data.issues).toEqual([{ path: 'sl_threshold_s', message: 'expected one of 10, 15, 20, 30, 45, 60, 90, 120, 180, 300' }]);

    // An Add with an id in use would overwrite that item: refused.
    const taken = await mutate(adminA, 'admin.center.save', { list: 'skills', create: true, item: { id: 'cards', name: 'Overwritten' } });
    expect(taken.status).toBe(400);
    expect(taken.error!.data.issues).toEqual([{ path: 'id', message: 'skill "cards" exists already: edit it instead' }]);
    const notAnId = await mutate(adminA, 'admin.center.save', { list: 'teams', create: true, item: { id: 'Night Owls', name: '' } });
    expect(notAnId.error!.data.issues!.map((i) => i.path).sort()).toEqual(['id', 'name']);

    expect((await mutate(adminA, 'admin.center.save', { list: 'skills', create: false, item: { id: 'no-such-skill', name: 'X' } })).status).toBe(404);
    expect(await list(adminA)).toEqual(before);
  });

  it('removes only what nothing uses; agents and queues cannot be removed', async () => {
    const remove = (cookie: string, listName: string, id: string) => mutate(cookie, 'admin.center.remove', { list: listName, id });
    const refusal = async (listName: string, id: string) => {
      const res = await remove(adminA, listName, id);
      expect(res.status, `${listName} ${id}`).toBe(409);
      return res.error!.message;
    };
    const cardsAgents = demoCenter.agents.filter((a) => a.skills.some((s) => s.skill_id === 'cards')).length;
    expect(await refusal('skills', 'cards')).toBe(`skill "cards" is still used by ${cardsAgents} agents and 1 queue`);
    expect(await refusal('teams', 'retail-a')).toMatch(/^team "retail-a" is still used by \d+ agents$/);
    expect(await refusal('bots', 'max')).toBe('bot "max" is still used by 1 intent');
    await save(adminA, { list: 'teams', create: true, item: { id: 'watched', name: 'Watched' } });
    await member(`supervisor-${run}@a.center.test`, 'supervisor', tenantA, ['watched']);
    expect(await refusal('teams', 'watched')).toBe('team "watched" is still used by 1 supervisor');

    expect((await remove(adminA, 'intents', 'mortgage_rates')).status).toBe(200);
    expect((await remove(adminA, 'bots', 'max')).status).toBe(200);
    expect((await remove(adminA, 'teams', 'night')).status).toBe(200);
    await save(adminA, { list: 'skills', create: true, item: { id: 'spare', name: 'Spare' } });
    expect((await remove(adminA, 'skills', 'spare')).status).toBe(200);
    expect((await remove(adminA, 'skills', 'spare')).status).toBe(404);
    expect((await remove(adminA, 'agents', newAgent.id)).status).toBe(400);
    expect((await remove(adminA, 'queues', newQueue.id)).status).toBe(400);

    const lists = await list(adminA);
    expect(lists.bots.map((b) => b.id)).toEqual(['ava']);
    expect(lists.intents.map((i) => i.id)).not.toContain('mortgage_rates');
    expect(lists.teams.map((tm) => tm.id)).not.toContain('night');
    expect(lists.agents.map((a) => a.id)).toContain(newAgent.id);
    const removals = (await centerAudit(adminA)).filter((e) => e.action.endsWith('.remove'));
    expect(removals.map((e) => `${e.action} ${e.objectId}`).sort()).toEqual([
      'center.bot.remove max',
      'center.intent.remove mortgage_rates',
      'center.skill.remove spare',
      'center.team.remove night',
    ]);
  });

  it('is for administrators only', async () => {
    expect((await callApi(t.url, planner, 'admin.center.list')).status).toBe(403);
    expect((await mutate(planner, 'admin.center.save', { list: 'skills', create: true, item: { id: 'by-planner', name: 'X' } })).status).toBe(403);
    expect((await mutate(planner, 'admin.center.remove', { list: 'intents', id: 'check_balance' })).status).toBe(403);
    expect((await mutate('', 'admin.center.remove', { list: 'intents', id: 'check_balance' })).status).toBe(401);
    expect((await list(adminA)).skills.map((s) => s.id)).not.toContain('by-planner');
  });

  it('another tenant’s administrator neither sees nor changes this center, even under the same ids', async () => {
    const lists = await list(adminB);
    expect(lists.skills.map((s) => s.id)).not.toContain('mortgages_uk');
    expect(lists.queues.map((q) => q.id)).not.toContain(newQueue.id);
    expect(lists.contracts).toEqual([]);

    expect((await mutate(adminB, 'admin.center.save', { list: 'queues', create: false, item: newQueue })).status).toBe(404);
    expect((await mutate(adminB, 'admin.center.remove', { list: 'skills', id: 'watched' })).status).toBe(404);
    const contractOfA = (await list(adminA)).contracts[0]!.id;
    const foreign = await mutate(adminB, 'admin.center.save', { list: 'agents', create: false, item: demoCenter.agents[0], contractId: contractOfA });
    expect(foreign.error!.data.issues).toEqual([{ path: 'contractId', message: 'no such work contract' }]);

    // The same id in B is B's own item.
    await save(adminB, { list: 'skills', create: false, item: { id: 'cards', name: 'Cards in B' } });
    expect((await mutate(adminB, 'admin.center.remove', { list: 'intents', id: 'check_balance' })).status).toBe(200);
    const a = await list(adminA);
    expect(a.skills.find((s) => s.id === 'cards')?.name).toBe('Cards');
    expect(a.intents.map((i) => i.id)).toContain('check_balance');
    expect((await centerAudit(adminA)).map((e) => e.objectId)).not.toContain('check_balance');
  });
});
