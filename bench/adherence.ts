/**
 * npm run bench:adherence — the real-time adherence view at AGENTS scheduled agents: state
 * changes through the ingest API, acknowledged → visible in the view, and the view's latency.
 *
 * 1. On a fresh data directory, in this process: a tenant of AGENTS agents in teams of
 *    TEAM_SIZE, an admin and SUPERVISORS supervisors (one team each), an ingest key, and
 *    today's schedule published: most agents in a shift that began HISTORY_H hours ago (work,
 *    two breaks and a lunch at staggered times), BURST agents in a shift starting a minute
 *    into the run. The stores are closed, then the host process (API only) starts on the
 *    directory and writes the schedule's ClickHouse snapshot.
 * 2. The morning so far through the ingest API: every agent on shift changing state every one
 *    to three minutes since their shift began (what the view's day judgement reads).
 * 3. For DURATION_S: each agent on shift changes state every one to three minutes (the state
 *    its scheduled activity calls for, one change in ten not), sent as a desktop gateway
 *    would, one request per TICK_MS; the BURST agents log in within a minute around their
 *    shift's start. Each supervisor polls adherence.realtime for their team every 2 s, the
 *    admin the whole tenant. One change at a time is a marker: after its request's 2xx, its
 *    team's view is polled every 50 ms until the agent's row shows it (state and since).
 * Prints one JSON object as its last line.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quantile } from 'simple-statistics';
import { CookieJar, startHost } from './support/host.ts';
import { createAuth, ensureMember } from '@switchboard/api';
import { localDateOf, localWeekStart } from '@switchboard/calendar';
import type { CenterConfig } from '@switchboard/contracts';
import {
  createApiKey,
  createDb,
  getDirectory,
  listPlanningGroups,
  migrateDb,
  publishSchedule,
  saveDraftSchedule,
  seedSchedulingDefaults,
  seedTenant,
  type ActivityInput,
} from '@switchboard/db';
import { createSeededRandom } from '@switchboard/planning';
import { demoCenter } from '@switchboard/simulator';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 2_000);
const TEAM_SIZE = 50;
const BURST = Number(process.env.BENCH_BURST ?? 500);
const SUPERVISORS = Number(process.env.BENCH_SUPERVISORS ?? 10);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 180);
const HISTORY_H = Number(process.env.BENCH_HISTORY_H ?? 4);
const TICK_MS = 250;
const POLL_MS = 2_000;
const PROBE_MS = 50;
/** A marker not visible after this long counts as this long (and the run says so). */
const VISIBLE_GIVE_UP_MS = 30_000;
const MIN = 60_000;
const tz = demoCenter.timezone;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const pad = (n: number) => String(n).padStart(4, '0');
const teams = Array.from({ length: Math.ceil(AGENTS / TEAM_SIZE) }, (_, t) => ({ id: `team-${pad(t)}`, name: `Team ${t + 1}` }));
const agentKeys = Array.from({ length: AGENTS }, (_, i) => `agent-${pad(i)}`);
const teamOf = (i: number) => teams[Math.floor(i / TEAM_SIZE)]!.id;

const benchCenter: CenterConfig = {
  ...demoCenter,
  teams,
  agents: agentKeys.map((id, i) => ({
    id,
    display_name: `Agent ${i + 1}`,
    team_id: teamOf(i),
    skills: [{ skill_id: demoCenter.skills[0]!.id, proficiency: 3 }],
    chat_concurrency: 1,
    shift: demoCenter.agents[0]!.shift,
  })),
};

/** A shift of 8.5 hours from `start` with breaks at staggered offsets, so some fall in any stretch of the run. */
function shiftOf(i: number, start: number): { kind: ActivityInput['kind']; start: number; end: number }[] {
  const firstBreak = start + (90 + (i % 60)) * MIN;
  const lunch = start + (210 + (i % 90)) * MIN;
  const secondBreak = start + (360 + (i % 45)) * MIN;
  const end = start + 510 * MIN;
  return [
    { kind: 'work', start, end: firstBreak },
    { kind: 'break', start: firstBreak, end: firstBreak + 15 * MIN },
    { kind: 'work', start: firstBreak + 15 * MIN, end: lunch },
    { kind: 'lunch', start: lunch, end: lunch + 30 * MIN },
    { kind: 'work', start: lunch + 30 * MIN, end: secondBreak },
    { kind: 'break', start: secondBreak, end: secondBreak + 15 * MIN },
    { kind: 'work', start: secondBreak + 15 * MIN, end },
  ];
}

