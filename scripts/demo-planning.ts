/**
 * npm start, first run: the demo's first forecast and staffing plan, then the schedules of this week and the next
 * for every planning group, run the way a planner runs them from /planning (signed in as the demo planner, through
 * the API: generate, then approve the draft), with progress printed until they are published. Later starts leave
 * forecasts to the daily schedule and next weeks to the weekly one.
 *
 *   node --import tsx scripts/demo-planning.ts --url http://127.0.0.1:3000 [--data-dir .data]
 *
 * Exit status: 0 published, 1 failed or timed out (the message says why), 2 bad arguments.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { addLocalDays, localDateOf, localWeekStart } from '@switchboard/calendar';

const TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 2_000;

const DemoUsers = z.array(z.object({ role: z.string(), email: z.string(), password: z.string(), name: z.string() }));
const Run = z.object({
  workflowId: z.string(),
  status: z.string(),
  progress: z.object({ phase: z.string(), done: z.number(), total: z.number() }).nullable(),
});

function fail(message: string, code = 1): never {
  console.error(`demo planning: ${message}`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { url: { type: 'string' }, 'data-dir': { type: 'string', default: '.data' } }, strict: true }));
  } catch (error) {
    fail((error as Error).message, 2);
  }
  const url = values.url?.replace(/\/+$/, '') ?? fail('--url is required, e.g. http://127.0.0.1:3000', 2);
  const users = DemoUsers.parse(JSON.parse(readFileSync(path.join(values['data-dir'], 'demo-users.json'), 'utf8')));
  const planner = users.find((u) => u.role === 'planner') ?? fail('no demo planner in demo-users.json: start the host with SWITCHBOARD_SEED_DEMO=1');

  const call = await signInAs(url, planner);

  const { timezone, engine } = await call('planning.overview', z.object({ timezone: z.string(), engine: z.object({ configured: z.boolean() }) }));
  if (!engine.configured) fail('no workflow engine is configured (TEMPORAL_ADDRESS): forecasts cannot run');
  // From the start of this week: the planner sees today's forecast beside the contacts arriving now, and the
  // staffing requirement covers the whole of this week and the next for their schedules.
  const thisWeek = localWeekStart(localDateOf(new Date(), timezone), 1);
  const startDate = thisWeek;
  const { workflowId } = await call('planning.runForecast', z.object({ workflowId: z.string() }), { startDate });
  console.log(`demo planning: forecasting from ${startDate} (${timezone}), then staffing; follow it on /planning`);

  let last = '';
  for (const deadline = Date.now() + TIMEOUT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, POLL_MS))) {
    const run = (await call('planning.runs', z.array(Run))).find((r) => r.workflowId === workflowId);
    if (!run) continue;
    if (run.status === 'COMPLETED') {
      console.log('demo planning: forecast and staffing plan published');
      await publishSchedules(call, [thisWeek, addLocalDays(thisWeek, 7)]);
      // The intraday loop runs every 15 minutes; one pass now fills /planning/intraday at once.
      await call('intraday.run', z.object({ workflowId: z.string() }), undefined, 'mutation');
      console.log('demo planning: intraday loop started (/planning/intraday)');
      const supervisor = users.find((u) => u.role === 'supervisor');
      const agent = users.find((u) => u.role === 'agent');
      if (supervisor && agent) await startDemoCoaching(await signInAs(url, supervisor), agent);
      return;
    }
    if (run.status !== 'RUNNING') fail(`the forecast run ended ${run.status}; see the run on /planning or in the Temporal UI`);
    const line = run.progress ? `${run.progress.phase}${run.progress.total > 0 ? ` ${run.progress.done}/${run.progress.total} queues` : ''}` : 'starting';
    if (line !== last) console.log(`demo planning: ${line}`);
    last = line;
  }
  fail(`the forecast did not finish within ${TIMEOUT_MS / 60_000} minutes; it goes on in the background (see /planning)`);
}

type Call = <T>(procedure: string, schema: z.ZodType<T>, input?: unknown, kind?: 'query' | 'mutation') => Promise<T>;

/** Signs in as a demo user; calls then go as that user, queries as GET (their input in the URL), mutations as POST. */
async function signInAs(url: string, user: { email: string; password: string }): Promise<Call> {
  const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (!signIn.ok) fail(`signing in as ${user.email} answered ${signIn.status}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async <T>(
    procedure: string,
    schema: z.ZodType<T>,
    input?: unknown,
    kind: 'query' | 'mutation' = input === undefined ? 'query' : 'mutation',
  ): Promise<T> => {
    const query = kind === 'query' && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '';
    const res = await fetch(`${url}/api/trpc/${procedure}${query}`, {
      method: kind === 'query' ? 'GET' : 'POST',
      headers: { cookie, origin: url, ...(kind === 'query' ? {} : { 'content-type': 'application/json' }) },
      ...(kind === 'query' ? {} : { body: JSON.stringify(input) }),
    });
    const body = (await res.json()) as { result?: { data?: unknown }; error?: { message?: string } };
    if (!res.ok) fail(`${procedure}: ${body.error?.message ?? `HTTP ${res.status}`}`);
    return schema.parse(body.result?.data);
  };
}

/**
 * The coaching loop in the demo: the supervisor assigns the demo agent a hold-rate tip with a 15-minute session (the
 * demo tenant's loop runs in minutes: see packages/host/src/planning.ts). The agent acknowledges it in /desktop.
 */
async function startDemoCoaching(call: Call, agent: { name: string; email: string }): Promise<void> {
  const { assignments } = await call(
    'coaching.assignments',
    z.object({ assignments: z.array(z.object({ agentName: z.string(), status: z.string() })) }),
    {},
    'query',
  );
  if (assignments.some((a) => a.agentName === agent.name && a.status !== 'closed' && a.status !== 'cancelled')) return;
  const { agents } = await call('adherence.realtime', z.object({ agents: z.array(z.object({ key: z.string(), name: z.string() })) }), {}, 'query');
  const key = agents.find((a) => a.name === agent.name)?.key;
  if (!key) return console.log(`demo coaching: ${agent.name} is not in the supervisor's teams; nothing assigned`);
  await call('coaching.assign', z.unknown(), {
    agentKey: key,
    target: { type: 'metric', metric: 'hold_rate' },
    tip: 'Ask before you put a customer on hold, say why and for how long, and come back within a minute.',
    sessionMinutes: 15,
    dueDays: 1,
    measureWeeks: 1,
  });
  console.log(`demo coaching: a tip waits for ${agent.name} in /desktop (sign in as ${agent.email}); acknowledge it there`);
}

const Overview = z.object({
  groups: z.array(z.object({ id: z.string(), name: z.string() })),
  schedules: z.array(z.object({ id: z.string(), groupId: z.string(), status: z.string(), figures: z.record(z.string(), z.number()) })),
});

/** Generates each group's week, approves the draft once it waits, and waits until it is published. */
async function publishSchedules(call: Call, weeks: string[]): Promise<void> {
  for (const weekStart of weeks) {
    const { groups } = await call('schedules.overview', Overview, { weekStart }, 'query');
    for (const group of groups) {
      const { workflowId } = await call('schedules.generate', z.object({ workflowId: z.string() }), { groupId: group.id, weekStart });
      let published = false;
      for (const deadline = Date.now() + TIMEOUT_MS; !published && Date.now() < deadline; await new Promise((r) => setTimeout(r, POLL_MS))) {
        const run = (await call('planning.runs', z.array(Run))).find((r) => r.workflowId === workflowId && r.status === 'RUNNING');
        const week = await call('schedules.overview', Overview, { weekStart }, 'query');
        const mine = week.schedules.filter((s) => s.groupId === group.id);
        published = mine.some((s) => s.status === 'published');
        const draft = mine.find((s) => s.status === 'draft');
        if (!published && draft && run?.progress?.phase === 'awaiting_approval') {
          await call('schedules.decide', z.unknown(), { scheduleId: draft.id, approve: true });
          console.log(`demo planning: ${group.name}, week of ${weekStart}: ${draft.figures.shifts ?? 0} shifts, approved`);
        }
      }
      if (!published) fail(`the ${group.name} schedule of ${weekStart} was not published in time; see /planning/schedules`);
    }
  }
  console.log('demo planning: schedules of this week and the next published');
}

main().catch((error: unknown) => fail((error as Error).message));
