import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { base32 } from '@better-auth/utils/base32';
import { createOTP } from '@better-auth/utils/otp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServices, createAuth, createTrpcHandler, ensureMember, SESSION_CACHE_S } from '@switchboard/api';
import { seedTenant, type Role } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { recordFaultFigures } from '../support/faults.ts';
import { startTestHost, type TestHost } from '../support/host.ts';

/**
 * Sessions under attack (OWASP ASVS V3): a cookie planted before sign-in is never the one after it; a signed-out,
 * revoked or deactivated session is refused on its next request at every signed-in endpoint of the process that
 * ended it (tRPC queries and mutations, the desktop stream, better-auth's own session endpoint), and in another
 * process sharing the database within the stated bounds, which are waited out and tested; behind https the cookies
 * are `__Secure-` prefixed, `Secure`, `HttpOnly` and `SameSite`, and plain http on loopback still signs in.
 *
 * Replays send the whole cookie jar a browser held before signing out (the session token and better-auth's signed
 * session cache), as a thief who copied it would.
 */

/** Another process caches a verified cookie 5 s and a membership 5 s beside better-auth's session cache cookie. */
const OTHER_PROCESS_SIGN_OUT_BOUND_MS = SESSION_CACHE_S * 1000 + 5_000;
const OTHER_PROCESS_MEMBERSHIP_BOUND_MS = 5_000;
/** A request sent this long after a bound has passed must be refused (the request itself takes time to arrive). */
const MARGIN_MS = 250;

const password = `pw-${randomBytes(12).toString('hex')}`;
const secret = randomBytes(32).toString('hex');
let client = 0;

