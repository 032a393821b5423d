import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, ensureMember, SIGN_IN_LIMIT } from '@switchboard/api';
import { localDateOf, localDay, localWeekStart } from '@switchboard/calendar';
import type { TelemetryEvent } from '@switchboard/contracts';
import {
  createApiKey,
  createDb,
  getDirectory,
  listPlanningGroups,
  migrateDb,
  publishSchedule,
  saveDraftSchedule,
  saveShiftTemplate,
  seedSchedulingDefaults,
  seedTenant,
  type ActivityInput,
} from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { createTelemetryStore, migrateTelemetry, publishForecastVersion, toChDateTimeText, writeForecastSeries } from '@switchboard/telemetry';
import { intradayScheduleId, PLANNING_TASK_QUEUE } from '@switchboard/workflows';
import { launchChromium, pageQuery, screenshot, SignInPacer, signInThroughForm, type Browser } from './support/browser.ts';
import { postAll } from './support/events.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { findTemporalCli } from './support/temporal.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

/**
 * The intraday loop as people use it: the real host process with the built pages and the planning worker on a
 * Temporal dev server, a tenant whose day (published schedule, the morning's forecast, the actuals so far) is
 * seeded into the data directory before the host starts, and Chromium. A planner runs the loop from the page, reads
 * the charts and the interval table, accepts the proposed lunch moves and opens an overtime offer; an agent takes
 * the offer on /me and their schedule has the extra hour; a supervisor reads the same page without deciding.
 *
 * The day is laid around now. So that it never straddles local midnight whatever the hour the suite runs, the
 * tenant's time zone is the whole-hour UTC offset (Etc/GMT±n, no DST) that puts now between 10:00 and 11:00: eight
 * agents work from two hours ago to four hours on, all lunching together an hour and a half from now; the forecast
 * runs an hour past the shifts, which nobody covers. The loop's own 15-minute schedule is created paused before the
 * host starts (the host leaves an existing one alone), so only "Run now" runs it and no scheduled run supersedes the
 * proposals under the test's clicks.
 */

const UI_TIMEOUT_MS = 30_000;
/** One pass of the loop over nine queues on a shared two-core machine, with the page's 3 s poll behind it. */
const RUN_TIMEOUT_MS = 120_000;
const MIN = 60_000;

/** Now, on a quarter-hour line: the day is laid around it. */
const base = Math.floor(Date.now() / (15 * MIN)) * 15 * MIN;
/** Hours to add to UTC for a local time of 10:xx at `base`, within the Etc/GMT zones' −12…+14. */
const offsetHours = ((((10 - new Date(base).getUTCHours()) % 24) + 24 + 12) % 24) - 12;
// Etc/GMT signs are POSIX-style: Etc/GMT-3 is UTC+3.
const tz = offsetHours === 0 ? 'UTC' : `Etc/GMT${offsetHours > 0 ? '-' : '+'}${Math.abs(offsetHours)}`;
const at = (minutes: number) => new Date(base + minutes * MIN);
const DAY = localDateOf(base, tz);
const dayStart = localDay(DAY, tz).from.getTime();
const clockOf = (instant: Date | string) => new Date(instant).toLocaleTimeString('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false });
const clock = (minutes: number) => clockOf(at(minutes));

/** The shifts (minutes from `base`): work from two hours ago, lunch together, work on until SHIFT_END; the forecast runs an hour past it. */
const SHIFT_START = -120;
const LUNCH = 90;
const SHIFT_END = 240;
const FORECAST_END = SHIFT_END + 60;
/** Contacts per quarter hour, forecast and so far actual: eight agents are more than it requires, none fewer than it. */
const VOLUME = 4;

const voiceAgents = demoCenter.agents.filter((a) => a.skills.some((s) => s.skill_id === 'general_banking'));
const shift = voiceAgents.slice(0, 8);
const member = shift[0]!;
const queue = demoCenter.queues.find((q) => q.id === 'general-voice')!;

const dataDir = tempDataDir('intraday-browser');
const secret = randomBytes(32).toString('hex');
const users = {
  planner: { email: 'planner@intraday.test', password: randomBytes(12).toString('hex') },
  supervisor: { email: 'supervisor@intraday.test', password: randomBytes(12).toString('hex') },
  agent: { email: 'agent@intraday.test', password: randomBytes(12).toString('hex') },
};
let env: TestWorkflowEnvironment | undefined;
let host: SpawnedHost | undefined;
let browser: Browser | undefined;
let agentBrowser: Browser | undefined;
let url = '';
let apiKey = '';
let tenantId = '';
const pacer = new SignInPacer(SIGN_IN_LIMIT);
const pageErrors: string[] = [];

const page = (): Page => browser!.page;
const ui = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout });
const text = async (p: Page, testId: string) => ((await p.getByTestId(testId).first().textContent({ timeout: 1_000 })) ?? '').trim();

