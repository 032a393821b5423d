import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { eq } from 'drizzle-orm';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createApiServices, createCallerFactory, createWebhookTransport, ensureMember, webhooksRouter } from '@switchboard/api';
import type { WebhookPayload } from '@switchboard/contracts';
import {
  createTimeOff,
  emitWebhookEvent,
  ensureBuiltInForm,
  finalizeEvaluation,
  getDirectory,
  getMembership,
  listAudit,
  listEvaluations,
  listPlanningGroups,
  listShiftTemplates,
  recordWebhookTest,
  saveDraftSchedule,
  schema,
  seedSchedulingDefaults,
  seedTenant,
  storeEvaluations,
  updateWebhookSubscription,
  type Directory,
} from '@switchboard/db';
import { standardForm } from '@switchboard/quality';
import { demoCenter } from '@switchboard/simulator';
import {
  createMathPool,
  createPlanningActivities,
  createPlanningWorker,
  PLANNING_TASK_QUEUE,
  resumeWebhookDeliveries,
  startWebhookDeliveries,
  syncScheduleSnapshots,
  type MathPool,
} from '@switchboard/workflows';
import { startTestHost, type TestHost } from './support/host.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * Outbound webhooks over the real host with the Temporal dev server: subscriptions made through the API, deliveries
 * sent by the host's worker (and, where a test needs a short backoff or a resolver, by a worker of the test's own
 * task queue) to a receiver on 127.0.0.1 that the operator allowlisted. The receiver checks every signature as the
 * docs tell receivers to. A listener on 127.0.0.2 counts connections: the outbound guard refuses every URL aimed
 * inside before any connection is made, so it must count none.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let env: TestWorkflowEnvironment;
let t: TestHost;
let receiver: Server;
let receiverOrigin: string;
let trap: TcpServer;
let trapPort: number;
let trapConnections = 0;
const received: Received[] = [];
/** Status codes a path answers, in order; the last one repeats. */
const answers = new Map<string, number[]>();

let math: MathPool;
let testWorker: Worker;
let testWorkerRunning: Promise<void>;
const testQueue = `${PLANNING_TASK_QUEUE}-${randomUUID().slice(0, 8)}`;
/** Attempts 50 ms, then 100 ms apart, three in all: the retry policy's shape, kept short. */
const SHORT_RETRY = { initialIntervalS: 0.05, maximumIntervalS: 0.1, maximumAttempts: 3 };

let tenantId: string;
let directory: Directory;
let adminId: string;
let authSecret: string;
const webhooksCaller = createCallerFactory(webhooksRouter);
const apiCaller = createCallerFactory(appRouter);
let webhooks: ReturnType<typeof webhooksCaller>;
let api: ReturnType<typeof apiCaller>;

