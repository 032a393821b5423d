import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Assume } from 'drizzle-orm/utils';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { VACUUM_EVERY_MS, vacuumGrownTables } from './maintenance.ts';
import * as schema from './schema.ts';

type Schema = typeof schema;

/** What `db.execute()` returns on both drivers: pg's QueryResult and PGlite's Results share `rows`. */
interface RowsResult<TRow> {
  rows: TRow[];
}

interface RowsResultHKT extends PgQueryResultHKT {
  type: RowsResult<Assume<this['row'], Record<string, unknown>>>;
}

/** The drizzle API every repository function takes: the same on PGlite and PostgreSQL. */
export type Db = PgDatabase<RowsResultHKT, Schema>;

interface DbHandleBase {
  db: Db;
  close(): Promise<void>;
}

export type DbHandle = (DbHandleBase & { kind: 'pglite'; client: PGlite }) | (DbHandleBase & { kind: 'postgres'; pool: pg.Pool });

export interface DbOptions {
  /** A PostgreSQL server (`postgres://user:pass@host:5432/db`); embedded PGlite when absent. */
  databaseUrl?: string | undefined;
  /** Root data directory for embedded mode; PGlite keeps its files in `<dataDir>/pglite`. Absent or `memory://`: in memory. */
  dataDir?: string | undefined;
}

export const drizzleConfig = { schema, casing: 'snake_case' } as const;

const MEMORY = 'memory://';

/**
 * One factory for both ways to run: PGlite (on disk or in memory) or a PostgreSQL pool.
 * PGlite takes no lock on its directory, so the caller must be the one process that owns
 * `dataDir` (the host process lock).
 */
export async function createDb(options: DbOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl });
    // An idle connection dropped by the server is replaced on the next query; without a
    // listener Node would treat the pool's 'error' event as fatal.
    pool.on('error', (error) => console.warn(`postgres: idle connection lost: ${error.message}`));
    return { kind: 'postgres', pool, db: drizzleNodePg({ client: pool, ...drizzleConfig }), close: () => pool.end() };
  }
  const dataDir = options.dataDir === undefined || options.dataDir === MEMORY ? MEMORY : path.join(options.dataDir, 'pglite');
  if (dataDir !== MEMORY) mkdirSync(dataDir, { recursive: true });
  // create() waits until the database is open, so a broken data directory fails here.
  const client = await PGlite.create(dataDir);
  // PostgreSQL's autovacuum, which PGlite lacks; a run still going when the next is due is not doubled.
  let vacuuming: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    vacuuming ??= vacuumGrownTables(client)
      .catch((error: unknown) => console.warn(`pglite: vacuum failed: ${(error as Error).message}`))
      .finally(() => (vacuuming = null));
  }, VACUUM_EVERY_MS).unref();
  return {
    kind: 'pglite',
    client,
    db: drizzlePglite({ client, ...drizzleConfig }),
    close: async () => {
      clearInterval(timer);
      await vacuuming;
      await client.close();
    },
  };
}
