import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzleConfig, type DbHandle } from './client.ts';

const migrationsFolder = fileURLToPath(new URL('../../../migrations/postgres', import.meta.url));

// Any fixed number works; it only has to be the same in every process of a deployment.
const MIGRATION_LOCK_ID = 7_413_200_001;

/**
 * Applies the drizzle-kit migrations in `migrations/postgres` that are not applied yet.
 * Idempotent and meant to run at every start.
 */
export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    // PGlite belongs to this one process, so nothing can race the migrator.
    await migratePglite(drizzlePglite({ client: handle.client, ...drizzleConfig }), { migrationsFolder });
    return;
  }
  // In cluster mode web, ingest and worker may start together: an advisory lock held on
  // one connection makes the others wait, then find nothing left to apply.
  const connection = await handle.pool.connect();
  try {
    const db = drizzleNodePg({ client: connection, ...drizzleConfig });
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    try {
      await migrateNodePg(db, { migrationsFolder });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`);
    }
  } finally {
    connection.release();
  }
}
