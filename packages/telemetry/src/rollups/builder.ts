import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { ChDateTime, queryRows, toChDateTime, UInt64 } from '../repositories/rows.ts';
import { checkRollups, INTERVAL_MS, listIntervalsReceivedSince, reconcileRollups, type RollupMismatch, type RollupScope } from './reconcile.ts';

/** Source intervals touched by one insert: tenant → interval starts (epoch ms). */
export type TouchedIntervals = Map<string, Set<number>>;

/** Runs `fn` while no other process reconciles these tenants (cluster mode); embedded mode has one process. */
export type TenantLock = <T>(tenantIds: readonly string[], fn: () => Promise<T>) => Promise<T>;

export interface RollupBuilderOptions {
  client: ClickHouseClient;
  /** Names this process's progress record: stable across restarts of the same deployment. */
  instance: string;
  lock?: TenantLock;
  log?: (line: string) => void;
  /** How often progress is recorded (it bounds what a restart re-reconciles). */
  checkpointEveryMs?: number;
  /** After a failed step, wait this long before the next. */
  retryMs?: number;
  /**
   * Steps start at most this often, and at most half the time is spent in steps. A
   * step's cost is mostly fixed (a statement per rollup, each reading the touched days),
   * so under a trickle of events it is better spent on a few hundred milliseconds of them
   * at once than on every insert, and the engine keeps room for the people reading.
   */
  minStepIntervalMs?: number;
}

/** An insert of raw events, from just before it starts until its intervals are reconciled. */
export interface InsertTicket {
  readonly seq: number;
  readonly startedAt: number;
  storedAt?: number;
}

/** received_at comes from the engine's clock at insert time; this covers it lagging the process's own. */
const CLOCK_MARGIN_MS = 5_000;
/** At most this many (tenant, interval) pairs per reconcile statement. */
const PAIRS_PER_STEP = 2_000;
const MAX_LAGS_KEPT = 10_000;
const DAY_MS = 86_400_000;

const noLock: TenantLock = (_tenants, fn) => fn();

/**
 * Keeps the rollups equal to the raw events. The ingest writer tells it which source
 * intervals each insert touched; it reconciles them (reconcile.ts) one step at a time,
 * each step taking everything that arrived meanwhile, so under load steps grow instead
 * of queueing. Operator checks and repairs run in the same line, never beside a step.
 *
 * Crash safety does not depend on this process's memory: a progress record says "every
 * event received before T is reconciled"; at start the intervals of the events received
 * since T are reconciled again (harmless where they already were), and the last 24 hours
 * are checked against raw and repaired.
 */
export class RollupBuilder {
  readonly #client: ClickHouseClient;
  readonly #instance: string;
  readonly #lock: TenantLock;
  readonly #log: (line: string) => void;
  readonly #retryMs: number;
  readonly #minStepIntervalMs: number;
  #lastStepAt = 0;
  #lastStepMs = 0;
  #seq = 0;
  readonly #inFlight = new Set<InsertTicket>();
  /** Stored inserts whose intervals wait for the next step. */
  #waiting: InsertTicket[] = [];
  /** Inserts whose intervals the running step is reconciling. */
  #stepping: InsertTicket[] = [];
  #dirty: TouchedIntervals = new Map();
  #tasks: (() => Promise<void>)[] = [];
  #running: Promise<void> | undefined;
  #stopped = false;
  #reconciledSeq = 0;
  #storedSeq = 0;
  readonly #lags: number[] = [];
  #checkpointTimer: NodeJS.Timeout | undefined;
  #lastCheckpoint = 0;
  /** No progress is recorded before recovery has reconciled what the last run left. */
  #recovered = false;
  readonly stats = { steps: 0, stepMs: 0, failures: 0, lastError: '' };

  constructor(options: RollupBuilderOptions) {
    this.#client = options.client;
    this.#instance = options.instance;
    this.#lock = options.lock ?? noLock;
    this.#log = options.log ?? console.log;
    this.#retryMs = options.retryMs ?? 1_000;
    this.#minStepIntervalMs = options.minStepIntervalMs ?? 200;
    this.#checkpointTimer = setInterval(() => void this.#writeCheckpoint().catch(() => undefined), options.checkpointEveryMs ?? 5_000);
    this.#checkpointTimer.unref();
  }

