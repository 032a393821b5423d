import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMember } from '@switchboard/api';
import { listAlertRules, seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * Cross-site request forgery against the cookie-authenticated API, over real HTTP: every
 * request a foreign page could make a signed-in browser send (forms, text/plain, foreign
 * Origin, cross-site fetch, GET, other methods) is refused before it changes anything.
 */

let t: TestHost;
let tenantId: string;
let cookie: string;
const email = 'supervisor@csrf.test';
const password = `pw-${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  t = await startTestHost();
  const db = t.host.db.db;
  tenantId = await seedTenant(db, { slug: `csrf-${randomUUID().slice(0, 8)}`, name: 'CSRF tenant', config: demoCenter });
  await ensureMember(t.host.auth, db, { email, name: 'Sam Supervisor', password, role: 'supervisor', tenantId, teamKeys: [demoCenter.teams[0]!.id] });
  const res = await fetch(`${t.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.url },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  expect(cookie).toContain('switchboard.session_token=');
});

afterAll(async () => {
  await t?.stop();
});

const rule = {
  name: 'backs up',
  queueId: null,
  teamId: null,
  match: 'all',
  conditions: [{ metric: 'waiting', comparator: 'above', threshold: 3, clearThreshold: 2 }],
  fireAfterS: 0,
  clearAfterS: 0,
  severity: 'warning',
  enabled: true,
};
const SAVE = '/api/trpc/wallboard.alertRules.save';

async function ruleCount(): Promise<number> {
  return (await listAlertRules(t.host.db.db, tenantId)).length;
}

interface Attack {
  name: string;
  /** Path and fetch options; the session cookie is added to every one. */
  request(): { path: string; init: RequestInit & { headers?: Record<string, string> } };
  status: number;
  /** The host's machine-readable `error`, or tRPC's error code when tRPC answers. */
  error?: string;
  trpcCode?: string;
}

const form = () => new URLSearchParams(Object.entries(rule).map(([k, v]): [string, string] => [k, String(v)]));

const attacks: Attack[] = [
  {
    name: 'a form post (application/x-www-form-urlencoded)',
    request: () => ({
      path: SAVE,
      init: { method: 'POST', headers: { origin: t.url, 'content-type': 'application/x-www-form-urlencoded' }, body: form().toString() },
    }),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a multipart form post (multipart/form-data)',
    request: () => {
      const body = new FormData();
      for (const [k, v] of form()) body.append(k, v);
      // fetch sets multipart/form-data with its boundary itself.
      return { path: SAVE, init: { method: 'POST', headers: { origin: t.url }, body } };
    },
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a text/plain post carrying JSON (what a form with enctype=text/plain sends)',
    request: () => ({ path: SAVE, init: { method: 'POST', headers: { origin: t.url, 'content-type': 'text/plain' }, body: JSON.stringify(rule) } }),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a post without a content type',
    request: () => ({ path: SAVE, init: { method: 'POST', headers: { origin: t.url }, body: new TextEncoder().encode(JSON.stringify(rule)) } }),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a JSON post from a foreign Origin',
    request: () => ({
      path: SAVE,
      init: { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: JSON.stringify(rule) },
    }),
    status: 403,
    error: 'forbidden_origin',
  },
  {
    name: 'a JSON post from an opaque Origin (null: sandboxed frames, data: URLs)',
    request: () => ({ path: SAVE, init: { method: 'POST', headers: { origin: 'null', 'content-type': 'application/json' }, body: JSON.stringify(rule) } }),
    status: 403,
    error: 'forbidden_origin',
  },
  {
    name: 'a JSON post marked Sec-Fetch-Site: cross-site (no Origin)',
    request: () => ({
      path: SAVE,
      init: { method: 'POST', headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, body: JSON.stringify(rule) },
    }),
    status: 403,
    error: 'forbidden_origin',
  },
  {
    name: 'the mutation over GET (a link or an <img>)',
    request: () => ({ path: `${SAVE}?input=${encodeURIComponent(JSON.stringify(rule))}`, init: { method: 'GET' } }),
    status: 405,
    trpcCode: 'METHOD_NOT_SUPPORTED',
  },
  {
    name: 'a CORS preflight (OPTIONS), which must not grant a foreign page JSON posts',
    request: () => ({
      path: SAVE,
      init: {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      },
    }),
    status: 405,
    error: 'method_not_allowed',
  },
  ...['PUT', 'DELETE', 'PATCH'].map((method): Attack => ({
    name: `the mutation over ${method}`,
    request: () => ({ path: SAVE, init: { method, headers: { origin: t.url, 'content-type': 'application/json' }, body: JSON.stringify(rule) } }),
    status: 405,
    error: 'method_not_allowed',
  })),
];

describe('the tRPC API refuses cross-site mutations', () => {
  it.each(attacks)('refuses $name with $status and stores nothing', async (attack) => {
    const before = await ruleCount();
    const { path, init } = attack.request();
    const res = await fetch(`${t.url}${path}`, { ...init, headers: { ...init.headers, cookie } });
    expect(res.status).toBe(attack.status);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const body = (await res.json()) as { error?: unknown; result?: unknown };
    expect(body).not.toHaveProperty('result');
    if (attack.error) expect(body.error).toBe(attack.error);
    if (attack.trpcCode) expect(body.error).toMatchObject({ data: { code: attack.trpcCode } });
    expect(await ruleCount()).toBe(before);
  });

  // The control case: the same mutation, sent as the app sends it, goes through, so the
  // refusals above are the guard's doing and not a broken request.
  it('accepts a same-origin JSON post and stores the rule', async () => {
    const before = await ruleCount();
    const res = await fetch(`${t.url}${SAVE}`, {
      method: 'POST',
      headers: { origin: t.url, 'content-type': 'application/json; charset=utf-8', cookie },
      body: JSON.stringify(rule),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: { data: { name: 'backs up', conditions: rule.conditions, tenantId } } });
    expect(await ruleCount()).toBe(before + 1);
  });
});

describe("better-auth's sign-in refuses foreign origins (login CSRF)", () => {
  const signIn = (headers: Record<string, string>, body: string) => fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers, body });

  // Login CSRF: a foreign page signing the browser in to the attacker's account needs no cookie.
  it('refuses a JSON sign-in from a foreign Origin without setting a cookie', async () => {
    const res = await signIn({ origin: 'https://evil.example', 'content-type': 'application/json' }, JSON.stringify({ email, password }));
    // Holds under vitest too: createAuth sets the origin checks explicitly, which better-auth
    // would otherwise turn off when NODE_ENV=test or TEST is set.
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'INVALID_ORIGIN' });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a cross-site form sign-in (a navigation from a foreign page) without setting a cookie', async () => {
    const res = await signIn(
      {
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
      },
      new URLSearchParams({ email, password }).toString(),
    );
    expect(res.status).toBe(403);
    // Either check may refuse it first: the foreign Origin or the cross-site navigation.
    expect(['INVALID_ORIGIN', 'CROSS_SITE_NAVIGATION_LOGIN_BLOCKED']).toContain(((await res.json()) as { code: string }).code);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
