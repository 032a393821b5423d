import type { Db } from '@switchboard/db';
import type { PlanningRunner } from './planning-runner.ts';
import type { TelemetryStore } from '@switchboard/telemetry';
import type { ApiServices } from './context.ts';
import { createDirectoryCache } from './directory-cache.ts';
import { LIVE_CUT_STEP_MS } from './services/wallboard.ts';

/**
 * What many viewers ask for at once, loaded once: a tenant's live wallboard data (keyed by
 * tenant), a report (keyed by tenant, scope and input). A key is loaded at most once per
 * `maxAgeMs` however many screens poll, one load at a time. A request that finds the data
 * older than that still gets it at once while a fresh load runs behind it
 * (stale-while-revalidate), unless it is older than `maxStaleMs`.
 * A `maxAgeMs` of 0 turns all sharing off (tests that fix the clock).
 */
export function createLiveCache(maxAgeMs: number, maxStaleMs = 5_000) {
  // `at` is when the load started: the data is as of then, whenever it arrived.
  const loaded = new Map<string, { at: number; value: unknown }>();
  const inFlight = new Map<string, { generation: number; value: Promise<unknown> }>();
  // An invalidation makes loads already running count for nothing.
  const generations = new Map<string, number>();
  // Past maxStaleMs an entry is never served again: drop it, reports have endless keys.
  const evictStale = (now: number) => {
    for (const [key, entry] of loaded) if (now - entry.at >= maxStaleMs) loaded.delete(key);
  };
  const refresh = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const generation = generations.get(key) ?? 0;
    const running = inFlight.get(key);
    if (running && running.generation === generation) return running.value as Promise<T>;
    const at = Date.now();
    const value = load();
    inFlight.set(key, { generation, value });
    const settle = (outcome: { value: T } | null) => {
      if ((generations.get(key) ?? 0) !== generation) return;
      if (inFlight.get(key)?.value === value) inFlight.delete(key);
      evictStale(Date.now());
      if (outcome) loaded.set(key, { at, value: outcome.value });
      else loaded.delete(key);
    };
    value.then(
      (v) => settle({ value: v }),
      () => settle(null),
    );
    return value;
  };
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      if (maxAgeMs <= 0) return load();
      const hit = loaded.get(key);
      const age = hit ? Date.now() - hit.at : Infinity;
      if (age < maxAgeMs) return Promise.resolve(hit!.value as T);
      if (age < maxStaleMs) {
        // Nobody waits: this answer is at most maxStaleMs old, the next one is fresh.
        refresh(key, load).catch(() => undefined);
        return Promise.resolve(hit!.value as T);
      }
      return refresh(key, load);
    },
    /** After an edit that changes what the wallboard shows (alert rules): the next request waits for fresh data. */
    invalidate(key: string): void {
      generations.set(key, (generations.get(key) ?? 0) + 1);
      loaded.delete(key);
      inFlight.delete(key);
    },
  };
}

export type LiveCache = ReturnType<typeof createLiveCache>;

/** Half a second: inside the 1.5 s freshness budget, and a busy tenant's wallboard costs at most two loads a second. */
export const LIVE_MAX_AGE_MS = 500;

/**
 * A report is recomputed at most once a second however many ask for it, and an answer is
 * never more than three seconds old: a report that includes today shows new events within
 * that. Its first request, and any after three quiet seconds, waits for the computation.
 */
export const REPORT_MAX_AGE_MS = 1_000;
export const REPORT_MAX_STALE_MS = 3_000;

export function createApiServices(deps: {
  db: Db;
  telemetry: TelemetryStore['client'];
  now?: () => Date;
  liveMaxAgeMs?: number;
  planning?: PlanningRunner | null;
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
  };
}
