import { getDirectory, type Db, type Directory } from '@switchboard/db';
import { createSharedLoader } from './shared-loader.ts';

/**
 * The tenant directory (queues, teams, agents) is read on every wallboard poll; a few
 * seconds of caching keeps Postgres out of the hot path while edits still show promptly.
 * One entry per tenant; a host serving more than 1,000 reads the least recently used again.
 */
export function createDirectoryCache(db: Db) {
  const loader = createSharedLoader<Directory>((tenantId) => getDirectory(db, tenantId), { ttlMs: 5_000, max: 1_000 });
  return { get: loader.get, invalidate: loader.delete };
}

export type DirectoryCache = ReturnType<typeof createDirectoryCache>;
