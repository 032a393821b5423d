import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { INTERVAL_MS } from '../event-row.ts';
import { ChDateTime, queryRows, toChDateTime, UInt64 } from '../repositories/rows.ts';
import { storeRefusal } from '../store-errors.ts';
import {
  checkRollups,
  countBatches,
  countEventsByHour,
  engineNow,
  listIntervalsReceivedSince,
  reconcileRollups,
  type RollupMismatch,
  type RollupScope,
  type Uncounted,
} from './reconcile.ts';

/** Source intervals touched by one insert: tenant → interval starts (epoch ms). */
export type TouchedIntervals = Map<string, Set<number>>;

/** Runs `fn` while no other process reconciles these tenants (cluster mode); embedded mode has one process. */
export type TenantLock = <T>(tenantIds: readonly string[], fn: () => Promise<T>) => Promise<T>;

export interface RollupBuilderOptions {
  client: ClickHouseClient;
  /** Names this process's progress record: stable across restarts of the same deployment. */
  instance: string;
  /**
   * Given when other processes insert events of the same tenants (a cluster): steps then
   * reconcile whole intervals under the tenants' lock instead of counting requests, since
   * another process's pending rows would look counted. Absent, this builder sees every insert.
   */
  lock?: TenantLock;
  log?: (line: string) => void;
  /** How often progress is recorded (it bounds what a restart re-reconciles). */
  checkpointEveryMs?: number;
  /** After a failed step, wait this long before the next. */
  retryMs?: number;
  /**
   * Steps start at most this often. A step's cost is partly fixed (a statement per
   * rollup, each probing the touched intervals), so under a trickle of events it is
   * better spent on a few hundred milliseconds of them at once than on every insert.
   * Readers keep their turn through the engine's queue (client.ts), not by pacing here:
   * a pause between steps under load only made the rollups later (bench:ingest).
   */
  minStepIntervalMs?: number;
}

