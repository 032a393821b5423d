import { createSharedLoader } from '@switchboard/api';

/**
 * API keys are checked against Postgres at most once a minute each (a revoked key stops
 * working within a minute), off the ingest hot path; concurrent requests with one key share
 * one check. An unknown key is remembered as such, so a sender retrying with a wrong key does
 * not reach Postgres every time; a failed check is not. At most 10,000 keys are kept; `clear`
 * forgets them all, for a change this process made (a tenant disabled) to apply at once.
 */
export function createApiKeyAuthenticator(verify: (key: string) => Promise<{ tenantId: string } | null>) {
  return createSharedLoader(
    async (key) => {
      const found = await verify(key);
      return found ? { tenantId: found.tenantId } : null;
    },
    { ttlMs: 60_000, max: 10_000 },
  );
}
