import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  createCoachingAssignments,
  createWebhookSubscription,
  decideDispute,
  getCoachingAssignment,
  getDirectory,
  listDisputes,
  listPlanningGroups,
  moveCoachingAssignment,
  recordWebhookTest,
  saveCoachingRule,
  schema,
  seedSchedulingDefaults,
} from '@switchboard/db';
import { workflowsPath } from '@switchboard/workflows';
import { START_DATE } from './support/planning.ts';
import { seedDispute } from './support/quality.ts';

/**
 * Recorded histories of every workflow type, replayed against the current workflow code: a
 * change that would break runs already in flight (a command added, removed or reordered)
 * fails here. Replaying needs no server. With RECORD_WORKFLOW_HISTORIES=1 the runs are first
 * recorded on the dev server, writing only fixtures that do not exist yet: an existing
 * fixture stands for runs recorded under older code and is never overwritten.
 */

const FIXTURES = path.join(import.meta.dirname, 'fixtures/workflow-histories');

// historyToJSON/historyFromJSON (@temporalio/common/lib/proto-utils) throw "type must be a Type" in this
// install: @grpc/proto-loader's protobufjs 7 holds node_modules/protobufjs, so each @temporalio package
// has its own protobufjs 8 and common's protojson does not know proto's types. The same conversion
// (Temporal's proto JSON, as the CLI and Web UI export it) runs here on @temporalio/proto's own copy.
const requireProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = requireProto('protobufjs/ext/protojson') as {
  toJson(type: unknown, message: History): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History;
};
const historyType = (requireProto('@temporalio/proto') as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');
const historyToJSON = (history: History) => protojson.toJson(historyType, history);
const historyFromJSON = (json: unknown) => protojson.fromJson(historyType, json, { ignoreUnknownFields: true });

interface Fixture {
  file: string;
  history: History;
}

function readFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, history: historyFromJSON(JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'))) }));
}

const workflowTypeOf = (history: History) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;

/**
 * Worker identities and sticky task queue names (pid@hostname) and stack traces (local paths)
 * say where the recording ran; none takes part in replay. What remains is ids, queue keys,
 * dates and counts.
 */
function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, v]): [string, unknown] => [key, key === 'identity' ? 'recorder' : key === 'stackTrace' ? '' : scrub(v)]);
  const sticky = entries.some(([key, v]) => key === 'kind' && v === 'TASK_QUEUE_KIND_STICKY');
  return Object.fromEntries(sticky ? entries.map(([key, v]) => [key, key === 'name' ? 'recorder-sticky' : v]) : entries);
}

