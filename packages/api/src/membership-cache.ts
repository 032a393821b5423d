import { LRUCache } from 'lru-cache';
import { getMembership, type Db, type Membership } from '@switchboard/db';

const TTL_MS = 5_000;
/** Users signed in at once; past it the least recently seen are read again. */
const MAX_USERS = 10_000;

/**
 * Memberships change rarely and are read on every request: a role change applies within
 * seconds. Concurrent requests of a user share one read; a failed read is not kept.
 */
export function createMembershipCache(db: Db) {
  // Wrapped: lru-cache keeps no null, and "no membership" is an answer worth keeping.
  const cache = new LRUCache<string, { membership: Membership | null }>({
    max: MAX_USERS,
    ttl: TTL_MS,
    // Read now, not at import as lru-cache's default is, so that fake timers apply.
    perf: performance,
    // An eviction drops a read still running from the cache, not from its callers.
    ignoreFetchAbort: true,
    fetchMethod: async (userId) => ({ membership: await getMembership(db, userId) }),
  });
  return async (userId: string): Promise<Membership | null> => (await cache.fetch(userId))!.membership;
}
