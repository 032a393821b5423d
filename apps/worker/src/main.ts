import path from 'node:path';
import { createWebhookTransport, parseOutboundAllowHosts } from '@switchboard/api';
import { createDb, migrateDb } from '@switchboard/db';
import { createTelemetryStore, migrateTelemetry } from '@switchboard/telemetry';
import { createMathPool, createPlanningWorker, NativeConnection } from '@switchboard/workflows';
import { z } from 'zod';

/**
 * The planning worker on its own, for cluster mode: ClickHouse and PostgreSQL servers and a
 * Temporal cluster. (Embedded mode runs the same worker inside the host process, which
 * owns the embedded stores.) `npm start -w @switchboard/worker`.
 */
const Env = z.object({
  CLICKHOUSE_URL: z.url({ error: 'set CLICKHOUSE_URL: the worker shares the ClickHouse server with the hosts' }),
  DATABASE_URL: z
    .string({ error: 'set DATABASE_URL to the PostgreSQL server the hosts use' })
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL'),
  TEMPORAL_ADDRESS: z
    .string({ error: 'set TEMPORAL_ADDRESS to the Temporal frontend, host:port' })
    .regex(/^[^\s:/]+:\d+$/, 'TEMPORAL_ADDRESS must be host:port, e.g. temporal:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  // Webhook deliveries open the subscriptions' sealed secrets with the hosts' auth secret, and go where the hosts' guard lets them.
  BETTER_AUTH_SECRET: z.string({ error: "set BETTER_AUTH_SECRET to the hosts' auth secret (webhook deliveries sign with secrets sealed under it)" }).min(32),
  SWITCHBOARD_OUTBOUND_ALLOW_HOSTS: z.string().default(''),
});

async function main(): Promise<void> {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`fix these environment variables:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const env = parsed.data;
  const repoRoot = path.resolve(import.meta.dirname, '../../..');
  // dataDir is unused with server URLs; migrations are idempotent and serialised by the stores.
  const telemetry = createTelemetryStore({ url: env.CLICKHOUSE_URL, dataDir: repoRoot });
  await migrateTelemetry(telemetry.client, path.join(repoRoot, 'migrations/clickhouse'));
  const db = await createDb({ databaseUrl: env.DATABASE_URL });
  await migrateDb(db);
  const math = createMathPool();
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const webhooks = createWebhookTransport({ authSecret: env.BETTER_AUTH_SECRET, allowHosts: parseOutboundAllowHosts(env.SWITCHBOARD_OUTBOUND_ALLOW_HOSTS) });
  const worker = await createPlanningWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    deps: { telemetry: telemetry.client, db: db.db, math, webhooks },
  });
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`planning worker running on ${env.TEMPORAL_ADDRESS} (namespace ${env.TEMPORAL_NAMESPACE})`);
  await worker.run();
  await Promise.all([math.close(), connection.close(), telemetry.close(), db.close()]);
}

main().catch((error: unknown) => {
  console.error('switchboard worker:', error instanceof Error ? error.message : error);
  process.exit(1);
});