/** Runs each workflow type on the dev server as tests/planning-workflows.test.ts does, and saves the new histories. */
async function recordHistories(): Promise<void> {
  const [{ TestWorkflowEnvironment }, workflows, { startTestHost }, { seedPlanningTenant }, { findTemporalCli }] = await Promise.all([
    import('@temporalio/testing'),
    import('@switchboard/workflows'),
    import('./support/host.ts'),
    import('./support/planning.ts'),
    import('./support/temporal.ts'),
  ]);
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  const t = await startTestHost();
  const math = workflows.createMathPool({ threads: 1 });
  try {
    const tenantId = await seedPlanningTenant(t);
    const taskQueue = `${workflows.PLANNING_TASK_QUEUE}-${randomUUID().slice(0, 8)}`;
    const worker = await workflows.createPlanningWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      deps: {
        telemetry: t.host.telemetry.client,
        db: t.host.db.db,
        math,
        now: () => new Date(`${START_DATE}T00:00:00Z`),
        // Webhooks go nowhere: a receiver that accepts, and a guard that refuses one URL. Only the histories matter.
        webhooks: {
          send: async ({ url }) => (url.includes('refused') ? { refused: 'refused: recorded.test resolves to 10.0.0.5, a private address' } : { status: 204 }),
        },
      },
      taskQueue,
    });
    const start = (workflowTenantId: string) =>
      env.client.workflow.start('forecastWorkflow', {
        taskQueue,
        workflowId: workflows.forecastWorkflowId(workflowTenantId, START_DATE),
        args: [{ tenantId: workflowTenantId, startDate: START_DATE, horizonDays: 1, trigger: 'manual' }],
      });
    const histories = await worker.runUntil(async () => {
      const completed = await start(tenantId);
      const { versionId } = (await completed.result()) as { versionId: string };
      // A tenant that does not exist: the run fails on its first activity (a non-retryable failure).
      const failed = await start(randomUUID());
      await failed.result().catch(() => undefined);
      // Schedules: one published at once, one waiting for the planner and rejected.
      await seedSchedulingDefaults(t.host.db.db, tenantId);
      const groups = await listPlanningGroups(t.host.db.db, tenantId);
      const scheduleRun = (key: string, approval: 'auto' | 'planner') =>
        env.client.workflow.start('scheduleWorkflow', {
          taskQueue,
          workflowId: workflows.scheduleWorkflowId(tenantId, groups.find((g) => g.key === key)!.id, START_DATE),
          args: [{ tenantId, groupId: groups.find((g) => g.key === key)!.id, weekStart: START_DATE, approval }],
        });
      const published = await scheduleRun('voice', 'auto');
      await published.result();
      const rejected = await scheduleRun('chat', 'planner');
      while ((await rejected.query<{ phase: string }>('scheduleState')).phase !== 'awaiting_approval') await new Promise((r) => setTimeout(r, 200));
      await rejected.signal('rejectSchedule', { userId: 'recorder' });
      await rejected.result();
      // The intraday loop as of 11:00 (New York) on the forecast's day, over the voice week published above.
      const intraday = await env.client.workflow.start('intradayWorkflow', {
        taskQueue,
        workflowId: `intraday:${tenantId}:recorded`,
        args: [{ tenantId, at: `${START_DATE}T16:00:00.000Z` }],
      });
      await intraday.result();
      // Next week (from the recorder's clock) has no requirement: the parent's own history is what replays.
      const weekly = await env.client.workflow.start('weeklyScheduleWorkflow', {
        taskQueue,
        workflowId: `schedule-weekly:${tenantId}:recorded`,
        args: [{ tenantId, approval: 'auto' }],
      });
      await weekly.result();
      // Quality: a tick over a tenant with no ended interactions yet (the form and default plan are created).
      const evaluation = await env.client.workflow.start('evaluationWorkflow', {
        taskQueue,
        workflowId: `evaluation:${tenantId}:recorded`,
        args: [{ tenantId }],
      });
      await evaluation.result();
      // A dispute: reminded, escalated, then decided.
      const { evaluationId, disputeId } = await seedDispute(t.host.db.db, tenantId);
      const planning = workflows.createPlanningClient(env.client, taskQueue);
      await planning.trackDisputes({ tenantId, evaluationId, remindAfterS: 1, escalateAfterS: 2 });
      while ((await listDisputes(t.host.db.db, tenantId, { evaluationIds: [evaluationId] }))[0]!.escalatedAt === null)
        await new Promise((r) => setTimeout(r, 200));
      await decideDispute(t.host.db.db, tenantId, null, disputeId, { answer: 'no', note: 'recorded' }, () => ({ score: 0, failedCritical: false }));
      await planning.trackDisputes({ tenantId, evaluationId });
      const disputed = env.client.workflow.getHandle(workflows.disputeWorkflowId(tenantId, evaluationId));
      await disputed.result();
      // An erasure (of a customer with nothing stored: the run's own history is what replays), named by its hash only.
      const refHash = workflows.customerRefHash(tenantId, 'recorded-customer');
      const erasure = await env.client.workflow.start('erasureWorkflow', {
        taskQueue,
        workflowId: workflows.erasureWorkflowId(tenantId, refHash),
        args: [{ tenantId, refHash }],
      });
      await erasure.result();
      // A departed agent's erasure: an agent added for it, with no member and no shift.
      const [team] = await t.host.db.db.select({ id: schema.teams.id }).from(schema.teams).where(eq(schema.teams.tenantId, tenantId)).limit(1);
      const [departed] = await t.host.db.db
        .insert(schema.agents)
        .values({
          tenantId,
          key: 'recorded-departed',
          displayName: 'Recorded Departed',
          teamId: team!.id,
          shift: { start_minute: 540, length_minutes: 480, weekdays: [1, 2, 3, 4, 5], breaks: [] },
        })
        .returning({ id: schema.agents.id });
      const agentErasure = await env.client.workflow.start('agentErasureWorkflow', {
        taskQueue,
        workflowId: workflows.agentErasureWorkflowId(tenantId, departed!.id),
        args: [{ tenantId, agentId: departed!.id }],
      });
      await agentErasure.result();
      // Webhook deliveries: one answered, one whose URL the guard refuses (given up at once).
      const webhookRun = async (url: string) => {
        const subscriptionId = await createWebhookSubscription(t.host.db.db, tenantId, null, {
          name: 'recorded',
          url,
          kinds: ['schedule.published'],
          secretSealed: 'recorded',
        });
        const deliveryId = (await recordWebhookTest(t.host.db.db, tenantId, subscriptionId, randomUUID(), new Date()))!;
        await workflows.startWebhookDeliveries(env.client, { tenantId, deliveryIds: [deliveryId] }, taskQueue);
        const handle = env.client.workflow.getHandle(workflows.webhookWorkflowId(tenantId, deliveryId));
        await handle.result();
        return handle;
      };
      const delivered = await webhookRun('https://recorded.test/hook');
      const refused = await webhookRun('https://recorded.test/refused');
      // Coaching: one assignment reminded, escalated, acknowledged and measured (its waits in seconds); one whose session
      // finds no slot (the agent has no shift) and is cancelled; and a rules check starting the run of one never delivered.
      const coachingIds = (await getDirectory(t.host.db.db, tenantId))!.agents.slice(0, 3).map((a) => a.id);
      const assign = async (agentId: string, sessionMinutes: number | null) =>
        (
          await createCoachingAssignments(
            t.host.db.db,
            tenantId,
            null,
            [
              {
                agentId,
                ruleId: null,
                ruleName: 'Recorded',
                target: { type: 'metric', metric: 'hold_rate' },
                evidence: { kind: 'manual' },
                tip: { headline: 'Hold rate', body: 'recorded', guidance: null, ownLines: [], example: null },
                sessionMinutes,
                measureWeeks: 1,
                coachUserId: null,
                dueAt: new Date(Date.now() + 86_400_000),
              },
            ],
            new Date(),
          )
        )[0]!.id;
      const acknowledge = (id: string) =>
        moveCoachingAssignment(t.host.db.db, tenantId, {
          id,
          from: ['delivered', 'overdue'],
          set: { status: 'acknowledged' },
          event: { at: new Date(), kind: 'acknowledged' },
        });
      const waitFor = async (id: string, status: string) => {
        while ((await getCoachingAssignment(t.host.db.db, tenantId, id))!.status !== status) await new Promise((r) => setTimeout(r, 200));
      };
      const measuredId = await assign(coachingIds[0]!, null);
      await planning.startCoaching({ tenantId, assignmentId: measuredId, remindAfterS: 1, escalateAfterS: 2, measureForS: 1 });
      await waitFor(measuredId, 'overdue');
      await acknowledge(measuredId);
      await planning.signalCoaching({ tenantId, assignmentId: measuredId, signal: 'acknowledged' });
      const measured = env.client.workflow.getHandle(`coaching:${tenantId}:${measuredId}`);
      await measured.result();
      const cancelledId = await assign(coachingIds[1]!, 15);
      await planning.startCoaching({ tenantId, assignmentId: cancelledId });
      await acknowledge(cancelledId);
      await planning.signalCoaching({ tenantId, assignmentId: cancelledId, signal: 'acknowledged' });
      await waitFor(cancelledId, 'slots_proposed');
      await moveCoachingAssignment(t.host.db.db, tenantId, {
        id: cancelledId,
        from: ['slots_proposed'],
        set: { status: 'cancelled' },
        event: { at: new Date(), kind: 'cancelled' },
      });
      await planning.signalCoaching({ tenantId, assignmentId: cancelledId, signal: 'cancelled' });
      const cancelled = env.client.workflow.getHandle(`coaching:${tenantId}:${cancelledId}`);
      await cancelled.result();
      await saveCoachingRule(t.host.db.db, tenantId, null, {
        name: 'Recorded',
        enabled: true,
        condition: { kind: 'critical_fail', withinDays: 1 },
        tip: 'recorded',
        session: null,
        dueDays: 1,
        measureWeeks: 1,
      });
      await assign(coachingIds[2]!, null);
      const rules = await env.client.workflow.start('coachingRulesWorkflow', {
        taskQueue,
        workflowId: `coaching-rules:${tenantId}:recorded`,
        args: [{ tenantId }],
      });
      await rules.result();
      return {
        'coachingWorkflow-measured': await measured.fetchHistory(),
        'coachingWorkflow-cancelled': await cancelled.fetchHistory(),
        'coachingRulesWorkflow-completed': await rules.fetchHistory(),
        'intradayWorkflow-completed': await intraday.fetchHistory(),
        'webhookDeliveryWorkflow-delivered': await delivered.fetchHistory(),
        'webhookDeliveryWorkflow-refused': await refused.fetchHistory(),
        'agentErasureWorkflow-completed': await agentErasure.fetchHistory(),
        'erasureWorkflow-completed': await erasure.fetchHistory(),
        'disputeWorkflow-decided': await disputed.fetchHistory(),
        'evaluationWorkflow-completed': await evaluation.fetchHistory(),
        'scheduleWorkflow-published': await published.fetchHistory(),
        'scheduleWorkflow-rejected': await rejected.fetchHistory(),
        'weeklyScheduleWorkflow-completed': await weekly.fetchHistory(),
        'forecastWorkflow-completed': await completed.fetchHistory(),
        'staffingWorkflow-completed': await env.client.workflow.getHandle(`staffing:${tenantId}:${versionId}`).fetchHistory(),
        'forecastWorkflow-tenant-not-found': await failed.fetchHistory(),
      };
    });
    mkdirSync(FIXTURES, { recursive: true });
    for (const [name, history] of Object.entries(histories)) {
      const file = path.join(FIXTURES, `${name}.json`);
      if (existsSync(file)) continue;
      writeFileSync(file, `${JSON.stringify(scrub(historyToJSON(history)), null, 2)}\n`);
    }
  } finally {
    await math.close();
    await env.teardown();
    await t.stop();
  }
}

beforeAll(async () => {
  if (process.env.RECORD_WORKFLOW_HISTORIES === '1') await recordHistories();
}, 300_000);

describe('recorded workflow histories', () => {
  it('include a run of every exported workflow function', async () => {
    // The module the worker bundles; loading it outside the sandbox only defines its functions.
    const module = (await import(workflowsPath)) as Record<string, unknown>;
    const exported = Object.keys(module).filter((name) => typeof module[name] === 'function');
    expect(exported).toContain('forecastWorkflow');
    const recorded = new Set(readFixtures().map((f) => workflowTypeOf(f.history)));
    expect(exported.filter((name) => !recorded.has(name))).toEqual([]);
  });

  it('replay against the current workflow code without an error', async () => {
    const fixtures = readFixtures();
    const results: { workflowId: string; error: string | null }[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowsPath },
      fixtures.map((f) => ({ workflowId: f.file, history: f.history })),
    )) {
      results.push({ workflowId: result.workflowId, error: result.error ? `${result.error.name}: ${result.error.message}` : null });
    }
    expect(results).toEqual(fixtures.map((f) => ({ workflowId: f.file, error: null })));
  });
});
