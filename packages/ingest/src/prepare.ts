import { FUTURE_SKEW_MS, LATE_EVENT_HORIZON_DAYS, validateEvent, type EventType, type IngestEventError, type TelemetryEvent } from '@switchboard/contracts';
// Not the package's index: that loads chDB, whose engine must live in the host's main thread only.
import { encodeEventRow, encodeRejectionRow, INTERVAL_MS, type TenantRetention } from '@switchboard/telemetry/event-row';
import { decodeArrow } from './arrow.ts';
import { decodeJsonArray, decodeNdjson, type BodyFormat, type ParseLimits } from './parse.ts';
import { redactPii } from './redact.ts';

/** A request's body and what its rows must carry: everything `prepareBatch` needs, all of it plain data a thread can be sent. */
export interface PrepareInput {
  format: BodyFormat;
  body: Uint8Array;
  limits: ParseLimits;
  tenantId: string;
  /** The Idempotency-Key, '' for none. */
  key: string;
  /** The request's id in its rows (the rollup builder counts by it). */
  batchId: string;
  /** What its rejection rows are filed under: the key, else the batch id. */
  batchRef: string;
  retention: TenantRetention;
  /** The request's arrival (ms): the horizon events must fall in. */
  now: number;
  /** The types the stored-events listener is given (`PreparedBatch.listened`); all when absent. */
  listen?: readonly EventType[] | undefined;
}

/** A body decoded, validated, redacted and encoded: the rows for the writer and the answer's errors. */
export interface PreparedBatch {
  /** Items the body held, valid or not. */
  items: number;
  /**
   * The accepted events as stored (redacted), one JSON line each, in row order. One flat string crosses from a thread
   * in a copy; ten thousand objects took longer to rebuild on the event loop than preparing them took in the thread.
   */
  storedLines: string;
  /** Each stored event's position in the body. */
  positions: number[];
  /** The stored events of the listened types, with their rows. */
  listened: { row: number; event: TelemetryEvent }[];
  /** `events` rows (TSV), one per stored event. */
  rows: string;
  /** `ingest_rejections` rows (TSV). */
  rejections: string;
  errors: IngestEventError[];
  /** The 15-minute intervals (ms) the stored events fall in. */
  intervals: number[];
  /** Where the time went, for the host's ingest figures. */
  ms: { decode: number; validate: number; encode: number };
}

/** A rejected event is kept with at most this much of its raw text. */
const MAX_RAW_KEPT = 16 * 1024;
const DAY_MS = 86_400_000;

/**
 * Everything a request costs before the store: pure, so it runs on the event loop for small bodies and in a thread of
 * the prepare pool (prepare-pool.ts) for large ones and for every Arrow stream.
 */
export function prepareBatch(input: PrepareInput): PreparedBatch {
  const { tenantId, key, batchId, batchRef, retention } = input;
  const decodeStarted = performance.now();
  const body = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  const items =
    input.format === 'ndjson'
      ? decodeNdjson(body, input.limits)
      : input.format === 'json'
        ? decodeJsonArray(body, input.limits)
        : decodeArrow(body, input.limits.maxEvents);
  const validateStarted = performance.now();
  // An event older than the tenant's retention would be deleted at the next merge: refused.
  const horizonDays = Math.min(LATE_EVENT_HORIZON_DAYS, retention.events);
  const oldest = input.now - horizonDays * DAY_MS;
  const newest = input.now + FUTURE_SKEW_MS;

  const valid: TelemetryEvent[] = [];
  const positions: number[] = [];
  const intervals = new Set<number>();
  const rejections: string[] = [];
  const errors: IngestEventError[] = [];
  const reject = (error: IngestEventError, raw: string) => {
    errors.push(error);
    rejections.push(
      encodeRejectionRow({
        tenantId,
        batchRef,
        index: error.index,
        eventId: error.event_id ?? '',
        reason: error.reason,
        message: error.message,
        raw: redactPii(head(raw, MAX_RAW_KEPT)),
        retentionDays: retention.rejections,
      }),
    );
  };

  for (const item of items) {
    if ('malformed' in item) {
      reject({ index: item.index, reason: 'malformed_json', message: item.malformed }, item.raw);
      continue;
    }
    const result = validateEvent(item.value);
    if (!result.ok) {
      const eventId = (item.value as { event_id?: unknown } | null)?.event_id;
      reject(
        {
          index: item.index,
          ...(typeof eventId === 'string' ? { event_id: head(eventId, 64) } : {}),
          reason: result.reason,
          message: result.message,
          ...(result.path ? { path: result.path } : {}),
        },
        rawText(item.value),
      );
      continue;
    }
    const event = result.event;
    const occurred = Date.parse(event.occurred_at);
    if (occurred < oldest || occurred > newest) {
      reject(
        {
          index: item.index,
          event_id: event.event_id,
          reason: 'outside_horizon',
          message: `occurred_at must be within the last ${horizonDays} days${horizonDays < LATE_EVENT_HORIZON_DAYS ? " (the tenant's retention)" : ''} and at most ${FUTURE_SKEW_MS / 60_000} minutes ahead`,
          path: 'occurred_at',
        },
        JSON.stringify(event),
      );
      continue;
    }
    intervals.add(occurred - (occurred % INTERVAL_MS));
    valid.push(event);
    positions.push(item.index);
  }
  const encodeStarted = performance.now();
  const rows: string[] = [];
  const lines: string[] = [];
  const listened: PreparedBatch['listened'] = [];
  const listen = input.listen && new Set<string>(input.listen);
  valid.forEach((event, row) => {
    const stored = redactEvent(event);
    rows.push(encodeEventRow(tenantId, stored, key, batchId, retention));
    lines.push(JSON.stringify(stored));
    if (!listen || listen.has(stored.type)) listened.push({ row, event: stored });
  });
  return {
    items: items.length,
    storedLines: lines.join('\n'),
    positions,
    listened,
    // Joined, not appended to: a string built by += is a rope, which a thread's reply must flatten on the event loop.
    rows: rows.join(''),
    rejections: rejections.join(''),
    errors,
    intervals: [...intervals],
    ms: { decode: validateStarted - decodeStarted, validate: encodeStarted - validateStarted, encode: performance.now() - encodeStarted },
  };
}

/** The first `max` UTF-16 units of a sender's text, not ending in half a surrogate pair (which storage would make U+FFFD). */
function head(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** A rejected value as JSON for its rejection row; '' when it has none (nested too deep to print, say). */
function rawText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function redactEvent(event: TelemetryEvent): TelemetryEvent {
  if (event.type !== 'transcript.segment') return event;
  const text = redactPii(event.text);
  return text === event.text ? event : { ...event, text };
}
