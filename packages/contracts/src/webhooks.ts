import type { AlertWebhookData } from './alerts.ts';

/**
 * Outbound webhooks: the event kinds a tenant admin can subscribe a URL to, the payload every
 * delivery carries and the headers that sign it (docs/webhooks.md tells receivers how to check
 * them). Payloads carry ids and figures only, never names, e-mail addresses or transcript text.
 */

/** Every kind a subscription may name. */
export const webhookEventKinds = [
  'alert.fired',
  'alert.cleared',
  'schedule.published',
  'time_off.decided',
  'offer.accepted',
  'evaluation.released',
  'coaching.acknowledged',
] as const;
export type WebhookEventKind = (typeof webhookEventKinds)[number];

/** The kind of the event "send test event" sends to one subscription; nobody subscribes to it. */
export const WEBHOOK_TEST_KIND = 'webhook.test';

/** What each kind's `data` holds. */
export interface WebhookEventData {
  'schedule.published': {
    scheduleId: string;
    planningGroupId: string;
    /** Tenant-local ISO date of the week's Monday. */
    weekStart: string;
    publishedAt: string;
    /** Agents with activities in the published week. */
    agents: number;
  };
  'time_off.decided': {
    requestId: string;
    agentKey: string;
    status: 'approved' | 'refused';
    /** `automatic` when the request was approved on arrival because staffing stayed covered. */
    decidedBy: 'planner' | 'automatic';
    startsAt: string;
    endsAt: string;
    paidHours: number;
  };
  'evaluation.released': {
    evaluationId: string;
    interactionId: string;
    agentKey: string;
    queueKey: string;
    channel: string;
    formId: string;
    score: number | null;
    failedCritical: boolean;
    releasedAt: string;
  };
  'alert.fired': AlertWebhookData;
  'alert.cleared': AlertWebhookData;
  'offer.accepted': {
    offerId: string;
    kind: 'vto' | 'overtime';
    agentKey: string;
    planningGroupId: string;
    startsAt: string;
    endsAt: string;
    /** The schedule version the acceptance published. */
    scheduleId: string;
    acceptedAt: string;
  };
  'coaching.acknowledged': {
    assignmentId: string;
    agentKey: string;
    /** The rule that made the assignment; null for one a person assigned. */
    ruleId: string | null;
    /** A form question (`question:<id>`) or a KPI (`metric:<id>`). */
    target: string;
    acknowledgedAt: string;
  };
  'webhook.test': { subscriptionId: string };
}

/** The JSON body of every delivery. `id` is the event's: the same for every subscription and every retry, for receivers to deduplicate. */
export interface WebhookPayload<K extends keyof WebhookEventData = keyof WebhookEventData> {
  id: string;
  kind: K;
  /** The tenant's id. */
  tenant: string;
  occurredAt: string;
  data: WebhookEventData[K];
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, a second `v1` during a secret rotation's overlap. */
export const WEBHOOK_SIGNATURE_HEADER = 'Switchboard-Signature';
export const WEBHOOK_EVENT_HEADER = 'Switchboard-Event';
/** The delivery's id: one per event and subscription, the same on every retry. */
export const WEBHOOK_DELIVERY_HEADER = 'Switchboard-Delivery';
