import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  FUTURE_SKEW_MS,
  LATE_EVENT_HORIZON_DAYS,
  validateEvent,
  type ApiError,
  type IngestEventError,
  type IngestResult,
  type TelemetryEvent,
} from '@switchboard/contracts';
import {
  defaultRetention,
  encodeEventRow,
  encodeRejectionRow,
  INTERVAL_MS,
  listStoredIngestKeys,
  type TelemetryStore,
  type TenantRetention,
} from '@switchboard/telemetry';
import { ArrowDecoder, type ArrowDecoderOptions } from './arrow-pool.ts';
import { readBody, type BodyLimits } from './body.ts';
import { IngestHttpError } from './errors.ts';
import { IdempotencyKeys } from './idempotency.ts';
import { LiveRate } from './live-rate.ts';
import { decodeBody, formatOf, type ParseLimits } from './parse.ts';
import { redactPii } from './redact.ts';
import { BatchWriter, defaultWriterOptions, StoreUnavailableError, type InsertObserver, type WriterOptions } from './writer.ts';

export type IngestLimits = BodyLimits & ParseLimits;

const defaultIngestLimits: IngestLimits = {
  maxBodyBytes: 32 * 1024 * 1024,
  maxDecodedBytes: 128 * 1024 * 1024,
  maxEventBytes: 64 * 1024,
  maxEvents: 100_000,
};

export interface IngestOptions {
  store: TelemetryStore;
  /**
   * Resolves an API key to its tenant and the tenant's retention (written into every row,
   * which the tables' TTLs read; the columns' defaults when absent), or null.
   */
  authenticate: (apiKey: string) => Promise<AuthenticatedTenant | null>;
  limits?: Partial<IngestLimits>;
  writer?: Partial<WriterOptions>;
  arrow?: Partial<ArrowDecoderOptions>;
  /** How long an Idempotency-Key is honoured. */
  idempotencyTtlMs?: number;
  /** Told about every insert: the rollup builder. */
  observer?: InsertObserver;
  /** Told the events of each request once they are stored (as stored: redacted), before the answer goes: the desktop's nudges. */
  onStored?: (tenantId: string, events: readonly TelemetryEvent[]) => void;
}

export interface AuthenticatedTenant {
  tenantId: string;
  retention?: TenantRetention;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
/** A rejected event is kept with at most this much of its raw text. */
const MAX_RAW_KEPT = 16 * 1024;
const DAY_MS = 86_400_000;

/** `POST /api/v1/events`: the contract is in docs/events.md (Sending) and ARCHITECTURE.md (Ingest). */
export class IngestService {
  readonly writer: BatchWriter;
  readonly keys: IdempotencyKeys;
  readonly arrow: ArrowDecoder;
  readonly liveRate = new LiveRate();
  /** Where ingest's own time goes (the bench reads them from /api/health). */
  readonly stats = { requests: 0, events: 0, decodeMs: 0, validateMs: 0, encodeMs: 0 };
  readonly #limits: IngestLimits;
  readonly #ttlMs: number;
  /** Accepted events per request, smoothed: the estimate admission goes by before a body is read. */
  #typicalRows = 1;

