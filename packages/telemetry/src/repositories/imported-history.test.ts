import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryInterval } from '@switchboard/contracts';
import { createTelemetryStore, type TelemetryStore } from '../client.ts';
import { migrateTelemetry } from '../migrate.ts';
import { getFirstLiveIntervals, getQueueIntervalActuals, toChDateTimeText, writeImportedHistory } from './planning.ts';
import { getImportedQueueReport } from './reports.ts';

/**
 * Imported history beside the live rollup on real chDB: forecasts and the queue report read
 * it only before a queue's first live interval, and importing an interval again replaces it.
 */

let dataDir: string;
let store: TelemetryStore;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-imported-'));
  store = createTelemetryStore({ dataDir });
  await migrateTelemetry(store.client, path.resolve(import.meta.dirname, '../../../../migrations/clickhouse'));
});

afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const AHT_MS = 300_000;

/** 09:00–09:45 UTC (four intervals) on each date, `offered` contacts each, 80% answered. */
function imported(queueId: string, dates: string[], offered: number): HistoryInterval[] {
  return dates.flatMap((date) =>
    [0, 15, 30, 45].map((minute) => ({
      queue_id: queueId,
      interval_start: `${date}T09:${String(minute).padStart(2, '0')}:00.000Z`,
      offered,
      answered: offered * 0.8,
      abandoned: offered * 0.2,
      handle_ms_sum: offered * 0.8 * AHT_MS,
    })),
  );
}

async function insertLive(tenantId: string, queueId: string, rows: { at: string; offered: number }[]): Promise<void> {
  await store.client.insert({
    table: 'queue_interval_15m',
    values: rows.map((r) => ({
      tenant_id: tenantId,
      interval_start: toChDateTimeText(r.at),
      queue_id: queueId,
      channel: 'voice',
      offered: r.offered,
      handled: r.offered,
      talk_ms_sum: r.offered * 200_000,
    })),
    format: 'JSONEachRow',
  });
}

const dates = ['2026-01-05', '2026-01-06', '2026-01-07'];

async function seed(): Promise<string> {
  const tenantId = `imported-${randomUUID()}`;
  await writeImportedHistory(store.client, {
    tenantId,
    importId: randomUUID(),
    importedAt: new Date('2026-02-01T00:00:00Z'),
    intervals: [...imported('q-a', dates, 10), ...imported('q-b', dates, 20)],
  });
  // q-a goes live at 09:30 on the 6th; on the 7th live has one interval where the import has four.
  await insertLive(tenantId, 'q-a', [
    { at: '2026-01-06T09:30:00Z', offered: 3 },
    { at: '2026-01-07T09:15:00Z', offered: 5 },
  ]);
  return tenantId;
}

const actuals = (tenantId: string, queueId: string, from: string, to: string) =>
  getQueueIntervalActuals(store.client, { tenantId, queueId, from: new Date(from), to: new Date(to) });

describe('imported history', () => {
  it('fills a queue history before its first live interval; live rows win from there on, even where live has no row', async () => {
    const tenantId = await seed();
    const rows = await actuals(tenantId, 'q-a', '2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z');
    expect(rows.map((r) => [r.interval_start, r.offered, r.handled, r.handle_ms_sum])).toEqual([
      ['2026-01-05T09:00:00.000Z', 10, 8, 8 * AHT_MS],
      ['2026-01-05T09:15:00.000Z', 10, 8, 8 * AHT_MS],
      ['2026-01-05T09:30:00.000Z', 10, 8, 8 * AHT_MS],
      ['2026-01-05T09:45:00.000Z', 10, 8, 8 * AHT_MS],
      ['2026-01-06T09:00:00.000Z', 10, 8, 8 * AHT_MS],
      ['2026-01-06T09:15:00.000Z', 10, 8, 8 * AHT_MS],
      // Live from here: the imported 09:45 on the 6th and the 7th's 09:00, 09:30 and 09:45 are not read.
      ['2026-01-06T09:30:00.000Z', 3, 3, 3 * 200_000],
      ['2026-01-07T09:15:00.000Z', 5, 5, 5 * 200_000],
    ]);
    // No interval comes twice.
    expect(new Set(rows.map((r) => r.interval_start)).size).toBe(rows.length);

    // A window after the queue went live reads no imported rows, though live began before it.
    expect((await actuals(tenantId, 'q-a', '2026-01-07T00:00:00Z', '2026-01-08T00:00:00Z')).map((r) => r.offered)).toEqual([5]);
    // A window ending before live began reads the import alone.
    expect(await actuals(tenantId, 'q-a', '2026-01-05T00:00:00Z', '2026-01-06T09:15:00Z')).toHaveLength(5);
    // A queue without live data keeps all of its import.
    expect(await actuals(tenantId, 'q-b', '2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z')).toHaveLength(12);
    expect(await getFirstLiveIntervals(store.client, { tenantId, queueIds: ['q-a', 'q-b'], until: new Date('2026-01-08T00:00:00Z') })).toEqual(
      new Map([['q-a', '2026-01-06T09:30:00.000Z']]),
    );
  });

  it('replaces an interval imported again: readers see the latest import once', async () => {
    const tenantId = await seed();
    await writeImportedHistory(store.client, {
      tenantId,
      importId: randomUUID(),
      importedAt: new Date('2026-02-02T00:00:00Z'),
      intervals: imported('q-b', ['2026-01-06'], 6),
    });
    const rows = await actuals(tenantId, 'q-b', '2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z');
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => r.offered)).toEqual([20, 20, 20, 20, 6, 6, 6, 6, 20, 20, 20, 20]);
    // Both copies are still stored (no merge has run): FINAL is what keeps them from counting twice.
    const [stored] = await (
      await store.client.query({
        query: `SELECT count() AS n FROM imported_queue_interval_15m WHERE tenant_id = {tenantId:String} AND queue_id = 'q-b'`,
        query_params: { tenantId },
        format: 'JSONEachRow',
      })
    ).json<{ n: string }>();
    expect(Number(stored!.n)).toBeGreaterThanOrEqual(12);
  });

  it('gives the queue report imported volumes and interval counts per bucket, before each queue goes live', async () => {
    const tenantId = await seed();
    const report = await getImportedQueueReport(store.client, {
      tenantId,
      from: new Date('2026-01-12T00:00:00Z'),
      to: new Date('2026-01-15T00:00:00Z'),
      previous: { from: new Date('2026-01-05T00:00:00Z'), to: new Date('2026-01-08T00:00:00Z') },
      grain: 'day',
      timezone: 'Europe/London',
    });
    expect(report.map((r) => [r.previous, r.bucket, r.queue_id, r.intervals, r.offered, r.answered, r.abandoned])).toEqual([
      [true, '2026-01-05T00:00:00.000Z', 'q-a', 4, 40, 32, 8],
      [true, '2026-01-05T00:00:00.000Z', 'q-b', 4, 80, 64, 16],
      [true, '2026-01-06T00:00:00.000Z', 'q-a', 2, 20, 16, 4],
      [true, '2026-01-06T00:00:00.000Z', 'q-b', 4, 80, 64, 16],
      [true, '2026-01-07T00:00:00.000Z', 'q-b', 4, 80, 64, 16],
    ]);
  });
});
