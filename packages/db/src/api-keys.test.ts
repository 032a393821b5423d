import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createApiKey, revokeApiKey, verifyApiKey } from './api-keys.ts';
import type { Db } from './client.ts';
import { apiKeys, tenants } from './schema.ts';
import { describeEngines } from '../test/engines.ts';
import { createTenant } from './tenants.ts';

// Any use of this fails the test: malformed keys must be refused before a query.
const unusableDb = new Proxy({} as Db, {
  get() {
    throw new Error('the database was queried');
  },
});

it.each([
  '',
  'sbk_',
  'not-a-key',
  'sbk_abcdefgh',
  'sbk_abcdefgh_',
  'sbk_abcdefg_0123456789012345678901234567890123456789012',
  'sbk_abcdefgh_012345678901234567890123456789012345678901',
  'sbk_abcdefgh_01234567890123456789012345678901234567890123',
  'sbk_abcdefgh_012345678901234567890123456789012345678901-',
  'xyz_abcdefgh_0123456789012345678901234567890123456789012',
  ' sbk_abcdefgh_0123456789012345678901234567890123456789012',
])('refuses the malformed key %j without a query', async (key) => {
  expect(await verifyApiKey(unusableDb, key)).toBeNull();
});

describeEngines('api keys', (ctx) => {
  const newTenant = async () => ctx.cleanUp((await createTenant(ctx.db, { slug: ctx.slug('keys'), name: 'Keys' })).id);

  it('verifies a new key and records its use', async () => {
    const tenantId = await newTenant();
    const { id, key } = await createApiKey(ctx.db, tenantId, 'ingest');
    expect(key).toMatch(/^sbk_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}$/);
    expect(await verifyApiKey(ctx.db, key)).toEqual({
      tenantId,
      keyId: id,
      scopes: ['ingest'],
      retention: { retentionDays: 400, transcriptRetentionDays: null, rejectionRetentionDays: 30 },
    });
    const [row] = await ctx.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("answers the tenant's retention with the tenant, for ingest to write into its rows", async () => {
    const tenantId = await newTenant();
    const { key } = await createApiKey(ctx.db, tenantId, 'ingest');
    await ctx.db.update(tenants).set({ retentionDays: 90, transcriptRetentionDays: 30, rejectionRetentionDays: 7 }).where(eq(tenants.id, tenantId));
    expect((await verifyApiKey(ctx.db, key))?.retention).toEqual({ retentionDays: 90, transcriptRetentionDays: 30, rejectionRetentionDays: 7 });
  });

  it('stores only the prefix and a sha256 of the secret', async () => {
    const tenantId = await newTenant();
    const { id, key } = await createApiKey(ctx.db, tenantId, 'ingest');
    const [, prefix = '', secret = ''] = key.split('_');
    const [row] = await ctx.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row).toMatchObject({ tenantId, name: 'ingest', prefix, revokedAt: null });
    expect(row?.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(secret);
  });

  it('refuses a wrong secret and an unknown prefix', async () => {
    const tenantId = await newTenant();
    const { key } = await createApiKey(ctx.db, tenantId, 'ingest');
    const last = key.at(-1) === 'a' ? 'b' : 'a';
    expect(await verifyApiKey(ctx.db, key.slice(0, -1) + last)).toBeNull();
    const { key: other } = await createApiKey(ctx.db, tenantId, 'other');
    expect(await verifyApiKey(ctx.db, `${key.slice(0, 13)}${other.slice(13)}`)).toBeNull();
    expect(await verifyApiKey(ctx.db, `sbk_00000000_${key.slice(13)}`)).toBeNull();
  });

  it('refuses a revoked key and revokes only once', async () => {
    const tenantId = await newTenant();
    const { id, key } = await createApiKey(ctx.db, tenantId, 'ingest');
    const { key: kept } = await createApiKey(ctx.db, tenantId, 'kept');
    expect(await revokeApiKey(ctx.db, tenantId, id)).toBe(true);
    expect(await verifyApiKey(ctx.db, key)).toBeNull();
    expect(await revokeApiKey(ctx.db, tenantId, id)).toBe(false);
    expect(await verifyApiKey(ctx.db, kept)).not.toBeNull();
  });
});
