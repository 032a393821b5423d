import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventExamples, type TelemetryEvent } from '@switchboard/contracts';
import { createTelemetryStore, type TelemetryStore } from './client.ts';
import { encodeEventRow, eventColumns, INTERVAL_MS, tenantRetention, type TenantRetention } from './event-row.ts';
import { migrateTelemetry } from './migrate.ts';
import { queryRows, toChDateTime, UInt64 } from './repositories/rows.ts';
import { applyTenantRetention } from './retention.ts';
import { checkRollups, reconcileRollups } from './rollups/reconcile.ts';

/**
 * Per-tenant retention by ClickHouse TTL (migration 0017), on the embedded engine: each row
 * carries its tenant's retention; once the TTLs run, a short retention's old raw events
 * and transcript words are gone and a long one's are kept, the rollups stay, and the
 * rollup check judges no interval past its raw events' retention.
 */

const DAY_MS = 86_400_000;
const NO_BATCH = '00000000-0000-0000-0000-000000000000';
const run = randomUUID().slice(0, 8);
/** Raw events kept 1 day. */
const shortLived = `short-${run}`;
/** Everything kept 400 days. */
const longLived = `long-${run}`;
/** Stored with the default, then given 400 days for raw events and 1 day for transcript words. */
const shortTranscripts = `words-${run}`;
/** Stored with the default, then given 1 day by applyTenantRetention. */
const changed = `changed-${run}`;

// Three days back, on a 15-minute boundary.
const old = Math.floor((Date.now() - 3 * DAY_MS) / INTERVAL_MS) * INTERVAL_MS;
// The interval whose events a 1-day retention deletes within the next hour (not yet).
const expiring = Math.floor((Date.now() - DAY_MS + 30 * 60_000) / INTERVAL_MS) * INTERVAL_MS;
const window = { from: new Date(old - DAY_MS), to: new Date(Date.now() + DAY_MS) };

let dataDir: string;
let store: TelemetryStore;

function eventsAt(at: number): TelemetryEvent[] {
  const at_ = (ms: number) => ({ event_id: randomUUID(), occurred_at: new Date(ms).toISOString(), sent_at: new Date(ms).toISOString() });
  return [
    { ...eventExamples['interaction.offered'], ...at_(at + 60_000) },
    { ...eventExamples['interaction.answered'], ...at_(at + 120_000) },
    { ...eventExamples['transcript.segment'], ...at_(at + 180_000), text: 'my card was stolen' },
  ];
}

async function insert(tenantId: string, at: number, retention?: TenantRetention): Promise<void> {
  const body = eventsAt(at)
    .map((e) => encodeEventRow(tenantId, e, '', NO_BATCH, retention))
    .join('');
  await store.insertTsv({ table: 'events', columns: eventColumns, body: Buffer.from(body) });
}

async function rawOf(tenantId: string): Promise<{ type: string; text: string }[]> {
  return queryRows(
    store.client,
    z.object({ type: z.string(), text: z.string() }),
    'SELECT type, text FROM events WHERE tenant_id = {tenantId:String} ORDER BY occurred_at',
    { tenantId },
  );
}

async function offeredOf(tenantId: string, at = old): Promise<number> {
  const [row] = await queryRows(
    store.client,
    z.object({ offered: UInt64 }),
    `SELECT sum(offered) AS offered FROM queue_interval_15m WHERE tenant_id = {tenantId:String} AND interval_start = {at:DateTime64(3, 'UTC')}`,
    { tenantId, at: toChDateTime(new Date(at)) },
  );
  return row?.offered ?? 0;
}

/** One extra offered contact in a tenant's old interval: a rollup the check must find wrong, if it judges it. */
async function corrupt(tenantId: string, at: number): Promise<void> {
  await store.client.insert({
    table: 'queue_interval_15m',
    values: [{ tenant_id: tenantId, interval_start: at / 1000, queue_id: 'cards', channel: 'voice', offered: 1 }],
    format: 'JSONEachRow',
  });
}

