// Temporal workflows and their activities (see Workflows in ARCHITECTURE.md). Workflow code
// itself lives in workflows.ts and is loaded by the worker's bundler, never imported here.
export * from './activities.ts';
export * from './client.ts';
export * from './worker.ts';
export { agentErasureWorkflowId, customerRefHash, erasureWorkflowId, runAgentErasure, runErasure } from './erasure.ts';
export { createMathPool, type MathPool } from './math/pool.ts';
export { syncScheduleSnapshots } from './schedule-activities.ts';
export { resumeWebhookDeliveries, startWebhookDeliveries, webhookWorkflowId } from './webhooks.ts';
export type { ForecastWorkflowResult, ScheduleWorkflowResult } from './workflows.ts';
