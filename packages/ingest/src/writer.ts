import { eventColumns, rejectionColumns, type InsertTicket, type TelemetryStore, type TouchedIntervals } from '@switchboard/telemetry';

export interface WriteJob {
  tenantId: string;
  /** The request's id, in every one of its rows' batch_id. */
  batchId: string;
  /** TSV lines for `events`, already encoded. */
  events: string;
  eventCount: number;
  /** Starts (epoch ms) of the 15-minute intervals the events occurred in: what the rollups must recount. */
  intervals: ReadonlySet<number>;
  /** TSV lines for `ingest_rejections`. */
  rejections: string;
}

export interface WriterOptions {
  /** Flush as soon as this many rows wait. */
  flushRows: number;
  /** Otherwise flush this long after the first row arrived, so a lone request is not kept waiting. */
  lingerMs: number;
  /** Above this many rows waiting or being written, new batches are refused with 429. */
  maxPendingRows: number;
  /** After a failed insert, refuse with 503 for this long instead of piling up work. */
  failureBackoffMs: number;
}

export const defaultWriterOptions: WriterOptions = {
  flushRows: 200_000,
  lingerMs: 5,
  maxPendingRows: 1_000_000,
  failureBackoffMs: 2_000,
};

interface Waiting {
  job: WriteJob;
  resolve: () => void;
  reject: (error: Error) => void;
}

export type Admission = 'ok' | 'overloaded' | 'unavailable';

/** Told about every insert of events (the rollup builder): before it starts, and once it returned. */
export interface InsertObserver {
  beginInsert(batchIds: readonly string[]): InsertTicket;
  endInsert(ticket: InsertTicket, touched: TouchedIntervals): void;
}

/**
 * Turns many requests into few inserts. Batches wait while one insert runs, and the
 * next insert takes everything that arrived meanwhile: under load inserts grow, when
 * idle a request waits at most `lingerMs`. A request's promise settles only when the
 * insert that holds its rows has returned, which is what lets ingest answer 2xx.
 */
export class BatchWriter {
  #queue: Waiting[] = [];
  #queuedRows = 0;
  #inFlightRows = 0;
  #flushing = false;
  #timer: NodeJS.Timeout | undefined;
  #failedAt = 0;
  #idle: (() => void)[] = [];
  readonly stats = { inserts: 0, rows: 0, failures: 0, insertMs: 0 };

  constructor(
    private readonly store: TelemetryStore,
    private readonly options: WriterOptions = defaultWriterOptions,
    private readonly observer?: InsertObserver,
  ) {}

  admit(rows: number): Admission {
    if (Date.now() - this.#failedAt < this.options.failureBackoffMs) return 'unavailable';
    if (this.#queuedRows + this.#inFlightRows + rows > this.options.maxPendingRows) return 'overloaded';
    return 'ok';
  }

  get pendingRows(): number {
    return this.#queuedRows + this.#inFlightRows;
  }

  submit(job: WriteJob): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      this.#queuedRows += job.eventCount;
      this.#schedule();
    });
  }

  /** Resolves once everything submitted so far has been written (or has failed). */
  drain(): Promise<void> {
    if (!this.#flushing && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#flushing) return;
    if (this.#queuedRows >= this.options.flushRows) {
      void this.#flush();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => void this.#flush(), this.options.lingerMs);
    }
  }

  async #flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#flushing || this.#queue.length === 0) return;
    this.#flushing = true;

    const batch: Waiting[] = [];
    let rows = 0;
    while (this.#queue.length > 0 && (batch.length === 0 || rows + this.#queue[0]!.job.eventCount <= this.options.flushRows)) {
      const next = this.#queue.shift()!;
      batch.push(next);
      rows += next.job.eventCount;
    }
    this.#queuedRows -= rows;
    this.#inFlightRows = rows;

    const started = performance.now();
    try {
      const rejections = batch.map((w) => w.job.rejections).join('');
      // Rejections first: when the events insert then fails, the retry replaces these rows.
      if (rejections.length > 0) {
        await this.store.insertTsv({ table: 'ingest_rejections', columns: rejectionColumns, body: Buffer.from(rejections) });
      }
      if (rows > 0) {
        const ticket = this.observer?.beginInsert(batch.map((w) => w.job.batchId));
        try {
          await this.store.insertTsv({ table: 'events', columns: eventColumns, body: Buffer.from(batch.map((w) => w.job.events).join('')) });
        } finally {
          if (ticket) this.observer!.endInsert(ticket, touchedBy(batch));
        }
      }
      this.stats.inserts++;
      this.stats.rows += rows;
      this.stats.insertMs += performance.now() - started;
      for (const w of batch) w.resolve();
    } catch (error) {
      this.#failedAt = Date.now();
      this.stats.failures++;
      for (const w of batch) w.reject(error as Error);
    } finally {
      this.#inFlightRows = 0;
      this.#flushing = false;
      // What queued during this insert has waited long enough: write it now.
      if (this.#queue.length > 0) setImmediate(() => void this.#flush());
      else for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}

function touchedBy(batch: readonly Waiting[]): TouchedIntervals {
  const touched: TouchedIntervals = new Map();
  for (const { job } of batch) {
    let set = touched.get(job.tenantId);
    if (!set) touched.set(job.tenantId, (set = new Set()));
    for (const start of job.intervals) set.add(start);
  }
  return touched;
}
