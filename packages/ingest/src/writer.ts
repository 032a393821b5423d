import {
  eventColumns,
  rejectionColumns,
  storeRefusal,
  type InsertTicket,
  type StoreRefusal,
  type TelemetryStore,
  type TouchedIntervals,
} from '@switchboard/telemetry';

export interface WriteJob {
  tenantId: string;
  /** The request's id, in every one of its rows' batch_id. */
  batchId: string;
  /** TSV lines for `events`, already encoded: one line per row. */
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
  /**
   * Also refused with 429: a batch that would wait longer than this for the store to write what is ahead of it, at the
   * rate inserts have been running. A slow store then answers "come back later" instead of holding every request.
   */
  maxQueueMs: number;
  /**
   * An insert that has not returned by then fails its requests with 503 (a store stuck on a full disk must not hold
   * them), and the store counts as unwritable.
   */
  insertTimeoutMs: number;
  /** While the store is unwritable, a one-row probe insert this often tells when it takes writes again. */
  probeEveryMs: number;
  /** While it stays unwritable, one log line per this long (not one per refused request). */
  logEveryMs: number;
}

export const defaultWriterOptions: WriterOptions = {
  flushRows: 200_000,
  lingerMs: 5,
  maxPendingRows: 1_000_000,
  maxQueueMs: 10_000,
  insertTimeoutMs: 30_000,
  probeEveryMs: 1_000,
  logEveryMs: 60_000,
};

const MEASURED_ROWS = 5_000;

/** The store did not confirm a write (it failed, or did not return in time): the requests it held get 503. */
export class StoreUnavailableError extends Error {}

/** Whether the store takes writes, as /api/health reports it. */
export type WriterHealth = { writable: true } | { writable: false; since: string; error: string };

/** A row of a job the store refused however it was retried: its line in `events` (0-based) and why. */
export interface RefusedRow {
  row: number;
  refusal: StoreRefusal;
}

interface Waiting {
  job: WriteJob;
  resolve: (refused: RefusedRow[]) => void;
  reject: (error: Error) => void;
}

/**
 * Inserts one coalesced write may spend isolating rows the store refuses (halving the jobs, then a job's rows). One
 * refused row among 10,000 takes about 30; past the budget, what is still unresolved is refused with its neighbours.
 */
const ISOLATION_INSERTS = 256;
/** Below this many rows a failing part is tried row by row rather than halved again. */
const ROW_BY_ROW = 8;

export type Admission = 'ok' | 'overloaded' | 'unavailable';

/** Told about every insert of events (the rollup builder): before it starts, and once it returned. */
export interface InsertObserver {
  beginInsert(batchIds: readonly string[]): InsertTicket;
  /** `countable: false`: the insert failed, or its requests' rows went in several inserts; their intervals are recounted whole. */
  endInsert(ticket: InsertTicket, touched: TouchedIntervals, options?: { countable: boolean }): void;
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
  #unwritable: { since: number; error: string; loggedAt: number } | null = null;
  #probe: NodeJS.Timeout | undefined;
  /** Rows the store writes a millisecond, smoothed over recent inserts of at least MEASURED_ROWS (null until one ran). */
  #rowsPerMs: number | null = null;
  #idle: (() => void)[] = [];
  readonly stats = { inserts: 0, rows: 0, failures: 0, insertMs: 0, timeouts: 0 };

  constructor(
    private readonly store: TelemetryStore,
    private readonly options: WriterOptions = defaultWriterOptions,
    private readonly observer?: InsertObserver,
  ) {}

