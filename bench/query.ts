/**
 * npm run bench:query — wallboard and report latency over HTTP with 100M+ stored events,
 * and freshness (event acknowledged → visible on the wallboard) while ingest runs.
 *
 * 1. In this process, on a fresh data directory: seeds the demo tenant (plus a marker
 *    queue nobody else sends to) and a signed-in-able admin, then generates EVENTS events
 *    server-side (INSERT … SELECT FROM numbers()) over the last 30 days, spread over
 *    TENANTS tenants (the demo tenant is one of them), and builds the rollups from them
 *    with the rollup builder's own reconcile. Then waits (up to 10 minutes) for the bulk
 *    load's background merges to finish.
 * 2. Starts the host process (API only) on that directory, waits for its start-up check of
 *    the rollups (timed: startup_check_s) and signs in over HTTP.
 * 3. For DURATION_S: CLIENTS concurrent clients request the wallboard (tile) and a 30-day
 *    report by queue with last-week comparison; meanwhile a background stream ingests live
 *    contacts, and marker contacts are sent to the marker queue one at a time, each timed
 *    from its 2xx until a wallboard snapshot shows it waiting.
 * Prints one JSON object as its last line. BENCH_KEEP_DATA=1 keeps the data directory to
 * inspect queries afterwards; BENCH_DATA_DIR=<kept directory> skips 1. and benches it again
 * (quicker to iterate, but its generated days end when it was generated).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quantile } from 'simple-statistics';
import { CookieJar, startHost } from './support/host.ts';
import { createAuth, ensureMember } from '@switchboard/api';
import type { CenterConfig } from '@switchboard/contracts';
import { createApiKey, createDb, migrateDb, seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { createTelemetryStore, migrateTelemetry, rebuildRollups } from '@switchboard/telemetry';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000_000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const INGEST_EVENTS_PER_S = Number(process.env.BENCH_INGEST_EVENTS_PER_S ?? 2_000);
const CHUNK = 10_000_000;
const MERGE_WAIT_MAX_S = 600;
const STARTUP_CHECK_MAX_S = 1_800;
const DAYS = 30;
const root = path.resolve(import.meta.dirname, '..');
const MARKER_QUEUE = 'bench-marker';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const benchCenter: CenterConfig = {
  ...demoCenter,
  queues: [
    ...demoCenter.queues,
    { id: MARKER_QUEUE, name: 'Bench marker', channel: 'voice', skill_id: demoCenter.queues[0]!.skill_id, sl_threshold_s: 20, sl_target: 0.8 },
  ],
};

/**
 * Eight events per contact (offered, queued, answered or abandoned, ended, wrap-up, and
 * the agent's three state changes), contacts spread evenly over the window and tenants,
 * queue, agent and durations drawn from a hash of the contact number.
 */
const generateSql = `
INSERT INTO events (tenant_id, event_id, type, schema_version, occurred_at, sent_at, source, interaction_id, queue_id, channel,
                    agent_id, wait_ms, talk_ms, hold_ms, wrapup_ms, disposition, state, previous_state, previous_state_ms, ingest_key)
SELECT tenant_id, generateUUIDv4(n) AS event_id, type, 1, occurred_at, occurred_at, source, interaction_id,
       queue_id, channel, agent_id, wait_ms, talk_ms, hold_ms, wrapup_ms, disposition, state, previous_state, previous_state_ms, ''
FROM (
  SELECT number AS n,
         intDiv(n, 8) AS i, n % 8 AS k, cityHash64(intDiv(n, 8)) AS h,
         {tenants:Array(String)}[1 + i % {tenantCount:UInt32}] AS tenant_id,
         1 + h % length({queues:Array(String)}) AS q,
         {queues:Array(String)}[q] AS queue_id, {channels:Array(String)}[q] AS channel,
         {agents:Array(String)}[1 + intHash32(i) % length({agents:Array(String)})] AS agent,
         toUInt32(bitShiftRight(h, 8) % 120000) AS wait, bitShiftRight(h, 20) % 16 = 0 AS abandoned,
         toUInt32(60000 + bitShiftRight(h, 24) % 400000) AS talk, toUInt32(if(bitShiftRight(h, 30) % 4 = 0, bitShiftRight(h, 32) % 60000, 0)) AS hold,
         toUInt32(10000 + bitShiftRight(h, 40) % 50000) AS wrap,
         {start:DateTime64(3, 'UTC')} + toIntervalMillisecond(intDiv(i, {tenantCount:UInt32}) * {stepMs:UInt64}) AS t0,
         [t0, t0, t0 + toIntervalMillisecond(wait), t0 + toIntervalMillisecond(wait + talk + hold),
          t0 + toIntervalMillisecond(wait + talk + hold + wrap), t0 + toIntervalMillisecond(wait),
          t0 + toIntervalMillisecond(wait + talk + hold), t0 + toIntervalMillisecond(wait + talk + hold + wrap)][k + 1] AS at,
         least(at, {end:DateTime64(3, 'UTC')}) AS occurred_at,
         toString(reinterpretAsUUID(MD5(toString(i)))) AS interaction_id,
         multiIf(k = 0, 'interaction.offered', k = 1, 'interaction.queued', k = 2 AND abandoned, 'interaction.abandoned',
                 k = 2, 'interaction.answered', abandoned, 'agent.logged_in', k = 3, 'interaction.ended',
                 k = 4, 'interaction.wrapup_ended', 'agent.state_changed') AS type,
         if(type LIKE 'agent.%', 'desktop', 'routing') AS source,
         if(type IN ('interaction.offered', 'interaction.queued', 'interaction.abandoned'), '', agent) AS agent_id,
         if(type IN ('interaction.answered', 'interaction.abandoned'), wait, 0) AS wait_ms,
         if(type = 'interaction.ended', talk, 0) AS talk_ms, if(type = 'interaction.ended', hold, 0) AS hold_ms,
         if(type = 'interaction.wrapup_ended', wrap, 0) AS wrapup_ms,
         if(type = 'interaction.ended', 'resolved', '') AS disposition,
         if(type = 'agent.state_changed', ['on_interaction', 'wrap_up', 'available'][k - 4], '') AS state,
         if(type = 'agent.state_changed', ['available', 'on_interaction', 'wrap_up'][k - 4], '') AS previous_state,
         if(type = 'agent.state_changed', [30000, talk + hold, wrap][k - 4], 0) AS previous_state_ms
    FROM numbers({offset:UInt64}, {count:UInt64})
)`;