  /**
   * Recovery at start: a rebuild requested by a migration, then the intervals of events
   * received since this instance's last progress record, then the last 24 hours checked
   * and repaired. Runs in the builder's line; ingest may already be writing.
   */
  recover(now = new Date()): Promise<void> {
    return this.#enqueue(async () => {
      await this.#rebuildIfRequested();
      const since = await this.#readCheckpoint();
      if (since) {
        const pairs = await listIntervalsReceivedSince(this.#client, since);
        await this.#reconcilePairs(pairs, false);
        if (pairs.length > 0) this.#log(`rollups: reconciled ${pairs.length} intervals of events received since ${since.toISOString()}`);
      }
      const to = new Date(Math.ceil(now.getTime() / INTERVAL_MS) * INTERVAL_MS);
      const mismatches = await this.#checkAndRepair({ from: new Date(to.getTime() - DAY_MS), to });
      if (mismatches.length > 0) {
        this.#log(`rollups: the start-up check repaired ${mismatches.length} intervals of the last 24 hours:`);
        for (const line of mismatches.slice(0, 20).map(formatMismatch)) this.#log(`  ${line}`);
      }
      this.#recovered = true;
    });
  }

  /** Call just before inserting raw events. */
  beginInsert(): InsertTicket {
    const ticket: InsertTicket = { seq: ++this.#seq, startedAt: Date.now() };
    this.#inFlight.add(ticket);
    return ticket;
  }

  /**
   * Call when the insert returned, stored or not: a failed insert may still have stored
   * part of its rows, and reconciling intervals that did not change writes nothing.
   */
  endInsert(ticket: InsertTicket, touched: TouchedIntervals): void {
    this.#inFlight.delete(ticket);
    ticket.storedAt = Date.now();
    this.#storedSeq = Math.max(this.#storedSeq, ticket.seq);
    this.#markDirty(touched);
    this.#waiting.push(ticket);
    this.#kick();
  }

  #markDirty(touched: TouchedIntervals): void {
    for (const [tenant, starts] of touched) {
      let set = this.#dirty.get(tenant);
      if (!set) this.#dirty.set(tenant, (set = new Set()));
      for (const start of starts) set.add(start);
    }
  }

  /** Compare the rollups with raw events over `scope` (in line with the builder's steps). */
  check(scope: RollupScope): Promise<RollupMismatch[]> {
    return this.#enqueue(() => checkRollups(this.#client, scope));
  }

  /** Check, then rebuild the mismatching intervals from raw events; answers what was wrong. */
  repair(scope: RollupScope): Promise<RollupMismatch[]> {
    return this.#enqueue(() => this.#checkAndRepair(scope));
  }

  /** Resolves once every insert ended before this call has been reconciled. */
  async settled(): Promise<void> {
    const target = this.#storedSeq;
    while (this.#reconciledSeq < target && !this.#stopped) await new Promise((r) => setTimeout(r, 10));
  }

  /** Figures for /api/health: how far behind the rollups are. */
  status() {
    const sorted = [...this.#lags].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    return {
      stored_seq: this.#storedSeq,
      reconciled_seq: this.#reconciledSeq,
      pending_intervals: [...this.#dirty.values()].reduce((n, s) => n + s.size, 0),
      lag_p50_ms: at(0.5),
      lag_p95_ms: at(0.95),
      lag_max_ms: sorted.at(-1) ?? 0,
      ...this.stats,
    };
  }

  /** Finish what is marked, record progress and stop. */
  async stop(): Promise<void> {
    clearInterval(this.#checkpointTimer);
    while (this.#running) await this.#running;
    this.#stopped = true;
    await this.#writeCheckpoint().catch((error: unknown) => this.#log(`rollups: could not record progress: ${(error as Error).message}`));
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#tasks.push(() => task().then(resolve, reject));
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#running || this.#stopped) return;
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
      if (this.#tasks.length > 0 || this.#dirty.size > 0) this.#kick();
    });
  }

  async #loop(): Promise<void> {
    while (!this.#stopped && (this.#tasks.length > 0 || this.#dirty.size > 0)) {
      const task = this.#tasks.shift();
      if (task) {
        await task().catch(() => undefined);
        continue;
      }
      const wait = this.#lastStepAt + Math.max(this.#minStepIntervalMs, 2 * this.#lastStepMs) - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.#lastStepAt = Date.now();
      await this.#step();
      this.#lastStepMs = Date.now() - this.#lastStepAt;
    }
  }

  async #step(): Promise<void> {
    const dirty = this.#dirty;
    const tickets = this.#waiting;
    this.#stepping = tickets;
    this.#dirty = new Map();
    this.#waiting = [];
    const pairs: [string, number][] = [];
    for (const [tenant, starts] of dirty) for (const start of starts) pairs.push([tenant, start]);
    const started = performance.now();
    try {
      await this.#reconcilePairs(pairs, false);
    } catch (error) {
      // Put the work back: the next step retries it, together with whatever came meanwhile.
      this.#markDirty(dirty);
      this.#waiting.unshift(...tickets);
      this.stats.failures++;
      this.stats.lastError = (error as Error).message;
      this.#stepping = [];
      this.#log(`rollups: reconcile failed, retrying: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, this.#retryMs));
      return;
    }
    this.#stepping = [];
    const done = Date.now();
    this.stats.steps++;
    this.stats.stepMs += performance.now() - started;
    for (const ticket of tickets) {
      this.#lags.push(done - ticket.storedAt!);
      this.#reconciledSeq = Math.max(this.#reconciledSeq, ticket.seq);
    }
    if (this.#lags.length > MAX_LAGS_KEPT) this.#lags.splice(0, this.#lags.length - MAX_LAGS_KEPT);
  }

  async #checkAndRepair(scope: RollupScope): Promise<RollupMismatch[]> {
    const mismatches = await checkRollups(this.#client, scope);
    if (mismatches.length === 0) return mismatches;
    // Only the intervals found wrong are rebuilt.
    const pairs = new Map(mismatches.map((m) => [`${m.tenant_id} ${m.interval_start}`, [m.tenant_id, Date.parse(m.interval_start)] as [string, number]]));
    await this.#reconcilePairs([...pairs.values()], true);
    return mismatches;
  }

  /** Reconcile (tenant, interval) pairs in statements of a bounded size, each under its tenants' lock. */
  async #reconcilePairs(pairs: readonly [string, number][], retainedOnly: boolean): Promise<void> {
    for (let i = 0; i < pairs.length; i += PAIRS_PER_STEP) {
      const chunk = pairs.slice(i, i + PAIRS_PER_STEP);
      await this.#lock([...new Set(chunk.map(([tenant]) => tenant))], () => reconcileRollups(this.#client, { pairs: chunk }, { retainedOnly }));
    }
  }

  async #rebuildIfRequested(): Promise<void> {
    const [request] = await queryRows(
      this.#client,
      z.object({ at: ChDateTime }),
      `SELECT at FROM rollup_state FINAL WHERE key = 'rebuild' AND at > toDateTime64(0, 3, 'UTC')`,
      {},
    );
    if (request) await rebuildRollups(this.#client, this.#log);
  }

  async #readCheckpoint(): Promise<Date | undefined> {
    const [row] = await queryRows(
      this.#client,
      z.object({ at: ChDateTime }),
      `SELECT at FROM rollup_state FINAL WHERE key = {key:String}`,
      { key: `checkpoint:${this.#instance}` },
    );
    return row ? new Date(row.at) : undefined;
  }

  /** Every event received before the returned instant has been reconciled. */
  #reconciledBefore(): number {
    let oldest = Date.now();
    for (const t of this.#inFlight) oldest = Math.min(oldest, t.startedAt);
    for (const t of this.#waiting) oldest = Math.min(oldest, t.startedAt);
    for (const t of this.#stepping) oldest = Math.min(oldest, t.startedAt);
    return oldest - CLOCK_MARGIN_MS;
  }

  async #writeCheckpoint(): Promise<void> {
    if (!this.#recovered) return;
    const at = this.#reconciledBefore();
    if (at <= this.#lastCheckpoint) return;
    await this.#client.insert({
      table: 'rollup_state',
      values: [{ key: `checkpoint:${this.#instance}`, at: toChDateTime(new Date(at)) }],
      format: 'JSONEachRow',
    });
    this.#lastCheckpoint = at;
  }
}

