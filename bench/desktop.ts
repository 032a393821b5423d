/**
 * npm run bench:desktop — nudges to agents' desktop panels (GET /api/desktop/events, Server-Sent Events) with PANELS
 * panels open: a batch acknowledged by ingest (200: stored) → the nudge frame at that agent's panel.
 *
 * 1. On a fresh data directory, in this process: a tenant of PANELS agents (the demo center's teams and skills), an
 *    agent member per agent and an ingest key. The store is closed, then the host process (API only) starts on it.
 * 2. Each simulated desktop signs in over HTTP and opens its panel; every panel's `ready` is awaited.
 * 3. Each agent takes INTERACTIONS_PER_AGENT calls: SENDERS concurrent senders, paced at NUDGES_PER_S, post a call's
 *    answer and the agent's greeting, then the customer's frustrated words in a batch of their own (the marker). Its
 *    200 is the ack; the `nudge` frame with its interactionId at the agent's panel is the arrival. A nudge not at the
 *    panel within LOST_AFTER_MS of its ack is lost. The call ends in the batch that answers the agent's next one.
 *    Ingest hands a stored batch to the hub before it answers 200, so visible (arrival − ack) is about zero and may be
 *    negative (before_ack); send_to_visible (arrival − the marker's send) is the whole path from the desktop gateway.
 * Prints one JSON object as its last line; exits non-zero if a nudge was lost or reached another agent's panel.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quantile } from 'simple-statistics';
import { CookieJar, startHost } from './support/host.ts';
import { createAuth, ensureMember } from '@switchboard/api';
import type { CenterConfig, TelemetryEvent } from '@switchboard/contracts';
import { createApiKey, createDb, migrateDb, seedTenant } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';

const PANELS = Number(process.env.BENCH_PANELS ?? 500);
const INTERACTIONS_PER_AGENT = Number(process.env.BENCH_INTERACTIONS_PER_AGENT ?? 2);
/** Well above a busy hour's (500 agents answer about two calls a second, a few of them frustrated): a short run that loads the hub. */
const NUDGES_PER_S = Number(process.env.BENCH_NUDGES_PER_S ?? 15);
const SENDERS = 4;
/** Desktops signing in at once (better-auth's scrypt check runs on the host's libuv pool). */
const SIGN_IN_CONCURRENCY = 8;
const SEED_CONCURRENCY = 4;
const LOST_AFTER_MS = 10_000;
const FRUSTRATED = 'This is ridiculous, my card has been blocked for a week and nobody has called me back.';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number) => Math.round(v * 10) / 10;

const agentKeys = Array.from({ length: PANELS }, (_, i) => `bench-agent-${String(i + 1).padStart(3, '0')}`);
const emailOf = (i: number) => `${agentKeys[i]}@bench.switchboard.local`;
/**
 * Each desktop's own address. The host sees every panel come from 127.0.0.1, as 500 real desktops behind the
 * office's reverse proxy would reach it; the proxy (trusted: SWITCHBOARD_TRUSTED_PROXIES) names each in
 * X-Forwarded-For, so the sign-in limit, per client address, applies per desktop and not to all of them at once.
 */
const addressOf = (i: number) => `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`;

/** The demo center with PANELS agents of its own: each a copy of a demo agent (team, skills, shift) under a new key. */
const benchCenter: CenterConfig = {
  ...demoCenter,
  agents: agentKeys.map((id, i) => ({ ...demoCenter.agents[i % demoCenter.agents.length]!, id, display_name: `Bench Agent ${i + 1}` })),
};

/** Runs `work` over 0…n-1 with at most `concurrency` at a time. */
async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (let i = next++; i < n; i = next++) await work(i);
    }),
  );
}

async function seed(dataDir: string, secret: string) {
  const handle = await createDb({ dataDir });
  try {
    await migrateDb(handle);
    const db = handle.db;
    const tenantId = await seedTenant(db, { slug: 'bench', name: 'Bench Contact Center', config: benchCenter });
    const { key: apiKey } = await createApiKey(db, tenantId, 'bench');
    const auth = createAuth({ db, secret, baseURL: 'http://127.0.0.1', trustedOrigins: [], clientIpHeader: 'x-unused' });
    const password = randomBytes(12).toString('hex');
    await pool(PANELS, SEED_CONCURRENCY, async (i) => {
      await ensureMember(auth, db, { email: emailOf(i), name: `Bench Agent ${i + 1}`, password, role: 'agent', tenantId, agentKey: agentKeys[i] });
    });
    return { password, apiKey };
  } finally {
    await handle.close();
  }
}

