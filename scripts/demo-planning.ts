/**
 * npm start, first run: the demo's first forecast and staffing plan, run the way a planner
 * runs one from /planning (signed in as the demo planner, through the API), with progress
 * printed until it is published. Later starts leave it to the daily schedule.
 *
 *   node --import tsx scripts/demo-planning.ts --url http://127.0.0.1:3000 [--data-dir .data]
 *
 * Exit status: 0 published, 1 failed or timed out (the message says why), 2 bad arguments.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { localDateOf } from '@switchboard/calendar';

const TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 2_000;

const DemoUsers = z.array(z.object({ role: z.string(), email: z.string(), password: z.string() }));
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

  const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: planner.email, password: planner.password }),
  });
  if (!signIn.ok) fail(`signing in as ${planner.email} answered ${signIn.status}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

  const call = async <T>(procedure: string, schema: z.ZodType<T>, input?: unknown): Promise<T> => {
    const res = await fetch(`${url}/api/trpc/${procedure}`, {
      method: input === undefined ? 'GET' : 'POST',
      headers: { cookie, origin: url, ...(input === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(input === undefined ? {} : { body: JSON.stringify(input) }),
    });
    const body = (await res.json()) as { result?: { data?: unknown }; error?: { message?: string } };
    if (!res.ok) fail(`${procedure}: ${body.error?.message ?? `HTTP ${res.status}`}`);
    return schema.parse(body.result?.data);
  };

  const { timezone, engine } = await call('planning.overview', z.object({ timezone: z.string(), engine: z.object({ configured: z.boolean() }) }));
  if (!engine.configured) fail('no workflow engine is configured (TEMPORAL_ADDRESS): forecasts cannot run');
  // Today's forecast: the planner sees it beside the contacts arriving now.
  const startDate = localDateOf(new Date(), timezone);
  const { workflowId } = await call('planning.runForecast', z.object({ workflowId: z.string() }), { startDate });
  console.log(`demo planning: forecasting from ${startDate} (${timezone}), then staffing; follow it on /planning`);

  let last = '';
  for (const deadline = Date.now() + TIMEOUT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, POLL_MS))) {
    const run = (await call('planning.runs', z.array(Run))).find((r) => r.workflowId === workflowId);
    if (!run) continue;
    if (run.status === 'COMPLETED') {
      console.log('demo planning: forecast and staffing plan published');
      return;
    }
    if (run.status !== 'RUNNING') fail(`the forecast run ended ${run.status}; see the run on /planning or in the Temporal UI`);
    const line = run.progress ? `${run.progress.phase}${run.progress.total > 0 ? ` ${run.progress.done}/${run.progress.total} queues` : ''}` : 'starting';
    if (line !== last) console.log(`demo planning: ${line}`);
    last = line;
  }
  fail(`the forecast did not finish within ${TIMEOUT_MS / 60_000} minutes; it goes on in the background (see /planning)`);
}

main().catch((error: unknown) => fail((error as Error).message));
