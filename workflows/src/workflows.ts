/**
 * Workflow code: deterministic, bundled by the worker, no I/O (activities do it). Only
 * types come from the activities module. eslint.config.js holds this file to that.
 *
 * A change to what these functions do, or in which order, breaks the runs in flight:
 * tests/workflow-replay.test.ts replays recorded histories against it.
 */
import { executeChild, patched, proxyActivities, upsertMemo, uuid4, workflowInfo } from '@temporalio/workflow';
import type { ForecastQueueResult, PlanningActivities } from './activities.ts';

// Transient failures are retried; the activities raise the permanent ones as non-retryable.
const { planForecast, forecastQueue, publishForecast, computeStaffing } = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export interface Progress {
  phase: 'planning' | 'forecasting' | 'publishing' | 'staffing' | 'done';
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