type Jar = Map<string, string>;
const cookieHeader = (jar: Jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
const jarOf = (res: Response): Jar => new Map(res.headers.getSetCookie().map((c) => c.split(';')[0]!.split(/=(.*)/s).slice(0, 2) as [string, string]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each sign-in from its own address (the host trusts loopback as a proxy here): the per-address sign-in budget stays out of the way. */
function authPost(url: string, route: string, body: unknown, options: { cookie?: string; origin?: string } = {}): Promise<Response> {
  client++;
  return fetch(`${url}/api/auth${route}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: options.origin ?? url,
      'x-forwarded-for': `198.51.100.${client % 250}`,
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function signIn(url: string, email: string, options: { cookie?: string; origin?: string } = {}): Promise<Jar> {
  const res = await authPost(url, '/sign-in/email', { email, password }, options);
  expect(res.status, `sign-in of ${email}`).toBe(200);
  return jarOf(res);
}

/** Who the jar signs in as on `session.me`: the member's name, or the refusal's status. */
async function whoIs(url: string, jar: Jar): Promise<string | number> {
  const res = await fetch(`${url}/api/trpc/session.me`, { headers: { cookie: cookieHeader(jar) } });
  return res.status === 200 ? ((await res.json()) as { result: { data: { name: string } } }).result.data.name : res.status;
}

interface Reach {
  query: number;
  mutation: number;
  desktop: number;
  /** better-auth's own /api/auth/get-session: whether it still answers a session. */
  authSession: boolean;
}

/** One request with the jar to each signed-in endpoint (the desktop stream is closed once it answered). */
async function reach(url: string, jar: Jar): Promise<Reach> {
  const cookie = cookieHeader(jar);
  const query = fetch(`${url}/api/trpc/session.me`, { headers: { cookie } }).then((r) => r.status);
  const mutation = fetch(`${url}/api/trpc/session.recordExport`, {
    method: 'POST',
    headers: { cookie, origin: url, 'content-type': 'application/json' },
    body: JSON.stringify({ what: 'sessions fault test', format: 'csv', rows: 1 }),
  }).then((r) => r.status);
  const desktop = (async () => {
    const controller = new AbortController();
    const res = await fetch(`${url}/api/desktop/events`, { headers: { cookie }, signal: controller.signal });
    controller.abort();
    return res.status;
  })();
  const authSession = fetch(`${url}/api/auth/get-session`, { headers: { cookie } }).then(async (r) => r.status === 200 && (await r.json()) !== null);
  return { query: await query, mutation: await mutation, desktop: await desktop, authSession: await authSession };
}

const signedIn: Reach = { query: 200, mutation: 200, desktop: 200, authSession: true };
const refused: Reach = { query: 401, mutation: 401, desktop: 401, authSession: false };

/** Polls `request` until it answers `refusedStatus`, at most `boundMs` after `since`; answers when it first did (ms after `since`) or null. */
async function refusedWithin(request: () => Promise<number>, since: number, boundMs: number): Promise<number | null> {
  while (Date.now() - since < boundMs) {
    const sent = Date.now();
    if ((await request()) === 401) return sent - since;
    await sleep(250);
  }
  return null;
}

const figures: Record<string, unknown> = {
  other_process_sign_out_bound_ms: OTHER_PROCESS_SIGN_OUT_BOUND_MS,
  other_process_membership_bound_ms: OTHER_PROCESS_MEMBERSHIP_BOUND_MS,
};

describe('sessions over plain http (loopback)', () => {
  let t: TestHost;
  let other: { server: Server; url: string };
  let tenantId: string;
  let disabledSlug: string;
  const emails = {} as Record<'admin' | 'agent' | 'agent2' | 'agent3' | 'attacker' | 'victim' | 'twoFactor' | 'disabled', string>;
  const userIds = {} as Record<keyof typeof emails, string>;
  const names = {} as Record<keyof typeof emails, string>;

  beforeAll(async () => {
    t = await startTestHost({ BETTER_AUTH_SECRET: secret, SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.1,::1' });
    const db = t.host.db.db;
    const run = randomUUID().slice(0, 8);
    tenantId = await seedTenant(db, { slug: `sessions-${run}`, name: 'Sessions tenant', config: demoCenter });
    disabledSlug = `sessions-off-${run}`;
    const disabledTenant = await seedTenant(db, { slug: disabledSlug, name: 'Tenant to disable', config: demoCenter });
    const agents = demoCenter.agents;
    const member = async (key: keyof typeof emails, role: Role, extra: { agentKey?: string; tenantId?: string } = {}) => {
      emails[key] = `${key.toLowerCase()}-${run}@sessions.test`;
      names[key] = `Member ${key}`;
      userIds[key] = await ensureMember(t.host.auth, db, { email: emails[key], name: names[key], password, role, tenantId, ...extra });
    };
    await member('admin', 'admin');
    await member('agent', 'agent', { agentKey: agents[0]!.id });
    await member('agent2', 'agent', { agentKey: agents[1]!.id });
    await member('agent3', 'agent', { agentKey: agents[2]!.id });
    await member('attacker', 'planner');
    await member('victim', 'planner');
    await member('twoFactor', 'planner');
    await member('disabled', 'agent', { agentKey: agents[0]!.id, tenantId: disabledTenant });

    // A second API process over the same database, with caches of its own (a cluster's other web process).
    const auth = createAuth({ db, secret, baseURL: t.url, trustedOrigins: [t.url], clientIpHeader: 'x-sessions-test-client' });
    const services = createApiServices({ db, telemetry: t.host.telemetry.client, snapshotSchedules: async () => undefined });
    const server = createServer(createTrpcHandler({ auth, services }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    other = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }, 120_000);

  afterAll(async () => {
    other?.server.closeAllConnections();
    await new Promise((r) => other?.server.close(r));
    await t?.stop();
  });

  describe('fixation: a cookie from before sign-in is not the one after it', () => {
    it('a planted token is replaced at sign-in and authenticates no one', async () => {
      const planted = new Map([
        ['switchboard.session_token', `${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`],
        ['switchboard.session_data', randomBytes(64).toString('base64url')],
      ]);
      const jar = await signIn(t.url, emails.victim, { cookie: cookieHeader(planted) });
      expect(jar.get('switchboard.session_token')).toMatch(/.{20,}/);
      expect(jar.get('switchboard.session_token')).not.toBe(planted.get('switchboard.session_token'));
      expect(await whoIs(t.url, jar)).toBe(names.victim);
      expect(await whoIs(t.url, planted)).toBe(401);
    });

    it("an attacker's own valid session planted in the victim's browser stays the attacker's: the victim's sign-in gets a new one", async () => {
      const attacker = await signIn(t.url, emails.attacker);
      const victim = await signIn(t.url, emails.victim, { cookie: cookieHeader(attacker) });
      expect(victim.get('switchboard.session_token')).not.toBe(attacker.get('switchboard.session_token'));
      expect(await whoIs(t.url, victim)).toBe(names.victim);
      expect(await whoIs(t.url, attacker)).toBe(names.attacker);
      // Signing in again, even over one's own session, never reuses a token.
      const again = await signIn(t.url, emails.victim, { cookie: cookieHeader(victim) });
      expect(again.get('switchboard.session_token')).not.toBe(victim.get('switchboard.session_token'));
    });

    it('two-factor sign-in: the half-way cookie is no session, the completed sign-in gets a new one, and the half-way one is spent', async () => {
      const session = await signIn(t.url, emails.twoFactor);
      const enabled = await authPost(t.url, '/two-factor/enable', { password }, { cookie: cookieHeader(session) });
      expect(enabled.status).toBe(200);
      const { totpURI, backupCodes } = (await enabled.json()) as { totpURI: string; backupCodes: string[] };
      const code = await createOTP(base32.decode(new URL(totpURI).searchParams.get('secret')!)).totp();
      expect((await authPost(t.url, '/two-factor/verify-totp', { code }, { cookie: cookieHeader(session) })).status).toBe(200);

      const halfway = await authPost(t.url, '/sign-in/email', { email: emails.twoFactor, password });
      expect(await halfway.json()).toMatchObject({ twoFactorRedirect: true });
      const pending = jarOf(halfway);
      expect(pending.get('switchboard.session_token') ?? '').toBe('');
      expect(await whoIs(t.url, pending)).toBe(401);
      const completed = await authPost(t.url, '/two-factor/verify-backup-code', { code: backupCodes[0] }, { cookie: cookieHeader(pending) });
      expect(completed.status).toBe(200);
      const jar = jarOf(completed);
      const token = jar.get('switchboard.session_token')!;
      expect(token).toMatch(/.{20,}/);
      for (const value of [...pending.values(), ...session.values()]) expect(value).not.toBe(token);
      expect(await whoIs(t.url, jar)).toBe(names.twoFactor);
      // The half-way cookie cannot complete a second sign-in, even with another good code.
      const replay = await authPost(t.url, '/two-factor/verify-backup-code', { code: backupCodes[1] }, { cookie: cookieHeader(pending) });
      expect(replay.status).toBeGreaterThanOrEqual(400);
      expect(jarOf(replay).get('switchboard.session_token') ?? '').toBe('');
    });
  });

  describe('cookie flags over plain http', () => {
    it('are HttpOnly and SameSite=Lax without Secure or a prefix, so a browser on http://127.0.0.1 keeps them', async () => {
      const res = await authPost(t.url, '/sign-in/email', { email: emails.victim, password });
      const cookies = res.headers.getSetCookie();
      expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(['switchboard.session_data', 'switchboard.session_token']);
      for (const c of cookies) {
        const attributes = c.split(/;\s*/).map((a) => a.toLowerCase());
        expect(attributes, c).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
        expect(attributes, c).not.toContain('secure');
      }
      expect(await whoIs(t.url, jarOf(res))).toBe(names.victim);
    });
  });

  describe('ending a session', () => {
    it('sign-out: the jar used before it is refused on the next request at every endpoint', async () => {
      const jar = await signIn(t.url, emails.agent);
      expect(await reach(t.url, jar)).toEqual(signedIn);
      const out = await fetch(`${t.url}/api/auth/sign-out`, { method: 'POST', headers: { origin: t.url, cookie: cookieHeader(jar) } });
      expect(out.status).toBe(200);
      expect(await reach(t.url, jar)).toEqual(refused);
    });

    it('revoking the other sessions refuses them on their next request', async () => {
      const stolen = await signIn(t.url, emails.agent);
      const mine = await signIn(t.url, emails.agent);
      expect(await reach(t.url, stolen)).toEqual(signedIn);
      expect((await authPost(t.url, '/revoke-other-sessions', {}, { cookie: cookieHeader(mine) })).status).toBe(200);
      expect(await reach(t.url, stolen)).toEqual(refused);
      expect(await reach(t.url, mine)).toEqual(signedIn);
    });

    it('deactivation, a disabled tenant and a sign-out: refused at once here, within the bounds in another process', async () => {
      const admin = await signIn(t.url, emails.admin);
      const signOut = await signIn(t.url, emails.agent2);
      const deactivate = await signIn(t.url, emails.agent3);
      const disable = await signIn(t.url, emails.disabled);
      const jars = [signOut, deactivate, disable];
      // Each is known to both processes first, so that their caches hold it.
      for (const jar of jars) {
        expect(await reach(t.url, jar)).toEqual(signedIn);
        expect((await whoIs(other.url, jar)) !== 401).toBe(true);
      }

      const operator = JSON.parse(readFileSync(path.join(t.dataDir, 'operator.json'), 'utf8')) as { token: string };
      const ended = await Promise.all([
        (async () => {
          const res = await fetch(`${t.url}/api/auth/sign-out`, { method: 'POST', headers: { origin: t.url, cookie: cookieHeader(signOut) } });
          expect(res.status).toBe(200);
          return Date.now();
        })(),
        (async () => {
          const res = await fetch(`${t.url}/api/trpc/admin.deactivate`, {
            method: 'POST',
            headers: { cookie: cookieHeader(admin), origin: t.url, 'content-type': 'application/json' },
            body: JSON.stringify({ userId: userIds.agent3 }),
          });
          expect(res.status).toBe(200);
          return Date.now();
        })(),
        (async () => {
          const res = await fetch(`${t.url}/api/operator/tenants/disable`, {
            method: 'POST',
            headers: { authorization: `Bearer ${operator.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ tenant: disabledSlug }),
          });
          expect(res.status).toBe(200);
          return Date.now();
        })(),
      ]);
      const [signedOutAt, deactivatedAt, disabledAt] = ended as [number, number, number];

      // The process that ended them: the very next request. Deactivating and disabling take the membership, which every
      // Switchboard endpoint needs; better-auth's own session endpoint may answer from its cache cookie until that runs out (below).
      expect(await reach(t.url, signOut)).toEqual(refused);
      const switchboard = async (jar: Jar) => ({ ...(await reach(t.url, jar)), authSession: 'not asked' });
      const here = { ...refused, authSession: 'not asked' };
      expect(await switchboard(deactivate)).toEqual(here);
      expect(await switchboard(disable)).toEqual(here);

      // Another process: refused within each bound, and still refused on a request after it.
      const otherQuery = (jar: Jar) => () => fetch(`${other.url}/api/trpc/session.me`, { headers: { cookie: cookieHeader(jar) } }).then((r) => r.status);
      const [signOutMs, deactivateMs, disableMs] = await Promise.all([
        refusedWithin(otherQuery(signOut), signedOutAt, OTHER_PROCESS_SIGN_OUT_BOUND_MS + MARGIN_MS),
        refusedWithin(otherQuery(deactivate), deactivatedAt, OTHER_PROCESS_MEMBERSHIP_BOUND_MS + MARGIN_MS),
        refusedWithin(otherQuery(disable), disabledAt, OTHER_PROCESS_MEMBERSHIP_BOUND_MS + MARGIN_MS),
      ]);
      Object.assign(figures, {
        other_process_sign_out_refused_after_ms: signOutMs,
        other_process_deactivation_refused_after_ms: deactivateMs,
        other_process_tenant_disable_refused_after_ms: disableMs,
      });
      expect({ signOutMs, deactivateMs, disableMs }).toEqual({
        signOutMs: expect.any(Number),
        deactivateMs: expect.any(Number),
        disableMs: expect.any(Number),
      });
      for (const jar of jars) expect(await whoIs(other.url, jar)).toBe(401);

      // better-auth's own session endpoint, once the cache cookie issued at sign-in has run out: a deactivation ended
      // the sessions; a disabled tenant keeps them (enabling it lets its members back in), refused by every Switchboard endpoint.
      await sleep(Math.max(0, deactivatedAt + SESSION_CACHE_S * 1000 + MARGIN_MS - Date.now()));
      expect(await reach(t.url, deactivate)).toEqual(refused);
      expect(await reach(t.url, disable)).toEqual({ ...refused, authSession: true });
      const enabled = await fetch(`${t.url}/api/operator/tenants/enable`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operator.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: disabledSlug }),
      });
      expect(enabled.status).toBe(200);
      expect(await reach(t.url, disable)).toEqual(signedIn);
    }, 90_000);
  });
});

