import { LRUCache } from 'lru-cache';

/** How long a key's answer is reused: a revoked key stops working within a minute. */
const API_KEY_CACHE_MS = 60_000;
/** Keys kept at most, the least recently used going first. */
const API_KEY_CACHE_MAX = 10_000;

/**
 * API keys are checked against Postgres at most once a minute each, off the ingest hot path;
 * concurrent requests with one key share one check. An unknown key is remembered as such, so
 * a sender retrying with a wrong key does not reach Postgres every time; a failed check is not.
 */
export function createApiKeyAuthenticator(
  verify: (key: string) => Promise<{ tenantId: string } | null>,
): (key: string) => Promise<{ tenantId: string } | null> {
  // Wrapped: lru-cache keeps no null.
  const cache = new LRUCache<string, { tenantId: string | null }>({
    max: API_KEY_CACHE_MAX,
    ttl: API_KEY_CACHE_MS,
    // Read now, not at import as lru-cache's default is, so that fake timers apply.
    perf: performance,
    // An eviction drops a check still running from the cache, not from its callers.
    ignoreFetchAbort: true,
    fetchMethod: async (key) => ({ tenantId: (await verify(key))?.tenantId ?? null }),
  });
  return async (key) => {
    const { tenantId } = (await cache.fetch(key))!;
    return tenantId === null ? null : { tenantId };
  };
}
