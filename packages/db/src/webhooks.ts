import { createHash } from 'node:crypto';
import { and, arrayContains, desc, eq, inArray, sql } from 'drizzle-orm';
import { WEBHOOK_TEST_KIND, type WebhookEventData, type WebhookEventKind, type WebhookPayload } from '@switchboard/contracts';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { webhookDeliveries, webhookSubscriptions } from './schema.ts';
import { withTenant, type Tx } from './tenancy.ts';

/**
 * Outbound webhooks as stored: a tenant's subscriptions (URL, event kinds, the signing secret
 * sealed by packages/api, never returned by a list) and one delivery per event and subscription,
 * which the delivery workflow (workflows/src/webhook-activities.ts) sends and records. Every
 * change to a subscription is audited in its transaction.
 */

interface WebhookSubscriptionRow {
  id: string;
  name: string;
  url: string;
  kinds: string[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Until when the secret before the last rotation still signs too; null outside an overlap. */
  previousSecretExpiresAt: Date | null;
  /** The newest delivery: how the receiver answered last. */
  lastDelivery: { status: string; lastStatus: number | null; attempts: number; createdAt: Date } | null;
}

export async function listWebhookSubscriptions(db: Db, tenantId: string, now: Date): Promise<WebhookSubscriptionRow[]> {
  return withTenant(
    db,
    tenantId,
    async (tx) => {
      const subscriptions = await tx
        .select({
          id: webhookSubscriptions.id,
          name: webhookSubscriptions.name,
          url: webhookSubscriptions.url,
          kinds: webhookSubscriptions.kinds,
          active: webhookSubscriptions.active,
          createdAt: webhookSubscriptions.createdAt,
          updatedAt: webhookSubscriptions.updatedAt,
          previousSecretExpiresAt: webhookSubscriptions.previousSecretExpiresAt,
        })
        .from(webhookSubscriptions)
        .where(eq(webhookSubscriptions.tenantId, tenantId))
        .orderBy(webhookSubscriptions.createdAt);
      const last = await tx
        .selectDistinctOn([webhookDeliveries.subscriptionId], {
          subscriptionId: webhookDeliveries.subscriptionId,
          status: webhookDeliveries.status,
          lastStatus: webhookDeliveries.lastStatus,
          attempts: webhookDeliveries.attempts,
          createdAt: webhookDeliveries.createdAt,
        })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.tenantId, tenantId))
        .orderBy(webhookDeliveries.subscriptionId, desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id));
      const lastOf = new Map(last.map(({ subscriptionId, ...delivery }) => [subscriptionId, delivery]));
      return subscriptions.map((s) => ({
        ...s,
        previousSecretExpiresAt: s.previousSecretExpiresAt && s.previousSecretExpiresAt > now ? s.previousSecretExpiresAt : null,
        lastDelivery: lastOf.get(s.id) ?? null,
      }));
    },
    { accessMode: 'read only' },
  );
}

export interface WebhookSubscriptionInput {
  name: string;
  url: string;
  kinds: readonly WebhookEventKind[];
}

/** Stores a subscription with its secret already sealed by the caller; returns its id. */
export async function createWebhookSubscription(
  db: Db,
  tenantId: string,
  actorId: string | null,
  input: WebhookSubscriptionInput & { secretSealed: string },
): Promise<string> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({ tenantId, name: input.name, url: input.url, kinds: [...input.kinds], secretSealed: input.secretSealed, createdBy: actorId })
      .returning({ id: webhookSubscriptions.id });
    await audit(tx, tenantId, actorId, 'webhook.create', 'webhook_subscription', row!.id);
    return row!.id;
  });
}

/** Changes what is given; false when the tenant has no such subscription. */
export async function updateWebhookSubscription(
  db: Db,
  tenantId: string,
  actorId: string | null,
  id: string,
  patch: Partial<WebhookSubscriptionInput & { active: boolean }>,
): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const updated = await tx
      .update(webhookSubscriptions)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.kinds !== undefined ? { kinds: [...patch.kinds] } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.id, id)))
      .returning({ id: webhookSubscriptions.id });
    if (updated.length > 0) await audit(tx, tenantId, actorId, 'webhook.update', 'webhook_subscription', id);
    return updated.length > 0;
  });
}

/**
 * Replaces the signing secret. The one it replaces keeps signing beside it (a second signature)
 * until `previousExpiresAt`, so receivers can switch over; a rotation within an overlap drops the
 * older one. False when the tenant has no such subscription.
 */
