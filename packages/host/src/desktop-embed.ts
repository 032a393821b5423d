import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { createSharedLoader } from '@switchboard/api';
import { findAgentMember, getDesktopEmbedSettings, getDesktopFraming, getMembership, mintEmbedToken, redeemHandshake, type Db } from '@switchboard/db';
import { IngestHttpError, readBody, sendJson } from '@switchboard/ingest';
import { requireKeyScope } from './scoped-key.ts';

/**
 * The agent desktop panel inside another web app (docs/desktop.md, Embedding). A session cookie is not sent in a
 * cross-site frame (SameSite=Lax), so the embedding app's server asks for a one-minute handshake token for the
 * signed-in agent with a `desktop:embed` API key; the framed page redeems it once for a panel token held in the
 * frame's memory and sent as a bearer header, which nothing sends on its own (no CSRF). The frame's page carries
 * the tenant's own frame-ancestors allowlist; every other page refuses to be framed.
 */
export const EMBED_TOKENS_PATH = '/api/v1/desktop/embed-tokens';
export const EMBED_SESSION_PATH = '/api/desktop/embed/session';
const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const EMBED_PAGE_PREFIX = '/desktop/embed/';
const SCOPE = 'desktop:embed';
const HANDSHAKE_TTL_MS = 60_000;
/** Half a day: longer than any shift, short enough that a forgotten frame ends overnight. */
const PANEL_TOKEN_TTL_MS = 12 * 3_600_000;
const BODY_LIMITS = { maxBodyBytes: 4_096, maxDecodedBytes: 4_096 };

const MintRequest = z.strictObject({ agent: z.string('the agent’s key, as events name it').min(1).max(128) });
const RedeemRequest = z.strictObject({
  token: z.string().min(1).max(200),
  tenant: z.string().regex(SLUG, 'the tenant slug of the page'),
});

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  try {
    const { decoded } = await readBody(req, BODY_LIMITS);
    return JSON.parse(decoded.toString('utf8'));
  } catch (error) {
    if (error instanceof IngestHttpError) sendJson(res, error.status, { error: error.code, message: error.message });
    else sendJson(res, 400, { error: 'malformed_body', message: 'send a JSON object' });
    return undefined;
  }
}

function refuseInvalid(res: ServerResponse, error: z.ZodError): void {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0]!;
  sendJson(res, 400, { error: 'invalid_request', message: first.path ? `${first.path}: ${first.message}` : first.message, issues });
}

/**
 * `POST /api/v1/desktop/embed-tokens` `{"agent": "<agent key>"}` with `Authorization: Bearer <API key>`: a
 * handshake token for the agent's panel, for the embedding app's server to put in the frame's address.
 */
export async function serveEmbedTokens(req: IncomingMessage, res: ServerResponse, db: Db): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed', message: 'use POST' }, { allow: 'POST' });
  const key = await requireKeyScope(req, res, db, SCOPE, 'open desktop panels');
  if (!key) return;
  const body = await readJson(req, res);
  if (body === undefined) return;
  const parsed = MintRequest.safeParse(body);
  if (!parsed.success) return refuseInvalid(res, parsed.error);
  const userId = await findAgentMember(db, key.tenantId, parsed.data.agent);
  if (!userId) {
    return sendJson(res, 404, {
      error: 'agent_not_member',
      message: 'no active agent member is this agent: an admin invites the agent on /admin (people) before their panel can open',
    });
  }
  const { slug } = await getDesktopEmbedSettings(db, key.tenantId);
  const minted = await mintEmbedToken(db, { tenantId: key.tenantId, userId, kind: 'handshake', ttlMs: HANDSHAKE_TTL_MS });
  sendJson(
    res,
    201,
    { token: minted.token, expiresAt: minted.expiresAt.toISOString(), path: `${EMBED_PAGE_PREFIX}${slug}#token=${minted.token}` },
    { 'cache-control': 'no-store' },
  );
}

/**
 * `POST /api/desktop/embed/session` `{"token": "<handshake>", "tenant": "<slug of the page>"}` from the framed page
 * (same origin, JSON: the API's cross-site guard runs first): the panel token, once per handshake. A token for
 * another tenant than the page's is refused, so a tenant's allowlist only ever frames its own agents' panels.
 */
export async function serveEmbedSession(req: IncomingMessage, res: ServerResponse, db: Db): Promise<void> {
  const body = await readJson(req, res);
  if (body === undefined) return;
  const parsed = RedeemRequest.safeParse(body);
  if (!parsed.success) return refuseInvalid(res, parsed.error);
  const refused = () =>
    sendJson(res, 401, {
      error: 'invalid_token',
      message: 'this panel link was used already or has expired (a minute): reload the page that shows the panel to get a new one',
    });
  const redeemed = await redeemHandshake(db, parsed.data.token);
  if (!redeemed) return refused();
  const framing = await getDesktopFraming(db, parsed.data.tenant);
  const member = await getMembership(db, redeemed.userId);
  if (framing?.tenantId !== redeemed.tenantId || member?.tenantId !== redeemed.tenantId || member.role !== 'agent' || !member.agent) return refused();
  const panel = await mintEmbedToken(db, { tenantId: redeemed.tenantId, userId: redeemed.userId, kind: 'panel', ttlMs: PANEL_TOKEN_TTL_MS });
  sendJson(res, 200, { token: panel.token, expiresAt: panel.expiresAt.toISOString() }, { 'cache-control': 'no-store' });
}

/**
 * The headers of the embed page `/desktop/embed/<tenant slug>`: its tenant's frame-ancestors allowlist (none for
 * an unknown or disabled tenant, or an empty list). Read at most every 30 s per tenant, so a changed allowlist applies within that; null for other paths.
 */
export function createEmbedFraming(db: Db) {
  const framing = createSharedLoader((slug: string) => getDesktopFraming(db, slug), { ttlMs: 30_000, max: 10_000 });
  return async (pathname: string): Promise<Record<string, string> | null> => {
    if (!pathname.startsWith(EMBED_PAGE_PREFIX)) return null;
    const slug = pathname.slice(EMBED_PAGE_PREFIX.length);
    const allowed = SLUG.test(slug) ? ((await framing.get(slug))?.frameAncestors ?? []) : [];
    return {
      'content-security-policy': `frame-ancestors ${allowed.length > 0 ? allowed.join(' ') : "'none'"}`,
      // The token travels in the address's fragment, which is never sent; no-referrer keeps the page's own address private too.
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
  };
}
