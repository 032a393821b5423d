import { randomUUID } from 'node:crypto';
import { appRouter, createApiServices, createCallerFactory, ensureMember, type PlanningRunner } from '@switchboard/api';
import type { CenterConfig } from '@switchboard/contracts';
import { createApiKey, getMembership, seedTenant, type Role } from '@switchboard/db';
import { syncScheduleSnapshots } from '@switchboard/workflows';
import type { TestHost } from './host.ts';

const createCaller = createCallerFactory(appRouter);

/**
 * A tenant seeded from a center configuration, with an ingest key, and a tRPC caller per
 * member made here (the real router and stores, no HTTP). `now` fixes the clock of the calls; `planning` is the
 * workflow engine the calls reach (the host's, if it runs one).
 */
export async function seedTenantWithMembers(
  t: TestHost,
  config: CenterConfig,
  members: { role: Role; agentKey?: string; teamKeys?: string[] }[],
  now: () => Date = () => new Date(),
  planning: PlanningRunner | null = t.host.planning?.runner ?? null,
) {
  const db = t.host.db.db;
  const tenantId = await seedTenant(db, { slug: `t-${randomUUID().slice(0, 8)}`, name: 'Test tenant', config });
  const { key: apiKey } = await createApiKey(db, tenantId, 'test');
  // No sharing of live loads: each call reads the stores at the fixed clock.
  const services = createApiServices({
    db,
    telemetry: t.host.telemetry.client,
    now,
    liveMaxAgeMs: 0,
    planning,
    snapshotSchedules: (tenantId) => syncScheduleSnapshots({ db, telemetry: t.host.telemetry.client }, tenantId),
  });
  const callers = [];
  for (const m of members) {
    const userId = await ensureMember(t.host.auth, db, {
      email: `${m.role}-${randomUUID().slice(0, 8)}@test.switchboard.local`,
      name: `Test ${m.role}`,
      password: 'a long enough test password',
      tenantId,
      ...m,
    });
    callers.push(createCaller({ services, viewer: await getMembership(db, userId) }));
  }
  return { tenantId, apiKey, callers };
}
