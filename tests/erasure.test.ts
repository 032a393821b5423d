import { createHash, randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TelemetryEvent } from '@switchboard/contracts';
import { listAudit, type DbHandle } from '@switchboard/db';
import { adminActions, callOperator, type ProvisioningStores } from '@switchboard/host';
import { queryRows, UInt64 } from '@switchboard/telemetry';
import { ndjson, post, postAll, sampleInteraction } from './support/events.ts';
import { runAdmin } from './support/admin-cli.ts';
import { startTestHost, type TestHost } from './support/host.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * Erasure of a customer's personal data: the host with Temporal runs the erasure workflow for the operator command,
 * and afterwards no ClickHouse table and no Postgres text column holds the customer's reference or the words of their
 * transcripts, while the other customer's data and every rollup figure stay as they were.
 */

let env: TestWorkflowEnvironment;
let t: TestHost;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  t = await startTestHost({ TEMPORAL_ADDRESS: env.address });
}, 180_000);

afterAll(async () => {
  await t?.stop();
  await env?.teardown();
});

/** One interaction of the customer, with transcript segments holding the canary (and a phone, redacted at ingest). */
function interactionOf(at: Date, customerRef: string, canary: string): TelemetryEvent[] {
  const events = sampleInteraction(at);
  const offered = { ...events[0]!, customer_ref: customerRef } as TelemetryEvent;
  const { interaction_id, occurred_at } = events[1] as TelemetryEvent & { interaction_id: string };
  const segment = (index: number, speaker: 'customer' | 'agent', text: string): TelemetryEvent => ({
    event_id: randomUUID(),
    schema_version: 1,
    occurred_at,
    sent_at: occurred_at,
    source: 'voice',
    type: 'transcript.segment',
    interaction_id,
    segment_index: index,
    speaker,
    start_ms: index * 5_000,
    end_ms: index * 5_000 + 4_000,
    text,
  });
  return [
    offered,
    ...events.slice(1),
    segment(0, 'agent', 'Thank you for calling, how can I help?'),
    segment(1, 'customer', `My code word is ${canary} and my number is +44 7700 900123`),
  ];
}

/** Every string column of every ClickHouse table (views left out) holding the needle: `table.column` with the rows. */
async function clickhouseHits(client: ClickHouseClient, needle: string): Promise<string[]> {
  const columns = await queryRows(
    client,
    z.object({ table: z.string(), name: z.string() }),
    `SELECT table, name FROM system.columns
     WHERE database = currentDatabase() AND type LIKE '%String%'
       AND table IN (SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree%')`,
    {},
  );
  expect(columns.map((c) => `${c.table}.${c.name}`)).toEqual(expect.arrayContaining(['events.text', 'events.customer_ref', 'ingest_rejections.raw']));
  const hits: string[] = [];
  for (const { table, name } of columns) {
    // sql-safe: table and column names come from system.columns, not from input.
    const [row] = await queryRows(
      client,
      z.object({ n: UInt64 }),
      `SELECT count() AS n FROM \`${table}\` WHERE positionCaseInsensitive(toString(\`${name}\`), {needle:String}) > 0`,
      { needle },
    );
    if (row!.n > 0) hits.push(`${table}.${name}: ${row!.n}`);
  }
  return hits;
}

async function pgRows(handle: DbHandle, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (handle.kind === 'pglite') return (await handle.client.query<Record<string, unknown>>(text, params)).rows;
  return (await handle.pool.query(text, params)).rows as Record<string, unknown>[];
}

/** Every text, varchar, json and array column of every Postgres table holding the needle. */
async function postgresHits(handle: DbHandle, needle: string): Promise<string[]> {
  const columns = (await pgRows(
    handle,
    `SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
       AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')`,
  )) as { table_schema: string; table_name: string; column_name: string }[];
  expect(columns.some((c) => c.table_name === 'audit_log' && c.column_name === 'object_id')).toBe(true);
  const hits: string[] = [];
  for (const c of columns) {
    // sql-safe: schema, table and column names come from information_schema, not from input.
    const [row] = await pgRows(
      handle,
      `SELECT count(*)::int AS n FROM "${c.table_schema}"."${c.table_name}" WHERE strpos(lower("${c.column_name}"::text), lower($1)) > 0`,
      [needle],
    );
    if (Number(row!.n) > 0) hits.push(`${c.table_name}.${c.column_name}: ${String(row!.n)}`);
  }
  return hits;
}

/** The tenant's queue rollup, per interval and queue: what reports read. */
async function rollupFigures(client: ClickHouseClient, tenantId: string) {
  return queryRows(
    client,
    z.object({ interval_start: z.string(), queue_id: z.string(), offered: UInt64, answered: UInt64, handled: UInt64, talk_ms: UInt64, wrapups: UInt64 }),
    `SELECT toString(interval_start) AS interval_start, queue_id, sum(offered) AS offered, sum(answered) AS answered, sum(handled) AS handled,
            sum(talk_ms_sum) AS talk_ms, sum(wrapups) AS wrapups
     FROM queue_interval_15m WHERE tenant_id = {tenantId:String} GROUP BY interval_start, queue_id ORDER BY interval_start, queue_id`,
    { tenantId },
  );
}

