import { LRUCache } from 'lru-cache';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { twoFactor } from 'better-auth/plugins';
import { getMemberStanding, recordAudit, schema, type Db } from '@switchboard/db';
import { SESSION_MEMO_MS } from './context.ts';
import { holdsNul, NUL_REFUSAL } from './input-guard.ts';
import { queuePasswordMail } from './password-mail.ts';
import { ACCOUNT_LOCKOUT, accountLockout } from './account-lockout.ts';
import { tenantSso } from './sso.ts';

export interface AuthOptions {
  db: Db;
  /** Signs session cookies; at least 32 characters. */
  secret: string;
  /** Where the app is served, e.g. http://127.0.0.1:3000. */
  baseURL: string;
  /** Other origins the same app is reached at (http://localhost:3000 beside 127.0.0.1). */
  trustedOrigins: string[];
  /** Header the host sets to the socket's address, replacing any client value: rate limits key on it. */
  clientIpHeader: string;
  /** How long repeated failed sign-ins lock an account (SWITCHBOARD_ACCOUNT_LOCK_S); 15 minutes by default. */
  accountLockSeconds?: number;
  /** SWITCHBOARD_OUTBOUND_ALLOW_HOSTS: identity providers on private addresses, or over http, the operator trusts. */
  outboundAllowHosts?: readonly string[];
}

/**
 * Sign-in attempts per client address and minute. Agents behind one office gateway share an
 * address at shift start, so the budget is per address and generous; it still caps a
 * password-guessing client at 20 a minute.
 */
export const SIGN_IN_LIMIT = { window: 60, max: 20 } as const;

/** How long better-auth's signed session cache cookie is trusted without reading the session from Postgres. */
export const SESSION_CACHE_S = 25;
/** Sessions ended at once in one process: more in one cache lifetime and the oldest fall back to the cache's bound. */
const ENDED_SESSIONS_MAX = 100_000;

/**
 * better-auth over the drizzle schema: email and password or the tenant's OpenID Connect provider (sso.ts), sessions in Postgres,
 * sign-in rate limiting per address and lock-out per account in Postgres (shared by every
 * web process), no self sign-up
 * (members are created by the seed or an admin).
 */
export function createAuth(options: AuthOptions) {
  // Sessions ended through this process (sign-out, revocation, a password reset), remembered while a cache cookie or
  // a verified Cookie header of theirs could still be trusted: refused from their next request here, not when the
  // cache runs out. Other processes learn of it from Postgres within SESSION_CACHE_S plus the API's SESSION_MEMO_MS.
  const ended = new LRUCache<string, true>({ max: ENDED_SESSIONS_MAX, ttl: SESSION_CACHE_S * 1000 + SESSION_MEMO_MS, perf: performance });
  const auth = betterAuth({
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: '/api/auth',
    trustedOrigins: options.trustedOrigins,
    database: drizzleAdapter(options.db, {
      provider: 'pg',
      schema: {
        user: schema.users,
        session: schema.sessions,
        account: schema.accounts,
        verification: schema.verifications,
        rateLimit: schema.rateLimits,
        twoFactor: schema.twoFactors,
      },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      // Invitations and password resets are both a one-time link to set a password (a day to use it).
      resetPasswordTokenExpiresIn: 24 * 60 * 60,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: ({ user, url }) => queuePasswordMail(options.db, user, url),
    },
    // The signed cookie cache spares a Postgres read per request (the wallboard polls every
    // 2 s); a session ended in another process stops working within its 25 s plus the API's
    // SESSION_MEMO_MS (context.ts): 30 s. One ended here fails the cache's version check at once.
    session: {
      expiresIn: 60 * 60 * 12,
      updateAge: 60 * 60,
      cookieCache: { enabled: true, maxAge: SESSION_CACHE_S, version: (session) => (ended.has(session.token) ? 'ended' : '1') },
    },
    databaseHooks: {
      session: {
        delete: {
          after: async (session) => {
            ended.set(session.token, true);
          },
        },
      },
    },
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 300,
      customRules: { '/sign-in/email': SIGN_IN_LIMIT },
    },
    plugins: [
      // Optional for each person (their account page): an authenticator app's code after the password, or a one-time backup code.
      twoFactor({ issuer: 'Switchboard', backupCodeOptions: { amount: 10 } }),
      accountLockout(options.db, { ...ACCOUNT_LOCKOUT, lockS: options.accountLockSeconds ?? ACCOUNT_LOCKOUT.lockS }),
      tenantSso({ db: options.db, allowHosts: options.outboundAllowHosts ?? [] }),
    ],
    hooks: {
      // Before every endpoint and plugin (ours read the e-mail from Postgres first).
      before: createAuthMiddleware(async (ctx) => {
        if (holdsNul(ctx.body) || holdsNul(ctx.query)) throw new APIError('BAD_REQUEST', { message: NUL_REFUSAL, code: 'NUL_IN_INPUT' });
      }),
      after: createAuthMiddleware(async (ctx) => auditTwoFactor(options.db, ctx)),
    },
    // People's names and e-mail addresses are an administrator's to set (/admin): not changed by the person through better-auth.
    disabledPaths: ['/update-user', '/change-email'],
    advanced: {
      // Explicit: better-auth otherwise skips its origin and CSRF checks when NODE_ENV=test or TEST is set.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      ipAddress: { ipAddressHeaders: [options.clientIpHeader] },
      useSecureCookies: options.baseURL.startsWith('https:'),
      cookiePrefix: 'switchboard',
    },
    telemetry: { enabled: false },
  });
  /** Whether the session with this token was ended through this process lately (the API's own cookie memo asks). */
  const sessionEnded = (token: string): boolean => ended.has(token);
  return Object.assign(auth, { sessionEnded });
}

