import { z } from 'zod';
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowNotFoundError } from '@temporalio/client';
import type {
  CoachingWorkflowInput,
  DisputeWorkflowInput,
  ForecastWorkflowInput,
  IntradayWorkflowInput,
  Progress,
  ScheduleState,
  ScheduleWorkflowInput,
  StaffingWorkflowInput,
} from './workflows.ts';

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
  phase: z.enum(['planning', 'forecasting', 'publishing', 'staffing', 'generating', 'awaiting_approval', 'done']),
  done: z.int().nonnegative(),
  total: z.int().nonnegative(),
});

// Ids carry their meaning (ARCHITECTURE.md, Workflows); tenant ids are opaque, never names.
export const forecastWorkflowId = (tenantId: string, startDate: string) => `forecast:${tenantId}:${startDate}`;
export const forecastScheduleId = (tenantId: string) => `forecast-daily:${tenantId}`;
export const evaluationScheduleId = (tenantId: string) => `quality-evaluation:${tenantId}`;
export const intradayScheduleId = (tenantId: string) => `intraday:${tenantId}`;
export const scheduleWorkflowId = (tenantId: string, groupId: string, weekStart: string) => `schedule:${tenantId}:${groupId}:${weekStart}`;

const coachingWorkflowId = (tenantId: string, assignmentId: string) => `coaching:${tenantId}:${assignmentId}`;
const coachingSignals = { acknowledged: 'coachingAcknowledged', booked: 'coachingBooked', cancelled: 'coachingCancelled' } as const;

export const disputeWorkflowId = (tenantId: string, evaluationId: string) => `dispute:${tenantId}:${evaluationId}`;
/** How long a dispute waits for a quality lead before they are reminded, and before it escalates to the admins. */
const DISPUTE_REMIND_AFTER_S = 2 * 86_400;
const DISPUTE_ESCALATE_AFTER_S = 5 * 86_400;

