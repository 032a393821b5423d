import { getMembership, type Db, type Membership } from '@switchboard/db';

const TTL_MS = 5_000;

/** Memberships change rarely and are read on every request: a role change applies within seconds. */
export function createMembershipCache(db: Db) {
  const cache = new Map<string, { at: number; value: Promise<Membership | null> }>();
  return (userId: string): Promise<Membership | null> => {
    const hit = cache.get(userId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    if (cache.size > 10_000) cache.clear();
    const value = getMembership(db, userId);
    cache.set(userId, { at: Date.now(), value });
    value.catch(() => cache.delete(userId));
    return value;
  };
}
