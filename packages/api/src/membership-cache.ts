import { getMembership, type Db, type Membership } from '@switchboard/db';
import { createSharedLoader } from './shared-loader.ts';

/**
 * Memberships change rarely and are read on every request: a role change applies within
 * seconds (a change made through this process, at once: `delete`). Up to 10,000 users signed
 * in at once; past it the least recently seen are read again.
 */
export function createMembershipCache(db: Db) {
  return createSharedLoader<Membership>((userId) => getMembership(db, userId), { ttlMs: 5_000, max: 10_000 });
}