async function signIn(base: string, i: number, password: string): Promise<CookieJar> {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, 'x-forwarded-for': addressOf(i) },
    body: JSON.stringify({ email: emailOf(i), password }),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`sign-in of ${emailOf(i)} answered ${res.status}`);
  const jar = new CookieJar();
  jar.update(res);
  return jar;
}

interface Nudge {
  agent: number;
  sent: number;
  acked?: number;
  arrived?: number;
}

interface Deliveries {
  nudges: Map<string, Nudge>;
  /** Nudge frames at a panel of another agent than the interaction's, or for an interaction not sent. */
  misrouted: number;
  /** The same interaction's nudge at its panel again. */
  duplicates: number;
}

/**
 * One desktop's panel: the event stream read over fetch (as tests/desktop.test.ts does), each `nudge` frame stamped
 * with the time its chunk was read. `ready` resolves on the `ready` event.
 */
async function openPanel(base: string, i: number, jar: CookieJar, deliveries: Deliveries) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/desktop/events`, {
    headers: { cookie: jar.header(), 'x-forwarded-for': addressOf(i), accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body) {
    const body = await res.text();
    throw new Error(`the panel of ${agentKeys[i]} answered ${res.status}: ${body}`);
  }
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const at = performance.now();
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(raw)?.[1];
          const data = /^data: (.*)$/m.exec(raw)?.[1];
          if (event === 'ready') onReady();
          if (event !== 'nudge' || data === undefined) continue;
          const { interactionId } = JSON.parse(data) as { interactionId: string };
          const nudge = deliveries.nudges.get(interactionId);
          if (!nudge || nudge.agent !== i) deliveries.misrouted++;
          else if (nudge.arrived !== undefined) deliveries.duplicates++;
          else nudge.arrived = at;
        }
      }
    } catch {
      // Aborted at the end of the run, or the host stopped.
    }
  })();
  return {
    ready,
    async close() {
      controller.abort();
      await reading;
    },
  };
}

async function ingest(base: string, apiKey: string, events: readonly TelemetryEvent[]): Promise<void> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/x-ndjson', 'idempotency-key': randomUUID() },
    body: events.map((e) => JSON.stringify(e)).join('\n') + '\n',
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${body}`);
}

const iso = (ms: number) => new Date(ms).toISOString();
const queueId = demoCenter.queues.find((q) => q.channel === 'voice')!.id;

function interactionEvent(type: 'interaction.answered' | 'interaction.ended', interactionId: string, agentKey: string, at: number, answeredAt: number) {
  const base = {
    event_id: randomUUID(),
    schema_version: 1,
    occurred_at: iso(at),
    sent_at: iso(at),
    source: 'routing',
    interaction_id: interactionId,
    queue_id: queueId,
    channel: 'voice',
    agent_id: agentKey,
  };
  return (
    type === 'interaction.answered' ? { ...base, type, wait_ms: 8_000 } : { ...base, type, talk_ms: at - answeredAt, hold_ms: 0, disposition: 'resolved' }
  ) as TelemetryEvent;
}

function segment(interactionId: string, agentKey: string, answeredAt: number, index: number, speaker: 'agent' | 'customer', text: string): TelemetryEvent {
  const at = iso(answeredAt + index * 5000 + 4000);
  return {
    event_id: randomUUID(),
    type: 'transcript.segment',
    schema_version: 1,
    occurred_at: at,
    sent_at: at,
    source: 'voice',
    interaction_id: interactionId,
    segment_index: index,
    speaker,
    ...(speaker === 'agent' ? { agent_id: agentKey } : {}),
    start_ms: index * 5000,
    end_ms: index * 5000 + 4000,
    text,
  } as TelemetryEvent;
}

