import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, ensureMember, SIGN_IN_LIMIT } from '@switchboard/api';
import { localDateOf, localWeekStart } from '@switchboard/calendar';
import type { TelemetryEvent } from '@switchboard/contracts';
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
import { demoCenter } from '@switchboard/simulator';
import { followLink, launchChromium, pageQuery, screenshot, SignInPacer, signInThroughForm, type Browser } from './support/browser.ts';
import { postAll } from './support/events.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

/**
 * The adherence screens as people use them: a tenant with today's schedule published (seeded
 * into the data directory before the host starts, which writes its snapshot), the real host
 * process with the built pages, state events through the ingest API, and Chromium. A
 * supervisor watches their team out of adherence, sees a state change arrive, reads the Gantt,
 * drills into an agent's minutes, approves an exception and runs a report; the agent reads
 * their own widget on /me and asks for an exception.
 */

const UI_TIMEOUT_MS = 30_000;
const tz = demoCenter.timezone;
const team = demoCenter.teams[0]!;
const teamAgents = demoCenter.agents.filter((a) => a.team_id === team.id);
type Agent = (typeof teamAgents)[number];
const [a1, a2, a3, a4, a5] = teamAgents as [Agent, Agent, Agent, Agent, Agent, ...Agent[]];
const MIN = 60_000;
/** Now, on a five-minute line: the schedule is laid around it. */
const base = Math.floor(Date.now() / (5 * MIN)) * 5 * MIN;
const at = (minutes: number) => new Date(base + minutes * MIN);

const dataDir = tempDataDir('adherence-browser');
const secret = randomBytes(32).toString('hex');
const users = {
  supervisor: { email: 'supervisor@adherence.test', password: randomBytes(12).toString('hex') },
  agent: { email: 'agent@adherence.test', password: randomBytes(12).toString('hex') },
};
let host: SpawnedHost | undefined;
let browser: Browser | undefined;
let url = '';
let apiKey = '';
const pacer = new SignInPacer(SIGN_IN_LIMIT);
const pageErrors: string[] = [];

const page = (): Page => browser!.page;
const ui = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout });

function stateEvent(agentKey: string, minutes: number, state: string, reasonCode?: string): TelemetryEvent {
  const time = at(minutes).toISOString();
  return {
    event_id: randomUUID(),
    type: 'agent.state_changed',
    schema_version: 1,
    occurred_at: time,
    sent_at: time,
    source: 'desktop',
    agent_id: agentKey,
    state,
    ...(reasonCode ? { reason_code: reasonCode } : {}),
  } as TelemetryEvent;
}

