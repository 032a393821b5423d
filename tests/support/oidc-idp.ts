import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider (the `oidc-provider` package, as identity products embed it) on
 * loopback, with its development login screens: any login name signs in, as the account of
 * that name. `tamper` rewrites the next ID tokens the token endpoint answers, re-signed with
 * the provider's own key, to play a provider that issues a token for another client or one
 * already expired.
 */
export interface TestIdp {
  issuer: string;
  /** host:port, for SWITCHBOARD_OUTBOUND_ALLOW_HOSTS. */
  hostPort: string;
  clientId: string;
  clientSecret: string;
  tamper(change: ((claims: JWTPayload) => JWTPayload) | null): void;
  stop(): Promise<void>;
}

export interface IdpAccount {
  email: string;
  name: string;
  emailVerified?: boolean;
}

export async function startTestIdp(options: { redirectUri: string; accounts: Record<string, IdpAccount> }): Promise<TestIdp> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const clientId = 'switchboard';
  const clientSecret = randomBytes(24).toString('hex');

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [options.redirectUri], token_endpoint_auth_method: 'client_secret_basic' }],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, email: account.email, email_verified: account.emailVerified ?? true, name: account.name }),
      };
    },
  });
  let change: ((claims: JWTPayload) => JWTPayload) | null = null;
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (change && ctx.path === '/token' && body?.id_token) {
      const claims = change(decodeJwt(body.id_token));
      ctx.body = { ...body, id_token: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(privateKey) };
    }
  });
  server.on('request', provider.callback());

  return {
    issuer,
    hostPort: `127.0.0.1:${port}`,
    clientId,
    clientSecret,
    tamper(next) {
      change = next;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