  constructor(private readonly options: IngestOptions) {
    this.#limits = { ...defaultIngestLimits, ...options.limits };
    this.#ttlMs = options.idempotencyTtlMs ?? DAY_MS;
    this.writer = new BatchWriter(options.store, { ...defaultWriterOptions, ...options.writer }, options.observer);
    this.keys = new IdempotencyKeys(this.#ttlMs);
    this.arrow = new ArrowDecoder(options.arrow);
  }

  /** Reload the keys of batches stored before this process started. */
  async recoverIdempotencyKeys(): Promise<number> {
    const records = await listStoredIngestKeys(this.options.store.client, { since: new Date(Date.now() - this.#ttlMs) });
    for (const r of records) this.keys.restore(r.tenant_id, r.ingest_key, r.accepted);
    return records.length;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const { status, body } = await this.#accept(req);
      sendJson(res, status, body);
    } catch (error) {
      if (error instanceof IngestHttpError) {
        const body: ApiError = { error: error.code, message: error.message };
        sendJson(res, error.status, body, error.status === 413 ? { ...error.headers, connection: 'close' } : error.headers);
        return;
      }
      // The writer logs a refusing store once per interval; anything else here is a bug, logged each time.
      if (!(error instanceof StoreUnavailableError)) console.error('ingest: unexpected failure', (error as Error).message);
      const body: ApiError = {
        error: 'store_unavailable',
        message: 'the event store did not confirm the write; retry the same batch with the same Idempotency-Key',
      };
      sendJson(res, 503, body, { 'retry-after': '2' });
    }
  }

  async #accept(req: IncomingMessage): Promise<{ status: number; body: IngestResult }> {
    if (req.method !== 'POST') {
      throw new IngestHttpError(405, 'method_not_allowed', 'send events with POST', { allow: 'POST' });
    }
    const tenant = await this.#authenticate(req);
    const format = formatOf(req.headers['content-type']);
    const key = headerValue(req, 'idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new IngestHttpError(400, 'idempotency_key_invalid', 'Idempotency-Key must be 1–200 visible ASCII characters');
    }
    // Before reading the body, as if it held a typical request's events: under overload most refusals then cost no parsing.
    this.#admit(Math.max(1, Math.round(this.#typicalRows)));

    const { received, decoded } = await readBody(req, this.#limits);
    if (key === undefined) return this.#store(tenant, '', format, decoded);

    const bodyHash = createHash('sha256').update(received).digest('hex');
    const known = this.keys.lookup(tenant.tenantId, key, bodyHash);
    if (known.kind === 'mismatch') {
      throw new IngestHttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different body; use a new key for a new batch');
    }
    if (known.kind === 'done') return { status: known.status, body: { ...known.body, replayed: true } };
    if (known.kind === 'pending') {
      const original = await known.wait;
      return { status: original.status, body: { ...original.body, replayed: true } };
    }
    const pending = this.#store(tenant, key, format, decoded);
    this.keys.begin(tenant.tenantId, key, bodyHash, pending);
    return pending;
  }

  async #authenticate(req: IncomingMessage): Promise<AuthenticatedTenant> {
    const authorization = headerValue(req, 'authorization');
    const apiKey = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : headerValue(req, 'x-api-key');
    const tenant = apiKey ? await this.options.authenticate(apiKey) : null;
    if (!tenant) {
      throw new IngestHttpError(401, 'unauthorized', 'send a valid tenant API key as "Authorization: Bearer <key>"', {
        'www-authenticate': 'Bearer',
      });
    }
    return tenant;
  }

  #admit(rows: number): void {
    const admission = this.writer.admit(rows);
    if (admission === 'overloaded') {
      throw new IngestHttpError(429, 'overloaded', 'ingest is at capacity; retry this batch after Retry-After seconds', { 'retry-after': '1' });
    }
    if (admission === 'unavailable') {
      throw new IngestHttpError(503, 'store_unavailable', 'the event store is failing writes; retry this batch after Retry-After seconds', {
        'retry-after': '2',
      });
    }
  }

  async #store(
    { tenantId, retention = defaultRetention }: AuthenticatedTenant,
    key: string,
    format: ReturnType<typeof formatOf>,
    body: Buffer,
  ): Promise<{ status: number; body: IngestResult }> {
    const decodeStarted = performance.now();
    const items = await decodeBody(format, body, this.#limits, this.arrow);
    const validateStarted = performance.now();
    // One id per request: in its rows (the rollup builder counts by it) and, without a key, naming its rejections.
    const batchId = randomUUID();
    const batchRef = key || batchId;
    const now = Date.now();
    // An event older than the tenant's retention would be deleted at the next merge: refused.
    const horizonDays = Math.min(LATE_EVENT_HORIZON_DAYS, retention.events);
    const oldest = now - horizonDays * DAY_MS;
    const newest = now + FUTURE_SKEW_MS;

    const valid: TelemetryEvent[] = [];
    /** Each valid event's position in the batch. */
    const positions: number[] = [];
    const intervals = new Set<number>();
    let rejections = '';
    const errors: IngestEventError[] = [];
    const reject = (error: IngestEventError, raw: string) => {
      errors.push(error);
      rejections += encodeRejectionRow({
        tenantId,
        batchRef,
        index: error.index,
        eventId: error.event_id ?? '',
        reason: error.reason,
        message: error.message,
        raw: redactPii(head(raw, MAX_RAW_KEPT)),
        retentionDays: retention.rejections,
      });
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
    let rows = '';
    const stored = valid.map(redactEvent);
    for (const event of stored) rows += encodeEventRow(tenantId, event, key, batchId, retention);
    const stats = this.stats;
    stats.requests++;
    stats.events += items.length;
    stats.decodeMs += validateStarted - decodeStarted;
    stats.validateMs += encodeStarted - validateStarted;
    stats.encodeMs += performance.now() - encodeStarted;

    // Checked again now that the size is known: refuse rather than queue beyond capacity.
    this.#typicalRows = 0.9 * this.#typicalRows + 0.1 * valid.length;
    this.#admit(valid.length);
    const refused = await this.writer.submit({ tenantId, batchId, events: rows, eventCount: valid.length, intervals, rejections });
    if (refused.length > 0) {
      // Valid events the store refused: kept as stored (redacted) and whole, so that a replay can send them again.
      let kept = '';
      for (const { row, refusal } of refused) {
        const event = stored[row]!;
        const error: IngestEventError = {
          index: positions[row]!,
          event_id: event.event_id,
          reason: 'store_rejected',
          message: `the event store refused this event (${refusal.message}); it is kept and can be replayed once the store takes it`,
        };
        errors.push(error);
        kept += encodeRejectionRow({
          tenantId,
          batchRef,
          index: error.index,
          eventId: event.event_id,
          reason: error.reason,
          message: error.message,
          raw: JSON.stringify(event),
          retentionDays: retention.rejections,
        });
      }
      errors.sort((a, b) => a.index - b.index);
      // Its own id: the request's is in rows already counted by the rollups, which must not count them again.
      await this.writer.submit({ tenantId, batchId: randomUUID(), events: '', eventCount: 0, intervals: new Set(), rejections: kept });
    }
    const refusedRows = new Set(refused.map((r) => r.row));
    const landed = refused.length === 0 ? stored : stored.filter((_, i) => !refusedRows.has(i));
    const accepted = landed.length;
    this.liveRate.record(tenantId, accepted);
    // A listener's failure is its own: the events are stored and the sender hears so.
    try {
      this.options.onStored?.(tenantId, landed);
    } catch (error) {
      console.error(`ingest: a stored-events listener failed: ${(error as Error).message}`);
    }
    return {
      status: errors.length === 0 ? 200 : 207,
      body: { accepted, rejected: errors.length, replayed: false, errors },
    };
  }
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

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(payload);
}
