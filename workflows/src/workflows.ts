/**
 * Workflow code: deterministic, bundled by the worker, no I/O (activities do it). Only
 * types come from the activities module. eslint.config.js holds this file to that.
 *
 * A change to what these functions do, or in which order, breaks the runs in flight:
 * tests/workflow-replay.test.ts replays recorded histories against it.
 */
import {
  ActivityFailure,
  condition,
  defineQuery,
  defineSignal,
  executeChild,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ForecastQueueResult, PlanningActivities } from './activities.ts';
import type { ErasureTarget } from './erasure-activities.ts';
import type { AgentErasureTarget } from './erasure-agent-activities.ts';
import type { WebhookAttemptResult } from './webhook-activities.ts';
import type { IntradayGroupSummary } from './intraday-activities.ts';

/**
 * An attempt whose worker died (a host killed or crashed) is retried on a live one after this long; a forecast killed
 * 1.7 s in took 128 s under a 2-minute timeout (tests/faults/worker-death.test.ts). The long activities behind it
 * heartbeat every 2 s while they run (heartbeat.ts), and so do the short ones sharing these options: an activity that
 * never beats would be timed out after it even while its worker lives.
 */
const HEARTBEAT_TIMEOUT = '10 seconds';

// Transient failures are retried; the activities raise the permanent ones as non-retryable.
const { planForecast, forecastQueue, publishForecast, computeStaffing } = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export interface Progress {
  phase: 'planning' | 'forecasting' | 'publishing' | 'staffing' | 'generating' | 'awaiting_approval' | 'done';
  done: number;
  total: number;
}

/**
 * Where a running planning workflow is, for the planner's progress bar: kept in the run's
 * memo, which the run list (client.ts listRuns) gets with the runs in one visibility query.
 * Runs started before the memo had no such command in their histories: behind the patch
 * they replay without it and show no progress. deprecatePatch once none of them is open.
 */
function publishProgress(progress: Progress): Progress {
  if (patched('progress-memo')) upsertMemo({ progress });
  return progress;
}

export interface ForecastWorkflowInput {
  tenantId: string;
  /** First forecast day (tenant-local ISO date); tomorrow when absent. */
  startDate?: string;
  horizonDays: number;
  trigger: 'schedule' | 'manual';
}

export interface ForecastWorkflowResult {
  versionId: string;
  staffingVersionId: string;
  startDate: string;
  series: ForecastQueueResult[];
}

export async function forecastWorkflow(input: ForecastWorkflowInput): Promise<ForecastWorkflowResult> {
  // uuid4() is replay-safe: a retried or replayed run writes under the same version id.
  const versionId = uuid4();
  const { workflowId } = workflowInfo();
  let progress = publishProgress({ phase: 'planning', done: 0, total: 0 });

  const plan = await planForecast({ tenantId: input.tenantId, ...(input.startDate ? { startDate: input.startDate } : {}) });
  progress = publishProgress({ phase: 'forecasting', done: 0, total: plan.queues.length });
  const series: ForecastQueueResult[] = [];
  for (const queue of plan.queues) {
    series.push(
      await forecastQueue({
        tenantId: input.tenantId,
        versionId,
        queueId: queue.queueId,
        channel: queue.channel,
        timezone: plan.timezone,
        startDate: plan.startDate,
        horizonDays: input.horizonDays,
        trainUntil: plan.trainUntil,
      }),
    );
    progress = publishProgress({ ...progress, done: series.length });
  }
  progress = publishProgress({ ...progress, phase: 'publishing' });
  await publishForecast({ tenantId: input.tenantId, versionId, plan, horizonDays: input.horizonDays, trigger: input.trigger, workflowId });

  progress = publishProgress({ ...progress, phase: 'staffing' });
  const staffing = await executeChild(staffingWorkflow, {
    args: [{ tenantId: input.tenantId, forecastVersionId: versionId, trigger: 'forecast' }],
    workflowId: `staffing:${input.tenantId}:${versionId}`,
  });
  publishProgress({ ...progress, phase: 'done' });
  return { versionId, staffingVersionId: staffing.versionId, startDate: plan.startDate, series };
}

export interface StaffingWorkflowInput {
  tenantId: string;
  forecastVersionId: string;
  trigger: 'forecast' | 'manual';
}