/** A full-page screenshot from the top, pointer off the charts. */
async function shot(p: Page, name: string): Promise<void> {
  await p.evaluate('window.scrollTo(0, 0)');
  await p.mouse.move(0, 0);
  await screenshot(p, name);
}

function stateEvent(agentKey: string, minutes: number, state: string): TelemetryEvent {
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
  } as TelemetryEvent;
}

/** The tenant, its members and today's published schedule, written before the host owns the directory. */
async function seedPostgres(): Promise<void> {
  const handle = await createDb({ dataDir });
  try {
    await migrateDb(handle);
    const db = handle.db;
    tenantId = await seedTenant(db, { slug: 'intraday', name: 'Intraday Center', config: { ...demoCenter, timezone: tz } });
    apiKey = (await createApiKey(db, tenantId, 'browser test')).key;
    const auth = createAuth({ db, secret, baseURL: 'http://127.0.0.1', trustedOrigins: [], clientIpHeader: 'x-unused' });
    await ensureMember(auth, db, { ...users.planner, name: 'Pat Planner', role: 'planner', tenantId });
    await ensureMember(auth, db, { ...users.supervisor, name: 'Sam Supervisor', role: 'supervisor', tenantId, teamKeys: [member.team_id] });
    await ensureMember(auth, db, { ...users.agent, name: 'Alex Agent', role: 'agent', tenantId, agentKey: member.id });
    await seedSchedulingDefaults(db, tenantId);
    const directory = (await getDirectory(db, tenantId))!;
    const group = (await listPlanningGroups(db, tenantId)).find((g) => g.key === 'voice')!;
    // The shift's lunch may start from `base` to three hours on: the loop may move it either way from the lead time on.
    const startMinute = Math.round((at(SHIFT_START).getTime() - dayStart) / MIN);
    const template = (await saveShiftTemplate(db, tenantId, null, {
      name: 'Intraday browser day',
      lengthMin: SHIFT_END - SHIFT_START,
      startStepMin: 15,
      earliestStartMin: startMinute,
      latestStartMin: startMinute,
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      cost: null,
      breaks: [{ kind: 'lunch', lengthMin: 60, earliestOffsetMin: -SHIFT_START, latestOffsetMin: 180 - SHIFT_START, paid: false }],
      active: true,
    }))!;
    const activity = (agentKey: string, kind: ActivityInput['kind'], from: number, to: number): ActivityInput => ({
      agentId: directory.agents.find((a) => a.key === agentKey)!.id,
      kind,
      startsAt: at(from),
      endsAt: at(to),
      shiftDate: DAY,
      templateId: template.id,
    });
    const draft = await saveDraftSchedule(db, tenantId, {
      groupId: group.id,
      weekStart: localWeekStart(DAY, 1),
      timezone: tz,
      staffingVersionId: null,
      workflowId: randomUUID(),
      summary: { figures: { lpBound: 0, penalty: 0 }, required: [], scheduled: [], dayStarts: [], notes: [] },
      activities: shift.flatMap((a) => [
        activity(a.id, 'work', SHIFT_START, LUNCH),
        activity(a.id, 'lunch', LUNCH, LUNCH + 60),
        activity(a.id, 'work', LUNCH + 60, SHIFT_END),
      ]),
    });
    await publishSchedule(db, tenantId, null, draft.id, at(SHIFT_START - 60), at(SHIFT_START - 60));
  } finally {
    await handle.close();
  }
}

