import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { failWebhookDelivery, getWebhookDeliveryToSend, recordWebhookAttempt } from '@switchboard/db';
import type { PlanningDeps } from './activities.ts';
import { parseInput, permanent } from './activity-input.ts';

/**
 * The webhook delivery workflow's activities: one attempt to send a delivery, and giving it up.
 * Arguments are the tenant and delivery ids; the payload, URL and sealed secrets are read here.
 * An attempt records its outcome on the delivery (attempts, status code, error) before it ends,
 * and a delivery that is no longer pending is never sent again, so a retry or a second run of
 * the workflow sends nothing twice (short of a crash between the answer and its record).
 */

/** Signs and POSTs through the outbound guard (packages/api createWebhookTransport, built by the host with its auth secret and allowlist). */
export interface WebhookTransport {
  send(request: {
    url: string;
    deliveryId: string;
    kind: string;
    body: string;
    secretsSealed: readonly string[];
    at: Date;
  }): Promise<{ status: number } | { refused: string } | { failed: string }>;
}

export type WebhookAttemptResult = { outcome: 'delivered'; status: number } | { outcome: 'not_sent'; reason: string };

const DeliveryInput = z.object({ tenantId: z.uuid(), deliveryId: z.uuid() });

export function createWebhookActivities(deps: PlanningDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    /**
     * One attempt. A 2xx marks the delivery delivered; any other answer or a network failure is
     * recorded and thrown as retryable (the workflow's retry policy backs off); a URL or redirect
     * the outbound guard refuses is recorded and thrown as non-retryable.
     */
    async deliverWebhook(raw: { tenantId: string; deliveryId: string }): Promise<WebhookAttemptResult> {
      const input = parseInput('deliverWebhook', DeliveryInput, raw);
      // Retryable: in cluster mode another worker of the task queue may have the transport.
      if (!deps.webhooks) throw ApplicationFailure.retryable('this worker was started without webhook delivery (the auth secret)', 'WebhooksNotConfigured');
      const delivery = await getWebhookDeliveryToSend(deps.db, input.tenantId, input.deliveryId);
      // Deleted with its subscription, or settled by an earlier run.
      if (!delivery) return { outcome: 'not_sent', reason: 'the subscription was deleted' };
      if (delivery.status !== 'pending') return { outcome: 'not_sent', reason: `the delivery is ${delivery.status} already` };
      if (!delivery.subscription.active) {
        await failWebhookDelivery(deps.db, input.tenantId, input.deliveryId, 'the subscription was deactivated');
        return { outcome: 'not_sent', reason: 'the subscription was deactivated' };
      }
      const at = now();
      const { secretSealed, previousSecretSealed, previousSecretExpiresAt } = delivery.subscription;
      const overlap = previousSecretSealed !== null && previousSecretExpiresAt !== null && previousSecretExpiresAt > at;
      const answer = await deps.webhooks.send({
        url: delivery.subscription.url,
        deliveryId: delivery.id,
        kind: delivery.kind,
        body: JSON.stringify(delivery.payload),
        secretsSealed: overlap ? [secretSealed, previousSecretSealed] : [secretSealed],
        at,
      });
      if ('status' in answer) {
        const delivered = answer.status >= 200 && answer.status < 300;
        const error = delivered ? null : `the receiver answered ${answer.status}`;
        await recordWebhookAttempt(deps.db, input.tenantId, input.deliveryId, { status: answer.status, error, delivered, at });
        if (delivered) return { outcome: 'delivered', status: answer.status };
        throw ApplicationFailure.retryable(error!, 'WebhookNotAccepted');
      }
      const error = 'refused' in answer ? answer.refused : answer.failed;
      await recordWebhookAttempt(deps.db, input.tenantId, input.deliveryId, { status: null, error, delivered: false, at });
      if ('refused' in answer) throw permanent('WebhookUrlRefused', error);
      throw ApplicationFailure.retryable(error, 'WebhookUnreachable');
    },

    /** After the last attempt failed: the delivery is marked failed (its last error stays). */
    async giveUpWebhookDelivery(raw: { tenantId: string; deliveryId: string }): Promise<void> {
      const input = parseInput('giveUpWebhookDelivery', DeliveryInput, raw);
      await failWebhookDelivery(deps.db, input.tenantId, input.deliveryId);
    },
  };
}
