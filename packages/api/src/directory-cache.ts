import { getDirectory, type Db, type Directory } from '@switchboard/db';

const TTL_MS = 5_000;

/**
 * The tenant directory (queues, teams, agents) is read on every wallboard poll; a few
 * seconds of caching keeps Postgres out of the hot path while edits still show promptly.
 */
export function createDirectoryCache(db: Db) {
  const cache = new Map<string, { at: number; value: Promise<Directory | null> }>();
  return {
    get(tenantId: string): Promise<Directory | null> {
      const hit = cache.get(tenantId);
      if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
      const value = getDirectory(db, tenantId);
      cache.set(tenantId, { at: Date.now(), value });
      value.catch(() => cache.delete(tenantId));
      return value;
    },
    invalidate(tenantId: string): void {
      cache.delete(tenantId);
    },
  };
}

export type DirectoryCache = ReturnType<typeof createDirectoryCache>;
