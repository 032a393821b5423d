import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { addLocalDays, weekdayOf } from '@switchboard/calendar';
import type { TelemetryEvent } from '@switchboard/contracts';
import { createDb, schema } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { createTelemetryStore, queryRows, UInt64 } from '@switchboard/telemetry';
import { PLANNING_TASK_QUEUE, type ForecastWorkflowResult, type ScheduleWorkflowResult } from '@switchboard/workflows';
import { runAdmin } from '../support/admin-cli.ts';
import { callApi, cookieOf, signIn } from '../support/api-client.ts';
import { postAll } from '../support/events.ts';
import { byTier, recordFaultFigures } from '../support/faults.ts';
import { tempDataDir } from '../support/host.ts';
import { labelledEvents, labelledTranscripts } from '../support/quality.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from '../support/spawn-host.ts';
import { findTemporalCli } from '../support/temporal.ts';
import { activityState, retriedActivities, runMillis, waitForRunningActivities } from '../support/workflow-runs.ts';

/**
 * Worker death (issue 17). The host runs the planning worker in-process (embedded mode). A forecast, a schedule
 * generation and a quality evaluation batch run side by side, once undisturbed and once with the host `kill -9`ed
 * while each one's heartbeating activity works; the host is started again on the same data directory. Each killed
 * run must finish through the restarted host, with its side effects stored once (counted in ClickHouse and Postgres
 * after the host has stopped); how long each took is recorded beside its undisturbed twin.
 */

const dataDir = tempDataDir('worker-death');
const START_DATE = '2026-11-30'; // a Monday: the first forecast covers its week and the next, which the schedules plan
const HISTORY_WEEKS = 12;
const GROUP = byTier('email', 'voice');
/** Interactions in each evaluation batch: enough for the activity to score for a few seconds. */
const EVALUATED = byTier(500, 6_000);
/** The first kill finds all three activities running; later ones (long tier) whichever still runs. */
const KILLS = byTier(1, 3);

let env: TestWorkflowEnvironment;
let host: SpawnedHost | undefined;
let tenantId: string;
let cookie: string;
let groupId: string;
const restartMs: number[] = [];

async function startHostProcess(): Promise<SpawnedHost> {
  const spawned = spawnHost(dataDir, await freePort(), { TEMPORAL_ADDRESS: env.address });
  await waitReady(spawned);
  const users = JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')) as { role: string; email: string; password: string }[];
  const planner = users.find((u) => u.role === 'planner')!;
  const res = await signIn(spawned.url, planner.email, planner.password);
  expect(res.status).toBe(200);
  cookie = cookieOf(res);
  return spawned;
}

const killedAt: number[] = [];

async function killHost(): Promise<void> {
  host!.child.kill('SIGKILL');
  await host!.exited;
  killedAt.push(Date.now());
  host = await startHostProcess();
  restartMs.push(Date.now() - killedAt.at(-1)!);
}

/** The planner's API (tRPC over HTTP with their session). */
async function api<T>(procedure: string, input?: unknown, options: { query?: boolean } = {}): Promise<T> {
  const answer = await callApi(host!.url, cookie, procedure, input, options);
  expect(answer.status, answer.message).toBe(200);
  return answer.data as T;
}

/** Half-hourly history of every demo queue, 08:00–18:00 on weekdays, as a center's previous system exports it. */
function historyCsv(): string {
  const lines = ['interval_start,queue,offered,answered,abandoned,aht_s'];
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let d = 0; d < HISTORY_WEEKS * 7; d++) {
    const date = addLocalDays(START_DATE, d - HISTORY_WEEKS * 7);
    const weekday = weekdayOf(date);
    if (weekday === 0 || weekday === 6) continue;
    demoCenter.queues.forEach((queue, q) => {
      for (let half = 16; half < 36; half++) {
        const offered = Math.round((8 + q) * (weekday === 1 ? 1.2 : 1) * (1 + 0.3 * Math.sin((Math.PI * (half - 16)) / 20)) + ((d * 7 + half) % 5));
        lines.push(`${date} ${pad(Math.floor(half / 2))}:${pad((half % 2) * 30)},${queue.id},${offered},${offered},0,${240 + 20 * q}`);
      }
    });
  }
  return `${lines.join('\n')}\n`;
}