interface Plan {
  /** Per agent: their activities, in ms. */
  shifts: ReturnType<typeof shiftOf>[];
  burstStart: number;
}

function plan(now: number): Plan {
  const minute = Math.floor(now / MIN) * MIN;
  const regular = minute - HISTORY_H * 60 * MIN;
  const burstStart = minute + 2 * MIN;
  return { shifts: agentKeys.map((_, i) => shiftOf(i, i < AGENTS - BURST ? regular - (i % 30) * MIN : burstStart)), burstStart };
}

async function seed(dataDir: string, secret: string, schedule: Plan) {
  const handle = await createDb({ dataDir });
  try {
    await migrateDb(handle);
    const db = handle.db;
    const tenantId = await seedTenant(db, { slug: 'bench', name: 'Bench Contact Center', config: benchCenter });
    const auth = createAuth({ db, secret, baseURL: 'http://127.0.0.1', trustedOrigins: [], clientIpHeader: 'x-unused' });
    const password = randomBytes(12).toString('hex');
    await ensureMember(auth, db, { email: 'admin@bench.switchboard.local', name: 'Admin', password, role: 'admin', tenantId });
    for (let s = 0; s < SUPERVISORS; s++) {
      const email = `supervisor-${s}@bench.switchboard.local`;
      await ensureMember(auth, db, { email, name: `Supervisor ${s}`, password, role: 'supervisor', tenantId, teamKeys: [teams[s % teams.length]!.id] });
    }
    const { key: apiKey } = await createApiKey(db, tenantId, 'bench');
    await seedSchedulingDefaults(db, tenantId);
    const directory = (await getDirectory(db, tenantId))!;
    const ids = new Map(directory.agents.map((a) => [a.key, a.id]));
    const group = (await listPlanningGroups(db, tenantId)).find((g) => g.key === 'voice')!;
    const activities = schedule.shifts.flatMap((shift, i) =>
      shift.map((a) => ({
        agentId: ids.get(agentKeys[i]!)!,
        kind: a.kind,
        startsAt: new Date(a.start),
        endsAt: new Date(a.end),
        shiftDate: localDateOf(shift[0]!.start, tz),
        templateId: null,
      })),
    );
    const draft = await saveDraftSchedule(db, tenantId, {
      groupId: group.id,
      weekStart: localWeekStart(localDateOf(Date.now(), tz), 1),
      timezone: tz,
      staffingVersionId: null,
      workflowId: randomUUID(),
      summary: { figures: { lpBound: 0, penalty: 0 }, required: [], scheduled: [], dayStarts: [], notes: [] },
      activities,
    });
    await publishSchedule(db, tenantId, null, draft.id, new Date(), new Date());
    return { password, apiKey };
  } finally {
    await handle.close();
  }
}

