/**
 * npm run bench:quality — stored transcripts → evaluation workflow → evaluations stored, end to end.
 *
 * The host (chDB, PGlite, HTTP ingest) runs in this process with the planning worker against a Temporal dev server,
 * as `npm start` runs them; the tenant's evaluation schedule ticks every 30 s. Conversations are the labelled
 * transcripts of packages/quality/test/labelled (varied, US and UK, voice and chat), sent as the events a contact
 * centre sends (answer, holds, transfer, end, transcript segments) under new interaction ids.
 *
 * 1. Backlog: BENCH_INTERACTIONS interactions ingested at once; the ticks drain them. evaluations_per_s is how many
 *    were stored per second from the first tick's start to the last evaluation stored.
 * 2. Live: BENCH_LIVE_S seconds of traffic, BENCH_LIVE_RATE interactions a second each sent as it ends; the p95 of
 *    (evaluation stored − interaction ended) is p95_interaction_end_to_evaluation_s.
 * Prints one JSON object as its last line.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { quantile } from 'simple-statistics';
import type { TelemetryEvent } from '@switchboard/contracts';
import { createApiKey, createTenant, schema } from '@switchboard/db';
import { loadHostEnv, startHost } from '@switchboard/host';
import { standardForm } from '@switchboard/quality';
import { createMathPool, createPlanningClient, createPlanningWorker, PLANNING_TASK_QUEUE } from '@switchboard/workflows';
import { eq } from 'drizzle-orm';

const INTERACTIONS = Number(process.env.BENCH_INTERACTIONS ?? 20_000);
const LIVE_S = Number(process.env.BENCH_LIVE_S ?? 120);
const LIVE_RATE = Number(process.env.BENCH_LIVE_RATE ?? 20);
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Labelled {
  channel: 'voice' | 'chat';
  segments: { speaker: 'agent' | 'customer' | 'bot'; start_ms: number; end_ms: number; text: string }[];
  holds: { start_ms: number; end_ms: number }[];
}
const conversations = ['dev', 'holdout'].flatMap((file) =>
  readFileSync(path.join(root, 'packages/quality/test/labelled', `${file}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Labelled),
);

/** One conversation as events, ending at `endedAt`. */
function eventsOf(c: Labelled, n: number, endedAt: number): { id: string; events: TelemetryEvent[] } {
  const interaction_id = randomUUID();
  const last = Math.max(...c.segments.map((s) => s.end_ms), ...c.holds.map((h) => h.end_ms));
  const at = (offset: number) => new Date(endedAt - last + offset).toISOString();
  const agent_id = `a-${n % 50}`;
  const queue_id = c.channel === 'voice' ? 'billing' : 'chat';
  const common = (offset: number) => ({ event_id: randomUUID(), schema_version: 1 as const, occurred_at: at(offset), sent_at: at(offset), interaction_id });
  const routing = (offset: number) => ({ ...common(offset), source: 'routing' as const, queue_id, channel: c.channel });
  const hold = c.holds.reduce((sum, h) => sum + h.end_ms - h.start_ms, 0);
  const events = [
    { ...routing(-5_000), type: 'interaction.offered' },
    { ...routing(0), type: 'interaction.answered', agent_id, wait_ms: 5_000 },
    ...c.holds.flatMap((h) => [
      { ...routing(h.start_ms), type: 'interaction.held', agent_id },
      { ...routing(h.end_ms), type: 'interaction.resumed', agent_id, hold_ms: h.end_ms - h.start_ms },
    ]),
    { ...routing(last), type: 'interaction.ended', agent_id, talk_ms: last - hold, hold_ms: hold, disposition: 'resolved' },
    ...c.segments.map((s, i) => ({
      ...common(last),
      source: 'voice' as const,
      type: 'transcript.segment',
      segment_index: i,
      speaker: s.speaker,
      ...(s.speaker === 'agent' ? { agent_id } : {}),
      start_ms: s.start_ms,
      end_ms: s.end_ms,
      text: s.text,
    })),
  ] as TelemetryEvent[];
  return { id: interaction_id, events };
}

