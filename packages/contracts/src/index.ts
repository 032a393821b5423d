export * from './events.ts';
export * from './ingest.ts';
export * from './center.ts';
export * from './center-import.ts';
export * from './examples.ts';
export * from './validate.ts';
export * from './schedule.ts';
export * from './history-import.ts';
export { ssoErrorMessage, ssoErrors, type SsoErrorCode } from './sso.ts';
export {
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TEST_KIND,
  webhookEventKinds,
  type WebhookEventData,
  type WebhookEventKind,
  type WebhookPayload,
} from './webhooks.ts';
export {
  alertMetrics,
  alertSeverities,
  alertSubjectKind,
  AlertCondition,
  AlertRuleInput,
  type AlertMetric,
  type AlertSeverity,
  type AlertSubjectKind,
  type AlertWebhookData,
} from './alerts.ts';
export { coachingKpiMetrics, CoachingRule, type CoachingKpiMetric } from './coaching.ts';
