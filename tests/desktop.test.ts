import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMember } from '@switchboard/api';
import type { TelemetryEvent } from '@switchboard/contracts';
import { createApiKey, getDesktopEmbedSettings, seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { callApi, cookieOf, signIn } from './support/api-client.ts';
import { postAll } from './support/events.ts';
import { answeredEvent, FRUSTRATED_CUSTOMER, segmentEvent as segment } from './support/live-call.ts';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * The desktop panel's push channel through the real host: Server-Sent Events for the signed-in agent only, nudges
 * worked out from the events ingest stored (a frustrated customer, a hold past a minute by the timer) and pushed to
 * that agent's panels alone, once each.
 */

const team = demoCenter.teams[0]!;
const [a1, a2] = demoCenter.agents.filter((a) => a.team_id === team.id) as [(typeof demoCenter.agents)[number], (typeof demoCenter.agents)[number]];
const password = 'a long enough test password';
const emails = {
  a1: `a1-${randomUUID().slice(0, 8)}@desktop.test`,
  a2: `a2-${randomUUID().slice(0, 8)}@desktop.test`,
  sup: `s-${randomUUID().slice(0, 8)}@desktop.test`,
  admin: `ad-${randomUUID().slice(0, 8)}@desktop.test`,
};

let t: TestHost;
let apiKey: string;
let embedKey: string;
let slug: string;
let tenantId: string;
const cookies: Record<keyof typeof emails, string> = { a1: '', a2: '', sup: '', admin: '' };

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** An open event stream: the frames so far, and a wait for the next one that matches. */
async function openStream(credential: string | { authorization: string }) {
  const controller = new AbortController();
  const headers = typeof credential === 'string' ? { cookie: credential } : credential;
  const res = await fetch(`${t.url}/api/desktop/events`, { headers, signal: controller.signal });
  const frames: Frame[] = [];
  const waiting: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  let buffer = '';
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(raw)?.[1];
          const data = /^data: (.*)$/m.exec(raw)?.[1];
          if (!event || data === undefined) continue;
          const frame = { event, data: JSON.parse(data) as Record<string, unknown> };
          frames.push(frame);
          for (const w of waiting.filter((w) => w.match(frame))) {
            waiting.splice(waiting.indexOf(w), 1);
            w.resolve(frame);
          }
        }
      }
    } catch {
      // Aborted at the end of the test.
    }
  })();
  return {
    res,
    frames,
    next: (match: (f: Frame) => boolean, timeoutMs = 10_000) =>
      new Promise<Frame>((resolve, reject) => {
        const found = frames.find(match);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`)), timeoutMs);
        waiting.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      }),
    close: () => controller.abort(),
  };
}

beforeAll(async () => {
  t = await startTestHost();
  const db = t.host.db.db;
  slug = `desk-${randomUUID().slice(0, 8)}`;
  tenantId = await seedTenant(db, { slug, name: 'Desktop', config: demoCenter });
  apiKey = (await createApiKey(db, tenantId, 'desktop test')).key;
  embedKey = (await createApiKey(db, tenantId, 'crm', { scopes: ['desktop:embed'] })).key;
  await ensureMember(t.host.auth, db, { email: emails.a1, password, name: 'Agent One', role: 'agent', tenantId, agentKey: a1.id });
  await ensureMember(t.host.auth, db, { email: emails.a2, password, name: 'Agent Two', role: 'agent', tenantId, agentKey: a2.id });
  await ensureMember(t.host.auth, db, { email: emails.sup, password, name: 'Sup', role: 'supervisor', tenantId, teamKeys: [team.id] });
  await ensureMember(t.host.auth, db, { email: emails.admin, password, name: 'Admin', role: 'admin', tenantId });
  for (const who of ['a1', 'a2', 'sup', 'admin'] as const) {
    const res = await signIn(t.url, emails[who], password);
    expect(res.status).toBe(200);
    cookies[who] = cookieOf(res);
  }
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('the desktop stream', () => {
  it('is for a signed-in agent only', async () => {
    expect((await fetch(`${t.url}/api/desktop/events`)).status).toBe(401);
    const supervisor = await fetch(`${t.url}/api/desktop/events`, { headers: { cookie: cookies.sup } });
    expect(supervisor.status).toBe(403);
    expect(await supervisor.json()).toMatchObject({ error: 'forbidden' });
    expect((await fetch(`${t.url}/api/desktop/events`, { method: 'POST', headers: { cookie: cookies.a1 } })).status).toBe(405);
  });

  it('says hello, then pushes a nudge for a frustrated customer to that agent’s panels only, once', async () => {
    const mine = await openStream(cookies.a1);
    const theirs = await openStream(cookies.a2);
    expect(mine.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await mine.next((f) => f.event === 'ready')).data).toMatchObject({ agentKey: a1.id });
    await theirs.next((f) => f.event === 'ready');
    const interactionId = `desk-${randomUUID()}`;
    const answeredAt = Date.now() - 60_000;
    await postAll(t.url, apiKey, [
      answeredEvent(interactionId, a1.id, answeredAt),
      segment(interactionId, a1.id, answeredAt, 0, 'agent', "Good morning, you're through to Sam, how can I help?"),
      segment(interactionId, a1.id, answeredAt, 1, 'customer', FRUSTRATED_CUSTOMER),
    ]);
    const nudge = await mine.next((f) => f.event === 'nudge');
    expect(nudge.data).toEqual({
      id: `${interactionId}:empathy:segment-1`,
      kind: 'empathy',
      message: 'The customer sounds frustrated: acknowledge it before moving on.',
      interactionId,
      firesAt: answeredAt + 5000 + 4000,
    });
    // The same words again (a resent batch) push nothing new.
    await postAll(t.url, apiKey, [segment(interactionId, a1.id, answeredAt, 1, 'customer', FRUSTRATED_CUSTOMER)]);
    await postAll(t.url, apiKey, [segment(interactionId, a1.id, answeredAt, 2, 'agent', 'I understand, let me look.')]);
    await new Promise((r) => setTimeout(r, 500));
    expect(mine.frames.filter((f) => f.event === 'nudge')).toHaveLength(1);
    expect(theirs.frames.filter((f) => f.event === 'nudge')).toHaveLength(0);
    mine.close();
    theirs.close();
  }, 60_000);

  it('fires "update the customer" by a timer when a hold passes a minute', async () => {
    const stream = await openStream(cookies.a1);
    await stream.next((f) => f.event === 'ready');
    const interactionId = `desk-${randomUUID()}`;
    const answeredAt = Date.now() - 120_000;
    // On hold since 50 s ago: nothing yet (10 s of slack for a loaded machine to store it), then the timer fires.
    const heldAt = new Date(Date.now() - 50_000).toISOString();
    await postAll(t.url, apiKey, [
      answeredEvent(interactionId, a1.id, answeredAt),
      {
        event_id: randomUUID(),
        type: 'interaction.held',
        schema_version: 1,
        occurred_at: heldAt,
        sent_at: heldAt,
        source: 'routing',
        interaction_id: interactionId,
        queue_id: demoCenter.queues[0]!.id,
        channel: 'voice',
        agent_id: a1.id,
      } as TelemetryEvent,
    ]);
    expect(stream.frames.filter((f) => f.event === 'nudge')).toHaveLength(0);
    const nudge = await stream.next((f) => f.event === 'nudge' && f.data.kind === 'hold_update', 20_000);
    expect(nudge.data).toMatchObject({ id: `${interactionId}:hold_update:hold-0`, interactionId, firesAt: Date.parse(heldAt) + 60_000 });
    stream.close();
  }, 60_000);

  it('cannot be driven from another site: a forged acknowledgement is refused before it reaches the procedure', async () => {
    // What a foreign page's form or fetch would send with the agent's cookie: refused by origin, and by fetch metadata.
    const forged = (headers: Record<string, string>) =>
      fetch(`${t.url}/api/trpc/coaching.acknowledge`, {
        method: 'POST',
        headers: { cookie: cookies.a1, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ id: randomUUID() }),
      });
    const foreign = await forged({ origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: 'forbidden_origin' });
    expect((await forged({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // As a form would post it (no JSON): refused too.
    const form = await fetch(`${t.url}/api/trpc/coaching.acknowledge`, {
      method: 'POST',
      headers: { cookie: cookies.a1, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'id=x',
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
  });

  it('refuses a sixth panel of one agent with 429', async () => {
    const streams = [];
    for (let i = 0; i < 5; i++) {
      const s = await openStream(cookies.a2);
      await s.next((f) => f.event === 'ready');
      streams.push(s);
    }
    const sixth = await fetch(`${t.url}/api/desktop/events`, { headers: { cookie: cookies.a2 } });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('retry-after')).toBe('30');
    for (const s of streams) s.close();
  }, 60_000);
});

/** What the embedding app's server does: a handshake token for one agent, with its API key. */
const mint = (body: unknown, key: string | null = embedKey) =>
  fetch(`${t.url}/api/v1/desktop/embed-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

/** What the framed page does with it: same origin, JSON. */
const redeem = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/api/desktop/embed/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.url, ...headers },
    body: JSON.stringify(body),
  });

