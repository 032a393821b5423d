import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER, webhookEventKinds } from '@switchboard/contracts';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  emitWebhookEvent,
  getSchedule,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  recordWebhookTest,
  rotateWebhookSecret,
  updateWebhookSubscription,
  type EvaluationRow,
  type StartWebhookDeliveries,
  type TimeOffRow,
} from '@switchboard/db';
import type { ApiServices } from '../context.ts';
import { checkOutboundUrl, fetchOutbound, OutboundError, type OutboundOptions } from '../outbound-url.ts';
import { requireEngine } from '../planning-runner.ts';
import { openSecret, sealSecret } from '../sealed-secret.ts';
import { notFound, type Access } from '../trpc.ts';
import type { Accounts } from './admin.ts';

/**
 * A tenant administrator's outbound webhooks: URLs subscribed to event kinds, each with a signing
 * secret shown once (at creation and at each rotation) and sealed at rest, and the log of what was
 * sent. Deliveries are sent by the webhook delivery workflow through the outbound guard; a URL the
 * guard refuses is refused here before anything is saved.
 */

/** How long the secret a rotation replaces keeps signing beside the new one, for receivers to switch over. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const Id = z.uuid();
const Name = z.string().trim().min(1, 'a name').max(100);
const Url = z.string().trim().min(1, 'the URL to send events to').max(2000);
const Kinds = z
  .array(z.enum(webhookEventKinds))
  .min(1, 'at least one kind of event')
  .transform((kinds) => [...new Set(kinds)]);

export const WebhookRef = z.object({ id: Id });
export const CreateWebhookInput = z.object({ name: Name, url: Url, kinds: Kinds });
export const UpdateWebhookInput = z.object({ id: Id, name: Name.optional(), url: Url.optional(), kinds: Kinds.optional(), active: z.boolean().optional() });
export const WebhookDeliveriesInput = z.object({ id: Id, limit: z.int().min(1).max(200).default(50), before: Id.optional() });

/** Starts delivery workflows through the API's workflow runner; null without an engine (the deliveries wait for the host's next start). */
export function webhookStarter(services: ApiServices): StartWebhookDeliveries | null {
  const planning = services.planning;
  return planning ? (input) => planning.startWebhookDeliveries(input) : null;
}

/** `time_off.decided` for a request a planner decided, or one approved on arrival. */
export async function emitTimeOffDecided(services: ApiServices, access: Access, request: TimeOffRow, decidedBy: 'planner' | 'automatic'): Promise<void> {
  if (request.status !== 'approved' && request.status !== 'refused') return;
  const agentKey = access.directory.agents.find((a) => a.id === request.agentId)?.key ?? request.agentId;
  await emitWebhookEvent(
    services.db,
    access.tenantId,
    {
      kind: 'time_off.decided',
      subjectId: request.id,
      occurredAt: request.decidedAt ?? services.now(),
      data: {
        requestId: request.id,
        agentKey,
        status: request.status,
        decidedBy,
        startsAt: request.startsAt.toISOString(),
        endsAt: request.endsAt.toISOString(),
        paidHours: request.paidHours,
      },
    },
    webhookStarter(services),
  );
}

/**
 * `schedule.published` for a week the API republished (time off, a swap, break moves, an offer taken): the event
 * id comes from the version, so a retried call records it once.
 */
export async function emitSchedulePublished(services: ApiServices, access: Access, scheduleId: string): Promise<void> {
  const stored = await getSchedule(services.db, access.tenantId, scheduleId);
  if (!stored || stored.schedule.status !== 'published') return;
  const publishedAt = stored.schedule.publishedAt ?? services.now();
  await emitWebhookEvent(
    services.db,
    access.tenantId,
    {
      kind: 'schedule.published',
      subjectId: scheduleId,
      occurredAt: publishedAt,
      data: {
        scheduleId,
        planningGroupId: stored.schedule.groupId,
        weekStart: stored.schedule.weekStart,
        publishedAt: publishedAt.toISOString(),
        agents: new Set(stored.activities.map((a) => a.agentId)).size,
      },
    },
    webhookStarter(services),
  );
}

