import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEngines } from '../test/engines.ts';
import type { Db } from './client.ts';
import {
  findPanelToken,
  getDesktopEmbedSettings,
  getDesktopFraming,
  mintEmbedToken,
  purgeExpiredEmbedTokens,
  redeemHandshake,
  setDesktopFrameAncestors,
} from './desktop-embed.ts';
import { auditLog, desktopEmbedTokens, tenants, users } from './schema.ts';
import { createTenant } from './tenants.ts';

// Any use of this fails the test: malformed tokens must be refused before a query.
const unusableDb = new Proxy({} as Db, {
  get() {
    throw new Error('the database was queried');
  },
});

it.each(['', 'sbe_', 'sbp_short', `sbk_${'a'.repeat(43)}`, ` sbe_${'a'.repeat(43)}`, `sbe_${'a'.repeat(42)}!`])(
  'refuses the malformed token %j without a query',
  async (token) => {
    expect(await redeemHandshake(unusableDb, token)).toBeNull();
    expect(await findPanelToken(unusableDb, token)).toBeNull();
  },
);

describeEngines('desktop embed tokens', (ctx) => {
  const member = async () => {
    const tenantId = ctx.cleanUp((await createTenant(ctx.db, { slug: ctx.slug('embed'), name: 'Embed' })).id);
    const userId = randomUUID();
    await ctx.db.insert(users).values({ id: userId, name: 'Agent', email: `${userId}@embed.test` });
    return { tenantId, userId };
  };

  it('redeems a handshake once, stores only a hash, and refuses a panel token in its place', async () => {
    const who = await member();
    const { token } = await mintEmbedToken(ctx.db, { ...who, kind: 'handshake', ttlMs: 60_000 });
    expect(token).toMatch(/^sbe_[A-Za-z0-9_-]{43}$/);
    const [row] = await ctx.db.select().from(desktopEmbedTokens).where(eq(desktopEmbedTokens.tenantId, who.tenantId));
    expect(row?.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(await findPanelToken(ctx.db, token)).toBeNull();
    const redeemed = await Promise.all([redeemHandshake(ctx.db, token), redeemHandshake(ctx.db, token)]);
    expect(redeemed.filter((r) => r !== null)).toEqual([who]);
    expect(await redeemHandshake(ctx.db, token)).toBeNull();
  });

  it('refuses an expired handshake, a handshake as a panel token, and an expired panel token', async () => {
    const who = await member();
    const stale = await mintEmbedToken(ctx.db, { ...who, kind: 'handshake', ttlMs: -1_000 });
    expect(await redeemHandshake(ctx.db, stale.token)).toBeNull();
    const panel = await mintEmbedToken(ctx.db, { ...who, kind: 'panel', ttlMs: 3_600_000 });
    expect(panel.token).toMatch(/^sbp_/);
    expect(await redeemHandshake(ctx.db, panel.token)).toBeNull();
    expect(await findPanelToken(ctx.db, panel.token)).toEqual({ ...who, expiresAt: panel.expiresAt });
    const stalePanel = await mintEmbedToken(ctx.db, { ...who, kind: 'panel', ttlMs: -1_000 });
    expect(await findPanelToken(ctx.db, stalePanel.token)).toBeNull();
  });

  it('purges expired tokens only', async () => {
    const who = await member();
    await mintEmbedToken(ctx.db, { ...who, kind: 'handshake', ttlMs: -1_000 });
    const live = await mintEmbedToken(ctx.db, { ...who, kind: 'panel', ttlMs: 3_600_000 });
    expect(await purgeExpiredEmbedTokens(ctx.db)).toBeGreaterThanOrEqual(1);
    const left = await ctx.db.select({ kind: desktopEmbedTokens.kind }).from(desktopEmbedTokens).where(eq(desktopEmbedTokens.tenantId, who.tenantId));
    expect(left).toEqual([{ kind: 'panel' }]);
    expect(await findPanelToken(ctx.db, live.token)).not.toBeNull();
  });

  it('keeps the framing allowlist per tenant, audited, and forgets a disabled tenant', async () => {
    const a = await member();
    const b = await member();
    await setDesktopFrameAncestors(ctx.db, a.tenantId, a.userId, ['https://crm.example.com']);
    const slugA = (await getDesktopEmbedSettings(ctx.db, a.tenantId)).slug;
    const slugB = (await getDesktopEmbedSettings(ctx.db, b.tenantId)).slug;
    expect(await getDesktopFraming(ctx.db, slugA)).toEqual({ tenantId: a.tenantId, frameAncestors: ['https://crm.example.com'] });
    expect(await getDesktopFraming(ctx.db, slugB)).toEqual({ tenantId: b.tenantId, frameAncestors: [] });
    expect(await getDesktopFraming(ctx.db, 'no-such-tenant')).toBeNull();
    const trail = await ctx.db.select({ action: auditLog.action, userId: auditLog.userId }).from(auditLog).where(eq(auditLog.tenantId, a.tenantId));
    expect(trail).toContainEqual({ action: 'desktop_embed.set', userId: a.userId });
    await ctx.db.update(tenants).set({ disabledAt: new Date() }).where(eq(tenants.id, a.tenantId));
    expect(await getDesktopFraming(ctx.db, slugA)).toBeNull();
  });
});