async function post(url: string, apiKey: string, events: readonly TelemetryEvent[]): Promise<void> {
  const response = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${apiKey}`, 'idempotency-key': randomUUID() },
    body: `${events.map((e) => JSON.stringify(e)).join('\n')}\n`,
  });
  if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-quality-'));
  const temporal = path.join(root, '.tools/bin/temporal');
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: temporal } } });
  const host = await startHost(loadHostEnv({ PORT: '0', SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_WEB: '0' }), { log: () => undefined });
  const math = createMathPool({ threads: 1 });
  const worker = await createPlanningWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    deps: { telemetry: host.telemetry.client, db: host.db.db, math },
  });
  const running = worker.run();
  try {
    const tenant = await createTenant(host.db.db, { slug: `bench-${randomUUID().slice(0, 8)}`, name: 'Bench' });
    const { key } = await createApiKey(host.db.db, tenant.id, 'bench');
    const evaluated = async () =>
      (
        await host.db.db
          .select({ interactionId: schema.evaluations.interactionId, scoredAt: schema.evaluations.scoredAt })
          .from(schema.evaluations)
          .where(eq(schema.evaluations.tenantId, tenant.id))
      ).map((r) => ({ id: r.interactionId, at: r.scoredAt.getTime() }));

    // 1. Backlog.
    log(`backlog: ingesting ${INTERACTIONS} interactions`);
    const backlog = Array.from({ length: INTERACTIONS }, (_, n) => eventsOf(conversations[n % conversations.length]!, n, Date.now() - 60_000));
    for (let i = 0; i < backlog.length; i += 100)
      await post(
        host.url,
        key,
        backlog.slice(i, i + 100).flatMap((b) => b.events),
      );
    await sleep(2_500);
    const started = performance.now();
    const startedAt = Date.now();
    const result = (await env.client.workflow.execute('evaluationWorkflow', {
      taskQueue: PLANNING_TASK_QUEUE,
      workflowId: `evaluation:${tenant.id}:bench`,
      args: [{ tenantId: tenant.id }],
    })) as { batches: number; seconds: { read: number; score: number; store: number } };
    const stored = await evaluated();
    const seconds = (Math.max(...stored.map((s) => s.at)) - startedAt) / 1000;
    log(
      `backlog: ${stored.length} evaluations in ${seconds.toFixed(1)} s (workflow ${((performance.now() - started) / 1000).toFixed(1)} s, ${result.batches} batches: read ${result.seconds.read.toFixed(1)} s, score ${result.seconds.score.toFixed(1)} s, store ${result.seconds.store.toFixed(1)} s)`,
    );
    if (stored.length !== INTERACTIONS) throw new Error(`${stored.length} of ${INTERACTIONS} interactions evaluated`);

    // 2. Live, through the tenant's 30-second schedule.
    await createPlanningClient(env.client).ensureEvaluationSchedule({ tenantId: tenant.id });
    log(`live: ${LIVE_S} s at ${LIVE_RATE} interactions/s`);
    const ended = new Map<string, number>();
    for (let s = 0; s < LIVE_S; s++) {
      const tick = Date.now();
      const batch = Array.from({ length: LIVE_RATE }, (_, n) => eventsOf(conversations[(s * LIVE_RATE + n) % conversations.length]!, n, Date.now()));
      await post(
        host.url,
        key,
        batch.flatMap((b) => b.events),
      );
      for (const b of batch) ended.set(b.id, Date.now());
      await sleep(Math.max(0, 1000 - (Date.now() - tick)));
    }
    // Wait for the last ones: two ticks and a margin.
    for (let i = 0; i < 90; i++) {
      const done = (await evaluated()).filter((e) => ended.has(e.id)).length;
      if (done === ended.size) break;
      await sleep(1_000);
    }
    const live = (await evaluated()).filter((e) => ended.has(e.id));
    const delays = live.map((e) => (e.at - ended.get(e.id)!) / 1000);
    log(
      `live: ${live.length} of ${ended.size} evaluated; delay p50 ${quantile(delays, 0.5).toFixed(1)} s, p95 ${quantile(delays, 0.95).toFixed(1)} s, max ${Math.max(...delays).toFixed(1)} s`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'quality',
        evaluations_per_s: Math.round(INTERACTIONS / seconds),
        p95_interaction_end_to_evaluation_s: Number(quantile(delays, 0.95).toFixed(1)),
        interactions: INTERACTIONS + ended.size,
        questions: standardForm.sections.flatMap((s) => s.questions).length,
        live_evaluated: live.length,
        live_sent: ended.size,
        p50_interaction_end_to_evaluation_s: Number(quantile(delays, 0.5).toFixed(1)),
        read_s: Number(result.seconds.read.toFixed(1)),
        score_s: Number(result.seconds.score.toFixed(1)),
        store_s: Number(result.seconds.store.toFixed(1)),
      })}\n`,
    );
  } finally {
    worker.shutdown();
    await running;
    await math.close();
    await host.stop();
    await env.teardown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
