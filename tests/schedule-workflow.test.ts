import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchedule, listPlanningGroups, listSchedules, schema, seedSchedulingDefaults } from '@switchboard/db';
import { getScheduledActivities } from '@switchboard/telemetry';
import {
  createMathPool,
  createPlanningClient,
  createPlanningWorker,
  PLANNING_TASK_QUEUE,
  scheduleWorkflowId,
  type ForecastWorkflowResult,
  type MathPool,
  type ScheduleWorkflowResult,
} from '@switchboard/workflows';
import { startTestHost, type TestHost } from './support/host.ts';
import { seedPlanningTenant, START_DATE } from './support/planning.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * The schedule workflow against the Temporal dev server, with chDB and PGlite behind it: a forecast and its
 * staffing give the requirement, the demo center's scheduling defaults give templates, contracts and rules.
 */

let env: TestWorkflowEnvironment;
let t: TestHost;
let math: MathPool;
let worker: Worker;
let running: Promise<void>;
let tenantId: string;
let groups: Awaited<ReturnType<typeof listPlanningGroups>>;
const plannerId = `planner-${randomUUID()}`;
const taskQueue = `${PLANNING_TASK_QUEUE}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  t = await startTestHost();
  math = createMathPool({ threads: 1 });
  worker = await createPlanningWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    deps: { telemetry: t.host.telemetry.client, db: t.host.db.db, math, now: () => new Date(`${START_DATE}T00:00:00Z`) },
    taskQueue,
  });
  running = worker.run();
  tenantId = await seedPlanningTenant(t);
  const forecast = await env.client.workflow.execute('forecastWorkflow', {
    taskQueue,
    workflowId: `forecast:${tenantId}:${START_DATE}`,
    args: [{ tenantId, startDate: START_DATE, horizonDays: 14, trigger: 'manual' }],
  });
  expect((forecast as ForecastWorkflowResult).staffingVersionId).toBeTruthy();
  expect(await seedSchedulingDefaults(t.host.db.db, tenantId)).toBe(true);
  expect(await seedSchedulingDefaults(t.host.db.db, tenantId)).toBe(false);
  groups = await listPlanningGroups(t.host.db.db, tenantId);
  await t.host.db.db.insert(schema.users).values({ id: plannerId, name: 'Pat Planner', email: `${plannerId}@example.test` });
}, 300_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await math?.close();
  await env?.teardown();
  await t?.stop();
});

const groupId = (key: string) => groups.find((g) => g.key === key)!.id;

async function stateOf(workflowId: string, phase: string) {
  const handle = env.client.workflow.getHandle(workflowId);
  for (let i = 0; i < 600; i++) {
    const state = await handle.query<{ phase: string; scheduleId: string | null; reminders: number }>('scheduleState').catch(() => null);
    if (state?.phase === phase) return state;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${workflowId} never reached ${phase}`);
}

