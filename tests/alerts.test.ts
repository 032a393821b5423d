import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createApiServices, evaluateTenantAlerts } from '@switchboard/api';
import type { AlertRuleInput, TelemetryEvent } from '@switchboard/contracts';
import {
  applyAlertChanges,
  createDb,
  createWebhookSubscription,
  listAudit,
  migrateDb,
  saveAlertRule,
  schema,
  seedTenant,
  withAdvisoryLocks,
} from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { ndjson, post, waitForRollups } from './support/events.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { seedTenantWithMembers } from './support/members.ts';

/**
 * Alerts on the real host (PGlite + chDB), the evaluator driven here with a fixed clock rather
 * than by the host's timer (switched off): rules and their validation, firing and clearing with
 * hysteresis on ingested events, two evaluations racing, acknowledging and resolving, and what a
 * supervisor may see and change.
 */

const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
const SECOND = 1_000;
/** Far enough in the past that every clock used below is still before the real one. */
const t0 = new Date(Math.floor(Date.now() / SECOND) * SECOND - 20 * 60 * SECOND);
let clock = t0;
const at = (secondsFromT0: number) => new Date(t0.getTime() + secondsFromT0 * SECOND);

const queue = demoCenter.queues.find((q) => q.id === 'cards-voice')!;
const [teamA, teamB] = demoCenter.teams as [(typeof demoCenter.teams)[number], (typeof demoCenter.teams)[number]];

function contact(kind: 'waiting' | 'answered', interactionId: string, when: Date): TelemetryEvent[] {
  const envelope = (type: string) => ({
    event_id: randomUUID(),
    type,
    schema_version: 1,
    occurred_at: when.toISOString(),
    sent_at: when.toISOString(),
    source: 'routing',
  });
  const ids = { interaction_id: interactionId, queue_id: queue.id, channel: 'voice' };
  if (kind === 'waiting')
    return [{ ...envelope('interaction.offered'), ...ids } as TelemetryEvent, { ...envelope('interaction.queued'), ...ids } as TelemetryEvent];
  return [{ ...envelope('interaction.answered'), ...ids, agent_id: demoCenter.agents[0]!.id, wait_ms: 60_000 } as TelemetryEvent];
}

/** The zod issues of a refused input, as path and message. */
async function issuesOf(call: Promise<unknown>): Promise<{ path: string; message: string }[]> {
  try {
    await call;
  } catch (error) {
    const issues = (error as { cause?: { issues?: { path: PropertyKey[]; message: string }[] } }).cause?.issues ?? [];
    return issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  }
  throw new Error('the input was accepted');
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('the call succeeded');
}

let t: TestHost;
let tenantId: string;
let apiKey: string;
let admin: Awaited<ReturnType<typeof seedTenantWithMembers>>['callers'][number];
let supervisor: typeof admin;
let services: ReturnType<typeof createApiServices>;
let queueId: string;
let teamIds: Record<string, string>;
const waitingIds = [randomUUID(), randomUUID()];

const evaluate = () => evaluateTenantAlerts(services, tenantId);

const rule = (overrides: Partial<AlertRuleInput> = {}): AlertRuleInput => ({
  name: 'Cards queue backs up',
  queueId,
  teamId: null,
  match: 'all',
  conditions: [{ metric: 'waiting', comparator: 'above', threshold: 1, clearThreshold: 0 }],
  fireAfterS: 60,
  clearAfterS: 120,
  severity: 'critical',
  enabled: true,
  ...overrides,
});

beforeAll(async () => {
  t = await startTestHost({ SWITCHBOARD_ALERT_EVALUATE_S: '0' });
  const seeded = await seedTenantWithMembers(t, demoCenter, [{ role: 'admin' }, { role: 'supervisor', teamKeys: [teamA.id] }], () => clock);
  ({ tenantId, apiKey } = seeded);
  [admin, supervisor] = seeded.callers as [typeof admin, typeof admin];
  services = createApiServices({
    db: t.host.db.db,
    telemetry: t.host.telemetry.client,
    now: () => clock,
    liveMaxAgeMs: 0,
    snapshotSchedules: async () => undefined,
  });
  const directory = (await services.directory.get(tenantId))!;
  queueId = directory.queues.find((q) => q.key === queue.id)!.id;
  teamIds = Object.fromEntries(directory.teams.map((team) => [team.key, team.id]));
  // Two contacts wait in the queue from a minute before t0.
  const events = waitingIds.flatMap((id) => contact('waiting', id, at(-60)));
  expect((await post(t.url, apiKey, ndjson(events))).status).toBe(200);
  await waitForRollups(t.url);
});
afterAll(async () => {
  await t?.stop();
});

