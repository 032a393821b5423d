import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiError, type EventType, type IngestEventError, type IngestResult, type TelemetryEvent } from '@switchboard/contracts';
import { defaultRetention, encodeRejectionRow, listStoredIngestKeys, type TelemetryStore, type TenantRetention } from '@switchboard/telemetry';
import { readBody, type BodyLimits } from './body.ts';
import { IngestHttpError } from './errors.ts';
import { IdempotencyKeys } from './idempotency.ts';
import { LiveRate } from './live-rate.ts';
import { formatOf, type ParseLimits } from './parse.ts';
import { prepareBatch, type PrepareInput } from './prepare.ts';
import { PreparePool, type PreparePoolOptions } from './prepare-pool.ts';
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
  /** The threads that prepare large bodies and every Arrow stream. */
  prepare?: Partial<PreparePoolOptions>;
  /** JSON bodies up to this many bytes are prepared on the event loop, larger ones in the pool. */
  inlineBytes?: number;
  /** How long an Idempotency-Key is honoured. */
  idempotencyTtlMs?: number;
  /** Told about every insert: the rollup builder. */
  observer?: InsertObserver;
  /** Told the events of each request once they are stored (as stored: redacted), before the answer goes: the desktop's nudges. */
  onStored?: (tenantId: string, events: readonly TelemetryEvent[]) => void;
  /** The event types `onStored` is told about; all when absent. Fewer cost less to bring back from the prepare threads. */
  storedTypes?: readonly EventType[];
}

export interface AuthenticatedTenant {
  tenantId: string;
  retention?: TenantRetention;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
/** About 200 events: prepared in a millisecond or two, less than a round trip to a thread costs. */
const INLINE_BYTES = 64 * 1024;
const DAY_MS = 86_400_000;

/** `POST /api/v1/events`: the contract is in docs/events.md (Sending) and ARCHITECTURE.md (Ingest). */
export class IngestService {
  readonly writer: BatchWriter;
  readonly keys: IdempotencyKeys;
  readonly pool: PreparePool;
  readonly liveRate = new LiveRate();
  /** Where ingest's own time goes (the bench reads them from /api/health). */
  readonly stats = { requests: 0, events: 0, decodeMs: 0, validateMs: 0, encodeMs: 0 };
  readonly #limits: IngestLimits;
  readonly #ttlMs: number;
  readonly #inlineBytes: number;
  /** Accepted events per request, smoothed: the estimate admission goes by before a body is read. */
  #typicalRows = 1;

  constructor(private readonly options: IngestOptions) {
    this.#limits = { ...defaultIngestLimits, ...options.limits };
    this.#ttlMs = options.idempotencyTtlMs ?? DAY_MS;
    this.writer = new BatchWriter(options.store, { ...defaultWriterOptions, ...options.writer }, options.observer);
    this.keys = new IdempotencyKeys(this.#ttlMs);
    this.pool = new PreparePool(options.prepare);
    this.#inlineBytes = options.inlineBytes ?? INLINE_BYTES;
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
    // One id per request: in its rows (the rollup builder counts by it) and, without a key, naming its rejections.
    const batchId = randomUUID();
    const input: PrepareInput = {
      format,
      body,
      limits: this.#limits,
      tenantId,
      key,
      batchId,
      batchRef: key || batchId,
      retention,
      now: Date.now(),
      listen: this.options.storedTypes,
    };
    // Small JSON bodies cost less here than a thread's round trip; large ones, and Arrow's always, would hold the event loop.
    const prepared = format !== 'arrow' && body.length <= this.#inlineBytes ? prepareBatch(input) : await this.pool.prepare(input);
    const { positions, rows, rejections, errors } = prepared;
    const storedCount = positions.length;
    const stats = this.stats;
    stats.requests++;
    stats.events += prepared.items;
    stats.decodeMs += prepared.ms.decode;
    stats.validateMs += prepared.ms.validate;
    stats.encodeMs += prepared.ms.encode;

    // Checked again now that the size is known: refuse rather than queue beyond capacity.
    this.#typicalRows = 0.9 * this.#typicalRows + 0.1 * storedCount;
    this.#admit(storedCount);
    const refused = await this.writer.submit({ tenantId, batchId, events: rows, eventCount: storedCount, intervals: new Set(prepared.intervals), rejections });
    if (refused.length > 0) {
      // Valid events the store refused: kept as stored (redacted) and whole, so that a replay can send them again.
      let kept = '';
      const lines = prepared.storedLines.split('\n');
      for (const { row, refusal } of refused) {
        const line = lines[row]!;
        const event = JSON.parse(line) as TelemetryEvent;
        const error: IngestEventError = {
          index: positions[row]!,
          event_id: event.event_id,
          reason: 'store_rejected',
          message: `the event store refused this event (${refusal.message}); it is kept and can be replayed once the store takes it`,
        };
        errors.push(error);
        kept += encodeRejectionRow({
          tenantId,
          batchRef: input.batchRef,
          index: error.index,
          eventId: event.event_id,
          reason: error.reason,
          message: error.message,
          raw: line,
          retentionDays: retention.rejections,
        });
      }
      errors.sort((a, b) => a.index - b.index);
      // Its own id: the request's is in rows already counted by the rollups, which must not count them again.
      await this.writer.submit({ tenantId, batchId: randomUUID(), events: '', eventCount: 0, intervals: new Set(), rejections: kept });
    }
    const refusedRows = new Set(refused.map((r) => r.row));
    const accepted = storedCount - refusedRows.size;
    this.liveRate.record(tenantId, accepted);
    // A listener's failure is its own: the events are stored and the sender hears so.
    try {
      const listened = prepared.listened.filter(({ row }) => !refusedRows.has(row)).map(({ event }) => event);
      if (listened.length > 0) this.options.onStored?.(tenantId, listened);
    } catch (error) {
      console.error(`ingest: a stored-events listener failed: ${(error as Error).message}`);
    }
    return {
      status: errors.length === 0 ? 200 : 207,
      body: { accepted, rejected: errors.length, replayed: false, errors },
    };
  }
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
