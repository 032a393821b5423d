import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetryStore, liveRead, type TelemetryStore } from './client.ts';

let dataDir: string;
let store: TelemetryStore;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-telemetry-client-'));
  store = createTelemetryStore({ dataDir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded bound queries', () => {
  it('run one at a time, a live read before the ones already waiting', async () => {
    const finished: string[] = [];
    const run = (name: string, settings?: typeof liveRead) =>
      store.client
        .query({
          query: 'SELECT {name:String} AS name, sleepEachRow(0.05) FROM numbers(1)',
          query_params: { name },
          format: 'JSONEachRow',
          clickhouse_settings: settings,
        })
        .then((r) => r.json<{ name: string }>())
        .then(([row]) => finished.push(row!.name));
    await Promise.all([run('report 1'), run('report 2'), run('report 3'), run('live', liveRead), run('report 4')]);
    expect(finished).toEqual(['report 1', 'live', 'report 2', 'report 3', 'report 4']);
  });

  it('let a query that has waited long go before newer live reads: the wallboards cannot starve a report', async () => {
    const finished: string[] = [];
    const run = (name: string, seconds: number, settings?: typeof liveRead) =>
      store.client
        .query({
          query: 'SELECT {name:String} AS name, sleepEachRow({s:Float64}) FROM numbers(1)',
          query_params: { name, s: seconds },
          format: 'JSONEachRow',
          clickhouse_settings: settings,
        })
        .then((r) => r.json<{ name: string }>())
        .then(([row]) => finished.push(row!.name));
    // Both wait out the first query (longer than the 200 ms bound), so arrival order decides.
    await Promise.all([run('long', 0.4), run('report', 0), run('live', 0, liveRead)]);
    expect(finished).toEqual(['long', 'report', 'live']);
  });

  it('still answers a failed query with its error and goes on with the next', async () => {
    const failed = store.client.query({ query: 'SELECT {n:UInt8} + no_such_column', query_params: { n: 1 }, format: 'JSONEachRow' });
    const next = store.client.query({ query: 'SELECT {n:UInt8} AS n', query_params: { n: 2 }, format: 'JSONEachRow' });
    await expect(failed).rejects.toThrow(/no_such_column/);
    expect(await (await next).json()).toEqual([{ n: 2 }]);
  });
});
