import { z } from 'zod';
import { rejectionReasons } from './events.ts';

/** Per-event outcome of a batch, returned with 200 (all stored) or 207 (some rejected). */
export const IngestEventError = z.object({
  index: z.number().int().describe('Position of the event in the batch (0-based; NDJSON: line number - 1).'),
  event_id: z.string().optional(),
  /** store_rejected: the event is valid but the store refused it (kept whole for a replay). */
  reason: z.enum([...rejectionReasons, 'store_rejected']),
  message: z.string(),
  path: z.string().optional(),
});
export type IngestEventError = z.infer<typeof IngestEventError>;

export const IngestResult = z.object({
  accepted: z.number().int().describe('Events stored by this request (or by the earlier request with the same Idempotency-Key).'),
  rejected: z.number().int().describe('Events refused; each is listed in errors and kept in ingest_rejections.'),
  replayed: z.boolean().describe('True when this Idempotency-Key was already stored: nothing was stored again.'),
  errors: z.array(IngestEventError),
});
export type IngestResult = z.infer<typeof IngestResult>;

const ingestErrorCodes = [
  'unauthorized',
  'unsupported_media_type',
  'malformed_body',
  'payload_too_large',
  'too_many_events',
  'idempotency_key_reused',
  'idempotency_key_invalid',
  'overloaded',
  'store_unavailable',
  'method_not_allowed',
  'not_found',
] as const;
export const IngestErrorCode = z.enum(ingestErrorCodes);
export type IngestErrorCode = z.infer<typeof IngestErrorCode>;

/** Body of every non-2xx answer: a machine-readable code and a sentence that says what to do. */
export const ApiError = z.object({ error: IngestErrorCode, message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

/**
 * Answered-within thresholds kept by the queue rollup. A queue's service-level target
 * picks one of these, so service level is exact at any grain without re-reading raw events.
 */
export const serviceLevelThresholdsS = [10, 15, 20, 30, 45, 60, 90, 120, 180, 300] as const;
export type ServiceLevelThresholdS = (typeof serviceLevelThresholdsS)[number];

/** An abandon after less than this wait is a "short abandon" (often excluded from SL). */
export const SHORT_ABANDON_MS = 5_000;

/** How far back (late events) and ahead (clock skew) occurred_at may be. */
export const LATE_EVENT_HORIZON_DAYS = 45;
export const FUTURE_SKEW_MS = 5 * 60_000;