/** The tenant, its members and today's published schedule, written before the host owns the directory. */
async function seed(): Promise<void> {
  const handle = await createDb({ dataDir });
  try {
    await migrateDb(handle);
    const db = handle.db;
    const tenantId = await seedTenant(db, { slug: 'adherence', name: 'Adherence Center', config: demoCenter });
    apiKey = (await createApiKey(db, tenantId, 'browser test')).key;
    const auth = createAuth({ db, secret, baseURL: 'http://127.0.0.1', trustedOrigins: [], clientIpHeader: 'x-unused' });
    await ensureMember(auth, db, { ...users.supervisor, name: 'Sam Supervisor', role: 'supervisor', tenantId, teamKeys: [team.id] });
    await ensureMember(auth, db, { ...users.agent, name: 'Alex Agent', role: 'agent', tenantId, agentKey: a1.id });
    await seedSchedulingDefaults(db, tenantId);
    const directory = (await getDirectory(db, tenantId))!;
    const activity = (agentKey: string, kind: ActivityInput['kind'], from: number, to: number): ActivityInput => ({
      agentId: directory.agents.find((a) => a.key === agentKey)!.id,
      kind,
      startsAt: at(from),
      endsAt: at(to),
      shiftDate: localDateOf(at(from), tz),
      templateId: null,
    });
    const group = (await listPlanningGroups(db, tenantId)).find((g) => g.key === 'voice')!;
    const draft = await saveDraftSchedule(db, tenantId, {
      groupId: group.id,
      weekStart: localWeekStart(localDateOf(base, tz), 1),
      timezone: tz,
      staffingVersionId: null,
      workflowId: randomUUID(),
      summary: { figures: { lpBound: 0, penalty: 0 }, required: [], scheduled: [], dayStarts: [], notes: [] },
      activities: [
        // The agent member: lunch in ten minutes, on a personal break during work now.
        activity(a1.id, 'work', -60, 10),
        activity(a1.id, 'lunch', 10, 40),
        activity(a1.id, 'work', 40, 240),
        activity(a2.id, 'work', -60, 360),
        activity(a3.id, 'work', -60, -5),
        activity(a3.id, 'break', -5, 10),
        activity(a3.id, 'work', 10, 300),
        activity(a4.id, 'work', -45, 420),
      ],
    });
    await publishSchedule(db, tenantId, null, draft.id, new Date(), new Date());
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npx turbo run build --filter=@switchboard/web` (or `bash scripts/setup.sh`) first');
  }
  await seed();
  host = spawnHost(dataDir, await freePort(), { SWITCHBOARD_WEB: '1', SWITCHBOARD_SEED_DEMO: '0', BETTER_AUTH_SECRET: secret });
  await waitReady(host);
  url = host.url;
  await postAll(url, apiKey, [
    stateEvent(a1.id, -61, 'available'),
    stateEvent(a1.id, -8, 'break', 'personal'),
    stateEvent(a2.id, -61, 'available'),
    stateEvent(a3.id, -61, 'available'),
    stateEvent(a5.id, -30, 'available'),
  ]);
  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (host) await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

interface Realtime {
  agents: { key: string; name: string; status: string }[];
}

describe('the supervisor', () => {
  it('sees their team, the worst first, and a state change arrive', async () => {
    const p = page();
    expect(await signInThroughForm(p, url, users.supervisor, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    await followLink(p, p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Adherence' }), '/adherence', UI_TIMEOUT_MS);
    const table = p.getByTestId('adherence-realtime');
    await table.waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => table.locator('tbody tr').count()).toBe(teamAgents.length);
    const view = await pageQuery<Realtime>(p, 'adherence.realtime', {});
    // Offline since the shift began 45 minutes ago, on a break during work, available through a break.
    expect(view.agents.slice(0, 3).map((a) => [a.key, a.status])).toEqual([
      [a4.id, 'out'],
      [a1.id, 'out'],
      [a3.id, 'out'],
    ]);
    const firstRows = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.slice(0, 3).map((r) => r.querySelector('[data-status]')?.getAttribute('data-status')));
    expect(firstRows).toEqual(['out', 'out', 'out']);
    await ui(() => p.getByTestId('count-out').textContent()).toBe('3');

    // a2 goes to lunch in the middle of their work: out of adherence once the grace passes, on screen without a reload.
    const a2Row = table.locator('tr', { hasText: a2.display_name });
    expect(await a2Row.locator('[data-status]').getAttribute('data-status')).toBe('adherent');
    await postAll(url, apiKey, [stateEvent(a2.id, -3, 'lunch')]);
    await ui(() => a2Row.locator('[data-status]').getAttribute('data-status')).toBe('out');
    await ui(() => p.getByTestId('count-out').textContent()).toBe('4');
    await p.mouse.move(0, 0);
    await screenshot(p, 'adherence-realtime');
  });

  it('files an exception for an agent offline since their shift began, approves it, and the agent is excused', async () => {
    const p = page();
    await p.getByRole('tab', { name: 'Exceptions' }).click();
    const form = p.getByTestId('file-exception');
    await form.waitFor({ timeout: UI_TIMEOUT_MS });
    await form.getByLabel('Agent', { exact: true }).selectOption(a4.id);
    const clock = (minutes: number) => at(minutes).toLocaleTimeString('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false });
    // A form files one local day's stretch: today's part of the shift so far, so that it covers now even when the shift began before midnight.
    const today = localDateOf(at(0), tz);
    await form.getByLabel('Day', { exact: true }).fill(today);
    await form.getByLabel('From', { exact: true }).fill(localDateOf(at(-45), tz) === today ? clock(-45) : '00:00');
    const until = localDateOf(at(30), tz) === today ? clock(30) : '23:59';
    await form.getByLabel('To', { exact: true }).fill(until);
    await form.getByLabel('Reason', { exact: true }).selectOption('system_outage');
    await form.getByRole('button', { name: 'File exception' }).click();
    const list = p.getByTestId('exceptions');
    await list.waitFor({ timeout: UI_TIMEOUT_MS });
    await list.getByRole('button', { name: new RegExp(`^Approve the exception of ${a4.display_name}`) }).click();
    await ui(() =>
      list
        .locator('tbody tr')
        .count()
        .catch(() => 0),
    ).toBe(0);
    await ui(async () => (await pageQuery<Realtime>(p, 'adherence.realtime', {})).agents.find((a) => a.key === a4.id)!.status).toBe('exception');
  });

  it('reads the Gantt (scheduled above actual, the exception shaded) and drills into an agent’s minutes', async () => {
    const p = page();
    await p.getByRole('tab', { name: 'Gantt' }).click();
    const gantt = p.getByTestId('adherence-gantt');
    await gantt.waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => gantt.getByTestId('gantt-agent').count()).toBe(teamAgents.length);
    expect(await gantt.getByTestId('now-line').count()).toBe(teamAgents.length);
    const a1Row = gantt.locator(`[data-agent="${a1.id}"]`);
    expect(await a1Row.locator('svg[role="img"]').getAttribute('aria-label')).toContain('Lunch');
    expect(await gantt.locator(`[data-agent="${a4.id}"] title`).allTextContents()).toContain('System outage (approved)');
    await p.mouse.move(0, 0);
    await screenshot(p, 'adherence-gantt');

    await a1Row.getByRole('button', { name: `Minutes of ${a1.display_name}` }).click();
    const minutes = p.getByTestId('adherence-minutes');
    await minutes.waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => minutes.getByTestId('minute-events').locator('li').count()).toBe(2);
    await ui(async () => (await minutes.getByTestId('minute-runs').textContent()) ?? '').toContain('Out');
    await minutes.getByRole('button', { name: 'Close' }).click();
  });

  it('runs a report by agent (those scheduled) and drills from an agent to their day', async () => {
    const p = page();
    await p.getByRole('tab', { name: 'Reports' }).click();
    const report = p.getByTestId('adherence-report-table');
    await report.waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => report.locator('tbody tr').count()).toBe(4);
    expect(await p.getByTestId('report-total-adherence').textContent()).toMatch(/%$/);
    await report.getByRole('button', { name: a1.display_name }).click();
    const days = p.getByTestId('adherence-report-table');
    await ui(() => days.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    await days.locator('tbody tr').first().getByRole('button').click();
    await p.getByTestId('adherence-minutes').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(pageErrors).toEqual([]);
  });
});

describe('the agent', () => {
  it('reads their own adherence on /me: lunch coming up, out of adherence now, and asks for an exception', async () => {
    const p = page();
    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.agent, pacer)).toBe(200);
    await p.goto(`${url}/me`);
    const widget = p.getByTestId('my-adherence');
    await widget.waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => widget.getByTestId('my-adherence-status').textContent()).toBe('Out of adherence');
    await ui(async () => (await widget.getByTestId('my-adherence-next').textContent()) ?? '').toMatch(/^You are scheduled for lunch at \d\d:\d\d, in \d+ min$/);
    await p.mouse.move(0, 0);
    await screenshot(p, 'me-adherence');

    await widget.getByRole('button', { name: 'Ask for an exception' }).click();
    const form = widget.getByTestId('file-exception');
    await form
      .getByLabel('From', { exact: true })
      .fill(at(-8).toLocaleTimeString('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false }));
    await form.getByLabel('To', { exact: true }).fill(at(-1).toLocaleTimeString('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false }));
    await form.getByLabel('Day', { exact: true }).fill(localDateOf(at(-8), tz));
    await form.getByLabel('Reason', { exact: true }).selectOption('coaching_overran');
    await form.getByRole('button', { name: 'File exception' }).click();
    await ui(() =>
      widget
        .getByTestId('exceptions')
        .locator('tbody tr')
        .count()
        .catch(() => 0),
    ).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