/** An insert of raw events, from just before it starts until its intervals are reconciled. */
export interface InsertTicket {
  readonly seq: number;
  readonly startedAt: number;
  /** The requests' ids (events.batch_id) the insert holds. */
  readonly batches: readonly string[];
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
 * A window is checked in slices of whole hours holding about SLICE_EVENTS raw events:
 * each statement then takes a moment of the engine (chDB runs one at a time), not the
 * seconds a whole day of every tenant takes, so wallboards, reports and steps keep their
 * turns during a start-up check, and a quiet store is checked in a few statements.
 */
const SLICE_EVENTS = 200_000;
const HOUR_MS = 3_600_000;

/** [from, to) cut at hour edges into slices of at most `limit` events (an hour holding more is a slice of its own). */
export function sliceWindow(from: number, to: number, perHour: ReadonlyMap<number, number>, limit: number): [number, number][] {
  const out: [number, number][] = [];
  let start = from;
  let events = 0;
  for (let hour = Math.floor(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) {
    const n = perHour.get(hour) ?? 0;
    if (events > 0 && events + n > limit) {
      out.push([start, hour]);
      start = hour;
      events = 0;
    }
    events += n;
  }
  out.push([start, to]);
  return out;
}

async function slices(client: ClickHouseClient, scope: RollupScope): Promise<RollupScope[]> {
  if ('pairs' in scope) return [scope];
  const perHour = new Map((await countEventsByHour(client, scope)).map((h) => [h.hour, h.events]));
  return sliceWindow(scope.from.getTime(), scope.to.getTime(), perHour, SLICE_EVENTS).map(([from, to]) => ({
    ...scope,
    from: new Date(from),
    to: new Date(to),
  }));
}

/**
 * Keeps the rollups equal to the raw events. The ingest writer tells it which requests
 * each insert held and which source intervals it touched; one step at a time, each
 * taking everything that arrived meanwhile (under load steps grow instead of queueing),
 * it counts those requests' events that were not counted before (countBatches). A step
 * that fails part-way, and every step of a cluster, reconciles the touched intervals
 * instead, which is always right but costs the whole intervals. Operator checks and
 * repairs run in the same line, never beside a step, and leave the rows of requests
 * still pending to the steps.
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
  /** Steps count requests; false in a cluster, where they reconcile intervals. */
  readonly #counting: boolean;
  readonly #log: (line: string) => void;
  readonly #retryMs: number;
  readonly #minStepIntervalMs: number;
  #lastStepAt = 0;
  #seq = 0;
  readonly #inFlight = new Set<InsertTicket>();
  /** Stored inserts whose intervals wait for the next step. */
  #waiting: InsertTicket[] = [];
  /** Inserts whose intervals the running step is reconciling. */
  #stepping: InsertTicket[] = [];
  #dirty: TouchedIntervals = new Map();
  /** Inserts of a failed step and their intervals: reconciled, not counted, by the next step. */
  #mend: { tickets: InsertTicket[]; dirty: TouchedIntervals } = { tickets: [], dirty: new Map() };
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
  readonly #createdAt = Date.now();
  /** Set by prepare(): this instance's last progress record, or null when it has none. */
  #since: Date | null | undefined;
  #startupChecked = false;
  /** Intervals the store refused to compute (`tenant|start` → why), left out of steps until a start or a repair computes them. */
  readonly #quarantined = new Map<string, { tenant_id: string; interval_start: string; error: string }>();
  readonly stats = { steps: 0, stepMs: 0, failures: 0, lastError: '' };

  constructor(options: RollupBuilderOptions) {
    this.#client = options.client;
    this.#instance = options.instance;
    this.#lock = options.lock ?? noLock;
    this.#counting = !options.lock;
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
  /**
   * Reads this instance's progress record, first making one when there is none, so that
   * a run killed before its first regular record still leaves one for the next start to
   * recover from. Call before the first insert (the host does, before ingest opens).
   */
  async prepare(): Promise<void> {
    if (this.#since !== undefined) return;
    await this.loadQuarantine();
    const since = await this.#readCheckpoint();
    // None: this instance never inserted, and every insert of this run begins after now.
    if (!since) await this.#recordCheckpoint(this.#createdAt - CLOCK_MARGIN_MS);
    this.#since = since ?? null;
  }

  async recover(now = new Date()): Promise<void> {
    const started = Date.now();
    await this.prepare();
    await this.#enqueue(async () => {
      await this.#rebuildIfRequested();
      const since = this.#since;
      if (since) {
        const pairs = await listIntervalsReceivedSince(this.#client, since);
        await this.#reconcilePairs(pairs, false);
        if (pairs.length > 0) this.#log(`rollups: reconciled ${pairs.length} intervals of events received since ${since.toISOString()}`);
      }
      // The store may take them now (an operator fixed it): each start tries once more.
      if (this.#quarantined.size > 0) {
        const before = this.#quarantined.size;
        await this.#reconcilePairs(this.#quarantinedPairs(), false, [], { retry: true });
        this.#log(`rollups: ${before - this.#quarantined.size} of ${before} quarantined intervals computed; ${this.#quarantined.size} stay quarantined`);
      }
      this.#recovered = true;
    });
    // Each slice of the check is its own task, so that steps keep the rollups fresh
    // meanwhile (the loop takes a step between two tasks).
    const to = Math.ceil(now.getTime() / INTERVAL_MS) * INTERVAL_MS;
    const parts = await slices(this.#client, { from: new Date(to - DAY_MS), to: new Date(to) });
    const found = await Promise.all(parts.map((slice) => this.#enqueue(() => this.#checkAndRepairSlice(slice))));
    const mismatches = found.flat();
    this.#log(`rollups: the start-up check of the last 24 hours took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (mismatches.length > 0) {
      this.#log(`rollups: the start-up check repaired ${mismatches.length} intervals of the last 24 hours:`);
      for (const line of mismatches.slice(0, 20).map(formatMismatch)) this.#log(`  ${line}`);
    }
    this.#startupChecked = true;
  }

  /** Call just before inserting raw events, with the ids (batch_id) of the requests the insert holds. */
  beginInsert(batches: readonly string[]): InsertTicket {
    const ticket: InsertTicket = { seq: ++this.#seq, startedAt: Date.now(), batches };
    this.#inFlight.add(ticket);
    return ticket;
  }

  /**
   * Call when the insert returned, stored or not: a failed insert may still have stored
   * part of its rows, and reconciling intervals that did not change writes nothing.
   */
  endInsert(ticket: InsertTicket, touched: TouchedIntervals, options: { countable: boolean } = { countable: true }): void {
    this.#inFlight.delete(ticket);
    ticket.storedAt = Date.now();
    this.#storedSeq = Math.max(this.#storedSeq, ticket.seq);
    if (options.countable) {
      this.#markDirty(touched);
      this.#waiting.push(ticket);
    } else {
      // Counting a request's rows assumes they all landed in this one insert: otherwise its intervals are recounted.
      this.#markDirty(touched, this.#mend.dirty);
      this.#mend.tickets.push(ticket);
    }
    this.#kick();
  }

  #markDirty(touched: TouchedIntervals, into = this.#dirty): void {
    for (const [tenant, starts] of touched) {
      let set = into.get(tenant);
      if (!set) into.set(tenant, (set = new Set()));
      for (const start of starts) set.add(start);
    }
  }

  /** Compare the rollups with raw events over `scope` (in line with the builder's steps). */
  check(scope: RollupScope): Promise<RollupMismatch[]> {
    return this.#enqueue(() => this.#inSlices(scope, async (slice) => checkRollups(this.#client, slice, await this.#uncounted())));
  }

  /** Check, then rebuild the mismatching intervals from raw events, and try the quarantined ones again; answers what was wrong. */
  repair(scope: RollupScope): Promise<RollupMismatch[]> {
    return this.#enqueue(async () => {
      const found = await this.#checkAndRepair(scope);
      await this.#reconcilePairs(
        this.#quarantinedPairs().filter((pair) => inScope(pair, scope)),
        true,
        [],
        { retry: true },
      );
      return found;
    });
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
      pending_intervals: [...this.#dirty.values(), ...this.#mend.dirty.values()].reduce((n, s) => n + s.size, 0),
      lag_p50_ms: at(0.5),
      lag_p95_ms: at(0.95),
      lag_max_ms: sorted.at(-1) ?? 0,
      startup_check_done: this.#startupChecked,
      quarantined_intervals: this.#quarantined.size,
      ...this.stats,
    };
  }

  /** Reads the intervals earlier runs set aside (prepare() does; an operator's builder calls it alone). */
  async loadQuarantine(): Promise<void> {
    const rows = await queryRows(
      this.#client,
      z.object({ tenant_id: z.string(), interval_start: ChDateTime, error: z.string() }),
      `SELECT tenant_id, interval_start, error FROM rollup_quarantine FINAL WHERE cleared = 0`,
      {},
    );
    for (const q of rows) this.#quarantined.set(pairKey([q.tenant_id, Date.parse(q.interval_start)]), q);
  }

  /** The intervals set aside because the store refused to compute them, with why. */
  quarantined(): { tenant_id: string; interval_start: string; error: string }[] {
    return [...this.#quarantined.values()];
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
      if (this.#tasks.length > 0 || this.#hasWork()) this.#kick();
    });
  }

  #hasWork(): boolean {
    return this.#dirty.size > 0 || this.#waiting.length > 0 || this.#mend.tickets.length > 0;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped && (this.#tasks.length > 0 || this.#hasWork())) {
      const task = this.#tasks.shift();
      if (task) {
        await task().catch(() => undefined);
        // A step between two tasks, when one is due: a long run of tasks must not stall the rollups.
        if (this.#tasks.length === 0 || !this.#hasWork() || Date.now() < this.#lastStepAt + this.#minStepIntervalMs) continue;
      }
      const wait = this.#lastStepAt + this.#minStepIntervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.#lastStepAt = Date.now();
      await this.#step();
    }
  }

