import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDb, type Db, type DbHandle } from '../src/client.ts';
import { migrateDb } from '../src/migrate.ts';
import { tenants } from '../src/schema.ts';

/**
 * Runs a suite against in-memory PGlite and, when TEST_DATABASE_URL is set, a real
 * PostgreSQL (`eval "$(scripts/postgres-start.sh)"`). Under CI the PostgreSQL run is
 * required: a missing URL fails instead of quietly testing one engine.
 */

const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
if (!databaseUrl && (process.env.CI === 'true' || process.env.CI === '1')) {
  throw new Error('CI is set but TEST_DATABASE_URL is not: run `eval "$(scripts/postgres-start.sh)"` before the tests so they also run against PostgreSQL.');
}

export { databaseUrl };

export interface EngineContext {
  readonly handle: DbHandle;
  readonly db: Db;
  /** A slug no other test or run uses. */
  slug(label: string): string;
  /** Deletes the tenant (and, by cascade, all its rows) after the suite. */
  cleanUp(tenantId: string): string;
}

export function describeEngines(title: string, body: (ctx: EngineContext) => void): void {
  const engines = [
    { kind: 'pglite', databaseUrl: undefined },
    { kind: 'postgres', databaseUrl },
  ] as const;
  for (const engine of engines) {
    describe.skipIf(engine.kind === 'postgres' && !databaseUrl)(`${title} [${engine.kind}]`, () => {
      let handle: DbHandle | undefined;
      const tenantIds: string[] = [];
      beforeAll(async () => {
        handle = await createDb({ databaseUrl: engine.databaseUrl });
        await migrateDb(handle);
      });
      afterAll(async () => {
        if (!handle) return;
        if (tenantIds.length > 0) await handle.db.delete(tenants).where(inArray(tenants.id, tenantIds));
        await handle.close();
      });
      const opened = () => {
        if (!handle) throw new Error('the database is not open yet');
        return handle;
      };
      body({
        get handle() {
          return opened();
        },
        get db() {
          return opened().db;
        },
        slug: (label) => `test-${label}-${randomUUID().slice(0, 8)}`,
        cleanUp(tenantId) {
          tenantIds.push(tenantId);
          return tenantId;
        },
      });
    });
  }
}
