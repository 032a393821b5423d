import { z } from 'zod';
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { ForecastWorkflowInput, Progress, StaffingWorkflowInput } from './workflows.ts';

/** Starting, scheduling and watching planning workflows, for the API and the host. */

export const PLANNING_TASK_QUEUE = 'switchboard-planning';
const DEFAULT_HORIZON_DAYS = 14;

export interface PlanningRun {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startedAt: string;
  closedAt: string | null;
  progress: Progress | null;
}

/** The progress a planning workflow keeps in its memo (workflows.ts publishProgress); older runs have none. */
const ProgressMemo: z.ZodType<Progress> = z.object({
  phase: z.enum(['planning', 'forecasting', 'publishing', 'staffing', 'done']),
  done: z.int().nonnegative(),
  total: z.int().nonnegative(),
});

// Ids carry their meaning (ARCHITECTURE.md, Workflows); tenant ids are opaque, never names.
export const forecastWorkflowId = (tenantId: string, startDate: string) => `forecast:${tenantId}:${startDate}`;
export const forecastScheduleId = (tenantId: string) => `forecast-daily:${tenantId}`;

export function createPlanningClient(client: Client, taskQueue = PLANNING_TASK_QUEUE) {
  return {
    /**
     * Starts a forecast for the tenant (and its staffing after it). A forecast of the same
     * start date already running is joined, not started twice.
     */
    async startForecast(input: { tenantId: string; startDate: string; horizonDays?: number }): Promise<{ workflowId: string; runId: string }> {
      const workflowId = forecastWorkflowId(input.tenantId, input.startDate);
      const args: [ForecastWorkflowInput] = [
        { tenantId: input.tenantId, startDate: input.startDate, horizonDays: input.horizonDays ?? DEFAULT_HORIZON_DAYS, trigger: 'manual' },
      ];
      // USE_EXISTING answers with the running one's handle; a finished one may run again.
      const handle = await client.workflow.start('forecastWorkflow', { taskQueue, workflowId, args, workflowIdConflictPolicy: 'USE_EXISTING' });
      return { workflowId, runId: handle.firstExecutionRunId };
    },

    async startStaffing(input: { tenantId: string; forecastVersionId: string }): Promise<{ workflowId: string; runId: string }> {
      const workflowId = `staffing:${input.tenantId}:${input.forecastVersionId}:manual`;
      const args: [StaffingWorkflowInput] = [{ tenantId: input.tenantId, forecastVersionId: input.forecastVersionId, trigger: 'manual' }];
      const handle = await client.workflow.start('staffingWorkflow', { taskQueue, workflowId, args, workflowIdConflictPolicy: 'USE_EXISTING' });
      return { workflowId, runId: handle.firstExecutionRunId };
    },

    /** The tenant's daily forecast at 02:00 local time; creating it again is a no-op. */
    async ensureForecastSchedule(input: { tenantId: string; timezone: string; horizonDays?: number }): Promise<boolean> {
      const args: [ForecastWorkflowInput] = [{ tenantId: input.tenantId, horizonDays: input.horizonDays ?? DEFAULT_HORIZON_DAYS, trigger: 'schedule' }];
      try {
        await client.schedule.create({
          scheduleId: forecastScheduleId(input.tenantId),
          spec: { calendars: [{ hour: 2, minute: 0 }], timezone: input.timezone },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
          action: { type: 'startWorkflow', workflowType: 'forecastWorkflow', taskQueue, args, workflowId: `forecast:${input.tenantId}:scheduled` },
        });
        return true;
      } catch (error) {
        if (error instanceof ScheduleAlreadyRunning) return false;
        throw error;
      }
    },

    /**
     * The tenant's recent planning runs, newest first, with progress for the running ones: one
     * visibility query, the progress coming from each run's memo (no call per run).
     */
    async listRuns(tenantId: string, limit = 20): Promise<PlanningRun[]> {
      const runs: PlanningRun[] = [];
      // Visibility queries take no bound parameters: the id goes in only once it is known to be a uuid.
      z.uuid().parse(tenantId);
      const query = `WorkflowId STARTS_WITH "forecast:${tenantId}:" OR WorkflowId STARTS_WITH "staffing:${tenantId}:"`;
      for await (const run of client.workflow.list({ query, pageSize: limit })) {
        runs.push({
          workflowId: run.workflowId,
          runId: run.runId,
          type: run.type,
          status: run.status.name,
          startedAt: run.startTime.toISOString(),
          closedAt: run.closeTime?.toISOString() ?? null,
          progress: run.status.name === 'RUNNING' ? (ProgressMemo.safeParse(run.memo?.progress).data ?? null) : null,
        });
        if (runs.length >= limit) break;
      }
      return runs;
    },
  };
}

export { Client };
