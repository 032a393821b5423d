import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDirectory, saveForecastOverride, saveSpecialDay } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { getAccuracyLedger, getForecastWithActuals, getStaffingIntervals, listForecastVersions, listStaffingVersions } from '@switchboard/telemetry';
import {
  createMathPool,
  createPlanningActivities,
  createPlanningClient,
  createPlanningWorker,
  forecastScheduleId,
  PLANNING_TASK_QUEUE,
  type ForecastPlan,
  type ForecastQueueResult,
  type ForecastWorkflowResult,
  type MathPool,
} from '@switchboard/workflows';
import { startTestHost, type TestHost } from './support/host.ts';
import { AHT_S, insertActuals, pattern, planningQueue, seedPlanningTenant, START_DATE } from './support/planning.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * The planning workflows against the real Temporal dev server (the CLI the setup builds),
 * with real chDB and PGlite behind the activities. The history is a noise-free weekly
 * pattern, so the numbers the forecast must give are known exactly.
 */

const HORIZON_DAYS = 7;
const queue = planningQueue;

let env: TestWorkflowEnvironment;
let t: TestHost;
let math: MathPool;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  t = await startTestHost();
  math = createMathPool({ threads: 1 });
}, 180_000);

afterAll(async () => {
  await math?.close();
  await env?.teardown();
  await t?.stop();
});

function deps() {
  // Milliseconds on purpose: stored timestamps must keep them.
  return { telemetry: t.host.telemetry.client, db: t.host.db.db, math, now: () => new Date(`${START_DATE}T00:00:00.274Z`) };
}

type ActivityOverrides = Parameters<typeof createPlanningWorker>[0]['activities'];

/** Starts the tenant's forecast and runs a worker of its own task queue until `during` settles. */
async function withForecast<T>(tenantId: string, during: (handle: WorkflowHandle) => Promise<T>, activities?: ActivityOverrides): Promise<T> {
  const taskQueue = `${PLANNING_TASK_QUEUE}-${randomUUID().slice(0, 8)}`;
  const worker = await createPlanningWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', deps: deps(), taskQueue, activities });
  const handle = await env.client.workflow.start('forecastWorkflow', {
    taskQueue,
    workflowId: `forecast:${tenantId}:${START_DATE}`,
    args: [{ tenantId, startDate: START_DATE, horizonDays: HORIZON_DAYS, trigger: 'manual' }],
  });
  return worker.runUntil(during(handle));
}

const runForecast = (tenantId: string, activities?: ActivityOverrides): Promise<ForecastWorkflowResult> =>
  withForecast(tenantId, (handle) => handle.result(), activities);

