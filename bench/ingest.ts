/**
 * npm run bench:ingest — ingest throughput and acknowledgement latency through the HTTP
 * API (NDJSON, then Arrow IPC), the rollups' freshness meanwhile, and the ceilings of the
 * same engine in the same run.
 *
 * 1. Simulates the demo center until it has EVENTS events (twice, with different ids: one
 *    set per path) and encodes them as NDJSON and Arrow IPC batches of BATCH events (the
 *    bodies are ready before timing starts).
 * 2. Starts the host process (apps/web/server.ts, API only) on a fresh data directory and
 *    drives POST /api/v1/events from this process with CONCURRENCY requests in flight:
 *    first every NDJSON batch, then every Arrow batch. Freshness is the host's own record
 *    of acknowledged insert → counted by the rollups.
 * 3. Ceilings, in this process on fresh directories: the same rows as TSV in 100k-row
 *    batches into `events` alone (plain), and the same with the rollup builder reconciling
 *    each batch (engine, what ingest needs of the engine per event).
 * Where the host's time went (µs per event): decoding, validation, encoding, the insert,
 * the rollups, merges, and the rest (HTTP, garbage collection).
 * Prints one JSON object as its last line.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bool, Field, Float64, Int32, List, tableToIPC, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { quantile } from 'simple-statistics';
import { demoCenter, simulate } from '@switchboard/simulator';
import type { TelemetryEvent } from '@switchboard/contracts';
import { createTelemetryStore, encodeEventRow, eventColumns, INTERVAL_MS, migrateTelemetry, RollupBuilder } from '@switchboard/telemetry';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 3_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
const CEILING_BATCH = 100_000;
const root = path.resolve(import.meta.dirname, '..');

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function generate(seed: number): TelemetryEvent[] {
  const events: TelemetryEvent[] = [];
  const end = Date.now() - 60_000;
  // Start far enough back for EVENTS events; the demo center makes about 70,000 a day.
  const start = end - 44 * 86_400_000;
  for (const event of simulate({ config: demoCenter, seed, start, end })) {
    events.push(event);
    if (events.length >= EVENTS) break;
  }
  return events;
}

/** One Arrow column per field any event has, typed by its values; null where an event has no such field. */
function toArrow(events: readonly TelemetryEvent[]): Buffer {
  const rows = events as unknown as Record<string, unknown>[];
  const fields = [...new Set(rows.flatMap((e) => Object.keys(e)))];
  const columns: Record<string, Vector> = {};
  for (const field of fields) {
    const values = rows.map((e) => e[field] ?? null);
    const sample = values.find((v) => v !== null);
    const type =
      typeof sample === 'string'
        ? new Utf8()
        : typeof sample === 'boolean'
          ? new Bool()
          : Array.isArray(sample)
            ? new List(new Field('item', new Utf8(), true))
            : values.every((v) => v === null || Number.isInteger(v))
              ? new Int32()
              : new Float64();
    columns[field] = vectorFromArray(values, type);
  }
  return Buffer.from(tableToIPC(new Table(columns), 'stream'));
}

interface HostHealth {
  writer: { inserts: number; rows: number; insertMs: number };
  ingest: { events: number; decodeMs: number; validateMs: number; encodeMs: number };
  rollups: { lag_p95_ms: number; stepMs: number; steps: number; reconciled_seq: number; stored_seq: number };
  engine?: { merges_ms: number };
}