describe('erasure of a customer', () => {
  it("scrubs the customer's transcripts and reference everywhere, keeps the rollups and the other customer, and certifies it", async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const telemetry = t.host.telemetry.client;
    const erased = { ref: `cust-${randomUUID()}`, canary: `canary-${randomUUID()}` };
    const kept = { ref: `cust-${randomUUID()}`, canary: `canary-${randomUUID()}` };
    const at = new Date(Date.now() - 2 * 3_600_000);
    const first = interactionOf(at, erased.ref, erased.canary);
    await postAll(t.url, apiKey, [
      ...first,
      ...interactionOf(new Date(at.getTime() + 60_000), erased.ref, erased.canary),
      ...interactionOf(new Date(at.getTime() + 120_000), kept.ref, kept.canary),
    ]);
    // Rejected lines keep their raw text: one with the customer's reference, one quoting their words.
    const bad = [
      { ...sampleInteraction(at)[0]!, customer_ref: erased.ref, channel: 'pigeon' },
      { ...first[5]!, event_id: randomUUID(), start_ms: 9_000, end_ms: 1_000 },
    ];
    const rejected = await post(t.url, apiKey, ndjson(bad), { 'idempotency-key': randomUUID() });
    expect(rejected.status).toBe(207);

    expect(await clickhouseHits(telemetry, erased.canary)).toEqual(['events.text: 2', 'ingest_rejections.raw: 1']);
    expect(await clickhouseHits(telemetry, erased.ref)).toEqual(['events.customer_ref: 2', 'ingest_rejections.raw: 1']);
    expect(await clickhouseHits(telemetry, '7700 900123')).toEqual([]);
    const rollupsBefore = await rollupFigures(telemetry, tenantId);
    expect(rollupsBefore.reduce((n, r) => n + r.offered, 0)).toBe(3);

    // The operator command, through the running host.
    const { code, stdout, stderr } = await runAdmin(t.dataDir, 'erase', 'customer', '--tenant', tenantId, '--customer-ref', erased.ref);
    expect(code, stderr).toBe(0);
    const refHash = createHash('sha256').update(`${tenantId}:${erased.ref}`).digest('hex');
    expect(stdout).toContain(`erased customer ${refHash}`);
    expect(stdout).not.toContain(erased.ref);
    expect(stdout).toMatch(/events\.text\s+4\n/);
    expect(stdout).toMatch(/ingest_rejections\.raw\s+2\n/);
    expect(stdout).toMatch(/events\.customer_ref\s+2\n/);

    for (const needle of [erased.canary, erased.ref, '7700 900123']) {
      expect(await clickhouseHits(telemetry, needle), needle).toEqual([]);
      expect(await postgresHits(t.host.db, needle), needle).toEqual([]);
    }
    // The other customer is intact; the erased one is a stable token.
    expect(await clickhouseHits(telemetry, kept.canary)).toEqual(['events.text: 1']);
    expect(await clickhouseHits(telemetry, kept.ref)).toEqual(['events.customer_ref: 1']);
    expect(await clickhouseHits(telemetry, `erased:${refHash}`)).toEqual(['events.customer_ref: 2']);
    expect(await clickhouseHits(telemetry, '[erased]')).toEqual(['events.text: 4', 'ingest_rejections.raw: 2']);
    // Counts and durations stay, and the raw events still add up to them.
    expect(await rollupFigures(telemetry, tenantId)).toEqual(rollupsBefore);
    const check = await callOperator(t.dataDir, 'rollups/check', {
      tenant: tenantId,
      from: new Date(at.getTime() - 3_600_000).toISOString(),
      to: new Date().toISOString(),
    });
    expect(check).toMatchObject({ status: 200, body: { mismatches: [] } });

    // The workflow saw the hash only, and says how far it got.
    const handle = env.client.workflow.getHandle(`erasure:${tenantId}:${refHash}`);
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain(erased.ref);
    expect(history).not.toContain(erased.canary);
    expect(await handle.query('progress')).toEqual({ done: 3, total: 3, current: null });

    // Again: nothing left, nothing changed, and a second certificate says so.
    const again = await callOperator(t.dataDir, 'erasure/customer', { tenant: tenantId, customerRef: erased.ref });
    expect(again).toMatchObject({
      status: 200,
      body: { refHash, certified: true, counts: { 'events.text': 0, 'ingest_rejections.raw': 0, 'events.customer_ref': 0 } },
    });
    expect(await rollupFigures(telemetry, tenantId)).toEqual(rollupsBefore);

    const trail = await listAudit(t.host.db.db, tenantId, {
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 60_000),
      action: 'erasure.',
      limit: 50,
    });
    const certificates = trail.filter((e) => e.action === 'erasure.customer');
    expect(certificates).toHaveLength(2);
    expect(certificates.every((e) => e.objectType === 'customer' && e.objectId === refHash && e.userId === null)).toBe(true);
    expect(
      trail
        .filter((e) => e.action === 'erasure.customer.table')
        .map((e) => `${e.objectType} ${e.objectId}`)
        .sort(),
    ).toEqual(
      [
        `events.customer_ref ${refHash}:0`,
        `events.customer_ref ${refHash}:2`,
        `events.text ${refHash}:0`,
        `events.text ${refHash}:4`,
        `ingest_rejections.raw ${refHash}:0`,
        `ingest_rejections.raw ${refHash}:2`,
      ].sort(),
    );
  }, 180_000);

  it('is refused without the workflow engine', async () => {
    const { tenantId } = await t.createTenant();
    const stores = { db: t.host.db.db } as ProvisioningStores;
    const answer = await adminActions['erasure/customer']!(stores, { tenant: tenantId, customerRef: 'cust-1' });
    expect(answer).toMatchObject({ status: 503, body: { error: 'workflows_unavailable', message: expect.stringContaining('TEMPORAL_ADDRESS') } });
  });
});
