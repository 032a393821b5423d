import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';

/**
 * Runs `fn` holding a transaction-scoped advisory lock per key, taken in sorted order so
 * two callers with overlapping keys cannot deadlock. Processes that share a PostgreSQL
 * use it to keep work on one tenant in one process at a time (the rollup builder).
 */
export async function withAdvisoryLocks<T>(db: Db, keys: readonly string[], fn: () => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    for (const key of [...new Set(keys)].sort()) {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    }
    return fn();
  });
}
