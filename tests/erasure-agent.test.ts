import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ensureMember } from '@switchboard/api';
import { addLocalDays, localDateOf } from '@switchboard/calendar';
import type { CenterConfig, TelemetryEvent } from '@switchboard/contracts';
import {
  agentPseudonym,
  createApiKey,
  erasedUserEmail,
  listAudit,
  listPlanningGroups,
  queueMail,
  schema,
  seedSchedulingDefaults,
  seedTenant,
  setPersonDeactivated,
  type DbHandle,
} from '@switchboard/db';
import { callOperator } from '@switchboard/host';
import { demoCenter } from '@switchboard/simulator';
import { getAgentReport, getAgentStateReport, getQueueReport, queryRows, UInt64 } from '@switchboard/telemetry';
import { agentErasureWorkflowId } from '@switchboard/workflows';
import { runAdmin } from './support/admin-cli.ts';
import { signIn } from './support/api-client.ts';
import { ndjson, post, postAll, sampleInteraction } from './support/events.ts';
import { startTestHost, tempDataDir, type TestHost } from './support/host.ts';
import { seedDispute } from './support/quality.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * Erasure of a departed agent's personal data (`npm run -s admin -- erase agent`): refused for an agent who has not
 * left and without the workflow engine (host stopped), then run by the agent erasure workflow through the running
 * host. Afterwards no Postgres column and no ClickHouse table holds the agent's name or e-mail (canaries), the user
 * cannot sign in, and every figure keyed on the agent is what it was. A second run changes nothing.
 */

const dataDir = tempDataDir('erase-agent');
const hex = randomBytes(4).toString('hex');
// The surname is the canary: unique, and inside the e-mail too, so one search finds both.
const canary = `Qx${hex}`;
const first = 'Ysolde';
const name = `${first} ${canary}`;
const email = `ysolde.${canary.toLowerCase()}@canary.test`;
const password = 'a long enough test password';
const [ERASED, KEPT, ACTIVE, SCHEDULED] = ['agent-001', 'agent-002', 'agent-003', 'agent-004'] as const;
const QUEUE = 'general-voice';
const config: CenterConfig = {
  ...demoCenter,
  agents: demoCenter.agents.slice(0, 4).map((a, i) => ({ ...a, display_name: i === 0 ? name : `Colleague ${i}` })),
};

let env: TestWorkflowEnvironment;
let t: TestHost | undefined;
let tenant: { id: string; slug: string };
let ids: { erased: string; kept: string; user: string };
const admin = (...args: string[]) => runAdmin(dataDir, ...args);
const hostEnv = () => ({ SWITCHBOARD_DATA_DIR: dataDir, TEMPORAL_ADDRESS: env.address });

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  t = await startTestHost(hostEnv());
}, 180_000);

