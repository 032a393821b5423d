import type { Db } from '@switchboard/db';
import type { TelemetryStore } from '@switchboard/telemetry';
import type { ApiServices } from './context.ts';
import { createDirectoryCache } from './directory-cache.ts';

/**
 * A tenant's live wallboard data is the same for every supervisor looking at it: it is
 * loaded at most once per `maxAgeMs` however many screens poll, one load at a time. A
 * request that finds the data older than that still gets it at once while a fresh load
 * runs behind it (stale-while-revalidate), unless it is older than `maxStaleMs`.
 * A `maxAgeMs` of 0 turns all sharing off (tests that fix the clock).
 */
export function createLiveCache(maxAgeMs: number, maxStaleMs = 5_000) {
  // `at` is when the load started: the data is as of then, whenever it arrived.
  const loaded = new Map<string, { at: number; value: unknown }>();
  const inFlight = new Map<string, { generation: number; value: Promise<unknown> }>();
  // An invalidation makes loads already running count for nothing.
  const generations = new Map<string, number>();
  const refresh = <T>(tenantId: string, load: () => Promise<T>): Promise<T> => {
    const generation = generations.get(tenantId) ?? 0;
    const running = inFlight.get(tenantId);
    if (running && running.generation === generation) return running.value as Promise<T>;
    const at = Date.now();
    const value = load();
    inFlight.set(tenantId, { generation, value });
    const settle = (outcome: { value: T } | null) => {
      if ((generations.get(tenantId) ?? 0) !== generation) return;
      if (inFlight.get(tenantId)?.value === value) inFlight.delete(tenantId);
      if (outcome) loaded.set(tenantId, { at, value: outcome.value });
      else loaded.delete(tenantId);
    };
    value.then(
      (v) => settle({ value: v }),
      () => settle(null),
    );
    return value;
  };
  return {
    get<T>(tenantId: string, load: () => Promise<T>): Promise<T> {
      if (maxAgeMs <= 0) return load();
      const hit = loaded.get(tenantId);
      const age = hit ? Date.now() - hit.at : Infinity;
      if (age < maxAgeMs) return Promise.resolve(hit!.value as T);
      if (age < maxStaleMs) {
        // Nobody waits: this answer is at most maxStaleMs old, the next one is fresh.
        refresh(tenantId, load).catch(() => undefined);
        return Promise.resolve(hit!.value as T);
      }
      return refresh(tenantId, load);
    },
    /** After an edit that changes what the wallboard shows (alert rules): the next request waits for fresh data. */
    invalidate(tenantId: string): void {
      generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
      loaded.delete(tenantId);
      inFlight.delete(tenantId);
    },
  };
}

export type LiveCache = ReturnType<typeof createLiveCache>;

/** Half a second: inside the 1.5 s freshness budget, and a busy tenant's wallboard costs at most two loads a second. */
export const LIVE_MAX_AGE_MS = 500;

export function createApiServices(deps: {
  db: Db;
  telemetry: TelemetryStore['client'];
  now?: () => Date;
  liveMaxAgeMs?: number;
}): ApiServices {
  return {
    db: deps.db,
    telemetry: deps.telemetry,
    directory: createDirectoryCache(deps.db),
    live: createLiveCache(deps.liveMaxAgeMs ?? LIVE_MAX_AGE_MS),
    now: deps.now ?? (() => new Date()),
  };
}
