import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPendingRetention, ensureMember } from '@switchboard/api';
import { createApiKey, schema, seedTenant, setDataRetention } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { callApi, cookieOf, signIn } from './support/api-client.ts';
import { ndjson, post, sampleInteraction } from './support/events.ts';
import { startTestHost, type TestHost } from './support/host.ts';

/**
 * A tenant administrator sets how long raw events, transcripts' words and rejected events
 * are kept: the stored rows take the new retention (the TTLs read it from each row), new rows
 * carry it from the next request, and a change a failure left half-done is finished by the
 * same step the host runs at start.
 */

let t: TestHost;
let tenantId: string;
let apiKey: string;
let admin: string;
const password = `pw-${randomBytes(12).toString('hex')}`;

/** The distinct retentions the tenant's stored events and rejected lines carry. */
async function storedRetention(): Promise<{ events: string[]; rejections: string[] }> {
  const read = async (query: string) =>
    (
      (await (await t.host.telemetry.client.query({ query, query_params: { tenantId }, format: 'JSONEachRow' })).json()) as {
        r: string;
      }[]
    ).map((row) => row.r);
  return {
    events: await read(
      `SELECT DISTINCT concat(toString(retention_days), '/', toString(transcript_retention_days)) AS r FROM events WHERE tenant_id = {tenantId:String} ORDER BY r`,
    ),
    rejections: await read(`SELECT DISTINCT toString(retention_days) AS r FROM ingest_rejections WHERE tenant_id = {tenantId:String} ORDER BY r`),
  };
}

async function send(): Promise<void> {
  const events = sampleInteraction(new Date(), { queue_id: demoCenter.queues[0]!.id });
  // One event the store refuses (an unknown type), so a rejected line is kept too.
  const res = await post(t.url, apiKey, ndjson([...events, { ...events[0], event_id: randomUUID(), type: 'no.such.type' }]));
  expect(res.status).toBeLessThan(300);
}

beforeAll(async () => {
  t = await startTestHost();
  tenantId = await seedTenant(t.host.db.db, { slug: `retention-${randomUUID().slice(0, 8)}`, name: 'Retention tenant', config: demoCenter });
  ({ key: apiKey } = await createApiKey(t.host.db.db, tenantId, 'ingest'));
  const email = `admin-${randomUUID().slice(0, 8)}@retention.test`;
  await ensureMember(t.host.auth, t.host.db.db, { email, name: 'Admin', password, role: 'admin', tenantId });
  admin = cookieOf(await signIn(t.url, email, password));
});

afterAll(async () => {
  await t?.stop();
});

describe('retention set by the tenant administrator', () => {
  it('starts at 400 days for events and transcripts, 30 for rejected events, two years for the trail', async () => {
    expect((await callApi(t.url, admin, 'admin.retention')).data).toEqual({
      retentionDays: 400,
      transcriptRetentionDays: null,
      rejectionRetentionDays: 30,
      auditRetentionDays: 730,
      pending: false,
    });
    await send();
    await expect.poll(storedRetention, { timeout: 30_000 }).toEqual({ events: ['400/400'], rejections: ['30'] });
  });

  it('refuses transcripts or rejected events kept longer than the events, naming the field', async () => {
    const longer = await callApi(t.url, admin, 'admin.setDataRetention', { retentionDays: 60, transcriptRetentionDays: 90, rejectionRetentionDays: 7 });
    expect(longer.status).toBe(400);
    expect(longer.message).toContain('transcripts cannot be kept longer than the events they belong to');
    const tooShort = await callApi(t.url, admin, 'admin.setDataRetention', { retentionDays: 7, transcriptRetentionDays: null, rejectionRetentionDays: 7 });
    expect(tooShort.status).toBe(400);
  });

  it('writes a new retention into the stored rows and every new row, and audits it', async () => {
    const set = await callApi(t.url, admin, 'admin.setDataRetention', { retentionDays: 365, transcriptRetentionDays: 90, rejectionRetentionDays: 7 });
    expect(set.status, set.message).toBe(200);
    expect(set.data).toMatchObject({ retentionDays: 365, transcriptRetentionDays: 90, rejectionRetentionDays: 7, pending: false });
    await expect.poll(storedRetention, { timeout: 60_000 }).toEqual({ events: ['365/90'], rejections: ['7'] });
    // The next request's rows carry it at once (the host forgot the key's cached tenant).
    await send();
    await expect.poll(async () => (await storedRetention()).events, { timeout: 30_000 }).toEqual(['365/90']);
    const audit = await t.host.db.db
      .select({ action: schema.auditLog.action })
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.tenantId, tenantId), eq(schema.auditLog.action, 'retention.set')));
    expect(audit).toHaveLength(1);
  });

  it('finishes a change that never reached the stored rows, as the host does at start', async () => {
    await setDataRetention(t.host.db.db, tenantId, null, { retentionDays: 200, transcriptRetentionDays: null, rejectionRetentionDays: 30 });
    expect((await callApi(t.url, admin, 'admin.retention')).data).toMatchObject({ pending: true });
    expect(await applyPendingRetention(t.host.db.db, t.host.telemetry.client)).toBe(1);
    await expect.poll(storedRetention, { timeout: 60_000 }).toEqual({ events: ['200/200'], rejections: ['30'] });
    expect((await callApi(t.url, admin, 'admin.retention')).data).toMatchObject({ pending: false });
    expect(await applyPendingRetention(t.host.db.db, t.host.telemetry.client)).toBe(0);
  });

  it('is for administrators only', async () => {
    const email = `planner-${randomUUID().slice(0, 8)}@retention.test`;
    await ensureMember(t.host.auth, t.host.db.db, { email, name: 'Planner', password, role: 'planner', tenantId });
    const planner = cookieOf(await signIn(t.url, email, password));
    expect(
      (await callApi(t.url, planner, 'admin.setDataRetention', { retentionDays: 30, transcriptRetentionDays: null, rejectionRetentionDays: 1 })).status,
    ).toBe(403);
  });
});