const hook = (path: string) => `${receiverOrigin}/hooks/${path}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (path === '/hooks/redirect-inside') return res.writeHead(307, { location: `https://127.0.0.2:${trapPort}/stolen` }).end();
      const queue = answers.get(path) ?? [200];
      res.writeHead(queue.length > 1 ? queue.shift()! : queue[0]!).end('ok');
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const port = (receiver.address() as AddressInfo).port;
  receiverOrigin = `http://127.0.0.1:${port}`;
  trap = createTcpServer((socket) => {
    trapConnections++;
    socket.destroy();
  });
  await new Promise<void>((done) => trap.listen(0, '127.0.0.2', done));
  trapPort = (trap.address() as AddressInfo).port;

  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  // Only the receiver's port is allowed: 127.0.0.1 on another port, and every other inside address, stay refused.
  const allowHost = `127.0.0.1:${port}`;
  t = await startTestHost({ TEMPORAL_ADDRESS: env.address, SWITCHBOARD_OUTBOUND_ALLOW_HOSTS: allowHost });
  const db = t.host.db.db;
  authSecret = (await t.host.auth.$context).secret;

  tenantId = await seedTenant(db, { slug: `hooks-${randomUUID().slice(0, 8)}`, name: 'Webhook tenant', config: demoCenter });
  directory = (await getDirectory(db, tenantId))!;
  adminId = await ensureMember(t.host.auth, db, {
    email: `admin-${randomUUID().slice(0, 8)}@hooks.test`,
    name: 'Ada Admin',
    password: 'a long enough test password',
    role: 'admin',
    tenantId,
  });
  const services = createApiServices({
    db,
    telemetry: t.host.telemetry.client,
    liveMaxAgeMs: 0,
    planning: t.host.planning!.runner,
    snapshotSchedules: (id) => syncScheduleSnapshots({ db, telemetry: t.host.telemetry.client }, id),
    outboundAllowHosts: [allowHost],
  });
  const viewer = await getMembership(db, adminId);
  webhooks = webhooksCaller({ services, viewer, accounts: { auth: t.host.auth, forget: () => undefined } });
  api = apiCaller({ services, viewer });

  // A worker of the test's own queue: short backoff, and a resolver standing in for DNS.
  const dns: Record<string, string[]> = { 'hooks.rebind.test': ['127.0.0.2'], 'hooks.inside.test': ['10.0.0.5'] };
  const resolve = async (host: string) => dns[host] ?? Promise.reject(new Error(`getaddrinfo ENOTFOUND ${host}`));
  math = createMathPool({ threads: 1 });
  testWorker = await createPlanningWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: testQueue,
    deps: { db, telemetry: t.host.telemetry.client, math, webhooks: createWebhookTransport({ authSecret, allowHosts: [allowHost], resolve }) },
  });
  testWorkerRunning = testWorker.run();
}, 180_000);

afterAll(async () => {
  testWorker?.shutdown();
  await testWorkerRunning;
  await math?.close();
  await t?.stop();
  await env?.teardown();
  receiver?.closeAllConnections();
  await new Promise((done) => receiver?.close(done));
  await new Promise((done) => trap?.close(done));
});

/** The signatures of a delivery as a receiver checks them: the `v1` values that match `<t>.<body>` under each secret. */
function signedBy(headers: IncomingHttpHeaders, body: string, secrets: string[]): boolean[] {
  const header = String(headers['switchboard-signature']);
  const parts = header.split(',').map((p) => p.split('=') as [string, string]);
  const timestamp = parts.find(([k]) => k === 't')![1];
  expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);
  const v1 = parts.filter(([k]) => k === 'v1').map(([, v]) => Buffer.from(v, 'hex'));
  return secrets.map((secret) => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
    return v1.some((sig) => sig.length === expected.length && timingSafeEqual(sig, expected));
  });
}

/** The log's entry for a delivery once it is no longer pending (bounded polling, no timing asserted). */
async function settled(subscriptionId: string, deliveryId: string) {
  for (let i = 0; i < 600; i++) {
    const { deliveries } = await webhooks.deliveries({ id: subscriptionId, limit: 200 });
    const delivery = deliveries.find((d) => d.id === deliveryId);
    if (delivery && delivery.status !== 'pending') return delivery;
    await sleep(100);
  }
  throw new Error(`delivery ${deliveryId} stayed pending`);
}

const receivedAt = (path: string) => received.filter((r) => r.path === `/hooks/${path}`);

/** Subscribed by default to a kind nothing emits yet, so only what a test sends arrives. */
async function subscribe(path: string, kinds: ('schedule.published' | 'time_off.decided' | 'evaluation.released' | 'offer.accepted')[] = ['offer.accepted']) {
  const created = await webhooks.create({ name: `hook ${path}`, url: hook(path), kinds });
  return created;
}

/** A delivery of a `webhook.test` event, sent by the test's worker with the short backoff. */
async function sendOnTestQueue(subscriptionId: string): Promise<string> {
  const deliveryId = (await recordWebhookTest(t.host.db.db, tenantId, subscriptionId, randomUUID(), new Date()))!;
  await startWebhookDeliveries(env.client, { tenantId, deliveryIds: [deliveryId], retry: SHORT_RETRY }, testQueue);
  return deliveryId;
}