/** Every agent's calls, agent by agent round after round, at NUDGES_PER_S; resolves once every marker is acknowledged. */
async function send(base: string, apiKey: string, deliveries: Deliveries): Promise<{ seconds: number }> {
  const total = PANELS * INTERACTIONS_PER_AGENT;
  const previous: ({ interactionId: string; answeredAt: number } | undefined)[] = new Array(PANELS);
  const started = performance.now();
  let next = 0;
  const sender = async () => {
    for (let k = next++; k < total; k = next++) {
      const wait = started + (k * 1000) / NUDGES_PER_S - performance.now();
      if (wait > 0) await sleep(wait);
      const agent = k % PANELS;
      const agentKey = agentKeys[agent]!;
      const interactionId = `bench-${randomUUID()}`;
      // Answered ten seconds ago: the customer's words below end then, as a live transcript's would.
      const answeredAt = Date.now() - 10_000;
      const prior = previous[agent];
      previous[agent] = { interactionId, answeredAt };
      await ingest(base, apiKey, [
        ...(prior ? [interactionEvent('interaction.ended', prior.interactionId, agentKey, answeredAt - 2_000, prior.answeredAt)] : []),
        interactionEvent('interaction.answered', interactionId, agentKey, answeredAt, answeredAt),
        segment(interactionId, agentKey, answeredAt, 0, 'agent', "Good morning, you're through to Sam, how can I help?"),
      ]);
      const nudge: Nudge = { agent, sent: performance.now() };
      deliveries.nudges.set(interactionId, nudge);
      await ingest(base, apiKey, [segment(interactionId, agentKey, answeredAt, 1, 'customer', FRUSTRATED)]);
      nudge.acked = performance.now();
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return { seconds: (performance.now() - started) / 1000 };
}

/** The host's resident memory now and its peak, in MB, from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function main(): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-desktop-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const panels: Awaited<ReturnType<typeof openPanel>>[] = [];
  try {
    const secret = randomBytes(32).toString('hex');
    const seedStarted = performance.now();
    const { password, apiKey } = await seed(dataDir, secret);
    log(`bench:desktop: seeded ${PANELS} agent members in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    const host = startHost(dataDir, port, secret, { SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.1' });
    try {
      await host.ready();
      const idle = memoryOf(host.pid!);
      const base = `http://127.0.0.1:${port}`;
      const deliveries: Deliveries = { nudges: new Map(), misrouted: 0, duplicates: 0 };
      const openStarted = performance.now();
      await pool(PANELS, SIGN_IN_CONCURRENCY, async (i) => {
        panels.push(await openPanel(base, i, await signIn(base, i, password), deliveries));
      });
      await Promise.all(panels.map((p) => p.ready));
      const openSeconds = (performance.now() - openStarted) / 1000;
      log(`bench:desktop: ${panels.length} desktops signed in and their panels ready in ${openSeconds.toFixed(1)} s`);

      const run = await send(base, apiKey, deliveries);
      const sent = [...deliveries.nudges.values()];
      const waitUntil = Math.max(...sent.map((n) => n.acked!)) + LOST_AFTER_MS;
      while (sent.some((n) => n.arrived === undefined) && performance.now() < waitUntil) await sleep(100);
      const memory = memoryOf(host.pid!);

      const arrived = sent.filter((n) => n.arrived !== undefined && n.arrived - n.acked! <= LOST_AFTER_MS);
      const lost = sent.length - arrived.length;
      const visible = arrived.map((n) => n.arrived! - n.acked!);
      if (visible.length === 0) throw new Error(`none of the ${sent.length} nudges reached its panel`);
      const ack = sent.map((n) => n.acked! - n.sent);
      const endToEnd = arrived.map((n) => n.arrived! - n.sent);
      const beforeAck = visible.filter((v) => v < 0).length;
      log(
        `bench:desktop: ${sent.length} nudges in ${run.seconds.toFixed(1)} s; ${beforeAck} reached the panel before the sender had its 200 (negative visible latency); ${lost} lost, ${deliveries.misrouted} at another agent's panel, ${deliveries.duplicates} twice`,
      );
      console.log(
        JSON.stringify({
          bench: 'desktop',
          panels: panels.length,
          nudges: sent.length,
          visible_p50_ms: round(quantile(visible, 0.5)),
          visible_p95_ms: round(quantile(visible, 0.95)),
          host_rss_mb: Math.round(memory.rss),
          visible_max_ms: round(Math.max(...visible)),
          ack_p50_ms: round(quantile(ack, 0.5)),
          ack_p95_ms: round(quantile(ack, 0.95)),
          send_to_visible_p95_ms: round(quantile(endToEnd, 0.95)),
          nudges_per_s: round(sent.length / run.seconds),
          senders: SENDERS,
          before_ack: beforeAck,
          lost,
          misrouted: deliveries.misrouted,
          duplicates: deliveries.duplicates,
          host_rss_peak_mb: Math.round(memory.peak),
          host_rss_before_panels_mb: Math.round(idle.rss),
          panels_open_s: round(openSeconds),
        }),
      );
      return lost > 0 || deliveries.misrouted > 0 ? 1 : 0;
    } finally {
      await Promise.all(panels.map((p) => p.close()));
      await host.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench:desktop failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
