import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { apiKeys, tenants } from './schema.ts';
import { withTenant } from './tenancy.ts';

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

/** Creates a key for the tenant. The returned `key` is shown once; it cannot be recovered. */
export async function createApiKey(db: Db, tenantId: string, name: string): Promise<{ id: string; key: string }> {
  // A prefix collision (about 1 in 10^14 per key) just draws again.
  for (;;) {
    const prefix = randomBase62(PREFIX_LENGTH);
    const secret = randomBase62(SECRET_LENGTH);
    const [row] = await withTenant(db, tenantId, (tx) =>
      tx
        .insert(apiKeys)
        .values({ tenantId, name, prefix, secretHash: hashSecret(secret).toString('hex') })
        .onConflictDoNothing({ target: apiKeys.prefix })
        .returning({ id: apiKeys.id }),
    );
    if (row) return { id: row.id, key: `sbk_${prefix}_${secret}` };
  }
}

/**
 * The tenant a key belongs to, or null for a malformed, unknown, wrong or revoked key, or one
 * of a disabled tenant.
 * Runs outside any tenant: finding the tenant is what it is for.
 */
export async function verifyApiKey(db: Db, key: string): Promise<{ tenantId: string; keyId: string } | null> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const [, prefix = '', secret = ''] = match;
  const [row] = await db
    .select({ id: apiKeys.id, tenantId: apiKeys.tenantId, secretHash: apiKeys.secretHash, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt), isNull(tenants.disabledAt)));
  if (!row || !timingSafeEqual(hashSecret(secret), Buffer.from(row.secretHash, 'hex'))) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiKeys.id, row.id));
  }
  return { tenantId: row.tenantId, keyId: row.id };
}

/** Revokes one of the tenant's keys; false when the tenant has no such active key. */
export async function revokeApiKey(db: Db, tenantId: string, keyId: string): Promise<boolean> {
  const revoked = await withTenant(db, tenantId, (tx) =>
    tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id }),
  );
  return revoked.length > 0;
}
