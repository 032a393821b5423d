import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { listAudit, purgeExpiredAudit, recordAudit } from './audit.ts';
import { auditLog, tenants, users } from './schema.ts';
import { withTenant } from './tenancy.ts';
import { createTenant } from './tenants.ts';
import { describeEngines } from '../test/engines.ts';

describeEngines('audit trail', (ctx) => {
  const day = 86_400_000;

  it('lists a tenant’s entries newest first, filtered and paged, with who acted; never another tenant’s', async () => {
    const a = ctx.cleanUp((await createTenant(ctx.db, { slug: ctx.slug('audit-a'), name: 'A' })).id);
    const b = ctx.cleanUp((await createTenant(ctx.db, { slug: ctx.slug('audit-b'), name: 'B' })).id);
    const userId = randomUUID();
    await ctx.db.insert(users).values({ id: userId, name: 'Ada Admin', email: `${userId}@audit.test` });
    for (const [action, objectType] of [
      ['api_key.create', 'api_key'],
      ['api_key.revoke', 'api_key'],
      ['person.invite', 'user'],
      ['read_transcript', 'interaction'],
    ] as const)
      await recordAudit(ctx.db, { tenantId: a, userId, action, objectType, objectId: `${action}-1` });
    await recordAudit(ctx.db, { tenantId: b, userId, action: 'api_key.create', objectType: 'api_key', objectId: 'b-1' });
    const window = { from: new Date(Date.now() - day), to: new Date(Date.now() + day), limit: 50 };

    const all = await listAudit(ctx.db, a, window);
    expect(all.map((e) => e.action)).toEqual(['read_transcript', 'person.invite', 'api_key.revoke', 'api_key.create']);
    expect(all[0]).toMatchObject({ userId, userName: 'Ada Admin', objectType: 'interaction', objectId: 'read_transcript-1' });
    expect((await listAudit(ctx.db, a, { ...window, action: 'api_key.' })).map((e) => e.action)).toEqual(['api_key.revoke', 'api_key.create']);
    expect((await listAudit(ctx.db, a, { ...window, action: 'api%' })).length).toBe(0);
    expect((await listAudit(ctx.db, a, { ...window, objectType: 'user' })).map((e) => e.action)).toEqual(['person.invite']);
    const first = await listAudit(ctx.db, a, { ...window, limit: 3 });
    const rest = await listAudit(ctx.db, a, { ...window, limit: 3, before: { at: first[2]!.at, id: first[2]!.id } });
    expect([...first, ...rest].map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect((await listAudit(ctx.db, b, window)).map((e) => e.objectId)).toEqual(['b-1']);
  });

  it('purges entries past each tenant’s retention, and only those', async () => {
    const short = ctx.cleanUp((await createTenant(ctx.db, { slug: ctx.slug('audit-short'), name: 'Short' })).id);
    const long = ctx.cleanUp((await createTenant(ctx.db, { slug: ctx.slug('audit-long'), name: 'Long' })).id);
    await ctx.db.update(tenants).set({ auditRetentionDays: 30 }).where(eq(tenants.id, short));
    // The owner may backdate; the application's role can only append (row-security.test.ts).
    for (const tenantId of [short, long]) {
      await ctx.db.insert(auditLog).values([
        { tenantId, userId: null, action: 'old', objectType: 'x', objectId: '1', at: new Date(Date.now() - 40 * day) },
        { tenantId, userId: null, action: 'new', objectType: 'x', objectId: '2', at: new Date(Date.now() - 10 * day) },
      ]);
    }
    expect(await purgeExpiredAudit(ctx.db)).toBeGreaterThanOrEqual(1);
    const left = async (tenantId: string) =>
      (await withTenant(ctx.db, tenantId, (tx) => tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.tenantId, tenantId))))
        .map((r) => r.action)
        .sort();
    expect(await left(short)).toEqual(['new']);
    expect(await left(long)).toEqual(['new', 'old']);
  });
});
