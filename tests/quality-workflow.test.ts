import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '@switchboard/contracts';
import { ensureMember } from '@switchboard/api';
import { decideDispute, getEvaluationCursor, getEvaluationWithAnswers, listDisputes, listEvaluations, saveEvaluationPlan, schema } from '@switchboard/db';
import { redactPii } from '@switchboard/ingest';
import { scoreInteraction, standardForm } from '@switchboard/quality';
import { getInteractionDetails } from '@switchboard/telemetry';
import {
  createMathPool,
  createPlanningClient,
  createPlanningWorker,
  disputeWorkflowId,
  evaluationScheduleId,
  PLANNING_TASK_QUEUE,
  type MathPool,
} from '@switchboard/workflows';
import { postAll } from './support/events.ts';
import { labelledEvents, labelledTranscripts, seedDispute, type Labelled } from './support/quality.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * The evaluation workflow against the Temporal dev server, reading what ingest stored: labelled transcripts sent
 * as events (answer, holds, transcript segments, a transfer, the end), scored and stored with their evidence.
 */

const transcripts = labelledTranscripts('dev', 24);
const agents = ['a-1', 'a-2', 'a-3'];
const eventsOf = (t: Labelled, n: number, endedAgoMs: number) =>
  labelledEvents(t, { agentKey: agents[n % agents.length]!, queueKey: 'billing', endedAgoMs, transferTo: n === 5 ? 'sales' : undefined });