describe('alert rules', () => {
  it('are created, changed and deleted, each change audited', async () => {
    const created = await admin.wallboard.alertRules.save(rule({ name: 'to change', enabled: false }));
    expect(created).toMatchObject({ name: 'to change', match: 'all', fireAfterS: 60, clearAfterS: 120, enabled: false });
    const changed = await admin.wallboard.alertRules.save({ ...rule({ name: 'changed', match: 'any', enabled: false }), id: created.id });
    expect(changed).toMatchObject({ id: created.id, name: 'changed', match: 'any' });
    expect((await admin.wallboard.alertRules.list()).find((r) => r.id === created.id)?.name).toBe('changed');
    await admin.wallboard.alertRules.remove({ id: created.id });
    expect((await admin.wallboard.alertRules.list()).find((r) => r.id === created.id)).toBeUndefined();
    const trail = await listAudit(t.host.db.db, tenantId, { from: new Date(0), to: new Date(Date.now() + 60_000), objectType: 'alert_rule', limit: 50 });
    expect(trail.filter((e) => e.objectId === created.id).map((e) => e.action)).toEqual(['alert_rule.delete', 'alert_rule.update', 'alert_rule.create']);
  });

  it('are refused with a sentence per problem', async () => {
    const below = { metric: 'service_level_30m', comparator: 'below', threshold: 0.8, clearThreshold: 0.7 } as const;
    expect(await issuesOf(admin.wallboard.alertRules.save(rule({ conditions: [below] })))).toEqual([
      {
        path: 'conditions.0.clearThreshold',
        message: 'the clear threshold must be on the recovered side of the threshold: not under it for "below", not over it for "above"',
      },
    ]);
    expect(await issuesOf(admin.wallboard.alertRules.save(rule({ conditions: [{ ...below, threshold: 80, clearThreshold: 85 }] })))).toEqual([
      { path: 'conditions.0.threshold', message: 'rates are fractions between 0 and 1 (0.8 for 80%)' },
    ]);
    const team = { metric: 'agents_out_of_adherence', comparator: 'above', threshold: 2, clearThreshold: 1 } as const;
    expect(await issuesOf(admin.wallboard.alertRules.save(rule({ conditions: [rule().conditions[0]!, team] })))).toContainEqual({
      path: 'conditions',
      message: 'the conditions of one rule are all about queues or all about teams',
    });
    expect(await issuesOf(admin.wallboard.alertRules.save(rule({ conditions: [team] })))).toEqual([
      { path: 'queueId', message: 'team figures are watched per team: choose a team' },
    ]);
    expect(await issuesOf(admin.wallboard.alertRules.save(rule({ fireAfterS: 3_601 })))).toEqual([
      { path: 'fireAfterS', message: 'at most 3600 seconds (an hour)' },
    ]);
    expect(await issuesOf(admin.wallboard.alertRules.save(rule({ conditions: Array.from({ length: 6 }, () => rule().conditions[0]!) })))).toEqual([
      { path: 'conditions', message: 'at most 5 conditions' },
    ]);
    expect(await issuesOf(admin.wallboard.alertRules.save(rule({ name: ' ' })))).toEqual([{ path: 'name', message: 'a name' }]);
  });
});