/** `offer.accepted` when an agent took a time-off or overtime offer. */
export async function emitOfferAccepted(
  services: ApiServices,
  access: Access,
  input: { offer: { id: string; kind: string; groupId: string; startsAt: Date; endsAt: Date }; agentId: string; scheduleId: string; acceptedAt: Date },
): Promise<void> {
  await emitWebhookEvent(
    services.db,
    access.tenantId,
    {
      kind: 'offer.accepted',
      subjectId: `${input.offer.id}:${input.agentId}`,
      occurredAt: input.acceptedAt,
      data: {
        offerId: input.offer.id,
        kind: input.offer.kind === 'vto' ? 'vto' : 'overtime',
        agentKey: access.directory.agents.find((a) => a.id === input.agentId)?.key ?? input.agentId,
        planningGroupId: input.offer.groupId,
        startsAt: input.offer.startsAt.toISOString(),
        endsAt: input.offer.endsAt.toISOString(),
        scheduleId: input.scheduleId,
        acceptedAt: input.acceptedAt.toISOString(),
      },
    },
    webhookStarter(services),
  );
}

/** `evaluation.released` once the agent can see the evaluation (released on its own or when finalized). */
export async function emitEvaluationReleased(services: ApiServices, access: Access, evaluation: EvaluationRow): Promise<void> {
  if (!evaluation.releasedAt) return;
  await emitWebhookEvent(
    services.db,
    access.tenantId,
    {
      kind: 'evaluation.released',
      subjectId: evaluation.id,
      occurredAt: evaluation.releasedAt,
      data: {
        evaluationId: evaluation.id,
        interactionId: evaluation.interactionId,
        agentKey: evaluation.agentKey,
        queueKey: evaluation.queueKey,
        channel: evaluation.channel,
        formId: evaluation.formId,
        score: evaluation.score,
        failedCritical: evaluation.failedCritical,
        releasedAt: evaluation.releasedAt.toISOString(),
      },
    },
    webhookStarter(services),
  );
}

/** `coaching.acknowledged` when an agent acknowledged a coaching assignment. */
export async function emitCoachingAcknowledged(
  services: ApiServices,
  access: Access,
  assignment: { id: string; agentId: string; ruleId: string | null; targetKey: string; acknowledgedAt: Date | null },
): Promise<void> {
  const acknowledgedAt = assignment.acknowledgedAt ?? services.now();
  await emitWebhookEvent(
    services.db,
    access.tenantId,
    {
      kind: 'coaching.acknowledged',
      subjectId: assignment.id,
      occurredAt: acknowledgedAt,
      data: {
        assignmentId: assignment.id,
        agentKey: access.directory.agents.find((a) => a.id === assignment.agentId)?.key ?? assignment.agentId,
        ruleId: assignment.ruleId,
        target: assignment.targetKey,
        acknowledgedAt: acknowledgedAt.toISOString(),
      },
    },
    webhookStarter(services),
  );
}

/** The URL as the guard sees it now; BAD_REQUEST with its reason when refused. */
async function checkUrl(services: ApiServices, url: string): Promise<void> {
  const checked = await checkOutboundUrl(url, { allowHosts: services.outboundAllowHosts });
  if (!checked.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: `this URL is refused: ${checked.reason}` });
}

/** A new signing secret: 32 random bytes, prefixed so that people and secret scanners recognise it. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

async function authSecretOf(accounts: Accounts): Promise<string> {
  return (await accounts.auth.$context).secret;
}

export async function listWebhooksView(services: ApiServices, access: Access) {
  const rows = await listWebhookSubscriptions(services.db, access.tenantId, services.now());
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    url: s.url,
    kinds: s.kinds,
    active: s.active,
    createdAt: s.createdAt.toISOString(),
    previousSecretExpiresAt: s.previousSecretExpiresAt?.toISOString() ?? null,
    lastDelivery: s.lastDelivery && { ...s.lastDelivery, createdAt: s.lastDelivery.createdAt.toISOString() },
  }));
}

/** Checks the URL, then saves the subscription; the secret is in this answer and nowhere else. */
export async function createWebhook(services: ApiServices, accounts: Accounts, access: Access, actorId: string, input: z.infer<typeof CreateWebhookInput>) {
  await checkUrl(services, input.url);
  const secret = newSecret();
  const secretSealed = sealSecret(await authSecretOf(accounts), 'webhook secret', secret);
  const id = await createWebhookSubscription(services.db, access.tenantId, actorId, { name: input.name, url: input.url, kinds: input.kinds, secretSealed });
  return { id, secret };
}

