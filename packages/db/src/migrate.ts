import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzleConfig, type DbHandle } from './client.ts';

const migrationsFolder = fileURLToPath(new URL('../../../migrations/postgres', import.meta.url));

// Any fixed number works; it only has to be the same in every process of a deployment.
const MIGRATION_LOCK_ID = 7_413_200_001;

/**
 * drizzle applies the migrations newer than the last one recorded, so on a database migrated by a newer version it
 * would apply nothing and let this code run on a schema it does not know: refuse instead.
 */
async function refuseNewerSchema(execute: (query: SQL) => Promise<{ rows: unknown[] }>): Promise<void> {
  const { rows } = await execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!(rows[0] as { present: boolean }).present) return;
  const newest = Math.max(...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
  const newer = await execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations where created_at > ${newest}`);
  const count = (newer.rows[0] as { n: number }).n;
  if (count > 0) {
    throw new Error(
      `Postgres was migrated by a newer version of Switchboard (${count} migration${count === 1 ? '' : 's'} newer than this one knows): start that version or a newer one`,
    );
  }
}

/**
 * Applies the drizzle-kit migrations in `migrations/postgres` that are not applied yet.
 * Idempotent and meant to run at every start; refuses a database a newer version migrated.
 */
export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    // PGlite belongs to this one process, so nothing can race the migrator.
    await refuseNewerSchema((query) => handle.db.execute(query));
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
      await refuseNewerSchema((query) => db.execute(query));
      await migrateNodePg(db, { migrationsFolder });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`);
    }
  } finally {
    connection.release();
  }
}