  async #step(): Promise<void> {
    const mend = this.#mend;
    const tickets = this.#waiting;
    const dirty = this.#dirty;
    this.#mend = { tickets: [], dirty: new Map() };
    this.#waiting = [];
    this.#dirty = new Map();
    this.#stepping = [...mend.tickets, ...tickets];
    const started = performance.now();
    try {
      if (this.#counting) {
        // Mended first: counting the new requests takes the mended ones as counted.
        if (mend.tickets.length > 0) await this.#reconcilePairs(pairsOf(mend.dirty), false, tickets);
        if (tickets.length > 0) {
          const uncounted = await this.#uncountedNow();
          const pairs = pairsOf(dirty).filter((p) => !this.#quarantined.has(pairKey(p)));
          const batches = tickets.flatMap((t) => t.batches);
          for (let i = 0; i < pairs.length; i += PAIRS_PER_STEP) {
            await countBatches(this.#client, pairs.slice(i, i + PAIRS_PER_STEP), batches, uncounted);
          }
        }
      } else {
        this.#markDirty(mend.dirty, dirty);
        await this.#reconcilePairs(pairsOf(dirty), false);
      }
    } catch (error) {
      // Whatever part landed, reconciling these intervals makes them right: the next step does.
      this.#markDirty(mend.dirty, this.#mend.dirty);
      this.#markDirty(dirty, this.#mend.dirty);
      this.#mend.tickets.unshift(...this.#stepping);
      this.stats.failures++;
      this.stats.lastError = (error as Error).message;
      this.#stepping = [];
      this.#log(`rollups: a step failed, its intervals will be reconciled: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, this.#retryMs));
      return;
    }
    const done = Date.now();
    this.stats.steps++;
    this.stats.stepMs += performance.now() - started;
    for (const ticket of this.#stepping) {
      this.#lags.push(done - ticket.storedAt!);
      this.#reconciledSeq = Math.max(this.#reconciledSeq, ticket.seq);
    }
    this.#stepping = [];
    if (this.#lags.length > MAX_LAGS_KEPT) this.#lags.splice(0, this.#lags.length - MAX_LAGS_KEPT);
  }

  /**
   * What this builder has not counted: the engine's clock first, then the requests it
   * holds (an insert that begins after the clock was read stores rows received after it).
   * Undefined in a cluster, whose steps reconcile rather than count.
   */
  #uncounted(also: readonly InsertTicket[] = []): Promise<Uncounted | undefined> {
    return this.#counting ? this.#uncountedNow(also) : Promise.resolve(undefined);
  }

  async #uncountedNow(also: readonly InsertTicket[] = []): Promise<Uncounted> {
    const from = await engineNow(this.#client);
    const batches = [...this.#inFlight, ...this.#waiting, ...also].flatMap((t) => t.batches);
    return { from, batches };
  }

  #checkAndRepair(scope: RollupScope): Promise<RollupMismatch[]> {
    return this.#inSlices(scope, (slice) => this.#checkAndRepairSlice(slice));
  }

  async #inSlices(scope: RollupScope, fn: (slice: RollupScope) => Promise<RollupMismatch[]>): Promise<RollupMismatch[]> {
    const out: RollupMismatch[] = [];
    for (const slice of await slices(this.#client, scope)) out.push(...(await fn(slice)));
    return out;
  }

  async #checkAndRepairSlice(scope: RollupScope): Promise<RollupMismatch[]> {
    const mismatches = await checkRollups(this.#client, scope, await this.#uncounted());
    if (mismatches.length === 0) return mismatches;
    // Only the intervals found wrong are rebuilt; quarantined ones are tried again when an operator asks.
    const pairs = new Map(mismatches.map((m) => [`${m.tenant_id} ${m.interval_start}`, [m.tenant_id, Date.parse(m.interval_start)] as [string, number]]));
    await this.#reconcilePairs([...pairs.values()], true);
    return mismatches;
  }

  /**
   * Reconcile (tenant, interval) pairs in statements of a bounded size, each under its
   * tenants' lock. `alsoUncounted`: requests taken by the running step, which counts them after.
   * Quarantined pairs are left out unless `retry`. A statement the store refuses for what an
   * interval holds is halved until that interval is found; it is quarantined and the rest go on.
   */
  async #reconcilePairs(
    pairs: readonly [string, number][],
    retainedOnly: boolean,
    alsoUncounted: readonly InsertTicket[] = [],
    options: { retry?: boolean } = {},
  ): Promise<void> {
    const uncounted = await this.#uncounted(alsoUncounted);
    const todo = options.retry ? pairs : pairs.filter((p) => !this.#quarantined.has(pairKey(p)));
    const reconcile = async (chunk: readonly [string, number][]): Promise<void> => {
      try {
        await this.#lock([...new Set(chunk.map(([tenant]) => tenant))], () =>
          reconcileRollups(this.#client, { pairs: chunk }, { retainedOnly, ...(uncounted ? { uncounted } : {}) }),
        );
      } catch (error) {
        const refusal = storeRefusal(error);
        if (!refusal) throw error;
        if (chunk.length === 1) return this.#quarantine(chunk[0]!, refusal.message);
        const half = Math.ceil(chunk.length / 2);
        await reconcile(chunk.slice(0, half));
        await reconcile(chunk.slice(half));
        return;
      }
      if (options.retry) for (const pair of chunk) await this.#release(pair);
    };
    for (let i = 0; i < todo.length; i += PAIRS_PER_STEP) await reconcile(todo.slice(i, i + PAIRS_PER_STEP));
  }

  #quarantinedPairs(): [string, number][] {
    return [...this.#quarantined.values()].map((q) => [q.tenant_id, Date.parse(q.interval_start)]);
  }

  async #quarantine(pair: readonly [string, number], error: string): Promise<void> {
    const key = pairKey(pair);
    const interval_start = new Date(pair[1]).toISOString();
    if (!this.#quarantined.has(key)) {
      this.#log(`rollups: quarantined ${pair[0]} ${interval_start}: the store refused to compute it (${error}); npm run repair:rollups tries again`);
    }
    this.#quarantined.set(key, { tenant_id: pair[0], interval_start, error });
    await this.#client.insert({
      table: 'rollup_quarantine',
      values: [{ tenant_id: pair[0], interval_start: Math.floor(pair[1] / 1000), error, cleared: 0 }],
      format: 'JSONEachRow',
    });
  }

  async #release(pair: readonly [string, number]): Promise<void> {
    const key = pairKey(pair);
    if (!this.#quarantined.has(key)) return;
    await this.#client.insert({
      table: 'rollup_quarantine',
      values: [{ tenant_id: pair[0], interval_start: Math.floor(pair[1] / 1000), error: '', cleared: 1 }],
      format: 'JSONEachRow',
    });
    this.#quarantined.delete(key);
    this.#log(`rollups: ${pair[0]} ${new Date(pair[1]).toISOString()} computed: out of quarantine`);
  }

  async #rebuildIfRequested(): Promise<void> {
    const [request] = await queryRows(
      this.#client,
      z.object({ at: ChDateTime }),
      `SELECT at FROM rollup_state FINAL WHERE key = 'rebuild' AND at > toDateTime64(0, 3, 'UTC')`,
      {},
    );
    if (request) await rebuildRollups(this.#client, this.#log, await this.#uncounted());
  }

  async #readCheckpoint(): Promise<Date | undefined> {
    const [row] = await queryRows(this.#client, z.object({ at: ChDateTime }), `SELECT at FROM rollup_state FINAL WHERE key = {key:String}`, {
      key: `checkpoint:${this.#instance}`,
    });
    return row ? new Date(row.at) : undefined;
  }

  /** Every event received before the returned instant has been reconciled. */
  #reconciledBefore(): number {
    let oldest = Date.now();
    for (const t of this.#inFlight) oldest = Math.min(oldest, t.startedAt);
    for (const t of this.#waiting) oldest = Math.min(oldest, t.startedAt);
    for (const t of this.#stepping) oldest = Math.min(oldest, t.startedAt);
    for (const t of this.#mend.tickets) oldest = Math.min(oldest, t.startedAt);
    return oldest - CLOCK_MARGIN_MS;
  }

  async #writeCheckpoint(): Promise<void> {
    if (!this.#recovered) return;
    await this.#recordCheckpoint(this.#reconciledBefore());
  }

  async #recordCheckpoint(at: number): Promise<void> {
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
 * while nothing else reconciles: the builder's recovery (leaving what it has not counted
 * to its steps), or a bulk load before a host starts.
 */
export async function rebuildRollups(client: ClickHouseClient, log: (line: string) => void, uncounted?: Uncounted): Promise<void> {
  const [range] = await queryRows(
    client,
    z.object({ first: ChDateTime, last: ChDateTime, events: UInt64 }),
    `SELECT min(occurred_at) AS first, max(occurred_at) AS last, count() AS events FROM events`,
    {},
  );
  if (range && range.events > 0) {
    log(`rollups: rebuilding every rollup from ${range.events} raw events`);
    for (let day = Math.floor(Date.parse(range.first) / DAY_MS) * DAY_MS; day <= Date.parse(range.last); day += DAY_MS) {
      await reconcileRollups(client, { from: new Date(day), to: new Date(day + DAY_MS) }, { retainedOnly: false, ...(uncounted ? { uncounted } : {}) });
    }
  }
  await client.insert({ table: 'rollup_state', values: [{ key: 'rebuild', at: 0 }], format: 'JSONEachRow' });
}

function inScope([tenant, start]: readonly [string, number], scope: RollupScope): boolean {
  if ('pairs' in scope) return scope.pairs.some(([t, s]) => t === tenant && s === start);
  return start >= scope.from.getTime() && start < scope.to.getTime() && (!scope.tenantIds || scope.tenantIds.includes(tenant));
}

const pairKey = ([tenant, start]: readonly [string, number]) => `${tenant}|${start}`;

function pairsOf(touched: TouchedIntervals): [string, number][] {
  const pairs: [string, number][] = [];
  for (const [tenant, starts] of touched) for (const start of starts) pairs.push([tenant, start]);
  return pairs;
}

/** One line of the operator check: tenant, rollup, interval, raw figures, rollup figures. */
export function formatMismatch(m: RollupMismatch): string {
  const figures = (values: Record<string, number>) =>
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  return `${m.tenant_id}\t${m.rollup}\t${m.interval_start}\traw ${figures(m.raw)}\trollup ${figures(m.rollup_values)}`;
}
