import { createSharedLoader } from '@switchboard/api';
import type { AuthenticatedTenant } from '@switchboard/ingest';
import { tenantRetention, type RetentionSettings } from '@switchboard/telemetry';

/**
 * API keys are checked against Postgres at most once a minute each (a revoked key stops
 * working within a minute), off the ingest hot path; concurrent requests with one key share
 * one check. An unknown key is remembered as such, so a sender retrying with a wrong key does
 * not reach Postgres every time; a failed check is not. At most 10,000 keys are kept; `clear`
 * forgets them all, for a change this process made (a tenant disabled) to apply at once.
 * With the tenant come its retention settings (`tenants.*retention_days`), which ingest writes into
 * every row for the TTLs: a change reaches new rows within the same minute.
 */
export function createApiKeyAuthenticator(verify: (key: string) => Promise<{ tenantId: string; retention?: RetentionSettings } | null>) {
  return createSharedLoader(
    async (key): Promise<AuthenticatedTenant | null> => {
      const found = await verify(key);
      if (!found) return null;
      return found.retention === undefined ? { tenantId: found.tenantId } : { tenantId: found.tenantId, retention: tenantRetention(found.retention) };
    },
    { ttlMs: 60_000, max: 10_000 },
  );
}