afterAll(async () => {
  await t?.stop();
  await env?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

// ── searching the stores (as tests/erasure.test.ts does) ─────────────────────

/** Every string column of every ClickHouse table (views left out) holding the needle, any case: `table.column: rows`. */
async function clickhouseHits(client: ClickHouseClient, needle: string): Promise<string[]> {
  const columns = await queryRows(
    client,
    z.object({ table: z.string(), name: z.string() }),
    `SELECT table, name FROM system.columns
     WHERE database = currentDatabase() AND type LIKE '%String%'
       AND table IN (SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree%')`,
    {},
  );
  expect(columns.map((c) => `${c.table}.${c.name}`)).toEqual(expect.arrayContaining(['events.text', 'ingest_rejections.raw', 'schedule_activities.agent_id']));
  const hits: string[] = [];
  for (const { table, name } of columns) {
    // sql-safe: table and column names come from system.columns, not from input.
    const [row] = await queryRows(
      client,
      z.object({ n: UInt64 }),
      `SELECT count() AS n FROM \`${table}\` WHERE positionCaseInsensitiveUTF8(toString(\`${name}\`), {needle:String}) > 0`,
      { needle },
    );
    if (row!.n > 0) hits.push(`${table}.${name}: ${row!.n}`);
  }
  return hits;
}

async function pgRows(handle: DbHandle, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (handle.kind === 'pglite') return (await handle.client.query<Record<string, unknown>>(text, params)).rows;
  return (await handle.pool.query(text, params)).rows as Record<string, unknown>[];
}

/** Every text, varchar, json and array column of every Postgres table holding the needle, any case. */
async function postgresHits(handle: DbHandle, needle: string): Promise<string[]> {
  const columns = (await pgRows(
    handle,
    `SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
       AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')`,
  )) as { table_schema: string; table_name: string; column_name: string }[];
  expect(columns.some((c) => c.table_name === 'users' && c.column_name === 'email')).toBe(true);
  const hits: string[] = [];
  for (const c of columns) {
    // sql-safe: schema, table and column names come from information_schema, not from input.
    const [row] = await pgRows(
      handle,
      `SELECT count(*)::int AS n FROM "${c.table_schema}"."${c.table_name}" WHERE strpos(lower("${c.column_name}"::text), lower($1)) > 0`,
      [needle],
    );
    if (Number(row!.n) > 0) hits.push(`${c.table_name}.${c.column_name}: ${String(row!.n)}`);
  }
  return hits.sort();
}

const NEEDLES = [canary, email, name];

async function hitsEverywhere(host: TestHost): Promise<Record<string, string[]>> {
  const hits: Record<string, string[]> = {};
  for (const needle of NEEDLES) hits[needle] = [...(await clickhouseHits(host.host.telemetry.client, needle)), ...(await postgresHits(host.host.db, needle))];
  return hits;
}

// ── the tenant ───────────────────────────────────────────────────────────────

const at = new Date(Date.now() - 3 * 3_600_000);
const ts = (offsetMs: number) => new Date(at.getTime() + offsetMs).toISOString();

/** An interaction of `agent` in the queue (offered → answered → ended → wrap-up), with transcript segments. */
function interaction(agent: string, offsetMs: number, segments: { speaker: 'agent' | 'customer'; text: string }[]): TelemetryEvent[] {
  const events = sampleInteraction(new Date(at.getTime() + offsetMs), { queue_id: QUEUE }).map((e) =>
    'agent_id' in e ? ({ ...e, agent_id: agent } as TelemetryEvent) : e,
  );
  const { interaction_id, occurred_at } = events[2] as TelemetryEvent & { interaction_id: string };
  return [
    ...events,
    ...segments.map((s, i): TelemetryEvent => ({
      event_id: randomUUID(),
      schema_version: 1,
      occurred_at,
      sent_at: occurred_at,
      source: 'voice',
      type: 'transcript.segment',
      interaction_id,
      segment_index: i,
      speaker: s.speaker,
      ...(s.speaker === 'agent' ? { agent_id: agent } : {}),
      start_ms: i * 5_000,
      end_ms: i * 5_000 + 4_000,
      text: s.text,
    })),
  ];
}

function agentState(
  agent: string,
  offsetMs: number,
  state: 'available' | 'on_interaction' | 'break',
  previous?: { state: 'available' | 'on_interaction'; ms: number },
) {
  return {
    event_id: randomUUID(),
    schema_version: 1,
    occurred_at: ts(offsetMs),
    sent_at: ts(offsetMs),
    source: 'desktop',
    type: 'agent.state_changed',
    agent_id: agent,
    state,
    ...(previous ? { previous_state: previous.state, previous_state_ms: previous.ms } : {}),
  } as TelemetryEvent;
}

const GREETING = `Hello, you are speaking with ${first}, how can I help?`;
const KEPT_SEGMENT = `${first} is off today, I am taking her calls`;

/** The figures reports show for the queue, the agents and their states, over the day of the events. */
async function figures(client: ClickHouseClient) {
  const window = {
    tenantId: tenant.id,
    from: new Date(at.getTime() - 86_400_000),
    to: new Date(Date.now() + 3_600_000),
    grain: '15m' as const,
    timezone: config.timezone,
  };
  return {
    queues: await getQueueReport(client, window),
    agents: await getAgentReport(client, { ...window, agentIds: [ERASED, KEPT] }),
    states: await getAgentStateReport(client, { ...window, agentIds: [ERASED, KEPT] }),
  };
}

let before: Awaited<ReturnType<typeof figures>>;
let hitsBefore: Record<string, string[]>;

async function seed(host: TestHost): Promise<void> {
  const db = host.host.db.db;
  const slug = `t-${randomUUID().slice(0, 8)}`;
  tenant = { id: await seedTenant(db, { slug, name: 'Erasure care', config }), slug };
  const { key: apiKey } = await createApiKey(db, tenant.id, 'ingest');
  const agentRows = await db.select({ id: schema.agents.id, key: schema.agents.key }).from(schema.agents).where(eq(schema.agents.tenantId, tenant.id));
  const agentId = (key: string) => agentRows.find((a) => a.key === key)!.id;

  // People: an administrator, the departed agent's user (deactivated), an agent still at work.
  const adminId = await ensureMember(host.host.auth, db, {
    email: `admin-${hex}@test.switchboard.local`,
    name: 'Admin',
    password,
    role: 'admin',
    tenantId: tenant.id,
  });
  const user = await ensureMember(host.host.auth, db, { email, name, password, role: 'agent', tenantId: tenant.id, agentKey: ERASED });
  await ensureMember(host.host.auth, db, {
    email: `active-${hex}@test.switchboard.local`,
    name: 'Active',
    password,
    role: 'agent',
    tenantId: tenant.id,
    agentKey: ACTIVE,
  });
  expect(await setPersonDeactivated(db, tenant.id, adminId, user, true)).toBe(true);
  // A session and an e-mail verification left behind, and mail: to them, and about them.
  await db
    .insert(schema.sessions)
    .values({ id: randomUUID(), token: randomUUID(), userId: user, expiresAt: new Date(Date.now() + 86_400_000), userAgent: name });
  await db.insert(schema.verifications).values({ id: randomUUID(), identifier: email, value: randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) });
  await queueMail(db, { tenantId: tenant.id, recipient: email, kind: 'invitation', subject: 'Welcome', body: `Hello ${name}, set your password` });
  await queueMail(db, { tenantId: null, recipient: email.toUpperCase(), kind: 'password_reset', subject: 'Reset', body: `Hello ${name}` });
  await queueMail(db, {
    tenantId: tenant.id,
    recipient: `lead-${hex}@test.switchboard.local`,
    kind: 'notice',
    subject: `${name} asked for a swap`,
    body: `${name} (${email}) asked to swap Monday.`,
  });

  // Free text people typed.
  await createApiKey(db, tenant.id, `${name}'s desk phone`);
  await db.insert(schema.specialDays).values({ tenantId: tenant.id, date: '2026-01-02', label: `${name} farewell`, effect: 'multiply', multiplier: 0.9 });
  await db.insert(schema.timeOffRequests).values({
    tenantId: tenant.id,
    agentId: agentId(ERASED),
    startsAt: new Date(Date.now() - 30 * 86_400_000),
    endsAt: new Date(Date.now() - 29 * 86_400_000),
    paidHours: 8,
    status: 'approved',
    decisionNote: `approved for ${name.toUpperCase()}`,
  });
  const today = localDateOf(new Date(), config.timezone);
  await db.insert(schema.shiftSwaps).values({
    tenantId: tenant.id,
    weekStart: addLocalDays(today, -21),
    requesterId: agentId(KEPT),
    requesterDate: addLocalDays(today, -20),
    colleagueId: agentId(ERASED),
    colleagueDate: addLocalDays(today, -19),
    status: 'refused',
    refusal: `${name} would work seven days in a row`,
  });
  const { disputeId } = await seedDispute(db, tenant.id);
  await db
    .update(schema.evaluationDisputes)
    .set({ comment: `${name} greeted them; listen again` })
    .where(and(eq(schema.evaluationDisputes.tenantId, tenant.id), eq(schema.evaluationDisputes.id, disputeId)));

  // Schedules: a past published week with the departed agent (a note names them), a coming one with another agent.
  await seedSchedulingDefaults(db, tenant.id);
  const groupId = (await listPlanningGroups(db, tenant.id))[0]!.id;
  const schedule = async (weekStart: string, agent: string, notes: string[]) => {
    const [row] = await db
      .insert(schema.schedules)
      .values({
        tenantId: tenant.id,
        groupId,
        weekStart,
        timezone: config.timezone,
        summary: { figures: {}, required: [], scheduled: [], dayStarts: [], notes },
      })
      .returning({ id: schema.schedules.id });
    const startsAt = new Date(`${weekStart}T14:00:00Z`);
    await db.insert(schema.scheduleActivities).values({
      tenantId: tenant.id,
      scheduleId: row!.id,
      agentId: agentId(agent),
      kind: 'work',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 8 * 3_600_000),
      shiftDate: weekStart,
    });
    // Published after its activities: a trigger freezes a published schedule's activities.
    await db.update(schema.schedules).set({ status: 'published', publishedAt: new Date() }).where(eq(schema.schedules.id, row!.id));
  };
  await schedule(addLocalDays(today, -14), ERASED, [`${name} asked for early shifts`]);
  await schedule(addLocalDays(today, 7), SCHEDULED, []);

  // Events: the departed agent's calls (their greeting, a customer naming them), a colleague's, states, a rejected line.
  await postAll(host.url, apiKey, [
    ...interaction(ERASED, 0, [
      { speaker: 'agent', text: GREETING },
      { speaker: 'customer', text: `Thanks ${name}, my card is blocked` },
    ]),
    ...interaction(ERASED, 60_000, [{ speaker: 'customer', text: `is that ${name.toLowerCase()}? ${first}ville branch please` }]),
    ...interaction(KEPT, 120_000, [{ speaker: 'agent', text: KEPT_SEGMENT }]),
    agentState(ERASED, -600_000, 'available'),
    agentState(ERASED, 0, 'on_interaction', { state: 'available', ms: 600_000 }),
    agentState(ERASED, 300_000, 'break', { state: 'on_interaction', ms: 300_000 }),
  ]);
  const bad = { ...interaction(ERASED, 180_000, [{ speaker: 'agent', text: `It is ${name} again` }])[4]!, start_ms: 9_000, end_ms: 1_000 };
  expect((await post(host.url, apiKey, ndjson([bad]), { 'idempotency-key': randomUUID() })).status).toBe(207);

  ids = { erased: agentId(ERASED), kept: agentId(KEPT), user };
}