describe('sessions behind https (SWITCHBOARD_PUBLIC_URL=https://…)', () => {
  const publicUrl = 'https://switchboard.sessions.test';
  let t: TestHost;
  let email: string;

  beforeAll(async () => {
    t = await startTestHost({ SWITCHBOARD_PUBLIC_URL: publicUrl });
    const tenantId = await seedTenant(t.host.db.db, { slug: `sessions-https-${randomUUID().slice(0, 8)}`, name: 'Https tenant', config: demoCenter });
    email = `planner-${randomUUID().slice(0, 8)}@sessions.test`;
    await ensureMember(t.host.auth, t.host.db.db, { email, name: 'Pat Planner', password, role: 'planner', tenantId });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('sets __Secure- prefixed, Secure, HttpOnly, SameSite=Lax cookies; they work through a proxy on loopback; an unprefixed copy does not', async () => {
    // The browser's request as the TLS-terminating proxy forwards it: its Origin is the public one.
    const res = await authPost(t.url, '/sign-in/email', { email, password }, { origin: publicUrl });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(['__Secure-switchboard.session_data', '__Secure-switchboard.session_token']);
    for (const c of cookies) {
      const attributes = c.split(/;\s*/).map((a) => a.toLowerCase());
      expect(attributes, c).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=lax', 'path=/']));
      expect(
        attributes.some((a) => a.startsWith('domain=')),
        c,
      ).toBe(false);
    }
    const jar = jarOf(res);
    expect(await whoIs(t.url, jar)).toBe('Pat Planner');
    // A cookie without the prefix is one a plain-http page could have planted: not read.
    const unprefixed = new Map([...jar].map(([name, value]) => [name.replace(/^__Secure-/, ''), value]));
    expect(await whoIs(t.url, unprefixed)).toBe(401);

    const out = await fetch(`${t.url}/api/auth/sign-out`, { method: 'POST', headers: { origin: publicUrl, cookie: cookieHeader(jar) } });
    expect(out.status).toBe(200);
    for (const c of out.headers.getSetCookie()) expect(c.toLowerCase(), c).toContain('secure');
    expect(await whoIs(t.url, jar)).toBe(401);

    recordFaultFigures('sessions', { extra: figures });
  });
});
