// Temporal workflows and their activities (DESIGN.md §7). Workflow code itself lives in
// workflows.ts and is loaded by the worker's bundler, never imported here.
export * from './activities.ts';
export * from './client.ts';
export * from './worker.ts';
export * from './temporal-cli.ts';
export { createMathPool, type MathPool } from './math/pool.ts';
export type { ForecastWorkflowInput, ForecastWorkflowResult, Progress, StaffingWorkflowInput } from './workflows.ts';
