import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { deleteSsoConnection, getSsoConnection, getTenantById, saveSsoConnection, setPasswordSignIn, SsoDomainTakenError } from '@switchboard/db';
import type { ApiServices } from '../context.ts';
import { discoverProvider, SsoDiscoveryError } from '../sso.ts';
import { openSecret, sealSecret } from '../sealed-secret.ts';
import type { Access } from '../trpc.ts';
import type { Accounts } from './admin.ts';

/** A tenant administrator's single sign-on settings: the provider, its domains, who a first sign-in makes, and whether passwords still work. */

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'an e-mail domain such as example.com');

export const SsoInput = z
  .object({
    issuer: z.url('the issuer URL, e.g. https://login.example.com/realms/acme').max(500),
    clientId: z.string().trim().min(1, 'the client id').max(200),
    /** Omitted to keep the stored secret when other settings change. */
    clientSecret: z.string().min(1).max(500).optional(),
    domains: z.array(Domain).min(1, 'at least one e-mail domain').max(20),
    provisioning: z.enum(['jit', 'invite']),
    jitRole: z.enum(['supervisor', 'planner', 'analyst', 'admin']).nullable(),
  })
  .refine((v) => (v.provisioning === 'jit') === (v.jitRole !== null), {
    message: 'choose the role of people a first sign-in adds (and only with just-in-time provisioning)',
    path: ['jitRole'],
  });

export const PasswordSignInInput = z.object({ enabled: z.boolean() });

/** `accounts` is there in the web API, which knows the address the app is served at. */
export async function getSsoView(services: ApiServices, accounts: Accounts | undefined, access: Access) {
  const [connection, tenant] = await Promise.all([getSsoConnection(services.db, access.tenantId), getTenantById(services.db, access.tenantId)]);
  return {
    /** What the provider must list as this client's redirect URI. */
    redirectUri: accounts ? `${accounts.auth.options.baseURL}/api/auth/sso/callback` : null,
    passwordSignIn: tenant?.passwordSignIn ?? true,
    connection: connection && {
      issuer: connection.issuer,
      clientId: connection.clientId,
      domains: connection.domains,
      provisioning: connection.provisioning,
      jitRole: connection.jitRole,
      updatedAt: connection.updatedAt.toISOString(),
    },
  };
}

/**
 * Saves the connection after fetching the provider's discovery document through the outbound
 * guard: an issuer it refuses, or one that does not answer as an OpenID provider, is refused
 * with the reason, and nothing is stored.
 */
export async function saveSso(services: ApiServices, accounts: Accounts, access: Access, actorId: string, input: z.infer<typeof SsoInput>) {
  const authSecret = (await accounts.auth.$context).secret;
  const existing = await getSsoConnection(services.db, access.tenantId);
  const clientSecret = input.clientSecret ?? (existing ? openSecret(authSecret, 'sso client secret', existing.clientSecretSealed) : null);
  if (clientSecret === null) throw new TRPCError({ code: 'BAD_REQUEST', message: 'a new connection needs the client secret the identity provider gave' });
  try {
    await discoverProvider({ issuer: input.issuer, clientId: input.clientId, clientSecret }, services.outboundAllowHosts);
  } catch (error) {
    if (error instanceof SsoDiscoveryError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    throw error;
  }
  try {
    await saveSsoConnection(services.db, access.tenantId, actorId, {
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecretSealed: input.clientSecret === undefined ? null : sealSecret(authSecret, 'sso client secret', input.clientSecret),
      domains: input.domains,
      provisioning: input.provisioning,
      jitRole: input.jitRole,
    });
  } catch (error) {
    if (error instanceof SsoDomainTakenError) throw new TRPCError({ code: 'CONFLICT', message: error.message });
    throw error;
  }
  return getSsoView(services, accounts, access);
}

export async function removeSso(services: ApiServices, access: Access, actorId: string) {
  return { removed: await deleteSsoConnection(services.db, access.tenantId, actorId) };
}

/**
 * Password sign-in on or off for the tenant. Off needs a connection whose domains include the
 * administrator's own, so whoever switches it off can still sign in.
 */
export async function setPasswordSignInView(
  services: ApiServices,
  access: Access,
  actor: { userId: string; email: string },
  input: z.infer<typeof PasswordSignInInput>,
) {
  if (!input.enabled) {
    const connection = await getSsoConnection(services.db, access.tenantId);
    if (!connection) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'set up single sign-on before switching password sign-in off' });
    const domain = actor.email.slice(actor.email.lastIndexOf('@') + 1).toLowerCase();
    if (!connection.domains.includes(domain)) {
      throw new TRPCError({
        code: 'PRECONDITION_FAILED',
        message: `your own e-mail domain (${domain}) does not sign in through the identity provider: add it first, or you could not sign in again`,
      });
    }
  }
  await setPasswordSignIn(services.db, access.tenantId, actor.userId, input.enabled);
  return { passwordSignIn: input.enabled };
}
