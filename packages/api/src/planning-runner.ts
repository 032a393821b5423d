import { TRPCError } from '@trpc/server';
import type { ApiServices } from './context.ts';

/**
 * What the API needs from the workflow engine, implemented by the host over Temporal
 * (@switchboard/workflows). Absent when no Temporal is configured: planning screens still
 * show stored versions, and starting a run answers with what to do.
 */
interface PlanningRunProgress {
  phase: string;
  done: number;
  total: number;
}

interface PlanningRunSummary {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startedAt: string;
  closedAt: string | null;
  progress: PlanningRunProgress | null;
}

export interface PlanningRunner {
  /** The Temporal Web UI, for links from the planner's run list; null when unknown. */
  uiUrl: string | null;
  namespace: string;
  startForecast(input: { tenantId: string; startDate: string; horizonDays?: number }): Promise<{ workflowId: string; runId: string }>;
  startStaffing(input: { tenantId: string; forecastVersionId: string }): Promise<{ workflowId: string; runId: string }>;
  listRuns(tenantId: string): Promise<PlanningRunSummary[]>;
  /** Generates a planning group's week into a draft that waits for a planner (joins a run of that week in flight). */
  startSchedule(input: { tenantId: string; groupId: string; weekStart: string; approval: 'planner' | 'auto' }): Promise<{ workflowId: string; runId: string }>;
  /** Hands a planner's decision to the run waiting on the week's draft; false when none waits. */
  decideSchedule(input: { tenantId: string; groupId: string; weekStart: string; approve: boolean; userId: string }): Promise<boolean>;
  /** Starts, or tells, the run that reminds quality leads of an evaluation's open disputes and escalates them. */
  trackDisputes(input: { tenantId: string; evaluationId: string }): Promise<void>;
  /** Starts the delivery workflow of each webhook delivery (joins one already running). */
  startWebhookDeliveries(input: { tenantId: string; deliveryIds: string[] }): Promise<void>;
  /** One pass of the intraday loop now (joins one in flight). */
  startIntraday(input: { tenantId: string }): Promise<{ workflowId: string; runId: string }>;
  /** Runs a coaching assignment's loop (joins the one running). */
  startCoaching(input: { tenantId: string; assignmentId: string }): Promise<{ workflowId: string; runId: string }>;
  /** Tells an assignment's run what a person did; false when no run is open for it. */
  signalCoaching(
    input: { tenantId: string; assignmentId: string } & (
      { signal: 'acknowledged' | 'cancelled' } | { signal: 'booked'; slot: { start: string; userId: string } }
    ),
  ): Promise<boolean>;
  /** Checks the tenant's coaching rules now and waits for the check. */
  checkCoachingRules(input: { tenantId: string }): Promise<{ assignments: number; restarted: number; skipped: string[] }>;
}

/** The workflow engine, or the answer that says how to get one. */
export function requireEngine(services: ApiServices): PlanningRunner {
  if (!services.planning) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'workflows are not running: start Switchboard with `npm start` (it starts the Temporal dev server) or set TEMPORAL_ADDRESS',
    });
  }
  return services.planning;
}