async function segmentTexts(client: ClickHouseClient, agent: string): Promise<string[]> {
  const rows = await queryRows(
    client,
    z.object({ text: z.string() }),
    `SELECT text FROM events WHERE tenant_id = {tenantId:String} AND type = 'transcript.segment' AND interaction_id IN
       (SELECT interaction_id FROM events WHERE tenant_id = {tenantId:String} AND type = 'interaction.answered' AND agent_id = {agent:String})
     ORDER BY occurred_at, segment_index`,
    { tenantId: tenant.id, agent },
  );
  return rows.map((r) => r.text);
}

describe('erasure of a departed agent', { timeout: 300_000 }, () => {
  it('with the host stopped: refuses an unknown agent, and a departed one for want of the workflow engine, changing nothing', async () => {
    await seed(t!);
    before = await figures(t!.host.telemetry.client);
    expect(before.agents.some((r) => r.agent_id === ERASED && r.answered > 0)).toBe(true);
    expect(before.states.some((r) => r.agent_id === ERASED && r.state === 'available' && r.state_ms > 0)).toBe(true);
    hitsBefore = await hitsEverywhere(t!);
    expect(hitsBefore[canary]).toEqual(
      expect.arrayContaining([
        'events.text: 2',
        'ingest_rejections.raw: 1',
        'agents.display_name: 1',
        'users.name: 1',
        'users.email: 1',
        'api_keys.name: 1',
        'evaluation_disputes.comment: 1',
        'mail_outbox.body: 3',
        'schedules.summary: 1',
        'shift_swaps.refusal: 1',
        'special_days.label: 1',
        'time_off_requests.decision_note: 1',
        'verifications.identifier: 1',
      ]),
    );

    // The host stops; the command opens the stores itself.
    await t!.host.stop();
    const unknown = await admin('erase', 'agent', '--tenant', tenant.slug, '--agent', 'no-such-agent');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no agent no-such-agent in tenant ${tenant.slug}`);
    const noWorkflows = await admin('erase', 'agent', '--tenant', tenant.slug, '--agent', ERASED);
    expect(noWorkflows.code).toBe(1);
    expect(noWorkflows.stderr).toContain('start the host with TEMPORAL_ADDRESS set');
    const noAgent = await admin('erase', 'agent', '--tenant', tenant.slug);
    expect(noAgent.code).toBe(2);
    expect(noAgent.stderr).toContain('name the agent with --agent');

    t = await startTestHost(hostEnv());
    expect(await hitsEverywhere(t)).toEqual(hitsBefore);
  });

  it('through the running host: refuses an agent with an active member or a coming published shift', async () => {
    const active = await admin('erase', 'agent', '--tenant', tenant.slug, '--agent', ACTIVE);
    expect(active.code).toBe(1);
    expect(active.stderr).toContain(`agent ${ACTIVE} has not left, nothing was erased: 1 member(s) linked to agent ${ACTIVE} are not deactivated`);
    const scheduled = await admin('erase', 'agent', '--tenant', tenant.slug, '--agent', SCHEDULED);
    expect(scheduled.code).toBe(1);
    const coming = addLocalDays(localDateOf(new Date(), config.timezone), 7);
    expect(scheduled.stderr).toContain(`agent ${SCHEDULED} has shifts on a published schedule from ${coming}`);
    const unknown = await callOperator(dataDir, 'erasure/agent', { tenant: tenant.id, agent: 'no-such-agent' });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'agent_not_found' } });
    expect(await hitsEverywhere(t!)).toEqual(hitsBefore);
  });

  it("erases the agent's name and e-mail everywhere, signs their user out for good, keeps every figure, and certifies it", async () => {
    const host = t!;
    const telemetry = host.host.telemetry.client;
    const { code, stdout, stderr } = await admin('erase', 'agent', '--tenant', tenant.slug, '--agent', ERASED);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`erased agent ${ERASED} (${ids.erased}; workflow erasure-agent:${tenant.id}:${ids.erased})`);
    for (const needle of [...NEEDLES, first]) expect(stdout).not.toContain(needle);
    expect(stdout).toMatch(/events\.text\s+3\n/);
    expect(stdout).toMatch(/ingest_rejections\.raw\s+1\n/);
    // Key name, special day, time off, swap, dispute, schedule note, and the tenant's two mails about them.
    expect(stdout).toMatch(/postgres\.text\s+8\n/);
    expect(stdout).toMatch(/mail_outbox\s+2\n/);
    // The user, their session, password account and verification.
    expect(stdout).toMatch(/users\s+4\n/);
    expect(stdout).toMatch(/agents\.display_name\s+1\n/);

    // Nothing findable, in any store.
    for (const needle of NEEDLES) expect(Object.fromEntries([[needle, (await hitsEverywhere(host))[needle]]])).toEqual({ [needle]: [] });
    // In their own words the first name goes too, at the same length (quality evidence points by offset); a colleague's stay.
    const own = await segmentTexts(telemetry, ERASED);
    expect(own).toContain('Hello, you are speaking with ******, how can I help?');
    expect(own).toContain(`Thanks ${'*'.repeat(name.length)}, my card is blocked`);
    expect(own).toContain(`is that ${'*'.repeat(name.length)}? ${first}ville branch please`);
    expect(await segmentTexts(telemetry, KEPT)).toEqual([KEPT_SEGMENT]);

    // The agent is a pseudonym; their user can no longer sign in and is still the (deactivated) link to their history.
    const db = host.host.db.db;
    const [agent] = await db
      .select()
      .from(schema.agents)
      .where(and(eq(schema.agents.tenantId, tenant.id), eq(schema.agents.id, ids.erased)));
    expect(agent!.displayName).toBe(agentPseudonym(tenant.id, ids.erased));
    expect(agent!.displayName).toMatch(/^Former agent [0-9a-f]{8}$/);
    expect(agent!.key).toBe(ERASED);
    const [user] = await db.select().from(schema.users).where(eq(schema.users.id, ids.user));
    expect(user).toMatchObject({ name: agent!.displayName, email: erasedUserEmail(ids.user), image: null });
    expect(await db.$count(schema.sessions, eq(schema.sessions.userId, ids.user))).toBe(0);
    expect(await db.$count(schema.accounts, eq(schema.accounts.userId, ids.user))).toBe(0);
    const [membership] = await db.select().from(schema.memberships).where(eq(schema.memberships.userId, ids.user));
    expect(membership).toMatchObject({ agentId: ids.erased, role: 'agent' });
    expect(membership!.deactivatedAt).not.toBeNull();
    expect((await signIn(host.url, email, password)).status).toBe(401);
    // Mail about them stays, without their name; mail to them is gone.
    const mail = await db.select().from(schema.mailOutbox).where(eq(schema.mailOutbox.tenantId, tenant.id));
    expect(mail.map((m) => m.subject)).toEqual([`${'*'.repeat(name.length)} asked for a swap`]);

    // Every figure is as it was, and the raw events still add up to the rollups.
    expect(await figures(telemetry)).toEqual(before);
    const check = await callOperator(dataDir, 'rollups/check', {
      tenant: tenant.id,
      from: new Date(at.getTime() - 3_600_000).toISOString(),
      to: new Date().toISOString(),
    });
    expect(check).toMatchObject({ status: 200, body: { mismatches: [] } });

    // The workflow saw the agent's id only, and says how far it got.
    const handle = env.client.workflow.getHandle(agentErasureWorkflowId(tenant.id, ids.erased));
    const history = JSON.stringify(await handle.fetchHistory());
    for (const needle of [...NEEDLES, first, ERASED]) expect(history).not.toContain(needle);
    expect(await handle.query('progress')).toEqual({ done: 6, total: 6, current: null });
  });

  it('a second run changes nothing, and certifies that', async () => {
    const host = t!;
    const again = await admin('erase', 'agent', '--tenant', tenant.id, '--agent', ERASED);
    expect(again.code, again.stderr).toBe(0);
    for (const target of ['events.text', 'ingest_rejections.raw', 'postgres.text', 'mail_outbox', 'users', 'agents.display_name'])
      expect(again.stdout).toMatch(new RegExp(`${target.replace('.', '\\.')}\\s+0\\n`));
    expect(await figures(host.host.telemetry.client)).toEqual(before);
    for (const needle of NEEDLES) expect((await hitsEverywhere(host))[needle]).toEqual([]);

    const trail = await listAudit(host.host.db.db, tenant.id, {
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 60_000),
      action: 'erasure.agent',
      limit: 50,
    });
    const certificates = trail.filter((e) => e.action === 'erasure.agent');
    expect(certificates).toHaveLength(2);
    expect(certificates.every((e) => e.objectType === 'agent' && e.objectId === ids.erased && e.userId === null)).toBe(true);
    expect(
      trail
        .filter((e) => e.action === 'erasure.agent.table')
        .map((e) => `${e.objectType} ${e.objectId}`)
        .sort(),
    ).toEqual(
      [
        ...['events.text:3', 'ingest_rejections.raw:1', 'postgres.text:8', 'mail_outbox:2', 'users:4', 'agents.display_name:1'],
        ...['events.text:0', 'ingest_rejections.raw:0', 'postgres.text:0', 'mail_outbox:0', 'users:0', 'agents.display_name:0'],
      ]
        .map((c) => {
          const [target, rows] = c.split(':');
          return `${target} ${ids.erased}:${rows}`;
        })
        .sort(),
    );
  });
});
