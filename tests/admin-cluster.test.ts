import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, ensureMember } from '@switchboard/api';
import { createDb, schema, seedTenant, type DbHandle } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { callApi, cookieOf, signIn } from './support/api-client.ts';
import { tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

/**
 * Two host processes sharing one PostgreSQL, as web processes of a cluster do: an
 * administrator demotes and deactivates a person through one; the other refuses them within
 * the stated bound (30 s; its caches hold a membership 5 s and a verified cookie 5 s).
 */

const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
if (!databaseUrl && (process.env.CI === 'true' || process.env.CI === '1')) {
  throw new Error('CI is set but TEST_DATABASE_URL is not: scripts/test.sh starts PostgreSQL; run the suite through it.');
}
const BOUND_MS = 30_000;

describe.skipIf(!databaseUrl)('people changes across processes (cluster mode)', () => {
  const secret = randomBytes(32).toString('hex');
  const dirs = [tempDataDir('cluster-a'), tempDataDir('cluster-b')];
  const hosts: SpawnedHost[] = [];
  let db: DbHandle;
  let tenantId: string;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const adminEmail = `admin-${randomUUID().slice(0, 8)}@cluster.test`;
  const personEmail = `sam-${randomUUID().slice(0, 8)}@cluster.test`;
  let personId: string;

  beforeAll(async () => {
    const env = { DATABASE_URL: databaseUrl!, BETTER_AUTH_SECRET: secret, SWITCHBOARD_SEED_DEMO: '0' };
    // One after the other: the second finds the schema migrated.
    for (const dir of dirs) {
      const host = spawnHost(dir, await freePort(), env);
      hosts.push(host);
      await waitReady(host);
    }
    db = await createDb({ databaseUrl });
    const auth = createAuth({ db: db.db, secret, baseURL: hosts[0]!.url, trustedOrigins: [], clientIpHeader: 'x-test-client' });
    tenantId = await seedTenant(db.db, { slug: `cluster-${randomUUID().slice(0, 8)}`, name: 'Cluster tenant', config: demoCenter });
    await ensureMember(auth, db.db, { email: adminEmail, name: 'Ada Admin', password, role: 'admin', tenantId });
    personId = await ensureMember(auth, db.db, {
      email: personEmail,
      name: 'Sam Supervisor',
      password,
      role: 'supervisor',
      tenantId,
      teamKeys: [demoCenter.teams[0]!.id],
    });
  }, 300_000);

  afterAll(async () => {
    if (db) {
      await db.db.delete(schema.tenants).where(eq(schema.tenants.id, tenantId));
      await db.close();
    }
    for (const host of hosts) await stopHost(host);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a demotion made through one process applies in the other within the bound, then a deactivation does', async () => {
    const [a, b] = hosts as [SpawnedHost, SpawnedHost];
    const admin = cookieOf(await signIn(a.url, adminEmail, password));
    const person = cookieOf(await signIn(b.url, personEmail, password));
    const roleOnB = async () => {
      const me = await callApi(b.url, person, 'session.me');
      return me.status === 200 ? (me.data as { role: string }).role : me.status;
    };
    expect(await roleOnB()).toBe('supervisor');

    expect((await callApi(a.url, admin, 'admin.updatePerson', { userId: personId, role: 'planner' })).status).toBe(200);
    await expect.poll(roleOnB, { timeout: BOUND_MS, interval: 500 }).toBe('planner');

    expect((await callApi(a.url, admin, 'admin.deactivate', { userId: personId })).status).toBe(200);
    await expect.poll(roleOnB, { timeout: BOUND_MS, interval: 500 }).toBe(401);
    expect((await signIn(b.url, personEmail, password)).status).toBe(200);
    expect((await callApi(b.url, cookieOf(await signIn(b.url, personEmail, password)), 'session.me')).status).toBe(401);
  });
});