async function seed(dataDir: string, secret: string) {
  const handle = await createDb({ dataDir });
  try {
    await migrateDb(handle);
    const tenantId = await seedTenant(handle.db, { slug: 'demo', name: 'Demo Contact Center', config: benchCenter });
    const auth = createAuth({ db: handle.db, secret, baseURL: 'http://127.0.0.1', trustedOrigins: [], clientIpHeader: 'x-unused' });
    const password = randomBytes(12).toString('hex');
    await ensureMember(auth, handle.db, { email: 'bench@demo.switchboard.local', name: 'Bench', password, role: 'admin', tenantId });
    const { key } = await createApiKey(handle.db, tenantId, 'bench');
    return { tenantId, password, apiKey: key };
  } finally {
    await handle.close();
  }
}

async function generate(dataDir: string, tenantId: string): Promise<{ seconds: number; rows: number; tenantRows: number }> {
  const store = createTelemetryStore({ dataDir });
  try {
    await migrateTelemetry(store.client, path.join(root, 'migrations/clickhouse'));
    const end = Date.now() - 5 * 60_000;
    const start = end - DAYS * 86_400_000;
    const contacts = Math.ceil(EVENTS / 8);
    const tenants = [tenantId, ...Array.from({ length: TENANTS - 1 }, () => randomUUID())];
    const queues = demoCenter.queues;
    const params = {
      tenants,
      tenantCount: TENANTS,
      queues: queues.map((q) => q.id),
      channels: queues.map((q) => q.channel),
      agents: demoCenter.agents.map((a) => a.id),
      start: (start / 1000).toFixed(3),
      end: (end / 1000).toFixed(3),
      stepMs: Math.max(1, Math.floor((end - start) / Math.ceil(contacts / TENANTS))),
    };
    const started = performance.now();
    for (let offset = 0; offset < contacts * 8; offset += CHUNK) {
      const count = Math.min(CHUNK, contacts * 8 - offset);
      await store.client.command({ query: generateSql, query_params: { ...params, offset, count } });
      log(`bench:query: generated ${((offset + count) / 1e6).toFixed(0)}M of ${((contacts * 8) / 1e6).toFixed(0)}M events`);
    }
    await rebuildRollups(store.client, log);
    const seconds = (performance.now() - started) / 1000;
    // Measure a steady state, not the minutes of merging right after a 100M-row bulk load:
    // no merge running at three checks in a row (one merge often follows another).
    for (let waited = 0, idle = 0; waited < MERGE_WAIT_MAX_S && idle < 3; waited += 5) {
      const merges = await store.client.query({ query: 'SELECT count() AS n FROM system.merges', format: 'JSONEachRow' });
      const n = ((await merges.json()) as { n: string }[])[0]?.n ?? '0';
      idle = Number(n) === 0 ? idle + 1 : 0;
      if (n !== '0' && waited % 30 === 0) log(`bench:query: waiting for ${n} background merges to finish`);
      await new Promise((r) => setTimeout(r, 5_000));
    }
    const result = await store.client.query({
      query: 'SELECT count() AS rows, countIf(tenant_id = {tenantId:String}) AS tenant_rows FROM events',
      query_params: { tenantId },
      format: 'JSONEachRow',
    });
    const [counts] = (await result.json()) as { rows: string; tenant_rows: string }[];
    return { seconds, rows: Number(counts!.rows), tenantRows: Number(counts!.tenant_rows) };
  } finally {
    await store.close();
  }
}