describe('the schedule workflow', () => {
  it('generates a draft under every rule, joins a second start, and publishes on approval to Postgres and ClickHouse', async () => {
    const planning = createPlanningClient(env.client, taskQueue);
    const voice = groupId('voice');
    const started = await planning.startSchedule({ tenantId, groupId: voice, weekStart: START_DATE, approval: 'planner' });
    expect(started.workflowId).toBe(scheduleWorkflowId(tenantId, voice, START_DATE));
    const waiting = await stateOf(started.workflowId, 'awaiting_approval');
    // A second "generate" for the week joins the run in flight.
    expect((await planning.startSchedule({ tenantId, groupId: voice, weekStart: START_DATE, approval: 'planner' })).runId).toBe(started.runId);

    const draft = (await getSchedule(t.host.db.db, tenantId, waiting.scheduleId!))!;
    expect(draft.schedule.status).toBe('draft');
    const f = draft.schedule.summary.figures;
    expect(f.violations).toBe(0);
    // The seeded history has contacts on weekdays 08:00–18:00 in one voice queue: the draft covers them.
    expect(f.requiredHours).toBeGreaterThan(0);
    expect(f.shifts).toBeGreaterThan(0);
    expect(f.lpBound).toBeGreaterThan(0);
    expect(f.gap).toBeGreaterThanOrEqual(-1e-9);
    expect(draft.schedule.summary.required).toHaveLength(7 * 96);
    expect(draft.activities.length).toBeGreaterThan(f.shifts!);
    // Every agent works at most one shift a day, and no activity of theirs overlaps another.
    const byAgent = new Map<string, typeof draft.activities>();
    for (const a of draft.activities) byAgent.set(a.agentId, [...(byAgent.get(a.agentId) ?? []), a]);
    for (const list of byAgent.values()) {
      list.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      for (let i = 1; i < list.length; i++) expect(list[i]!.startsAt.getTime()).toBeGreaterThanOrEqual(list[i - 1]!.endsAt.getTime());
    }

    expect(await planning.decideSchedule({ tenantId, groupId: voice, weekStart: START_DATE, approve: true, userId: plannerId })).toBe(true);
    const result = (await env.client.workflow.getHandle(started.workflowId).result()) as ScheduleWorkflowResult;
    expect(result).toMatchObject({ scheduleId: waiting.scheduleId, outcome: 'published' });
    expect(result.agents).toBe(byAgent.size);
    expect((await getSchedule(t.host.db.db, tenantId, result.scheduleId))!.schedule).toMatchObject({ status: 'published', decidedBy: plannerId });
    // A decision for a week nobody waits on any more is refused.
    expect(await planning.decideSchedule({ tenantId, groupId: voice, weekStart: START_DATE, approve: true, userId: plannerId })).toBe(false);

    const snapshot = await getScheduledActivities(t.host.telemetry.client, {
      tenantId,
      from: new Date(`${START_DATE}T00:00:00Z`),
      to: new Date(Date.parse(`${START_DATE}T00:00:00Z`) + 8 * 86_400_000),
    });
    expect(snapshot).toHaveLength(draft.activities.length);
    expect(new Set(snapshot.map((a) => a.schedule_id))).toEqual(new Set([result.scheduleId]));
  }, 240_000);

  it('ends rejected on a rejection and expires a draft nobody decides on, after its reminders', async () => {
    const planning = createPlanningClient(env.client, taskQueue);
    const chat = groupId('chat');
    const rejected = await planning.startSchedule({ tenantId, groupId: chat, weekStart: START_DATE, approval: 'planner' });
    await stateOf(rejected.workflowId, 'awaiting_approval');
    expect(await planning.decideSchedule({ tenantId, groupId: chat, weekStart: START_DATE, approve: false, userId: plannerId })).toBe(true);
    expect(await env.client.workflow.getHandle(rejected.workflowId).result()).toMatchObject({ outcome: 'rejected' });

    const email = groupId('email');
    const expiring = await env.client.workflow.start('scheduleWorkflow', {
      taskQueue,
      workflowId: scheduleWorkflowId(tenantId, email, START_DATE),
      args: [{ tenantId, groupId: email, weekStart: START_DATE, approval: 'planner', reminderEveryS: 1, maxReminders: 2 }],
    });
    const result = (await expiring.result()) as ScheduleWorkflowResult;
    expect(result.outcome).toBe('expired');
    const stored = (await listSchedules(t.host.db.db, tenantId, { groupId: email }))[0]!;
    expect(stored).toMatchObject({ id: result.scheduleId, status: 'rejected', rejectedReason: expect.stringContaining('not approved') });
    const history = await expiring.fetchHistory();
    expect(history.events!.filter((e) => e.timerFiredEventAttributes).length).toBe(2);
  }, 240_000);

  it('fails at once, saying what to do, for a week no staffing requirement covers', async () => {
    const planning = createPlanningClient(env.client, taskQueue);
    const started = await planning.startSchedule({ tenantId, groupId: groupId('voice'), weekStart: '2027-03-01', approval: 'auto' });
    const error = await env.client.workflow
      .getHandle(started.workflowId)
      .result()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause?.cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'NoStaffingRequirement', message: expect.stringContaining('run a forecast') });
  }, 120_000);

  it('generates next week for every group weekly, leaving a week a planner already generated to their run', async () => {
    // A worker whose clock reads Wednesday 2 December: next week starts on Monday the 7th.
    const wednesday = `${PLANNING_TASK_QUEUE}-${randomUUID().slice(0, 8)}`;
    const later = await createPlanningWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      deps: { telemetry: t.host.telemetry.client, db: t.host.db.db, math, now: () => new Date('2026-12-02T15:00:00Z') },
      taskQueue: wednesday,
    });
    const planning = createPlanningClient(env.client, wednesday);
    const nextWeek = '2026-12-07';
    await later.runUntil(async () => {
      const voice = await planning.startSchedule({ tenantId, groupId: groupId('voice'), weekStart: nextWeek, approval: 'planner' });
      await stateOf(voice.workflowId, 'awaiting_approval');
      const weekly = await env.client.workflow.execute('weeklyScheduleWorkflow', {
        taskQueue: wednesday,
        workflowId: `schedule-weekly:${tenantId}:${randomUUID()}`,
        args: [{ tenantId, approval: 'auto' }],
      });
      expect(weekly).toEqual({ weekStart: nextWeek, started: 2 });
      for (const key of ['chat', 'email']) {
        const result = (await env.client.workflow.getHandle(scheduleWorkflowId(tenantId, groupId(key), nextWeek)).result()) as ScheduleWorkflowResult;
        expect(result.outcome).toBe('published');
      }
      expect((await stateOf(voice.workflowId, 'awaiting_approval')).scheduleId).toBeTruthy();
    });
    const week = await listSchedules(t.host.db.db, tenantId, { weekStart: nextWeek });
    expect(week.map((s) => [groups.find((g) => g.id === s.groupId)!.key, s.status]).sort()).toEqual([
      ['chat', 'published'],
      ['email', 'published'],
      ['voice', 'draft'],
    ]);
  }, 240_000);
});
