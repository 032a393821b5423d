import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { createDb, type DbHandle } from './client.ts';

/** How many of migrations/postgres the database has applied (drizzle's own record). */
export async function appliedMigrationCount(handle: DbHandle): Promise<number> {
  const { rows } = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return rows[0]?.n ?? 0;
}

/** PGlite's data directory as a gzipped tarball, taken between two queries; a checkpoint first leaves little WAL to replay. */
export async function dumpPglite(handle: Extract<DbHandle, { kind: 'pglite' }>): Promise<Buffer> {
  await handle.client.query('CHECKPOINT');
  const tarball = await handle.client.dumpDataDir('gzip');
  return Buffer.from(await tarball.arrayBuffer());
}

/** `<dataDir>/pglite` made from a tarball of dumpPglite; refuses a directory that already holds a database. */
export async function loadPglite(dataDir: string, tarball: Buffer): Promise<void> {
  const dir = path.join(dataDir, 'pglite');
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
  // A copy in a plain ArrayBuffer: the DOM's Blob (the web app's type check) does not take a Buffer's possibly shared one.
  const pg = await PGlite.create({ dataDir: dir, loadDataDir: new Blob([new Uint8Array(tarball)]) });
  await pg.close();
}

/**
 * Readies a PostgreSQL database for pg_restore of a Switchboard dump: it must have no tables yet (answers false
 * otherwise), and the role tenant work runs as must exist, since the dump grants to it and roles belong to the cluster,
 * not the database (as migrations/postgres/0002 makes it).
 */
export async function prepareRestoreTarget(databaseUrl: string): Promise<boolean> {
  const handle = await createDb({ databaseUrl });
  try {
    const { rows } = await handle.db.execute<{ n: number }>(
      sql`select count(*)::int as n from information_schema.tables where table_schema in ('public', 'drizzle')`,
    );
    if ((rows[0]?.n ?? 0) > 0) return false;
    await handle.db.execute(sql`DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchboard_app') THEN
          CREATE ROLE switchboard_app NOLOGIN NOBYPASSRLS;
        END IF;
      END
    $$`);
    await handle.db.execute(sql`GRANT switchboard_app TO CURRENT_USER`);
    return true;
  } finally {
    await handle.close();
  }
}
