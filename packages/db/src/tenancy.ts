import { sql } from 'drizzle-orm';
import type { PgTransactionConfig } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';

/** The transaction a function runs in; it has the whole Db API. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Switches the current transaction to one tenant: from here to its end, statements run as
 * `switchboard_app` and row-level security shows and accepts only that tenant's rows
 * (schema.ts). Both settings are transaction-local, so a pooled connection goes back to
 * the pool as it came.
 */
export async function enterTenant(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select set_config('switchboard.tenant_id', ${tenantId}, true)`);
  await tx.execute(sql`set local role switchboard_app`);
}

/**
 * Runs `work` in a transaction confined to one tenant. Every repository function that acts
 * for a tenant goes through here; only the lookups that find the tenant in the first place
 * (an API key by its prefix, a user's membership) and provisioning run outside it.
 */
export function withTenant<T>(db: Db, tenantId: string, work: (tx: Tx) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
  return db.transaction(async (tx) => {
    await enterTenant(tx, tenantId);
    return work(tx);
  }, config);
}