describe('the evaluator', () => {
  let ruleId: string;
  const subject = `queue:${queue.id}`;
  const openIncidents = async () => (await admin.wallboard.incidents.list({ state: 'open' })).incidents.filter((i) => i.ruleId === ruleId);

  it('fires once the breach has lasted fire_after_s, and every wallboard shows the incident', async () => {
    const secret = 'sealed-for-the-test';
    await createWebhookSubscription(t.host.db.db, tenantId, null, {
      name: 'ops',
      url: 'https://hooks.example.com/in',
      kinds: ['alert.fired', 'alert.cleared'],
      secretSealed: secret,
    });
    ruleId = (await admin.wallboard.alertRules.save(rule())).id;
    clock = at(0);
    expect((await evaluate()).fired).toEqual([]);
    clock = at(30);
    expect((await evaluate()).fired).toEqual([]);
    clock = at(60);
    const { fired } = await evaluate();
    expect(fired.map((i) => [i.ruleId, i.subject, i.severity, i.values])).toEqual([[ruleId, subject, 'critical', { waiting: 2 }]]);
    expect((await evaluate()).fired).toEqual([]);

    for (const viewer of [admin, supervisor]) {
      const board = await viewer.wallboard.snapshot();
      const tile = board.queues.find((q) => q.key === queue.id)!;
      expect(tile.alerts.map((a) => [a.ruleName, a.severity, a.values, a.firedAt])).toEqual([
        ['Cards queue backs up', 'critical', { waiting: 2 }, at(60).toISOString()],
      ]);
      expect(board.alerts.map((a) => a.id)).toEqual([fired[0]!.id]);
    }
    const deliveries = await t.host.db.db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.tenantId, tenantId));
    expect(deliveries.map((d) => [d.kind, (d.payload as { data: unknown }).data])).toEqual([
      [
        'alert.fired',
        {
          incidentId: fired[0]!.id,
          ruleId,
          ruleName: 'Cards queue backs up',
          subject,
          severity: 'critical',
          firedAt: at(60).toISOString(),
          clearedAt: null,
          values: { waiting: 2 },
        },
      ],
    ]);
  });

  it('clears once the recovery has lasted clear_after_s, not before', async () => {
    const answered = waitingIds.flatMap((id) => contact('answered', id, at(70)));
    expect((await post(t.url, apiKey, ndjson(answered))).status).toBe(200);
    await waitForRollups(t.url);
    clock = at(80);
    expect((await evaluate()).cleared).toEqual([]);
    clock = at(190);
    expect((await evaluate()).cleared).toEqual([]);
    expect(await openIncidents()).toHaveLength(1);
    clock = at(200);
    const { cleared } = await evaluate();
    expect(cleared.map((i) => [i.ruleId, i.clearedAt?.toISOString()])).toEqual([[ruleId, at(200).toISOString()]]);
    expect(await openIncidents()).toEqual([]);
    expect((await admin.wallboard.snapshot()).alerts).toEqual([]);
    const kinds = await t.host.db.db
      .select({ kind: schema.webhookDeliveries.kind })
      .from(schema.webhookDeliveries)
      .where(eq(schema.webhookDeliveries.tenantId, tenantId));
    expect(kinds.map((k) => k.kind).sort()).toEqual(['alert.cleared', 'alert.fired']);
  });

  it('opens and ends an incident once when two evaluations run at once', async () => {
    // Nobody waits now: a rule on "waiting below 1" breaches, without delay.
    const racing = await admin.wallboard.alertRules.save(
      rule({ name: 'racing', conditions: [{ metric: 'waiting', comparator: 'below', threshold: 1, clearThreshold: 1 }], fireAfterS: 0, clearAfterS: 0 }),
    );
    clock = at(210);
    const both = await Promise.all([evaluate(), evaluate()]);
    expect(both.flatMap((r) => r.fired).filter((i) => i.ruleId === racing.id)).toHaveLength(1);
    const open = await t.host.db.db
      .select()
      .from(schema.alertIncidents)
      .where(and(eq(schema.alertIncidents.tenantId, tenantId), eq(schema.alertIncidents.ruleId, racing.id)));
    expect(open).toHaveLength(1);
    // Disabled, its incident ends at the next evaluation, once however many run.
    await admin.wallboard.alertRules.save({ ...rule({ ...racing, enabled: false }), id: racing.id });
    clock = at(220);
    const ended = await Promise.all([evaluate(), evaluate()]);
    expect(ended.flatMap((r) => r.cleared).map((i) => i.id)).toEqual([open[0]!.id]);
  });

  it('evaluates team rules on the team’s real-time adherence', async () => {
    const teamRule = await admin.wallboard.alertRules.save(
      rule({
        name: 'team watch',
        queueId: null,
        teamId: teamIds[teamA.id]!,
        conditions: [{ metric: 'agents_out_of_adherence', comparator: 'below', threshold: 1, clearThreshold: 1 }],
        fireAfterS: 0,
        severity: 'warning',
      }),
    );
    clock = at(230);
    const { fired } = await evaluate();
    // No schedule is published: nobody is out of adherence.
    expect(fired.filter((i) => i.ruleId === teamRule.id).map((i) => [i.subject, i.values])).toEqual([[`team:${teamA.id}`, { agents_out_of_adherence: 0 }]]);
    await admin.wallboard.alertRules.remove({ id: teamRule.id });
  });
});

