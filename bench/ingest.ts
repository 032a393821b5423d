/**
 * npm run bench:ingest — ingest throughput and acknowledgement latency through the HTTP
 * API, against the ceiling of the same engine in the same run.
 *
 * 1. Simulates the demo center until it has EVENTS events and encodes them as NDJSON
 *    batches of BATCH events (the bodies are ready before timing starts).
 * 2. Starts the host process (apps/web/server.ts, API only) on a fresh data directory and
 *    drives POST /api/v1/events from this process with CONCURRENCY requests in flight.
 * 3. Ceiling: in this process, inserts the same rows as TSV in 100k-row batches straight
 *    into the same engine (chDB, the same migrations and materialized views).
 * Prints one JSON object as its last line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quantile } from 'simple-statistics';
import { demoCenter, simulate } from '@switchboard/simulator';
import type { TelemetryEvent } from '@switchboard/contracts';
import { createTelemetryStore, encodeEventRow, eventColumns, migrateTelemetry } from '@switchboard/telemetry';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 3_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
const CEILING_BATCH = 100_000;
const root = path.resolve(import.meta.dirname, '..');

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function generate(): TelemetryEvent[] {
  const events: TelemetryEvent[] = [];
  const end = Date.now() - 60_000;
  // Start far enough back for EVENTS events; the demo center makes a few hundred thousand a day.
  const start = end - 40 * 86_400_000;
  for (const event of simulate({ config: demoCenter, seed: 7, start, end })) {
    events.push(event);
    if (events.length >= EVENTS) break;
  }
  return events;
}

interface HostHandle {
  apiKey: string;
  cpuSeconds(): number;
  writerStats(): Promise<{ inserts: number; rows: number; insertMs: number }>;
  stop(): Promise<void>;
}

async function startHost(dataDir: string, port: number): Promise<HostHandle> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/web/server.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_WEB: '0', SWITCHBOARD_SEED_DEMO: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    apiKey: readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim(),
    cpuSeconds: () => {
      // utime + stime of the host process, in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    writerStats: async () =>
      ((await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { writer: { inserts: number; rows: number; insertMs: number } }).writer,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function driveHttp(url: string, apiKey: string, bodies: { body: Buffer; events: number }[]) {
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
          headers: {
            'content-type': 'application/x-ndjson',
            authorization: `Bearer ${apiKey}`,
            'idempotency-key': `bench-${i}`,
          },
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

async function measureCeiling(rows: string[]): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-ceiling-'));
  const store = createTelemetryStore({ dataDir });
  try {
    await migrateTelemetry(store.client, path.join(root, 'migrations/clickhouse'));
    const batches: Buffer[] = [];
    for (let i = 0; i < rows.length; i += CEILING_BATCH) batches.push(Buffer.from(rows.slice(i, i + CEILING_BATCH).join('')));
    const started = performance.now();
    for (const body of batches) await store.insertTsv({ table: 'events', columns: eventColumns, body });
    return rows.length / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  log(`bench:ingest: simulating ${EVENTS} events`);
  const events = generate();
  const bodies: { body: Buffer; events: number }[] = [];
  for (let i = 0; i < events.length; i += BATCH) {
    const slice = events.slice(i, i + BATCH);
    bodies.push({ body: Buffer.from(slice.map((e) => JSON.stringify(e)).join('\n') + '\n'), events: slice.length });
  }
  log(`bench:ingest: ${bodies.length} batches of ${BATCH}, ${(bodies.reduce((s, b) => s + b.body.length, 0) / 1e6).toFixed(0)} MB of NDJSON`);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-ingest-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const host = await startHost(dataDir, port);
  let http;
  let writer;
  let hostCpu;
  try {
    const cpuBefore = host.cpuSeconds();
    http = await driveHttp(`http://127.0.0.1:${port}`, host.apiKey, bodies);
    hostCpu = host.cpuSeconds() - cpuBefore;
    writer = await host.writerStats();
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  log(`bench:ingest: HTTP ${http.events} events in ${http.seconds.toFixed(1)} s, ${http.retries} retries after 429/503`);

  const tenantId = '00000000-0000-0000-0000-000000000000';
  const ceiling = await measureCeiling(events.map((e) => encodeEventRow(tenantId, e, '')));
  const eventsPerS = http.events / http.seconds;
  const result = {
    bench: 'ingest',
    events_per_s: Math.round(eventsPerS),
    p50_ack_ms: Math.round(quantile(http.latencies, 0.5) * 10) / 10,
    p99_ack_ms: Math.round(quantile(http.latencies, 0.99) * 10) / 10,
    engine_ceiling_rows_per_s: Math.round(ceiling),
    ratio_to_ceiling: Math.round((eventsPerS / ceiling) * 1000) / 1000,
    events: http.events,
    batch_events: BATCH,
    concurrency: CONCURRENCY,
    retries: http.retries,
    inserts: writer.inserts,
    rows_per_insert: Math.round(writer.rows / writer.inserts),
    // Share of the wall time the host spent waiting on chDB inserts (the rest: HTTP, parse, validate, encode).
    insert_time_share: Math.round((writer.insertMs / 1000 / http.seconds) * 1000) / 1000,
    // CPU the host process spent per event (all its threads, chDB included): less sensitive to other load than the rates.
    host_cpu_us_per_event: Math.round((hostCpu / http.events) * 1e7) / 10,
  };
  console.log(JSON.stringify(result));
}

await main();