describe('outbound webhooks', () => {
  it('creates a subscription, shows its secret once, and signs what the host worker sends (sendTest)', async () => {
    const { id, secret } = await subscribe('test-event');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await webhooks.list();
    expect(listed.find((s) => s.id === id)).toMatchObject({
      name: 'hook test-event',
      url: hook('test-event'),
      kinds: ['offer.accepted'],
      active: true,
      lastDelivery: null,
    });
    expect(JSON.stringify(listed)).not.toContain(secret);
    // Sealed at rest: the stored text is not the secret.
    const [row] = await t.host.db.db.select().from(schema.webhookSubscriptions).where(eq(schema.webhookSubscriptions.id, id));
    expect(row!.secretSealed).not.toContain(secret);

    const { deliveryId } = await webhooks.sendTest({ id });
    expect(await settled(id, deliveryId)).toMatchObject({ kind: 'webhook.test', status: 'delivered', attempts: 1, lastStatus: 200, lastError: null });
    const [request] = receivedAt('test-event');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['switchboard-event']).toBe('webhook.test');
    expect(request!.headers['switchboard-delivery']).toBe(deliveryId);
    expect(signedBy(request!.headers, request!.body, [secret])).toEqual([true]);
    expect(signedBy(request!.headers, request!.body, ['whsec_another'])).toEqual([false]);
    const payload = JSON.parse(request!.body) as WebhookPayload<'webhook.test'>;
    expect(payload).toMatchObject({ kind: 'webhook.test', tenant: tenantId, data: { subscriptionId: id } });
    expect((await webhooks.list()).find((s) => s.id === id)!.lastDelivery).toMatchObject({ status: 'delivered', lastStatus: 200, attempts: 1 });
  });

  it('retries with backoff after 500s, then delivers with the same event and delivery ids', async () => {
    const { id, secret } = await subscribe('flaky');
    answers.set('/hooks/flaky', [500, 502, 200]);
    const deliveryId = await sendOnTestQueue(id);
    expect(await settled(id, deliveryId)).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200, lastError: null });
    const requests = receivedAt('flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['switchboard-delivery']))).toEqual(new Set([deliveryId]));
    expect(new Set(requests.map((r) => (JSON.parse(r.body) as WebhookPayload).id)).size).toBe(1);
    for (const r of requests) expect(signedBy(r.headers, r.body, [secret])).toEqual([true]);
  });

  it('gives up after the last attempt and keeps the last answer in the log', async () => {
    const { id } = await subscribe('down');
    answers.set('/hooks/down', [503]);
    const deliveryId = await sendOnTestQueue(id);
    expect(await settled(id, deliveryId)).toMatchObject({ status: 'failed', attempts: SHORT_RETRY.maximumAttempts, lastStatus: 503 });
    expect((await settled(id, deliveryId)).lastError).toBe('the receiver answered 503');
    expect(receivedAt('down')).toHaveLength(SHORT_RETRY.maximumAttempts);
  });

  it('signs with both secrets during a rotation overlap, with the new one alone after it', async () => {
    const { id, secret: first } = await subscribe('rotated');
    const rotated = await webhooks.rotate({ id });
    expect(rotated.secret).not.toBe(first);
    expect(new Date(rotated.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect((await webhooks.list()).find((s) => s.id === id)!.previousSecretExpiresAt).toBe(rotated.previousSecretExpiresAt);

    const during = await sendOnTestQueue(id);
    expect((await settled(id, during)).status).toBe('delivered');
    const [overlap] = receivedAt('rotated');
    expect(String(overlap!.headers['switchboard-signature']).match(/v1=/g)).toHaveLength(2);
    expect(signedBy(overlap!.headers, overlap!.body, [rotated.secret, first])).toEqual([true, true]);

    // The overlap over (a day later), only the new secret signs.
    await t.host.db.db
      .update(schema.webhookSubscriptions)
      .set({ previousSecretExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.webhookSubscriptions.id, id));
    const after = await sendOnTestQueue(id);
    expect((await settled(id, after)).status).toBe('delivered');
    const later = receivedAt('rotated')[1]!;
    expect(signedBy(later.headers, later.body, [rotated.secret, first])).toEqual([true, false]);
    expect((await webhooks.list()).find((s) => s.id === id)!.previousSecretExpiresAt).toBeNull();
  });

  it('pages the delivery log newest first, and audits every change', async () => {
    const { id } = await subscribe('paged');
    const sent = [];
    for (let i = 0; i < 3; i++) {
      const { deliveryId } = await webhooks.sendTest({ id });
      await settled(id, deliveryId);
      sent.push(deliveryId);
    }
    const first = await webhooks.deliveries({ id, limit: 2 });
    expect(first.deliveries.map((d) => d.id)).toEqual([sent[2], sent[1]]);
    const second = await webhooks.deliveries({ id, limit: 2, before: first.next! });
    expect(second).toEqual({ deliveries: [expect.objectContaining({ id: sent[0], status: 'delivered', lastStatus: 200, attempts: 1 })], next: null });
    // Another tenant's subscription id (or none) has no log.
    expect((await webhooks.deliveries({ id: randomUUID(), limit: 10 })).deliveries).toEqual([]);

    await webhooks.update({ id, name: 'renamed', kinds: ['schedule.published', 'schedule.published'], active: false });
    expect((await webhooks.list()).find((s) => s.id === id)).toMatchObject({ name: 'renamed', kinds: ['schedule.published'], active: false });
    await expect(webhooks.sendTest({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await webhooks.rotate({ id });
    expect(await webhooks.delete({ id })).toEqual({ removed: true });
    expect(await webhooks.delete({ id })).toEqual({ removed: false });
    await expect(webhooks.update({ id, active: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const trail = await listAudit(t.host.db.db, tenantId, {
      from: new Date(Date.now() - 600_000),
      to: new Date(Date.now() + 60_000),
      action: 'webhook.',
      limit: 100,
    });
    expect(trail.filter((e) => e.objectId === id).map((e) => e.action)).toEqual(
      expect.arrayContaining(['webhook.create', 'webhook.update', 'webhook.rotate', 'webhook.delete']),
    );
  });

  it('emits schedule.published from a real publish, once however often the publish runs', async () => {
    const { id, secret } = await subscribe('schedules', ['schedule.published']);
    const db = t.host.db.db;
    await seedSchedulingDefaults(db, tenantId);
    const group = (await listPlanningGroups(db, tenantId)).find((g) => g.key === 'voice')!;
    const template = (await listShiftTemplates(db, tenantId))[0]!;
    const agentId = directory.agents[0]!.id;
    const at = (h: number) => new Date(`2027-04-06T${String(h).padStart(2, '0')}:00:00Z`);
    const draft = await saveDraftSchedule(db, tenantId, {
      groupId: group.id,
      weekStart: '2027-04-05',
      timezone: demoCenter.timezone,
      summary: { figures: { lpBound: 0, penalty: 0 }, required: new Array<number>(7 * 96).fill(0), scheduled: [], dayStarts: [], notes: [] },
      staffingVersionId: null,
      workflowId: randomUUID(),
      activities: [{ agentId, kind: 'work', startsAt: at(9), endsAt: at(17), shiftDate: '2027-04-06', templateId: template.id }],
    });
    // The schedule workflow's own publish activity; the host's worker (the default queue) delivers.
    const activities = createPlanningActivities({ db, telemetry: t.host.telemetry.client, math });
    const context = new MockActivityEnvironment({ taskQueue: PLANNING_TASK_QUEUE }, { client: env.client });
    await context.run(activities.publishSchedule, { tenantId, scheduleId: draft.id, userId: null });
    await context.run(activities.publishSchedule, { tenantId, scheduleId: draft.id, userId: null });

    const { deliveries } = await webhooks.deliveries({ id, limit: 10 });
    expect(deliveries).toHaveLength(1);
    expect(await settled(id, deliveries[0]!.id)).toMatchObject({ kind: 'schedule.published', status: 'delivered', lastStatus: 200 });
    const [request] = receivedAt('schedules');
    expect(signedBy(request!.headers, request!.body, [secret])).toEqual([true]);
    const payload = JSON.parse(request!.body) as WebhookPayload<'schedule.published'>;
    expect(payload).toMatchObject({
      kind: 'schedule.published',
      tenant: tenantId,
      data: { scheduleId: draft.id, planningGroupId: group.id, weekStart: '2027-04-05', agents: 1 },
    });
    expect(payload.id).toBe(deliveries[0]!.eventId);
  });

  it('emits time_off.decided from a planner decision and evaluation.released from a release, with ids and figures but no names', async () => {
    const { id } = await subscribe('people', ['time_off.decided', 'evaluation.released']);
    const db = t.host.db.db;
    const agent = directory.agents[1]!;
    const request = await createTimeOff(db, tenantId, null, {
      agentId: agent.id,
      startsAt: new Date('2027-05-03T08:00:00Z'),
      endsAt: new Date('2027-05-03T16:00:00Z'),
      paidHours: 8,
      status: 'pending',
      decisionNote: 'fixture',
    });
    await api.schedules.timeOff.decide({ id: request.id, approve: false, note: 'busy week' });

    const form = await ensureBuiltInForm(db, tenantId, { key: 'standard', name: standardForm.name, definition: standardForm });
    const interactionId = `hooks-${randomUUID()}`;
    const answersOf = standardForm.sections.flatMap((s) => s.questions.map((q) => [q.id, q.allowNa ? 'na' : 'yes'] as const));
    await storeEvaluations(
      db,
      tenantId,
      [
        {
          interactionId,
          agentKey: agent.key,
          queueKey: demoCenter.queues[0]!.id,
          channel: 'voice',
          formId: form.id,
          planId: null,
          reviewReason: 'random',
          score: 100,
          failedCritical: false,
          interactionEndedAt: new Date(Date.now() - 3_600_000),
          answers: answersOf.map(([questionId, machineAnswer]) => ({ questionId, machineAnswer, confidence: 0.9, evidence: [], needsReview: false })),
        },
      ],
      new Date(0),
    );
    const evaluation = (await listEvaluations(db, tenantId, { agentKeys: [agent.key], limit: 1000 })).find((e) => e.interactionId === interactionId)!;
    await finalizeEvaluation(db, tenantId, adminId, evaluation.id, { answered: new Map(answersOf), score: 100, failedCritical: false, release: false });
    await api.quality.release({ evaluationId: evaluation.id });

    const { deliveries } = await webhooks.deliveries({ id, limit: 10 });
    expect(deliveries.map((d) => d.kind).sort()).toEqual(['evaluation.released', 'time_off.decided']);
    for (const d of deliveries) expect((await settled(id, d.id)).status).toBe('delivered');
    const payloads = receivedAt('people').map((r) => JSON.parse(r.body) as WebhookPayload);
    expect(payloads.find((p) => p.kind === 'time_off.decided')!.data).toEqual({
      requestId: request.id,
      agentKey: agent.key,
      status: 'refused',
      decidedBy: 'planner',
      startsAt: '2027-05-03T08:00:00.000Z',
      endsAt: '2027-05-03T16:00:00.000Z',
      paidHours: 8,
    });
    expect(payloads.find((p) => p.kind === 'evaluation.released')!.data).toMatchObject({
      evaluationId: evaluation.id,
      interactionId,
      agentKey: agent.key,
      formId: form.id,
      score: 100,
      failedCritical: false,
    });
    const bodies = receivedAt('people')
      .map((r) => r.body)
      .join('\n');
    for (const a of directory.agents) expect(bodies).not.toContain(a.displayName);
    expect(bodies).not.toContain('busy week');
  });

  it('records deliveries while no engine runs, once per event, and the host-start resume sends them', async () => {
    // The earlier subscriptions to the kind are switched off: this one alone receives the event.
    await t.host.db.db.update(schema.webhookSubscriptions).set({ active: false }).where(eq(schema.webhookSubscriptions.tenantId, tenantId));
    const { id } = await subscribe('resumed');
    const event = {
      kind: 'offer.accepted' as const,
      subjectId: randomUUID(),
      occurredAt: new Date(),
      data: {
        offerId: randomUUID(),
        kind: 'vto' as const,
        agentKey: 'fixture',
        planningGroupId: randomUUID(),
        startsAt: new Date().toISOString(),
        endsAt: new Date().toISOString(),
        scheduleId: randomUUID(),
        acceptedAt: new Date().toISOString(),
      },
    };
    const first = await emitWebhookEvent(t.host.db.db, tenantId, event, null);
    const again = await emitWebhookEvent(t.host.db.db, tenantId, event, null);
    expect(first).toEqual({ deliveryIds: [expect.any(String)], started: false });
    expect(again).toEqual(first);
    expect((await webhooks.deliveries({ id, limit: 10 })).deliveries).toMatchObject([{ status: 'pending', attempts: 0 }]);
    expect(await resumeWebhookDeliveries(env.client, t.host.db.db, testQueue)).toBeGreaterThanOrEqual(1);
    expect(await settled(id, first.deliveryIds[0]!)).toMatchObject({ kind: 'offer.accepted', status: 'delivered' });
    expect(receivedAt('resumed')).toHaveLength(1);
  });

  describe('the outbound guard', () => {
    it.each([
      ['https://127.0.0.2:{trap}/hook', /127\.0\.0\.2 is a loopback address/],
      ['http://127.0.0.2:{trap}/hook', /http URLs are not accepted/],
      ['https://10.1.2.3/hook', /10\.1\.2\.3 is a private address/],
      ['https://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
      ['https://[::1]:{trap}/hook', /::1 is a loopback address/],
      ['https://[::ffff:127.0.0.2]:{trap}/hook', /loopback/],
      ['https://localhost:{trap}/hook', /localhost is a local name/],
      ['https://user:secret@hooks.example.com/hook', /user name or password/],
      ['http://127.0.0.1:{trap}/hook', /http URLs are not accepted/], // allowlisted is the receiver's port only
      ['ftp://hooks.example.com/hook', /ftp: URLs are not accepted/],
    ])('refuses %s when it is saved, with the reason', async (template, reason) => {
      const url = template.replace('{trap}', String(trapPort));
      const before = (await webhooks.list()).length;
      await expect(webhooks.create({ name: 'inside', url, kinds: ['offer.accepted'] })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(reason),
      });
      expect((await webhooks.list()).length).toBe(before);
    });

    it('refuses a URL changed to an inside address', async () => {
      const { id } = await subscribe('retarget');
      await expect(webhooks.update({ id, url: `https://127.0.0.2:${trapPort}/` })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(/loopback/),
      });
      expect((await webhooks.list()).find((s) => s.id === id)!.url).toBe(hook('retarget'));
    });

    it('refuses at delivery a name that now resolves inside, and a redirect inside, without retrying', async () => {
      // Names that passed when saved and resolve inside now (DNS rebinding): stored as an earlier check let them through.
      for (const [path, url, reason] of [
        ['rebind', `https://hooks.rebind.test:${trapPort}/hook`, 'refused: hooks.rebind.test resolves to 127.0.0.2, a loopback address'],
        ['private', 'https://hooks.inside.test/hook', 'refused: hooks.inside.test resolves to 10.0.0.5, a private address'],
        ['redirect-inside', hook('redirect-inside'), 'refused a redirect: 127.0.0.2 is a loopback address'],
      ]) {
        const { id } = await subscribe(path!);
        await updateWebhookSubscription(t.host.db.db, tenantId, null, id, { url: url! });
        const deliveryId = await sendOnTestQueue(id);
        expect(await settled(id, deliveryId), path).toMatchObject({ status: 'failed', attempts: 1, lastStatus: null, lastError: reason });
      }
      // The redirect came from the allowed receiver, once: the refusal is not retried.
      expect(receivedAt('redirect-inside')).toHaveLength(1);
    });

    it('made no connection to an inside address at any point', () => {
      expect(trapConnections).toBe(0);
    });
  });
});