/** `count` labelled conversations sent as the demo center's events, ended a few seconds ago; their interaction ids. */
async function sendInteractions(count: number): Promise<string[]> {
  const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
  const transcripts = labelledTranscripts('dev', 70);
  const ids: string[] = [];
  for (let sent = 0; sent < count;) {
    const events: TelemetryEvent[] = [];
    for (const end = Math.min(count, sent + 250); sent < end; sent++) {
      const conversation = labelledEvents(transcripts[sent % transcripts.length]!, {
        agentKey: demoCenter.agents[sent % 40]!.id,
        queueKey: demoCenter.queues[sent % demoCenter.queues.length]!.id,
        endedAgoMs: 3_000,
      });
      ids.push((conversation[0] as { interaction_id: string }).interaction_id);
      events.push(...conversation);
    }
    await postAll(host!.url, apiKey, events);
  }
  return ids;
}

interface Round {
  forecast: WorkflowHandle;
  schedule: WorkflowHandle;
  evaluation: WorkflowHandle;
  interactions: string[];
}

/** Round n: the forecast from START_DATE + n, the schedule of week n, an evaluation batch of new interactions. */
async function startRound(n: 1 | 2): Promise<Round> {
  const interactions = await sendInteractions(EVALUATED);
  // Ends stored in the last two seconds wait for the next batch (their transcripts may still be on the way).
  await new Promise((r) => setTimeout(r, 2_500));
  const forecast = await api<{ workflowId: string }>('planning.runForecast', { startDate: addLocalDays(START_DATE, n), horizonDays: 7 });
  const schedule = await api<{ workflowId: string }>('schedules.generate', { groupId, weekStart: addLocalDays(START_DATE, 7 * (n - 1)) });
  const evaluation = await env.client.workflow.start('evaluationWorkflow', {
    taskQueue: PLANNING_TASK_QUEUE,
    workflowId: `evaluation:${tenantId}:worker-death-${n}`,
    args: [{ tenantId }],
  });
  return {
    forecast: env.client.workflow.getHandle(forecast.workflowId),
    schedule: env.client.workflow.getHandle(schedule.workflowId),
    evaluation,
    interactions,
  };
}

/** Approves the schedule's draft once generated (as the planner does), waits for all three runs and reads their histories. */
async function finishRound(round: Round): Promise<{ forecast: History; schedule: History; evaluation: History }> {
  let draft: string | null = null;
  for (let i = 0; i < 1_200 && !draft; i++) {
    const state = await round.schedule.query<{ phase: string; scheduleId: string | null }>('scheduleState').catch(() => null);
    if (state?.phase === 'awaiting_approval') draft = state.scheduleId;
    else await new Promise((r) => setTimeout(r, 250));
  }
  expect(draft).toBeTruthy();
  await api('schedules.decide', { scheduleId: draft, approve: true });
  const [forecast, schedule, evaluation] = await Promise.all([round.forecast.result(), round.schedule.result(), round.evaluation.result()]);
  expect((forecast as ForecastWorkflowResult).staffingVersionId).toBeTruthy();
  expect(schedule as ScheduleWorkflowResult).toMatchObject({ scheduleId: draft, outcome: 'published' });
  // A retried batch reports what it stored itself: what an attempt killed midway stored is counted in Postgres.
  expect(evaluation).toMatchObject({ interactions: round.interactions.length });
  return { forecast: await round.forecast.fetchHistory(), schedule: await round.schedule.fetchHistory(), evaluation: await round.evaluation.fetchHistory() };
}

const durations = (h: { forecast: History; schedule: History; evaluation: History }) => ({
  forecast: runMillis(h.forecast),
  schedule_generation: runMillis(h.schedule, 'generateSchedule'),
  evaluation: runMillis(h.evaluation),
});

