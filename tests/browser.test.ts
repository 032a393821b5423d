import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMIT } from '@switchboard/api';
import type { TelemetryEvent } from '@switchboard/contracts';
import { demoCenter, simulate } from '@switchboard/simulator';
import { launchChromium, screenshot, SignInPacer, type Browser } from './support/browser.ts';
import { parseCsvRecords } from './support/csv.ts';
import { postAll } from './support/events.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';
import { localDayStartOf } from '@switchboard/calendar';

/**
 * The product as people use it: the real host process serving the built Next.js pages,
 * the demo tenant loaded with simulated traffic through the real ingest API, and Debian's
 * Chromium driven by playwright-core. Each persona signs in through the form; the wallboard
 * follows events posted while it is open; a report number drills down to the interactions
 * behind it, their timeline and CSV exports. Screenshots go to test-results/screenshots/.
 */

type Role = 'admin' | 'supervisor' | 'planner' | 'analyst' | 'agent';
interface DemoUser {
  role: Role;
  email: string;
  password: string;
  name: string;
}
type Cookies = Awaited<ReturnType<BrowserContext['cookies']>>;

const timezone = demoCenter.timezone;
const SIMULATED_HOURS = 4;
const BATCH = 5_000;
/** Drill panels list at most this many rows (DRILL_LIMIT); a larger number cannot be counted on screen. */
const DRILL_LIMIT = 5_000;
/** The wallboard polls every 2 s; this leaves room for a slow poll or two on a busy machine. */
const LIVE_TIMEOUT_MS = 20_000;
/** For pages to load and render their first data. */
const UI_TIMEOUT_MS = 30_000;

const agentConfig = demoCenter.agents[0]!;
/** The queue whose tile the wallboard test moves, and an agent with its skill to answer. */
const liveQueue = demoCenter.queues.find((q) => q.id === 'fraud-voice')!;
const liveAgent = demoCenter.agents.find((a) => a.skills.some((s) => s.skill_id === liveQueue.skill_id))!;

const dataDir = tempDataDir('browser');
let host: SpawnedHost | undefined;
let browser: Browser | undefined;
let url = '';
let apiKey = '';
let users: Record<Role, DemoUser>;
/** interaction.ended events of the demo agent today, simulated and injected: their "Handled today". */
let agentHandledToday = 0;
/** Sessions made by the persona tests, reused later so the run signs in as few times as the limit allows. */
const sessions = new Map<Role, Cookies>();
const pacer = new SignInPacer(SIGN_IN_LIMIT);
const pageErrors: string[] = [];

const page = (): Page => browser!.page;
/** Polls a reading of the page until it matches (vitest's expect has no locator matchers). */
const ui = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS });
const text = async (locator: Locator): Promise<string> => ((await locator.textContent({ timeout: 1_000 })) ?? '').trim();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A figure as formatted on screen ("1,234") as a number. */
const num = (shown: string | null): number => {
  const n = Number((shown ?? '').replace(/[,\s]/g, ''));
  if (!Number.isFinite(n) || (shown ?? '').trim() === '') throw new Error(`not a number: ${JSON.stringify(shown)}`);
  return n;
};

function envelope(at: number) {
  return {
    event_id: randomUUID(),
    schema_version: 1 as const,
    occurred_at: new Date(at).toISOString(),
    sent_at: new Date().toISOString(),
    source: 'routing' as const,
  };
}

async function ingest(events: readonly TelemetryEvent[]): Promise<void> {
  await postAll(url, apiKey, events);
}

