import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { PLANNING_TASK_QUEUE } from './client.ts';
import type { AgentErasureWorkflowInput, AgentErasureWorkflowResult, ErasureWorkflowInput, ErasureWorkflowResult } from './workflows.ts';

/**
 * The customer of an erasure as the workflow sees it: hex SHA-256 of `{tenant id}:{customer_ref}`, which ClickHouse
 * computes the same way to find the rows (erasure-activities.ts). The reference is hashed where the operator gives
 * it and goes no further.
 */
export function customerRefHash(tenantId: string, customerRef: string): string {
  return createHash('sha256').update(`${tenantId}:${customerRef}`).digest('hex');
}

export const erasureWorkflowId = (tenantId: string, refHash: string) => `erasure:${tenantId}:${refHash}`;

/**
 * Erases a customer and waits for the certificate. An erasure of the same customer in flight is joined; a finished
 * one runs again (and finds nothing left).
 */
export async function runErasure(
  client: Client,
  input: ErasureWorkflowInput,
  taskQueue = PLANNING_TASK_QUEUE,
): Promise<ErasureWorkflowResult & { workflowId: string }> {
  const workflowId = erasureWorkflowId(input.tenantId, input.refHash);
  const args: [ErasureWorkflowInput] = [input];
  const handle = await client.workflow.start('erasureWorkflow', { taskQueue, workflowId, args, workflowIdConflictPolicy: 'USE_EXISTING' });
  return { ...((await handle.result()) as ErasureWorkflowResult), workflowId };
}

export const agentErasureWorkflowId = (tenantId: string, agentId: string) => `erasure-agent:${tenantId}:${agentId}`;

/**
 * Erases a departed agent's personal data and waits for the certificate; as runErasure, an erasure of the same agent
 * in flight is joined and a finished one runs again (and finds nothing left).
 */
export async function runAgentErasure(
  client: Client,
  input: AgentErasureWorkflowInput,
  taskQueue = PLANNING_TASK_QUEUE,
): Promise<AgentErasureWorkflowResult & { workflowId: string }> {
  const workflowId = agentErasureWorkflowId(input.tenantId, input.agentId);
  const args: [AgentErasureWorkflowInput] = [input];
  const handle = await client.workflow.start('agentErasureWorkflow', { taskQueue, workflowId, args, workflowIdConflictPolicy: 'USE_EXISTING' });
  return { ...((await handle.result()) as AgentErasureWorkflowResult), workflowId };
}