let undisturbed: ReturnType<typeof durations>;
let killed: ReturnType<typeof durations>;
let kills = 0;
/** From the first kill to the start of the attempt that finished each run's killed activity (on a restarted host). */
const finalAttemptAfterKillMs: Record<string, number> = {};
const rounds: Partial<Record<1 | 2, Round>> = {};
const forecastRuns: ForecastWorkflowResult[] = [];

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  host = await startHostProcess();
  // The demo tenant's own Temporal Schedules (evaluation ticks, intraday, coaching) are paused: the runs here are the
  // only work its worker does, so their timings and counts are theirs alone. A restarted host leaves them paused.
  for await (const schedule of env.client.schedule.list()) {
    const [kind, id] = schedule.scheduleId.split(':');
    if (kind === 'quality-evaluation') tenantId = id!;
    await env.client.schedule.getHandle(schedule.scheduleId).pause('worker-death test');
  }
  expect(tenantId).toBeTruthy();
  const file = path.join(dataDir, 'history.csv');
  writeFileSync(file, historyCsv());
  const imported = await runAdmin(dataDir, 'history', 'import', '--tenant', 'demo', file);
  expect(imported.code, imported.stderr).toBe(0);
  const overview = await api<{ groups: { id: string; key: string }[] }>('schedules.overview', { weekStart: START_DATE }, { query: true });
  groupId = overview.groups.find((g) => g.key === GROUP)!.id;
  // The staffing requirement the schedules are generated from.
  const { workflowId } = await api<{ workflowId: string }>('planning.runForecast', { startDate: START_DATE, horizonDays: 14 });
  forecastRuns.push((await env.client.workflow.getHandle(workflowId).result()) as ForecastWorkflowResult);
}, 300_000);

