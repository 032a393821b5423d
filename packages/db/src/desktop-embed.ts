import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { agents, desktopEmbedTokens, memberships, tenants } from './schema.ts';
import { enterTenant, withTenant } from './tenancy.ts';

/**
 * Credentials of the desktop panel embedded in another web app (docs/desktop.md, Embedding). Tokens are 256 random
 * bits, base64url, behind a kind prefix (`sbe_` handshake, `sbp_` panel) so a leaked one is recognisable in a scan;
 * only their sha256 is stored.
 */
type EmbedTokenKind = 'handshake' | 'panel';
const PREFIX: Record<EmbedTokenKind, string> = { handshake: 'sbe_', panel: 'sbp_' };
const TOKEN_PATTERN = /^sb[ep]_[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Whether `value` has the shape of an embed token of this kind (checked before any query). */
function isEmbedToken(value: string, kind: EmbedTokenKind): boolean {
  return TOKEN_PATTERN.test(value) && value.startsWith(PREFIX[kind]);
}

/** The tenant a slug names, with the origins allowed to frame its panel; null when unknown or disabled. */
export async function getDesktopFraming(db: Db, slug: string): Promise<{ tenantId: string; frameAncestors: string[] } | null> {
  const [row] = await db
    .select({ tenantId: tenants.id, frameAncestors: tenants.desktopFrameAncestors })
    .from(tenants)
    .where(and(eq(tenants.slug, slug), isNull(tenants.disabledAt)));
  return row ?? null;
}

/** The tenant's embedding settings as the admin screen shows them. */
export async function getDesktopEmbedSettings(db: Db, tenantId: string): Promise<{ slug: string; frameAncestors: string[] }> {
  const [row] = await db.select({ slug: tenants.slug, frameAncestors: tenants.desktopFrameAncestors }).from(tenants).where(eq(tenants.id, tenantId));
  if (!row) throw new Error(`tenant ${tenantId} does not exist`);
  return row;
}

/** Replaces the origins allowed to frame the tenant's desktop panel; audited. */
export async function setDesktopFrameAncestors(db: Db, tenantId: string, actorId: string | null, origins: readonly string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(tenants)
      .set({ desktopFrameAncestors: [...origins] })
      .where(eq(tenants.id, tenantId));
    await enterTenant(tx, tenantId);
    await audit(tx, tenantId, actorId, 'desktop_embed.set', 'tenant', tenantId);
  });
}

/** The active agent member (their user id) who is the agent with this telemetry key, or null. */
export async function findAgentMember(db: Db, tenantId: string, agentKey: string): Promise<string | null> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(agents, and(eq(agents.tenantId, memberships.tenantId), eq(agents.id, memberships.agentId)))
      .where(and(eq(memberships.tenantId, tenantId), eq(agents.key, agentKey), eq(memberships.role, 'agent'), isNull(memberships.deactivatedAt))),
  );
  return row?.userId ?? null;
}

/** Mints a token of `kind` for a member, valid for `ttlMs`. The token itself is returned once and never stored. */
export async function mintEmbedToken(
  db: Db,
  input: { tenantId: string; userId: string; kind: EmbedTokenKind; ttlMs: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = PREFIX[input.kind] + randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + input.ttlMs);
  await withTenant(db, input.tenantId, (tx) =>
    tx.insert(desktopEmbedTokens).values({ tenantId: input.tenantId, userId: input.userId, kind: input.kind, tokenHash: hashToken(token), expiresAt }),
  );
  return { token, expiresAt };
}

/**
 * Redeems a handshake token: the first call within its minute gets its tenant and member, every later call (a
 * replayed URL) null. One conditional update, so two concurrent redemptions cannot both succeed.
 */
export async function redeemHandshake(db: Db, token: string): Promise<{ tenantId: string; userId: string } | null> {
  if (!isEmbedToken(token, 'handshake')) return null;
  const [row] = await db
    .update(desktopEmbedTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(desktopEmbedTokens.tokenHash, hashToken(token)),
        eq(desktopEmbedTokens.kind, 'handshake'),
        isNull(desktopEmbedTokens.usedAt),
        gt(desktopEmbedTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ tenantId: desktopEmbedTokens.tenantId, userId: desktopEmbedTokens.userId });
  return row ?? null;
}

/** The member a panel token stands for while it is unexpired, or null (a deactivated member is refused by their membership). */
export async function findPanelToken(db: Db, token: string): Promise<{ tenantId: string; userId: string; expiresAt: Date } | null> {
  if (!isEmbedToken(token, 'panel')) return null;
  const [row] = await db
    .select({ tenantId: desktopEmbedTokens.tenantId, userId: desktopEmbedTokens.userId, expiresAt: desktopEmbedTokens.expiresAt })
    .from(desktopEmbedTokens)
    .where(and(eq(desktopEmbedTokens.tokenHash, hashToken(token)), eq(desktopEmbedTokens.kind, 'panel'), gt(desktopEmbedTokens.expiresAt, sql`now()`)));
  return row ?? null;
}

/** Deletes expired tokens (the host's hourly purge); they can no longer be used, so nothing is lost. */
export async function purgeExpiredEmbedTokens(db: Db): Promise<number> {
  const rows = await db
    .delete(desktopEmbedTokens)
    .where(lt(desktopEmbedTokens.expiresAt, sql`now()`))
    .returning({ id: desktopEmbedTokens.id });
  return rows.length;
}
