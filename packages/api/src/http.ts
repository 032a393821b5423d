import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { toNodeHandler } from 'better-auth/node';
import type { Auth } from './auth.ts';
import type { Membership } from '@switchboard/db';
import { createPanelResolver, createViewerResolver, type ApiServices } from './context.ts';
import { createMembershipCache } from './membership-cache.ts';
import { appRouter } from './router.ts';

export const TRPC_BASE_PATH = '/api/trpc/';

function toFetchHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  }
  return out;
}

interface SessionViewer {
  viewerOf(req: IncomingMessage, res: ServerResponse): Promise<{ viewer: Membership | null; panel: boolean }>;
  /** Drops one user's cached membership (their role changed or they were deactivated through this process). */
  forget(userId: string): void;
  /** Drops every cached membership (a tenant was disabled or enabled through this process). */
  forgetAll(): void;
}

/**
 * One per auth, that is per process: the tRPC handler and the host's other signed-in routes (the desktop stream) share
 * the membership and cookie caches, so a deactivation made through one is refused by all from the next request.
 */
const sessionViewers = new WeakMap<Auth, SessionViewer>();

/**
 * The member a request stands for: the embedded desktop panel's token when the request carries an
 * `Authorization: Bearer` header (cookies are then ignored, `panel` is set), else the session cookie (renewing it on `res`
 * when the session is refreshed). `viewer` null: anonymous, or a token or session no longer valid. The auth's one
 * viewer (see sessionViewers).
 */
export function createSessionViewer(deps: { auth: Auth; db: ApiServices['db'] }): SessionViewer {
  const existing = sessionViewers.get(deps.auth);
  if (existing) return existing;
  const memberships = createMembershipCache(deps.db);
  const resolveViewer = createViewerResolver(deps.auth, memberships.get);
  const resolvePanel = createPanelResolver(deps.db, memberships.get);
  const viewer: SessionViewer = {
    async viewerOf(req, res) {
      // Bearer only: a proxy's Basic credentials in front of the app leave the cookie in charge.
      const bearer = /^Bearer\s+(.*)$/i.exec(req.headers.authorization ?? '');
      if (bearer) return { viewer: await resolvePanel(bearer[1]!.trim()), panel: true };
      return { viewer: await resolveViewer(toFetchHeaders(req.headers), (cookies) => res.appendHeader('set-cookie', cookies)), panel: false };
    },
    forget: memberships.delete,
    forgetAll: memberships.clear,
  };
  sessionViewers.set(deps.auth, viewer);
  return viewer;
}

/** After a tenant is disabled or enabled: this process's signed-in requests see its members' new standing at once. */
export function forgetMemberships(auth: Auth): void {
  sessionViewers.get(auth)?.forgetAll();
}

/** tRPC over Node HTTP: resolves the viewer from the session cookie, or the desktop panel's token, for every request. */
export function createTrpcHandler(deps: { auth: Auth; services: ApiServices }): RequestListener {
  const session = createSessionViewer({ auth: deps.auth, db: deps.services.db });
  const accounts = { auth: deps.auth, forget: session.forget };
  return createHTTPHandler({
    router: appRouter,
    basePath: TRPC_BASE_PATH,
    allowMethodOverride: false,
    createContext: async ({ req, res }) => ({
      services: deps.services,
      accounts,
      ...(await session.viewerOf(req, res)),
    }),
    onError({ error, path }) {
      // Only unexpected errors are logged; messages are ours, never user data.
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`api: ${path ?? '?'} failed: ${error.cause?.message ?? error.message}`);
    },
  });
}

export interface Refusal {
  status: number;
  error: string;
  message: string;
}

/**
 * Cross-site request forgery guard for the cookie-authenticated API: only GET and POST,
 * POST bodies only as JSON (forms and text/plain are what a foreign page can send without
 * CORS), and no foreign Origin or cross-site fetch. tRPC itself refuses mutations over GET.
 */
export function checkRequestOrigin(req: Pick<IncomingMessage, 'method' | 'headers'>, allowedOrigins: readonly string[]): Refusal | null {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST') {
    return { status: 405, error: 'method_not_allowed', message: 'the API accepts GET (queries) and POST (mutations)' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins.includes(origin)) {
    return { status: 403, error: 'forbidden_origin', message: `requests from ${origin} are not accepted` };
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    return { status: 403, error: 'forbidden_origin', message: 'cross-site requests are not accepted' };
  }
  if (method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return { status: 415, error: 'unsupported_media_type', message: 'send mutations as application/json' };
    }
  }
  return null;
}

/** better-auth's endpoints (/api/auth/*) as a Node listener. */
export function createAuthHandler(auth: Auth): RequestListener {
  return toNodeHandler(auth);
}
