import type { Db } from '@switchboard/db';
import type { TelemetryStore } from '@switchboard/telemetry';
import type { ApiServices } from './context.ts';
import { createDirectoryCache } from './directory-cache.ts';

/**
 * A tenant's live wallboard data is the same for every supervisor looking at it: it is
 * loaded once per `maxAgeMs` however many screens poll, and concurrent requests share the
 * load in flight. 0 turns the sharing off (tests that fix the clock).
 */
export function createLiveCache(maxAgeMs: number) {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  return {
    get<T>(tenantId: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(tenantId);
      if (hit && Date.now() - hit.at < maxAgeMs) return hit.value as Promise<T>;
      const value = load();
      if (maxAgeMs > 0) {
        entries.set(tenantId, { at: Date.now(), value });
        value.catch(() => entries.delete(tenantId));
      }
      return value;
    },
    /** After an edit that changes what the wallboard shows (alert rules). */
    invalidate(tenantId: string): void {
      entries.delete(tenantId);
    },
  };
}

export type LiveCache = ReturnType<typeof createLiveCache>;

/** Half a second: well inside the 1.5 s freshness budget, and a busy tenant's wallboard costs two loads a second. */
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
