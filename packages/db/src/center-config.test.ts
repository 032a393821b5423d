import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { getCenterConfig, seedTenant } from './center-config.ts';
import type { Db } from './client.ts';
import { agents, agentSkills, auditLog, bots, intents, queues, skills, teams, tenants } from './schema.ts';
import { withTenant } from './tenancy.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';
import { createTenant, getTenantBySlug } from './tenants.ts';

const tenantTables = { skills, teams, agents, agentSkills, queues, bots, intents };

async function countRows(db: Db, tenantId: string) {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tenantTables)) counts[name] = await db.$count(table, eq(table.tenantId, tenantId));
  return counts;
}

// xmin is the transaction that wrote a row version: unchanged means the row was not rewritten.
async function rowVersions(db: Db, tenantId: string) {
  const versions: Record<string, string[]> = {};
  for (const [name, table] of Object.entries(tenantTables)) {
    const rows = await db
      .select({ version: sql<string>`${table.tenantId}::text || xmin::text` })
      .from(table)
      .where(eq(table.tenantId, tenantId));
    versions[name] = rows.map((r) => r.version).sort();
  }
  return versions;
}

describeEngines('center config', (ctx) => {
  it('round-trips through seedTenant and getCenterConfig', async () => {
    const config = buildCenterConfig();
    const slug = ctx.slug('seed');
    const tenantId = ctx.cleanUp(await seedTenant(ctx.db, { slug, name: 'Seeded', config }));
    expect(await getTenantBySlug(ctx.db, slug)).toMatchObject({ id: tenantId, name: 'Seeded', timezone: 'Europe/Berlin' });
    expect(await getCenterConfig(ctx.db, tenantId)).toEqual(config);
  });

  it('records an audited import in the same transaction, and nothing without audit', async () => {
    const slug = ctx.slug('audited');
    const tenantId = ctx.cleanUp(await seedTenant(ctx.db, { slug, name: 'Audited', config: buildCenterConfig() }));
    await seedTenant(ctx.db, { slug, name: 'Audited', config: buildCenterConfig(), audit: { action: 'center_config.import', userId: null } });
    const rows = await withTenant(ctx.db, tenantId, (tx) => tx.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)));
    expect(rows.map((r) => [r.action, r.objectType, r.objectId, r.userId])).toEqual([['center_config.import', 'center_config', tenantId, null]]);
  });

  it('changes nothing when seeded twice', async () => {
    const config = buildCenterConfig();
    const slug = ctx.slug('twice');
    const tenantId = ctx.cleanUp(await seedTenant(ctx.db, { slug, name: 'Twice', config }));
    const counts = await countRows(ctx.db, tenantId);
    const versions = await rowVersions(ctx.db, tenantId);
    expect(counts).toEqual({ skills: 2, teams: 2, agents: 2, agentSkills: 3, queues: 2, bots: 1, intents: 2 });

    expect(await seedTenant(ctx.db, { slug, name: 'Twice', config })).toBe(tenantId);
    expect(await countRows(ctx.db, tenantId)).toEqual(counts);
    expect(await rowVersions(ctx.db, tenantId)).toEqual(versions);
    expect(await ctx.db.$count(tenants, eq(tenants.slug, slug))).toBe(1);
  });

  it('updates changed values and replaces an agent skill set', async () => {
    const config = buildCenterConfig();
    const slug = ctx.slug('update');
    const tenantId = ctx.cleanUp(await seedTenant(ctx.db, { slug, name: 'Update', config }));
    const [ada, grace] = config.agents;
    if (!ada || !grace) throw new Error('fixture changed');
    const changed = {
      ...config,
      timezone: 'America/New_York',
      agents: [{ ...ada, team_id: 'team-b', skills: [{ skill_id: 'tech', proficiency: 3 }] }, grace],
      queues: config.queues.map((q) => ({ ...q, sl_target: 0.75 })),
      bots: config.bots.map((b) => ({ ...b, channels: ['sms' as const] })),
    };
    await seedTenant(ctx.db, { slug, name: 'Renamed', config: changed });
    expect(await getCenterConfig(ctx.db, tenantId)).toEqual(changed);
    expect((await getTenantBySlug(ctx.db, slug))?.name).toBe('Renamed');
  });

  it('keeps entities a later config leaves out', async () => {
    const config = buildCenterConfig();
    const slug = ctx.slug('keep');
    const tenantId = ctx.cleanUp(await seedTenant(ctx.db, { slug, name: 'Keep', config }));
    await seedTenant(ctx.db, { slug, name: 'Keep', config: { ...config, intents: [] } });
    expect((await getCenterConfig(ctx.db, tenantId))?.intents).toEqual(config.intents);
  });

  it('refuses a config with a dangling reference or a duplicate id, and stores nothing', async () => {
    const config = buildCenterConfig();
    const slug = ctx.slug('invalid');
    const dangling = { ...config, queues: [...config.queues, { ...config.queues[0]!, id: 'x', skill_id: 'missing' }] };
    await expect(seedTenant(ctx.db, { slug, name: 'Invalid', config: dangling })).rejects.toMatchObject({
      issues: [{ path: ['queues', 2, 'skill_id'], message: 'unknown id "missing"' }],
    });
    const duplicate = { ...config, teams: [...config.teams, { id: 'team-a', name: 'Again' }] };
    await expect(seedTenant(ctx.db, { slug, name: 'Invalid', config: duplicate })).rejects.toMatchObject({
      issues: [{ path: ['teams', 2, 'id'], message: 'duplicate id "team-a"' }],
    });
    expect(await getTenantBySlug(ctx.db, slug)).toBeNull();
  });

  it('reads an empty config for a tenant created without one', async () => {
    const tenant = await createTenant(ctx.db, { slug: ctx.slug('empty'), name: 'Empty' });
    ctx.cleanUp(tenant.id);
    expect(await getCenterConfig(ctx.db, tenant.id)).toEqual({
      timezone: 'UTC',
      skills: [],
      teams: [],
      agents: [],
      queues: [],
      bots: [],
      intents: [],
    });
  });

  it('returns null for an unknown tenant', async () => {
    expect(await getCenterConfig(ctx.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
