import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  applyPendingRetention,
  checkRequestOrigin,
  createAuth,
  createAuthHandler,
  createApiServices,
  createSessionViewer,
  createTrpcHandler,
  TRPC_BASE_PATH,
  type Auth,
} from '@switchboard/api';
import {
  createDb,
  getDirectory,
  listTenantTimezones,
  migrateDb,
  purgeExpiredAudit,
  purgeExpiredEmbedTokens,
  verifyApiKey,
  withAdvisoryLocks,
  type DbHandle,
} from '@switchboard/db';
import { IngestService, sendJson } from '@switchboard/ingest';
import type { CenterConfig } from '@switchboard/contracts';
import { createTelemetryStore, getMergeMilliseconds, migrateTelemetry, RollupBuilder, type TelemetryStore } from '@switchboard/telemetry';
import { createApiKeyAuthenticator } from './api-keys.ts';
import { DESKTOP_EVENT_TYPES, DESKTOP_EVENTS_PATH, DesktopHub } from './desktop.ts';
import { createEmbedFraming, EMBED_SESSION_PATH, EMBED_TOKENS_PATH, serveEmbedSession, serveEmbedTokens } from './desktop-embed.ts';
import { clientAddress } from './client-address.ts';
import type { HostEnv } from './env.ts';
import { lockDataDir } from './lock.ts';
import { watchEventLoop } from './event-loop.ts';
import { withFaultSeams } from './fault-seams.ts';
import { seedDemo } from './demo.ts';
import { createStatusHandler } from './status.ts';
import { SCHEDULE_ACTIVITIES_PATH, serveScheduleActivities } from './schedule-api.ts';
import { startPlanningEngine, type PlanningEngine } from './planning.ts';
import { createOperatorHandler, OPERATOR_PATH, writeOperatorFile } from './operator.ts';
import { createErasureRunner } from './erasure.ts';
import { startMailSender } from './mail-sender.ts';
import { startAlertEvaluator } from './alert-evaluator.ts';
import { syncScheduleSnapshots } from '@switchboard/workflows';

