import path from 'node:path';
import { createAuth } from '@switchboard/api';
import { createDb, migrateDb } from '@switchboard/db';
import { BatchWriter } from '@switchboard/ingest';
import { createTelemetryStore, migrateTelemetry } from '@switchboard/telemetry';
import type { HostEnv } from './env.ts';
import type { AdminStores } from './history-import.ts';
import { CLIENT_IP_HEADER, readOrCreateSecret } from './host.ts';
import { lockDataDir } from './lock.ts';
import { readOperatorFile } from './operator.ts';

/**
 * Sends an operator action to the running host of the data directory; undefined when no
 * host answers there (none runs, or operator.json is left from one that stopped).
 */
export async function callOperator(dataDir: string, action: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  const operator = readOperatorFile(dataDir);
  if (!operator) return undefined;
  let res: Response;
  try {
    res = await fetch(`${operator.url}/api/operator/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return undefined;
  }
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The ClickHouse migrations, for operator commands that open the store themselves. */
export const clickhouseMigrations = path.resolve(import.meta.dirname, '../../../migrations/clickhouse');

/**
 * Opens Postgres (migrated) and the sign-in library for an operator command while no host
 * runs, and with `telemetry` ClickHouse (migrated) too: with embedded stores it takes the
 * host's lock first, so no host starts meanwhile.
 */
export async function withOperatorDb<T>(env: HostEnv, work: (stores: AdminStores) => Promise<T>, options: { telemetry?: boolean } = {}): Promise<T> {
  const release = env.embedded ? lockDataDir(env.dataDir) : () => undefined;
  try {
    const handle = await createDb({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
    try {
      await migrateDb(handle);
      const auth = createAuth({
        db: handle.db,
        secret: env.BETTER_AUTH_SECRET ?? readOrCreateSecret(env.dataDir),
        baseURL: env.SWITCHBOARD_PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
        trustedOrigins: [],
        clientIpHeader: CLIENT_IP_HEADER,
      });
      if (!options.telemetry) return await work({ db: handle.db, auth });
      const telemetry = createTelemetryStore({ url: env.CLICKHOUSE_URL, dataDir: env.dataDir });
      try {
        await migrateTelemetry(telemetry.client, clickhouseMigrations);
        // Inserts as ingest makes them (rejection replays); its rollups are counted by the host's start-up recovery.
        const eventWriter = new BatchWriter(telemetry);
        try {
          return await work({ db: handle.db, auth, telemetry: telemetry.client, eventWriter });
        } finally {
          eventWriter.close();
        }
      } finally {
        await telemetry.close();
      }
    } finally {
      await handle.close();
    }
  } finally {
    release();
  }
}
