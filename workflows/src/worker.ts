import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createPlanningActivities, type PlanningDeps } from './activities.ts';
import { PLANNING_TASK_QUEUE } from './client.ts';

export interface PlanningWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: PlanningDeps;
  /** Replaces activities by name, for fault-injection tests. */
  activities?: (real: ReturnType<typeof createPlanningActivities>) => Record<string, (...args: never[]) => Promise<unknown>>;
  taskQueue?: string;
}

export const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

/** The planning worker: the host runs it in-process (embedded), apps/worker runs it alone (cluster). */
export async function createPlanningWorker(options: PlanningWorkerOptions): Promise<Worker> {
  const real = createPlanningActivities(options.deps);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? PLANNING_TASK_QUEUE,
    workflowsPath,
    activities: options.activities ? options.activities(real) : real,
    // Forecast fitting waits on the math pool; more slots would only queue there.
    maxConcurrentActivityTaskExecutions: 4,
  });
}

export { NativeConnection };
