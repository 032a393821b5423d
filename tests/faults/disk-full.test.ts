import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statfsSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storedUnderKeys } from '../support/events.ts';
import { byTier, recordFaultFigures } from '../support/faults.ts';
import { tempDataDir } from '../support/host.ts';
import { freePort, spawnHost, waitReady, type SpawnedHost } from '../support/spawn-host.ts';
import { generatorEvents } from './crash-generator.ts';

/**
 * R4: the data directory on a small tmpfs, filled up under ingest, then grown again. The host must answer 503 (never
 * 2xx for what it could not store, never hang), report the store unwritable on /api/health until it is writable again,
 * log the condition once per interval rather than per request, recover without a restart, and lose nothing it
 * acknowledged. Needs root for the mount: without it the test reports SKIPPED with the reason.
 */
const root = process.getuid?.() === 0;
const mountPoint = tempDataDir('faults-disk-full');
const dataDir = path.join(mountPoint, 'data');
let host: SpawnedHost | undefined;
let mounted = false;
afterAll(() => {
  host?.child.kill('SIGKILL');
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

const BATCH = 2_000;
const REQUEST_TIMEOUT_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freeBytes = () => {
  const s = statfsSync(mountPoint);
  return s.bavail * s.bsize;
};

describe('ingest on a full disk (R4)', () => {
  it(
    'answers 503 and reports the store unwritable while the disk is full, recovers without a restart, and loses nothing acknowledged',
    { timeout: 600_000 },
    async (ctx) => {
      if (!root) {
        recordFaultFigures('disk-full', { skipped: 'SKIPPED: mounting a tmpfs needs root' });
        ctx.skip('mounting a tmpfs needs root');
      }
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=768m', 'tmpfs', mountPoint]);
      mounted = true;
      mkdirSync(dataDir);
      const port = await freePort();
      host = spawnHost(dataDir, port);
      await waitReady(host);
      const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();

      // Fill the disk but for a few megabytes: the next inserts run out of room.
      const filler = openSync(path.join(mountPoint, 'filler'), 'w');
      const chunk = Buffer.alloc(1 << 20, 1);
      while (freeBytes() > byTier(12, 24) * (1 << 20)) writeSync(filler, chunk);
      closeSync(filler);

      console.log(`disk-full: host up, ${freeBytes()} bytes free`);
      const end = Date.now() - 60_000;
      const events = generatorEvents({ seed: 41, start: end - 20 * 86_400_000, end, events: byTier(200_000, 600_000) });
      const batches = Array.from({ length: events.length / BATCH }, (_, b) => {
        const slice = events.slice(b * BATCH, (b + 1) * BATCH);
        return { key: `disk-full-${b}`, body: slice.map((e) => JSON.stringify(e)).join('\n') + '\n', ids: slice.map((e) => e.event_id), acked: false };
      });
      const statuses: Record<string, number> = {};
      const hung: string[] = [];
      let first503At: number | null = null;
      const send = async (batch: (typeof batches)[number]): Promise<number | 'hung' | 'connection'> => {
        try {
          const res = await fetch(`${host!.url}/api/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${apiKey}`, 'idempotency-key': batch.key },
            body: batch.body,
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          await res.arrayBuffer();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status === 200) batch.acked = true;
          if (res.status === 503) {
            first503At ??= Date.now();
            expect(res.headers.get('retry-after')).toBeTruthy();
          }
          return res.status;
        } catch (error) {
          const outcome = (error as Error).name === 'TimeoutError' ? 'hung' : 'connection';
          if (outcome === 'hung') hung.push(batch.key);
          statuses[outcome] = (statuses[outcome] ?? 0) + 1;
          return outcome;
        }
      };
      type Health = { status: string; store: { writable: boolean; since?: string } };
      const health = async (): Promise<{ code: number; body: Health }> => {
        try {
          const res = await fetch(`${host!.url}/api/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          return { code: res.status, body: (await res.json()) as Health };
        } catch (error) {
          throw new Error(`/api/health failed (${(error as Error).message}); the host said:\n${host!.output().slice(-4_000)}`);
        }
      };

      // Two senders until the disk has been full for a while (ten seconds of refusals). Once the fresh batches run out
      // they send the refused ones again, as clients do after a 503, so the disk stays under pressure that long.
      let next = 0;
      const inFlight = new Set<string>();
      let unwritableSince: number | null = null;
      const unwritableHealth: number[] = [];
      const fullLongEnough = () => first503At !== null && Date.now() - first503At >= 10_000;
      const filling = async () => {
        while (!fullLongEnough()) {
          const batch = next < batches.length ? batches[next++]! : batches.slice(0, next).find((b) => !b.acked && !inFlight.has(b.key));
          if (!batch) break;
          inFlight.add(batch.key);
          const status = await send(batch);
          inFlight.delete(batch.key);
          if (status === 503 && next >= batches.length) await sleep(200);
        }
      };
      const watching = async () => {
        while (!fullLongEnough() && (next < batches.length || batches.some((b) => !b.acked))) {
          const h = await health();
          if (!h.body.store.writable) {
            unwritableHealth.push(h.code);
            unwritableSince ??= Date.parse(h.body.store.since!);
          }
          await sleep(200);
        }
      };
      await Promise.all([filling(), filling(), watching()]);
      console.log(`disk-full: ${next} batches sent, ${JSON.stringify(statuses)}, ${freeBytes()} bytes free`);
      expect(first503At, `the disk never filled: ${JSON.stringify(statuses)}, ${freeBytes()} bytes free`).not.toBeNull();
      expect(unwritableSince).not.toBeNull();
      // Health said so, with 503, every time it was asked while full.
      expect(unwritableHealth.length).toBeGreaterThan(0);
      expect(new Set(unwritableHealth)).toEqual(new Set([503]));
      expect((await health()).body.store.writable).toBe(false);

      // Room again, without a restart: health comes back, and every batch not acknowledged goes again with its key.
      const grownAt = Date.now();
      execFileSync('mount', ['-o', 'remount,size=4g', mountPoint]);
      let recovered: number | null = null;
      while (recovered === null && Date.now() - grownAt < 60_000) {
        const h = await health();
        if (h.code === 200 && h.body.store.writable) recovered = Date.now();
        else await sleep(100);
      }
      expect(recovered, 'health did not report the store writable within a minute of the disk growing').not.toBeNull();
      console.log(`disk-full: recovered ${recovered === null ? 'never' : recovered - grownAt} ms after growing`);
      for (const batch of batches.slice(0, next)) {
        for (let attempt = 0; !batch.acked && attempt < 20; attempt++) if ((await send(batch)) !== 200) await sleep(500);
        expect(batch.acked, batch.key).toBe(true);
      }
      expect(hung).toEqual([]);
      expect(Object.keys(statuses).filter((s) => !['200', '503'].includes(s))).toEqual([]);
      expect(host.child.exitCode).toBeNull();
      const output = host.output();

      host.child.kill('SIGTERM');
      expect(await host.exited).toBe(0);
      host = undefined;
      const counts = await storedUnderKeys(dataDir, 'disk-full-');
      const sent = batches.slice(0, next).reduce((n, b) => n + b.ids.length, 0);
      const lost = sent - counts.distinct;
      const duplicates = counts.rows - counts.distinct;
      // One line when it started, one when it ended, and one a minute between.
      const logLines = output.split('\n').filter((l) => l.includes('the event store')).length;
      const fullSeconds = (recovered! - unwritableSince!) / 1000;
      recordFaultFigures('disk-full', {
        events: sent,
        lost,
        duplicates,
        disk_full_detect_s: Math.max(0, (first503At! - unwritableSince!) / 1000),
        extra: { statuses, recovery_after_growing_s: (recovered! - grownAt) / 1000, full_for_s: fullSeconds, log_lines: logLines },
      });
      expect({ lost, duplicates }).toEqual({ lost: 0, duplicates: 0 });
      expect(logLines).toBeLessThanOrEqual(2 + Math.ceil(fullSeconds / 60));
    },
  );
});