/** Requirements for a published forecast under the queues' current targets and settings. */
export async function staffingWorkflow(input: StaffingWorkflowInput): Promise<{ versionId: string; intervals: number }> {
  const versionId = uuid4();
  publishProgress({ phase: 'staffing', done: 0, total: 1 });
  const result = await computeStaffing({ ...input, versionId, workflowId: workflowInfo().workflowId });
  publishProgress({ phase: 'done', done: 1, total: 1 });
  return { versionId, intervals: result.intervals };
}

// ── schedules ────────────────────────────────────────────────────────────────

// A week's solve takes up to a minute in the math pool; the activity heartbeats while it waits.
const { generateSchedule, publishSchedule, expireSchedule, planNextWeek } = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/** A planner's decision on the draft. The reason for a rejection is stored by the API, not carried here. */
export const approveScheduleSignal = defineSignal<[{ userId: string }]>('approveSchedule');
export const rejectScheduleSignal = defineSignal<[{ userId: string }]>('rejectSchedule');

export interface ScheduleState {
  phase: 'generating' | 'awaiting_approval' | 'publishing' | 'published' | 'rejected' | 'expired';
  scheduleId: string | null;
  /** Times the planner was reminded that the draft waits for a decision. */
  reminders: number;
}
export const scheduleStateQuery = defineQuery<ScheduleState>('scheduleState');

export interface ScheduleWorkflowInput {
  tenantId: string;
  groupId: string;
  /** First day of the week (tenant-local ISO date). */
  weekStart: string;
  /** `auto` publishes the draft at once (the demo, rolling weeks); `planner` waits for a decision. */
  approval: 'planner' | 'auto';
  /** How long a draft waits between reminders, and how many reminders before it expires: a day, a week. */
  reminderEveryS?: number;
  maxReminders?: number;
}

export interface ScheduleWorkflowResult {
  scheduleId: string;
  outcome: 'published' | 'rejected' | 'expired';
  agents: number;
}

/**
 * Generates a planning group's week into a draft, waits for the planner's approval (reminding while it waits),
 * then publishes it. The planner may edit the draft meanwhile: publishing takes the draft as it is then.
 */
export async function scheduleWorkflow(input: ScheduleWorkflowInput): Promise<ScheduleWorkflowResult> {
  let state: ScheduleState = { phase: 'generating', scheduleId: null, reminders: 0 };
  const steps: ScheduleState['phase'][] = ['generating', 'awaiting_approval', 'publishing', 'published'];
  const enter = (next: Partial<ScheduleState>) => {
    state = { ...state, ...next };
    const done = state.phase === 'rejected' || state.phase === 'expired' ? 3 : steps.indexOf(state.phase);
    upsertMemo({
      progress: { phase: done === 3 ? 'done' : (state.phase as 'generating' | 'awaiting_approval' | 'publishing'), done, total: 3 } satisfies Progress,
      schedule: state,
    });
  };
  let decision: { approve: boolean; userId: string } | undefined;
  setHandler(scheduleStateQuery, () => state);
  setHandler(approveScheduleSignal, ({ userId }) => void (decision ??= { approve: true, userId }));
  setHandler(rejectScheduleSignal, ({ userId }) => void (decision ??= { approve: false, userId }));
  enter({});

  const draft = await generateSchedule({ tenantId: input.tenantId, groupId: input.groupId, weekStart: input.weekStart, workflowId: workflowInfo().workflowId });
  const scheduleId = draft.scheduleId;
  if (input.approval === 'planner') {
    enter({ phase: 'awaiting_approval', scheduleId });
    const every = (input.reminderEveryS ?? 86_400) * 1000;
    while (decision === undefined && state.reminders < (input.maxReminders ?? 7)) {
      if (await condition(() => decision !== undefined, every)) break;
      enter({ reminders: state.reminders + 1 });
    }
    if (decision === undefined) {
      await expireSchedule({ tenantId: input.tenantId, scheduleId });
      enter({ phase: 'expired' });
      return { scheduleId, outcome: 'expired', agents: 0 };
    }
    if (!decision.approve) {
      enter({ phase: 'rejected' });
      return { scheduleId, outcome: 'rejected', agents: 0 };
    }
  }
  enter({ phase: 'publishing', scheduleId });
  const { agents } = await publishSchedule({ tenantId: input.tenantId, scheduleId, userId: decision?.userId ?? null });
  enter({ phase: 'published' });
  return { scheduleId, outcome: 'published', agents };
}