/**
 * Every rollup rebuilt from all stored raw events, a day at a time (bounding the memory of
 * deduplicating event ids), then any rebuild request a migration left is cleared. Only
 * while nothing else reconciles: the builder's recovery, or a bulk load before a host starts.
 */
export async function rebuildRollups(client: ClickHouseClient, log: (line: string) => void): Promise<void> {
  const [range] = await queryRows(
    client,
    z.object({ first: ChDateTime, last: ChDateTime, events: UInt64 }),
    `SELECT min(occurred_at) AS first, max(occurred_at) AS last, count() AS events FROM events`,
    {},
  );
  if (range && range.events > 0) {
    log(`rollups: rebuilding every rollup from ${range.events} raw events`);
    for (let day = Math.floor(Date.parse(range.first) / DAY_MS) * DAY_MS; day <= Date.parse(range.last); day += DAY_MS) {
      await reconcileRollups(client, { from: new Date(day), to: new Date(day + DAY_MS) }, { retainedOnly: false });
    }
  }
  await client.insert({ table: 'rollup_state', values: [{ key: 'rebuild', at: 0 }], format: 'JSONEachRow' });
}

/** One line of the operator check: tenant, rollup, interval, raw figures, rollup figures. */
export function formatMismatch(m: RollupMismatch): string {
  const figures = (values: Record<string, number>) =>
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  return `${m.tenant_id}\t${m.rollup}\t${m.interval_start}\traw ${figures(m.raw)}\trollup ${figures(m.rollup_values)}`;
}
