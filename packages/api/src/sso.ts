import { LRUCache } from 'lru-cache';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthEndpoint, createAuthMiddleware } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import { ssoErrors, type SsoErrorCode } from '@switchboard/contracts';
import {
  findSsoConnectionByDomain,
  getMemberStanding,
  getSsoConnection,
  passwordSignInAllowed,
  recordAudit,
  setMembership,
  type Db,
  type SsoConnection,
} from '@switchboard/db';
import { checkOutboundUrl, fetchOutbound } from './outbound-url.ts';
import { openSecret } from './sealed-secret.ts';

/**
 * Single sign-on with each tenant's own OpenID Connect provider, as a better-auth plugin:
 * better-auth keeps the sessions, cookies, rate limits and the one-time state; openid-client
 * (a certified relying party) does discovery, PKCE, the code exchange and the ID token's
 * checks (issuer, audience, expiry, nonce, signature); every request to the provider goes
 * through the outbound guard. A sign-in starts from the person's e-mail: its domain names the
 * tenant (sso_domains), and the callback checks the domain again on the e-mail the provider vouches for.
 */
export interface SsoOptions {
  db: Db;
  /** SWITCHBOARD_OUTBOUND_ALLOW_HOSTS: providers on private addresses, or over http, the operator trusts. */
  allowHosts: readonly string[];
}

const START = '/sso/start';
const CALLBACK = '/sso/callback';
/** How long a person has at their identity provider before the sign-in must start again. */
const STATE_TTL_MS = 10 * 60 * 1000;
/** Discovery documents and keys are fetched once per connection version and this long. */
const CONFIG_TTL_MS = 10 * 60 * 1000;

/** Why the provider's configuration could not be used: the message names the host and the reason, never a secret. */
export class SsoDiscoveryError extends Error {}

type Fetch = NonNullable<oidc.DiscoveryRequestOptions[typeof oidc.customFetch]>;

