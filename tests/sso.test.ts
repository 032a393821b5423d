import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMember } from '@switchboard/api';
import { ssoErrors } from '@switchboard/contracts';
import { schema, seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { callApi, cookieOf, signIn } from './support/api-client.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { startTestIdp, type TestIdp } from './support/oidc-idp.ts';

/**
 * Single sign-on end to end: the host and a real OpenID provider (oidc-provider) on loopback,
 * the provider allowlisted for the outbound guard as an operator would allowlist an internal
 * one. Each sign-in drives the provider's own login and consent screens over HTTP, then hands
 * the callback to the host as the browser would.
 */

let t: TestHost;
let idp: TestIdp;
let tenantId: string;
let adminCookie: string;
const run = randomUUID().slice(0, 8);
const domain = `acme-${run}.test`;
const password = `pw-${randomBytes(12).toString('hex')}`;
const adminEmail = `admin@${domain}`;

/** The IdP's accounts by login name; the e-mail is what the provider vouches for. */
const accounts = {
  alice: { email: `alice@${domain}`, name: 'Alice Jit' },
  bob: { email: `bob@${domain}`, name: 'Bob Uninvited' },
  carol: { email: `carol@${domain}`, name: 'Carol Invited' },
  admin: { email: adminEmail, name: 'Acme Admin' },
  mallory: { email: `mallory@elsewhere-${run}.test`, name: 'Mallory' },
  dave: { email: `dave@${domain}`, name: 'Dave Elsewhere' },
  unverified: { email: `eve@${domain}`, name: 'Eve', emailVerified: false },
};

class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Starts a sign-in as `email`, signs in at the provider as `login`, and returns the callback URL the provider sends the browser to. */
async function throughProvider(email: string, login: string): Promise<string> {
  const start = await fetch(`${t.url}/api/auth/sso/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.url },
    body: JSON.stringify({ email, callbackURL: '/wallboard' }),
  });
  expect(start.status, await start.clone().text()).toBe(200);
  let next: { url: string; method: 'GET' | 'POST'; body?: URLSearchParams } = { url: ((await start.json()) as { url: string }).url, method: 'GET' };
  const jar = new Jar();
  for (let step = 0; step < 20; step++) {
    if (!next.url.startsWith(idp.issuer)) return next.url;
    const res = await fetch(next.url, { method: next.method, redirect: 'manual', headers: { cookie: jar.header }, ...(next.body ? { body: next.body } : {}) });
    jar.take(res);
    const location = res.headers.get('location');
    if (location) {
      next = { url: new URL(location, next.url).href, method: 'GET' };
      continue;
    }
    // A development screen: the login form (any login, any password) or the consent form.
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected page from the provider (${res.status}): ${html.slice(0, 300)}`);
    const body = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      body.set('login', login);
      body.set('password', 'anything');
    }
    next = { url: new URL(action, next.url).href, method: 'POST', body };
  }
  throw new Error('the provider never sent the browser back');
}

/** Hands the callback to the host: where it sends the browser, and the session cookie if any. */
async function callback(url: string): Promise<{ location: string; cookie: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return { location: res.headers.get('location')!, cookie: cookieOf(res) };
}

async function ssoSignIn(email: string, login = email.slice(0, email.indexOf('@'))) {
  return callback(await throughProvider(email, login));
}

const refusedWith = (code: keyof typeof ssoErrors) => `${t.url}/sign-in?sso_error=${code}`;

async function auditActions(prefix: string): Promise<string[]> {
  const { auditLog } = schema;
  const rows = await t.host.db.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), like(auditLog.action, `${prefix}%`)));
  return rows.map((r) => r.action).sort();
}

function saveSso(input: Record<string, unknown>, cookie = adminCookie) {
  return callApi(t.url, cookie, 'admin.saveSso', {
    issuer: idp.issuer,
    clientId: idp.clientId,
    domains: [domain],
    provisioning: 'jit',
    jitRole: 'analyst',
    ...input,
  });
}