/**
 * Weekly, per tenant (a Temporal Schedule): next week's schedule for every planning group that has none published,
 * each its own scheduleWorkflow (the id a planner's "generate" would use, so one joins the other), left running
 * when this run ends: they wait for the planner, or publish at once with `auto` (the demo).
 */
export async function weeklyScheduleWorkflow(input: { tenantId: string; approval: 'planner' | 'auto' }): Promise<{ weekStart: string; started: number }> {
  const plan = await planNextWeek({ tenantId: input.tenantId });
  let started = 0;
  for (const groupId of plan.groupIds) {
    try {
      await startChild(scheduleWorkflow, {
        workflowId: `schedule:${input.tenantId}:${groupId}:${plan.weekStart}`,
        args: [{ tenantId: input.tenantId, groupId, weekStart: plan.weekStart, approval: input.approval }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      started++;
    } catch (error) {
      // A planner generated that week already: their run stands. (The error's class lives in @temporalio/common,
      // which workflow code may not import at run time; its name says the same.)
      if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
    }
  }
  return { weekStart: plan.weekStart, started };
}

const { evaluateInteractions } = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/**
 * One tick of a tenant's quality evaluation (a Temporal Schedule starts it every 30 s): the interactions that ended
 * since the last tick, scored and stored in one batch. A tick that finds a full batch goes on with the next one, so
 * a backlog drains without waiting for the schedule.
 */
export async function evaluationWorkflow(input: {
  tenantId: string;
}): Promise<{ interactions: number; evaluations: number; reviews: number; batches: number; seconds: { read: number; score: number; store: number } }> {
  const total = { interactions: 0, evaluations: 0, reviews: 0, batches: 0, seconds: { read: 0, score: 0, store: 0 } };
  for (;;) {
    const tick = await evaluateInteractions({ tenantId: input.tenantId });
    total.interactions += tick.interactions;
    total.evaluations += tick.evaluations;
    total.reviews += tick.reviews;
    total.batches += 1;
    // Ticks of runs recorded before the timings were reported have none.
    if (tick.seconds) for (const k of ['read', 'score', 'store'] as const) total.seconds[k] += tick.seconds[k];
    if (!tick.full || total.batches >= 50) return total;
  }
}

const { markDisputes } = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 10 },
});

/** A quality lead decided a dispute of the evaluation, or the agent raised another: look again. */
export const disputesChangedSignal = defineSignal('disputesChanged');

export interface DisputeWorkflowInput {
  tenantId: string;
  evaluationId: string;
  /** After this long undecided the leads are reminded (the disputes show as reminded in their queue)… */
  remindAfterS: number;
  /** …and after this long they escalate to the admins. */
  escalateAfterS: number;
}

/**
 * Watches an evaluation's open disputes (one run per evaluation, `dispute:{tenant}:{evaluation}`): timers remind the
 * quality leads and then escalate; the run ends when no dispute of the evaluation is open. Arguments are ids only.
 */
export async function disputeWorkflow(input: DisputeWorkflowInput): Promise<{ reminded: boolean; escalated: boolean }> {
  const ids = { tenantId: input.tenantId, evaluationId: input.evaluationId };
  let changed = false;
  setHandler(disputesChangedSignal, () => void (changed = true));
  const started = Date.now();
  const marks = [
    { mark: 'reminded' as const, at: started + input.remindAfterS * 1000 },
    { mark: 'escalated' as const, at: started + input.escalateAfterS * 1000 },
  ];
  const done = { reminded: false, escalated: false };
  if ((await markDisputes({ ...ids, mark: null })) === 0) return done;
  for (;;) {
    const next = marks.find((m) => !done[m.mark]);
    // Past the escalation only a change wakes the run.
    const woke = next ? await condition(() => changed, Math.max(1, next.at - Date.now())) : await condition(() => changed).then(() => true);
    if (woke || !next) {
      changed = false;
      if ((await markDisputes({ ...ids, mark: null })) === 0) return done;
      continue;
    }
    done[next.mark] = true;
    if ((await markDisputes({ ...ids, mark: next.mark })) === 0) return done;
  }
}

// ── erasure ──────────────────────────────────────────────────────────────────

const { eraseCustomerData, certifyErasure, eraseAgentData, certifyAgentErasure } = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 10 },
});

/** The tables an erasure scrubs, in order (erasure-activities.ts says why each and how). */
const ERASURE_TARGETS = ['events.text', 'ingest_rejections.raw', 'events.customer_ref'] as const satisfies readonly ErasureTarget[];