describe('incidents', () => {
  let incidentId: string;
  let ruleId: string;

  it('are acknowledged and resolved with a note, both audited; resolving one still firing ends it, and it fires again while the breach goes on', async () => {
    ruleId = (
      await admin.wallboard.alertRules.save(
        rule({ name: 'always', conditions: [{ metric: 'waiting', comparator: 'below', threshold: 1, clearThreshold: 1 }], fireAfterS: 30, clearAfterS: 0 }),
      )
    ).id;
    clock = at(300);
    await evaluate();
    clock = at(330);
    incidentId = (await evaluate()).fired.find((i) => i.ruleId === ruleId)!.id;

    const acknowledged = await supervisor.wallboard.incidents.acknowledge({ id: incidentId });
    expect(acknowledged).toMatchObject({ state: 'open', acknowledgedAt: at(330).toISOString(), acknowledgedByName: 'Test supervisor' });
    clock = at(340);
    const resolved = await admin.wallboard.incidents.resolve({ id: incidentId, note: 'moved two agents over' });
    expect(resolved).toMatchObject({
      state: 'resolved',
      resolvedAt: at(340).toISOString(),
      clearedAt: at(340).toISOString(),
      resolvedByName: 'Test admin',
      note: 'moved two agents over',
    });
    const trail = await listAudit(t.host.db.db, tenantId, { from: new Date(0), to: new Date(Date.now() + 60_000), objectType: 'alert_incident', limit: 10 });
    expect(trail.map((e) => [e.action, e.objectId])).toEqual([
      ['alert_incident.resolve', incidentId],
      ['alert_incident.acknowledge', incidentId],
    ]);

    // The breach goes on: a new incident after the rule's 30 s, not at once.
    clock = at(350);
    expect((await evaluate()).fired.filter((i) => i.ruleId === ruleId)).toEqual([]);
    clock = at(380);
    expect((await evaluate()).fired.filter((i) => i.ruleId === ruleId)).toHaveLength(1);
  });

  it('list open ones first, then the history, filtered and a page at a time', async () => {
    const all = await admin.wallboard.incidents.list({});
    const states = all.incidents.map((i) => i.state);
    expect(states.indexOf('open')).toBe(0);
    expect(states.lastIndexOf('open')).toBeLessThan(states.findIndex((s) => s !== 'open'));
    expect((await admin.wallboard.incidents.list({ state: 'resolved' })).incidents.map((i) => i.id)).toEqual([incidentId]);
    expect((await admin.wallboard.incidents.list({ severity: 'warning' })).incidents.every((i) => i.severity === 'warning')).toBe(true);
    // Open at some moment of the window: the resolved one was open from 330 to 340 s.
    const window = (from: number, to: number) => admin.wallboard.incidents.list({ from: at(from).toISOString(), to: at(to).toISOString() });
    expect((await window(335, 336)).incidents.map((i) => i.id)).toContain(incidentId);
    expect((await window(341, 345)).incidents.map((i) => i.id)).not.toContain(incidentId);

    // 60 more incidents: pages of 50, open ones first throughout.
    const many = Array.from({ length: 60 }, (_, i) => ({
      ruleId,
      subject: `queue:paging-${i}`,
      severity: 'warning' as const,
      values: {},
      firedAt: at(400 + i),
    }));
    await applyAlertChanges(t.host.db.db, tenantId, { states: [], fire: many, clear: [] });
    const first = await admin.wallboard.incidents.list({});
    expect(first.incidents).toHaveLength(50);
    expect(first.more).toBe(true);
    const tail = first.incidents.at(-1)!;
    const second = await admin.wallboard.incidents.list({ cursor: { open: tail.state === 'open', firedAt: tail.firedAt, id: tail.id } });
    const ids = [...first.incidents, ...second.incidents].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(second.more).toBe(false);
    const seen = [...first.incidents, ...second.incidents].map((i) => i.state === 'open');
    expect(seen).toEqual([...seen].sort((a, b) => Number(b) - Number(a)));
  });
});

