import type { Db } from '@switchboard/db';
import { LRUCache } from 'lru-cache';
import type { PlanningRunner } from './planning-runner.ts';
import type { TelemetryStore } from '@switchboard/telemetry';
import type { ApiServices } from './context.ts';
import { createDirectoryCache } from './directory-cache.ts';
import { LIVE_CUT_STEP_MS } from './services/wallboard.ts';

/**
 * Keys a live cache holds at most, the least recently used going first: one per tenant
 * (live data), two per tenant around a cut (live base), one per report asked for in the
 * last few seconds. Past it a key is loaded again, never answered wrong.
 */
const LIVE_CACHE_MAX_KEYS = 1_000;

/**
 * What many viewers ask for at once, loaded once: a tenant's live wallboard data (keyed by
 * tenant), a report (keyed by tenant, scope and input). A key is loaded at most once per
 * `maxAgeMs` however many screens poll, one load at a time. A request that finds the data
 * older than that still gets it at once while a fresh load runs behind it
 * (stale-while-revalidate), unless it is older than `maxStaleMs`.
 * A `maxAgeMs` of 0 turns all sharing off (tests that fix the clock).
 *
 * lru-cache holds what was loaded until `maxStaleMs` after the load started, and purges it
 * then: reports have endless keys, the live base a new one every cut. The loads in flight
 * are kept here, not with its `fetch()`: that keeps a refresh in the slot of the value it
 * replaces, so purging or evicting that value would abort the refresh while it runs, and
 * the next request would start a second load of the same key.
 */
export function createLiveCache(maxAgeMs: number, maxStaleMs = 5_000) {
  // Read now, not at import as lru-cache's default is, so that fake timers apply.
  const clock = performance;
  const loaded = new LRUCache<string, { at: number; value: unknown }>({
    max: LIVE_CACHE_MAX_KEYS,
    ttl: maxStaleMs,
    ttlAutopurge: true,
    perf: clock,
  });
  const inFlight = new Map<string, Promise<unknown>>();
  const refresh = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const running = inFlight.get(key);
    if (running) return running as Promise<T>;
    // `at` is when the load started: the data is as of then, whenever it arrived.
    const at = clock.now();
    const value = load();
    inFlight.set(key, value);
    const settle = (keep: () => void) => {
      // A load an invalidation discarded answers its own callers only.
      if (inFlight.get(key) !== value) return;
      inFlight.delete(key);
      keep();
    };
    value.then(
      (v) => settle(() => loaded.set(key, { at, value: v }, { start: at })),
      // Nothing is left to serve: the next request waits for a load, and sees its error.
      () => settle(() => loaded.delete(key)),
    );
    return value;
  };
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      if (maxAgeMs <= 0) return load();
      const hit = loaded.get(key);
      if (hit === undefined) return refresh(key, load);
      if (clock.now() - hit.at >= maxAgeMs) {
        // Nobody waits: this answer is at most maxStaleMs old, the next one is fresh.
        refresh(key, load).catch(() => undefined);
      }
      return Promise.resolve(hit.value as T);
    },
    /** After an edit that changes what the wallboard shows (alert rules): the next request waits for fresh data. */
    invalidate(key: string): void {
      inFlight.delete(key);
      loaded.delete(key);
    },
  };
}

export type LiveCache = ReturnType<typeof createLiveCache>;

/** Half a second: inside the 1.5 s freshness budget, and a busy tenant's wallboard costs at most two loads a second. */
const LIVE_MAX_AGE_MS = 500;

/**
 * A report is recomputed at most once a second however many ask for it, and an answer is
 * never more than three seconds old: a report that includes today shows new events within
 * that. Its first request, and any after three quiet seconds, waits for the computation.
 */
const REPORT_MAX_AGE_MS = 1_000;
export const REPORT_MAX_STALE_MS = 3_000;

export function createApiServices(deps: {
  db: Db;
  telemetry: TelemetryStore['client'];
  now?: () => Date;
  liveMaxAgeMs?: number;
  planning?: PlanningRunner | null;
  snapshotSchedules: (tenantId: string) => Promise<void>;
  apiKeysChanged?: () => void;
  outboundAllowHosts?: readonly string[];
}): ApiServices {
  return {
    db: deps.db,
    telemetry: deps.telemetry,
    directory: createDirectoryCache(deps.db),
    live: createLiveCache(deps.liveMaxAgeMs ?? LIVE_MAX_AGE_MS),
    // Keyed by cut, so an entry is only ever used while its cut is current; off with `live`.
    liveBase: deps.liveMaxAgeMs === 0 ? createLiveCache(0) : createLiveCache(2 * LIVE_CUT_STEP_MS, 2 * LIVE_CUT_STEP_MS),
    reports: createLiveCache(REPORT_MAX_AGE_MS, REPORT_MAX_STALE_MS),
    now: deps.now ?? (() => new Date()),
    planning: deps.planning ?? null,
    snapshotSchedules: deps.snapshotSchedules,
    apiKeysChanged: deps.apiKeysChanged ?? (() => undefined),
    outboundAllowHosts: deps.outboundAllowHosts ?? [],
  };
}