/** openid-client's requests through the outbound guard (checked addresses only, at most 3 checked redirects, 10 s, 1 MiB). */
function guardedFetch(allowHosts: readonly string[]): Fetch {
  return async (url, options) => {
    const body = options.body instanceof URLSearchParams ? options.body.toString() : typeof options.body === 'string' ? options.body : undefined;
    const answer = await fetchOutbound(url, { allowHosts, method: options.method, headers: options.headers, ...(body === undefined ? {} : { body }) });
    const empty = answer.status === 204 || answer.status === 304;
    return new Response(empty ? null : new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
  };
}

/**
 * The provider's configuration from its discovery document, for a client. Refuses an issuer the
 * outbound guard refuses (not https, or loopback, private, link-local or metadata addresses
 * unless allowlisted) before anything is fetched, and one whose document names another issuer.
 */
export async function discoverProvider(
  input: { issuer: string; clientId: string; clientSecret: string },
  allowHosts: readonly string[],
): Promise<oidc.Configuration> {
  let issuer: URL;
  try {
    issuer = new URL(input.issuer);
  } catch {
    throw new SsoDiscoveryError('the issuer is not a URL');
  }
  const checked = await checkOutboundUrl(issuer, { allowHosts });
  if (!checked.ok) throw new SsoDiscoveryError(`the issuer is refused: ${checked.reason}`);
  try {
    const config = await oidc.discovery(issuer, input.clientId, undefined, oidc.ClientSecretBasic(input.clientSecret), {
      [oidc.customFetch]: guardedFetch(allowHosts),
      // Plain http passed the guard only for a host the operator allowlisted.
      execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
    });
    // The ID token's signature is checked against the provider's keys too, not only trusted for coming over TLS.
    oidc.enableNonRepudiationChecks(config);
    return config;
  } catch (error) {
    throw new SsoDiscoveryError(`the discovery document of ${issuer.host} could not be used: ${(error as Error).message}`);
  }
}

/** The provider's refusal reasons, from openid-client's (oauth4webapi's) error codes. */
function classify(error: unknown): SsoErrorCode {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const claim = (e.cause as { claim?: unknown } | undefined)?.claim;
    if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && claim === 'aud') return 'audience';
    if (e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' && (claim === 'exp' || claim === 'iat' || claim === 'nbf')) return 'expired';
    if (e instanceof oidc.ResponseBodyError || e instanceof oidc.AuthorizationResponseError) return 'provider';
    if (e.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN' || e instanceof SsoDiscoveryError) return 'discovery';
  }
  return 'invalid';
}

interface PendingSignIn {
  tenantId: string;
  verifier: string;
  nonce: string;
  callbackURL: string;
}

const StartBody = z.object({
  email: z.email().max(200),
  // Only a path of this app: never a redirect elsewhere.
  callbackURL: z
    .string()
    .max(500)
    .regex(/^\/(?![/\\])/, 'a path of this app')
    .optional(),
});

const CallbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(4000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  iss: z.string().max(500).optional(),
});

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export function tenantSso(options: SsoOptions) {
  const { db, allowHosts } = options;
  const configs = new LRUCache<string, { version: number; config: oidc.Configuration }>({ max: 1000, ttl: CONFIG_TTL_MS });

  async function configFor(connection: SsoConnection, secret: string): Promise<oidc.Configuration> {
    const cached = configs.get(connection.tenantId);
    if (cached && cached.version === connection.updatedAt.getTime()) return cached.config;
    const config = await discoverProvider(
      { issuer: connection.issuer, clientId: connection.clientId, clientSecret: openSecret(secret, 'sso client secret', connection.clientSecretSealed) },
      allowHosts,
    );
    configs.set(connection.tenantId, { version: connection.updatedAt.getTime(), config });
    return config;
  }

  return {
    id: 'tenant-sso',
    endpoints: {
      startSso: createAuthEndpoint(START, { method: 'POST', body: StartBody }, async (ctx) => {
        const connection = await findSsoConnectionByDomain(db, domainOf(ctx.body.email));
        if (!connection) throw new APIError('NOT_FOUND', { code: 'SSO_NO_CONNECTION', message: ssoErrors.no_connection });
        let config: oidc.Configuration;
        try {
          config = await configFor(connection, ctx.context.secret);
        } catch (error) {
          ctx.context.logger.warn(`sso: tenant ${connection.tenantId}: ${(error as Error).message}`);
          throw new APIError('BAD_GATEWAY', { code: 'SSO_DISCOVERY', message: ssoErrors.discovery });
        }
        const state = oidc.randomState();
        const pending: PendingSignIn = {
          tenantId: connection.tenantId,
          verifier: oidc.randomPKCECodeVerifier(),
          nonce: oidc.randomNonce(),
          callbackURL: ctx.body.callbackURL ?? '/',
        };
        await ctx.context.internalAdapter.createVerificationValue({
          identifier: `sso:${state}`,
          value: JSON.stringify(pending),
          expiresAt: new Date(Date.now() + STATE_TTL_MS),
        });
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: `${ctx.context.baseURL}${CALLBACK}`,
          scope: 'openid email profile',
          state,
          nonce: pending.nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
          code_challenge_method: 'S256',
          login_hint: ctx.body.email,
        });
        return ctx.json({ url: url.href });
      }),

      ssoCallback: createAuthEndpoint(CALLBACK, { method: 'GET', query: CallbackQuery }, async (ctx) => {
        const app = new URL(ctx.context.baseURL).origin;
        const refuse = async (code: SsoErrorCode, tenantId?: string, userId?: string): Promise<never> => {
          if (tenantId) {
            const object = userId ? { objectType: 'user', objectId: userId } : { objectType: 'sso_connection', objectId: tenantId };
            await recordAudit(db, { tenantId, userId: userId ?? null, action: `sign_in.sso_refused.${code}`, ...object });
          }
          throw ctx.redirect(`${app}/sign-in?sso_error=${code}`);
        };

        const { state } = ctx.query;
        const pending = state ? await takePending(ctx.context, state) : null;
        if (!state || !pending) return refuse('state');
        const connection = await getSsoConnection(db, pending.tenantId);
        if (!connection) return refuse('no_connection');
        if (ctx.query.error) return refuse('provider', pending.tenantId);

        let claims: oidc.IDToken | undefined;
        try {
          const config = await configFor(connection, ctx.context.secret);
          const query = new URLSearchParams(Object.entries(ctx.query).filter((e): e is [string, string] => typeof e[1] === 'string'));
          const tokens = await oidc.authorizationCodeGrant(config, new URL(`${ctx.context.baseURL}${CALLBACK}?${query}`), {
            pkceCodeVerifier: pending.verifier,
            expectedState: state,
            expectedNonce: pending.nonce,
            idTokenExpected: true,
          });
          claims = tokens.claims();
          // A provider that follows the spec to the letter puts the e-mail in its userinfo answer only.
          if (claims && typeof claims.email !== 'string') claims = { ...claims, ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) };
        } catch (error) {
          ctx.context.logger.warn(`sso: tenant ${pending.tenantId}: sign-in refused: ${(error as Error).message}`);
          return refuse(classify(error), pending.tenantId);
        }
        const email = claims?.email;
        if (!claims || typeof email !== 'string' || !email.includes('@') || claims.email_verified === false) return refuse('email_missing', pending.tenantId);
        if (!connection.domains.includes(domainOf(email))) return refuse('domain', pending.tenantId);

        const adapter = ctx.context.internalAdapter;
        let user = (await adapter.findUserByEmail(email.toLowerCase()))?.user ?? null;
        if (user) {
          const standing = await getMemberStanding(db, user.id);
          if (standing && standing.tenantId !== connection.tenantId) return refuse('other_tenant', connection.tenantId);
          if (standing?.deactivated) return refuse('deactivated', connection.tenantId, user.id);
          if (!standing) {
            if (connection.provisioning !== 'jit' || !connection.jitRole) return refuse('not_invited', connection.tenantId);
            await setMembership(
              db,
              { userId: user.id, tenantId: connection.tenantId, role: connection.jitRole },
              { actorId: user.id, action: 'person.sso_provision' },
            );
          }
        } else {
          if (connection.provisioning !== 'jit' || !connection.jitRole) return refuse('not_invited', connection.tenantId);
          const name = typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim().slice(0, 100) : email.slice(0, email.indexOf('@'));
          user = await adapter.createUser({ email: email.toLowerCase(), name, emailVerified: true }, { method: 'sso' });
          await setMembership(
            db,
            { userId: user.id, tenantId: connection.tenantId, role: connection.jitRole },
            { actorId: user.id, action: 'person.sso_provision' },
          );
        }
        const providerId = `oidc:${connection.tenantId}`;
        const subject = claims.sub;
        if (!(await adapter.findAccounts(user.id)).some((a) => a.providerId === providerId && a.accountId === subject)) {
          await adapter.linkAccount({ userId: user.id, providerId, accountId: subject });
        }

        const session = await adapter.createSession(user.id);
        await setSessionCookie(ctx, { session, user });
        await recordAudit(db, { tenantId: connection.tenantId, userId: user.id, action: 'sign_in.sso', objectType: 'user', objectId: user.id });
        throw ctx.redirect(`${app}${pending.callbackURL}`);
      }),
    },

    hooks: {
      before: [
        {
          // A tenant that signs in through its provider only: its members' passwords are not accepted.
          matcher: (ctx) => ctx.path === '/sign-in/email',
          handler: createAuthMiddleware(async (ctx) => {
            const email = (ctx.body as { email?: unknown } | undefined)?.email;
            if (typeof email === 'string' && !(await passwordSignInAllowed(db, email))) {
              throw new APIError('FORBIDDEN', {
                code: 'PASSWORD_SIGN_IN_DISABLED',
                message: 'your organisation signs in with single sign-on: choose "Continue with single sign-on"',
              });
            }
          }),
        },
      ],
    },
    rateLimit: [{ pathMatcher: (path) => path === START, window: 60, max: 20 }],
  } satisfies BetterAuthPlugin;
}

type AuthContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0]['context'];

/**
 * The sign-in waiting for this state, taken once: of two callbacks with the same state (a
 * replay, or a double click), only the one whose delete removed the row goes on.
 */
async function takePending(context: AuthContext, state: string): Promise<PendingSignIn | null> {
  const identifier = `sso:${state}`;
  const row = await context.internalAdapter.findVerificationValue(identifier);
  if (!row) return null;
  const deleted = await context.adapter.deleteMany({ model: 'verification', where: [{ field: 'identifier', value: identifier }] });
  if (deleted === 0 || row.expiresAt.getTime() < Date.now()) return null;
  return JSON.parse(row.value) as PendingSignIn;
}
