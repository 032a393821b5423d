import { LRUCache } from 'lru-cache';
import { getDirectory, type Db, type Directory } from '@switchboard/db';

const TTL_MS = 5_000;
/** One entry per tenant; a host serving more reads the least recently used ones again. */
const MAX_TENANTS = 1_000;

/**
 * The tenant directory (queues, teams, agents) is read on every wallboard poll; a few
 * seconds of caching keeps Postgres out of the hot path while edits still show promptly.
 * Concurrent requests share one read; a failed read is not kept.
 */
export function createDirectoryCache(db: Db) {
  // Wrapped: lru-cache keeps no null, and "no such tenant" is an answer worth keeping.
  const cache = new LRUCache<string, { directory: Directory | null }>({
    max: MAX_TENANTS,
    ttl: TTL_MS,
    // Read now, not at import as lru-cache's default is, so that fake timers apply.
    perf: performance,
    // An invalidation or eviction drops a read still running from the cache, not from its callers.
    ignoreFetchAbort: true,
    fetchMethod: async (tenantId) => ({ directory: await getDirectory(db, tenantId) }),
  });
  return {
    async get(tenantId: string): Promise<Directory | null> {
      return (await cache.fetch(tenantId))!.directory;
    },
    invalidate(tenantId: string): void {
      cache.delete(tenantId);
    },
  };
}

export type DirectoryCache = ReturnType<typeof createDirectoryCache>;
