import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createApiKey, revokeApiKey, verifyApiKey } from './api-keys.ts';
import { getCenterConfig, seedTenant } from './center-config.ts';
import { agents, teams } from './schema.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';
import { getTenantBySlug } from './tenants.ts';

describeEngines('tenant isolation', (ctx) => {
  // Both tenants use the same external ids on purpose: keys are unique per tenant only.
  const seedTwo = async () => {
    const full = buildCenterConfig();
    const small = { ...buildCenterConfig(), timezone: 'Asia/Tokyo', agents: full.agents.slice(1), intents: [], bots: [] };
    const slugA = ctx.slug('a');
    const slugB = ctx.slug('b');
    const a = ctx.cleanUp(await seedTenant(ctx.db, { slug: slugA, name: 'A', config: full }));
    const b = ctx.cleanUp(await seedTenant(ctx.db, { slug: slugB, name: 'B', config: small }));
    return { a, b, slugA, slugB, full, small };
  };

  it('reads back each tenant’s own config and tenant row', async () => {
    const { a, b, slugA, slugB, full, small } = await seedTwo();
    expect(await getCenterConfig(ctx.db, a)).toEqual(full);
    expect(await getCenterConfig(ctx.db, b)).toEqual(small);
    expect((await getTenantBySlug(ctx.db, slugA))?.id).toBe(a);
    expect((await getTenantBySlug(ctx.db, slugB))?.id).toBe(b);
  });

  it('resolves a key to its own tenant and lets no other tenant revoke it', async () => {
    const { a, b } = await seedTwo();
    const keyA = await createApiKey(ctx.db, a, 'ingest');
    const keyB = await createApiKey(ctx.db, b, 'ingest');
    expect(await verifyApiKey(ctx.db, keyA.key)).toEqual({
      tenantId: a,
      keyId: keyA.id,
      scopes: ['ingest'],
      retention: { retentionDays: 400, transcriptRetentionDays: null, rejectionRetentionDays: 30 },
    });
    expect(await verifyApiKey(ctx.db, keyB.key)).toEqual({
      tenantId: b,
      keyId: keyB.id,
      scopes: ['ingest'],
      retention: { retentionDays: 400, transcriptRetentionDays: null, rejectionRetentionDays: 30 },
    });
    expect(await revokeApiKey(ctx.db, b, keyA.id)).toBe(false);
    expect(await verifyApiKey(ctx.db, keyA.key)).not.toBeNull();
  });

  it('refuses a row that points at another tenant’s row', async () => {
    const { a, b } = await seedTwo();
    const [teamOfA] = await ctx.db.select({ id: teams.id }).from(teams).where(eq(teams.tenantId, a));
    if (!teamOfA) throw new Error('tenant A has no team');
    const [agentOfB] = await ctx.db.select().from(agents).where(eq(agents.tenantId, b));
    if (!agentOfB) throw new Error('tenant B has no agent');
    const { id: _id, ...copy } = agentOfB;
    await expect(ctx.db.insert(agents).values({ ...copy, key: 'intruder', teamId: teamOfA.id })).rejects.toMatchObject({
      cause: { constraint: 'agents_team_fk' },
    });
  });
});
