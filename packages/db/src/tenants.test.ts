import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { getMembership, setMembership } from './access.ts';
import { createApiKey, verifyApiKey } from './api-keys.ts';
import { getForecastSettings } from './forecast-detection.ts';
import { auditLog, users } from './schema.ts';
import { withTenant } from './tenancy.ts';
import { listTenants, provisionTenant, setTenantDisabled, userExists } from './tenants.ts';
import { describeEngines } from '../test/engines.ts';

describeEngines('tenant provisioning', (ctx) => {
  const provision = async (slug: string, holidayRegion: string | null = null) => {
    const tenant = await provisionTenant(ctx.db, { slug, name: 'Provisioned', timezone: 'Asia/Jerusalem', weekStart: 0, holidayRegion });
    if (tenant) ctx.cleanUp(tenant.id);
    return tenant;
  };
  const addUser = async (email: string) => {
    const id = randomUUID();
    await ctx.db.insert(users).values({ id, name: 'Person', email });
    return id;
  };

  it('creates a tenant with its week start and holiday region, audited as an operator act; a taken slug gives null', async () => {
    const slug = ctx.slug('provision');
    const tenant = await provision(slug, 'IL');
    expect(tenant).toMatchObject({ slug, timezone: 'Asia/Jerusalem', weekStart: 0, disabledAt: null });
    expect(await getForecastSettings(ctx.db, tenant!.id)).toMatchObject({ holidayRegion: 'IL', saved: true });
    const audit = await withTenant(ctx.db, tenant!.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.tenantId, tenant!.id)));
    expect(audit.map((a) => [a.action, a.objectId, a.userId])).toEqual([['tenant.create', tenant!.id, null]]);
    expect(await provision(slug)).toBeNull();
    expect((await provision(ctx.slug('no-holidays')))?.id).toBeDefined();
  });

  it('lists tenants with their people and live keys counted', async () => {
    const tenant = (await provision(ctx.slug('listed')))!;
    const userId = await addUser(`${randomUUID()}@listed.test`);
    await setMembership(ctx.db, { userId, tenantId: tenant.id, role: 'admin' });
    await createApiKey(ctx.db, tenant.id, 'one');
    await createApiKey(ctx.db, tenant.id, 'two');
    const row = (await listTenants(ctx.db)).find((t) => t.id === tenant.id);
    expect(row).toMatchObject({ slug: tenant.slug, weekStart: 0, members: 1, activeKeys: 2, disabledAt: null });
  });

  it('a disabled tenant has no working keys and no members until enabled again; each change is audited once', async () => {
    const tenant = (await provision(ctx.slug('disabled')))!;
    const userId = await addUser(`${randomUUID()}@disabled.test`);
    await setMembership(ctx.db, { userId, tenantId: tenant.id, role: 'supervisor' });
    const { key } = await createApiKey(ctx.db, tenant.id, 'ingest');
    expect(await setTenantDisabled(ctx.db, tenant.id, true)).toBe(true);
    expect(await setTenantDisabled(ctx.db, tenant.id, true)).toBe(false);
    expect(await verifyApiKey(ctx.db, key)).toBeNull();
    expect(await getMembership(ctx.db, userId)).toBeNull();
    expect(await setTenantDisabled(ctx.db, tenant.id, false)).toBe(true);
    expect((await verifyApiKey(ctx.db, key))?.tenantId).toBe(tenant.id);
    expect((await getMembership(ctx.db, userId))?.role).toBe('supervisor');
    const audit = await withTenant(ctx.db, tenant.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(['api_key.create', 'tenant.create', 'tenant.disable', 'tenant.enable']);
    expect(await setTenantDisabled(ctx.db, randomUUID(), true)).toBe(false);
  });

  it('finds an account by e-mail whatever its case', async () => {
    const email = `${randomUUID()}@Case.test`;
    await addUser(email);
    expect(await userExists(ctx.db, email.toUpperCase())).toBe(true);
    expect(await userExists(ctx.db, `x${email}`)).toBe(false);
  });
});