let env: TestWorkflowEnvironment;
let t: TestHost;
let math: MathPool;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `${PLANNING_TASK_QUEUE}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  t = await startTestHost();
  math = createMathPool({ threads: 1 });
  worker = await createPlanningWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    deps: { telemetry: t.host.telemetry.client, db: t.host.db.db, math },
    taskQueue,
  });
  running = worker.run();
}, 300_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await math?.close();
  await env?.teardown();
  await t?.stop();
});

const evaluate = (tenantId: string) =>
  env.client.workflow.execute('evaluationWorkflow', { taskQueue, workflowId: `evaluation:${tenantId}:${randomUUID()}`, args: [{ tenantId }] }) as Promise<{
    interactions: number;
    evaluations: number;
    reviews: number;
    batches: number;
  }>;

describe('evaluationWorkflow', () => {
  it('scores every ended interaction once, with the answers the CLI gives on the stored text and evidence into it', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    await postAll(
      t.url,
      apiKey,
      transcripts.flatMap((x, n) => eventsOf(x, n, 60_000)),
    );
    // Ends stored in the last two seconds wait for the next tick (their transcripts may still be on the way).
    await new Promise((r) => setTimeout(r, 2_500));

    const first = await evaluate(tenantId);
    expect(first).toMatchObject({ interactions: transcripts.length, evaluations: transcripts.length, batches: 1 });
    const stored = await listEvaluations(t.host.db.db, tenantId, { limit: 100 });
    expect(stored).toHaveLength(transcripts.length);

    const details = await getInteractionDetails(t.host.telemetry.client, {
      tenantId,
      interactionIds: stored.map((e) => e.interactionId),
      since: new Date(Date.now() - 86_400_000),
    });
    for (const evaluation of stored) {
      const full = (await getEvaluationWithAnswers(t.host.db.db, tenantId, evaluation.id))!;
      const source = transcripts.find((x) => evaluation.interactionId.startsWith(`${x.interaction_id}-`))!;
      const detail = details.get(evaluation.interactionId)!;
      // The stored transcript is the sent one after ingest's redaction; the holds come back as sent.
      expect(detail.segments.map((s) => s.text)).toEqual(source.segments.map((s) => redactPii(s.text)));
      expect(detail.holds).toEqual(source.holds);
      const direct = scoreInteraction(standardForm, {
        interaction_id: 'x',
        channel: source.channel,
        segments: detail.segments,
        holds: detail.holds,
        metadata: {},
      });
      expect(Object.fromEntries(full.answers.map((a) => [a.questionId, a.machineAnswer]))).toEqual(
        Object.fromEntries(direct.answers.map((a) => [a.question, a.answer])),
      );
      expect(evaluation.score).toBe(direct.score);
      for (const answer of full.answers) {
        for (const e of answer.evidence as ({ segment_index: number; start: number; end: number } | { hold_index: number })[]) {
          if ('hold_index' in e) expect(e.hold_index).toBeLessThan(detail.holds.length);
          else expect(e.end).toBeLessThanOrEqual(detail.segments[e.segment_index]!.text.length);
        }
        // A sure answer stands as the final one; an unsure one waits for an analyst.
        expect(answer.finalAnswer).toBe(answer.needsReview ? null : answer.machineAnswer);
      }
    }
    // Every agent has their weekly minimum in review; the transferred call is targeted (unless the rules were unsure).
    for (const agent of agents) expect(stored.some((e) => e.agentKey === agent && e.reviewReason !== null)).toBe(true);
    expect(['transfer', 'unsure']).toContain(stored.find((e) => e.interactionId.startsWith(`${transcripts[5]!.interaction_id}-`))!.reviewReason);
    expect(stored.filter((e) => e.reviewReason !== null).every((e) => e.status === 'in_review')).toBe(true);

    // Run again: nothing new, nothing twice; the cursor moved past what was read.
    const second = await evaluate(tenantId);
    expect(second).toMatchObject({ interactions: 0, evaluations: 0 });
    expect(await listEvaluations(t.host.db.db, tenantId, { limit: 100 })).toHaveLength(transcripts.length);
    expect((await getEvaluationCursor(t.host.db.db, tenantId))!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('targets a low survey, sent with the end or after the evaluation, and a customer who hung up on hold', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const db = t.host.db.db;
    // Only the targets send anything to an analyst here: no random share, no weekly minimum.
    await saveEvaluationPlan(db, tenantId, null, {
      key: 'targets',
      name: 'Targets only',
      formKey: 'standard',
      queueIds: [],
      teamIds: [],
      reviewPercent: 0,
      minReviewsPerAgentWeek: 0,
      targets: { csatAtMost: 2, endedOnHold: true },
      active: true,
    });
    // Conversations the rules answer surely, so that no "unsure" comes first.
    const sure = transcripts.filter(
      (x) =>
        x.holds.length === 0 &&
        !scoreInteraction(standardForm, {
          interaction_id: 'x',
          channel: x.channel,
          segments: x.segments.map((seg) => ({ ...seg, text: redactPii(seg.text) })),
          holds: [],
          metadata: {},
        }).answers.some((a) => a.needsReview),
    );
    expect(sure.length).toBeGreaterThanOrEqual(3);
    const [lowNow, lowLater, hungUp] = sure.map((x, n) => eventsOf(x, n, 60_000));
    const idOf = (events: TelemetryEvent[]) => (events[0] as { interaction_id: string }).interaction_id;
    const survey = (events: TelemetryEvent[], csat: number): TelemetryEvent => ({
      event_id: randomUUID(),
      schema_version: 1,
      occurred_at: new Date().toISOString(),
      sent_at: new Date().toISOString(),
      source: 'survey',
      type: 'survey.response',
      interaction_id: idOf(events),
      csat,
    });
    const end = hungUp!.find((e) => e.type === 'interaction.ended') as { occurred_at: string; agent_id: string };
    const held: TelemetryEvent = {
      ...(hungUp![0] as TelemetryEvent & { queue_id: string; channel: 'voice' | 'chat' }),
      event_id: randomUUID(),
      type: 'interaction.held',
      agent_id: end.agent_id,
      occurred_at: new Date(Date.parse(end.occurred_at) - 30_000).toISOString(),
    } as TelemetryEvent;
    await postAll(t.url, apiKey, [...lowNow!, survey(lowNow!, 1), ...lowLater!, ...hungUp!, held]);
    await new Promise((r) => setTimeout(r, 2_500));
    await evaluate(tenantId);
    const reasons = async () =>
      Object.fromEntries((await listEvaluations(db, tenantId, { limit: 100 })).map((e) => [e.interactionId, [e.status, e.reviewReason]]));
    expect(await reasons()).toEqual({
      [idOf(lowNow!)]: ['in_review', 'csat'],
      [idOf(lowLater!)]: ['scored', null],
      [idOf(hungUp!)]: ['in_review', 'ended_on_hold'],
    });

    // The survey of an interaction evaluated already arrives: the next tick sends it to an analyst.
    await postAll(t.url, apiKey, [survey(lowLater!, 2)]);
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await evaluate(tenantId)).reviews).toBe(1);
    expect((await reasons())[idOf(lowLater!)]).toEqual(['in_review', 'csat']);
  });

  it('reminds the quality leads of an open dispute, then escalates it, and ends when the last one is decided', async () => {
    const { tenantId } = await t.createTenant();
    const db = t.host.db.db;
    const { evaluationId, disputeId } = await seedDispute(db, tenantId);
    const person = (role: 'admin' | 'analyst' | 'supervisor', qualityLead: boolean) =>
      ensureMember(t.host.auth, db, {
        email: `${role}-${qualityLead ? 'lead-' : ''}${randomUUID().slice(0, 8)}@disputes.test`,
        name: `Test ${role}`,
        password: 'a long enough test password',
        tenantId,
        role,
        qualityLead,
      });
    await person('analyst', true);
    await person('supervisor', true);
    await person('analyst', false);
    await person('admin', false);
    const planning = createPlanningClient(env.client, taskQueue);
    await planning.trackDisputes({ tenantId, evaluationId, remindAfterS: 1, escalateAfterS: 2 });
    const marked = async () => (await listDisputes(db, tenantId, { evaluationIds: [evaluationId] }))[0]!;
    await expect.poll(async () => (await marked()).escalatedAt !== null, { timeout: 60_000 }).toBe(true);
    expect((await marked()).remindedAt!.getTime()).toBeLessThanOrEqual((await marked()).escalatedAt!.getTime());
    // The reminder went to the quality leads (an administrator is one by role), the escalation to the administrator:
    // each once, with the link; the analyst who is no lead got nothing.
    const mail = (await db.select().from(schema.mailOutbox).where(eq(schema.mailOutbox.tenantId, tenantId))).map((m) => [m.kind, m.recipient.split('-')[0]]);
    expect(mail.sort()).toEqual([
      ['dispute_escalated', 'admin'],
      ['dispute_reminder', 'admin'],
      ['dispute_reminder', 'analyst'],
      ['dispute_reminder', 'supervisor'],
    ]);
    const [body] = await db.select({ body: schema.mailOutbox.body }).from(schema.mailOutbox).where(eq(schema.mailOutbox.tenantId, tenantId)).limit(1);
    expect(body!.body).toContain(`/quality/evaluations/${evaluationId}`);

    // A second dispute of the same evaluation tells the same run rather than starting another.
    await planning.trackDisputes({ tenantId, evaluationId, remindAfterS: 1, escalateAfterS: 2 });
    await decideDispute(db, tenantId, null, disputeId, { answer: null, note: 'the greeting is there' }, () => ({ score: 100, failedCritical: false }));
    await planning.trackDisputes({ tenantId, evaluationId, remindAfterS: 1, escalateAfterS: 2 });
    const result = await env.client.workflow.getHandle(disputeWorkflowId(tenantId, evaluationId)).result();
    expect(result).toEqual({ reminded: true, escalated: true });
  });

  it('keeps one evaluation schedule per tenant, a tick every 30 seconds', async () => {
    const { tenantId } = await t.createTenant();
    const planning = createPlanningClient(env.client, taskQueue);
    expect(await planning.ensureEvaluationSchedule({ tenantId })).toBe(true);
    expect(await planning.ensureEvaluationSchedule({ tenantId })).toBe(false);
    const schedule = await env.client.schedule.getHandle(evaluationScheduleId(tenantId)).describe();
    expect(schedule.spec.intervals).toMatchObject([{ every: 30_000 }]);
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'evaluationWorkflow', args: [{ tenantId }] });
    await env.client.schedule.getHandle(evaluationScheduleId(tenantId)).delete();
  });
});
