import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { quantile } from 'simple-statistics';
import { afterAll, describe, expect, it } from 'vitest';
import { SLOW_INSERTS_FILE } from '@switchboard/host';
import { callApi, signInAsDemo } from '../support/api-client.ts';
import { storedUnderKeys, waitForRollups } from '../support/events.ts';
import { byTier, recordFaultFigures } from '../support/faults.ts';
import { tempDataDir } from '../support/host.ts';
import { freePort, spawnHost, waitReady, type SpawnedHost } from '../support/spawn-host.ts';
import { generatorEvents } from './crash-generator.ts';

/**
 * R3: the store slowed (a seam in the host, on with SWITCHBOARD_FAULT_SEAMS) to a known sustainable rate, and twice that
 * offered by clients that start a batch on schedule whatever is outstanding, and retry a refused one after Retry-After
 * with its key. Only 2xx or 429/503 with Retry-After may come back; the wallboard keeps answering; the host's memory
 * and event-loop delay are measured (README states the cap); once the store is released the backlog drains and every
 * acknowledged event is stored exactly once.
 */
const SUSTAINABLE = 5_000;
const SECONDS = byTier(30, 120);
const BATCH = 500;
/** The host's memory cap under overload, as README ("Proven under faults") states it. */
const HOST_RSS_CAP_MB = 2_048;
const dataDir = tempDataDir('faults-backpressure');
let host: SpawnedHost | undefined;
afterAll(() => {
  host?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ingest under twice the sustainable rate (R3)', () => {
  it(
    'answers only 2xx or 429/503 with Retry-After, keeps the wallboard answering, and drains to exactly the acknowledged events',
    { timeout: byTier(600_000, 1_200_000) },
    async () => {
      const port = await freePort();
      host = spawnHost(dataDir, port, { SWITCHBOARD_FAULT_SEAMS: '1' });
      await waitReady(host);
      const url = host.url;
      const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
      const cookie = await signInAsDemo(url, dataDir, 'supervisor');
      const pid = host.child.pid!;

      const offeredRate = 2 * SUSTAINABLE;
      const end = Date.now() - 60_000;
      const events = generatorEvents({ seed: 23, start: end - 40 * 86_400_000, end, events: offeredRate * SECONDS });
      const batches = Array.from({ length: events.length / BATCH }, (_, b) => {
        const slice = events.slice(b * BATCH, (b + 1) * BATCH);
        return { key: `backpressure-${b}`, body: slice.map((e) => JSON.stringify(e)).join('\n') + '\n', acked: false };
      });

      // The store keeps up with SUSTAINABLE events a second: this long per thousand rows.
      writeFileSync(path.join(dataDir, SLOW_INSERTS_FILE), String(1_000_000 / SUSTAINABLE));
      await sleep(1_100);

      const statuses: Record<string, number> = {};
      const unexpected: string[] = [];
      const count = (s: string) => (statuses[s] = (statuses[s] ?? 0) + 1);
      const send = async (batch: (typeof batches)[number]) => {
        while (!batch.acked) {
          const sentAt = Date.now();
          try {
            const res = await fetch(`${url}/api/v1/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${apiKey}`, 'idempotency-key': batch.key },
              body: batch.body,
              signal: AbortSignal.timeout(120_000),
            });
            const text = await res.text();
            count(String(res.status));
            if (res.status === 200) batch.acked = true;
            else if (res.status === 429 || res.status === 503) {
              const retryAfter = Number(res.headers.get('retry-after'));
              if (!(retryAfter > 0)) unexpected.push(`${res.status} without Retry-After`);
              await sleep((retryAfter || 1) * 1_000);
            } else {
              unexpected.push(`${res.status}: ${text.slice(0, 200)}`);
              return;
            }
          } catch (error) {
            unexpected.push(
              `request failed: ${(error as Error).message} (${String((error as { cause?: unknown }).cause)}) after ${Date.now() - sentAt} ms, sent ${sentAt - started} ms in`,
            );
            return;
          }
        }
      };

      // Open loop: batch b starts at its slot, however many are outstanding.
      const started = Date.now();
      let loading = true;
      const sends: Promise<void>[] = [];
      const offering = (async () => {
        for (let b = 0; b < batches.length; b++) {
          const slot = started + (b * BATCH * 1_000) / offeredRate;
          if (slot > Date.now()) await sleep(slot - Date.now());
          sends.push(send(batches[b]!));
        }
      })();

      const rss: number[] = [];
      const lag: number[] = [];
      const pending: number[] = [];
      const wallboardMs: number[] = [];
      const wallboardStatuses: number[] = [];
      const watching = (async () => {
        while (loading) {
          rss.push(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);
          const health = (await (await fetch(`${url}/api/health`)).json()) as { pending_rows: number; event_loop: { p99_ms: number } };
          lag.push(health.event_loop.p99_ms);
          pending.push(health.pending_rows);
          const asked = performance.now();
          const wallboard = await callApi(url, cookie, 'wallboard.snapshot');
          wallboardMs.push(performance.now() - asked);
          wallboardStatuses.push(wallboard.status);
          await sleep(1_000);
        }
      })();
      await offering;
      loading = false;
      await watching;

      // Released: the backlog drains and every batch is acknowledged.
      const releasedAt = Date.now();
      unlinkSync(path.join(dataDir, SLOW_INSERTS_FILE));
      await Promise.all(sends);
      const drainS = (Date.now() - releasedAt) / 1_000;
      await waitForRollups(url);
      // A host that went away says how (its exit code or signal) beside the end of its output.
      const exit = host.child.exitCode ?? host.child.signalCode ?? 'running';
      expect(unexpected, `host: ${exit}\n${host.output().slice(-3_000)}`).toEqual([]);
      expect(new Set(wallboardStatuses)).toEqual(new Set([200]));
      expect(batches.every((b) => b.acked)).toBe(true);

      host.child.kill('SIGTERM');
      expect(await host.exited).toBe(0);
      host = undefined;
      const counts = await storedUnderKeys(dataDir, 'backpressure-');
      const lost = events.length - counts.distinct;
      const duplicates = counts.rows - counts.distinct;
      recordFaultFigures('backpressure', {
        events: events.length,
        lost,
        duplicates,
        backpressure_max_rss_mb: Math.round(Math.max(...rss)),
        lag_p99_ms: Math.max(...lag),
        extra: {
          offered_per_s: offeredRate,
          sustainable_per_s: SUSTAINABLE,
          seconds: SECONDS,
          statuses,
          max_pending_rows: Math.max(...pending),
          wallboard_p99_ms: Math.round(quantile(wallboardMs, 0.99)),
          drain_s: drainS,
        },
      });
      expect({ lost, duplicates }).toEqual({ lost: 0, duplicates: 0 });
      expect(Math.max(...rss)).toBeLessThan(HOST_RSS_CAP_MB);
    },
  );
});
