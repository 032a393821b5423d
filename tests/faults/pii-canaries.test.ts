import { randomUUID } from 'node:crypto';
import type { History } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CenterConfig, TelemetryEvent } from '@switchboard/contracts';
import {
  finalizeEvaluation,
  getCoachingAssignment,
  getEvaluationWithAnswers,
  getTenantById,
  listEvaluations,
  seedSchedulingDefaults,
  type Role,
} from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { PLANNING_TASK_QUEUE } from '@switchboard/workflows';
import { runAdmin } from '../support/admin-cli.ts';
import { postAll } from '../support/events.ts';
import { recordFaultFigures } from '../support/faults.ts';
import { startTestHost, type TestHost } from '../support/host.ts';
import { seedTenantWithMembers } from '../support/members.ts';
import { insertActuals, START_DATE } from '../support/planning.ts';
import { labelledEvents, labelledTranscripts } from '../support/quality.ts';
import { findTemporalCli } from '../support/temporal.ts';
import { countCanaries, historyText } from '../support/workflow-runs.ts';

/**
 * PII canaries (issue 17): the workflows that touch people and transcripts run over data carrying unique canary
 * values — a customer's e-mail, phone and card number and name in transcript text, their customer_ref, an agent's
 * name, free text a supervisor and an agent type (a coaching tip, a dispute comment). Then every workflow history of
 * the namespace (inputs, results, memos, signals, failures and their stack traces, payloads decoded to text) and
 * every Temporal Schedule is read, and each canary counted: workflows carry ids, so none may appear.
 */

const CANARIES = {
  email: 'canary.7f3a@example.test',
  phone: '415-555-0173',
  phoneDigits: '4155550173',
  card: '4111 1111 1111 1111',
  cardDigits: '4111111111111111',
  customerName: 'Ophelia Quillfeather',
  customerRef: 'cust-canary-7f3a',
  agentName: 'Zebulon Marchbanks',
} as const;

/** The demo center, its first agent renamed to a canary. */
const center: CenterConfig = { ...demoCenter, agents: demoCenter.agents.map((a, i) => (i === 0 ? { ...a, display_name: CANARIES.agentName } : a)) };
const agent = center.agents[0]!;

let env: TestWorkflowEnvironment;
let t: TestHost;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  t = await startTestHost({ TEMPORAL_ADDRESS: env.address });
}, 180_000);

afterAll(async () => {
  await t?.stop();
  await env?.teardown();
});

/** A labelled conversation of the canary agent, the customer giving their details and name, sent as the center's events. */
function canaryConversation(n: number): TelemetryEvent[] {
  const transcript = labelledTranscripts('dev', 20)[n]!;
  const said = [
    `This is ${CANARIES.customerName}, my e-mail is ${CANARIES.email} and my number ${CANARIES.phone}.`,
    `The card is ${CANARIES.card}, in the name of ${CANARIES.customerName}.`,
  ];
  const segments = [
    ...transcript.segments,
    ...said.map((text, i) => ({ speaker: 'customer' as const, start_ms: 1_000_000 + i * 5_000, end_ms: 1_004_000 + i * 5_000, text })),
    {
      speaker: 'agent' as const,
      start_ms: 1_011_000,
      end_ms: 1_014_000,
      text: `Thank you ${CANARIES.customerName}, ${CANARIES.agentName} here, I have noted it.`,
    },
  ];
  return labelledEvents({ ...transcript, segments }, { agentKey: agent.id, queueKey: center.queues[0]!.id, endedAgoMs: 3_000 }).map((e) =>
    e.type === 'interaction.offered' ? { ...e, customer_ref: CANARIES.customerRef } : e,
  );
}