interface Snapshot {
  queues: { key: string; waiting: number }[];
}

function trpcUrl(base: string, procedure: string, input?: unknown): string {
  return `${base}/api/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
}

/** The session's cookies, renewed from responses as a browser does (the signed session cache lasts 25 s). */
async function getJson<T>(url: string, jar: CookieJar): Promise<T> {
  const res = await fetch(url, { headers: { cookie: jar.header() } });
  jar.update(res);
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body.error)}`);
  return body.result.data;
}

/**
 * A contact offered and queued now (still waiting), or, with `waitS`, one queued that many
 * seconds ago and answered now, as the ingest API takes it.
 */
function contact(queueId: string, channel: string, waitS?: number): string {
  const now = Date.now();
  const at = new Date(now - (waitS ?? 0) * 1000).toISOString();
  const base = { schema_version: 1, occurred_at: at, sent_at: at, source: 'routing', interaction_id: randomUUID(), queue_id: queueId, channel };
  const answeredAt = new Date(now).toISOString();
  return [
    { ...base, event_id: randomUUID(), type: 'interaction.offered' },
    { ...base, event_id: randomUUID(), type: 'interaction.queued' },
    ...(waitS === undefined
      ? []
      : [
          {
            ...base,
            occurred_at: answeredAt,
            sent_at: answeredAt,
            event_id: randomUUID(),
            type: 'interaction.answered',
            agent_id: demoCenter.agents[0]!.id,
            wait_ms: waitS * 1000,
          },
        ]),
  ]
    .map((e) => JSON.stringify(e))
    .join('\n');
}

async function ingest(base: string, apiKey: string, body: string): Promise<void> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/x-ndjson' },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
}

function isoDate(ms: number): string {
  return new Date(ms).toLocaleDateString('en-CA', { timeZone: demoCenter.timezone });
}

const markersWaiting = (snapshot: Snapshot) => snapshot.queues.find((q) => q.key === MARKER_QUEUE)?.waiting ?? 0;