export type Auth = ReturnType<typeof createAuth>;

type AfterHookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/**
 * Two-factor changes and second-factor sign-ins in the audit log of the person's tenant. A code
 * checked on a request that already carries a session is the one that turns two-factor on; on a
 * request without one, it completes a sign-in.
 */
async function auditTwoFactor(db: Db, ctx: AfterHookContext): Promise<void> {
  const path = ctx.path;
  if (!path.startsWith('/two-factor/') || isAPIError(ctx.context.returned)) return;
  const user = ctx.context.newSession?.user ?? ctx.context.session?.user;
  if (!user) return;
  const sessionCookie = `${ctx.context.authCookies.sessionToken.name}=`;
  const hadSession = (ctx.headers?.get('cookie') ?? '').split(/;\s*/).some((c) => c.startsWith(sessionCookie) && c.length > sessionCookie.length);
  const action =
    path === '/two-factor/disable'
      ? 'two_factor.disable'
      : path === '/two-factor/verify-totp' || path === '/two-factor/verify-backup-code'
        ? hadSession
          ? 'two_factor.enable'
          : 'sign_in.second_factor'
        : null;
  if (!action || (!ctx.context.newSession && action !== 'two_factor.disable')) return;
  const standing = await getMemberStanding(db, user.id);
  if (standing) await recordAudit(db, { tenantId: standing.tenantId, userId: user.id, action, objectType: 'user', objectId: user.id });
}

/** Creates a user who signs in with email and password (no-op when the email exists); returns the user id. */
export async function ensurePasswordUser(auth: Auth, input: { email: string; name: string; password: string }): Promise<string> {
  const ctx = await auth.$context;
  const existing = await ctx.internalAdapter.findUserByEmail(input.email);
  if (existing) {
    await ctx.internalAdapter.updatePassword(existing.user.id, await ctx.password.hash(input.password));
    return existing.user.id;
  }
  const user = await ctx.internalAdapter.createUser({ email: input.email, name: input.name, emailVerified: true }, { method: 'admin' });
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: 'credential',
    accountId: user.id,
    password: await ctx.password.hash(input.password),
  });
  return user.id;
}

/** Creates a user with no password yet: they choose one from the invitation link. Returns the id. */
export async function createInvitedUser(auth: Auth, input: { email: string; name: string }): Promise<string> {
  const ctx = await auth.$context;
  const user = await ctx.internalAdapter.createUser({ email: input.email.toLowerCase(), name: input.name, emailVerified: false }, { method: 'admin' });
  return user.id;
}