export interface Host {
  server: Server;
  url: string;
  telemetry: TelemetryStore;
  db: DbHandle;
  ingest: IngestService;
  rollups: RollupBuilder;
  auth: Auth;
  /** The planning workflows engine; absent without TEMPORAL_ADDRESS. */
  planning: PlanningEngine | undefined;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');
/** Set by the host from the socket (or a trusted proxy's X-Forwarded-For), replacing any client value: sign-in rate limits key on it. */
export const CLIENT_IP_HEADER = 'x-switchboard-client-ip';
const AUDIT_PURGE_EVERY_MS = 3_600_000;

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
  let planning: PlanningEngine | undefined;
  let rollups: RollupBuilder | undefined;
  try {
    telemetry = createTelemetryStore({ url: env.CLICKHOUSE_URL, dataDir: env.dataDir });
    if (env.SWITCHBOARD_FAULT_SEAMS) telemetry = withFaultSeams(telemetry, env.dataDir);
    const migrated = await migrateTelemetry(telemetry.client, path.join(repoRoot, 'migrations/clickhouse'));
    if (migrated.applied.length > 0) log(`clickhouse: applied ${migrated.applied.join(', ')}`);
    db = await createDb({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
    await migrateDb(db);

    const dbHandle = db;
    rollups = new RollupBuilder({
      client: telemetry.client,
      instance: env.embedded ? 'host' : env.SWITCHBOARD_INSTANCE,
      // Processes that share the servers take turns per tenant; an embedded host is alone.
      lock: env.embedded
        ? undefined
        : (tenants, fn) =>
            withAdvisoryLocks(
              dbHandle.db,
              tenants.map((t) => `rollups:${t}`),
              fn,
            ),
      log,
    });
    // A progress record exists before ingest opens; recovery then runs in the builder's
    // line ahead of every insert's step, and ingest need not wait for it.
    await rollups.prepare();
    rollups.recover().catch((error: unknown) => log(`rollups: recovery failed (an operator can run npm run repair:rollups): ${(error as Error).message}`));
    const apiKeys = createApiKeyAuthenticator(async (key) => {
      const found = await verifyApiKey(dbHandle.db, key);
      // Ingest takes keys with the ingest scope only.
      return found?.scopes.includes('ingest') ? found : null;
    });
    const authenticate = apiKeys.get;
    const desktop = new DesktopHub();
    const eventLoop = watchEventLoop();
    const ingest = new IngestService({
      store: telemetry,
      authenticate,
      observer: rollups,
      onStored: (tenantId, events) => desktop.stored(tenantId, events),
      storedTypes: DESKTOP_EVENT_TYPES,
    });
    const recovered = await ingest.recoverIdempotencyKeys();
    if (recovered > 0) log(`ingest: recovered ${recovered} idempotency keys`);

    const rollupBuilder = rollups;
    const pages = env.SWITCHBOARD_WEB ? options.pages : undefined;
    const authSecret = env.BETTER_AUTH_SECRET ?? readOrCreateSecret(env.dataDir);
    if (env.TEMPORAL_ADDRESS) {
      const engineEnv = { ...env, TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS, BETTER_AUTH_SECRET: authSecret };
      // Activities tell the agent's panels by the agent's telemetry key, which the directory holds.
      const notifyAgent = (tenantId: string, agentId: string, what: 'coaching' | 'schedule') =>
        void getDirectory(dbHandle.db, tenantId).then(
          (directory) => {
            const key = directory?.agents.find((a) => a.id === agentId)?.key;
            if (key) desktop.publish(tenantId, key, what);
          },
          () => undefined,
        );
      planning = await startPlanningEngine(engineEnv, { db: dbHandle.db, telemetry: telemetry.client }, log, notifyAgent).catch((error: unknown) => {
        throw new Error(`could not connect to Temporal at ${env.TEMPORAL_ADDRESS}: ${(error as Error).message}`);
      });
    }
    const schedulingStores = { db: dbHandle.db, telemetry: telemetry.client };
    const services = createApiServices({
      ...schedulingStores,
      planning: planning?.runner ?? null,
      snapshotSchedules: (tenantId) => syncScheduleSnapshots(schedulingStores, tenantId),
      apiKeysChanged: apiKeys.clear,
      outboundAllowHosts: env.SWITCHBOARD_OUTBOUND_ALLOW_HOSTS,
    });
    const embedFraming = createEmbedFraming(dbHandle.db);
    const status = createStatusHandler({ telemetry, ingest, authenticate, directory: services.directory });
    // Created once the port is known: better-auth checks request origins against the URL.
    const started: {
      api?: { authHandler: RequestListener; trpc: RequestListener; origins: string[]; viewerOf: ReturnType<typeof createSessionViewer>['viewerOf'] };
      operator?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    } = {};

    // Slow senders: headers must arrive within 20 s (Node: 60 s), checked every 2 s (Node: 30 s); ingest bodies have a
    // minimum rate (packages/ingest body.ts). Node's header clock starts at a request's first byte, so a connection that
    // sends none is closed after the same 20 s.
    const server = createServer({ headersTimeout: 20_000, connectionsCheckingInterval: 2_000 }, (req, res) => {
      void route(req, res).catch((error: unknown) => {
        console.error('host: unexpected error', (error as Error).message);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'unexpected server error' });
        else res.end();
      });
    });
    server.on('connection', (socket) => setTimeout(() => socket.bytesRead === 0 && socket.destroy(), 20_000).unref());
    async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const pathname = (req.url ?? '/').split('?')[0];
      if (pathname === '/api/v1/events') return ingest.handle(req, res);
      if (pathname === '/api/v1/status') return status(req, res);
      if (pathname === SCHEDULE_ACTIVITIES_PATH) return serveScheduleActivities(req, res, { db: dbHandle.db, telemetry: telemetry!.client });
      if (pathname === EMBED_TOKENS_PATH) return serveEmbedTokens(req, res, dbHandle.db);
      if (pathname?.startsWith(OPERATOR_PATH) && started.operator) return started.operator(req, res);
      const api = started.api;
      const signedInApi = pathname?.startsWith('/api/auth/') || pathname?.startsWith(TRPC_BASE_PATH);
      if (signedInApi && !api)
        return sendJson(res, 503, { error: 'starting', message: 'Switchboard is starting; try again in a moment' }, { 'retry-after': '1' });
      if (pathname?.startsWith('/api/auth/') && api) {
        req.headers[CLIENT_IP_HEADER] = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], env.SWITCHBOARD_TRUSTED_PROXIES);
        return api.authHandler(req, res);
      }
      if (pathname?.startsWith(TRPC_BASE_PATH) && api) {
        const refusal = checkRequestOrigin(req, api.origins);
        if (refusal) return sendJson(res, refusal.status, { error: refusal.error, message: refusal.message });
        return api.trpc(req, res);
      }
      if (pathname === EMBED_SESSION_PATH) {
        if (!api) return sendJson(res, 503, { error: 'starting', message: 'Switchboard is starting; try again in a moment' }, { 'retry-after': '1' });
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed', message: 'use POST' }, { allow: 'POST' });
        const refusal = checkRequestOrigin(req, api.origins);
        if (refusal) return sendJson(res, refusal.status, { error: refusal.error, message: refusal.message });
        return serveEmbedSession(req, res, dbHandle.db);
      }
      if (pathname === DESKTOP_EVENTS_PATH) {
        if (!api) return sendJson(res, 503, { error: 'starting', message: 'Switchboard is starting; try again in a moment' }, { 'retry-after': '1' });
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed', message: 'the desktop stream is read with GET' }, { allow: 'GET' });
        const { viewer } = await api.viewerOf(req, res);
        if (!viewer) return sendJson(res, 401, { error: 'unauthenticated', message: 'sign in to open the desktop panel' });
        if (viewer.role !== 'agent' || !viewer.agent)
          return sendJson(res, 403, { error: 'forbidden', message: 'the desktop panel is for agents: sign in as one' });
        return desktop.open(req, res, { tenantId: viewer.tenantId, agentKey: viewer.agent.key });
      }
      if (pathname === '/api/health') {
        if (!api) return sendJson(res, 503, { status: 'starting' }, { 'retry-after': '1' });
        // A store that refuses writes (a full disk) makes the host unready: ingest answers 503 until a probe write succeeds.
        const store = ingest.writer.health;
        return sendJson(res, store.writable ? 200 : 503, {
          status: store.writable ? 'ok' : 'store_unwritable',
          store,
          telemetry: telemetry!.kind,
          db: dbHandle.kind,
          pending_rows: ingest.writer.pendingRows,
          event_loop: eventLoop.last,
          writer: ingest.writer.stats,
          ingest: ingest.stats,
          rollups: rollupBuilder.status(),
          desktop: desktop.stats,
          // On request only: a query of the engine, where the rest is memory.
          ...(req.url?.includes('engine=1') ? { engine: { merges_ms: await getMergeMilliseconds(telemetry!.client) } } : {}),
        });
      }
      if (pathname?.startsWith('/api/')) return sendJson(res, 404, { error: 'not_found', message: `no API at ${pathname}` });
      const embedHeaders = pathname ? await embedFraming(pathname) : null;
      for (const [name, value] of Object.entries(embedHeaders ?? {})) res.setHeader(name, value);
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
    const publicUrl = env.SWITCHBOARD_PUBLIC_URL?.replace(/\/$/, '') ?? url;
    const origins = [...new Set([new URL(publicUrl).origin, ...loopbackOrigins(env.HOST, port)])];
    const auth = createAuth({
      db: dbHandle.db,
      secret: authSecret,
      baseURL: publicUrl,
      trustedOrigins: origins,
      clientIpHeader: CLIENT_IP_HEADER,
      accountLockSeconds: env.SWITCHBOARD_ACCOUNT_LOCK_S,
      outboundAllowHosts: env.SWITCHBOARD_OUTBOUND_ALLOW_HOSTS,
    });
    if (env.embedded) {
      started.operator = createOperatorHandler({
        token: writeOperatorFile(env.dataDir, url),
        rollups: rollupBuilder,
        db: dbHandle.db,
        auth,
        telemetry: telemetry.client,
        eventWriter: ingest.writer,
        stores: { telemetry, db: dbHandle, databaseUrl: env.DATABASE_URL },
        erasure: planning && env.TEMPORAL_ADDRESS ? createErasureRunner({ ...env, TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS }) : undefined,
        // A tenant disabled here is refused from its next request, not a minute later.
        afterTenantChange: apiKeys.clear,
        mailBySmtp: env.SWITCHBOARD_SMTP_URL !== undefined,
      });
    }
    let demoTenantId: string | null = null;
    if (env.SWITCHBOARD_SEED_DEMO) {
      if (!options.demoCenter) throw new Error('SWITCHBOARD_SEED_DEMO is on but no demo center configuration was given');
      demoTenantId = await seedDemo(dbHandle.db, auth, options.demoCenter, env.dataDir, log);
    }
    await planning?.ensureSchedules(demoTenantId);
    // A crash between publishing a week in Postgres and writing its ClickHouse snapshot is mended here.
    for (const tenant of await listTenantTimezones(dbHandle.db)) await syncScheduleSnapshots(schedulingStores, tenant.id);
    // Each tenant's audit trail is kept for its retention period, then purged, with the desktop panels' expired tokens
    // (hourly; idempotent beside other processes).
    const purgeAudit = () => {
      void purgeExpiredAudit(dbHandle.db).catch((error: unknown) => log(`audit: purge failed (it is retried in an hour): ${(error as Error).message}`));
      void purgeExpiredEmbedTokens(dbHandle.db).catch((error: unknown) =>
        log(`desktop: purging expired panel tokens failed (it is retried in an hour): ${(error as Error).message}`),
      );
    };
    purgeAudit();
    // A retention change that a crash or a ClickHouse failure left unwritten to the stored rows is finished here.
    await applyPendingRetention(dbHandle.db, telemetry.client).catch((error: unknown) =>
      log(`retention: could not apply a changed retention to stored rows (retried at the next start): ${(error as Error).message}`),
    );
    const auditTimer = setInterval(purgeAudit, AUDIT_PURGE_EVERY_MS).unref();
    const mailSender = startMailSender(env, dbHandle.db, { log });
    const alertEvaluator = startAlertEvaluator(env, dbHandle.db, services, log);
    // From here the host answers everything; /api/health said "starting" until now.
    started.api = {
      authHandler: createAuthHandler(auth),
      trpc: createTrpcHandler({ auth, services }),
      origins,
      viewerOf: createSessionViewer({ auth, db: dbHandle.db }).viewerOf,
    };

    const stores = { telemetry, db, planning };
    return {
      server,
      url,
      telemetry,
      db,
      ingest,
      rollups: rollupBuilder,
      auth,
      planning,
      async stop() {
        clearInterval(auditTimer);
        eventLoop.stop();
        desktop.stop();
        await Promise.all([drainHttp(server), mailSender?.stop(), alertEvaluator?.stop()]);
        await stores.planning?.stop();
        await ingest.writer.drain();
        ingest.writer.close();
        await rollupBuilder.stop();
        await stores.telemetry.close();
        await stores.db.close();
        releaseLock();
      },
    };
  } catch (error) {
    await planning?.stop().catch(() => undefined);
    await rollups?.stop().catch(() => undefined);
    await telemetry?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    releaseLock();
    throw error;
  }
}