interface ErasureProgress {
  done: number;
  total: number;
  /** The table being scrubbed; null before the first and once all are done. */
  current: ErasureTarget | null;
}
export const erasureProgressQuery = defineQuery<ErasureProgress>('progress');

export interface ErasureWorkflowInput {
  tenantId: string;
  /** Hex SHA-256 of `{tenant id}:{customer_ref}`: the reference itself never enters a workflow. */
  refHash: string;
}

export interface ErasureWorkflowResult {
  /** Rows changed per table: all zero when an earlier erasure left nothing. */
  counts: Record<ErasureTarget, number>;
  certified: boolean;
}

/**
 * Erases a customer's personal data (`erasure:{tenant}:{hash}`): transcript words of their interactions, rejected
 * raw lines, then the customer_ref itself (replaced by a token from the hash), each table in place; rollups keep
 * their counts. Ends with the erasure certificate in the audit log. Running it again changes nothing.
 */
export async function erasureWorkflow(input: ErasureWorkflowInput): Promise<ErasureWorkflowResult> {
  let progress: ErasureProgress = { done: 0, total: ERASURE_TARGETS.length, current: null };
  setHandler(erasureProgressQuery, () => progress);
  const counts = {} as Record<ErasureTarget, number>;
  for (const target of ERASURE_TARGETS) {
    progress = { ...progress, current: target };
    counts[target] = (await eraseCustomerData({ tenantId: input.tenantId, refHash: input.refHash, target })).rows;
    progress = { ...progress, done: progress.done + 1 };
  }
  progress = { ...progress, current: null };
  const { recorded } = await certifyErasure({ tenantId: input.tenantId, refHash: input.refHash, startedAt: workflowInfo().startTime.toISOString(), counts });
  return { counts, certified: recorded };
}

/** What an agent erasure scrubs, in order (erasure-agent-activities.ts says why this order and how each is done). */
const AGENT_ERASURE_TARGETS = [
  'events.text',
  'ingest_rejections.raw',
  'postgres.text',
  'mail_outbox',
  'users',
  'agents.display_name',
] as const satisfies readonly AgentErasureTarget[];

interface AgentErasureProgress {
  done: number;
  total: number;
  /** The target being scrubbed; null before the first and once all are done. */
  current: AgentErasureTarget | null;
}
export const agentErasureProgressQuery = defineQuery<AgentErasureProgress>('progress');

export interface AgentErasureWorkflowInput {
  tenantId: string;
  /** agents.id: the agent's name, e-mail and key never enter a workflow. */
  agentId: string;
}

export interface AgentErasureWorkflowResult {
  /** Rows changed or deleted per target: all zero when an earlier erasure left nothing. */
  counts: Record<AgentErasureTarget, number>;
  certified: boolean;
}

/**
 * Erases a departed agent's personal data (`erasure-agent:{tenant}:{agent id}`): their names in transcripts, rejected
 * lines and free text, mail to them, their user (anonymised, signed out for good), then their display name (a
 * pseudonym). The agent's key and every figure keyed on it stay. Ends with the certificate in the audit log; running
 * it again changes nothing.
 */
export async function agentErasureWorkflow(input: AgentErasureWorkflowInput): Promise<AgentErasureWorkflowResult> {
  let progress: AgentErasureProgress = { done: 0, total: AGENT_ERASURE_TARGETS.length, current: null };
  setHandler(agentErasureProgressQuery, () => progress);
  const counts = {} as Record<AgentErasureTarget, number>;
  for (const target of AGENT_ERASURE_TARGETS) {
    progress = { ...progress, current: target };
    counts[target] = (await eraseAgentData({ tenantId: input.tenantId, agentId: input.agentId, target })).rows;
    progress = { ...progress, done: progress.done + 1 };
  }
  progress = { ...progress, current: null };
  const { recorded } = await certifyAgentErasure({
    tenantId: input.tenantId,
    agentId: input.agentId,
    startedAt: workflowInfo().startTime.toISOString(),
    counts,
  });
  return { counts, certified: recorded };
}

// ── webhooks ─────────────────────────────────────────────────────────────────

const { giveUpWebhookDelivery } = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 10 },
});

/** How a delivery's attempts are spaced: Temporal's exponential backoff, doubling from the first interval up to the maximum. */
export interface WebhookRetry {
  initialIntervalS: number;
  maximumIntervalS: number;
  /** Attempts in all, the first included. */
  maximumAttempts: number;
}

