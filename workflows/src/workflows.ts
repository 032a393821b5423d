/**
 * Workflow code: deterministic, bundled by the worker, no I/O (activities do it). Only
 * types come from the activities module.
 */
import { defineQuery, executeChild, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { ForecastQueueResult, PlanningActivities } from './activities.ts';

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

/** Where a running planning workflow is, for the planner's progress bar. */
export const progressQuery = defineQuery<Progress>('progress');

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
  let progress: Progress = { phase: 'planning', done: 0, total: 0 };
  setHandler(progressQuery, () => progress);

  const plan = await planForecast({ tenantId: input.tenantId, ...(input.startDate ? { startDate: input.startDate } : {}) });
  progress = { phase: 'forecasting', done: 0, total: plan.queues.length };
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
    progress = { ...progress, done: series.length };
  }
  progress = { ...progress, phase: 'publishing' };
  await publishForecast({ tenantId: input.tenantId, versionId, plan, horizonDays: input.horizonDays, trigger: input.trigger, workflowId });

  progress = { ...progress, phase: 'staffing' };
  const staffing = await executeChild(staffingWorkflow, {
    args: [{ tenantId: input.tenantId, forecastVersionId: versionId, trigger: 'forecast' }],
    workflowId: `staffing:${input.tenantId}:${versionId}`,
  });
  progress = { ...progress, phase: 'done' };
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
  let progress: Progress = { phase: 'staffing', done: 0, total: 1 };
  setHandler(progressQuery, () => progress);
  const result = await computeStaffing({ ...input, versionId, workflowId: workflowInfo().workflowId });
  progress = { phase: 'done', done: 1, total: 1 };
  return { versionId, intervals: result.intervals };
}