export async function rotateWebhookSecret(
  db: Db,
  tenantId: string,
  actorId: string | null,
  id: string,
  secretSealed: string,
  previousExpiresAt: Date,
): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const updated = await tx
      .update(webhookSubscriptions)
      .set({
        previousSecretSealed: sql`${webhookSubscriptions.secretSealed}`,
        previousSecretExpiresAt: previousExpiresAt,
        secretSealed,
        updatedAt: new Date(),
      })
      .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.id, id)))
      .returning({ id: webhookSubscriptions.id });
    if (updated.length > 0) await audit(tx, tenantId, actorId, 'webhook.rotate', 'webhook_subscription', id);
    return updated.length > 0;
  });
}

/** Deletes the subscription and its delivery log; a delivery still retrying finds nothing and stops. */
export async function deleteWebhookSubscription(db: Db, tenantId: string, actorId: string | null, id: string): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const deleted = await tx
      .delete(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.id, id)))
      .returning({ id: webhookSubscriptions.id });
    if (deleted.length > 0) await audit(tx, tenantId, actorId, 'webhook.delete', 'webhook_subscription', id);
    return deleted.length > 0;
  });
}

/**
 * The event id of a kind of event about one thing (a schedule version, a time-off request…): a
 * UUID derived from both, so an emitter that runs again (a retried activity or request) records
 * the same event, which the unique (tenant, subscription, event) index keeps once.
 */
function webhookEventId(kind: string, subjectId: string): string {
  const hex = createHash('sha256').update(`${kind}:${subjectId}`).digest('hex');
  // The shape of a version 8 (custom) UUID with the RFC 9562 variant.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Records one pending delivery of the payload per subscription (a second time, nothing); returns the event's deliveries still pending. */
async function recordDeliveries(tx: Tx, tenantId: string, payload: WebhookPayload, subscriptionIds: string[]): Promise<string[]> {
  if (subscriptionIds.length === 0) return [];
  await tx
    .insert(webhookDeliveries)
    .values(subscriptionIds.map((subscriptionId) => ({ tenantId, subscriptionId, eventId: payload.id, kind: payload.kind, payload })))
    .onConflictDoNothing({ target: [webhookDeliveries.tenantId, webhookDeliveries.subscriptionId, webhookDeliveries.eventId] });
  const pending = await tx
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.eventId, payload.id),
        inArray(webhookDeliveries.subscriptionId, subscriptionIds),
        eq(webhookDeliveries.status, 'pending'),
      ),
    );
  return pending.map((p) => p.id);
}

/** Starts the delivery workflows of some deliveries (the API's workflow runner, or an activity's Temporal client). */
export type StartWebhookDeliveries = (input: { tenantId: string; deliveryIds: string[] }) => Promise<void>;

interface WebhookEvent<K extends WebhookEventKind> {
  kind: K;
  /** The id of what the event is about; with the kind it makes the event id. */
  subjectId: string;
  occurredAt: Date;
  data: WebhookEventData[K];
}

/**
 * Emits an event to the tenant's active subscriptions of its kind: records a delivery for each
 * (once, however often the emitter runs) and starts their delivery workflows. Without a workflow
 * engine (`start` null), or when starting fails, the deliveries stay pending and the host starts
 * them when it next starts (workflows/src/webhooks.ts resumeWebhookDeliveries); the change that
 * emitted the event is never undone for it.
 */
export async function emitWebhookEvent<K extends WebhookEventKind>(
  db: Db,
  tenantId: string,
  event: WebhookEvent<K>,
  start: StartWebhookDeliveries | null,
): Promise<{ deliveryIds: string[]; started: boolean }> {
  const payload: WebhookPayload = {
    id: webhookEventId(event.kind, event.subjectId),
    kind: event.kind,
    tenant: tenantId,
    occurredAt: event.occurredAt.toISOString(),
    data: event.data,
  };
  const deliveryIds = await withTenant(db, tenantId, async (tx) => {
    const subscribed = await tx
      .select({ id: webhookSubscriptions.id })
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.active, true), arrayContains(webhookSubscriptions.kinds, [event.kind])));
    return recordDeliveries(
      tx,
      tenantId,
      payload,
      subscribed.map((s) => s.id),
    );
  });
  if (deliveryIds.length === 0 || !start) return { deliveryIds, started: false };
  try {
    await start({ tenantId, deliveryIds });
    return { deliveryIds, started: true };
  } catch {
    return { deliveryIds, started: false };
  }
}

