import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, IngestResult } from '@switchboard/contracts';
import { countEventsByType, queryRows } from '@switchboard/telemetry';
import { z } from 'zod';
import { countStoredEvents, ndjson, post, sampleInteraction } from './support/events.ts';
import { startTestHost, type TestHost } from './support/host.ts';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => {
  await t?.stop();
});

async function stored(tenantId: string): Promise<number> {
  return (await countStoredEvents(t.host.telemetry.client, { tenantId })).rows;
}

/** What ingest recorded of the events it refused, newest request first. */
function listRejections(tenantId: string) {
  return queryRows(
    t.host.telemetry.client,
    z.object({ event_index: z.number(), reason: z.string(), raw: z.string() }),
    `SELECT event_index, reason, raw FROM ingest_rejections FINAL WHERE tenant_id = {tenantId:String} ORDER BY received_at DESC, event_index`,
    { tenantId },
  );
}

describe('POST /api/v1/events', () => {
  it('stores a valid NDJSON batch and answers 200 only once it is stored', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const events = sampleInteraction(new Date(Date.now() - 3_600_000));
    const res = await post(t.url, apiKey, ndjson(events));
    expect(res.status).toBe(200);
    expect(IngestResult.parse(await res.json())).toEqual({ accepted: 4, rejected: 0, replayed: false, errors: [] });
    expect(await stored(tenantId)).toBe(4);
  });

  it('answers 400 with a machine-readable reason for a JSON body that does not parse', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const res = await post(t.url, apiKey, '[{"event_id": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(ApiError.parse(await res.json()).error).toBe('malformed_body');
    expect(await stored(tenantId)).toBe(0);
  });

  it('answers 401 for a wrong, malformed or missing key and stores nothing', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const body = ndjson(sampleInteraction(new Date()));
    const wrongSecret = apiKey.slice(0, -4) + (apiKey.endsWith('aaaa') ? 'bbbb' : 'aaaa');
    for (const key of [wrongSecret, 'not-a-key', undefined]) {
      const res = await post(t.url, key, body);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(ApiError.parse(await res.json()).error).toBe('unauthorized');
    }
    expect(await stored(tenantId)).toBe(0);
  });

  it('stores the valid events of a mixed batch, answers 207 and keeps each rejected one with its reason', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const valid = sampleInteraction(new Date(Date.now() - 600_000));
    const badWait = { ...valid[1]!, event_id: randomUUID(), wait_ms: -5 };
    const unknownType = { ...valid[0]!, event_id: randomUUID(), type: 'interaction.teleported' };
    const tooOld = { ...valid[0]!, event_id: randomUUID(), occurred_at: '2020-01-01T00:00:00Z' };
    const lines = [
      JSON.stringify(valid[0]),
      JSON.stringify(badWait),
      '{"this is": not json',
      JSON.stringify(valid[1]),
      JSON.stringify(unknownType),
      JSON.stringify(valid[2]),
      JSON.stringify(tooOld),
      JSON.stringify(valid[3]),
      '42',
    ];
    const res = await post(t.url, apiKey, lines.join('\n'), { 'idempotency-key': `mixed-${randomUUID()}` });
    expect(res.status).toBe(207);
    const body = IngestResult.parse(await res.json());
    expect(body.accepted).toBe(4);
    expect(body.rejected).toBe(5);
    expect(body.errors.map((e) => [e.index, e.reason])).toEqual([
      [1, 'invalid_fields'],
      [2, 'malformed_json'],
      [4, 'unknown_type'],
      [6, 'outside_horizon'],
      [8, 'not_an_object'],
    ]);
    expect(body.errors[0]!.path).toBe('wait_ms');
    expect(body.errors[0]!.event_id).toBe(badWait.event_id);

    expect(await stored(tenantId)).toBe(4);
    const rejections = await listRejections(tenantId);
    expect(rejections.map((r) => [r.event_index, r.reason]).sort()).toEqual(
      [
        [1, 'invalid_fields'],
        [2, 'malformed_json'],
        [4, 'unknown_type'],
        [6, 'outside_horizon'],
        [8, 'not_an_object'],
      ].sort(),
    );
    const malformed = rejections.find((r) => r.event_index === 2)!;
    expect(malformed.raw).toBe('{"this is": not json');
    expect(JSON.parse(rejections.find((r) => r.event_index === 1)!.raw)).toMatchObject({ wait_ms: -5 });
  });

  it('stores a batch sent three times with one Idempotency-Key once, and refuses the key for other bytes', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const body = ndjson(sampleInteraction(new Date(Date.now() - 60_000)));
    const key = `batch-${randomUUID()}`;
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(t.url, apiKey, body, { 'idempotency-key': key });
      expect(res.status).toBe(200);
      answers.push(IngestResult.parse(await res.json()));
    }
    expect(answers.map((a) => [a.accepted, a.replayed])).toEqual([
      [4, false],
      [4, true],
      [4, true],
    ]);
    expect(await stored(tenantId)).toBe(4);

    const other = await post(t.url, apiKey, ndjson(sampleInteraction(new Date())), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(ApiError.parse(await other.json()).error).toBe('idempotency_key_reused');
    expect(await stored(tenantId)).toBe(4);
  });

  it('treats concurrent sends of one Idempotency-Key as one batch', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const body = ndjson(sampleInteraction(new Date(Date.now() - 60_000)));
    const key = `concurrent-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(t.url, apiKey, body, { 'idempotency-key': key }).then((r) => r.json())));
    expect(answers.map((a) => IngestResult.parse(a).replayed).filter((r) => !r)).toHaveLength(1);
    expect(await stored(tenantId)).toBe(4);
  });

  it('keys idempotency per tenant: the same key from two tenants stores both', async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const key = `shared-${randomUUID()}`;
    expect((await post(t.url, a.apiKey, ndjson(sampleInteraction(new Date())), { 'idempotency-key': key })).status).toBe(200);
    expect((await post(t.url, b.apiKey, ndjson(sampleInteraction(new Date())), { 'idempotency-key': key })).status).toBe(200);
    expect(await stored(a.tenantId)).toBe(4);
    expect(await stored(b.tenantId)).toBe(4);
  });

  it('answers 413 for a body over the limit, an event over the limit, and a gzip bomb, storing nothing', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const huge = Buffer.alloc(33 * 1024 * 1024, 0x20);
    const overBody = await post(t.url, apiKey, huge);
    expect(overBody.status).toBe(413);
    expect(ApiError.parse(await overBody.json()).error).toBe('payload_too_large');

    const [offered] = sampleInteraction(new Date());
    const bigEvent = { ...offered!, customer_ref: 'x'.repeat(70_000) };
    const overEvent = await post(t.url, apiKey, ndjson([offered, bigEvent]));
    expect(overEvent.status).toBe(413);
    expect(ApiError.parse(await overEvent.json()).message).toMatch(/line 2/);

    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
    const overDecoded = await post(t.url, apiKey, bomb, { 'content-encoding': 'gzip' });
    expect(overDecoded.status).toBe(413);
    expect(ApiError.parse(await overDecoded.json()).message).toMatch(/decompressed/);
    expect(await stored(tenantId)).toBe(0);
  });

  it('accepts gzip NDJSON, a JSON array and an Arrow IPC stream', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const at = new Date(Date.now() - 120_000);
    const gz = await post(t.url, apiKey, gzipSync(ndjson(sampleInteraction(at))), { 'content-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    const arr = await post(t.url, apiKey, JSON.stringify(sampleInteraction(at)), { 'content-type': 'application/json' });
    expect(arr.status).toBe(200);

    const n = 50;
    const times = Array.from({ length: n }, (_, i) => at.getTime() + i * 1000);
    const table = tableFromArrays({
      event_id: Array.from({ length: n }, () => randomUUID()),
      type: Array.from({ length: n }, () => 'interaction.abandoned'),
      schema_version: Int32Array.from({ length: n }, () => 1),
      occurred_at: times.map((ms) => new Date(ms).toISOString()),
      sent_at: times.map((ms) => new Date(ms).toISOString()),
      source: Array.from({ length: n }, () => 'routing'),
      interaction_id: Array.from({ length: n }, (_, i) => `arrow-${i}`),
      queue_id: Array.from({ length: n }, () => 'billing'),
      channel: Array.from({ length: n }, () => 'voice'),
      wait_ms: Int32Array.from({ length: n }, (_, i) => i * 1000),
    });
    const arrow = await post(t.url, apiKey, tableToIPC(table, 'stream'), { 'content-type': 'application/vnd.apache.arrow.stream' });
    expect(arrow.status).toBe(200);
    expect(IngestResult.parse(await arrow.json()).accepted).toBe(n);

    const byType = await countEventsByType(t.host.telemetry.client, {
      tenantId,
      from: new Date(at.getTime() - 1000),
      to: new Date(at.getTime() + 3_600_000),
    });
    expect(Object.fromEntries(byType.map((r) => [r.type, r.events]))).toEqual({
      'interaction.abandoned': n,
      'interaction.answered': 2,
      'interaction.ended': 2,
      'interaction.offered': 2,
      'interaction.wrapup_ended': 2,
    });
  });

  it('refuses other media types (415) and methods (405)', async () => {
    const { apiKey } = await t.createTenant();
    const form = await post(t.url, apiKey, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(ApiError.parse(await form.json()).error).toBe('unsupported_media_type');
    const get = await fetch(`${t.url}/api/v1/events`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('redacts card numbers, e-mail addresses and phone numbers in transcripts before storage', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const now = new Date().toISOString();
    const segment = {
      event_id: randomUUID(),
      type: 'transcript.segment',
      schema_version: 1,
      occurred_at: now,
      sent_at: now,
      source: 'voice',
      interaction_id: 'i-pii',
      segment_index: 0,
      speaker: 'customer',
      start_ms: 0,
      end_ms: 4000,
      text: 'My card is 4111 1111 1111 1111, mail jane.doe@example.com or call +1 (415) 555-0134; order 12345.',
    };
    expect((await post(t.url, apiKey, ndjson([segment]))).status).toBe(200);
    const [row] = await queryRows(t.host.telemetry.client, z.object({ text: z.string() }), 'SELECT text FROM events WHERE tenant_id = {tenantId:String}', {
      tenantId,
    });
    expect(row!.text).toBe('My card is [card], mail [email] or call [phone]; order 12345.');
  });

  it("never shows one tenant the other tenant's events", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    await post(t.url, a.apiKey, ndjson(sampleInteraction(new Date())));
    expect(await stored(a.tenantId)).toBe(4);
    expect(await stored(b.tenantId)).toBe(0);
    const status = await fetch(`${t.url}/api/v1/status`, { headers: { authorization: `Bearer ${b.apiKey}` } });
    expect(status.status).toBe(200);
    expect(((await status.json()) as { events_today: number }).events_today).toBe(0);
  });

  it("counts the status page's today from the tenant's local midnight, not UTC's", async () => {
    // Kiritimati is UTC+14 all year: its day starts at 10:00 UTC the day before.
    const tenant = await t.createTenant({ timezone: 'Pacific/Kiritimati' });
    const statusOf = async () =>
      (await (await fetch(`${t.url}/api/v1/status`, { headers: { authorization: `Bearer ${tenant.apiKey}` } })).json()) as {
        day_start: string;
        events_today: number;
      };
    const dayStart = new Date((await statusOf()).day_start);
    expect(dayStart.toISOString().slice(11)).toBe('10:00:00.000Z');
    expect(Date.now() - dayStart.getTime()).toBeGreaterThanOrEqual(0);
    expect(Date.now() - dayStart.getTime()).toBeLessThan(86_400_000);
    // Four events a minute before the local day, four a minute into it.
    await post(t.url, tenant.apiKey, ndjson(sampleInteraction(new Date(dayStart.getTime() - 60_000 - 220_000))));
    await post(t.url, tenant.apiKey, ndjson(sampleInteraction(new Date(dayStart.getTime() + 60_000))));
    expect(await stored(tenant.tenantId)).toBe(8);
    expect((await statusOf()).events_today).toBe(4);
  });
});