/** Reads until `done` holds (visibility is eventually consistent on the dev server), ten seconds at most. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 50 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

const dailyTotal = (rows: { volume: number }[]) => rows.reduce((s, r) => s + r.volume, 0);

describe('planning workflows on the Temporal dev server', () => {
  it('forecasts every queue, publishes one version, and staffs it', async () => {
    const tenantId = await seedPlanningTenant(t);
    const result = await runForecast(tenantId);

    expect(result.startDate).toBe(START_DATE);
    expect(result.series.map((s) => s.queueId).sort()).toEqual(demoCenter.queues.map((q) => q.id).sort());
    expect(result.series.every((s) => s.written)).toBe(true);
    const versions = await listForecastVersions(t.host.telemetry.client, tenantId);
    expect(versions.map((v) => v.version_id)).toEqual([result.versionId]);
    expect(versions[0]).toMatchObject({ start_date: START_DATE, horizon_days: HORIZON_DAYS, trigger: 'manual', series: demoCenter.queues.length });

    // Noise-free weekly history: Monday's forecast is Monday's pattern, 1.2 × (10..17) per slot over
    // 40 slots, up to the small month-turn effect the calendar method may fit (30 November).
    const monday = await getForecastWithActuals(t.host.telemetry.client, {
      tenantId,
      versionId: result.versionId,
      queueId: queue.id,
      from: new Date(versions[0]!.train_until),
      to: new Date(Date.parse(versions[0]!.train_until) + 86_400_000),
      now: new Date(versions[0]!.train_until),
    });
    expect(monday).toHaveLength(96);
    const expectedMonday = Array.from({ length: 96 }, (_, s) => pattern(1, s)).reduce((a, b) => a + b, 0);
    expect(Math.abs(dailyTotal(monday) / expectedMonday - 1)).toBeLessThan(0.02);
    expect(monday.every((r) => r.volume_lo80 <= r.volume + 1e-9 && r.volume <= r.volume_hi80 + 1e-9)).toBe(true);
    const busy = monday.filter((r) => r.volume > 0);
    expect(busy.length).toBe(40);
    expect(busy.every((r) => Math.abs(r.aht_s - AHT_S) < 1e-6)).toBe(true);

    const staffing = await listStaffingVersions(t.host.telemetry.client, tenantId, result.versionId);
    expect(staffing.map((s) => s.version_id)).toEqual([result.staffingVersionId]);
    // Chat is planned at the concurrency of the agents who serve it (the demo's chat team takes 3 at once).
    const policies = JSON.parse(staffing[0]!.params) as Record<string, { concurrency: number }>;
    expect(policies['service-chat']?.concurrency).toBe(3);
    expect(policies[queue.id]?.concurrency).toBe(1);
    const requirements = await getStaffingIntervals(t.host.telemetry.client, {
      tenantId,
      versionId: result.staffingVersionId,
      queueId: queue.id,
      from: new Date(versions[0]!.train_until),
      to: new Date(Date.parse(versions[0]!.train_until) + 86_400_000),
    });
    expect(requirements).toHaveLength(96);
    for (const r of requirements.filter((x) => x.calls > 0)) {
      // Erlang needs more agents than the workload, and shrinkage turns agents into more FTE.
      expect(r.erlang_agents).toBeGreaterThan(r.workload_erlangs);
      expect(r.capped_agents).toBeGreaterThanOrEqual(r.erlang_agents);
      expect(r.required_fte).toBeCloseTo(r.capped_agents / (1 - 0.3), 6);
      expect(r.service_level).toBeGreaterThanOrEqual(queue.sl_target);
      expect(r.occupancy).toBeLessThanOrEqual(0.85 + 1e-9);
    }
  });

  it('scores a published version against actuals as they arrive', async () => {
    const tenantId = await seedPlanningTenant(t);
    const result = await runForecast(tenantId);
    const ledgerAt = (now: Date, by: 'horizon' | 'slot' = 'horizon') =>
      getAccuracyLedger(t.host.telemetry.client, { tenantId, now, timezone: demoCenter.timezone, by });

    const versionStart = new Date((await listForecastVersions(t.host.telemetry.client, tenantId))[0]!.train_until);
    expect((await ledgerAt(versionStart)).length).toBe(0);

    // Monday comes in 10% above the pattern: WAPE = 0.1/1.1 on that day, forecast biased low.
    await insertActuals(t, tenantId, demoCenter.timezone, START_DATE, 1, 1.1);
    const ledger = (await ledgerAt(new Date(versionStart.getTime() + 86_400_000))).filter((r) => r.queue_id === queue.id);
    expect(ledger.map((r) => ({ version: r.version_id, horizon: r.bucket }))).toEqual([{ version: result.versionId, horizon: 1 }]);
    const day = ledger[0]!;
    expect(day.intervals).toBe(96);
    expect(day.abs_error / day.actual).toBeCloseTo(0.1 / 1.1, 2);
    expect((day.forecast - day.actual) / day.actual).toBeCloseTo(1 / 1.1 - 1, 2);

    // By interval of the day: 96 local slots, the open ones (08:00–18:00) each 10% under.
    const slots = (await ledgerAt(new Date(versionStart.getTime() + 86_400_000), 'slot')).filter((r) => r.queue_id === queue.id);
    expect(slots.map((r) => r.bucket)).toEqual(Array.from({ length: 96 }, (_, i) => i * 15));
    const nine = slots.find((r) => r.bucket === 540)!;
    expect(nine.actual).toBe(Math.round(1.1 * pattern(1, 36)));
    expect(nine.abs_error / nine.actual).toBeCloseTo(Math.abs(pattern(1, 36) - nine.actual) / nine.actual, 1);
    expect(slots.find((r) => r.bucket === 0)).toMatchObject({ actual: 0 });
  });

  it('applies special days and planner overrides to the stored version', async () => {
    const tenantId = await seedPlanningTenant(t);
    const directory = await getDirectory(t.host.db.db, tenantId);
    const queueRow = directory!.queues.find((q) => q.key === queue.id)!;
    await saveSpecialDay(t.host.db.db, tenantId, null, { date: '2026-12-01', label: 'Half day', effect: 'multiply', multiplier: 0.5 });
    // 09:00–10:00 on Wednesday set to 50 contacts per interval.
    await saveForecastOverride(t.host.db.db, tenantId, null, {
      queueId: queueRow.id,
      fromDate: '2026-12-02',
      toDate: '2026-12-02',
      fromMinute: 540,
      toMinute: 600,
      kind: 'set',
      value: 50,
      label: 'mailing',
    });
    const result = await runForecast(tenantId);
    const version = (await listForecastVersions(t.host.telemetry.client, tenantId))[0]!;
    const day = async (offset: number) =>
      getForecastWithActuals(t.host.telemetry.client, {
        tenantId,
        versionId: result.versionId,
        queueId: queue.id,
        from: new Date(Date.parse(version.train_until) + offset * 86_400_000),
        to: new Date(Date.parse(version.train_until) + (offset + 1) * 86_400_000),
        now: new Date(version.train_until),
      });
    const tuesday = await day(1);
    const weekdayTotal = Array.from({ length: 96 }, (_, s) => pattern(2, s)).reduce((a, b) => a + b, 0);
    expect(Math.abs(dailyTotal(tuesday) / (weekdayTotal * 0.5) - 1)).toBeLessThan(0.02);

    const wednesday = await day(2);
    const overridden = wednesday.filter((r) => r.overridden === 1);
    expect(overridden.map((r) => r.volume)).toEqual([50, 50, 50, 50]);
    expect(overridden.every((r) => r.volume_statistical !== 50)).toBe(true);
  });

  it('writes each queue once when an activity is retried after its write', async () => {
    const tenantId = await seedPlanningTenant(t);
    const attempts: boolean[] = [];
    const result = await runForecast(tenantId, (real) => ({
      ...real,
      async forecastQueue(input: Parameters<typeof real.forecastQueue>[0]) {
        const outcome = await real.forecastQueue(input);
        if (input.queueId !== queue.id) return outcome;
        attempts.push(outcome.written);
        // The write landed but the worker "crashes" before reporting it: Temporal retries.
        if (attempts.length === 1) throw ApplicationFailure.retryable('lost after the write');
        return outcome;
      },
    }));
    expect(attempts).toEqual([true, false]);
    const [{ n }] = (await (
      await t.host.telemetry.client.query({
        query: `SELECT count() AS n FROM forecast_intervals WHERE tenant_id = {tenantId:String} AND version_id = {versionId:UUID} AND queue_id = {queueId:String}`,
        query_params: { tenantId, versionId: result.versionId, queueId: queue.id },
        format: 'JSONEachRow',
      })
    ).json()) as [{ n: string }];
    expect(Number(n)).toBe(HORIZON_DAYS * 96);
    expect((await listForecastVersions(t.host.telemetry.client, tenantId)).length).toBe(1);
  });

  it('keeps one daily forecast and one weekly schedule run per tenant in its time zone, and lists runs', async () => {
    const tenantId = await seedPlanningTenant(t);
    const planning = createPlanningClient(env.client);
    expect(await planning.ensureForecastSchedule({ tenantId, timezone: demoCenter.timezone })).toBe(true);
    expect(await planning.ensureForecastSchedule({ tenantId, timezone: demoCenter.timezone })).toBe(false);
    const schedule = await env.client.schedule.getHandle(forecastScheduleId(tenantId)).describe();
    expect(schedule.spec.timezone).toBe(demoCenter.timezone);
    expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }] });
    await env.client.schedule.getHandle(forecastScheduleId(tenantId)).delete();

    // Next week's schedules: Thursdays at 03:00 in the tenant's zone, starting the weekly workflow for this tenant.
    expect(await planning.ensureWeeklySchedule({ tenantId, timezone: demoCenter.timezone, approval: 'planner' })).toBe(true);
    expect(await planning.ensureWeeklySchedule({ tenantId, timezone: demoCenter.timezone, approval: 'planner' })).toBe(false);
    const weekly = await env.client.schedule.getHandle(`schedule-weekly:${tenantId}`).describe();
    expect(weekly.spec.timezone).toBe(demoCenter.timezone);
    expect(weekly.spec.calendars).toHaveLength(1);
    expect(weekly.spec.calendars?.[0]).toMatchObject({ dayOfWeek: [{ start: 'THURSDAY', end: 'THURSDAY', step: 1 }], hour: [{ start: 3, end: 3, step: 1 }] });
    expect(weekly.action).toMatchObject({ type: 'startWorkflow', workflowType: 'weeklyScheduleWorkflow', args: [{ tenantId, approval: 'planner' }] });
    const [next] = weekly.info.nextActionTimes;
    expect(next).toBeDefined();
    // The next run falls on a Thursday at 03:00 on the tenant's clock.
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: demoCenter.timezone,
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(next);
    expect(local).toBe('Thursday 03:00');
    await env.client.schedule.getHandle(`schedule-weekly:${tenantId}`).delete();

    const result = await runForecast(tenantId);
    const runs = await eventually(
      () => planning.listRuns(tenantId),
      (r) => r.length >= 2,
    );
    expect(runs.map((r) => [r.type, r.status]).sort()).toEqual([
      ['forecastWorkflow', 'COMPLETED'],
      ['staffingWorkflow', 'COMPLETED'],
    ]);
    expect(runs.find((r) => r.type === 'staffingWorkflow')?.workflowId).toBe(`staffing:${tenantId}:${result.versionId}`);
    await expect(planning.listRuns('x" OR WorkflowId != "')).rejects.toThrow();
  });
});

describe('failures and progress', () => {
  it('fails a run after one attempt when the tenant does not exist', async () => {
    // A well-formed id of no tenant: the input passes validation and the lookup fails the same way every time.
    const tenantId = randomUUID();
    const { error, history } = await withForecast(tenantId, async (handle) => ({
      error: await handle.result().then(
        () => null,
        (e: unknown) => e,
      ),
      history: await handle.fetchHistory(),
    }));

    expect((error as Error | null)?.name).toBe('WorkflowFailedError');
    const activityFailure = (error as Error).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect((activityFailure as ActivityFailure).cause).toBeInstanceOf(ApplicationFailure);
    expect((activityFailure as ActivityFailure).cause).toMatchObject({ type: 'TenantNotFound', nonRetryable: true });

    const events = history.events ?? [];
    expect(events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toEqual(['planForecast']);
    // The server records one ActivityTaskStarted per activity, for its last attempt: a retried one would show attempt > 1.
    expect(events.flatMap((e) => e.activityTaskStartedEventAttributes?.attempt ?? [])).toEqual([1]);
    const failed = events.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes;
    expect(failed?.failure?.applicationFailureInfo).toMatchObject({ type: 'TenantNotFound', nonRetryable: true });
  });

  it('lists a running run with the progress from its memo', async () => {
    const tenantId = await seedPlanningTenant(t);
    const planning = createPlanningClient(env.client);
    const queues = demoCenter.queues.length;
    let calls = 0;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));

    const running = await withForecast(
      tenantId,
      async (handle) => {
        try {
          return await eventually(
            () => planning.listRuns(tenantId),
            (runs) => runs[0]?.progress?.done === 1,
          );
        } finally {
          release();
          await handle.result();
        }
      },
      (real) => ({
        ...real,
        // The second queue's forecast waits until the test has read the run list.
        async forecastQueue(input: Parameters<typeof real.forecastQueue>[0]) {
          if (++calls === 2) await released;
          return real.forecastQueue(input);
        },
      }),
    );
    expect(running).toEqual([
      expect.objectContaining({ type: 'forecastWorkflow', status: 'RUNNING', progress: { phase: 'forecasting', done: 1, total: queues } }),
    ]);

    // A closed run is listed without progress; its memo keeps the last phase.
    const closed = await eventually(
      () => planning.listRuns(tenantId),
      (runs) => runs.length === 2 && runs.every((r) => r.status === 'COMPLETED'),
    );
    expect(closed.map((r) => [r.type, r.status, r.progress]).sort()).toEqual([
      ['forecastWorkflow', 'COMPLETED', null],
      ['staffingWorkflow', 'COMPLETED', null],
    ]);
    const { memo } = await env.client.workflow.getHandle(running[0]!.workflowId).describe();
    expect(memo?.progress).toEqual({ phase: 'done', done: queues, total: queues });
  });
});

describe('starting runs', () => {
  it('joins a forecast of the same day still in flight rather than starting another', async () => {
    const tenantId = await seedPlanningTenant(t);
    // A task queue no worker polls: the run stays in flight for as long as the test needs.
    const planning = createPlanningClient(env.client, `idle-${randomUUID().slice(0, 8)}`);
    const first = await planning.startForecast({ tenantId, startDate: START_DATE });
    expect(first.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await planning.startForecast({ tenantId, startDate: START_DATE })).toEqual(first);
    const other = await planning.startForecast({ tenantId, startDate: '2031-01-01' });
    expect(other.workflowId).not.toBe(first.workflowId);
    for (const run of [first, other]) await env.client.workflow.getHandle(run.workflowId).terminate('test over');
  });
});

describe('planning activities in isolation', () => {
  it('plans tomorrow in the tenant’s time zone and forecasts one queue with heartbeats', async () => {
    const tenantId = await seedPlanningTenant(t);
    const activities = createPlanningActivities(deps());
    const mock = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    mock.on('heartbeat', (d: unknown) => heartbeats.push(d));
    const plan: ForecastPlan = await mock.run(activities.planForecast, { tenantId });
    // now = START_DATE 00:00Z, which is still the day before in America's time zones.
    const localToday = new Date(`${START_DATE}T00:00:00Z`).toLocaleDateString('en-CA', { timeZone: demoCenter.timezone });
    expect(plan.startDate > localToday).toBe(true);
    expect(plan.queues.length).toBe(demoCenter.queues.length);

    const fixed: ForecastPlan = await mock.run(activities.planForecast, { tenantId, startDate: START_DATE });
    const input = {
      tenantId,
      versionId: randomUUID(),
      queueId: queue.id,
      channel: queue.channel,
      timezone: fixed.timezone,
      startDate: START_DATE,
      horizonDays: 2,
      trainUntil: fixed.trainUntil,
    };
    const first: ForecastQueueResult = await mock.run(activities.forecastQueue, input);
    expect(first).toMatchObject({ queueId: queue.id, written: true, intervals: 192 });
    expect(heartbeats).toContain('fitting');
    const again: ForecastQueueResult = await mock.run(activities.forecastQueue, input);
    expect(again.written).toBe(false);
  });
});