/** A `webhook.test` event for one active subscription; null when the tenant has no such active subscription. */
export async function recordWebhookTest(db: Db, tenantId: string, subscriptionId: string, eventId: string, occurredAt: Date): Promise<string | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [subscription] = await tx
      .select({ id: webhookSubscriptions.id })
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.id, subscriptionId), eq(webhookSubscriptions.active, true)));
    if (!subscription) return null;
    const payload: WebhookPayload<typeof WEBHOOK_TEST_KIND> = {
      id: eventId,
      kind: WEBHOOK_TEST_KIND,
      tenant: tenantId,
      occurredAt: occurredAt.toISOString(),
      data: { subscriptionId },
    };
    const [deliveryId] = await recordDeliveries(tx, tenantId, payload, [subscriptionId]);
    return deliveryId ?? null;
  });
}

/** What the delivery workflow needs to send one delivery: the payload, and the subscription's URL and sealed secrets. */
interface WebhookDeliveryToSend {
  id: string;
  kind: string;
  status: string;
  payload: unknown;
  subscription: { url: string; active: boolean; secretSealed: string; previousSecretSealed: string | null; previousSecretExpiresAt: Date | null };
}

export async function getWebhookDeliveryToSend(db: Db, tenantId: string, deliveryId: string): Promise<WebhookDeliveryToSend | null> {
  return withTenant(
    db,
    tenantId,
    async (tx) => {
      const [row] = await tx
        .select({
          id: webhookDeliveries.id,
          kind: webhookDeliveries.kind,
          status: webhookDeliveries.status,
          payload: webhookDeliveries.payload,
          subscription: {
            url: webhookSubscriptions.url,
            active: webhookSubscriptions.active,
            secretSealed: webhookSubscriptions.secretSealed,
            previousSecretSealed: webhookSubscriptions.previousSecretSealed,
            previousSecretExpiresAt: webhookSubscriptions.previousSecretExpiresAt,
          },
        })
        .from(webhookDeliveries)
        .innerJoin(
          webhookSubscriptions,
          and(eq(webhookSubscriptions.tenantId, webhookDeliveries.tenantId), eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId)),
        )
        .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId)));
      return row ?? null;
    },
    { accessMode: 'read only' },
  );
}

/**
 * One attempt's outcome: the receiver's status code (null when none came) and the error in words;
 * `delivered` for a 2xx. Only a pending delivery changes, so a late duplicate of an attempt
 * cannot reopen a delivered or failed one.
 */
export async function recordWebhookAttempt(
  db: Db,
  tenantId: string,
  deliveryId: string,
  outcome: { status: number | null; error: string | null; delivered: boolean; at: Date },
): Promise<void> {
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastStatus: outcome.status,
        lastError: outcome.error,
        ...(outcome.delivered ? { status: 'delivered', deliveredAt: outcome.at } : {}),
      })
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending'))),
  );
}

/** Gives a pending delivery up (its attempts ran out, its URL was refused); `error` replaces the last one when given. */
export async function failWebhookDelivery(db: Db, tenantId: string, deliveryId: string, error?: string): Promise<void> {
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(webhookDeliveries)
      .set({ status: 'failed', ...(error !== undefined ? { lastError: error } : {}) })
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending'))),
  );
}

/** The tenant's deliveries still pending, oldest first: started again when the host starts. */
export async function listPendingWebhookDeliveries(db: Db, tenantId: string): Promise<string[]> {
  const rows = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.status, 'pending')))
        .orderBy(webhookDeliveries.createdAt),
    { accessMode: 'read only' },
  );
  return rows.map((r) => r.id);
}

interface WebhookDeliveryRow {
  id: string;
  eventId: string;
  kind: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A subscription's delivery log, newest first, a page at a time: `before` is the id of the last delivery of the previous page. */
export async function listWebhookDeliveries(
  db: Db,
  tenantId: string,
  subscriptionId: string,
  page: { limit: number; before?: string | undefined },
): Promise<WebhookDeliveryRow[]> {
  return withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select({
          id: webhookDeliveries.id,
          eventId: webhookDeliveries.eventId,
          kind: webhookDeliveries.kind,
          status: webhookDeliveries.status,
          attempts: webhookDeliveries.attempts,
          lastStatus: webhookDeliveries.lastStatus,
          lastError: webhookDeliveries.lastError,
          createdAt: webhookDeliveries.createdAt,
          deliveredAt: webhookDeliveries.deliveredAt,
        })
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.tenantId, tenantId),
            eq(webhookDeliveries.subscriptionId, subscriptionId),
            // Compared in SQL: created_at has microseconds, which a Date in a cursor would lose.
            page.before
              ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (select d.created_at, d.id from ${webhookDeliveries} d where d.tenant_id = ${tenantId} and d.id = ${page.before})`
              : undefined,
          ),
        )
        .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
        .limit(page.limit),
    { accessMode: 'read only' },
  );
}
