import { createHmac } from 'node:crypto';
import type { BetterAuthPlugin, DBAdapter } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { getMemberStanding, recordAudit, type Db } from '@switchboard/db';

/**
 * Failed sign-ins of one account, counted whatever address they come from (the per-address
 * limit does not stop guessing spread over many addresses): `failures` within `windowS` of the
 * first lock the account for `lockS`; a success, or a new password, ends it.
 */
export interface AccountLockout {
  failures: number;
  windowS: number;
  lockS: number;
}

export const ACCOUNT_LOCKOUT: AccountLockout = { failures: 10, windowS: 15 * 60, lockS: 15 * 60 };

const SIGN_IN = '/sign-in/email';
const MODEL = 'rateLimit';

/**
 * The counts live in better-auth's rate_limits table (shared by every process) under keys of
 * their own. There, `lastRequest` holds when the row lapses (the window's or the lock's end):
 * better-auth prunes rows whose `lastRequest` is older than its own longest window, which then
 * removes ours only once they no longer count.
 */
interface Row {
  count: number;
  lastRequest: number;
}

/** A keyed hash, so the table holds no e-mail address, nor one a list of addresses could be matched against. */
function accountKey(secret: string, email: string): string {
  return `account:${createHmac('sha256', secret).update(email.toLowerCase()).digest('hex')}`;
}

function emailOf(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email : null;
}

async function findRow(adapter: DBAdapter, key: string): Promise<Row | null> {
  const row = await adapter.findOne<Row>({ model: MODEL, where: [{ field: 'key', value: key }] });
  return row && { count: row.count, lastRequest: Number(row.lastRequest) };
}

/**
 * Counts this attempt before its password is checked, so parallel guesses cannot overshoot the
 * limit (a success deletes the count). Returns null when the attempt may go on, or the locked
 * row. Each write is guarded by the row read, retried when another process won the race.
 */
async function countAttempt(adapter: DBAdapter, key: string, policy: AccountLockout): Promise<Row | null> {
  for (let tries = 0; tries < 10; tries++) {
    const now = Date.now();
    const row = await findRow(adapter, key);
    const lapses = (count: number) => now + 1000 * (count >= policy.failures ? policy.lockS : policy.windowS);
    if (row === null) {
      try {
        await adapter.create({ model: MODEL, data: { key, count: 1, lastRequest: lapses(1) } });
        return null;
      } catch (error) {
        // Another attempt created the row first: count on it. Anything else is a real failure.
        if ((await findRow(adapter, key)) === null) throw error;
        continue;
      }
    }
    if (row.lastRequest > now && row.count >= policy.failures) return row;
    const count = row.lastRequest > now ? row.count + 1 : 1;
    const updated = await adapter.incrementOne({
      model: MODEL,
      where: [
        { field: 'key', value: key },
        { field: 'count', value: row.count },
        { field: 'lastRequest', value: row.lastRequest },
      ],
      increment: {},
      set: { count, lastRequest: count === 1 || count >= policy.failures ? lapses(count) : row.lastRequest },
    });
    if (updated) return null;
  }
  throw new APIError('TOO_MANY_REQUESTS', { message: 'too many sign-ins for this account at once; try again in a moment' }, { 'Retry-After': '1' });
}

/**
 * better-auth plugin: refuses sign-in to a locked account with 429, Retry-After and a sentence
 * saying what to do; records sign-ins, failures and the start of a lock-out in the audit log of the account's tenant.
 */
export function accountLockout(db: Db, policy: AccountLockout) {
  return {
    id: 'account-lockout',
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === SIGN_IN,
          handler: createAuthMiddleware(async (ctx) => {
            const email = emailOf(ctx.body);
            if (email === null) return; // the endpoint's own validation answers
            const key = accountKey(ctx.context.secret, email);
            let locked = await countAttempt(ctx.context.adapter, key, policy);
            if (locked && (await passwordChangedSince(ctx.context.internalAdapter, email, locked.lastRequest - 1000 * policy.lockS))) {
              // "Ask an administrator to reset your password": the new password ends the lock.
              await ctx.context.adapter.deleteMany({ model: MODEL, where: [{ field: 'key', value: key }] });
              locked = await countAttempt(ctx.context.adapter, key, policy);
            }
            if (locked) {
              const seconds = Math.max(1, Math.ceil((locked.lastRequest - Date.now()) / 1000));
              const minutes = Math.ceil(seconds / 60);
              throw new APIError(
                'TOO_MANY_REQUESTS',
                {
                  code: 'ACCOUNT_LOCKED',
                  message: `too many failed sign-ins for this account; try again in ${minutes} minute${minutes === 1 ? '' : 's'} or ask an administrator to reset your password`,
                },
                { 'Retry-After': String(seconds) },
              );
            }
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === SIGN_IN,
          handler: createAuthMiddleware(async (ctx) => {
            const email = emailOf(ctx.body);
            if (email === null) return;
            const key = accountKey(ctx.context.secret, email);
            if (!isAPIError(ctx.context.returned)) {
              await ctx.context.adapter.deleteMany({ model: MODEL, where: [{ field: 'key', value: key }] });
              await auditSignIn(db, ctx.context.internalAdapter, email, 'sign_in.password');
              return;
            }
            await auditSignIn(db, ctx.context.internalAdapter, email, 'sign_in.failed');
            // The one failure that finds the count at the limit moves it past, so a lock-out is recorded once.
            const started = await ctx.context.adapter.incrementOne({
              model: MODEL,
              where: [
                { field: 'key', value: key },
                { field: 'count', value: policy.failures },
              ],
              increment: { count: 1 },
            });
            if (started) await auditSignIn(db, ctx.context.internalAdapter, email, 'sign_in.locked');
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}

/** What is used here of better-auth's internal adapter. */
interface Users {
  findUserByEmail(
    email: string,
    options?: { includeAccounts: boolean },
  ): Promise<{ user: { id: string }; accounts: { providerId: string; updatedAt: Date }[] } | null>;
}

async function passwordChangedSince(users: Users, email: string, since: number): Promise<boolean> {
  const found = await users.findUserByEmail(email.toLowerCase(), { includeAccounts: true });
  const credential = found?.accounts.find((a) => a.providerId === 'credential');
  return credential !== undefined && credential.updatedAt.getTime() > since;
}

/**
 * Sign-ins, failures and lock-outs in the audit log of the account's tenant. Only an account
 * with a membership has a tenant whose log can take it (a wrong e-mail leaves no trace); a
 * failure here leaves the answer as it is.
 */
async function auditSignIn(db: Db, users: Users, email: string, action: 'sign_in.password' | 'sign_in.failed' | 'sign_in.locked'): Promise<void> {
  try {
    const found = await users.findUserByEmail(email.toLowerCase());
    const standing = found && (await getMemberStanding(db, found.user.id));
    if (standing) await recordAudit(db, { tenantId: standing.tenantId, userId: found.user.id, action, objectType: 'user', objectId: found.user.id });
  } catch (error) {
    console.error(`auth: could not record ${action} in the audit log: ${(error as Error).message}`);
  }
}