async function signIn(base: string, email: string, password: string): Promise<CookieJar> {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email} answered ${res.status}`);
  const jar = new CookieJar();
  jar.update(res);
  return jar;
}

interface RealtimeRow {
  key: string;
  state: string;
  stateSince: string | null;
}

async function realtime(base: string, jar: CookieJar, teamKey?: string): Promise<RealtimeRow[]> {
  const input = encodeURIComponent(JSON.stringify(teamKey ? { teamKey } : {}));
  const res = await fetch(`${base}/api/trpc/adherence.realtime?input=${input}`, { headers: { cookie: jar.header() } });
  jar.update(res);
  const body = (await res.json()) as { result?: { data: { agents: RealtimeRow[] } }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`adherence.realtime answered ${res.status}: ${JSON.stringify(body.error)}`);
  return body.result.data.agents;
}

async function ingest(base: string, apiKey: string, events: readonly object[]): Promise<void> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/x-ndjson', 'idempotency-key': randomUUID() },
    body: events.map((e) => JSON.stringify(e)).join('\n') + '\n',
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
}

const productive = ['available', 'on_interaction', 'wrap_up'] as const;
const wrong = ['break', 'meeting', 'training'] as const;

/** The state an agent changes to at `at`: what the activity calls for, one change in ten not. */
function nextState(shift: ReturnType<typeof shiftOf>, at: number, n: number, random: () => number): string {
  const activity = shift.find((a) => a.start <= at && at < a.end);
  if (!activity) return 'offline';
  if (random() < 0.1) return wrong[n % wrong.length]!;
  if (activity.kind === 'work') return productive[n % productive.length]!;
  return activity.kind;
}

function stateChange(agentKey: string, at: number, state: string) {
  const time = new Date(at).toISOString();
  return state === 'offline'
    ? { event_id: randomUUID(), type: 'agent.logged_out', schema_version: 1, occurred_at: time, sent_at: time, source: 'desktop', agent_id: agentKey }
    : {
        event_id: randomUUID(),
        type: 'agent.state_changed',
        schema_version: 1,
        occurred_at: time,
        sent_at: time,
        source: 'desktop',
        agent_id: agentKey,
        state,
      };
}

const gapMs = (random: () => number) => (60 + random() * 120) * 1000;

/** Every agent on shift, changing state every one to three minutes from their shift's start until `until`. */
async function sendHistory(base: string, apiKey: string, schedule: Plan, until: number, random: () => number): Promise<{ next: number[]; sent: number }> {
  const next: number[] = [];
  let batch: object[] = [];
  let sent = 0;
  for (const [i, shift] of schedule.shifts.entries()) {
    let at = shift[0]!.start - random() * MIN;
    for (let n = 0; at < until; n++, at += gapMs(random)) {
      batch.push(stateChange(agentKeys[i]!, at, nextState(shift, Math.max(at, shift[0]!.start), n, random)));
      if (batch.length === 10_000) {
        await ingest(base, apiKey, batch);
        sent += batch.length;
        batch = [];
      }
    }
    next.push(at);
  }
  if (batch.length > 0) await ingest(base, apiKey, batch);
  return { next, sent: sent + batch.length };
}

async function drive(base: string, apiKey: string, admin: CookieJar, supervisors: CookieJar[], schedule: Plan, nextAt: number[], random: () => number) {
  const started = Date.now();
  const deadline = started + DURATION_S * 1000;
  const queries: number[] = [];
  const tenantQueries: number[] = [];
  const visible: number[] = [];
  let stateEvents = 0;
  let gaveUp = 0;
  // Burst agents log in within a minute around their shift's start.
  for (let i = AGENTS - BURST; i < AGENTS; i++) nextAt[i] = schedule.burstStart - 30_000 + random() * 60_000;
  const changes = new Array<number>(AGENTS).fill(0);
  let probe: Promise<void> | null = null;

  const measure = async (agentKey: string, teamKey: string, state: string, at: string, acked: number) => {
    for (;;) {
      const row = (await realtime(base, admin, teamKey)).find((a) => a.key === agentKey);
      const now = performance.now();
      if (row && row.state === state && row.stateSince === at) return void visible.push(now - acked);
      if (now - acked > VISIBLE_GIVE_UP_MS) {
        gaveUp++;
        return void visible.push(now - acked);
      }
      await new Promise((r) => setTimeout(r, PROBE_MS));
    }
  };

  const stream = async () => {
    while (Date.now() < deadline) {
      const tick = Date.now();
      const events: object[] = [];
      let marker: { agentKey: string; teamKey: string; state: string; at: string } | null = null;
      for (let i = 0; i < AGENTS; i++) {
        if (nextAt[i]! > tick) continue;
        const at = nextAt[i]!;
        const burst = i >= AGENTS - BURST && changes[i] === 0;
        const state = burst ? 'available' : nextState(schedule.shifts[i]!, at, changes[i]!, random);
        const time = new Date(at).toISOString();
        if (burst)
          events.push({
            event_id: randomUUID(),
            type: 'agent.logged_in',
            schema_version: 1,
            occurred_at: time,
            sent_at: time,
            source: 'desktop',
            agent_id: agentKeys[i],
          });
        events.push(stateChange(agentKeys[i]!, at, state));
        if (!marker && !probe && state !== 'offline') marker = { agentKey: agentKeys[i]!, teamKey: teamOf(i), state, at: time };
        changes[i]!++;
        nextAt[i] = at + gapMs(random);
      }
      if (events.length > 0) {
        await ingest(base, apiKey, events);
        stateEvents += events.length;
        if (marker) {
          const m = marker;
          probe = measure(m.agentKey, m.teamKey, m.state, m.at, performance.now()).finally(() => (probe = null));
        }
      }
      const wait = TICK_MS - (Date.now() - tick);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await probe;
  };

  const poll = async (jar: CookieJar, offset: number) => {
    await new Promise((r) => setTimeout(r, offset));
    while (Date.now() < deadline) {
      const t = performance.now();
      await realtime(base, jar);
      queries.push(performance.now() - t);
      if (jar === admin) tenantQueries.push(performance.now() - t);
      const wait = POLL_MS - (performance.now() - t);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };

  await Promise.all([stream(), poll(admin, 0), ...supervisors.map((jar, s) => poll(jar, ((s + 1) * POLL_MS) / (supervisors.length + 1)))]);
  return { queries, tenantQueries, visible, gaveUp, stateEventsPerS: stateEvents / ((Date.now() - started) / 1000) };
}

const round = (v: number) => Math.round(v * 10) / 10;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-adherence-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const random = createSeededRandom(20_251_207);
  try {
    const secret = randomBytes(32).toString('hex');
    const schedule = plan(Date.now());
    log(`bench:adherence: seeding ${AGENTS} agents and today's schedule`);
    const { password, apiKey } = await seed(dataDir, secret, schedule);
    const host = startHost(dataDir, port, secret);
    try {
      await host.ready();
      const base = `http://127.0.0.1:${port}`;
      const historyStarted = performance.now();
      const history = await sendHistory(base, apiKey, schedule, Date.now(), random);
      log(`bench:adherence: ${history.sent} state events of the last ${HISTORY_H} h sent in ${((performance.now() - historyStarted) / 1000).toFixed(1)} s`);
      const admin = await signIn(base, 'admin@bench.switchboard.local', password);
      const supervisors = await Promise.all(Array.from({ length: SUPERVISORS }, (_, s) => signIn(base, `supervisor-${s}@bench.switchboard.local`, password)));
      // The first view judges the morning so far; the run measures the steady state after it.
      const first = performance.now();
      await realtime(base, admin);
      log(`bench:adherence: first view in ${(performance.now() - first).toFixed(0)} ms; ${SUPERVISORS + 1} viewers for ${DURATION_S} s`);
      const run = await drive(base, apiKey, admin, supervisors, schedule, history.next, random);
      if (run.gaveUp > 0) log(`bench:adherence: ${run.gaveUp} markers not visible within ${VISIBLE_GIVE_UP_MS} ms (counted as that long)`);
      log(
        `bench:adherence: ${run.visible.length} markers, ${run.queries.length} view queries; the whole tenant's view (${AGENTS} agents) p50 ${round(quantile(run.tenantQueries, 0.5))} ms, p95 ${round(quantile(run.tenantQueries, 0.95))} ms`,
      );
      console.log(
        JSON.stringify({
          bench: 'adherence',
          agents: AGENTS,
          state_events_per_s: round(run.stateEventsPerS),
          visible_p50_ms: round(quantile(run.visible, 0.5)),
          visible_p95_ms: round(quantile(run.visible, 0.95)),
          adherence_query_p95_ms: round(quantile(run.queries, 0.95)),
        }),
      );
    } finally {
      await host.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('bench:adherence failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
