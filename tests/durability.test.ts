import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestResult } from '@switchboard/contracts';
import { createTelemetryStore, queryRows, UInt64 } from '@switchboard/telemetry';
import { z } from 'zod';
import { ndjson, post, sampleInteraction } from './support/events.ts';
import { tempDataDir } from './support/host.ts';
import { freePort, spawnHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

const dataDir = tempDataDir('durability');
let current: SpawnedHost | undefined;
afterAll(() => {
  current?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const BATCHES = 250;
const INTERACTIONS_PER_BATCH = 100; // 4 events each: 100,000 events in all
const SENDERS = 4;
const KILLS_AT = [0.15, 0.35, 0.55, 0.75];

describe('durability under SIGKILL', () => {
  it('stores every acknowledged event exactly once across repeated kills of the host', async () => {
    const port = await freePort();
    current = spawnHost(dataDir, port);
    await waitReady(current);
    const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
    const url = current.url;

    const start = Date.now() - 6 * 3_600_000;
    const batches = Array.from({ length: BATCHES }, (_, b) => ({
      key: `durability-${b}-${randomUUID()}`,
      body: ndjson(
        Array.from({ length: INTERACTIONS_PER_BATCH }, (_, i) => sampleInteraction(new Date(start + (b * INTERACTIONS_PER_BATCH + i) * 100))).flat(),
      ),
    }));
    const totalEvents = BATCHES * INTERACTIONS_PER_BATCH * 4;

    let acked = 0;
    let ackedEvents = 0;
    const ackedBatches: (typeof batches)[number][] = [];
    let retries = 0;
    let next = 0;
    const sender = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        for (;;) {
          try {
            const res = await post(url, apiKey, batch.body, { 'idempotency-key': batch.key });
            if (res.status === 200) {
              ackedEvents += IngestResult.parse(await res.json()).accepted;
              acked++;
              ackedBatches.push(batch);
              break;
            }
            expect([429, 503]).toContain(res.status);
            await res.arrayBuffer();
          } catch {
            // Connection refused or reset: the host is down; the same batch goes again.
          }
          retries++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };

    let kills = 0;
    let replays = 0;
    const killer = async () => {
      for (const fraction of KILLS_AT) {
        while (acked < fraction * BATCHES) await new Promise((r) => setTimeout(r, 5));
        current!.child.kill('SIGKILL');
        await current!.exited;
        kills++;
        current = spawnHost(dataDir, port);
        await waitReady(current);
        // A crash between storing and answering looks, to the client, like a lost answer:
        // it sends the batch again. Batches stored before the crash must be recognised.
        for (const batch of ackedBatches.slice(-5)) {
          const res = await post(url, apiKey, batch.body, { 'idempotency-key': batch.key });
          expect(res.status).toBe(200);
          expect(IngestResult.parse(await res.json())).toMatchObject({ accepted: INTERACTIONS_PER_BATCH * 4, replayed: true });
          replays++;
        }
      }
    };

    await Promise.all([...Array.from({ length: SENDERS }, sender), killer()]);
    expect(kills).toBe(KILLS_AT.length);
    expect(replays).toBe(KILLS_AT.length * 5);
    expect(acked).toBe(BATCHES);
    expect(retries).toBeGreaterThan(0);
    expect(ackedEvents).toBe(totalEvents);

    current.child.kill('SIGTERM');
    expect(await current.exited).toBe(0);
    current = undefined;

    const store = createTelemetryStore({ dataDir });
    try {
      const [counts] = await queryRows(
        store.client,
        z.object({ rows: UInt64, distinct: UInt64 }),
        'SELECT count() AS rows, uniqExact(event_id) AS distinct FROM events',
        {},
      );
      // Every event was acknowledged once; stored rows equal distinct ids: nothing twice.
      expect(counts).toEqual({ rows: totalEvents, distinct: totalEvents });
    } finally {
      await store.close();
    }
  });
});
