import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { apiKeys, tenants } from './schema.ts';
import { withTenant, type Tx } from './tenancy.ts';

/**
 * Tenant API keys look like `sbk_<prefix>_<secret>`: the prefix is public and finds the
 * row, the secret is 256 random bits of which only a sha256 is stored. A slow password
 * hash buys nothing for a secret that cannot be guessed, and would slow every request.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX_LENGTH = 8;
// 43 base62 characters carry 256 bits.
const SECRET_LENGTH = 43;
const KEY_PATTERN = new RegExp(`^sbk_([0-9A-Za-z]{${PREFIX_LENGTH}})_([0-9A-Za-z]{${SECRET_LENGTH}})$`);

// A last-use time to the minute is enough, and spares a write on nearly every request.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Base62 (no `_` or `-`), so a double-click selects the whole key. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 × 62: dropping higher bytes keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** What a key may be used for: `ingest` (sending events), `schedule:read` (reading published schedules), `desktop:embed` (opening agents' desktop panels inside another web app). */
export const apiKeyScopes = ['ingest', 'schedule:read', 'desktop:embed'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

async function insertKey(tx: Tx, tenantId: string, values: { name: string; scopes: readonly string[]; createdBy: string | null }) {
  // A prefix collision (about 1 in 10^14 per key) just draws again.
  for (;;) {
    const prefix = randomBase62(PREFIX_LENGTH);
    const secret = randomBase62(SECRET_LENGTH);
    const [row] = await tx
      .insert(apiKeys)
      .values({ tenantId, ...values, scopes: [...values.scopes], prefix, secretHash: hashSecret(secret).toString('hex') })
      .onConflictDoNothing({ target: apiKeys.prefix })
      .returning({ id: apiKeys.id });
    if (row) return { id: row.id, key: `sbk_${prefix}_${secret}` };
  }
}

/**
 * Creates a key for the tenant, audited (by `createdBy`, or as an operator's act). The
 * returned `key` is shown once; it cannot be recovered.
 */
export async function createApiKey(
  db: Db,
  tenantId: string,
  name: string,
  options: { scopes?: readonly ApiKeyScope[]; createdBy?: string } = {},
): Promise<{ id: string; key: string }> {
  const createdBy = options.createdBy ?? null;
  return withTenant(db, tenantId, async (tx) => {
    const created = await insertKey(tx, tenantId, { name, scopes: options.scopes ?? ['ingest'], createdBy });
    await audit(tx, tenantId, createdBy, 'api_key.create', 'api_key', created.id);
    return created;
  });
}

/**
 * Replaces a key with a new one of the same name and scopes; the old one keeps working for
 * `overlapMs` so senders can switch over. Null when there is no such live key.
 */
export async function rotateApiKey(db: Db, tenantId: string, actorId: string, keyId: string, overlapMs: number): Promise<{ id: string; key: string } | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [old] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), live()))
      .for('update');
    if (!old) return null;
    const created = await insertKey(tx, tenantId, { name: old.name, scopes: old.scopes, createdBy: actorId });
    const until = new Date(Date.now() + overlapMs);
    await tx
      .update(apiKeys)
      .set({ expiresAt: old.expiresAt && old.expiresAt < until ? old.expiresAt : until })
      .where(eq(apiKeys.id, old.id));
    await audit(tx, tenantId, actorId, 'api_key.rotate', 'api_key', old.id);
    return created;
  });
}

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** The tenant's keys, newest first: never their secrets. */
export function listApiKeys(db: Db, tenantId: string): Promise<ApiKeyRow[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        scopes: apiKeys.scopes,
        createdAt: apiKeys.createdAt,
        createdBy: apiKeys.createdBy,
        lastUsedAt: apiKeys.lastUsedAt,
        expiresAt: apiKeys.expiresAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.tenantId, tenantId))
      .orderBy(desc(apiKeys.createdAt)),
  );
}

/** Not revoked and, if rotated, still within its overlap. */
const live = () => and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)));

/**
 * The tenant, its retention settings (ingest writes them into every row, for the TTLs) and
 * the scopes of a key, or null for a malformed, unknown, wrong, revoked or expired
 * (rotated) key, or one of a disabled tenant.
 * Runs outside any tenant: finding the tenant is what it is for.
 */
export async function verifyApiKey(
  db: Db,
  key: string,
): Promise<{
  tenantId: string;
  keyId: string;
  scopes: string[];
  retention: { retentionDays: number; transcriptRetentionDays: number | null; rejectionRetentionDays: number };
} | null> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const [, prefix = '', secret = ''] = match;
  const [row] = await db
    .select({
      id: apiKeys.id,
      tenantId: apiKeys.tenantId,
      secretHash: apiKeys.secretHash,
      lastUsedAt: apiKeys.lastUsedAt,
      scopes: apiKeys.scopes,
      retentionDays: tenants.retentionDays,
      transcriptRetentionDays: tenants.transcriptRetentionDays,
      rejectionRetentionDays: tenants.rejectionRetentionDays,
    })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.prefix, prefix), live(), isNull(tenants.disabledAt)));
  if (!row || !timingSafeEqual(hashSecret(secret), Buffer.from(row.secretHash, 'hex'))) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiKeys.id, row.id));
  }
  const retention = {
    retentionDays: row.retentionDays,
    transcriptRetentionDays: row.transcriptRetentionDays,
    rejectionRetentionDays: row.rejectionRetentionDays,
  };
  return { tenantId: row.tenantId, keyId: row.id, scopes: row.scopes, retention };
}

/** Revokes one of the tenant's keys, audited; false when the tenant has no such key not revoked yet. */
export async function revokeApiKey(db: Db, tenantId: string, keyId: string, actorId: string | null = null): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const revoked = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (revoked.length > 0) await audit(tx, tenantId, actorId, 'api_key.revoke', 'api_key', keyId);
    return revoked.length > 0;
  });
}
