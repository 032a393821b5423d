import { LRUCache } from 'lru-cache';

/**
 * A keyed read that concurrent callers share and that is kept `ttlMs`, at most `max` keys
 * (the least recently used going first). A failed read is not kept; null ("no such key")
 * is an answer and is kept. The directory, membership and API-key caches are these.
 */
export function createSharedLoader<T>(load: (key: string) => Promise<T | null>, options: { ttlMs: number; max: number }) {
  // Wrapped: lru-cache keeps no null.
  const cache = new LRUCache<string, { value: T | null }>({
    max: options.max,
    ttl: options.ttlMs,
    // Read now, not at import as lru-cache's default is, so that fake timers apply.
    perf: performance,
    // A deletion or eviction drops a read still running from the cache, not from its callers.
    ignoreFetchAbort: true,
    fetchMethod: async (key) => ({ value: await load(key) }),
  });
  return {
    async get(key: string): Promise<T | null> {
      return (await cache.fetch(key))!.value;
    },
    delete(key: string): void {
      cache.delete(key);
    },
    clear(): void {
      cache.clear();
    },
  };
}
