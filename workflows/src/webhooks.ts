import type { Client } from '@temporalio/client';
import { listPendingWebhookDeliveries, listTenantTimezones, type Db } from '@switchboard/db';
import { PLANNING_TASK_QUEUE } from './client.ts';
import type { WebhookDeliveryWorkflowInput, WebhookRetry } from './workflows.ts';

/** Starting webhook delivery workflows: for the API's runner, the activities that emit events, and the host at start. */

export const webhookWorkflowId = (tenantId: string, deliveryId: string) => `webhook:${tenantId}:${deliveryId}`;

/**
 * 10 s after the first failure, doubling, at most an hour apart, 12 attempts in all: the last
 * comes about 3.4 hours after the first (10 s + 20 s + … + 2,560 s + 2 × 3,600 s of waiting).
 */
const WEBHOOK_RETRY: WebhookRetry = { initialIntervalS: 10, maximumIntervalS: 3_600, maximumAttempts: 12 };

/** Starts each delivery's workflow; one already running for a delivery is joined, not started twice. */
export async function startWebhookDeliveries(
  client: Client,
  input: { tenantId: string; deliveryIds: readonly string[]; retry?: WebhookRetry },
  taskQueue = PLANNING_TASK_QUEUE,
): Promise<void> {
  for (const deliveryId of input.deliveryIds) {
    const args: [WebhookDeliveryWorkflowInput] = [{ tenantId: input.tenantId, deliveryId, retry: input.retry ?? WEBHOOK_RETRY }];
    await client.workflow.start('webhookDeliveryWorkflow', {
      taskQueue,
      workflowId: webhookWorkflowId(input.tenantId, deliveryId),
      args,
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
}

/**
 * Starts the workflow of every delivery still pending, in every tenant: the ones recorded while
 * no workflow engine ran, or whose start failed. Returns how many.
 */
export async function resumeWebhookDeliveries(client: Client, db: Db, taskQueue = PLANNING_TASK_QUEUE): Promise<number> {
  let started = 0;
  for (const tenant of await listTenantTimezones(db)) {
    const deliveryIds = await listPendingWebhookDeliveries(db, tenant.id);
    await startWebhookDeliveries(client, { tenantId: tenant.id, deliveryIds }, taskQueue);
    started += deliveryIds.length;
  }
  return started;
}