/** How long the requests in flight when the host stops may take before their connections are closed. */
const DRAIN_MS = 5_000;
/** A request already on its way on a kept-alive connection when the host stops gets this long to arrive and be answered 503, rather than reset. */
const IDLE_GRACE_MS = 500;

/**
 * Stops serving without dropping a request in flight: from now on a request is answered 503 with Retry-After and its
 * connection closed; after a grace the port closes and so does each connection as it goes idle, once the requests in
 * flight are answered (at most DRAIN_MS).
 */
async function drainHttp(server: Server): Promise<void> {
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // The body is read first: closing while the client still sends would reset the connection before it reads the answer.
    req
      .resume()
      .once('end', () =>
        sendJson(
          res,
          503,
          { error: 'stopping', message: 'Switchboard is stopping; retry after Retry-After seconds' },
          { 'retry-after': '2', connection: 'close' },
        ),
      );
  });
  const deadline = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  const connections = await new Promise<number>((resolve) => server.getConnections((error, count) => resolve(error ? 1 : count)));
  if (connections > 0) await new Promise((resolve) => setTimeout(resolve, IDLE_GRACE_MS));
  // http.Server's close() closes the idle connections now; the sweep closes the others once their answers are sent.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
}

/** A loopback host is reached as 127.0.0.1 and as localhost alike: both are this app's origin. */
function loopbackOrigins(host: string, port: number): string[] {
  if (!['127.0.0.1', 'localhost', '::1', '0.0.0.0'].includes(host)) return [];
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Embedded mode keeps its cookie-signing secret beside the data it protects. */
/** The sign-in cookies' signing secret of a data directory (made at first start). */
export function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
