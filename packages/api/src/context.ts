import { LRUCache } from 'lru-cache';
import type { TelemetryStore } from '@switchboard/telemetry';
import { findPanelToken, type Db, type Membership } from '@switchboard/db';
import type { Auth } from './auth.ts';
import type { Accounts } from './services/admin.ts';
import type { DirectoryCache } from './directory-cache.ts';
import type { PlanningRunner } from './planning-runner.ts';
import type { LiveCache } from './services.ts';
import { createSharedLoader } from './shared-loader.ts';

/** What every procedure can reach: the stores and the clock. */
export interface ApiServices {
  db: Db;
  telemetry: TelemetryStore['client'];
  directory: DirectoryCache;
  live: LiveCache;
  /** The part of the live reads before their cut, per tenant and cut (see LIVE_CUT_STEP_MS). */
  liveBase: LiveCache;
  /** Reports asked for by several viewers at once, computed once (see REPORT_MAX_AGE_MS). */
  reports: LiveCache;
  now(): Date;
  /** Starts and lists planning workflows; null without a workflow engine. */
  planning: PlanningRunner | null;
  /**
   * Writes the ClickHouse snapshot of every published schedule of the tenant that lacks one: after the API
   * republishes a week (a swap, time off), and as a mend for a snapshot a crash left unwritten.
   */
  snapshotSchedules(tenantId: string): Promise<void>;
  /** Called after an API key is revoked: the host forgets the keys it has checked, so ingest refuses it at once. */
  apiKeysChanged(): void;
  /** SWITCHBOARD_OUTBOUND_ALLOW_HOSTS: what URLs typed by tenant admins may reach despite the outbound guard (outbound-url.ts). */
  outboundAllowHosts: readonly string[];
}

export interface Context {
  services: ApiServices;
  /** The signed-in member, or null for an anonymous request or a user with no membership. */
  viewer: Membership | null;
  /** The viewer came with an embedded desktop panel's token: only procedures marked `panel` answer it. */
  panel?: boolean;
  /** Sign-in and the membership cache, for the procedures that change people (the web API has them). */
  accounts?: Accounts | undefined;
}

/** How long the user id verified for a Cookie header is reused without checking its signatures again. */
export const SESSION_MEMO_MS = 5_000;
/** Cookie headers kept at most, the least recently seen going first. */
const SESSION_MEMO_MAX = 10_000;

/**
 * Resolves the viewer of a request from its session cookies. Verifying better-auth's signed
 * cookies costs about a tenth of the API's CPU when wallboards poll, so the user id found
 * for a Cookie header is reused for SESSION_MEMO_MS (with the cookie cache's maxAge this
 * keeps "revoked elsewhere → refused within 30 s"; a session ended through this process is
 * checked again at once). When better-auth renews the signed
 * session cache, its cookie goes to `setCookie`, so that the browser's next requests are
 * answered from the cookie again rather than from Postgres; such answers are not reused.
 */
export function createViewerResolver(auth: Auth, membership: (userId: string) => Promise<Membership | null>) {
  // Not lru-cache's fetch(): an answer that renews the cookie goes to its own request and is
  // not kept, so concurrent requests cannot share it. Wrapped: lru-cache keeps no null.
  const memo = new LRUCache<string, { userId: string | null; token: string | null }>({
    max: SESSION_MEMO_MAX,
    ttl: SESSION_MEMO_MS,
    // Read now, not at import as lru-cache's default is, so that fake timers apply.
    perf: performance,
  });
  return async (headers: Headers, setCookie: (cookies: string[]) => void): Promise<Membership | null> => {
    const cookie = headers.get('cookie');
    if (!cookie) return null;
    const known = memo.get(cookie);
    let userId = known && !(known.token && auth.sessionEnded(known.token)) ? known.userId : undefined;
    if (userId === undefined) {
      const { headers: answer, response: session } = await auth.api.getSession({ headers, returnHeaders: true });
      userId = session?.user.id ?? null;
      const cookies = answer.getSetCookie();
      if (cookies.length > 0) setCookie(cookies);
      else memo.set(cookie, { userId, token: session?.session.token ?? null });
    }
    return userId === null ? null : membership(userId);
  };
}

/**
 * Resolves the embedded desktop panel's bearer token (docs/desktop.md, Embedding) to its agent. The token's row is
 * reused for SESSION_MEMO_MS like a session cookie's, so a revoked or expired token is refused within seconds; the
 * member must still be that tenant's agent (a deactivated or re-roled member is refused at once through `membership`).
 */
export function createPanelResolver(db: Db, membership: (userId: string) => Promise<Membership | null>) {
  const tokens = createSharedLoader((token) => findPanelToken(db, token), { ttlMs: SESSION_MEMO_MS, max: SESSION_MEMO_MAX });
  return async (token: string): Promise<Membership | null> => {
    const found = await tokens.get(token);
    if (!found || found.expiresAt.getTime() <= Date.now()) return null;
    const member = await membership(found.userId);
    return member?.tenantId === found.tenantId && member.role === 'agent' && member.agent ? member : null;
  };
}
