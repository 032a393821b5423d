import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { base32 } from '@better-auth/utils/base32';
import { createOTP } from '@better-auth/utils/otp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMember } from '@switchboard/api';
import { schema, seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { callApi, cookieOf, signIn } from './support/api-client.ts';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * Optional two-factor sign-in (better-auth's plugin): a person turns it on with their
 * password and an authenticator's first code; from then on the password alone gives no
 * session, the authenticator's current code or a backup code (once) does. The codes are
 * computed here as an authenticator app computes them, from the key in the QR code.
 */

let t: TestHost;
let tenantId: string;
let adminCookie: string;
const password = `pw-${randomBytes(12).toString('hex')}`;
const email = `two-factor-${randomUUID().slice(0, 8)}@factor.test`;
const adminEmail = `admin-${randomUUID().slice(0, 8)}@factor.test`;
let totp: () => Promise<string>;
let backupCodes: string[];

let client = 0;

/**
 * better-auth allows 3 two-factor requests per client address in 10 s (a guessing brake):
 * each call here comes from its own address (the host trusts 127.0.0.1 as a proxy).
 */
function authPost(path: string, cookie: string, body: unknown): Promise<Response> {
  client++;
  return fetch(`${t.url}/api/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.url, cookie, 'x-forwarded-for': `198.51.100.${client}` },
    body: JSON.stringify(body),
  });
}

async function auditActions(): Promise<string[]> {
  const { auditLog } = schema;
  const rows = await t.host.db.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.objectType, 'user')));
  return rows.map((r) => r.action).filter((a) => a.includes('factor'));
}

/** Two codes of the same 30 s window are the same code: wait for the next window so a code is never reused. */
async function freshCode(previous: string | null): Promise<string> {
  for (;;) {
    const code = await totp();
    if (code !== previous) return code;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

beforeAll(async () => {
  t = await startTestHost({ SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.1,::1' });
  tenantId = await seedTenant(t.host.db.db, { slug: `factor-${randomUUID().slice(0, 8)}`, name: 'Two-factor tenant', config: demoCenter });
  await ensureMember(t.host.auth, t.host.db.db, { email, name: 'Tess Factor', password, role: 'planner', tenantId });
  await ensureMember(t.host.auth, t.host.db.db, { email: adminEmail, name: 'Admin', password, role: 'admin', tenantId });
  adminCookie = cookieOf(await signIn(t.url, adminEmail, password));
});

afterAll(async () => {
  await t?.stop();
});

describe('two-factor sign-in with an authenticator app', () => {
  let lastCode: string | null = null;

  it('is turned on with the password and a first code from the app', async () => {
    const cookie = cookieOf(await signIn(t.url, email, password));
    expect((await authPost('/two-factor/enable', cookie, { password: 'not my password at all' })).status).toBe(400);
    const enabled = await authPost('/two-factor/enable', cookie, { password });
    expect(enabled.status).toBe(200);
    const body = (await enabled.json()) as { totpURI: string; backupCodes: string[] };
    const uri = new URL(body.totpURI);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('issuer')).toBe('Switchboard');
    totp = createOTP(base32.decode(uri.searchParams.get('secret')!)).totp;
    backupCodes = body.backupCodes;
    expect(backupCodes).toHaveLength(10);

    // Not on until the app's code confirms it: a wrong code changes nothing.
    expect((await authPost('/two-factor/verify-totp', cookie, { code: '000000' })).status).toBe(401);
    lastCode = await freshCode(null);
    const confirmed = await authPost('/two-factor/verify-totp', cookie, { code: lastCode });
    expect(confirmed.status).toBe(200);
    const [user] = await t.host.db.db.select({ on: schema.users.twoFactorEnabled }).from(schema.users).where(eq(schema.users.email, email));
    expect(user!.on).toBe(true);
    // The secret is stored encrypted, never as the app's key.
    const [stored] = await t.host.db.db.select({ secret: schema.twoFactors.secret }).from(schema.twoFactors);
    expect(stored!.secret).not.toBe(uri.searchParams.get('secret'));
  });

  it('then gives no session for the password alone; the current code completes the sign-in', async () => {
    const first = await signIn(t.url, email, password);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ twoFactorRedirect: true });
    const pending = cookieOf(first);
    expect((await callApi(t.url, pending, 'session.me')).status).toBe(401);

    expect((await authPost('/two-factor/verify-totp', pending, { code: '123456' === lastCode ? '654321' : '123456' })).status).toBe(401);
    lastCode = await freshCode(lastCode);
    const second = await authPost('/two-factor/verify-totp', pending, { code: lastCode });
    expect(second.status).toBe(200);
    const me = await callApi(t.url, cookieOf(second), 'session.me');
    expect(me.data).toMatchObject({ name: 'Tess Factor', role: 'planner' });
  });

  it('takes a backup code once, and shows administrators who uses an authenticator', async () => {
    const [code] = backupCodes;
    const first = await signIn(t.url, email, password);
    const used = await authPost('/two-factor/verify-backup-code', cookieOf(first), { code });
    expect(used.status).toBe(200);
    const again = await signIn(t.url, email, password);
    expect((await authPost('/two-factor/verify-backup-code', cookieOf(again), { code })).status).toBe(401);

    const people = (await callApi(t.url, adminCookie, 'admin.people')).data as { email: string; twoFactor: boolean; password: boolean }[];
    expect(people.find((p) => p.email === email)).toMatchObject({ twoFactor: true, password: true });
    expect(people.find((p) => p.email === adminEmail)).toMatchObject({ twoFactor: false });
  });

  it('is turned off with the password; the password alone signs in again; every step is in the audit trail', async () => {
    lastCode = await freshCode(lastCode);
    const signedIn = cookieOf(await authPost('/two-factor/verify-totp', cookieOf(await signIn(t.url, email, password)), { code: lastCode }));
    expect((await authPost('/two-factor/disable', signedIn, { password })).status).toBe(200);
    const plain = await signIn(t.url, email, password);
    expect(await plain.json()).not.toHaveProperty('twoFactorRedirect');
    expect((await callApi(t.url, cookieOf(plain), 'session.me')).status).toBe(200);
    expect((await auditActions()).sort()).toEqual([
      'sign_in.second_factor',
      'sign_in.second_factor',
      'sign_in.second_factor',
      'two_factor.disable',
      'two_factor.enable',
    ]);
  });
});
