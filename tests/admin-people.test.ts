import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMember } from '@switchboard/api';
import { seedTenant, takeOutbox } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { ndjson, post, sampleInteraction } from './support/events.ts';
import { callApi, cookieOf, signIn as signInOver } from './support/api-client.ts';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * A tenant administrator runs their directory over the web API, as the /admin screens do:
 * invitations through the outbox, role changes and deactivation that apply on the person's
 * next request, the last administrator kept, and API keys created, rotated and revoked.
 */

let t: TestHost;
let tenantId: string;
let admin: string;
const adminEmail = `admin-${randomUUID().slice(0, 8)}@people.test`;
const adminPassword = `pw-${randomBytes(12).toString('hex')}`;
let adminUserId: string;

const signIn = (email: string, password: string) => signInOver(t.url, email, password);
const trpc = (cookie: string, path: string, input?: unknown) => callApi(t.url, cookie, path, input);

/** The invitation or reset link in the newest mail to `email`: follow it, choose a password. */
async function acceptLink(email: string, password: string, kind: 'invitation' | 'password_reset'): Promise<void> {
  const mail = (await takeOutbox(t.host.db.db, tenantId)).filter((m) => m.recipient === email);
  expect(mail.map((m) => m.kind)).toEqual([kind]);
  const link = /https?:\/\/\S+/.exec(mail[0]!.body)![0];
  const redirect = await fetch(link, { redirect: 'manual' });
  expect(redirect.status).toBe(302);
  const token = new URL(redirect.headers.get('location')!, t.url).searchParams.get('token');
  expect(new URL(redirect.headers.get('location')!, t.url).pathname).toBe('/set-password');
  const set = await fetch(`${t.url}/api/auth/reset-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.url },
    body: JSON.stringify({ newPassword: password, token }),
  });
  expect(set.status).toBe(200);
}

beforeAll(async () => {
  t = await startTestHost();
  const db = t.host.db.db;
  tenantId = await seedTenant(db, { slug: `people-${randomUUID().slice(0, 8)}`, name: 'People tenant', config: demoCenter });
  adminUserId = await ensureMember(t.host.auth, db, { email: adminEmail, name: 'Ada Admin', password: adminPassword, role: 'admin', tenantId });
  admin = cookieOf(await signIn(adminEmail, adminPassword));
});

afterAll(async () => {
  await t?.stop();
});

describe('people', () => {
  const email = `pat-${randomUUID().slice(0, 8)}@people.test`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let userId: string;

  it('invites a person by a one-time link kept in the outbox (never the log); they choose a password and sign in', async () => {
    const invited = await trpc(admin, 'admin.invite', { email, name: 'Pat Planner', role: 'planner' });
    expect(invited.status, invited.message).toBe(200);
    userId = (invited.data as { userId: string }).userId;
    const listed = (await trpc(admin, 'admin.people')).data as { userId: string; role: string; invited: boolean }[];
    expect(listed.find((p) => p.userId === userId)).toMatchObject({ role: 'planner', invited: true });

    await acceptLink(email, password, 'invitation');
    const me = await trpc(cookieOf(await signIn(email, password)), 'session.me');
    expect(me.data).toMatchObject({ role: 'planner', name: 'Pat Planner' });
    const after = (await trpc(admin, 'admin.people')).data as { userId: string; invited: boolean }[];
    expect(after.find((p) => p.userId === userId)?.invited).toBe(false);

    expect((await trpc(admin, 'admin.invite', { email: adminEmail, name: 'Again', role: 'planner' })).status).toBe(409);
    const bad = await trpc(admin, 'admin.invite', { email: `x-${email}`, name: 'No agent', role: 'agent', agentKey: 'no-such-agent' });
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('no agent "no-such-agent" in this center');
  });

  it('a role change and a deactivation apply on the person’s next request; activating again lets them back in', async () => {
    const session = cookieOf(await signIn(email, password));
    expect(((await trpc(session, 'session.me')).data as { role: string }).role).toBe('planner');
    expect((await trpc(admin, 'admin.updatePerson', { userId, role: 'analyst', qualityLead: true })).status).toBe(200);
    expect((await trpc(session, 'session.me')).data).toMatchObject({ role: 'analyst', qualityLead: true });

    expect((await trpc(admin, 'admin.deactivate', { userId })).status).toBe(200);
    expect((await trpc(session, 'session.me')).status).toBe(401);
    expect((await trpc(cookieOf(await signIn(email, password)), 'session.me')).status).toBe(401);
    expect((await trpc(admin, 'admin.activate', { userId })).status).toBe(200);
    expect((await trpc(cookieOf(await signIn(email, password)), 'session.me')).status).toBe(200);
  });

  it('a password reset goes through the outbox and ends the old sessions', async () => {
    const old = cookieOf(await signIn(email, password));
    expect((await trpc(admin, 'admin.resetPassword', { userId })).status).toBe(200);
    const fresh = `pw-${randomBytes(12).toString('hex')}`;
    await acceptLink(email, fresh, 'password_reset');
    expect((await signIn(email, password)).status).toBe(401);
    expect((await signIn(email, fresh)).status).toBe(200);
    // The session cache cookie outlives the session by up to 25 s; the token alone is refused at once.
    const token = old.split('; ').find((c) => c.startsWith('switchboard.session_token='))!;
    expect((await trpc(token, 'session.me')).status).toBe(401);
  });

  it('keeps the last active administrator: no self-deactivation, no demotion of the only admin', async () => {
    const self = await trpc(admin, 'admin.deactivate', { userId: adminUserId });
    expect(self.status).toBe(409);
    expect(self.message).toBe('you cannot deactivate yourself');
    const demote = await trpc(admin, 'admin.updatePerson', { userId: adminUserId, role: 'planner' });
    expect(demote.status).toBe(409);
    expect(demote.message).toContain('last active administrator');
  });

  it('another tenant’s administrator sees none of these people and cannot change them', async () => {
    const db = t.host.db.db;
    const other = await seedTenant(db, { slug: `people-b-${randomUUID().slice(0, 8)}`, name: 'Other', config: demoCenter });
    const otherEmail = `b-${randomUUID().slice(0, 8)}@people.test`;
    await ensureMember(t.host.auth, db, { email: otherEmail, name: 'Bea Admin', password: adminPassword, role: 'admin', tenantId: other });
    const b = cookieOf(await signIn(otherEmail, adminPassword));
    const people = (await trpc(b, 'admin.people')).data as { userId: string }[];
    expect(people.map((p) => p.userId)).not.toContain(userId);
    expect((await trpc(b, 'admin.deactivate', { userId })).status).toBe(404);
    expect((await trpc(b, 'admin.updatePerson', { userId, role: 'admin' })).status).toBe(404);
  });
});

describe('API keys', () => {
  const send = (key: string) => post(t.url, key, ndjson(sampleInteraction(new Date())));

  it('creates a key shown once, rotates it with an overlap, and a revoked key is refused from the next request', async () => {
    const created = (await trpc(admin, 'admin.createApiKey', { name: 'Genesys connector' })).data as { id: string; key: string };
    expect(created.key).toMatch(/^sbk_/);
    expect((await send(created.key)).status).toBe(200);

    const rotated = (await trpc(admin, 'admin.rotateApiKey', { keyId: created.id, overlapHours: 2 })).data as { id: string; key: string };
    expect((await send(rotated.key)).status).toBe(200);
    expect((await send(created.key)).status).toBe(200);
    const keys = (await trpc(admin, 'admin.apiKeys')).data as {
      id: string;
      name: string;
      status: string;
      createdBy: string | null;
      expiresAt: string | null;
    }[];
    expect(keys.find((k) => k.id === created.id)).toMatchObject({ status: 'rotating', createdBy: 'Ada Admin' });
    expect(Date.parse(keys.find((k) => k.id === created.id)!.expiresAt!) - Date.now()).toBeGreaterThan(110 * 60_000);
    expect(keys.find((k) => k.id === rotated.id)).toMatchObject({ name: 'Genesys connector', status: 'active' });
    expect(JSON.stringify(keys)).not.toContain(created.key.slice(13));

    expect((await trpc(admin, 'admin.revokeApiKey', { keyId: created.id })).status).toBe(200);
    expect((await send(created.key)).status).toBe(401);
    expect((await send(rotated.key)).status).toBe(200);
    expect((await trpc(admin, 'admin.revokeApiKey', { keyId: created.id })).status).toBe(404);
  });
});

describe('audit trail', () => {
  const window = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
  type Page = { entries: { action: string; userName: string | null; objectType: string; objectId: string }[]; more: boolean; retentionDays: number };
  const audit = async (filter: Record<string, unknown> = {}) => ({
    result: { data: (await callApi(t.url, admin, 'admin.audit', { ...window(), ...filter }, { query: true })).data as Page },
  });

  it('shows who did what to which object, filtered; exports are recorded too', async () => {
    const page = (await audit()).result!.data;
    const actions = page.entries.map((e) => e.action);
    for (const action of [
      'person.invite',
      'person.update',
      'person.deactivate',
      'person.activate',
      'person.password_reset',
      'api_key.create',
      'api_key.rotate',
      'api_key.revoke',
    ])
      expect(actions, action).toContain(action);
    expect(page.entries.find((e) => e.action === 'person.invite')).toMatchObject({ userName: 'Ada Admin', objectType: 'user' });
    expect(page.retentionDays).toBe(730);

    const keys = (await audit({ action: 'api_key.' })).result!.data.entries;
    expect(new Set(keys.map((e) => e.action))).toEqual(new Set(['api_key.create', 'api_key.rotate', 'api_key.revoke']));

    expect((await trpc(admin, 'session.recordExport', { what: 'audit trail', format: 'csv', rows: 3 })).status).toBe(200);
    expect((await audit({ action: 'export.' })).result!.data.entries[0]).toMatchObject({
      action: 'export.csv',
      objectId: 'audit trail (3 rows)',
      userName: 'Ada Admin',
    });
  });

  it('keeps the trail for a period the administrator sets, within bounds', async () => {
    expect((await trpc(admin, 'admin.setAuditRetention', { days: 30 })).status).toBe(400);
    expect((await trpc(admin, 'admin.setAuditRetention', { days: 365 })).status).toBe(200);
    const page = (await audit()).result!.data;
    expect(page.retentionDays).toBe(365);
    expect(page.entries[0]).toMatchObject({ action: 'audit_retention.set', userName: 'Ada Admin' });
  });
});

describe('center configuration from the admin screen', () => {
  it('a dry run shows what an upload changes, problems refuse it whole, and applying it changes the directory at once', async () => {
    const queue = demoCenter.queues[0]!;
    const header = 'queue_id,name,channel,skill_id,sl_threshold_s,sl_target';
    const queues = `${header}\n${queue.id},${queue.name},${queue.channel},${queue.skill_id},${queue.sl_threshold_s},95%\n`;
    const dry = (await trpc(admin, 'admin.importConfig', { csv: { queues }, dryRun: true })).data as { applied: boolean; diff: string; problems: unknown[] };
    expect(dry).toMatchObject({ applied: false, problems: [] });
    expect(dry.diff).toContain(`~ queue ${queue.id}: sl_target ${queue.sl_target} → 0.95`);

    const bad = `${header}\n${queue.id},${queue.name},fax,no-skill,${queue.sl_threshold_s},80\n`;
    const refused = (await trpc(admin, 'admin.importConfig', { csv: { queues: bad }, dryRun: false })).data as {
      applied: boolean;
      problems: { row: number; column: string }[];
    };
    expect(refused.applied).toBe(false);
    expect(refused.problems.map((p) => [p.row, p.column]).sort()).toEqual([
      [2, 'channel'],
      [2, 'skill_id'],
      [2, 'sl_target'],
    ]);

    expect(((await trpc(admin, 'admin.importConfig', { csv: { queues }, dryRun: false })).data as { applied: boolean }).applied).toBe(true);
    const exported = (await trpc(admin, 'admin.exportConfig')).data as { config: typeof demoCenter; csv: Record<string, string> };
    expect(exported.config.queues.find((q) => q.id === queue.id)?.sl_target).toBe(0.95);
    expect(exported.csv.queues).toContain(`${queue.id},`);
  });
});