async function startHost(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/web/server.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_WEB: '0', SWITCHBOARD_SEED_DEMO: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const health = async (engine = false) => (await (await fetch(`http://127.0.0.1:${port}/api/health${engine ? '?engine=1' : ''}`)).json()) as HostHealth;
  return {
    apiKey: readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim(),
    cpuSeconds: () => {
      // utime + stime of the host process, in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    health,
    /** Until the rollups count everything acknowledged so far. */
    settled: async () => {
      const target = (await health()).rollups.stored_seq;
      while ((await health()).rollups.reconciled_seq < target) await new Promise((r) => setTimeout(r, 50));
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function driveHttp(url: string, apiKey: string, contentType: string, bodies: { body: Buffer; events: number }[], prefix: string) {
  const latencies: number[] = [];
  let next = 0;
  let retries = 0;
  let events = 0;
  const client = async () => {
    while (next < bodies.length) {
      const i = next++;
      const { body, events: n } = bodies[i]!;
      for (;;) {
        const sent = performance.now();
        const res = await fetch(`${url}/api/v1/events`, {
          method: 'POST',
          headers: { 'content-type': contentType, authorization: `Bearer ${apiKey}`, 'idempotency-key': `${prefix}-${i}` },
          body,
        });
        await res.arrayBuffer();
        if (res.status === 200) {
          latencies.push(performance.now() - sent);
          events += n;
          break;
        }
        if (res.status !== 429 && res.status !== 503) throw new Error(`ingest answered ${res.status}`);
        retries++;
        await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 100));
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, events, latencies, retries };
}

/** Rows per second into `events`, alone or with the rollups reconciled after each insert as the builder does. */
async function measureCeiling(rows: string[], batchIds: string[], intervals: number[], withRollups: boolean): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-ceiling-'));
  const store = createTelemetryStore({ dataDir });
  const builder = new RollupBuilder({ client: store.client, instance: 'bench', log, minStepIntervalMs: 0 });
  try {
    await migrateTelemetry(store.client, path.join(root, 'migrations/clickhouse'));
    const batches: { body: Buffer; touched: Map<string, Set<number>>; id: string }[] = [];
    for (let i = 0; i < rows.length; i += CEILING_BATCH) {
      batches.push({
        body: Buffer.from(rows.slice(i, i + CEILING_BATCH).join('')),
        touched: new Map([[TENANT, new Set(intervals.slice(i, i + CEILING_BATCH))]]),
        id: batchIds[i / CEILING_BATCH]!,
      });
    }
    const started = performance.now();
    for (const { body, touched, id } of batches) {
      const ticket = withRollups ? builder.beginInsert([id]) : undefined;
      await store.insertTsv({ table: 'events', columns: eventColumns, body });
      if (ticket) {
        builder.endInsert(ticket, touched);
        await builder.settled();
      }
    }
    return rows.length / ((performance.now() - started) / 1000);
  } finally {
    await builder.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const TENANT = '00000000-0000-0000-0000-000000000000';
const round = (v: number, digits = 0) => Math.round(v * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  log(`bench:ingest: simulating ${EVENTS} events twice`);
  const events = generate(7);
  const arrowEvents = generate(8);
  const ndjson: { body: Buffer; events: number }[] = [];
  const arrow: { body: Buffer; events: number }[] = [];
  for (let i = 0; i < events.length; i += BATCH) {
    const slice = events.slice(i, i + BATCH);
    ndjson.push({ body: Buffer.from(slice.map((e) => JSON.stringify(e)).join('\n') + '\n'), events: slice.length });
  }
  for (let i = 0; i < arrowEvents.length; i += BATCH) {
    const slice = arrowEvents.slice(i, i + BATCH);
    arrow.push({ body: toArrow(slice), events: slice.length });
  }
  const mb = (bodies: { body: Buffer }[]) => (bodies.reduce((s, b) => s + b.body.length, 0) / 1e6).toFixed(0);
  log(`bench:ingest: ${ndjson.length} batches of ${BATCH}: ${mb(ndjson)} MB of NDJSON, ${mb(arrow)} MB of Arrow`);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-ingest-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const host = await startHost(dataDir, port);
  let http;
  let arrowHttp;
  let before;
  let after;
  let hostCpu;
  try {
    await host.settled();
    before = await host.health(true);
    const cpuBefore = host.cpuSeconds();
    http = await driveHttp(`http://127.0.0.1:${port}`, host.apiKey, 'application/x-ndjson', ndjson, 'bench');
    await host.settled();
    hostCpu = host.cpuSeconds() - cpuBefore;
    after = await host.health(true);
    log(`bench:ingest: NDJSON ${http.events} events in ${http.seconds.toFixed(1)} s, ${http.retries} retries after 429/503`);
    arrowHttp = await driveHttp(`http://127.0.0.1:${port}`, host.apiKey, 'application/vnd.apache.arrow.stream', arrow, 'bench-arrow');
    log(`bench:ingest: Arrow ${arrowHttp.events} events in ${arrowHttp.seconds.toFixed(1)} s, ${arrowHttp.retries} retries after 429/503`);
    await host.settled();
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const freshness = after.rollups.lag_p95_ms;

  // One request id per inserted batch, as ingest gives each request.
  const batchIds = Array.from({ length: Math.ceil(events.length / CEILING_BATCH) }, () => randomUUID());
  const rows = events.map((e, i) => encodeEventRow(TENANT, e, '', batchIds[Math.floor(i / CEILING_BATCH)]!));
  const intervals = events.map((e) => Math.floor(Date.parse(e.occurred_at) / INTERVAL_MS) * INTERVAL_MS);
  const plain = await measureCeiling(rows, batchIds, intervals, false);
  const engine = await measureCeiling(rows, batchIds, intervals, true);
  const eventsPerS = http.events / http.seconds;
  const perEvent = (ms: number) => round((ms * 1000) / http.events, 2);
  const spent = {
    decode: perEvent(after.ingest.decodeMs - before.ingest.decodeMs),
    validate: perEvent(after.ingest.validateMs - before.ingest.validateMs),
    encode: perEvent(after.ingest.encodeMs - before.ingest.encodeMs),
    insert: perEvent(after.writer.insertMs - before.writer.insertMs),
    rollups: perEvent(after.rollups.stepMs - before.rollups.stepMs),
    merges: perEvent((after.engine?.merges_ms ?? 0) - (before.engine?.merges_ms ?? 0)),
  };
  const result = {
    bench: 'ingest',
    events_per_s: Math.round(eventsPerS),
    p50_ack_ms: round(quantile(http.latencies, 0.5), 1),
    p99_ack_ms: round(quantile(http.latencies, 0.99), 1),
    arrow_events_per_s: Math.round(arrowHttp.events / arrowHttp.seconds),
    arrow_p99_ack_ms: round(quantile(arrowHttp.latencies, 0.99), 1),
    engine_ceiling_rows_per_s: Math.round(engine),
    plain_ceiling_rows_per_s: Math.round(plain),
    ratio_to_plain_ceiling: round(eventsPerS / plain, 3),
    freshness_p95_ms: freshness,
    events: http.events,
    batch_events: BATCH,
    concurrency: CONCURRENCY,
    retries: http.retries + arrowHttp.retries,
    rows_per_insert: Math.round((after.writer.rows - before.writer.rows) / (after.writer.inserts - before.writer.inserts)),
    rollup_steps: after.rollups.steps - before.rollups.steps,
    // Wall time per event in each stage of the NDJSON run (the insert and the rollups run
    // beside the HTTP work, on chDB's threads), and the host's CPU per event over it.
    us_per_event: spent,
    host_cpu_us_per_event: round((hostCpu / http.events) * 1e6, 1),
  };
  console.log(JSON.stringify(result));
}

await main();