export interface WebhookDeliveryWorkflowInput {
  tenantId: string;
  /** webhook_deliveries.id: the payload, URL and secrets are read by the activity, never carried here. */
  deliveryId: string;
  retry: WebhookRetry;
}

type WebhookDeliveryWorkflowResult = WebhookAttemptResult | { outcome: 'failed' };

/**
 * Sends one webhook delivery (`webhook:{tenant}:{delivery}`): an attempt, retried by Temporal with
 * exponential backoff while the receiver answers other than 2xx or cannot be reached; when the
 * attempts run out, or the outbound guard refuses the URL (non-retryable), the delivery is marked failed.
 */
export async function webhookDeliveryWorkflow(input: WebhookDeliveryWorkflowInput): Promise<WebhookDeliveryWorkflowResult> {
  const ids = { tenantId: input.tenantId, deliveryId: input.deliveryId };
  const { deliverWebhook } = proxyActivities<PlanningActivities>({
    // fetchOutbound gives up after 10 s; the rest is reading and recording.
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: input.retry.initialIntervalS * 1000,
      backoffCoefficient: 2,
      maximumInterval: input.retry.maximumIntervalS * 1000,
      maximumAttempts: input.retry.maximumAttempts,
    },
  });
  try {
    return await deliverWebhook(ids);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    await giveUpWebhookDelivery(ids);
    return { outcome: 'failed' };
  }
}

// ── intraday ─────────────────────────────────────────────────────────────────

const { measureIntraday, proposeIntraday } = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export interface IntradayWorkflowInput {
  tenantId: string;
  /** Measure the day as of this instant (ISO): a past moment looked at again, or a test's fixed clock. Now when absent. */
  at?: string;
}

interface IntradayWorkflowResult {
  runId: string;
  date: string;
  forecastVersionId: string | null;
  groups: IntradayGroupSummary[];
  proposals: number;
}

/**
 * One pass of the intraday loop (`intraday:{tenant}:…`, every 15 minutes by a Temporal Schedule, or a planner's "Run
 * now"): measure the day as of the run's time (reforecast, requirements, staffing gap per group), then propose per
 * group. The run's id and time are fixed here, so a retried activity measures the same instant under the same id.
 */
export async function intradayWorkflow(input: IntradayWorkflowInput): Promise<IntradayWorkflowResult> {
  const runId = uuid4();
  // Workflow time is replay-safe: the instant the run's first task started.
  const at = input.at ?? new Date().toISOString();
  const measured = await measureIntraday({ tenantId: input.tenantId, runId, at });
  let proposals = 0;
  if (measured.forecastVersionId)
    for (const group of measured.groups)
      proposals += (await proposeIntraday({ tenantId: input.tenantId, runId, at, date: measured.date, groupId: group.groupId })).proposals;
  return { runId, date: measured.date, forecastVersionId: measured.forecastVersionId, groups: measured.groups, proposals };
}

// ── coaching ─────────────────────────────────────────────────────────────────

const { checkCoachingRules, deliverCoaching, markCoaching, bookCoachingSession, startCoachingMeasurement, measureCoaching } =
  proxyActivities<PlanningActivities>({
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: '1 second', maximumAttempts: 10 },
  });

/** The agent acknowledged the assignment (from their desktop panel or /me). */
export const coachingAcknowledgedSignal = defineSignal('coachingAcknowledged');
/** A coach picked one of the proposed slots (its start, ISO). */
export const coachingBookedSignal = defineSignal<[{ start: string; userId: string }]>('coachingBooked');
/** A supervisor cancelled the assignment. */
export const coachingCancelledSignal = defineSignal('coachingCancelled');

export interface CoachingWorkflowInput {
  tenantId: string;
  assignmentId: string;
  /**
   * Timing in seconds from the run's start, in place of the assignment's own (reminder halfway to the due date,
   * escalation at it, a measurement window of its weeks): what tests and the demo use to run the loop in minutes.
   */
  remindAfterS?: number;
  escalateAfterS?: number;
  measureForS?: number;
  /** The least notice before a booked session starts (an hour when absent). */
  sessionLeadS?: number;
}

type CoachingOutcome = 'improved' | 'no_change' | 'worse' | 'not_measured' | 'cancelled';

