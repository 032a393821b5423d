import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { createDb, createApiKey, migrateDb, seedTenant, verifyApiKey, type DbHandle } from '@switchboard/db';
import { IngestService, sendJson } from '@switchboard/ingest';
import type { CenterConfig } from '@switchboard/contracts';
import { createTelemetryStore, migrateTelemetry, type TelemetryStore } from '@switchboard/telemetry';
import type { HostEnv } from './env.ts';
import { lockDataDir } from './lock.ts';
import { createStatusHandler } from './status.ts';

export interface Host {
  server: Server;
  url: string;
  telemetry: TelemetryStore;
  db: DbHandle;
  ingest: IngestService;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const API_KEY_CACHE_MS = 60_000;

/**
 * The host process: owns the embedded stores (locking the data directory), migrates
 * them, and serves ingest, the JSON API and the Next.js pages on one port.
 */
export interface HostOptions {
  /** Serves every request that is not an API route (the Next.js pages). */
  pages?: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  /** The center configuration seeded as the demo tenant when SWITCHBOARD_SEED_DEMO is on. */
  demoCenter?: CenterConfig;
  log?: (line: string) => void;
}

export async function startHost(env: HostEnv, options: HostOptions = {}): Promise<Host> {
  const log = options.log ?? console.log;
  const releaseLock = env.embedded ? lockDataDir(env.dataDir) : () => undefined;
  let telemetry: TelemetryStore | undefined;
  let db: DbHandle | undefined;
  try {
    telemetry = createTelemetryStore({ url: env.CLICKHOUSE_URL, dataDir: env.dataDir });
    const migrated = await migrateTelemetry(telemetry.client, path.join(repoRoot, 'migrations/clickhouse'));
    if (migrated.applied.length > 0) log(`clickhouse: applied ${migrated.applied.join(', ')}`);
    db = await createDb({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
    await migrateDb(db);

    const dbHandle = db;
    const authenticate = createApiKeyAuthenticator(dbHandle);
    const ingest = new IngestService({ store: telemetry, authenticate });
    const recovered = await ingest.recoverIdempotencyKeys();
    if (recovered > 0) log(`ingest: recovered ${recovered} idempotency keys`);

    if (env.SWITCHBOARD_SEED_DEMO) {
      if (!options.demoCenter) throw new Error('SWITCHBOARD_SEED_DEMO is on but no demo center configuration was given');
      await seedDemo(db, options.demoCenter, env.dataDir, log);
    }

    const status = createStatusHandler({ telemetry, ingest, authenticate });
    const pages = env.SWITCHBOARD_WEB ? options.pages : undefined;

    const server = createServer((req, res) => {
      void route(req, res).catch((error: unknown) => {
        console.error('host: unexpected error', (error as Error).message);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'unexpected server error' });
        else res.end();
      });
    });
    async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const pathname = (req.url ?? '/').split('?')[0];
      if (pathname === '/api/v1/events') return ingest.handle(req, res);
      if (pathname === '/api/v1/status') return status(req, res);
      if (pathname === '/api/health') {
        return sendJson(res, 200, {
          status: 'ok',
          telemetry: telemetry!.kind,
          db: dbHandle.kind,
          pending_rows: ingest.writer.pendingRows,
          writer: ingest.writer.stats,
        });
      }
      if (pathname?.startsWith('/api/')) return sendJson(res, 404, { error: 'not_found', message: `no API at ${pathname}` });
      if (pages) return pages(req, res);
      sendJson(res, 404, { error: 'not_found', message: 'this process serves the API only (SWITCHBOARD_WEB=0)' });
    }

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(env.PORT, env.HOST, resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    const url = `http://${env.HOST}:${port}`;

    const stores = { telemetry, db };
    return {
      server,
      url,
      telemetry,
      db,
      ingest,
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await ingest.writer.drain();
        await stores.telemetry.close();
        await stores.db.close();
        releaseLock();
      },
    };
  } catch (error) {
    await telemetry?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    releaseLock();
    throw error;
  }
}

/** API keys are checked against Postgres at most once a minute each, off the ingest hot path. */
function createApiKeyAuthenticator(db: DbHandle): (key: string) => Promise<{ tenantId: string } | null> {
  const cache = new Map<string, { tenantId: string | null; until: number }>();
  return async (key) => {
    const cached = cache.get(key);
    if (cached && cached.until > Date.now()) return cached.tenantId ? { tenantId: cached.tenantId } : null;
    const found = await verifyApiKey(db.db, key);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { tenantId: found?.tenantId ?? null, until: Date.now() + API_KEY_CACHE_MS });
    return found ? { tenantId: found.tenantId } : null;
  };
}

/** Seed the demo tenant (idempotent) and make sure `<data dir>/demo-api-key` holds a working key. */
async function seedDemo(db: DbHandle, config: CenterConfig, dataDir: string, log: (line: string) => void): Promise<void> {
  const tenantId = await seedTenant(db.db, { slug: 'demo', name: 'Demo Contact Center', config });
  const keyFile = path.join(dataDir, 'demo-api-key');
  const existing = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
  if (existing && (await verifyApiKey(db.db, existing))?.tenantId === tenantId) return;
  const { key } = await createApiKey(db.db, tenantId, 'demo simulator');
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  log(`demo: seeded tenant "demo" and wrote its API key to ${keyFile}`);
}