export function createPlanningClient(client: Client, taskQueue = PLANNING_TASK_QUEUE) {
  return {
    /**
     * Tells the run watching an evaluation's disputes that they changed, starting it when none runs (an agent's first
     * dispute, or one after the last was decided).
     */
    async trackDisputes(input: { tenantId: string; evaluationId: string; remindAfterS?: number; escalateAfterS?: number }): Promise<void> {
      const args: [DisputeWorkflowInput] = [
        {
          tenantId: input.tenantId,
          evaluationId: input.evaluationId,
          remindAfterS: input.remindAfterS ?? DISPUTE_REMIND_AFTER_S,
          escalateAfterS: input.escalateAfterS ?? DISPUTE_ESCALATE_AFTER_S,
        },
      ];
      await client.workflow.signalWithStart('disputeWorkflow', {
        taskQueue,
        workflowId: disputeWorkflowId(input.tenantId, input.evaluationId),
        args,
        signal: 'disputesChanged',
        signalArgs: [],
      });
    },

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

    /**
     * Generates a planning group's week (then waits for approval, unless `auto`). A run for the same week in
     * flight is joined: two planners pressing "generate" get one draft.
     */
    async startSchedule(input: Omit<ScheduleWorkflowInput, 'reminderEveryS' | 'maxReminders'>): Promise<{ workflowId: string; runId: string }> {
      const workflowId = scheduleWorkflowId(input.tenantId, input.groupId, input.weekStart);
      const args: [ScheduleWorkflowInput] = [input];
      const handle = await client.workflow.start('scheduleWorkflow', { taskQueue, workflowId, args, workflowIdConflictPolicy: 'USE_EXISTING' });
      return { workflowId, runId: handle.firstExecutionRunId };
    },

    /**
     * Hands the planner's decision to the run waiting on the draft; false when no run of that week is waiting
     * (it published, was rejected or expired).
     */
    async decideSchedule(input: { tenantId: string; groupId: string; weekStart: string; approve: boolean; userId: string }): Promise<boolean> {
      const handle = client.workflow.getHandle(scheduleWorkflowId(input.tenantId, input.groupId, input.weekStart));
      const state = await handle.query<ScheduleState>('scheduleState').catch(() => null);
      if (state?.phase !== 'awaiting_approval') return false;
      await handle.signal(input.approve ? 'approveSchedule' : 'rejectSchedule', { userId: input.userId });
      return true;
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
     * Next week's schedules, generated every Thursday at 03:00 tenant time (drafts for the planner, or published at
     * once with `auto`); creating it again is a no-op.
     */
    async ensureWeeklySchedule(input: { tenantId: string; timezone: string; approval: 'planner' | 'auto' }): Promise<boolean> {
      try {
        await client.schedule.create({
          scheduleId: `schedule-weekly:${input.tenantId}`,
          spec: { calendars: [{ dayOfWeek: 'THURSDAY', hour: 3, minute: 0 }], timezone: input.timezone },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
          action: {
            type: 'startWorkflow',
            workflowType: 'weeklyScheduleWorkflow',
            taskQueue,
            args: [{ tenantId: input.tenantId, approval: input.approval }],
            workflowId: `schedule-weekly:${input.tenantId}:scheduled`,
          },
        });
        return true;
      } catch (error) {
        if (error instanceof ScheduleAlreadyRunning) return false;
        throw error;
      }
    },

    /** The tenant's quality evaluation, a tick every 30 seconds; creating it again is a no-op. */
    async ensureEvaluationSchedule(input: { tenantId: string }): Promise<boolean> {
      try {
        await client.schedule.create({
          scheduleId: evaluationScheduleId(input.tenantId),
          spec: { intervals: [{ every: '30s' }] },
          // A tick still running when the next is due makes it wait: one tick at a time drains a backlog in order.
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
          action: {
            type: 'startWorkflow',
            workflowType: 'evaluationWorkflow',
            taskQueue,
            args: [{ tenantId: input.tenantId }],
            workflowId: `evaluation:${input.tenantId}:scheduled`,
          },
        });
        return true;
      } catch (error) {
        if (error instanceof ScheduleAlreadyRunning) return false;
        throw error;
      }
    },

    /** The tenant's intraday loop, every 15 minutes on the quarter hour; creating it again is a no-op. */
    async ensureIntradaySchedule(input: { tenantId: string }): Promise<boolean> {
      const args: [IntradayWorkflowInput] = [{ tenantId: input.tenantId }];
      try {
        await client.schedule.create({
          scheduleId: intradayScheduleId(input.tenantId),
          spec: { intervals: [{ every: '15m' }] },
          // A run still going when the next is due: the next is skipped, a later one measures the newer day anyway.
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
          action: { type: 'startWorkflow', workflowType: 'intradayWorkflow', taskQueue, args, workflowId: `intraday:${input.tenantId}:scheduled` },
        });
        return true;
      } catch (error) {
        if (error instanceof ScheduleAlreadyRunning) return false;
        throw error;
      }
    },

    /** Runs a coaching assignment's loop (joins the one running); the timing seams are for tests and the demo. */
    async startCoaching(input: CoachingWorkflowInput): Promise<{ workflowId: string; runId: string }> {
      const workflowId = coachingWorkflowId(input.tenantId, input.assignmentId);
      const args: [CoachingWorkflowInput] = [input];
      const handle = await client.workflow.start('coachingWorkflow', { taskQueue, workflowId, args, workflowIdConflictPolicy: 'USE_EXISTING' });
      return { workflowId, runId: handle.firstExecutionRunId };
    },

    /**
     * Tells an assignment's run what a person did (a coach's pick carries the slot's start); false when no run is
     * open for it.
     */
    async signalCoaching(
      input: { tenantId: string; assignmentId: string } & (
        { signal: 'acknowledged' | 'cancelled' } | { signal: 'booked'; slot: { start: string; userId: string } }
      ),
    ): Promise<boolean> {
      const handle = client.workflow.getHandle(coachingWorkflowId(input.tenantId, input.assignmentId));
      try {
        if (input.signal === 'booked') await handle.signal(coachingSignals.booked, input.slot);
        else await handle.signal(coachingSignals[input.signal]);
        return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },

    /** The tenant's coaching rules checked every hour; creating it again is a no-op. */
    async ensureCoachingSchedule(input: { tenantId: string }): Promise<boolean> {
      try {
        await client.schedule.create({
          scheduleId: `coaching-rules:${input.tenantId}`,
          spec: { intervals: [{ every: '1h' }] },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
          action: {
            type: 'startWorkflow',
            workflowType: 'coachingRulesWorkflow',
            taskQueue,
            args: [{ tenantId: input.tenantId }],
            workflowId: `coaching-rules:${input.tenantId}:scheduled`,
          },
        });
        return true;
      } catch (error) {
        if (error instanceof ScheduleAlreadyRunning) return false;
        throw error;
      }
    },

    /** A supervisor's "Check rules now" (joined when a check is running); resolves with what it made. */
    async checkCoachingRules(input: { tenantId: string }): Promise<{ assignments: number; restarted: number; skipped: string[] }> {
      const handle = await client.workflow.start('coachingRulesWorkflow', {
        taskQueue,
        workflowId: `coaching-rules:${input.tenantId}:manual`,
        args: [{ tenantId: input.tenantId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return handle.result();
    },

    /** A planner's "Run now": one intraday pass, joined when one is running. */
    async startIntraday(input: { tenantId: string }): Promise<{ workflowId: string; runId: string }> {
      const workflowId = `intraday:${input.tenantId}:manual`;
      const args: [IntradayWorkflowInput] = [{ tenantId: input.tenantId }];
      const handle = await client.workflow.start('intradayWorkflow', { taskQueue, workflowId, args, workflowIdConflictPolicy: 'USE_EXISTING' });
      return { workflowId, runId: handle.firstExecutionRunId };
    },

    /**
     * The tenant's recent planning runs (of the intraday loop only the planners' "Run now", not every quarter
     * hour's), newest first, with progress for the running ones: one visibility query, the progress coming from
     * each run's memo (no call per run).
     */
    async listRuns(tenantId: string, limit = 20): Promise<PlanningRun[]> {
      const runs: PlanningRun[] = [];
      // Visibility queries take no bound parameters: the id goes in only once it is known to be a uuid.
      z.uuid().parse(tenantId);
      const query = `WorkflowId STARTS_WITH "forecast:${tenantId}:" OR WorkflowId STARTS_WITH "staffing:${tenantId}:" OR WorkflowId STARTS_WITH "schedule:${tenantId}:" OR WorkflowId STARTS_WITH "intraday:${tenantId}:manual"`;
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
