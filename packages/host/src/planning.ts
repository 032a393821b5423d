import { createWebhookTransport, type PlanningRunner } from '@switchboard/api';
import { listTenantTimezones, type Db } from '@switchboard/db';
import type { TelemetryStore } from '@switchboard/telemetry';
import { Client, Connection } from '@temporalio/client';
import {
  createMathPool,
  createPlanningClient,
  createPlanningWorker,
  NativeConnection,
  resumeWebhookDeliveries,
  startWebhookDeliveries,
  type PlanningDeps,
} from '@switchboard/workflows';
import type { HostEnv } from './env.ts';

/** Reminded after 2 minutes, escalated after 5, a session 5 minutes ahead at the soonest, measured over 30 minutes. */
const DEMO_COACHING_TIMING = { remindAfterS: 120, escalateAfterS: 300, sessionLeadS: 300, measureForS: 1800 };

export interface PlanningEngine {
  runner: PlanningRunner;
  /** Makes sure every tenant has its daily forecast and weekly schedule runs (idempotent); the demo tenant's publish at once. */
  ensureSchedules(demoTenantId: string | null): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Connects to Temporal and runs the planning worker inside this process (embedded mode;
 * apps/worker runs the same worker alone in cluster mode). A worker that stops on its own
 * is reported, and the rest of the host keeps serving.
 */
export async function startPlanningEngine(
  // The auth secret seals webhook secrets at rest: the worker opens them to sign deliveries.
  env: HostEnv & { TEMPORAL_ADDRESS: string; BETTER_AUTH_SECRET: string },
  stores: { db: Db; telemetry: TelemetryStore['client'] },
  log: (line: string) => void,
  notifyAgent?: PlanningDeps['notifyAgent'],
): Promise<PlanningEngine> {
  const [nativeConnection, connection] = await Promise.all([
    NativeConnection.connect({ address: env.TEMPORAL_ADDRESS }),
    Connection.connect({ address: env.TEMPORAL_ADDRESS }),
  ]);
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const math = createMathPool();
  const webhooks = createWebhookTransport({ authSecret: env.BETTER_AUTH_SECRET, allowHosts: env.SWITCHBOARD_OUTBOUND_ALLOW_HOSTS });
  const worker = await createPlanningWorker({
    connection: nativeConnection,
    namespace: env.TEMPORAL_NAMESPACE,
    deps: { ...stores, math, webhooks, ...(notifyAgent ? { notifyAgent } : {}) },
  });
  const running = worker.run().catch((error: unknown) => log(`planning worker stopped: ${(error as Error).message}`));
  const planning = createPlanningClient(client);
  log(`planning worker running on ${env.TEMPORAL_ADDRESS} (namespace ${env.TEMPORAL_NAMESPACE})`);
  // Deliveries recorded while no engine ran, or whose start failed, wait in Postgres as pending.
  await resumeWebhookDeliveries(client, stores.db).then(
    (resumed) => resumed > 0 && log(`webhooks: started ${resumed} pending deliveries`),
    (error: unknown) => log(`webhooks: could not start pending deliveries (retried at the next start): ${(error as Error).message}`),
  );

  let demoTenant: string | null = null;
  return {
    runner: {
      uiUrl: env.TEMPORAL_UI_URL?.replace(/\/$/, '') ?? null,
      namespace: env.TEMPORAL_NAMESPACE,
      startForecast: (input) => planning.startForecast(input),
      startStaffing: (input) => planning.startStaffing(input),
      listRuns: (tenantId) => planning.listRuns(tenantId),
      startSchedule: (input) => planning.startSchedule(input),
      decideSchedule: (input) => planning.decideSchedule(input),
      trackDisputes: (input) => planning.trackDisputes(input),
      startWebhookDeliveries: (input) => startWebhookDeliveries(client, input),
      startIntraday: (input) => planning.startIntraday(input),
      // The demo tenant's loop runs in minutes, so that a demo shows it through to the measured effect.
      startCoaching: (input) => planning.startCoaching(input.tenantId === demoTenant ? { ...input, ...DEMO_COACHING_TIMING } : input),
      signalCoaching: (input) => planning.signalCoaching(input),
      checkCoachingRules: (input) => planning.checkCoachingRules(input),
    },
    async ensureSchedules(demoTenantId) {
      demoTenant = demoTenantId;
      for (const tenant of await listTenantTimezones(stores.db)) {
        if (await planning.ensureForecastSchedule({ tenantId: tenant.id, timezone: tenant.timezone })) log(`daily forecast scheduled for tenant ${tenant.id}`);
        // The demo publishes its weeks itself, so what reads schedules always has one; real tenants get drafts to approve.
        const approval = tenant.id === demoTenantId ? 'auto' : 'planner';
        if (await planning.ensureWeeklySchedule({ tenantId: tenant.id, timezone: tenant.timezone, approval }))
          log(`weekly schedules (${approval}) for tenant ${tenant.id}`);
        if (await planning.ensureEvaluationSchedule({ tenantId: tenant.id })) log(`quality evaluation every 30 s for tenant ${tenant.id}`);
        if (await planning.ensureIntradaySchedule({ tenantId: tenant.id })) log(`intraday loop every 15 min for tenant ${tenant.id}`);
        if (await planning.ensureCoachingSchedule({ tenantId: tenant.id })) log(`coaching rules checked hourly for tenant ${tenant.id}`);
      }
    },
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await math.close();
      await nativeConnection.close();
      await connection.close();
    },
  };
}