/**
 * One coaching assignment (`coaching:{tenant}:{assignment}`), ids only: deliver the tip → wait for the agent's
 * acknowledgement, reminding them and then escalating to the coach as the due date nears and passes → book the
 * session (or wait for the coach to pick a proposed slot) and let it happen → measure over the window → close with
 * the outcome. A cancellation ends it at any wait.
 */
export async function coachingWorkflow(input: CoachingWorkflowInput): Promise<{ outcome: CoachingOutcome }> {
  const ids = { tenantId: input.tenantId, assignmentId: input.assignmentId };
  let acknowledged = false;
  let picked: { start: string; userId: string } | undefined;
  let cancelled = false;
  setHandler(coachingAcknowledgedSignal, () => void (acknowledged = true));
  setHandler(coachingBookedSignal, (slot) => void (picked = slot));
  setHandler(coachingCancelledSignal, () => void (cancelled = true));
  const now = () => new Date().toISOString();
  const started = Date.now();
  const plan = await deliverCoaching({ ...ids, at: now() });
  if (!plan) return { outcome: 'cancelled' };
  acknowledged ||= plan.status !== 'delivered' && plan.status !== 'overdue';
  const created = Date.parse(plan.createdAt);
  const due = Date.parse(plan.dueAt);
  const marks = [
    { mark: 'reminded' as const, at: input.remindAfterS !== undefined ? started + input.remindAfterS * 1000 : created + (due - created) / 2 },
    { mark: 'escalated' as const, at: input.escalateAfterS !== undefined ? started + input.escalateAfterS * 1000 : due },
  ];
  for (const { mark, at } of marks) {
    if (acknowledged || cancelled) break;
    if (await condition(() => acknowledged || cancelled, Math.max(1, at - Date.now()))) break;
    acknowledged = (await markCoaching({ ...ids, at: now(), mark })).acknowledged;
  }
  // Past the escalation only the agent (or a cancellation) moves it on.
  await condition(() => acknowledged || cancelled);
  if (cancelled) return { outcome: 'cancelled' };
  if (plan.sessionMinutes) {
    const lead = input.sessionLeadS !== undefined ? { leadS: input.sessionLeadS } : {};
    let session = await bookCoachingSession({ ...ids, at: now(), ...lead });
    while (!session.booked) {
      picked = undefined;
      await condition(() => picked !== undefined || cancelled);
      if (cancelled) return { outcome: 'cancelled' };
      // A slot taken meanwhile (the week changed) books nothing: the coach picks again.
      session = await bookCoachingSession({ ...ids, at: now(), slot: picked, ...lead });
    }
    // The effect is measured from the end of the session on.
    if (session.endsAt && (await condition(() => cancelled, Math.max(1, Date.parse(session.endsAt!) - Date.now())))) return { outcome: 'cancelled' };
  }
  const measureMs = input.measureForS !== undefined ? input.measureForS * 1000 : plan.measureWeeks * 7 * 86_400_000;
  const from = Date.now();
  await startCoachingMeasurement({ ...ids, at: new Date(from).toISOString(), until: new Date(from + measureMs).toISOString() });
  if (await condition(() => cancelled, measureMs)) return { outcome: 'cancelled' };
  return measureCoaching({ ...ids, at: now() });
}

/**
 * A tenant's coaching rules checked (hourly, by a Temporal Schedule): each new assignment starts its own
 * coachingWorkflow, which outlives this run. Assignments made by a try whose answer was lost are started too.
 */
export async function coachingRulesWorkflow(input: { tenantId: string }): Promise<{ assignments: number; restarted: number; skipped: string[] }> {
  const checked = await checkCoachingRules({ tenantId: input.tenantId, at: new Date().toISOString() });
  const restartIds = new Set(checked.restartIds ?? []);
  let restarted = 0;
  // Histories recorded before `restartIds` had the restarted ones in `assignmentIds`.
  for (const assignmentId of [...checked.assignmentIds, ...restartIds]) {
    try {
      await startChild(coachingWorkflow, {
        workflowId: `coaching:${input.tenantId}:${assignmentId}`,
        args: [{ tenantId: input.tenantId, assignmentId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      if (restartIds.has(assignmentId)) restarted++;
    } catch (error) {
      // Started already — by an earlier try of this run, or (for one not delivered yet) by the check that made it and
      // is delivering it now: @temporalio/workflow does not export the error's class, its name tells.
      if (!(error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError')) throw error;
    }
  }
  return { assignments: checked.assignmentIds.length, restarted, skipped: checked.skipped };
}
