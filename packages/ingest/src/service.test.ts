import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTelemetryStore, migrateTelemetry, type TelemetryStore } from '@switchboard/telemetry';
import { IngestService } from './service.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-ingest-unit-'));
let store: TelemetryStore;
beforeAll(async () => {
  store = createTelemetryStore({ dataDir });
  await migrateTelemetry(store.client, path.resolve(import.meta.dirname, '../../../migrations/clickhouse'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Event rows stored for a tenant. */
async function storedRows(tenantId: string): Promise<number> {
  const result = await store.client.query({
    query: 'SELECT count() AS rows FROM events WHERE tenant_id = {tenantId:String}',
    query_params: { tenantId },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ rows: number | string }>();
  return Number(row?.rows ?? 0);
}

/** Serve one IngestService over real HTTP; tenant "t-<key>" for any key starting with "key". */
async function serve(options: Partial<ConstructorParameters<typeof IngestService>[0]> = {}) {
  const ingest = new IngestService({
    store,
    authenticate: async (key) => (key.startsWith('key') ? { tenantId: `t-${key}` } : null),
    ...options,
  });
  const server: Server = createServer((req, res) => void ingest.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1/events`;
  return { ingest, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function offered(n: number): string {
  const now = new Date().toISOString();
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      event_id: randomUUID(),
      type: 'interaction.offered',
      schema_version: 1,
      occurred_at: now,
      sent_at: now,
      source: 'routing',
      interaction_id: `i-${i}`,
      queue_id: 'q',
      channel: 'chat',
    }),
  ).join('\n');
}

const send = (url: string, key: string, body: string) =>
  fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body });

describe('IngestService', () => {
  it("writes the tenant's retention into every row, and refuses an event already past it", async () => {
    const { url, close } = await serve({
      authenticate: async (key) => ({ tenantId: `t-${key}`, retention: { events: 2, transcripts: 1, rejections: 2 } }),
    });
    const key = `key-${randomUUID()}`;
    const old = JSON.parse(offered(1)) as Record<string, unknown>;
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const res = await send(url, key, `${offered(2)}\n${JSON.stringify({ ...old, occurred_at: threeDaysAgo, sent_at: threeDaysAgo })}`);
    expect(res.status).toBe(207);
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: 1, errors: [{ index: 2, reason: 'outside_horizon' }] });
    const rows = async (query: string) => (await store.client.query({ query, query_params: { t: `t-${key}` }, format: 'JSONEachRow' })).json();
    expect(await rows('SELECT DISTINCT retention_days, transcript_retention_days FROM events WHERE tenant_id = {t:String}')).toEqual([
      { retention_days: 2, transcript_retention_days: 1 },
    ]);
    expect(await rows('SELECT retention_days FROM ingest_rejections WHERE tenant_id = {t:String}')).toEqual([{ retention_days: 2 }]);
    await close();
  });

  it('answers 429 with Retry-After and stores nothing when a batch would exceed the pending capacity', async () => {
    const { url, close } = await serve({ writer: { maxPendingRows: 10 } });
    const key = `key-${randomUUID()}`;
    const res = await send(url, key, offered(11));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: 'overloaded' });
    expect((await send(url, key, offered(10))).status).toBe(200);
    expect(await storedRows(`t-${key}`)).toBe(10);
    await close();
  });

  it('coalesces many concurrent small requests into few inserts', async () => {
    const { url, close, ingest } = await serve();
    const key = `key-${randomUUID()}`;
    const requests = 200;
    const answers = await Promise.all(Array.from({ length: requests }, () => send(url, key, offered(10))));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(ingest.writer.stats.rows).toBe(requests * 10);
    expect(ingest.writer.stats.inserts).toBeLessThan(requests / 4);
    expect(await storedRows(`t-${key}`)).toBe(requests * 10);
    await close();
  });

  it('answers 503 with Retry-After, never 2xx, when the store fails the write, and keeps refusing while it does', async () => {
    const brokenDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-ingest-broken-'));
    // A server URL where nothing listens: every insert fails for real.
    const broken = createTelemetryStore({ url: 'http://127.0.0.1:9/', dataDir: brokenDir });
    const { url, close, ingest } = await serve({ store: broken });
    const first = await send(url, 'key-x', offered(3));
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(await first.json()).toMatchObject({ error: 'store_unavailable' });
    const second = await send(url, 'key-x', offered(3));
    expect(second.status).toBe(503);
    ingest.writer.close();
    await close();
    await broken.close();
    rmSync(brokenDir, { recursive: true, force: true });
  });

  it('refuses at once while the store refuses writes, answers a stuck insert with 503, logs once, and takes writes again when a probe succeeds', async () => {
    // A seam in front of the real store: a full disk (every insert fails), then a stuck one (never returns).
    let mode: 'full' | 'stuck' | 'ok' = 'full';
    const seam: TelemetryStore = {
      ...store,
      insertTsv: (params) =>
        mode === 'full'
          ? Promise.reject(new Error('Cannot reserve 1.00 MiB, not enough space'))
          : mode === 'stuck'
            ? new Promise(() => {})
            : store.insertTsv(params),
    };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { url, close, ingest } = await serve({ store: seam, writer: { insertTimeoutMs: 300, probeEveryMs: 50, logEveryMs: 60_000 } });
      const key = `key-${randomUUID()}`;
      expect((await send(url, key, offered(3))).status).toBe(503);
      expect(ingest.writer.health).toMatchObject({ writable: false, error: 'Cannot reserve 1.00 MiB, not enough space' });
      const refused = await Promise.all(Array.from({ length: 20 }, () => send(url, key, offered(1))));
      expect(refused.map((r) => r.status)).toEqual(Array(20).fill(503));
      // The probe keeps failing: still one line, not one per request or probe.
      await new Promise((r) => setTimeout(r, 300));
      // Only the writer's lines: the previous test's client may still log its own connection errors.
      const writerLines = () => logged.mock.calls.map((c) => String(c[0])).filter((line) => line.startsWith('ingest:'));
      expect(writerLines()).toEqual([expect.stringContaining('the event store refuses writes')]);

      mode = 'stuck';
      await vi.waitFor(() => expect(ingest.writer.health.writable).toBe(false));
      mode = 'ok';
      await vi.waitFor(() => expect(ingest.writer.health).toEqual({ writable: true }), { timeout: 5_000 });
      expect((await send(url, key, offered(4))).status).toBe(200);
      expect(await storedRows(`t-${key}`)).toBe(4);

      // An insert that never returns: its request gets 503 at the timeout instead of hanging, and the store is unwritable.
      mode = 'stuck';
      const stuck = await send(url, key, offered(2));
      expect(stuck.status).toBe(503);
      expect(await stuck.json()).toMatchObject({ error: 'store_unavailable' });
      expect(ingest.writer.health).toMatchObject({ writable: false, error: 'an insert did not return within 300 ms' });
      expect(ingest.writer.stats.timeouts).toBe(1);
      mode = 'ok';
      await vi.waitFor(() => expect(ingest.writer.health).toEqual({ writable: true }), { timeout: 5_000 });
      expect((await send(url, key, offered(5))).status).toBe(200);
      expect(writerLines().map((line) => line.split(' (')[0]!.split(' after')[0])).toEqual([
        'ingest: the event store refuses writes',
        'ingest: the event store takes writes again',
        'ingest: the event store refuses writes',
        'ingest: the event store takes writes again',
      ]);
      ingest.writer.close();
      await close();
    } finally {
      logged.mockRestore();
    }
  });

  describe('events the store refuses (a constraint an operator added)', () => {
    beforeAll(() => store.client.command({ query: `ALTER TABLE events ADD CONSTRAINT poison_unit CHECK interaction_id NOT LIKE 'poison%'` }));
    afterAll(() => store.client.command({ query: 'ALTER TABLE events DROP CONSTRAINT poison_unit' }));

    const withPoison = (n: number, poisoned: readonly number[]) =>
      offered(n)
        .split('\n')
        .map((line, i) => (poisoned.includes(i) ? line.replace(`"interaction_id":"i-${i}"`, `"interaction_id":"poison-${i}"`) : line))
        .join('\n');

    it('stores the siblings, answers 207 store_rejected for the refused one and keeps it whole for a replay', async () => {
      const { url, close } = await serve();
      const key = `key-${randomUUID()}`;
      const body = withPoison(5, [2]);
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson', 'idempotency-key': 'b-1' },
        body,
      });
      expect(res.status).toBe(207);
      const answer = (await res.json()) as { accepted: number; errors: { index: number; reason: string; event_id: string; message: string }[] };
      const poisoned = JSON.parse(body.split('\n')[2]!) as { event_id: string };
      expect(answer).toMatchObject({ accepted: 4, rejected: 1, errors: [{ index: 2, reason: 'store_rejected', event_id: poisoned.event_id }] });
      expect(answer.errors[0]!.message).toContain('VIOLATED_CONSTRAINT: constraint poison_unit');
      expect(await storedRows(`t-${key}`)).toBe(4);
      const kept = await (
        await store.client.query({
          query: `SELECT batch_ref, event_index, reason, raw FROM ingest_rejections FINAL WHERE tenant_id = {t:String}`,
          query_params: { t: `t-${key}` },
          format: 'JSONEachRow',
        })
      ).json<{ batch_ref: string; event_index: number; reason: string; raw: string }>();
      expect(kept).toHaveLength(1);
      expect(kept[0]).toMatchObject({ batch_ref: 'b-1', event_index: 2, reason: 'store_rejected' });
      expect(JSON.parse(kept[0]!.raw)).toEqual(JSON.parse(body.split('\n')[2]!));
      // The same batch again is a replay of the answer, not a second try.
      const again = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson', 'idempotency-key': 'b-1' },
        body,
      });
      expect(again.status).toBe(207);
      expect(await again.json()).toMatchObject({ accepted: 4, replayed: true });
      expect(await storedRows(`t-${key}`)).toBe(4);
      await close();
    });

    it('isolates the refused rows of one request among many coalesced into one insert: the others answer 200', async () => {
      // A long linger makes the 20 requests one insert.
      const { url, ingest, close } = await serve({ writer: { lingerMs: 200 } });
      const keys = Array.from({ length: 20 }, () => `key-${randomUUID()}`);
      const inserts = ingest.writer.stats.inserts;
      const answers = await Promise.all(keys.map((key, i) => send(url, key, i === 7 ? withPoison(50, [0, 31]) : offered(50))));
      expect(answers.map((a) => a.status)).toEqual(keys.map((_, i) => (i === 7 ? 207 : 200)));
      expect(await answers[7]!.json()).toMatchObject({ accepted: 48, rejected: 2, errors: [{ index: 0 }, { index: 31 }] });
      expect(ingest.writer.stats.inserts - inserts).toBeLessThanOrEqual(3);
      const stored = await Promise.all(keys.map((key) => storedRows(`t-${key}`)));
      expect(stored).toEqual(keys.map((_, i) => (i === 7 ? 48 : 50)));
      // Later batches flow as before.
      const later = await send(url, keys[0]!, offered(10));
      expect(later.status).toBe(200);
      expect(ingest.writer.health).toEqual({ writable: true });
      await close();
    });

    it('a batch the store refuses whole is answered 207 with every event store_rejected, and the store stays writable', async () => {
      const { url, ingest, close } = await serve();
      const key = `key-${randomUUID()}`;
      const res = await send(
        url,
        key,
        withPoison(
          40,
          Array.from({ length: 40 }, (_, i) => i),
        ),
      );
      expect(res.status).toBe(207);
      const answer = (await res.json()) as { accepted: number; rejected: number; errors: { reason: string }[] };
      expect(answer).toMatchObject({ accepted: 0, rejected: 40 });
      expect(new Set(answer.errors.map((e) => e.reason))).toEqual(new Set(['store_rejected']));
      expect(ingest.writer.health).toEqual({ writable: true });
      expect(await storedRows(`t-${key}`)).toBe(0);
      await close();
    });

    it('past the isolation budget the unresolved rows are refused with their neighbours, all kept, none stored twice', async () => {
      const { url, ingest, close } = await serve();
      const key = `key-${randomUUID()}`;
      // Every other row refused: isolating each would take more than the 256 inserts a write may spend.
      const poisoned = Array.from({ length: 300 }, (_, i) => 2 * i);
      const res = await send(url, key, withPoison(600, poisoned));
      expect(res.status).toBe(207);
      const answer = (await res.json()) as { accepted: number; rejected: number; errors: { index: number; reason: string; message: string }[] };
      expect(answer.accepted + answer.rejected).toBe(600);
      expect(answer.errors.every((e) => e.reason === 'store_rejected')).toBe(true);
      const refusedIndexes = new Set(answer.errors.map((e) => e.index));
      expect(poisoned.filter((i) => !refusedIndexes.has(i))).toEqual([]);
      const neighbours = answer.errors.filter((e) => e.index % 2 === 1);
      expect(neighbours.length).toBeGreaterThan(0);
      expect(neighbours.every((e) => e.message.includes('refused with its neighbours'))).toBe(true);
      // Rows were isolated (and stored) until the budget ran out.
      expect(answer.accepted).toBeGreaterThan(0);
      expect(await storedRows(`t-${key}`)).toBe(answer.accepted);
      const kept = await (
        await store.client.query({
          query: `SELECT count() AS n FROM ingest_rejections FINAL WHERE tenant_id = {t:String} AND reason = 'store_rejected'`,
          query_params: { t: `t-${key}` },
          format: 'JSONEachRow',
        })
      ).json<{ n: string }>();
      expect(Number(kept[0]!.n)).toBe(answer.rejected);
      expect(ingest.writer.health).toEqual({ writable: true });
      await close();
    });
  });
});
