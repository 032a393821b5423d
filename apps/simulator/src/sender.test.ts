import { gunzipSync } from 'node:zlib';
import type { TelemetryEvent } from '@switchboard/contracts';
import { demoCenter, getLocalMidnight, simulate } from '@switchboard/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBatch } from './batches.ts';
import { startFakeIngest } from '../test/fake-ingest.ts';
import { EventSender, SendError } from './sender.ts';

const morning = getLocalMidnight(demoCenter.timezone, Date.UTC(2024, 4, 6) / 86_400_000) + 9 * 3_600_000;
const sample: TelemetryEvent[] = [...simulate({ seed: 1, start: morning, end: morning + 60_000 })];
const noWait = async () => {};
const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('EventSender', () => {
  it('retries a 429 after Retry-After with the same key and the same bytes', async () => {
    const ingest = await startFakeIngest((_, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '2' }, body: { error: 'overloaded', message: 'at capacity' } } : undefined,
    );
    servers.push(ingest);
    const waits: number[] = [];
    const sender = new EventSender({ url: ingest.url, apiKey: 'k', gzip: false, sleep: async (ms) => void waits.push(ms) });
    const batch = await encodeBatch(sample, 'sim-test-0', false);
    const result = await sender.send(batch);
    expect(result).toMatchObject({ accepted: sample.length, rejected: 0, attempts: 2 });
    expect(waits).toEqual([2000]);
    expect(ingest.requests.map((r) => r.key)).toEqual(['sim-test-0', 'sim-test-0']);
    expect(ingest.requests[1]!.body.equals(ingest.requests[0]!.body)).toBe(true);
    expect(ingest.requests[0]!.headers).toMatchObject({ 'content-type': 'application/x-ndjson', authorization: 'Bearer k' });
  });

  it('sends gzip when asked', async () => {
    const ingest = await startFakeIngest();
    servers.push(ingest);
    const sender = new EventSender({ url: ingest.url, apiKey: 'k', gzip: true });
    const result = await sender.send(await encodeBatch(sample, 'sim-test-gz', true));
    expect(result.accepted).toBe(sample.length);
    expect(ingest.requests[0]!.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(ingest.requests[0]!.body).toString().trim().split('\n')).toHaveLength(sample.length);
  });

  it('reports rejected events from a 207', async () => {
    const ingest = await startFakeIngest();
    servers.push(ingest);
    const broken = [...sample.slice(0, 3), { ...sample[3]!, occurred_at: 'yesterday' } as TelemetryEvent];
    const result = await new EventSender({ url: ingest.url, apiKey: 'k', gzip: false }).send(await encodeBatch(broken, 'sim-test-207', false));
    expect(result).toMatchObject({ accepted: 3, rejected: 1 });
    expect(result.errors[0]).toMatchObject({ index: 3, reason: 'invalid_fields' });
  });

  it('backs off on 5xx and network errors, then gives up with a clear error', async () => {
    const ingest = await startFakeIngest((_, i) => (i < 2 ? { status: 500, body: { message: 'boom' } } : undefined));
    servers.push(ingest);
    const waits: number[] = [];
    const sender = new EventSender({ url: ingest.url, apiKey: 'k', gzip: false, sleep: async (ms) => void waits.push(ms) });
    expect((await sender.send(await encodeBatch(sample, 'sim-test-5xx', false))).attempts).toBe(3);
    expect(waits).toEqual([500, 1000]);

    const closed = await startFakeIngest();
    await closed.close();
    const offline = new EventSender({ url: closed.url, apiKey: 'k', gzip: false, maxAttempts: 3, sleep: noWait });
    await expect(offline.send(await encodeBatch(sample, 'sim-test-down', false))).rejects.toThrow(/network error.*3 attempts; giving up/);
  });

  it('stops at once on a refusal a retry cannot fix', async () => {
    const ingest = await startFakeIngest(() => ({ status: 401, body: { error: 'unauthorized', message: 'send a valid tenant API key' } }));
    servers.push(ingest);
    const sender = new EventSender({ url: ingest.url, apiKey: 'wrong', gzip: false, sleep: noWait });
    const sending = sender.send(await encodeBatch(sample, 'sim-test-401', false));
    await expect(sending).rejects.toThrow(SendError);
    await expect(sending).rejects.toThrow(/401 unauthorized: send a valid tenant API key/);
    expect(ingest.requests).toHaveLength(1);
  });

  it('gives up when backpressure lasts too long', async () => {
    const ingest = await startFakeIngest(() => ({ status: 503, headers: { 'retry-after': '5' }, body: { error: 'store_unavailable', message: 'down' } }));
    servers.push(ingest);
    const sender = new EventSender({ url: ingest.url, apiKey: 'k', gzip: false, maxBackpressureMs: 12_000, sleep: noWait });
    await expect(sender.send(await encodeBatch(sample, 'sim-test-503', false))).rejects.toThrow(/kept answering 503.*giving up/);
    expect(ingest.requests).toHaveLength(3);
  });
});