async function drive(base: string, jar: CookieJar, apiKey: string) {
  const deadline = performance.now() + DURATION_S * 1000;
  const tile: number[] = [];
  const report: number[] = [];
  const uncached: number[] = [];
  const freshness: number[] = [];
  let ingested = 0;
  const reportInput = (daysBack: number, keys?: string[]) => ({
    from: isoDate(Date.now() - (daysBack + DAYS - 1) * 86_400_000),
    to: isoDate(Date.now() - daysBack * 86_400_000),
    grain: 'day',
    dimension: 'queue',
    compare: true,
    ...(keys ? { keys } : {}),
  });

  const client = async (id: number) => {
    for (let n = 0; performance.now() < deadline; n++) {
      // One request in five is the 30-day report, the rest the wallboard, as when most screens are wallboards.
      const isReport = (n + id) % 5 === 0;
      const started = performance.now();
      await getJson(isReport ? trpcUrl(base, 'reports.run', reportInput(0)) : trpcUrl(base, 'wallboard.snapshot'), jar);
      (isReport ? report : tile).push(performance.now() - started);
    }
  };
  const background = async () => {
    // Contacts answered after a wait, three events each: the queues do not fill up with
    // contacts that never end, which no real center has (the markers are the ones left waiting).
    const perBatch = 201;
    const queues = demoCenter.queues;
    // 0 turns the stream off (a wait of Infinity would be a timer of 1 ms).
    while (INGEST_EVENTS_PER_S > 0 && performance.now() < deadline) {
      const started = performance.now();
      const body = Array.from({ length: perBatch / 3 }, (_, i) =>
        contact(queues[i % queues.length]!.id, queues[i % queues.length]!.channel, 1 + (i % 30)),
      ).join('\n');
      await ingest(base, apiKey, `${body}\n`);
      ingested += perBatch;
      const wait = (perBatch / INGEST_EVENTS_PER_S) * 1000 - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  const markers = async () => {
    // Markers of an earlier run on a kept directory may still be waiting.
    let expected = markersWaiting(await getJson<Snapshot>(trpcUrl(base, 'wallboard.snapshot'), jar));
    while (performance.now() < deadline - 5_000) {
      await ingest(base, apiKey, `${contact(MARKER_QUEUE, 'voice')}\n`);
      const acked = performance.now();
      expected++;
      for (;;) {
        const snapshot = await getJson<Snapshot>(trpcUrl(base, 'wallboard.snapshot'), jar);
        if (markersWaiting(snapshot) >= expected) break;
      }
      freshness.push(performance.now() - acked);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  // What a report costs when nobody asked for it before: one a second, under the same load,
  // 30 days ending one to seven days back, every queue and a key no queue has, so that each
  // input is new (nothing can answer it from a cache) and reads what the clients' report reads.
  const uncachedReports = async () => {
    const queues = benchCenter.queues.map((q) => q.id);
    for (let n = 0; performance.now() < deadline; n++) {
      const started = performance.now();
      await getJson(trpcUrl(base, 'reports.run', reportInput(1 + (n % 7), [...queues, `uncached-${n}`])), jar);
      uncached.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  };
  const started = performance.now();
  await Promise.all([...Array.from({ length: CLIENTS }, (_, i) => client(i)), background(), markers(), uncachedReports()]);
  const seconds = (performance.now() - started) / 1000;
  return { tile, report, uncached, freshness, ingestedPerS: ingested / seconds };
}

const round = (v: number) => Math.round(v * 10) / 10;

async function main(): Promise<void> {
  const reuseDir = process.env.BENCH_DATA_DIR;
  const dataDir = reuseDir ?? mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-query-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  try {
    const setupFile = path.join(dataDir, 'bench-query.json');
    let setup: { secret: string; password: string; apiKey: string; generated: { seconds: number; rows: number; tenantRows: number } };
    if (reuseDir) {
      setup = JSON.parse(readFileSync(setupFile, 'utf8')) as typeof setup;
      log(`bench:query: reusing ${reuseDir} (${setup.generated.rows} events when it was generated)`);
    } else {
      const secret = randomBytes(32).toString('hex');
      const { tenantId, password, apiKey } = await seed(dataDir, secret);
      log(`bench:query: generating ${(EVENTS / 1e6).toFixed(0)}M events over ${DAYS} days for ${TENANTS} tenants`);
      const generated = await generate(dataDir, tenantId);
      log(`bench:query: ${generated.rows} events stored in ${generated.seconds.toFixed(0)} s (${generated.tenantRows} for the benched tenant)`);
      setup = { secret, password, apiKey, generated };
      writeFileSync(setupFile, JSON.stringify(setup));
    }
    const { secret, password, apiKey, generated } = setup;

    const host = startHost(dataDir, port, secret);
    try {
      await host.ready();
      const base = `http://127.0.0.1:${port}`;
      // The host checks the last 24 hours of rollups at start (every tenant's events: tens
      // of seconds at this size). Measured on its own; the budgets are for the steady state.
      const checkStarted = performance.now();
      while (!((await (await fetch(`${base}/api/health`)).json()) as { rollups: { startup_check_done: boolean } }).rollups.startup_check_done) {
        if (performance.now() - checkStarted > STARTUP_CHECK_MAX_S * 1000) throw new Error('the host did not finish its start-up check of the rollups');
        await new Promise((r) => setTimeout(r, 500));
      }
      const startupCheckS = (performance.now() - checkStarted) / 1000;
      log(`bench:query: the host's start-up check of the rollups took ${startupCheckS.toFixed(1)} s`);
      const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email: 'bench@demo.switchboard.local', password }),
      });
      if (!signIn.ok) throw new Error(`sign-in answered ${signIn.status}`);
      const jar = new CookieJar();
      jar.update(signIn);
      log(`bench:query: ${CLIENTS} clients for ${DURATION_S} s, ingest at ${INGEST_EVENTS_PER_S} events/s`);
      const run = await drive(base, jar, apiKey);
      const result = {
        bench: 'query',
        events: generated.rows,
        tile_p50_ms: round(quantile(run.tile, 0.5)),
        tile_p95_ms: round(quantile(run.tile, 0.95)),
        report_30d_p95_ms: round(quantile(run.report, 0.95)),
        report_30d_uncached_ms: round(quantile(run.uncached, 0.5)),
        freshness_p50_ms: round(quantile(run.freshness, 0.5)),
        freshness_p95_ms: round(quantile(run.freshness, 0.95)),
        tenants: TENANTS,
        tenant_events: generated.tenantRows,
        generate_s: Math.round(generated.seconds),
        clients: CLIENTS,
        tile_requests: run.tile.length,
        report_requests: run.report.length,
        report_30d_p50_ms: round(quantile(run.report, 0.5)),
        report_30d_uncached_p95_ms: round(quantile(run.uncached, 0.95)),
        uncached_reports: run.uncached.length,
        markers: run.freshness.length,
        ingest_events_per_s: Math.round(run.ingestedPerS),
        startup_check_s: round(startupCheckS),
      };
      console.log(JSON.stringify(result));
    } finally {
      await host.stop();
    }
  } finally {
    if (reuseDir || process.env.BENCH_KEEP_DATA === '1') log(`bench:query: data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('bench:query failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