export async function updateWebhook(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof UpdateWebhookInput>) {
  if (input.url !== undefined) await checkUrl(services, input.url);
  const { id, ...patch } = input;
  if (!(await updateWebhookSubscription(services.db, access.tenantId, actorId, id, patch))) throw notFound('webhook subscription');
  return { id };
}

/** A new secret, in this answer only; the one it replaces signs too for a day. */
export async function rotateWebhook(services: ApiServices, accounts: Accounts, access: Access, actorId: string, input: z.infer<typeof WebhookRef>) {
  const secret = newSecret();
  const secretSealed = sealSecret(await authSecretOf(accounts), 'webhook secret', secret);
  const previousSecretExpiresAt = new Date(services.now().getTime() + ROTATION_OVERLAP_MS);
  if (!(await rotateWebhookSecret(services.db, access.tenantId, actorId, input.id, secretSealed, previousSecretExpiresAt)))
    throw notFound('webhook subscription');
  return { id: input.id, secret, previousSecretExpiresAt: previousSecretExpiresAt.toISOString() };
}

export async function deleteWebhook(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof WebhookRef>) {
  return { removed: await deleteWebhookSubscription(services.db, access.tenantId, actorId, input.id) };
}

/** The subscription's delivery log, newest first; `next` continues it. A subscription of another tenant has none. */
export async function listWebhookDeliveriesView(services: ApiServices, access: Access, input: z.infer<typeof WebhookDeliveriesInput>) {
  const rows = await listWebhookDeliveries(services.db, access.tenantId, input.id, { limit: input.limit, before: input.before });
  return {
    deliveries: rows.map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null })),
    next: rows.length === input.limit ? rows.at(-1)!.id : null,
  };
}

/** Sends a `webhook.test` event to one active subscription through the delivery workflow; the log shows how it was answered. */
export async function sendWebhookTest(services: ApiServices, access: Access, input: z.infer<typeof WebhookRef>) {
  const engine = requireEngine(services);
  const deliveryId = await recordWebhookTest(services.db, access.tenantId, input.id, randomUUID(), services.now());
  if (!deliveryId) throw notFound('active webhook subscription');
  await engine.startWebhookDeliveries({ tenantId: access.tenantId, deliveryIds: [deliveryId] });
  return { deliveryId };
}

/**
 * `t=<unix seconds>,v1=<hex>` with one `v1` per secret: HMAC-SHA256 under the secret of
 * `<t>.<body>`, so a receiver checks the body and its age together (docs/webhooks.md).
 */
function signatureOf(secrets: readonly string[], at: Date, body: string): string {
  const t = Math.floor(at.getTime() / 1000);
  return [`t=${t}`, ...secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`)].join(',');
}

/**
 * What the delivery workflow's worker needs from this package (structurally the `WebhookTransport`
 * of workflows/src/webhook-activities.ts): the secrets opened under the host's auth secret, the
 * body signed, and the POST made through the outbound guard with the operator's allowlist.
 */
export interface WebhookTransport {
  send(request: {
    url: string;
    deliveryId: string;
    kind: string;
    body: string;
    /** Sealed secrets to sign with: the current one, then the previous one during a rotation's overlap. */
    secretsSealed: readonly string[];
    at: Date;
  }): Promise<{ status: number } | { refused: string } | { failed: string }>;
}

/** `resolve` replaces DNS, for tests that prove a name resolving to a private address is refused. */
export function createWebhookTransport(options: { authSecret: string; allowHosts: readonly string[]; resolve?: OutboundOptions['resolve'] }): WebhookTransport {
  return {
    async send(request) {
      const secrets = request.secretsSealed.map((sealed) => openSecret(options.authSecret, 'webhook secret', sealed));
      try {
        const answer = await fetchOutbound(request.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Switchboard-Webhooks/1',
            [WEBHOOK_SIGNATURE_HEADER]: signatureOf(secrets, request.at, request.body),
            [WEBHOOK_EVENT_HEADER]: request.kind,
            [WEBHOOK_DELIVERY_HEADER]: request.deliveryId,
          },
          body: request.body,
          allowHosts: options.allowHosts,
          ...(options.resolve ? { resolve: options.resolve } : {}),
        });
        return { status: answer.status };
      } catch (error) {
        if (!(error instanceof OutboundError)) throw error;
        return error.refused ? { refused: error.message } : { failed: error.message };
      }
    },
  };
}