describe('what a supervisor may see and change', () => {
  it('their own teams’ rules and incidents and every queue’s; not another team’s, nor rules for every team', async () => {
    const teamCondition = { metric: 'agents_out_of_adherence', comparator: 'above', threshold: 3, clearThreshold: 1 } as const;
    const teamRule = (teamKey: string | null) =>
      rule({ name: `team ${teamKey}`, queueId: null, teamId: teamKey && teamIds[teamKey]!, conditions: [teamCondition] });
    const ofB = await admin.wallboard.alertRules.save(teamRule(teamB.id));
    const everyTeam = await admin.wallboard.alertRules.save(teamRule(null));
    const ofA = await supervisor.wallboard.alertRules.save(teamRule(teamA.id));
    const ofQueue = await admin.wallboard.alertRules.save(rule({ name: 'a queue rule', enabled: false }));

    const listed = new Set((await supervisor.wallboard.alertRules.list()).map((r) => r.id));
    expect([listed.has(ofA.id), listed.has(ofB.id), listed.has(everyTeam.id), listed.has(ofQueue.id)]).toEqual([true, false, false, true]);
    expect(await codeOf(supervisor.wallboard.alertRules.save(teamRule(teamB.id)))).toBe('NOT_FOUND');
    expect(await codeOf(supervisor.wallboard.alertRules.save({ ...teamRule(teamA.id), id: ofB.id }))).toBe('NOT_FOUND');
    expect(await codeOf(supervisor.wallboard.alertRules.remove({ id: ofB.id }))).toBe('NOT_FOUND');
    expect(await codeOf(supervisor.wallboard.alertRules.save(teamRule(null)))).toBe('FORBIDDEN');

    const { fired } = await applyAlertChanges(t.host.db.db, tenantId, {
      states: [],
      fire: [
        { ruleId: ofA.id, subject: `team:${teamA.id}`, severity: 'critical', values: { agents_out_of_adherence: 4 }, firedAt: at(500) },
        { ruleId: ofB.id, subject: `team:${teamB.id}`, severity: 'critical', values: { agents_out_of_adherence: 5 }, firedAt: at(500) },
      ],
      clear: [],
    });
    const [inA, inB] = [fired.find((i) => i.ruleId === ofA.id)!, fired.find((i) => i.ruleId === ofB.id)!];
    const theirs = (await supervisor.wallboard.incidents.list({ state: 'open' })).incidents;
    expect(theirs.map((i) => i.id)).toContain(inA.id);
    expect(theirs.map((i) => i.id)).not.toContain(inB.id);
    expect(theirs.some((i) => i.subjectKind === 'queue')).toBe(true);
    expect((await supervisor.wallboard.snapshot()).alerts.map((a) => a.id)).not.toContain(inB.id);
    expect((await admin.wallboard.snapshot()).alerts.map((a) => a.id)).toEqual(expect.arrayContaining([inA.id, inB.id]));
    expect(await codeOf(supervisor.wallboard.incidents.acknowledge({ id: inB.id }))).toBe('NOT_FOUND');
    expect(await codeOf(supervisor.wallboard.incidents.resolve({ id: inB.id }))).toBe('NOT_FOUND');
    expect(await supervisor.wallboard.incidents.acknowledge({ id: inA.id })).toMatchObject({
      subjectKind: 'team',
      subjectKey: teamA.id,
      subjectName: teamA.name,
    });
  });
});

describe.skipIf(!databaseUrl)('on PostgreSQL', () => {
  it('evaluators of two processes take turns on a tenant under its advisory lock, as the application role, and open one incident', async () => {
    const handle = await createDb({ databaseUrl });
    try {
      await migrateDb(handle);
      const tenant = await seedTenant(handle.db, { slug: `t-${randomUUID().slice(0, 8)}`, name: 'Alerts on PostgreSQL', config: demoCenter });
      try {
        // Nobody waits in this tenant: "waiting below 1" breaches in every queue at once.
        const conditions = [{ metric: 'waiting', comparator: 'below', threshold: 1, clearThreshold: 1 }] as const;
        await saveAlertRule(handle.db, tenant, null, { ...rule({ conditions: [...conditions], fireAfterS: 0 }), queueId: null });
        const processes = [1, 2].map(() =>
          createApiServices({
            db: handle.db,
            telemetry: t.host.telemetry.client,
            now: () => at(600),
            liveMaxAgeMs: 0,
            snapshotSchedules: async () => undefined,
          }),
        );
        const runs = await Promise.all(processes.map((s) => withAdvisoryLocks(handle.db, [`alerts:${tenant}`], () => evaluateTenantAlerts(s, tenant))));
        expect(runs.map((r) => r.fired.length)).toEqual(expect.arrayContaining([0, demoCenter.queues.length]));
        const open = await handle.db.select().from(schema.alertIncidents).where(eq(schema.alertIncidents.tenantId, tenant));
        expect(open).toHaveLength(demoCenter.queues.length);
      } finally {
        await handle.db.delete(schema.tenants).where(eq(schema.tenants.id, tenant));
      }
    } finally {
      await handle.close();
    }
  });
});
