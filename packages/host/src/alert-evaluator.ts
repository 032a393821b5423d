import { evaluateTenantAlerts } from '@switchboard/api';
import { listTenantsWithAlerts, withAdvisoryLocks, type Db } from '@switchboard/db';
import type { HostEnv } from './env.ts';

/**
 * Evaluates every tenant's alert rules on the server, whether or not a wallboard is open:
 * every SWITCHBOARD_ALERT_EVALUATE_S, one tenant after another. Processes sharing a
 * PostgreSQL take a Postgres advisory lock per tenant, so one evaluates a tenant at a time;
 * an embedded host is alone (and PGlite's one connection could not serve the lock's
 * transaction and the evaluation beside it). The log names rules and subjects, never people.
 */

type ApiServices = Parameters<typeof evaluateTenantAlerts>[0];

export interface AlertEvaluator {
  /** Stops evaluating; resolves once a run going on has ended. */
  stop(): Promise<void>;
}

/** The cause, not drizzle's wrapper, whose message lists the query and its values. */
const reason = (error: unknown) => {
  const { cause, message } = error as Error & { cause?: Error };
  return cause?.message ?? message;
};

export function startAlertEvaluator(
  env: Pick<HostEnv, 'SWITCHBOARD_ALERT_EVALUATE_S' | 'embedded'>,
  db: Db,
  services: ApiServices,
  log: (line: string) => void,
): AlertEvaluator | undefined {
  const everyMs = env.SWITCHBOARD_ALERT_EVALUATE_S * 1000;
  if (everyMs <= 0) return undefined;
  const evaluate = (tenantId: string) =>
    env.embedded ? evaluateTenantAlerts(services, tenantId) : withAdvisoryLocks(db, [`alerts:${tenantId}`], () => evaluateTenantAlerts(services, tenantId));

  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  async function run(): Promise<void> {
    try {
      for (const tenantId of await listTenantsWithAlerts(db)) {
        if (stopped) return;
        try {
          const { fired, cleared } = await evaluate(tenantId);
          for (const i of fired) log(`alerts: rule ${i.ruleId} fired for ${i.subject} (tenant ${tenantId})`);
          for (const i of cleared) log(`alerts: rule ${i.ruleId} cleared for ${i.subject} (tenant ${tenantId})`);
        } catch (error) {
          log(`alerts: could not evaluate tenant ${tenantId} (tried again at the next run): ${reason(error)}`);
        }
      }
    } catch (error) {
      log(`alerts: could not list the tenants to evaluate (tried again at the next run): ${reason(error)}`);
    }
  }
  const tick = () => {
    running = run().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(tick, everyMs).unref();
    });
  };
  timer = setTimeout(tick, everyMs).unref();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