describe('workflow histories', () => {
  it('carry none of the people and transcript values the workflows worked on', async () => {
    const members: { role: Role; agentKey?: string; teamKeys?: string[] }[] = [
      { role: 'planner' },
      { role: 'supervisor', teamKeys: [agent.team_id] },
      { role: 'agent', agentKey: agent.id },
    ];
    const { tenantId, apiKey, callers } = await seedTenantWithMembers(t, center, members);
    const [planner, supervisor, agentCaller] = callers as [(typeof callers)[0], (typeof callers)[0], (typeof callers)[0]];
    const db = t.host.db.db;
    const runs: string[] = [];
    const result = async (workflowId: string) => {
      runs.push(workflowId);
      return env.client.workflow.getHandle(workflowId).result();
    };

    // Quality: the conversations scored by an evaluation batch.
    await postAll(t.url, apiKey, [0, 1, 2].flatMap(canaryConversation));
    await new Promise((r) => setTimeout(r, 2_500));
    const evaluation = `evaluation:${tenantId}:${randomUUID()}`;
    await env.client.workflow.start('evaluationWorkflow', { taskQueue: PLANNING_TASK_QUEUE, workflowId: evaluation, args: [{ tenantId }] });
    expect(await result(evaluation)).toMatchObject({ interactions: 3, evaluations: 3 });

    // The agent disputes a released evaluation in their own words: the dispute run watches it.
    const [evaluated] = await listEvaluations(db, tenantId, { limit: 10 });
    const full = (await getEvaluationWithAnswers(db, tenantId, evaluated!.id))!;
    const answered = new Map(full.answers.map((a) => [a.questionId, a.machineAnswer ?? 'na']));
    await finalizeEvaluation(db, tenantId, null, evaluated!.id, {
      answered,
      score: evaluated!.score,
      failedCritical: evaluated!.failedCritical,
      release: true,
    });
    await agentCaller.quality.dispute({
      evaluationId: evaluated!.id,
      disputes: [{ questionId: full.answers[0]!.questionId, comment: `I did, ${CANARIES.customerName} (${CANARIES.email}) confirmed it` }],
    });
    runs.push(`dispute:${tenantId}:${evaluated!.id}`);

    // Coaching: a tip typed by the supervisor naming the customer and the agent, delivered, then cancelled.
    const assigned = await supervisor.coaching.assign({
      agentKey: agent.id,
      target: { type: 'metric', metric: 'hold_rate' },
      tip: `${CANARIES.agentName}: when ${CANARIES.customerName} calls back on ${CANARIES.phone}, check card ${CANARIES.card} first`,
      sessionMinutes: null,
      dueDays: 1,
      measureWeeks: 1,
    });
    const coaching = `coaching:${tenantId}:${assigned.id}`;
    await expect.poll(async () => (await getCoachingAssignment(db, tenantId, assigned.id))?.deliveredAt, { timeout: 60_000 }).toBeTruthy();
    await supervisor.coaching.cancel({ id: assigned.id });
    expect(await result(coaching)).toEqual({ outcome: 'cancelled' });
    await supervisor.coaching.saveRule({
      name: 'Critical fail',
      enabled: true,
      condition: { kind: 'critical_fail', withinDays: 7 },
      tip: `Mind the details ${CANARIES.customerName} gave`,
      session: null,
      dueDays: 1,
      measureWeeks: 1,
    });
    await supervisor.coaching.checkNow();
    runs.push(`coaching-rules:${tenantId}:manual`);

    // Planning with the agent's name in the directory: a forecast and its staffing, a schedule published, intraday.
    await insertActuals(t, tenantId, center.timezone, '2026-10-05', 56);
    await seedSchedulingDefaults(db, tenantId);
    const forecast = await planner.planning.runForecast({ startDate: START_DATE, horizonDays: 7 });
    await result(forecast.workflowId);
    const groups = await planner.schedules.overview({ weekStart: START_DATE });
    const email = groups.groups.find((g) => g.key === 'email')!;
    const schedule = await planner.schedules.generate({ groupId: email.id, weekStart: START_DATE });
    let draft: string | null = null;
    await expect
      .poll(
        async () =>
          (draft = (await env.client.workflow.getHandle(schedule.workflowId).query<{ phase: string; scheduleId: string | null }>('scheduleState')).scheduleId),
        { timeout: 120_000, interval: 250 },
      )
      .toBeTruthy();
    await planner.schedules.decide({ scheduleId: draft!, approve: true });
    expect(await result(schedule.workflowId)).toMatchObject({ outcome: 'published' });
    const intraday = await planner.intraday.run();
    await result(intraday.workflowId);

    // The customer's erasure, by their reference, through the running host as an operator runs it.
    const slug = (await getTenantById(db, tenantId))!.slug;
    const erased = await runAdmin(t.dataDir, 'erase', 'customer', '--tenant', slug, '--customer-ref', CANARIES.customerRef);
    expect(erased.code, erased.stderr).toBe(0);

    // The tenant's Temporal Schedules (daily forecast, weekly schedules, evaluation ticks, intraday, coaching), as a
    // host start makes them: their actions' arguments are read too.
    await t.host.planning!.ensureSchedules(null);

    // The scan reads payloads as text: a run started with a canary in its input is found.
    const control = await env.client.workflow.start('evaluationWorkflow', {
      taskQueue: `pii-control-${randomUUID()}`,
      workflowId: `pii-control-${randomUUID()}`,
      args: [{ tenantId: CANARIES.customerRef }],
    });
    expect(countCanaries(historyText(await control.fetchHistory()), CANARIES).customerRef).toBe(1);
    await control.terminate('control run');

    // Every history of the namespace but the control's, and every Temporal Schedule.
    const hits = Object.fromEntries(Object.keys(CANARIES).map((k) => [k, 0])) as Record<keyof typeof CANARIES, number>;
    const scanned: string[] = [];
    const add = (text: string) => {
      for (const [k, n] of Object.entries(countCanaries(text, CANARIES))) hits[k as keyof typeof CANARIES] += n;
    };
    for await (const execution of env.client.workflow.list()) {
      if (execution.workflowId === control.workflowId) continue;
      const history: History = await env.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      add(historyText(history));
      scanned.push(`${execution.type}:${execution.workflowId}`);
    }
    let schedules = 0;
    for await (const listed of env.client.schedule.list()) {
      add(historyText(await env.client.schedule.getHandle(listed.scheduleId).describe()));
      schedules++;
    }
    expect(schedules).toBe(5);
    // Every run above is among those read (the list is eventually consistent: it is read after all finished).
    for (const run of runs)
      expect(
        scanned.some((s) => s.endsWith(`:${run}`)),
        run,
      ).toBe(true);
    const types = [...new Set(scanned.map((s) => s.split(':')[0]))].sort();
    expect(types).toEqual(
      expect.arrayContaining([
        'coachingRulesWorkflow',
        'coachingWorkflow',
        'disputeWorkflow',
        'erasureWorkflow',
        'evaluationWorkflow',
        'forecastWorkflow',
        'intradayWorkflow',
        'scheduleWorkflow',
        'staffingWorkflow',
      ]),
    );
    const piiHits = Object.values(hits).reduce((a, b) => a + b, 0);
    const figures = { pii_hits: piiHits, extra: { histories: scanned.length, schedules, workflow_types: types, canaries: Object.keys(CANARIES), hits } };
    console.log(JSON.stringify(figures));
    recordFaultFigures('pii-canaries', figures);
    expect(hits).toEqual(Object.fromEntries(Object.keys(CANARIES).map((k) => [k, 0])));
  }, 300_000);
});
