import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMember } from '@switchboard/api';
import { seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * The signed session cache cookie spares a Postgres read per API request; it lasts 30 s, and
 * the API hands the browser a renewed one, as better-auth's own endpoints do.
 */

let t: TestHost;
let cookies: Map<string, string>;
const email = 'supervisor@session.test';
const password = `pw-${randomBytes(12).toString('hex')}`;

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
const parseSetCookies = (res: Response) => new Map(res.headers.getSetCookie().map((c) => c.split(';')[0]!.split(/=(.*)/s).slice(0, 2) as [string, string]));

async function signIn(): Promise<Map<string, string>> {
  const res = await fetch(`${t.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.url },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return parseSetCookies(res);
}

const me = (jar: Map<string, string>) => fetch(`${t.url}/api/trpc/session.me`, { headers: { cookie: cookieHeader(jar) } });

beforeAll(async () => {
  t = await startTestHost();
  const db = t.host.db.db;
  const tenantId = await seedTenant(db, { slug: `session-${randomUUID().slice(0, 8)}`, name: 'Session tenant', config: demoCenter });
  await ensureMember(t.host.auth, db, { email, name: 'Sam Supervisor', password, role: 'supervisor', tenantId, teamKeys: [demoCenter.teams[0]!.id] });
  cookies = await signIn();
});

afterAll(async () => {
  await t?.stop();
});

describe('session cookies on the API', () => {
  it('sets no cookie while the signed session cache is valid', async () => {
    expect([...cookies.keys()].sort()).toEqual(['switchboard.session_data', 'switchboard.session_token']);
    for (let i = 0; i < 2; i++) {
      const res = await me(cookies);
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('renews the session cache cookie when it is gone, and the renewed one signs the viewer in', async () => {
    const tokenOnly = new Map([['switchboard.session_token', cookies.get('switchboard.session_token')!]]);
    const res = await me(tokenOnly);
    expect(res.status).toBe(200);
    const renewed = parseSetCookies(res);
    expect(renewed.get('switchboard.session_data')).toMatch(/.{20,}/);
    expect(renewed.get('switchboard.session_data')).not.toBe(cookies.get('switchboard.session_data'));

    const cached = new Map([...tokenOnly, ['switchboard.session_data', renewed.get('switchboard.session_data')!]]);
    const answer = await me(cached);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(await answer.json())).toContain('Sam Supervisor');
  });

  it('refuses a signed-out session once its cookie cache is gone, and a forged cache cookie at once', async () => {
    const session = await signIn();
    expect((await me(session)).status).toBe(200);
    const out = await fetch(`${t.url}/api/auth/sign-out`, { method: 'POST', headers: { origin: t.url, cookie: cookieHeader(session) } });
    expect(out.status).toBe(200);
    const tokenOnly = new Map([['switchboard.session_token', session.get('switchboard.session_token')!]]);
    expect((await me(tokenOnly)).status).toBe(401);

    // A cache cookie with its payload changed (signature kept) does not stand in for the session.
    const data = session.get('switchboard.session_data')!;
    const forged = new Map([...tokenOnly, ['switchboard.session_data', `${data.slice(0, 20)}${data[20] === 'A' ? 'B' : 'A'}${data.slice(21)}`]]);
    expect((await me(forged)).status).toBe(401);
  });

  it('answers an anonymous request with no cookie', async () => {
    const res = await fetch(`${t.url}/api/trpc/session.me`);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