afterAll(async () => {
  if (host) await stopHost(host);
  await env?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('planning runs whose worker is killed', () => {
  it('run undisturbed side by side: a forecast, a schedule generation and an evaluation batch', async () => {
    rounds[1] = await startRound(1);
    const histories = await finishRound(rounds[1]);
    undisturbed = durations(histories);
    for (const h of Object.values(histories)) expect(retriedActivities(h)).toEqual([]);
    forecastRuns.push((await rounds[1].forecast.result()) as ForecastWorkflowResult);
  }, 300_000);

  it('finish through the restarted host when it is killed during their heartbeating activities', async () => {
    const round = (rounds[2] = await startRound(2));
    const heartbeating = [
      { handle: round.forecast, activityType: 'forecastQueue' },
      { handle: round.schedule, activityType: 'generateSchedule' },
      { handle: round.evaluation, activityType: 'evaluateInteractions' },
    ];
    await waitForRunningActivities(heartbeating);
    await killHost();
    kills++;
    // Long tier: again while any of them works (or waits to be retried), until the kills are done or none is left.
    while (kills < KILLS) {
      const states = await Promise.all(heartbeating.map((r) => activityState(r.handle, r.activityType)));
      if (states.every((s) => s === 'none')) break;
      if (states.includes('running')) {
        await killHost();
        kills++;
      } else await new Promise((r) => setTimeout(r, 25));
    }
    const histories = await finishRound(round);
    killed = durations(histories);
    // Each run's heartbeating activity was retried after the heartbeat timeout: the kill caught it at work.
    for (const [run, { activityType }] of (['forecast', 'schedule', 'evaluation'] as const).map((r, i) => [r, heartbeating[i]!] as const)) {
      const retried = retriedActivities(histories[run]).filter((r) => r.activityType === activityType);
      expect(retried).toContainEqual(expect.objectContaining({ lastFailure: 'TIMEOUT_TYPE_HEARTBEAT' }));
      finalAttemptAfterKillMs[run] = retried[0]!.startedAt - killedAt[0]!;
    }
    forecastRuns.push((await round.forecast.result()) as ForecastWorkflowResult);
  }, 600_000);

  it('stored each side effect once', async () => {
    await stopHost(host!);
    host = undefined;
    const telemetry = createTelemetryStore({ dataDir });
    const db = await createDb({ dataDir });
    try {
      const count = async (query: string, params: Record<string, unknown>) =>
        (await queryRows(telemetry.client, z.object({ rows: UInt64, keys: UInt64 }), query, params))[0]!;
      // Rows beyond one per key, per kind of side effect; the readers would collapse some, the writers claim none.
      const duplicates: Record<string, number> = {};
      const add = (kind: string, c: { rows: number; keys: number }) => (duplicates[kind] = (duplicates[kind] ?? 0) + c.rows - c.keys);
      for (const run of forecastRuns) {
        const params = { tenantId, versionId: run.versionId };
        const versions = await count(
          `SELECT count() AS rows, uniqExact(version_id) AS keys FROM forecast_versions WHERE tenant_id = {tenantId:String} AND version_id = {versionId:UUID}`,
          params,
        );
        expect(versions.keys).toBe(1);
        add('forecast_versions', versions);
        add(
          'forecast_intervals',
          await count(
            `SELECT count() AS rows, uniqExact(queue_id, interval_start) AS keys FROM forecast_intervals
              WHERE tenant_id = {tenantId:String} AND version_id = {versionId:UUID}`,
            params,
          ),
        );
        const staffing = await count(
          `SELECT count() AS rows, uniqExact(version_id) AS keys FROM staffing_versions WHERE tenant_id = {tenantId:String} AND forecast_version_id = {versionId:UUID}`,
          params,
        );
        expect(staffing.keys).toBe(1);
        add('staffing_versions', staffing);
      }
      // No version beyond the runs' own: a retried run publishing under a new id would add one.
      const [published] = await queryRows(
        telemetry.client,
        z.object({ versions: UInt64 }),
        `SELECT uniqExact(version_id) AS versions FROM forecast_versions WHERE tenant_id = {tenantId:String}`,
        { tenantId },
      );
      expect(published!.versions).toBe(forecastRuns.length);

      const drafts = await db.db
        .select({ id: schema.schedules.id, status: schema.schedules.status, weekStart: schema.schedules.weekStart })
        .from(schema.schedules)
        .where(and(eq(schema.schedules.tenantId, tenantId), eq(schema.schedules.groupId, groupId)));
      expect(drafts.map((d) => [d.weekStart, d.status]).sort()).toEqual([
        [START_DATE, 'published'],
        [addLocalDays(START_DATE, 7), 'published'],
      ]);
      for (const draft of drafts) {
        const [activities] = await db.db
          .select({
            rows: sql<number>`count(*)::int`,
            keys: sql<number>`count(distinct (${schema.scheduleActivities.agentId}, ${schema.scheduleActivities.kind}, ${schema.scheduleActivities.startsAt}))::int`,
          })
          .from(schema.scheduleActivities)
          .where(and(eq(schema.scheduleActivities.tenantId, tenantId), eq(schema.scheduleActivities.scheduleId, draft.id)));
        expect(activities!.rows).toBeGreaterThan(0);
        add('schedule_activities', activities!);
        const snapshot = await count(
          `SELECT count() AS rows, uniqExact(agent_id, kind, start) AS keys FROM schedule_activities
            WHERE tenant_id = {tenantId:String} AND schedule_id = {scheduleId:UUID}`,
          { tenantId, scheduleId: draft.id },
        );
        expect(snapshot.keys).toBe(activities!.keys);
        add('schedule_snapshot', snapshot);
      }

      for (const round of [rounds[1]!, rounds[2]!]) {
        const [evaluated] = await db.db
          .select({ rows: sql<number>`count(*)::int`, keys: sql<number>`count(distinct ${schema.evaluations.interactionId})::int` })
          .from(schema.evaluations)
          .where(and(eq(schema.evaluations.tenantId, tenantId), inArray(schema.evaluations.interactionId, round.interactions)));
        expect(evaluated!.keys).toBe(round.interactions.length);
        add('evaluations', evaluated!);
        const [answers] = await db.db
          .select({
            rows: sql<number>`count(*)::int`,
            keys: sql<number>`count(distinct (${schema.evaluationAnswers.evaluationId}, ${schema.evaluationAnswers.questionId}))::int`,
          })
          .from(schema.evaluationAnswers)
          .innerJoin(schema.evaluations, eq(schema.evaluations.id, schema.evaluationAnswers.evaluationId))
          .where(and(eq(schema.evaluations.tenantId, tenantId), inArray(schema.evaluations.interactionId, round.interactions)));
        add('evaluation_answers', answers!);
      }

      const dupEffects = Object.values(duplicates).reduce((a, b) => a + b, 0);
      const figures = {
        worker_kills: kills,
        workflow_dup_effects: dupEffects,
        extra: {
          undisturbed_ms: undisturbed,
          killed_ms: killed,
          over_undisturbed_ms: Object.fromEntries(Object.entries(killed).map(([k, v]) => [k, v - undisturbed[k as keyof typeof undisturbed]])),
          restart_ms: restartMs,
          final_attempt_after_kill_ms: finalAttemptAfterKillMs,
          evaluated_per_batch: EVALUATED,
          schedule_group: GROUP,
          duplicates,
        },
      };
      console.log(JSON.stringify(figures));
      recordFaultFigures('worker-death', figures);
      expect(duplicates).toEqual(Object.fromEntries(Object.keys(duplicates).map((k) => [k, 0])));
    } finally {
      await telemetry.close();
      await db.close();
    }
  }, 180_000);
});