beforeAll(async () => {
  // The operator allowlists the provider's host (any port) for the outbound guard: loopback and http are refused otherwise.
  t = await startTestHost({ SWITCHBOARD_OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
  idp = await startTestIdp({ redirectUri: `${t.url}/api/auth/sso/callback`, accounts });
  tenantId = await seedTenant(t.host.db.db, { slug: `sso-${run}`, name: 'SSO tenant', config: demoCenter });
  await ensureMember(t.host.auth, t.host.db.db, { email: adminEmail, name: 'Acme Admin', password, role: 'admin', tenantId });
  adminCookie = cookieOf(await signIn(t.url, adminEmail, password));
}, 120_000);

afterAll(async () => {
  await idp?.stop();
  await t?.stop();
});

describe('single sign-on with OpenID Connect', () => {
  it('refuses issuers the outbound guard refuses, before fetching anything, and names the reason', async () => {
    const cases: [string, string][] = [
      ['http://localhost:9/', 'http URLs are not accepted: use https'],
      ['https://169.254.169.254/', '169.254.169.254 is a link-local address (where cloud metadata services answer)'],
      ['https://10.1.2.3/', '10.1.2.3 is a private address'],
      ['https://[::1]/', '::1 is a loopback address'],
      ['https://user:pw@login.example.com/', 'a URL with a user name or password in it is not accepted'],
    ];
    for (const [issuer, reason] of cases) {
      const res = await saveSso({ issuer, clientSecret: 'x' });
      expect(res.status, issuer).toBe(400);
      expect(res.message).toBe(`the issuer is refused: ${reason}`);
    }
    // A first connection needs its secret.
    expect((await saveSso({})).message).toBe('a new connection needs the client secret the identity provider gave');
    expect(((await callApi(t.url, adminCookie, 'admin.sso')).data as { connection: unknown }).connection).toBeNull();
  });

  it('saves a connection after discovery, keeps the client secret sealed, and shows the redirect URI to register', async () => {
    const saved = await saveSso({ clientSecret: idp.clientSecret });
    expect(saved.status, saved.message).toBe(200);
    expect(saved.data).toMatchObject({
      redirectUri: `${t.url}/api/auth/sso/callback`,
      passwordSignIn: true,
      connection: { issuer: idp.issuer, clientId: idp.clientId, domains: [domain], provisioning: 'jit', jitRole: 'analyst' },
    });
    const [row] = await t.host.db.db.select().from(schema.ssoConnections).where(eq(schema.ssoConnections.tenantId, tenantId));
    expect(row!.clientSecretSealed).not.toContain(idp.clientSecret);
    expect(JSON.stringify(saved.data)).not.toContain(idp.clientSecret);
    expect(await auditActions('sso.')).toEqual(['sso.create']);
  });

  it('signs a new person in just in time with the configured role, and audits it', async () => {
    const { location, cookie } = await ssoSignIn(accounts.alice.email);
    expect(location).toBe(`${t.url}/wallboard`);
    const me = await callApi(t.url, cookie, 'session.me');
    expect(me.data).toMatchObject({ name: 'Alice Jit', role: 'analyst' });
    // A second sign-in finds the same person (by e-mail and the provider's subject).
    const again = await callApi(t.url, (await ssoSignIn(accounts.alice.email)).cookie, 'session.me');
    expect((again.data as { userId: string }).userId).toBe((me.data as { userId: string }).userId);
    expect(await auditActions('person.sso')).toEqual(['person.sso_provision']);
    expect(await auditActions('sign_in.sso')).toEqual(['sign_in.sso', 'sign_in.sso']);
  });

  it('refuses a replayed state, a token for another client, an expired token and an e-mail outside the domains, each with its message', async () => {
    const url = await throughProvider(accounts.alice.email, 'alice');
    expect((await callback(url)).location).toBe(`${t.url}/wallboard`);
    const replayed = await callback(url);
    expect(replayed).toEqual({ location: refusedWith('state'), cookie: '' });

    idp.tamper((claims) => ({ ...claims, aud: 'another-application' }));
    expect(await ssoSignIn(accounts.alice.email)).toEqual({ location: refusedWith('audience'), cookie: '' });
    const now = Math.floor(Date.now() / 1000);
    idp.tamper((claims) => ({ ...claims, iat: now - 1200, exp: now - 600 }));
    expect(await ssoSignIn(accounts.alice.email)).toEqual({ location: refusedWith('expired'), cookie: '' });
    idp.tamper(null);

    // Started as someone of the domain, signed in at the provider as someone else.
    expect(await ssoSignIn(accounts.alice.email, 'mallory')).toEqual({ location: refusedWith('domain'), cookie: '' });
    expect(await ssoSignIn(accounts.unverified.email, 'unverified')).toEqual({ location: refusedWith('email_missing'), cookie: '' });
    expect(await auditActions('sign_in.sso_refused')).toEqual([
      'sign_in.sso_refused.audience',
      'sign_in.sso_refused.domain',
      'sign_in.sso_refused.email_missing',
      'sign_in.sso_refused.expired',
    ]);
    // The sign-in page has a sentence for each code.
    expect(ssoErrors.audience).toContain('wrong audience');
  });

  it('refuses a domain no tenant signs in, and someone of another tenant', async () => {
    const start = await fetch(`${t.url}/api/auth/sso/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.url },
      body: JSON.stringify({ email: `someone@nowhere-${run}.test` }),
    });
    expect(start.status).toBe(404);
    expect(await start.json()).toMatchObject({ code: 'SSO_NO_CONNECTION', message: ssoErrors.no_connection });

    const other = await seedTenant(t.host.db.db, { slug: `other-${run}`, name: 'Other tenant', config: demoCenter });
    await ensureMember(t.host.auth, t.host.db.db, { email: accounts.dave.email, name: 'Dave Elsewhere', password, role: 'analyst', tenantId: other });
    expect(await ssoSignIn(accounts.dave.email)).toEqual({ location: refusedWith('other_tenant'), cookie: '' });
  });

  it('with invitation only, refuses people nobody invited and signs invited members in', async () => {
    expect((await saveSso({ provisioning: 'invite', jitRole: null })).status).toBe(200);
    expect(await ssoSignIn(accounts.bob.email)).toEqual({ location: refusedWith('not_invited'), cookie: '' });
    await ensureMember(t.host.auth, t.host.db.db, { email: accounts.carol.email, name: 'Carol Invited', password, role: 'planner', tenantId });
    const carol = await ssoSignIn(accounts.carol.email);
    expect(carol.location).toBe(`${t.url}/wallboard`);
    expect((await callApi(t.url, carol.cookie, 'session.me')).data).toMatchObject({ role: 'planner' });
  });

  it('switches password sign-in off only when the administrator can still sign in, then refuses passwords', async () => {
    expect((await saveSso({ domains: [`elsewhere-${run}.test`], provisioning: 'invite', jitRole: null })).status).toBe(200);
    const lockedOut = await callApi(t.url, adminCookie, 'admin.setPasswordSignIn', { enabled: false });
    expect(lockedOut.status).toBe(412);
    expect(lockedOut.message).toContain(`your own e-mail domain (${domain}) does not sign in through the identity provider`);

    expect((await saveSso({ provisioning: 'invite', jitRole: null })).status).toBe(200);
    expect((await callApi(t.url, adminCookie, 'admin.setPasswordSignIn', { enabled: false })).status).toBe(200);
    const refused = await signIn(t.url, accounts.carol.email, password);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'PASSWORD_SIGN_IN_DISABLED' });
    // Someone of another tenant still signs in with a password.
    expect((await signIn(t.url, accounts.dave.email, password)).status).toBe(200);
    const admin = await ssoSignIn(adminEmail, 'admin');
    expect((await callApi(t.url, admin.cookie, 'session.me')).data).toMatchObject({ role: 'admin' });

    // Removing the connection brings passwords back, or nobody could sign in.
    expect((await callApi(t.url, admin.cookie, 'admin.removeSso', {})).data).toEqual({ removed: true });
    expect((await signIn(t.url, accounts.carol.email, password)).status).toBe(200);
    expect(await auditActions('password_sign_in')).toEqual(['password_sign_in.disable']);
    expect(await auditActions('sso.')).toEqual(['sso.create', 'sso.delete', 'sso.update', 'sso.update', 'sso.update']);
  });
});