  admit(rows: number): Admission {
    // Refused at once while the store refuses writes: the probe, not a client's batch, finds out when it is back.
    if (this.#unwritable) return 'unavailable';
    const pending = this.#queuedRows + this.#inFlightRows + rows;
    if (pending > this.options.maxPendingRows) return 'overloaded';
    if (this.#rowsPerMs !== null && pending / this.#rowsPerMs > this.options.maxQueueMs) return 'overloaded';
    return 'ok';
  }

  get health(): WriterHealth {
    const u = this.#unwritable;
    return u ? { writable: false, since: new Date(u.since).toISOString(), error: u.error } : { writable: true };
  }

  /** Stops the probe (the host is stopping). */
  close(): void {
    clearTimeout(this.#probe);
  }

  get pendingRows(): number {
    return this.#queuedRows + this.#inFlightRows;
  }

  /** Settles once the job's rows are stored, with those the store refused (set aside by isolating them). */
  submit(job: WriteJob): Promise<RefusedRow[]> {
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
    const write = this.#write(batch, rows);
    // The requests get their answer when the insert returns or at the timeout, whichever is first. A stuck insert is
    // left to finish (or not) on its own: the writer goes on once a probe finds the store writable.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.options.insertTimeoutMs)));
    const outcome = await Promise.race([
      write.then(
        (refused) => refused,
        (error: unknown) => error as Error,
      ),
      timeout,
    ]);
    clearTimeout(timer);
    if (outcome instanceof Map) {
      this.stats.inserts++;
      this.stats.rows += rows;
      const ms = performance.now() - started;
      this.stats.insertMs += ms;
      // Small inserts are mostly fixed cost: they would understate what the store can take.
      if (rows >= MEASURED_ROWS && outcome.size === 0) this.#rowsPerMs = this.#rowsPerMs === null ? rows / ms : 0.8 * this.#rowsPerMs + 0.2 * (rows / ms);
      this.#writable();
      for (const w of batch) w.resolve(outcome.get(w) ?? []);
    } else {
      this.stats.failures++;
      const timedOut = outcome === 'timeout';
      if (timedOut) this.stats.timeouts++;
      const reason = timedOut ? `an insert did not return within ${this.options.insertTimeoutMs} ms` : outcome.message;
      this.#failing(reason);
      const error = new StoreUnavailableError(reason);
      // Jobs isolation already stored have their answer; the rest are refused.
      const settled = outcome instanceof IsolationInterrupted ? outcome.settled : new Map<Waiting, RefusedRow[]>();
      for (const w of batch) {
        const refused = settled.get(w);
        if (refused) w.resolve(refused);
        else w.reject(error);
      }
      if (timedOut) {
        // What queued behind the stuck insert is refused too, rather than kept waiting for it.
        for (const w of this.#queue.splice(0)) w.reject(error);
        this.#queuedRows = 0;
      }
    }
    this.#inFlightRows = 0;
    this.#flushing = false;
    // What queued during this insert has waited long enough: write it now.
    if (this.#queue.length > 0) setImmediate(() => void this.#flush());
    else for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves with the rows the store refused, by job (none: everything stored). */
  async #write(batch: readonly Waiting[], rows: number): Promise<Map<Waiting, RefusedRow[]>> {
    const rejections = batch.map((w) => w.job.rejections).join('');
    // Rejections first: when the events insert then fails, the retry replaces these rows.
    if (rejections.length > 0) {
      await this.store.insertTsv({ table: 'ingest_rejections', columns: rejectionColumns, body: Buffer.from(rejections) });
    }
    const refused = new Map<Waiting, RefusedRow[]>();
    if (rows === 0) return refused;
    try {
      await this.#insert(batch, batch.map((w) => w.job.events).join(''), true);
      return refused;
    } catch (error) {
      if (!storeRefusal(error)) throw error;
    }
    // Some rows hold what the store refuses: find them, store the rest (siblings in other requests included).
    const budget = { left: ISOLATION_INSERTS };
    try {
      await this.#isolateJobs(batch, refused, budget);
    } catch (error) {
      throw new IsolationInterrupted(error as Error, refused);
    }
    return refused;
  }

  /** One insert of events, told to the observer: countable when it holds its jobs' rows whole, in one go. */
  async #insert(jobs: readonly Waiting[], events: string, whole: boolean): Promise<void> {
    // A job without events (a request's rejections written after its events) has no rows here to count.
    const ticket = this.observer?.beginInsert(jobs.filter((w) => w.job.eventCount > 0).map((w) => w.job.batchId));
    let stored = false;
    try {
      await this.store.insertTsv({ table: 'events', columns: eventColumns, body: Buffer.from(events) });
      stored = true;
    } finally {
      if (ticket) this.observer!.endInsert(ticket, touchedBy(jobs), { countable: stored && whole });
    }
  }

  /** Halves a failing set of jobs until each failing part is one job, whose rows are then isolated. */
  async #isolateJobs(jobs: readonly Waiting[], refused: Map<Waiting, RefusedRow[]>, budget: { left: number }): Promise<void> {
    if (jobs.length === 1) {
      const job = jobs[0]!;
      const lines = job.job.events.split('\n').slice(0, -1);
      refused.set(job, await this.#isolateRows(job, lines, 0, budget));
      return;
    }
    const half = Math.ceil(jobs.length / 2);
    for (const part of [jobs.slice(0, half), jobs.slice(half)]) {
      if (await this.#tries(part, part.map((w) => w.job.events).join(''), budget)) {
        for (const w of part) refused.set(w, []);
      } else {
        await this.#isolateJobs(part, refused, budget);
      }
    }
  }

  /** The refused rows among `lines` (rows `offset`… of the job), having stored the others. */
  async #isolateRows(job: Waiting, lines: readonly string[], offset: number, budget: { left: number }): Promise<RefusedRow[]> {
    if (budget.left <= 0) {
      const refusal = { code: 'ISOLATION_LIMIT', message: 'refused with its neighbours: the store refused too many rows of this write to isolate each' };
      return lines.map((_, i) => ({ row: offset + i, refusal }));
    }
    if (lines.length === 1) {
      budget.left--;
      try {
        await this.#insert([job], `${lines[0]}\n`, false);
        return [];
      } catch (error) {
        const refusal = storeRefusal(error);
        if (!refusal) throw error;
        return [{ row: offset, refusal }];
      }
    }
    const size = lines.length <= ROW_BY_ROW ? 1 : Math.ceil(lines.length / 2);
    const out: RefusedRow[] = [];
    for (let at = 0; at < lines.length; at += size) {
      const part = lines.slice(at, at + size);
      if (part.length > 1 && (await this.#tries([job], `${part.join('\n')}\n`, budget))) continue;
      out.push(...(await this.#isolateRows(job, part, offset + at, budget)));
    }
    return out;
  }

  /** Inserts `events` (rows of these jobs): true when stored, false when the store refused what they hold. */
  async #tries(jobs: readonly Waiting[], events: string, budget: { left: number }): Promise<boolean> {
    budget.left--;
    try {
      await this.#insert(jobs, events, false);
      return true;
    } catch (error) {
      if (!storeRefusal(error)) throw error;
      return false;
    }
  }

  #failing(error: string): void {
    const now = Date.now();
    if (!this.#unwritable) {
      this.#unwritable = { since: now, error, loggedAt: now };
      console.error(`ingest: the event store refuses writes (${error}); answering 503 until a probe write succeeds`);
    } else {
      this.#unwritable.error = error;
      if (now - this.#unwritable.loggedAt >= this.options.logEveryMs) {
        this.#unwritable.loggedAt = now;
        console.error(`ingest: the event store still refuses writes after ${Math.round((now - this.#unwritable.since) / 1000)} s (${error})`);
      }
    }
    clearTimeout(this.#probe);
    this.#probe = setTimeout(() => void this.#tryProbe(), this.options.probeEveryMs).unref();
  }

  #writable(): void {
    if (!this.#unwritable) return;
    console.error(`ingest: the event store takes writes again after ${Math.round((Date.now() - this.#unwritable.since) / 1000)} s`);
    this.#unwritable = null;
    clearTimeout(this.#probe);
  }

  async #tryProbe(): Promise<void> {
    if (!this.#unwritable) return;
    // Wrapped: a store that throws before returning a promise (closed, say) is one more failed probe, not a crash.
    const probe = Promise.resolve().then(() => this.store.insertTsv({ table: 'store_probe', columns: ['at'], body: Buffer.from(`${Date.now()}\n`) }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Error>(
      (resolve) => (timer = setTimeout(() => resolve(new Error('the probe insert did not return')), this.options.insertTimeoutMs)),
    );
    const outcome = await Promise.race([
      probe.then(
        () => null,
        (error: unknown) => error as Error,
      ),
      timeout,
    ]);
    clearTimeout(timer);
    if (outcome) this.#failing(outcome.message);
    else this.#writable();
  }
}

/** The store failed while rows were being isolated: the jobs already settled keep their answer. */
class IsolationInterrupted extends Error {
  constructor(
    cause: Error,
    readonly settled: ReadonlyMap<Waiting, RefusedRow[]>,
  ) {
    super(cause.message);
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