async function panelToken(agentKey: string): Promise<string> {
  const minted = (await (await mint({ agent: agentKey })).json()) as { token: string };
  const res = await redeem({ token: minted.token, tenant: slug });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe('the embedded panel', () => {
  it('opens for an agent member only, with an API key of the desktop:embed scope', async () => {
    expect((await mint({ agent: a1.id }, null)).status).toBe(401);
    const ingestOnly = await mint({ agent: a1.id }, apiKey);
    expect(ingestOnly.status).toBe(403);
    expect(await ingestOnly.json()).toMatchObject({ error: 'insufficient_scope', scope: 'desktop:embed' });
    const stranger = await mint({ agent: demoCenter.agents.find((a) => a.team_id !== team.id)!.id });
    expect(stranger.status).toBe(404);
    expect(await stranger.json()).toMatchObject({ error: 'agent_not_member' });
    const malformed = await mint({ agent: a1.id, role: 'admin' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_request' });
    expect((await fetch(`${t.url}/api/v1/desktop/embed-tokens`, { headers: { authorization: `Bearer ${embedKey}` } })).status).toBe(405);
    const minted = await mint({ agent: a1.id });
    expect(minted.status).toBe(201);
    const body = (await minted.json()) as { token: string; expiresAt: string; path: string };
    expect(body.token).toMatch(/^sbe_[A-Za-z0-9_-]{43}$/);
    expect(body.path).toBe(`/desktop/embed/${slug}#token=${body.token}`);
    // A minute to load the frame.
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(30_000);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('redeems a handshake once, for its own tenant’s page, from the same origin only', async () => {
    const fresh = async () => ((await (await mint({ agent: a1.id })).json()) as { token: string }).token;
    // A foreign page cannot redeem (or plant) a token: by Origin, fetch metadata and content type.
    const forged = await redeem({ token: await fresh(), tenant: slug }, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: 'forbidden_origin' });
    expect((await redeem({ token: await fresh(), tenant: slug }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await redeem({ token: await fresh(), tenant: slug }, { 'content-type': 'text/plain' })).status).toBe(415);
    // Another tenant's page: refused (and the token is spent).
    const other = await t.createTenant();
    const own = (await callApi(t.url, cookies.admin, 'admin.desktopEmbed')).data as { pagePath: string };
    expect(own.pagePath).toBe(`/desktop/embed/${slug}`);
    const { slug: foreignSlug } = await getDesktopEmbedSettings(t.host.db.db, other.tenantId);
    const wrongPage = await redeem({ token: await fresh(), tenant: foreignSlug });
    expect(wrongPage.status).toBe(401);
    expect(await wrongPage.json()).toMatchObject({ error: 'invalid_token' });
    const token = await fresh();
    const first = await redeem({ token, tenant: slug });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { token: string }).token).toMatch(/^sbp_/);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect((await redeem({ token, tenant: slug })).status).toBe(401);
    expect((await redeem({ token: 'sbe_not-a-token', tenant: slug })).status).toBe(401);
    expect((await redeem({ token, tenant: '../admin' })).status).toBe(400);
  });

  it('reaches the agent’s own panel procedures and stream with its token, and nothing else', async () => {
    const authorization = `Bearer ${await panelToken(a1.id)}`;
    const asPanel = (path: string, input?: unknown, options: { query?: boolean } = {}) =>
      callApi(t.url, '', path, input, { ...options, headers: { authorization } });
    const me = await asPanel('session.me');
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ role: 'agent', agent: { key: a1.id } });
    expect((await asPanel('coaching.mine')).status).toBe(200);
    expect((await asPanel('desktop.kpis')).status).toBe(200);
    expect((await asPanel('quality.mine', {}, { query: true })).status).toBe(200);
    expect((await asPanel('me.schedule', {}, { query: true })).status).toBe(200);
    // Everything else an agent may do with a session is closed to the panel's token.
    const timeOff = await asPanel('me.timeOff.list');
    expect(timeOff.status).toBe(403);
    expect(timeOff.message).toMatch(/embedded desktop panel/);
    expect((await asPanel('me.timeOff.request', { date: '2030-01-02', fromMin: null, toMin: null })).status).toBe(403);
    // A bearer header replaces the cookie: a supervisor's cookie with a bad token is no one.
    const bad = await callApi(t.url, cookies.sup, 'session.me', undefined, { headers: { authorization: 'Bearer sbp_forged' } });
    expect(bad.status).toBe(401);
    // A proxy's Basic credentials in front of the app are not a panel token: the cookie decides.
    const basic = await callApi(t.url, cookies.sup, 'session.me', undefined, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(200);
    expect(basic.data).toMatchObject({ role: 'supervisor' });
    const stream = await openStream({ authorization });
    expect((await stream.next((f) => f.event === 'ready')).data).toMatchObject({ agentKey: a1.id });
    stream.close();
    expect((await fetch(`${t.url}/api/desktop/events`, { headers: { authorization: 'Bearer sbp_forged' } })).status).toBe(401);
  });

  it('is framed only by the origins the tenant’s admin allows, validated and audited; every other page by none', async () => {
    const set = (origins: string[]) => callApi(t.url, cookies.admin, 'admin.setDesktopFrameAncestors', { origins });
    for (const origins of [['*'], ['http://crm.example.com'], ['https://crm.example.com/panel'], ["'self'"], ['https://*']]) {
      const refused = await set(origins);
      expect(refused.status, origins[0]).toBe(400);
    }
    expect((await callApi(t.url, cookies.sup, 'admin.setDesktopFrameAncestors', { origins: [] })).status).toBe(403);
    const headerOf = async (path: string) => (await fetch(`${t.url}${path}`)).headers.get('content-security-policy');
    // Read before any allowlist is set: none (answers are kept 30 s, so this runs on a slug not read before).
    const none = await t.createTenant();
    const { slug: noneSlug } = await getDesktopEmbedSettings(t.host.db.db, none.tenantId);
    expect(await headerOf(`/desktop/embed/${noneSlug}`)).toBe("frame-ancestors 'none'");
    expect(await headerOf('/desktop/embed/no-such-tenant')).toBe("frame-ancestors 'none'");
    const saved = await set(['HTTPS://CRM.example.com', 'https://*.example.org:8443', 'http://localhost:3000', 'https://crm.example.com']);
    expect(saved.status).toBe(200);
    expect(saved.data).toEqual({
      pagePath: `/desktop/embed/${slug}`,
      frameAncestors: ['https://crm.example.com', 'https://*.example.org:8443', 'http://localhost:3000'],
    });
    expect(await headerOf(`/desktop/embed/${slug}`)).toBe('frame-ancestors https://crm.example.com https://*.example.org:8443 http://localhost:3000');
    const hour = 3_600_000;
    const trail = (
      await callApi(
        t.url,
        cookies.admin,
        'admin.audit',
        { from: new Date(Date.now() - hour).toISOString(), to: new Date(Date.now() + hour).toISOString(), action: 'desktop_embed.set' },
        { query: true },
      )
    ).data as { entries: { action: string }[] };
    expect(trail.entries.map((e) => e.action)).toContain('desktop_embed.set');
  });
});
