import { TRPCError } from '@trpc/server';
import { policies } from '../policy.ts';
import type { Accounts } from '../services/admin.ts';
import {
  CreateWebhookInput,
  createWebhook,
  deleteWebhook,
  listWebhookDeliveriesView,
  listWebhooksView,
  rotateWebhook,
  sendWebhookTest,
  updateWebhook,
  UpdateWebhookInput,
  WebhookDeliveriesInput,
  WebhookRef,
} from '../services/webhooks.ts';
import { authorized, router } from '../trpc.ts';
import { Removed, WebhookDeliveries, WebhookRotated, Webhooks, WebhookSecret, WebhookTestSent } from '../outputs/admin.ts';
import { IdOnly } from '../outputs/shared.ts';

/** Secrets are sealed under the auth secret, which only the web API holds. */
function accountsOf(ctx: { accounts?: Accounts | undefined }): Accounts {
  if (!ctx.accounts) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'webhook secrets can only be made through the web API' });
  return ctx.accounts;
}

/** Outbound webhooks (admin.webhooks): subscriptions, their signing secrets, the delivery log and test events. Tenant admins only. */
export const webhooksRouter = router({
  /** Every subscription with its kinds and how its last delivery went; never a secret. */
  list: authorized(policies.admins)
    .output(Webhooks)
    .query(({ ctx }) => listWebhooksView(ctx.services, ctx.access)),

  /** Subscribes a URL (refused with the outbound guard's reason before anything is saved); the secret is in the answer once. */
  create: authorized(policies.admins)
    .input(CreateWebhookInput)
    .output(WebhookSecret)
    .mutation(({ ctx, input }) => createWebhook(ctx.services, accountsOf(ctx), ctx.access, ctx.viewer.userId, input)),

  /** Renames, re-targets (checked as at creation), changes the kinds, deactivates or reactivates. */
  update: authorized(policies.admins)
    .input(UpdateWebhookInput)
    .output(IdOnly)
    .mutation(({ ctx, input }) => updateWebhook(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** A new secret, in the answer once; the old one signs beside it for a day. */
  rotate: authorized(policies.admins)
    .input(WebhookRef)
    .output(WebhookRotated)
    .mutation(({ ctx, input }) => rotateWebhook(ctx.services, accountsOf(ctx), ctx.access, ctx.viewer.userId, input)),

  /** Removes the subscription and its delivery log. */
  delete: authorized(policies.admins)
    .input(WebhookRef)
    .output(Removed)
    .mutation(({ ctx, input }) => deleteWebhook(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** The delivery log: status, answer code, attempts and times, newest first, a page at a time. */
  deliveries: authorized(policies.admins)
    .input(WebhookDeliveriesInput)
    .output(WebhookDeliveries)
    .query(({ ctx, input }) => listWebhookDeliveriesView(ctx.services, ctx.access, input)),

  /** Sends a `webhook.test` event to the subscription now (needs the workflow engine). */
  sendTest: authorized(policies.admins)
    .input(WebhookRef)
    .output(WebhookTestSent)
    .mutation(({ ctx, input }) => sendWebhookTest(ctx.services, ctx.access, input)),
});