async function runTtls(): Promise<void> {
  for (const table of ['events', 'ingest_rejections']) {
    await store.client.command({ query: `ALTER TABLE ${table} MATERIALIZE TTL`, clickhouse_settings: { mutations_sync: '2' } });
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-retention-'));
  store = createTelemetryStore({ dataDir });
  await migrateTelemetry(store.client, path.resolve(import.meta.dirname, '../../../migrations/clickhouse'));
  await insert(shortLived, expiring, tenantRetention({ retentionDays: 1 }));
  await insert(longLived, old, tenantRetention({ retentionDays: 400 }));
  await insert(shortTranscripts, old);
  await insert(changed, old);
  await reconcileRollups(store.client, window, { retainedOnly: false });
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('per-tenant retention', () => {
  it('does not judge rollups of intervals past their raw events’ retention, and still finds the others wrong', async () => {
    expect(await offeredOf(shortLived, expiring)).toBe(1);
    await corrupt(shortLived, expiring);
    await corrupt(longLived, old);
    // The short-lived tenant's raw events are still there, but any merge may delete part
    // of them within the hour: the interval is neither judged nor repaired.
    const found = await checkRollups(store.client, window);
    expect(found.map((m) => [m.tenant_id, m.rollup, m.interval_start])).toEqual([[longLived, 'queue_interval_15m', new Date(old).toISOString()]]);
    await reconcileRollups(store.client, window, { retainedOnly: true });
    expect(await checkRollups(store.client, window)).toEqual([]);
    expect(await offeredOf(longLived)).toBe(1);
    expect(await offeredOf(shortLived, expiring)).toBe(2);
  });

  it('deletes old raw events and transcript words once a shorter retention is applied, keeps the rest and every rollup', async () => {
    expect(await offeredOf(changed)).toBe(1);
    await applyTenantRetention(store.client, changed, tenantRetention({ retentionDays: 1 }));
    await applyTenantRetention(store.client, shortTranscripts, { events: 400, transcripts: 1, rejections: 30 });
    await runTtls();
    expect(await rawOf(changed)).toEqual([]);
    expect(await rawOf(longLived)).toEqual([
      { type: 'interaction.offered', text: '' },
      { type: 'interaction.answered', text: '' },
      { type: 'transcript.segment', text: 'my card was stolen' },
    ]);
    // The column TTL resets the words to the column's default; the segment itself stays.
    expect(await rawOf(shortTranscripts)).toEqual([
      { type: 'interaction.offered', text: '' },
      { type: 'interaction.answered', text: '' },
      { type: 'transcript.segment', text: '' },
    ]);
    // Rollups have no TTL: they outlive raw events, and nothing reports or wipes them.
    expect(await offeredOf(changed)).toBe(1);
    expect(await offeredOf(shortTranscripts)).toBe(1);
    expect(await checkRollups(store.client, window)).toEqual([]);
    await reconcileRollups(store.client, window, { retainedOnly: true });
    expect(await offeredOf(changed)).toBe(1);
    expect(await offeredOf(shortLived, expiring)).toBe(2);
  });

  it('keeps rejected events for the tenant’s retention of them', async () => {
    // Received three days ago (received_at is the partition key: written, not updated).
    const rejection = (tenantId: string, retentionDays: number) => ({
      tenant_id: tenantId,
      received_at: toChDateTime(new Date(old)),
      batch_ref: 'b',
      event_index: 0,
      event_id: '',
      reason: 'malformed_json',
      message: 'm',
      raw: '{',
      retention_days: retentionDays,
    });
    await store.client.insert({ table: 'ingest_rejections', values: [rejection(shortLived, 1), rejection(longLived, 30)], format: 'JSONEachRow' });
    await runTtls();
    const rows = await queryRows(
      store.client,
      z.object({ tenant_id: z.string() }),
      'SELECT tenant_id FROM ingest_rejections WHERE tenant_id IN {tenants:Array(String)}',
      { tenants: [shortLived, longLived] },
    );
    expect(rows).toEqual([{ tenant_id: longLived }]);
  });
});