/** The morning's forecast (made before the day began) and the actuals so far, on the queue's 15-minute rollup. */
async function seedClickHouse(): Promise<void> {
  const store = createTelemetryStore({ dataDir });
  try {
    const client = store.client;
    await migrateTelemetry(client, path.join(repoRoot, 'migrations/clickhouse'));
    const versionId = randomUUID();
    const slots: Date[] = [];
    for (let m = SHIFT_START; m < FORECAST_END; m += 15) slots.push(at(m));
    await writeForecastSeries(client, {
      tenantId,
      versionId,
      queueId: queue.id,
      intervals: slots.map((s) => ({
        queue_id: queue.id,
        channel: 'voice',
        interval_start: s.toISOString(),
        volume: VOLUME,
        volume_lo80: VOLUME,
        volume_hi80: VOLUME,
        volume_statistical: VOLUME,
        aht_s: 300,
        overridden: 0 as const,
      })),
      methods: [{ queue_id: queue.id, measure: 'volume', method: 'test', backtest_wape: null, candidates: '[]', blends: '[]' }],
    });
    await publishForecastVersion(client, {
      tenantId,
      versionId,
      createdAt: new Date(dayStart - 3_600_000),
      trainUntil: new Date(dayStart),
      startDate: DAY,
      horizonDays: 1,
      trigger: 'manual',
      workflowId: 'intraday-browser-test',
      series: 1,
    });
    // As forecast up to now (the current quarter hour too: the run counts it only once it has ended).
    await client.insert({
      table: 'queue_interval_15m',
      values: slots
        .filter((s) => s.getTime() <= base)
        .map((s) => ({
          tenant_id: tenantId,
          interval_start: toChDateTimeText(s),
          queue_id: queue.id,
          channel: 'voice',
          offered: VOLUME,
          handled: VOLUME,
          talk_ms_sum: VOLUME * 300_000,
        })),
      format: 'JSONEachRow',
    });
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npx turbo run build --filter=@switchboard/web` (or `bash scripts/setup.sh`) first');
  }
  await seedPostgres();
  await seedClickHouse();
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  // The tenant's 15-minute loop, as the host would create it, but paused: "Run now" is the only run.
  await env.client.schedule.create({
    scheduleId: intradayScheduleId(tenantId),
    spec: { intervals: [{ every: '15m' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'intradayWorkflow',
      taskQueue: PLANNING_TASK_QUEUE,
      args: [{ tenantId }],
      workflowId: `intraday:${tenantId}:scheduled`,
    },
    state: { paused: true, note: 'intraday-browser test: runs only on "Run now"' },
  });
  host = spawnHost(dataDir, await freePort(), {
    SWITCHBOARD_WEB: '1',
    SWITCHBOARD_SEED_DEMO: '0',
    BETTER_AUTH_SECRET: secret,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
  });
  await waitReady(host);
  url = host.url;
  // Everyone on the shift logged in before it began: nobody counts absent.
  await postAll(
    url,
    apiKey,
    shift.map((a) => stateEvent(a.id, SHIFT_START - 5, 'available')),
  );
  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
}, 300_000);

afterAll(async () => {
  await agentBrowser?.close();
  await browser?.close();
  if (host) await stopHost(host);
  await env?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

const overtimeSpan = `${clock(SHIFT_END)}–${clock(FORECAST_END)}`;

describe('the planner', () => {
  it('runs the loop from the page and reads the day: charts and intervals', async () => {
    const p = page();
    expect(await signInThroughForm(p, url, users.planner, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    await p.goto(`${url}/planning/intraday`);
    await ui(() => text(p, 'intraday-last-run').catch(() => '')).toBe('No run yet today');
    await p.getByRole('form', { name: 'Day and planning group' }).getByLabel('Planning group').selectOption({ label: 'Voice' });
    // The group's own answer, not the previous group's kept on screen while it loads.
    await ui(() => text(p, 'intraday-empty').catch(() => '')).toMatch(/^Nothing to show for Voice on /);
    expect(await p.getByTestId('read-only').count()).toBe(0);

    const run = p.getByTestId('intraday-run');
    expect(await run.isEnabled()).toBe(true);
    const [started] = await Promise.all([
      p.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/intraday.run'), { timeout: UI_TIMEOUT_MS }),
      run.click(),
    ]);
    expect(started.status()).toBe(200);
    await ui(() => text(p, 'intraday-last-run'), RUN_TIMEOUT_MS).toMatch(/^Last run \d\d:\d\d \((just now|\d+ min ago)\)$/);
    await ui(() => run.textContent()).toBe('Run now');

    // Both charts drawn by Recharts: the contacts' lines and bars, the agents' gap bars and lines.
    const contacts = p.getByTestId('intraday-contacts-chart');
    const agents = p.getByTestId('intraday-agents-chart');
    await ui(() => contacts.locator('svg.recharts-surface').count()).toBeGreaterThan(0);
    await ui(() => contacts.locator('.recharts-line path.recharts-curve').count()).toBe(2);
    await ui(() => contacts.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await ui(() => agents.locator('svg.recharts-surface').count()).toBeGreaterThan(0);
    await ui(() => agents.locator('.recharts-line path.recharts-curve').count()).toBe(2);
    await ui(() => agents.locator('.recharts-area').count()).toBe(1);
    await ui(() => agents.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);

    // Every quarter hour of the day (no DST in an Etc zone), the lunch hour 8 scheduled short of what is required.
    const rows = p.getByTestId('intraday-rows').locator('tbody tr');
    await ui(() => rows.count()).toBe(96);
    const row = (minutes: number) => rows.filter({ has: p.getByRole('cell', { name: clock(minutes), exact: true }) });
    const cells = (minutes: number) => row(minutes).locator('td').allTextContents();
    // Interval, forecast, reforecast, actual, required, scheduled, excepted, absent, net, gap.
    expect((await cells(LUNCH - 30))[5]).toBe('8.0');
    expect((await cells(LUNCH))[5]).toBe('0.0');
    expect((await cells(SHIFT_END))[5]).toBe('0.0');
    expect(await row(LUNCH).locator('[data-mark="short"]').count()).toBe(1);
    expect(await row(SHIFT_END).locator('[data-mark="short"]').count()).toBe(1);
    expect((await cells(SHIFT_START))[3]).toBe(String(VOLUME));
    await shot(p, 'intraday-run');
  });

  it('accepts the proposed lunch moves: applied, the lunches spread in a newly published version', async () => {
    const p = page();
    const moves = p.locator('[data-testid="proposal"][data-kind="break_moves"]');
    // The page watched the run to its end (measured, then proposed): the proposals are there at once.
    expect(await moves.count()).toBe(1);
    expect(await moves.getAttribute('data-status')).toBe('proposed');
    const title = (await moves.getByTestId('proposal-title').textContent())!;
    expect(title).toMatch(/^Move \d+ lunch(es)?$/);
    const described = await moves.getByRole('list', { name: 'Moves' }).locator('li').allTextContents();
    expect(described.length).toBe(Number(/\d+/.exec(title)![0]));
    const names = new Set(shift.map((a) => a.display_name));
    for (const line of described) {
      const match = /^(.+) lunch (\d\d:\d\d) → (\d\d:\d\d)$/.exec(line);
      expect(match, line).not.toBeNull();
      expect(names.has(match![1]!)).toBe(true);
      expect(match![2]).toBe(clock(LUNCH));
      expect(match![3]).not.toBe(clock(LUNCH));
    }
    // Accepting republishes the week and snapshots it for adherence: a workflow's worth of writes on a busy machine.
    const [decided] = await Promise.all([
      p.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/intraday.decide'), { timeout: RUN_TIMEOUT_MS }),
      moves.getByRole('button', { name: `Accept: ${title}` }).click(),
    ]);
    expect(decided.status()).toBe(200);
    await ui(() => moves.getAttribute('data-status')).toBe('applied');
    expect(await moves.getByTestId('proposal-status').textContent()).toBe('Applied');
    expect(await moves.getByRole('button', { name: /^Accept/ }).count()).toBe(0);
    await shot(p, 'intraday-moves-applied');

    // A new version of the week is published with the lunches where the moves put them.
    const overview = await pageQuery<{ groups: { id: string; key: string }[]; schedules: { id: string; groupId: string; status: string }[] }>(
      p,
      'schedules.overview',
      { weekStart: localWeekStart(DAY, 1) },
    );
    const voice = overview.groups.find((g) => g.key === 'voice')!;
    const published = overview.schedules.filter((s) => s.groupId === voice.id && s.status === 'published');
    expect(published).toHaveLength(1);
    const week = await pageQuery<{ activities: { kind: string; start: string }[] }>(p, 'schedules.get', { scheduleId: published[0]!.id });
    const lunches = week.activities.filter((a) => a.kind === 'lunch');
    expect(lunches).toHaveLength(shift.length);
    const movedTo = described.map((line) => line.slice(-5)).sort();
    expect(
      lunches
        .filter((l) => Date.parse(l.start) !== at(LUNCH).getTime())
        .map((l) => clockOf(l.start))
        .sort(),
    ).toEqual(movedTo);
  });

  it('opens the overtime for the uncovered hour after the shifts to the agents', async () => {
    const p = page();
    const overtime = p.locator('[data-testid="proposal"][data-kind="overtime"]').filter({ hasText: overtimeSpan });
    await ui(() => overtime.count()).toBe(1);
    expect(await overtime.getAttribute('data-status')).toBe('proposed');
    const title = (await overtime.getByTestId('proposal-title').textContent())!;
    expect(title).toMatch(new RegExp(`^Overtime for \\d+ agents? ${overtimeSpan}$`));
    await overtime.locator('summary').click();
    expect(await overtime.locator('details').textContent()).toContain(member.display_name);
    await overtime.getByRole('button', { name: `Accept: ${title}` }).click();
    await ui(() => overtime.getAttribute('data-status')).toBe('open');
    expect(await overtime.getByTestId('proposal-status').textContent()).toBe('Offered to agents');
    expect(await overtime.getByTestId('proposal-taken').textContent()).toMatch(/^0 of \d+ taken$/);
    expect(pageErrors).toEqual([]);
  });
});

interface MySchedule {
  activities: { kind: string; start: string; end: string }[];
}

describe('the agent', () => {
  it('takes the overtime on /me, and their published schedule has the extra hour', async () => {
    agentBrowser = await launchChromium();
    const p = agentBrowser.page;
    p.on('pageerror', (error) => pageErrors.push(error.message));
    expect(await signInThroughForm(p, url, users.agent, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    await p.goto(`${url}/me`);
    const offer = p.getByTestId('my-offer').filter({ hasText: overtimeSpan });
    await offer.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await offer.getAttribute('data-kind')).toBe('overtime');
    const words = (await offer.getByTestId('my-offer-text').textContent())!;
    expect(words).toMatch(new RegExp(`^Overtime today ${overtimeSpan} — (\\d+) of \\1 places? left$`));
    const before = await pageQuery<MySchedule>(p, 'me.schedule', {});
    expect(before.activities.some((a) => Date.parse(a.end) > at(SHIFT_END).getTime())).toBe(false);
    await shot(p, 'intraday-my-offer');

    await offer.getByRole('button', { name: `Accept: ${words}` }).click();
    await ui(() => p.getByTestId('my-offer-outcome').first().textContent()).toBe('You took it — your schedule is updated.');
    await ui(() => offer.getByTestId('my-offer-text').textContent()).toBe(`Overtime today ${overtimeSpan} — you took it`);
    await shot(p, 'intraday-my-offer-taken');

    // Their afternoon's work runs on to the end of the offer.
    const after = await pageQuery<MySchedule>(p, 'me.schedule', {});
    const covering = after.activities.filter(
      (a) => a.kind === 'work' && Date.parse(a.start) <= at(SHIFT_END).getTime() && Date.parse(a.end) >= at(FORECAST_END).getTime(),
    );
    expect(covering).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });
});

describe('the supervisor', () => {
  it('reads the same day without running the loop or deciding', async () => {
    const p = page();
    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.supervisor, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    await p.goto(`${url}/planning/intraday`);
    await p.getByTestId('read-only').waitFor({ timeout: UI_TIMEOUT_MS });
    await p.getByRole('form', { name: 'Day and planning group' }).getByLabel('Planning group').selectOption({ label: 'Voice' });
    await ui(() => text(p, 'intraday-last-run').catch(() => '')).toMatch(/^Last run \d\d:\d\d/);
    expect(await p.getByTestId('intraday-run').isDisabled()).toBe(true);
    const proposals = p.getByTestId('proposal');
    await ui(() => proposals.count()).toBeGreaterThan(0);
    // The offer taken by the agent shows with its place gone; nothing to accept or reject here.
    const overtime = proposals.filter({ hasText: overtimeSpan });
    await ui(() => overtime.getByTestId('proposal-taken').textContent()).toMatch(/^1 of \d+ taken$/);
    expect(await p.getByRole('button', { name: /^(Accept|Reject)/ }).count()).toBe(0);
    await shot(p, 'intraday-supervisor');
    expect(pageErrors).toEqual([]);
  });
});