beforeAll(async () => {
  // The test command builds the app (scripts/setup.sh); this file only uses the build.
  if (!existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npx turbo run build --filter=@switchboard/web` (or `bash scripts/setup.sh`) first');
  }
  host = spawnHost(dataDir, await freePort(), { SWITCHBOARD_WEB: '1', SWITCHBOARD_SEED_DEMO: '1' });
  await waitReady(host);
  url = host.url;
  apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
  const list = JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')) as DemoUser[];
  // The first of each role (the demo has two agents: `agent` and `agent2`).
  users = Object.fromEntries(list.toReversed().map((u) => [u.role, u])) as Record<Role, DemoUser>;
  expect(Object.keys(users).sort()).toEqual(['admin', 'agent', 'analyst', 'planner', 'supervisor']);

  // A few hours of demo traffic ending a minute ago: the wallboard's "today" and the reports have data.
  const now = Date.now();
  const dayStart = localDayStartOf(new Date(now), timezone).getTime();
  const end = now - 60_000;
  let batch: TelemetryEvent[] = [];
  for (const event of simulate({ config: demoCenter, seed: 20_240_611, start: end - SIMULATED_HOURS * 3_600_000, end })) {
    if (event.type === 'interaction.ended' && event.agent_id === agentConfig.id && Date.parse(event.occurred_at) >= dayStart) agentHandledToday++;
    batch.push(event);
    if (batch.length === BATCH) {
      await ingest(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await ingest(batch);

  // One contact the demo agent handled today, so "Handled today" is never 0, even just after local midnight.
  // An hour back rather than now: the drill-down's newest row, whose timeline is opened, stays a simulated one.
  const start = Math.max(end - 3_600_000, dayStart + 1_000);
  const contact = { interaction_id: randomUUID(), queue_id: 'general-voice', channel: 'voice' as const };
  await ingest([
    { ...envelope(start), ...contact, type: 'interaction.offered' },
    { ...envelope(start), ...contact, type: 'interaction.queued' },
    { ...envelope(start + 3_000), ...contact, type: 'interaction.answered', agent_id: agentConfig.id, wait_ms: 3_000 },
    { ...envelope(start + 8_000), ...contact, type: 'interaction.ended', agent_id: agentConfig.id, talk_ms: 5_000, hold_ms: 0, disposition: 'resolved' },
    { ...envelope(start + 10_000), ...contact, type: 'interaction.wrapup_ended', agent_id: agentConfig.id, wrapup_ms: 2_000 },
  ]);
  agentHandledToday++;

  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  if (host) await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Fill and send the sign-in form; resolves with the status of the sign-in request. */
async function signIn(p: Page, email: string, password: string): Promise<number> {
  await pacer.beforeAttempt();
  // networkidle: the form is a client component; submitted before hydration, it would not sign in.
  await p.goto(`${url}/sign-in`, { waitUntil: 'networkidle' });
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  const [res] = await Promise.all([
    p.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/sign-in/email'),
    p.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
  pacer.attempted();
  return res.status();
}

/** Switch the browser to a persona: their saved session, or a fresh sign-in when there is none. */
async function actAs(role: Role): Promise<void> {
  const context = browser!.context;
  await context.clearCookies();
  const saved = sessions.get(role);
  if (saved) await context.addCookies(saved);
  else expect(await signIn(page(), users[role].email, users[role].password)).toBe(200);
}

const personas: { role: Role; home: string; nav: string[] }[] = [
  {
    role: 'supervisor',
    home: '/wallboard',
    nav: ['Wallboard', 'Reports', 'Self-service', 'Planning', 'Schedules', 'Intraday', 'Adherence', 'Quality', 'Coaching'],
  },
  {
    role: 'admin',
    home: '/wallboard',
    nav: ['Wallboard', 'Reports', 'Self-service', 'Planning', 'Schedules', 'Intraday', 'Adherence', 'Quality', 'Coaching', 'Ingest status', 'Administration'],
  },
  { role: 'planner', home: '/planning', nav: ['Reports', 'Self-service', 'Planning', 'Schedules', 'Intraday', 'Adherence'] },
  { role: 'analyst', home: '/quality', nav: ['Reports', 'Self-service', 'Quality', 'Coaching'] },
  { role: 'agent', home: '/me', nav: ['My day'] },
];

describe('each persona signs in through the form and lands on their home page', () => {
  for (const persona of personas) {
    it(`${persona.role} → ${persona.home}`, async () => {
      const p = page();
      const user = users[persona.role];
      await browser!.context.clearCookies();
      expect(await signIn(p, user.email, user.password)).toBe(200);
      await p.waitForURL((u) => u.pathname === persona.home, { timeout: 30_000 });

      // The header: "<name> · <role> · <teams>".
      await ui(() => text(p.getByTestId('who'))).toMatch(new RegExp(`^${escapeRegExp(user.name)} · ${persona.role}\\b`));
      await ui(() => p.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(persona.nav);

      if (persona.home === '/wallboard') {
        await ui(() => p.getByTestId('queue-tiles').locator('article').count()).toBe(demoCenter.queues.length);
      } else if (persona.role === 'agent') {
        await ui(() => text(p.getByRole('heading', { level: 1 }))).toBe(agentConfig.display_name);
        await ui(() => text(p.getByTestId('my-handled'))).toBe(String(agentHandledToday));
        expect(await p.getByRole('link', { name: 'Wallboard' }).count()).toBe(0);
        expect(await p.getByRole('link', { name: 'Reports' }).count()).toBe(0);
      } else {
        await ui(() => text(p.getByRole('heading', { level: 1 }))).toBe(persona.home === '/planning' ? 'Planning' : 'Quality');
      }
      await screenshot(p, `landing-${persona.role}`);
      sessions.set(persona.role, await browser!.context.cookies());
    });
  }

  it('an agent opening /wallboard directly is told it is not part of their role, and the API refuses too', async () => {
    await actAs('agent');
    const p = page();
    await p.goto(`${url}/wallboard`);
    await p.getByTestId('not-for-role').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await p.getByTestId('not-for-role').getByRole('link').getAttribute('href')).toBe('/me');
    expect(await p.locator('[data-testid^="queue-"]').count()).toBe(0);
    // The page is only the friendly part: the session itself cannot read the wallboard.
    expect(await p.evaluate(async () => (await fetch('/api/trpc/wallboard.snapshot')).status)).toBe(403);
    await screenshot(p, 'agent-wallboard-refused');
  });
});

describe('the wallboard follows events as they arrive', () => {
  it('a queue tile shows contacts waiting, then answered, within a few polls', async () => {
    await actAs('supervisor');
    const p = page();
    await p.goto(`${url}/wallboard`);
    const tile = p.getByTestId(`queue-${liveQueue.id}`);
    await ui(() => text(tile.getByTestId('offered-answered'))).toMatch(/^[\d,]+ \/ [\d,]+$/);
    const read = async () => {
      const [offered = NaN, answered = NaN] = (await tile.getByTestId('offered-answered').textContent())!.split('/').map(num);
      return {
        waiting: num(await tile.getByTestId('waiting').textContent()),
        offered,
        answered,
        totalOffered: num(await p.getByTestId('total-offered').textContent()),
      };
    };
    const before = await read();

    // Three contacts offered and queued a moment ago, nobody answers yet.
    const queuedAt = Math.max(Date.now() - 2_000, localDayStartOf(new Date(), timezone).getTime());
    const contacts = [1, 2, 3].map(() => ({ interaction_id: randomUUID(), queue_id: liveQueue.id, channel: liveQueue.channel }));
    await ingest(
      contacts.flatMap((c) => [
        { ...envelope(queuedAt), ...c, type: 'interaction.offered' as const },
        { ...envelope(queuedAt), ...c, type: 'interaction.queued' as const },
      ]),
    );
    await expect
      .poll(read, { timeout: LIVE_TIMEOUT_MS })
      .toEqual({ waiting: before.waiting + 3, offered: before.offered + 3, answered: before.answered, totalOffered: before.totalOffered + 3 });

    // Now an agent answers all three: nobody waits any more, answered catches up.
    const answeredAt = Math.max(Date.now(), queuedAt + 1_000);
    await ingest(
      contacts.map((c) => ({ ...envelope(answeredAt), ...c, type: 'interaction.answered' as const, agent_id: liveAgent.id, wait_ms: answeredAt - queuedAt })),
    );
    await expect
      .poll(read, { timeout: LIVE_TIMEOUT_MS })
      .toEqual({ waiting: before.waiting, offered: before.offered + 3, answered: before.answered + 3, totalOffered: before.totalOffered + 3 });
    await screenshot(p, 'wallboard-after-events');
  });
});

/**
 * /reports with its defaults (last 7 days by day, by queue): clicks the Offered number of
 * the busiest queue the drill panel can list in full, and checks the panel counts as many.
 */
async function openOfferedDrill(p: Page): Promise<{ label: string; offered: number; reportRows: number }> {
  await p.goto(`${url}/reports`);
  const table = p.getByTestId('report-rows');
  await table.locator('tbody tr').first().waitFor({ timeout: UI_TIMEOUT_MS });
  const headers = (await table.locator('thead th').allTextContents()).map((h) => h.replace(/[▲▼]/g, '').trim());
  const column = headers.indexOf('Offered');
  expect(column, `columns: ${headers.join(', ')}`).toBeGreaterThan(0);
  const rows = table.locator('tbody tr');
  const reportRows = await rows.count();
  let pick: { index: number; label: string; offered: number } | undefined;
  for (let index = 0; index < reportRows; index++) {
    const cells = rows.nth(index).locator('td');
    const button = cells.nth(column).getByRole('button');
    if ((await button.count()) === 0) continue;
    const offered = num(await button.textContent());
    if (offered > 0 && offered <= DRILL_LIMIT && offered > (pick?.offered ?? 0)) pick = { index, label: (await cells.nth(0).textContent())!.trim(), offered };
  }
  expect(pick, 'a queue with offered contacts in the report').toBeDefined();
  await rows.nth(pick!.index).locator('td').nth(column).getByRole('button').click();
  const drill = p.getByTestId('drill');
  await ui(() => text(drill.getByRole('heading'))).toBe(`Offered: ${pick!.label}`);
  await ui(() => text(drill.getByTestId('drill-total'))).toBe(`${pick!.offered} ${pick!.offered === 1 ? 'event' : 'events'}`);
  return { label: pick!.label, offered: pick!.offered, reportRows };
}

describe('reports drill down to interactions and export what they show', () => {
  it('an Offered number opens the contacts behind it, and one opens its timeline', async () => {
    await actAs('admin');
    const p = page();
    const { label, offered } = await openOfferedDrill(p);
    const drillRows = p.getByTestId('drill').getByTestId('drill-rows').locator('tbody tr');
    await ui(() => drillRows.count()).toBe(offered);
    // Every row is an offer to the clicked queue (columns: time, event, interaction, queue, …).
    expect(new Set(await drillRows.locator('td:nth-child(2)').allTextContents())).toEqual(new Set(['offered']));
    expect(new Set(await drillRows.locator('td:nth-child(4)').allTextContents())).toEqual(new Set([label]));
    // From the top (scrolled to the panel, the sticky header is drawn mid-page in a full-page shot),
    // and with the pointer off the chart, whose tooltip would cover it.
    await p.evaluate('window.scrollTo(0, 0)');
    await p.mouse.move(0, 0);
    await screenshot(p, 'report-drill');

    const link = drillRows.first().getByRole('link');
    const href = (await link.getAttribute('href'))!;
    const interactionId = decodeURIComponent(href.split('?')[0]!.replace('/interactions/', ''));
    await link.click();
    await p.waitForURL((u) => u.pathname === `/interactions/${encodeURIComponent(interactionId)}`);
    const timeline = p.getByTestId('timeline');
    await timeline.getByText(`Offered to ${label}`, { exact: true }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await text(p.locator('h1 + code'))).toBe(interactionId);
    await screenshot(p, 'timeline');
  });

  it('CSV and Arrow exports: the drill panel one row per event, the report one row per queue plus the total', async () => {
    await actAs('admin');
    const p = page();
    const { label, offered, reportRows } = await openOfferedDrill(p);

    const [drillDownload] = await Promise.all([p.waitForEvent('download'), p.getByTestId('drill').getByTestId('export-csv').click()]);
    expect(drillDownload.suggestedFilename()).toBe('interactions.csv');
    const drillCsv = parseCsvRecords(readFileSync(await drillDownload.path(), 'utf8'));
    expect(drillCsv.header).toContain('interaction_id');
    expect(drillCsv.records).toHaveLength(offered);
    expect(new Set(drillCsv.records.map((r) => r.event))).toEqual(new Set(['interaction.offered']));
    expect(new Set(drillCsv.records.map((r) => r.queue))).toEqual(new Set([label]));
    expect(drillCsv.records.every((r) => r.interaction_id !== '')).toBe(true);

    // The same rows as Arrow IPC, read back with apache-arrow: numbers stay numbers.
    const [arrowDownload] = await Promise.all([p.waitForEvent('download'), p.getByTestId('drill').getByTestId('export-arrow').click()]);
    expect(arrowDownload.suggestedFilename()).toBe('interactions.arrow');
    const arrow = tableFromIPC(readFileSync(await arrowDownload.path()));
    expect(arrow.numRows).toBe(offered);
    expect(arrow.schema.fields.map((f) => f.name)).toEqual(drillCsv.header);
    expect(new Set(arrow.getChild('event')!.toArray())).toEqual(new Set(['interaction.offered']));
    expect(arrow.getChild('wait_s')!.toArray()).toBeInstanceOf(Float64Array);

    const [reportDownload] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Export report by queue as CSV' }).click()]);
    expect(reportDownload.suggestedFilename()).toBe('report-by-queue.csv');
    const reportCsv = parseCsvRecords(readFileSync(await reportDownload.path(), 'utf8'));
    expect(reportCsv.header.slice(0, 3)).toEqual(['queue', 'label', 'offered']);
    expect(reportCsv.records).toHaveLength(reportRows + 1);
    const total = reportCsv.records.at(-1)!;
    expect(total.label).toBe('Total');
    expect(reportCsv.records.find((r) => r.label === label)?.offered).toBe(String(offered));
    // Queues do not overlap, so the total's offered is the sum of the rows'.
    expect(reportCsv.records.slice(0, -1).reduce((sum, r) => sum + Number(r.offered || 0), 0)).toBe(Number(total.offered));
  });
});

describe('a wrong password', () => {
  // Last in the file: it is the sixth sign-in, and the limit lets only five through per
  // minute from one address, so the pacer may wait here for what remains of that minute.
  it('shows an error and stays on /sign-in without a session', async () => {
    const p = page();
    await browser!.context.clearCookies();
    expect(await signIn(p, users.admin.email, `not-${users.admin.password}`)).toBe(401);
    await ui(() => text(p.getByTestId('sign-in-error'))).toBe('Wrong email or password.');
    expect(new URL(p.url()).pathname).toBe('/sign-in');
    expect((await browser!.context.cookies()).some((c) => c.name.includes('session_token'))).toBe(false);
    await screenshot(p, 'sign-in-wrong-password');
  });
});

it('no page threw an uncaught error', () => {
  expect(pageErrors).toEqual([]);
});
