import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMIT } from '@switchboard/api';
import type { TelemetryEvent } from '@switchboard/contracts';
import { getStaffingWaterfall, StaffingPolicy } from '@switchboard/planning';
import { demoCenter, simulate } from '@switchboard/simulator';
import { followLink, launchChromium, screenshot, SignInPacer, signInThroughForm, type Browser, pageQuery } from './support/browser.ts';
import { postAll } from './support/events.ts';
import { findTemporalCli } from './support/temporal.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

/**
 * The planner screens as people use them: the real host process with the built pages and
 * the planning worker on a Temporal dev server, six weeks of simulated demo traffic through
 * the ingest API, and Chromium. The planner runs a forecast that starts a week back, so the
 * first week has actuals; reads forecast vs actual, explains a staffing number with its
 * waterfall and changes a what-if; a supervisor sees the same read-only.
 */

type Role = 'admin' | 'supervisor' | 'planner' | 'analyst' | 'agent';
interface DemoUser {
  role: Role;
  login?: string;
  email: string;
  password: string;
  name: string;
}

const timezone = demoCenter.timezone;
const HISTORY_DAYS = 42;
/** The forecast starts this many days back: those days have actuals to compare with. */
const DAYS_BACK = 7;
const HORIZON_DAYS = 14;
const BATCH = 5_000;
const UI_TIMEOUT_MS = 30_000;
/** Forecasting nine queues and staffing them, on a shared two-core machine. */
const RUN_TIMEOUT_MS = 240_000;
const TEMPORAL_UI_URL = 'http://127.0.0.1:8233';
const queue = demoCenter.queues.find((q) => q.id === 'general-voice')!;

const localDate = (at: number | Date) => new Date(at).toLocaleDateString('en-CA', { timeZone: timezone });
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const dataDir = tempDataDir('planning-browser');
let env: TestWorkflowEnvironment | undefined;
let host: SpawnedHost | undefined;
let browser: Browser | undefined;
let url = '';
let users: Record<Role, DemoUser>;
/** The first agent's teammate, for shift swaps. */
let agent2: DemoUser;
/** interaction.offered events of the queue per tenant-local date, as posted. */
const offeredByDate = new Map<string, number>();
const pacer = new SignInPacer(SIGN_IN_LIMIT);
const pageErrors: string[] = [];
let startDate = '';
/** A whole past day the forecast covers: every interval has its actual. */
let comparedDay = '';
/** A weekday in the history without a single contact, for the run to detect as closed. */
let closedDay = '';

const page = (): Page => browser!.page;
const ui = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout });
const text = async (locator: Locator): Promise<string> => ((await locator.textContent({ timeout: 1_000 })) ?? '').trim();
/** A figure as formatted on screen ("1,234.5", "+16.7%") as a number. */
const num = (shown: string | null): number => {
  const n = Number((shown ?? '').replace(/[,\s%+]/g, '').replace('−', '-'));
  if (!Number.isFinite(n) || (shown ?? '').trim() === '') throw new Error(`not a number: ${JSON.stringify(shown)}`);
  return n;
};

/** A full-page screenshot from the top (the sticky header is drawn mid-page otherwise), pointer off the charts. */
async function shot(p: Page, name: string): Promise<void> {
  await p.evaluate('window.scrollTo(0, 0)');
  await p.mouse.move(0, 0);
  await screenshot(p, name);
}

async function ingest(events: readonly TelemetryEvent[], apiKey: string): Promise<void> {
  try {
    await postAll(url, apiKey, events);
  } catch (error) {
    // A refused connection says little by itself: the host's state and its last output say why.
    const state = host?.child.exitCode ?? host?.child.signalCode ?? 'still running';
    throw new Error(`ingest failed, host ${state}: ${(error as Error).message}\n${host?.output().slice(-4000) ?? ''}`, { cause: error });
  }
}

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npx turbo run build --filter=@switchboard/web` (or `bash scripts/setup.sh`) first');
  }
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: findTemporalCli() } } });
  host = spawnHost(dataDir, await freePort(), {
    SWITCHBOARD_WEB: '1',
    SWITCHBOARD_SEED_DEMO: '1',
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
    TEMPORAL_UI_URL,
  });
  await waitReady(host);
  url = host.url;
  const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
  const list = JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')) as DemoUser[];
  // The first of each role (the demo has two agents: `agent` and `agent2`).
  users = Object.fromEntries(list.toReversed().map((u) => [u.role, u])) as Record<Role, DemoUser>;
  agent2 = list.find((u) => u.login === 'agent2')!;

  // Six weeks of contacts ending a minute ago, enough to backtest the forecast that starts a week back;
  // interaction events only, what the queue rollup counts.
  const end = Date.now() - 60_000;
  // One midweek day three weeks back has no traffic at all, as if the centre had closed
  // unannounced: the forecast run must find it on its own.
  closedDay = addDays(localDate(end), -21);
  while (![2, 3, 4].includes(new Date(`${closedDay}T12:00:00Z`).getUTCDay())) closedDay = addDays(closedDay, -1);
  let batch: TelemetryEvent[] = [];
  for (const event of simulate({ config: demoCenter, seed: 20_250_301, start: end - HISTORY_DAYS * 86_400_000, end })) {
    if (!event.type.startsWith('interaction.')) continue;
    if (localDate(Date.parse(event.occurred_at)) === closedDay) continue;
    if (event.type === 'interaction.offered' && event.queue_id === queue.id) {
      const date = localDate(Date.parse(event.occurred_at));
      offeredByDate.set(date, (offeredByDate.get(date) ?? 0) + 1);
    }
    batch.push(event);
    if (batch.length === BATCH) {
      await ingest(batch, apiKey);
      batch = [];
    }
  }
  if (batch.length > 0) await ingest(batch, apiKey);
  startDate = addDays(localDate(Date.now()), -DAYS_BACK);
  comparedDay = addDays(startDate, 1);

  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (host) await stopHost(host);
  await env?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

interface ForecastAnswer {
  intervals: { interval_start: string; volume: number; actual_offered: number | null; overridden: number }[];
  methods: { measure: string; method: string; backtest_wape: number | null }[];
}
interface StaffingAnswer {
  policy: unknown;
  intervals: { interval_start: string; calls: number; aht_s: number; erlang_agents: number; capped_agents: number; required_fte: number }[];
}
interface OverviewAnswer {
  versions: { version_id: string; start_date: string }[];
  staffingVersions: { version_id: string }[];
  engine: { configured: boolean; uiUrl: string | null; namespace: string | null };
}

/** Opens the forecast or staffing view of the demo queue on `comparedDay`. */
async function openQueueDay(p: Page, view: 'Forecast vs actual' | 'Staffing & what-if'): Promise<void> {
  await p.getByRole('radio', { name: view }).click();
  const form = p.getByRole('form', { name: 'Queue and period' });
  await form.getByLabel('Queue').selectOption({ label: queue.name });
  await form.getByLabel('Day', { exact: true }).fill(comparedDay);
}

describe('the planner', () => {
  it(
    'runs a forecast and follows it to the end',
    async () => {
      const p = page();
      expect(await signInThroughForm(p, url, users.planner, pacer)).toBe(200);
      await p.waitForURL((u) => u.pathname === '/planning', { timeout: UI_TIMEOUT_MS });
      await p.getByTestId('no-forecast').waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await p.getByTestId('read-only').count()).toBe(0);
      await shot(p, 'planning-empty');

      const runForm = p.getByRole('form', { name: 'Run a forecast' });
      await runForm.getByLabel('Forecast from').fill(startDate);
      await runForm.getByLabel('Horizon (days)').fill(String(HORIZON_DAYS));
      await runForm.getByRole('button', { name: 'Run forecast now' }).click();

      // The run shows up running (with its progress bar), unless it finished between two polls.
      const forecastRun = p.getByTestId('run').filter({ hasText: 'Forecast' }).first();
      // Generous: the host's own schedules (quality, intraday, coaching) may be busy beside it on a loaded machine.
      await ui(() => forecastRun.getByTestId('run-status').textContent(), RUN_TIMEOUT_MS).toMatch(/running|completed/);
      if ((await text(forecastRun.getByTestId('run-status'))) === 'running') {
        expect(await forecastRun.locator('progress').count()).toBe(1);
        await shot(p, 'planning-run-progress');
      }
      await ui(() => forecastRun.getByTestId('run-status').textContent(), RUN_TIMEOUT_MS).toBe('completed');

      // Its link opens the workflow in the Temporal Web UI.
      const overview = await pageQuery<OverviewAnswer>(p, 'planning.overview', undefined);
      expect(overview.engine).toMatchObject({ configured: true, uiUrl: TEMPORAL_UI_URL });
      expect(overview.versions[0]?.start_date).toBe(startDate);
      const runs = await pageQuery<{ workflowId: string; type: string }[]>(p, 'planning.runs', undefined);
      const workflowId = runs.find((r) => r.type === 'forecastWorkflow' && r.workflowId.endsWith(`:${startDate}`))!.workflowId;
      expect(await forecastRun.getByRole('link').getAttribute('href')).toBe(
        `${TEMPORAL_UI_URL}/namespaces/${overview.engine.namespace}/workflows/${encodeURIComponent(workflowId)}`,
      );

      // The completed run refreshes the page on its own: the new version's forecast is on screen.
      await p.getByTestId('forecast-chart').waitFor({ timeout: UI_TIMEOUT_MS });
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it('sees forecast vs actual for a queue, with the method and its accuracy', async () => {
    const p = page();
    await openQueueDay(p, 'Forecast vs actual');
    const overview = await pageQuery<OverviewAnswer>(p, 'planning.overview', undefined);
    const versionId = overview.versions[0]!.version_id;
    const forecast = await pageQuery<ForecastAnswer>(p, 'planning.forecast', { versionId, queueKey: queue.id, date: comparedDay, days: 1 });
    expect(forecast.intervals.length).toBe(96);

    // Every interval of a past day has its actual, and they add up to the contacts posted that day.
    expect(forecast.intervals.every((r) => r.actual_offered !== null)).toBe(true);
    const actual = forecast.intervals.reduce((s, r) => s + r.actual_offered!, 0);
    expect(actual).toBe(offeredByDate.get(comparedDay));
    const volume = forecast.intervals.reduce((s, r) => s + r.volume, 0);
    const absError = forecast.intervals.reduce((s, r) => s + Math.abs(r.volume - r.actual_offered!), 0);
    await ui(async () => num(await text(p.getByTestId('actual-total')))).toBe(actual);
    expect(num(await text(p.getByTestId('forecast-total')))).toBe(Math.round(volume));
    expect(num(await text(p.getByTestId('forecast-wape')))).toBeCloseTo((100 * absError) / actual, 1);
    expect(num(await text(p.getByTestId('forecast-bias')))).toBeCloseTo((100 * (volume - actual)) / actual, 1);
    expect(await p.getByTestId('forecast-rows').locator('tbody tr').count()).toBe(96);

    // The chart draws the band, the forecast line and the actual bars.
    const chart = p.getByTestId('forecast-chart');
    expect(await chart.locator('.recharts-area-area').count()).toBe(1);
    expect(await chart.locator('.recharts-line-curve').count()).toBe(1);
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(10);

    // The method the backtest chose, its WAPE, and every candidate's.
    const method = forecast.methods.find((m) => m.measure === 'volume')!;
    const methods = p.getByTestId('methods');
    expect(num(await text(methods.getByTestId('method-volume-wape')))).toBeCloseTo(100 * method.backtest_wape!, 1);
    expect(await methods.locator('tr.chosen').count()).toBeGreaterThanOrEqual(1);
    // A blend names its methods and weights per weekday, the weights of each adding up to 100%.
    if (method.method === 'blend') {
      const rows = await methods.getByTestId('blend-row').allTextContents();
      expect(rows.length).toBeGreaterThanOrEqual(5);
      for (const row of rows) expect([...row.matchAll(/(\d+)%/g)].reduce((sum, m) => sum + Number(m[1]), 0)).toBeGreaterThanOrEqual(99);
    }
    expect(await methods.locator('tbody tr').count()).toBeGreaterThan(2);

    // The version is scored day by day since it started (today's partial day included).
    const horizon = p.getByTestId('accuracy-horizon').locator('tbody tr');
    await ui(() => horizon.count()).toBeGreaterThanOrEqual(DAYS_BACK);
    expect(await text(horizon.first().locator('td').first())).toBe('Day 1');
    await ui(() => p.getByTestId('accuracy-queues').locator('tbody tr').count()).toBe(demoCenter.queues.length);

    await shot(p, 'planning-forecast');
  });

  it('explains a staffing number with its waterfall, computed as the stored one was', async () => {
    const p = page();
    await openQueueDay(p, 'Staffing & what-if');
    const overview = await pageQuery<OverviewAnswer>(p, 'planning.overview', undefined);
    const staffing = await pageQuery<StaffingAnswer>(p, 'planning.staffing', {
      versionId: overview.staffingVersions[0]!.version_id,
      queueKey: queue.id,
      date: comparedDay,
      days: 1,
    });
    const policy = StaffingPolicy.omit({ aht_s: true }).parse(staffing.policy);

    // A mid-morning interval with contacts, not the busiest (that one opens by default).
    const busiest = Math.max(...staffing.intervals.map((r) => r.required_fte));
    const index = staffing.intervals.findIndex((r, i) => i >= 36 && r.calls > 0 && r.required_fte > 0 && r.required_fte < busiest);
    expect(index).toBeGreaterThan(0);
    const stored = staffing.intervals[index]!;
    const computed = getStaffingWaterfall({ ...policy, calls: stored.calls, aht_s: stored.aht_s });
    expect(computed.required_fte).toBe(stored.required_fte);
    expect(computed.agents).toBe(stored.capped_agents);

    const rows = p.getByTestId('staffing-rows').locator('tbody tr');
    await ui(() => rows.count()).toBe(96);
    const row = rows.nth(index);
    const interval = await text(row.locator('td').first());
    await row.getByRole('button').click();
    const waterfall = p.getByTestId('waterfall');
    await ui(() => text(waterfall.getByTestId('waterfall-interval'))).toBe(interval);
    expect(num(await text(waterfall.getByTestId('step-volume-value')))).toBeCloseTo(stored.calls, 1);
    expect(num(await text(waterfall.getByTestId('step-erlang-value')))).toBe(stored.erlang_agents);
    expect(num(await text(waterfall.getByTestId('step-occupancy_cap-value')))).toBe(stored.capped_agents);
    expect(num(await text(waterfall.getByTestId('step-shrinkage-value')))).toBeCloseTo(stored.required_fte, 2);
    expect(num(await text(waterfall.getByTestId('step-rounding-value')))).toBe(Math.ceil(stored.required_fte - 1e-9));
    expect(await text(waterfall.getByTestId('waterfall-check'))).toBe(`Stored requirement ${stored.required_fte.toFixed(2)} FTE: the same.`);

    await shot(p, 'planning-staffing');
  });

  it('changes a what-if and sees the day recomputed at once, without asking the server', async () => {
    const p = page();
    const overview = await pageQuery<OverviewAnswer>(p, 'planning.overview', undefined);
    const staffing = await pageQuery<StaffingAnswer>(p, 'planning.staffing', {
      versionId: overview.staffingVersions[0]!.version_id,
      queueKey: queue.id,
      date: comparedDay,
      days: 1,
    });
    const policy = StaffingPolicy.omit({ aht_s: true }).parse(staffing.policy);
    const storedHours = staffing.intervals.reduce((s, r) => s + r.required_fte, 0) * (policy.interval_s / 3600);
    const whatIf = p.getByTestId('what-if');
    await ui(() => text(whatIf.getByTestId('whatif-hours'))).toBe(storedHours.toFixed(1));
    expect(num(await text(whatIf.getByTestId('whatif-stored-hours')))).toBeCloseTo(storedHours, 1);

    const asked: string[] = [];
    const onRequest = (r: { url(): string }) => void (r.url().includes('/api/trpc/') && asked.push(r.url()));
    p.on('request', onRequest);
    // Ten points more shrinkage: the same agents, each FTE worth (1 − new) / (1 − old) as much.
    const shrinkage = Math.round(policy.shrinkage * 100) + 10;
    await whatIf.getByLabel('Shrinkage (%)').fill(String(shrinkage));
    const expected = (storedHours * (1 - policy.shrinkage)) / (1 - shrinkage / 100);
    // The page sums its own intervals and rounds to 0.1 h: on a .x5 the closed form may round the other way.
    await ui(async () => Math.abs(num(await text(whatIf.getByTestId('whatif-hours'))) - expected)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(num(await text(whatIf.getByTestId('whatif-change')))).toBeCloseTo(100 * (expected / storedHours - 1), 1);
    p.off('request', onRequest);
    expect(asked).toEqual([]);

    await shot(p, 'planning-what-if');
    await whatIf.getByRole('button', { name: 'Reset to stored policy' }).click();
    await ui(() => text(whatIf.getByTestId('whatif-hours'))).toBe(storedHours.toFixed(1));
  });

  it('adds and removes special days and overrides, for the next run', async () => {
    const p = page();
    await p.getByRole('radio', { name: 'Special days & overrides' }).click();
    expect(await text(p.getByTestId('next-run-note'))).toMatch(/next forecast run/);

    const dayForm = p.getByRole('form', { name: 'Add a special day' });
    const holiday = addDays(startDate, HORIZON_DAYS + 3);
    await dayForm.getByLabel('Date').fill(holiday);
    await dayForm.getByLabel('Label').fill('Bank holiday');
    await dayForm.getByLabel('Multiplier').fill('0.4');
    await dayForm.getByRole('button', { name: 'Add day' }).click();
    const days = p.getByTestId('special-day');
    await ui(() => days.allTextContents()).toEqual([expect.stringMatching(/Bank holiday.*volume × 0\.4/)]);

    const overrideForm = p.getByRole('form', { name: 'Add a forecast override' });
    await overrideForm.getByLabel('Queue').selectOption({ label: queue.name });
    await overrideForm.getByLabel('From date').fill(holiday);
    await overrideForm.getByLabel('From time (empty: start of day)').fill('09:00');
    await overrideForm.getByLabel('To time (empty: end of day)').fill('10:00');
    await overrideForm.getByLabel('Kind').selectOption('set');
    await overrideForm.getByLabel('Value').fill('50');
    await overrideForm.getByLabel('Label').fill('Mailing');
    await overrideForm.getByRole('button', { name: 'Add override' }).click();
    const overrides = p.getByTestId('override');
    await ui(() => overrides.allTextContents()).toEqual([expect.stringMatching(new RegExp(`^${queue.name}.*09:00–10:00set to 50 per intervalMailing`))]);
    await shot(p, 'planning-adjustments');

    await p.getByRole('button', { name: `Remove ${'Bank holiday'} on ${holiday}` }).click();
    await p.getByTestId('special-days-empty').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await overrides.count()).toBe(1);

    // A planned AHT for the queue, kept when the rest of its settings are saved again.
    const plannedAht = p.getByRole('form', { name: `Planned AHT of ${queue.name}` });
    await plannedAht.getByLabel(`Planned AHT of ${queue.name} in seconds`).fill('240');
    await plannedAht.getByRole('button', { name: 'Save' }).click();
    const row = p.getByTestId('settings').getByRole('row', { name: new RegExp(queue.name) });
    await ui(() => text(row)).not.toMatch(/defaults/);
    expect(await plannedAht.getByLabel(/in seconds/).inputValue()).toBe('240');
    expect(await plannedAht.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
  });

  it('reviews the closure the run found on its own and makes it a special day every year', async () => {
    const p = page();
    const detected = p.locator(`[data-testid="detected-day"][data-date="${closedDay}"]`);
    await ui(() => text(detected)).toMatch(/^.*detected: closed/);
    // Every queue had nothing that day, each against what its same weekdays around it had.
    const findings = await detected.locator('li').allTextContents();
    expect(findings.length).toBe(demoCenter.queues.length);
    for (const line of findings) expect(line).toMatch(/: 0 vs [\d,]+ expected$/);
    expect(await text(detected.getByTestId('detected-day-status'))).toBe('to review');
    await shot(p, 'planning-detected-days');

    await detected.getByRole('button', { name: 'Every year' }).click();
    await ui(() => detected.count()).toBe(0);
    const days = p.getByTestId('special-day');
    await ui(() => days.allTextContents()).toEqual([expect.stringMatching(/every year.*Closed \(detected\).*volume × 0Remove$/)]);
    await p.getByLabel('Show decided days').check();
    await ui(() => text(detected.getByTestId('detected-day-status'))).toBe('special day');

    // The tenant's holiday calendar: a region the library does not know is refused with the reason.
    const calendar = p.getByRole('form', { name: 'Holiday calendar' });
    await calendar.getByLabel('Holiday region').fill('XX');
    await calendar.getByRole('button', { name: 'Save' }).click();
    await ui(() => text(p.getByTestId('holiday-calendar').getByRole('alert'))).toMatch(/"XX" is not a country/);
    await calendar.getByLabel('Holiday region').fill('gb-sct');
    await calendar.getByRole('button', { name: 'Save' }).click();
    await ui(() => calendar.getByLabel('Holiday region').inputValue()).toBe('GB-SCT');
    // Scotland's calendar, not England's: St Andrew's Day is in the next twelve months, whenever the test runs.
    await ui(() => p.getByTestId('upcoming-holidays').locator('li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/Christmas Day$/), expect.stringMatching(/St Andrew.s Day$/)]),
    );
    await shot(p, 'planning-holidays');
  });
});

describe('a supervisor', () => {
  it('reads the same planning screens without a way to change them', async () => {
    const p = page();
    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.supervisor, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname === '/wallboard', { timeout: UI_TIMEOUT_MS });
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Planning' }).click();
    await p.getByTestId('read-only').waitFor({ timeout: UI_TIMEOUT_MS });

    const runForm = p.getByRole('form', { name: 'Run a forecast' });
    expect(await runForm.getByRole('button', { name: 'Run forecast now' }).isDisabled()).toBe(true);
    expect(await runForm.getByRole('button', { name: 'Recompute staffing' }).isDisabled()).toBe(true);
    expect(await text(p.getByTestId('run-blocked'))).toBe('Only planners and admins start runs.');
    await p.getByTestId('forecast-chart').waitFor({ timeout: UI_TIMEOUT_MS });
    await shot(p, 'planning-supervisor');

    await openQueueDay(p, 'Staffing & what-if');
    await p.getByTestId('what-if').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await p.getByRole('button', { name: /^Save shrinkage/ }).count()).toBe(0);

    await p.getByRole('radio', { name: 'Special days & overrides' }).click();
    await p.getByTestId('override').first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await p.getByRole('form', { name: 'Add a special day' }).count()).toBe(0);
    expect(await p.getByRole('form', { name: 'Add a forecast override' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await p.getByRole('form', { name: /^Planned AHT of/ }).count()).toBe(0);
    expect(await p.getByRole('form', { name: 'Holiday calendar' }).count()).toBe(0);
    expect(await text(p.getByTestId('holiday-calendar'))).toMatch(/Region GB-SCT/);
    await p.getByLabel('Show decided days').check();
    await p.locator(`[data-testid="detected-day"][data-date="${closedDay}"]`).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await p.getByRole('button', { name: /^(Confirm|Every year|Normal day)$/ }).count()).toBe(0);
    expect(await text(p.getByTestId('settings').getByRole('row', { name: new RegExp(queue.name) }))).toMatch(/240 s/);
    await shot(p, 'planning-supervisor-adjustments');

    // The screen is only the friendly part: the API refuses the supervisor's run too.
    const status = await p.evaluate(async () => {
      const res = await fetch('/api/trpc/planning.runForecast', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ startDate: '2030-01-01' }),
      });
      return res.status;
    });
    expect(status).toBe(403);
  });
});

interface ScheduleRow {
  id: string;
  groupId: string;
  status: 'draft' | 'published' | 'superseded' | 'rejected';
  revision: number;
}
interface SchedulesOverviewAnswer {
  weekStart: string;
  groups: { id: string; key: string; name: string }[];
  schedules: ScheduleRow[];
}
interface ScheduleGetAnswer {
  schedule: { id: string; status: string; revision: number; timezone: string; summary: { figures: Record<string, number> } };
  agents: { id: string; key: string; name: string; acknowledgedAt: string | null }[];
  activities: { agentId: string; kind: string; start: string; end: string; shiftDate: string; templateId: string | null }[];
  templates: { id: string; breaks: { earliestOffsetMin: number; latestOffsetMin: number }[] }[];
}
interface TimeOffListAnswer {
  requests: { id: string; status: string; decisionNote: string | null }[];
}

/** This week's Monday, tenant-local. */
const thisMonday = () => {
  const today = localDate(Date.now());
  return addDays(today, -((new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7));
};
/** A figure tile's text ("1,234.5 h", "12.34%", "3.2 s") as a number. */
const tile = async (p: Page, key: string): Promise<number> => num((await text(p.getByTestId(`figure-${key}`))).replace(/ [hs]$/, ''));
const tileKeys = ['cost', 'lpBound', 'gap', 'requiredHours', 'scheduledHours', 'efficiency', 'shortfall', 'over', 'violations', 'fairnessSpread'] as const;
const percentKeys = new Set(['gap', 'efficiency', 'fairnessSpread', 'preferenceMetMean']);
const countKeys = new Set(['shortfall', 'over', 'violations', 'shifts', 'agents']);

/** Every figure tile against the API's figures, to the precision it is shown with. */
async function expectTiles(p: Page, figures: Record<string, number>): Promise<void> {
  for (const key of [...tileKeys, 'preferenceMetMean', 'solveSeconds', 'shifts', 'agents']) {
    const shown = await tile(p, key);
    const value = figures[key]!;
    // Shown rounded to its digits: off by at most half of the last one.
    const [expected, digits] = countKeys.has(key) ? [value, 0] : percentKeys.has(key) ? [100 * value, key === 'gap' ? 2 : 1] : [value, 1];
    expect(Math.abs(shown - expected), `${key}: ${shown} shown, ${expected} stored`).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);
  }
}

/** The figure tiles' texts, to compare a preview with what the server saved. */
const tileTexts = (p: Page) => p.getByTestId('figures').locator('.value').allTextContents();

async function openSchedules(p: Page): Promise<void> {
  await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedules' }).click();
  await p.getByTestId('groups').waitFor({ timeout: UI_TIMEOUT_MS });
  await p.getByRole('button', { name: 'This week' }).click();
  await ui(() => p.getByLabel('Week of').inputValue()).toBe(thisMonday());
}

describe('schedules', () => {
  const voice = () => page().locator('[data-testid="group"][data-group="voice"]');
  let voiceId = '';
  let draftId = '';

  it(
    'the planner generates the Voice group’s week and reads its figures, coverage and agents',
    async () => {
      const p = page();
      await browser!.context.clearCookies();
      expect(await signInThroughForm(p, url, users.planner, pacer)).toBe(200);
      await p.waitForURL((u) => u.pathname === '/planning', { timeout: UI_TIMEOUT_MS });
      await openSchedules(p);
      await p.getByTestId('no-schedule').waitFor({ timeout: UI_TIMEOUT_MS });

      await voice().getByRole('button', { name: 'Generate Voice' }).click();
      // The run shows its progress, then the draft appears and opens on its own.
      await ui(() => voice().locator('[data-testid="version"][data-status="draft"]').count(), RUN_TIMEOUT_MS).toBe(1);
      await ui(() => p.getByTestId('schedule').getAttribute('data-status')).toBe('draft');

      const overview = await pageQuery<SchedulesOverviewAnswer>(p, 'schedules.overview', { weekStart: thisMonday() });
      voiceId = overview.groups.find((g) => g.key === 'voice')!.id;
      draftId = overview.schedules.find((s) => s.groupId === voiceId && s.status === 'draft')!.id;
      const view = await pageQuery<ScheduleGetAnswer>(p, 'schedules.get', { scheduleId: draftId });
      expect(view.activities.length).toBeGreaterThan(0);
      await expectTiles(p, view.schedule.summary.figures);

      // The chart draws required and scheduled agents over the week; the Gantt has a row per scheduled agent.
      const chart = p.getByTestId('coverage-chart');
      expect(await chart.locator('.recharts-line-curve').count()).toBe(2);
      expect(await chart.locator('.recharts-area-area').count()).toBe(2);
      expect(await p.getByTestId('gantt-row').count()).toBe(view.agents.length);
      await shot(p, 'schedules-draft');
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it('the planner moves a break, sees coverage and figures change before saving, saves and approves', async () => {
    const p = page();
    const view = await pageQuery<ScheduleGetAnswer>(p, 'schedules.get', { scheduleId: draftId });
    // A shift whose first break has room to move.
    const movable = new Set(view.templates.filter((t) => t.breaks.some((b) => b.latestOffsetMin > b.earliestOffsetMin)).map((t) => t.id));
    const shift = view.activities.find((a) => a.templateId && movable.has(a.templateId))!;
    const agent = view.agents.find((a) => a.id === shift.agentId)!;
    await p.locator(`[data-testid="gantt-row"][data-agent="${agent.key}"]`).locator(`button[data-date="${shift.shiftDate}"]`).click();
    const editor = p.getByTestId('day-editor');
    await editor.waitFor({ timeout: UI_TIMEOUT_MS });

    const chart = p.getByTestId('coverage-chart');
    const before = await chart.getAttribute('data-coverage-key');
    const firstBreak = editor.getByLabel(/^(Break|Lunch) 1 /);
    const current = await firstBreak.inputValue();
    const other = (await firstBreak.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).find(
      (v) => v !== current,
    )!;
    await firstBreak.selectOption(other);
    await p.getByTestId('preview-badge').waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => chart.getAttribute('data-coverage-key')).not.toBe(before);
    const previewTiles = await tileTexts(p);
    await shot(p, 'schedules-edit-preview');

    await editor.getByRole('button', { name: 'Save' }).click();
    await ui(() => p.getByTestId('schedule').getAttribute('data-revision')).toBe(String(view.schedule.revision + 1));
    expect(await p.getByTestId('day-editor').count()).toBe(0);
    // What the browser computed before saving is what the server saved.
    const saved = await pageQuery<ScheduleGetAnswer>(p, 'schedules.get', { scheduleId: draftId });
    await ui(() => tileTexts(p)).toEqual(previewTiles);
    await expectTiles(p, saved.schedule.summary.figures);

    await p.getByRole('button', { name: 'Approve and publish' }).click();
    await ui(() => p.getByTestId('schedule').getAttribute('data-status')).toBe('published');
    await p.getByTestId('unacknowledged').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await text(p.getByTestId('acknowledgements'))).toMatch(/0 of \d+ agents acknowledged; due by/);
    // Published, the week is read-only: the Gantt's days show, not edit.
    expect(await p.getByRole('button', { name: /^Edit / }).count()).toBe(0);
  });

  it('the agent reads the week on a phone, acknowledges it and asks for time off', async () => {
    const p = page();
    await browser!.context.clearCookies();
    await p.setViewportSize({ width: 390, height: 844 });
    expect(await signInThroughForm(p, url, users.agent, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname === '/me', { timeout: UI_TIMEOUT_MS });
    const days = p.getByTestId('my-day');
    await ui(() => days.count()).toBe(14);
    expect(await text(days.first())).toMatch(/^Mon/);
    // The countdown names the next published activity, or says there is none left (late on a Sunday).
    const mine = await pageQuery<{ activities: { start: string }[] }>(p, 'me.schedule', {});
    const upcoming = mine.activities.some((a) => Date.parse(a.start) > Date.now());
    await ui(() => text(p.getByTestId('next-activity'))).toMatch(upcoming ? / in \d/ : /^Nothing more is published/);
    const banner = p.getByTestId('acknowledge-banner');
    await ui(() => text(banner)).toMatch(/Please acknowledge by/);
    // Nothing wider than the phone: no sideways scrolling.
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(p, 'me-week-phone');

    await banner.getByRole('button', { name: 'Acknowledge' }).click();
    await ui(() => banner.count()).toBe(0);
    const schedule = await pageQuery<{ toAcknowledge: unknown[] }>(p, 'me.schedule', {});
    expect(schedule.toAcknowledge).toEqual([]);

    // A whole day off a week ahead: the answer on screen is the one stored.
    const form = p.getByRole('form', { name: 'Request time off' });
    await form.getByLabel('Date').fill(addDays(localDate(Date.now()), 8));
    await form.getByRole('button', { name: 'Request time off' }).click();
    const answer = p.getByTestId('time-off-answer');
    await answer.waitFor({ timeout: UI_TIMEOUT_MS });
    const list = await pageQuery<TimeOffListAnswer>(p, 'me.timeOff.list', undefined);
    expect(list.requests.length).toBe(1);
    expect(await answer.getAttribute('data-status')).toBe(list.requests[0]!.status);
    expect(await text(answer)).toContain(list.requests[0]!.decisionNote ?? '');
    await ui(() => p.locator(`[data-testid="time-off-request"][data-id="${list.requests[0]!.id}"]`).getAttribute('data-status')).toBe(list.requests[0]!.status);
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(p, 'me-time-off-phone');
  });

  it('two agents swap a day, a planner approves it, and the versions compare', async () => {
    const p = page();
    await browser!.context.clearCookies();
    await p.setViewportSize({ width: 1280, height: 720 });
    expect(await signInThroughForm(p, url, users.planner, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname === '/planning', { timeout: UI_TIMEOUT_MS });
    const overview = await pageQuery<SchedulesOverviewAnswer>(p, 'schedules.overview', { weekStart: thisMonday() });
    const publishedId = overview.schedules.find((s) => s.groupId === voiceId && s.status === 'published')!.id;
    const view = await pageQuery<ScheduleGetAnswer>(p, 'schedules.get', { scheduleId: publishedId });
    const idOf = (login: string) => view.agents.find((a) => a.key === demoCenter.agents[login === 'agent' ? 0 : 1]!.id)!.id;
    const span = (agentId: string, date: string) => {
      const mine = view.activities.filter((a) => a.agentId === agentId && a.shiftDate === date);
      return mine.length === 0
        ? null
        : `${mine.map((a) => a.start).sort()[0]}–${mine
            .map((a) => a.end)
            .sort()
            .at(-1)}`;
    };
    const [me, them] = [idOf('agent'), idOf('agent2')];
    const dates = Array.from({ length: 7 }, (_, d) => addDays(thisMonday(), d));
    // Trades that change the week first: a day both work at different hours, then a day each works alone; a day
    // both work alike last. Each pair comes with the agent-days it changes.
    const sameDay = dates.filter((d) => span(me, d) && span(them, d));
    const onlyMine = dates.filter((d) => span(me, d) && !span(them, d));
    const onlyTheirs = dates.filter((d) => !span(me, d) && span(them, d));
    const candidates = [
      ...sameDay.filter((d) => span(me, d) !== span(them, d)).map((d) => ({ myDate: d, theirDate: d, changes: 2 })),
      ...onlyMine.flatMap((m) => onlyTheirs.map((t) => ({ myDate: m, theirDate: t, changes: 4 }))),
      ...sameDay.filter((d) => span(me, d) === span(them, d)).map((d) => ({ myDate: d, theirDate: d, changes: 0 })),
    ];
    expect(candidates.length).toBeGreaterThan(0);

    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.agent, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname === '/me', { timeout: UI_TIMEOUT_MS });
    const form = p.getByRole('form', { name: 'Ask for a swap' });
    await ui(() => form.getByLabel('Colleague').locator('option').allTextContents()).toContain(agent2.name);
    await form.getByLabel('Colleague').selectOption({ label: agent2.name });
    // The first day the rules allow (a refusal names the rule it breaks).
    let swap: (typeof candidates)[number] | undefined;
    for (const candidate of candidates) {
      await form.getByLabel('My day (I give)').fill(candidate.myDate);
      await form.getByLabel('Their day (I take)').fill(candidate.theirDate);
      await form.getByRole('button', { name: 'Ask for the swap' }).click();
      const refused = p.locator(`[data-testid="swap-refused"][data-for="${candidate.myDate}/${candidate.theirDate}"]`);
      await ui(async () => (await refused.count()) + (await p.locator('[data-testid="swap"][data-status="requested"]').count())).toBeGreaterThan(0);
      if ((await p.locator('[data-testid="swap"][data-status="requested"]').count()) > 0) {
        swap = candidate;
        break;
      }
      expect(await text(refused)).toMatch(/:/);
      await shot(p, 'swap-refused');
    }
    expect(swap).toBeDefined();
    await shot(p, 'swap-requested');

    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, agent2, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname === '/me', { timeout: UI_TIMEOUT_MS });
    const incoming = p.getByTestId('incoming-swap');
    await ui(() => text(incoming)).toContain(users.agent.name);
    await incoming.getByRole('button', { name: 'Accept' }).click();
    await p.locator('[data-testid="swap"][data-status="accepted"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await shot(p, 'swap-accepted');

    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.planner, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname === '/planning', { timeout: UI_TIMEOUT_MS });
    await openSchedules(p);
    const pending = p.getByTestId('pending-swap');
    await ui(() => text(pending)).toContain(agent2.name);
    await pending.getByRole('button', { name: /^Approve the swap/ }).click();
    await p.getByTestId('swaps-none').waitFor({ timeout: UI_TIMEOUT_MS });

    // The swap is a new published version; the one before is superseded, and the compare view shows the trade.
    await ui(() => voice().locator('[data-testid="version"][data-status="superseded"]').count()).toBe(1);
    await voice().locator('[data-testid="version"][data-status="published"]').click();
    const after = await pageQuery<SchedulesOverviewAnswer>(p, 'schedules.overview', { weekStart: thisMonday() });
    const newId = after.schedules.find((s) => s.groupId === voiceId && s.status === 'published')!.id;
    const diff = await pageQuery<{ changes: { agent: string; date: string }[] }>(p, 'schedules.diff', { fromId: publishedId, toId: newId });
    const compare = p.getByTestId('compare');
    await compare.getByTestId('compare-summary').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await text(compare.getByTestId('compare-summary'))).toMatch(new RegExp(`^${diff.changes.length} agent-day`));
    expect(diff.changes.length).toBe(swap!.changes);
    if (swap!.changes > 0) {
      expect(new Set(diff.changes.map((c) => c.date))).toEqual(new Set([swap!.myDate, swap!.theirDate]));
      await ui(() => compare.getByTestId('compare-changes').locator('tbody tr').count()).toBe(swap!.changes);
      expect(await text(compare.getByTestId('compare-changes'))).toContain(agent2.name);
    }
    await compare.scrollIntoViewIfNeeded();
    await shot(p, 'swap-approved-compare');
  });
});

interface SetupAnswer {
  templates: {
    id: string;
    name: string;
    lengthMin: number;
    active: boolean;
    breaks: { kind: string; lengthMin: number; earliestOffsetMin: number; latestOffsetMin: number; paid: boolean }[];
  }[];
  contracts: { name: string }[];
  rules: { agentId: string; contractId: string; timezone: string | null; preferredStartFrom: number | null; preferredStartTo: number | null }[];
  agents: { id: string; key: string; name: string }[];
}

async function openSetup(p: Page): Promise<void> {
  await followLink(p, p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedules' }), '/planning/schedules', UI_TIMEOUT_MS);
  await followLink(p, p.getByRole('link', { name: /^Setup/ }), '/planning/schedules/setup', UI_TIMEOUT_MS);
  await p.getByRole('radiogroup', { name: 'Section' }).waitFor({ timeout: UI_TIMEOUT_MS });
}

describe('schedule setup', () => {
  const fullDay = 'Full day 8h30';
  const firstAgent = demoCenter.agents[0]!;

  it('the planner moves a break window, is refused a contract no week can honour, and moves an agent’s preferred start', async () => {
    const p = page();
    await browser!.context.clearCookies();
    await p.setViewportSize({ width: 1280, height: 720 });
    expect(await signInThroughForm(p, url, users.planner, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname === '/planning', { timeout: UI_TIMEOUT_MS });
    await openSetup(p);
    expect(await p.getByTestId('read-only').count()).toBe(0);
    const before = await pageQuery<SetupAnswer>(p, 'schedules.setup.get', undefined);

    // A shift template's first break may start a quarter of an hour later; the paid hours follow the paid flags live.
    const template = before.templates.find((t) => t.name === fullDay)!;
    const first = template.breaks[0]!;
    const latest = first.latestOffsetMin + 15;
    const lunch = template.breaks.findIndex((b) => !b.paid);
    const unpaid = template.breaks.filter((b) => !b.paid).reduce((sum, b) => sum + b.lengthMin, 0);
    await p.getByRole('radio', { name: 'Shift templates' }).click();
    await p.getByRole('button', { name: `Edit ${fullDay}` }).click();
    const editor = p.getByRole('form', { name: 'Shift template' });
    const paidHours = editor.getByTestId('template-paid-hours');
    expect(await text(paidHours)).toMatch(new RegExp(`^Paid ${(template.lengthMin - unpaid) / 60} h a shift`));
    await editor.getByLabel(`Break ${lunch + 1} paid`).check();
    expect(await text(paidHours)).toMatch(new RegExp(`^Paid ${template.lengthMin / 60} h a shift`));
    await editor.getByLabel(`Break ${lunch + 1} paid`).uncheck();
    await editor.getByLabel('Break 1 latest offset (min)').fill(String(latest));
    await editor.getByRole('button', { name: 'Save template' }).click();
    await ui(() => editor.count()).toBe(0);
    const breakWindow = `${first.earliestOffsetMin}–${latest} min in`;
    const row = p.locator(`[data-testid="setup-template"][data-name="${fullDay}"]`);
    await ui(() => text(row.getByTestId('template-breaks'))).toContain(breakWindow);
    await p.reload();
    await p.getByRole('radio', { name: 'Shift templates' }).click();
    await ui(() => text(row.getByTestId('template-breaks'))).toContain(breakWindow);
    const saved = await pageQuery<SetupAnswer>(p, 'schedules.setup.get', undefined);
    expect(saved.templates.find((t) => t.id === template.id)!.breaks).toEqual([{ ...first, latestOffsetMin: latest }, ...template.breaks.slice(1)]);

    // 45 h in five days is more than the longest shift can give: the API says so, and the form keeps what was typed.
    const longest = Math.max(
      ...saved.templates.filter((t) => t.active).map((t) => t.lengthMin - t.breaks.filter((b) => !b.paid).reduce((sum, b) => sum + b.lengthMin, 0)),
    );
    await p.getByRole('radio', { name: 'Contracts' }).click();
    await p.getByRole('button', { name: 'Add a contract' }).click();
    const contract = p.getByRole('form', { name: 'Contract' });
    await contract.getByLabel('Name', { exact: true }).fill('Long weeks');
    await contract.getByLabel('Min paid hours a week').fill('45');
    await contract.getByLabel('Max paid hours a week').fill('48');
    await contract.getByLabel('Days off a week', { exact: true }).fill('2');
    await contract.getByRole('button', { name: 'Save contract' }).click();
    await ui(() => text(contract.getByTestId('contract-error'))).toBe(
      `minimum hours: 45 h cannot be reached in 5 working days of at most ${longest / 60} paid hours (the longest shift template)`,
    );
    expect(await contract.getByLabel('Min paid hours a week').inputValue()).toBe('45');
    expect(await contract.getByLabel('Name', { exact: true }).inputValue()).toBe('Long weeks');
    expect((await pageQuery<SetupAnswer>(p, 'schedules.setup.get', undefined)).contracts.map((c) => c.name)).not.toContain('Long weeks');

    // One agent's preferred start band, found with the filter and opened from the keyboard.
    const agentId = saved.agents.find((a) => a.key === firstAgent.id)!.id;
    const rules = saved.rules.find((r) => r.agentId === agentId)!;
    const [from, to] = rules.preferredStartFrom === 10 * 60 ? ['11:00', '12:00'] : ['10:00', '11:00'];
    await p.getByRole('radio', { name: 'Agents’ rules' }).click();
    const filter = p.getByLabel('Filter agents');
    await filter.fill(firstAgent.display_name);
    const agentRow = p.locator(`[data-testid="agent-rules"][data-agent="${firstAgent.id}"]`);
    await ui(() => p.getByTestId('agent-rules').count()).toBe(1);
    await filter.press('ArrowDown');
    await p.keyboard.press('Enter');
    const panel = p.getByRole('form', { name: `Rules of ${firstAgent.display_name}` });
    await panel.getByLabel('Preferred start from').fill(from);
    await panel.getByLabel('Preferred start to').fill(to);
    await panel.getByRole('button', { name: 'Save rules' }).click();
    await ui(() => panel.count()).toBe(0);
    await ui(() => text(agentRow.getByTestId('agent-start-band'))).toBe(`${from}–${to}`);
    const after = (await pageQuery<SetupAnswer>(p, 'schedules.setup.get', undefined)).rules.find((r) => r.agentId === agentId)!;
    const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));
    expect(after).toEqual({
      ...rules,
      preferredStartFrom: minutes(from),
      preferredStartTo: minutes(to),
      updatedBy: expect.any(String),
      updatedAt: expect.any(String),
    });

    // The whole table again, with the agent's rules open as saved.
    await filter.fill('');
    await ui(() => p.getByTestId('agent-rules').count()).toBe(saved.agents.length);
    await agentRow.getByRole('button', { name: `Edit the rules of ${firstAgent.display_name}` }).click();
    expect(await panel.getByLabel('Preferred start from').inputValue()).toBe(from);
    await shot(p, 'schedule-setup');
  });

  it('a supervisor reads the setup without a way to change it', async () => {
    const p = page();
    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.supervisor, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname === '/wallboard', { timeout: UI_TIMEOUT_MS });
    await openSetup(p);
    await p.getByTestId('read-only').waitFor({ timeout: UI_TIMEOUT_MS });
    await p.getByRole('radio', { name: 'Shift templates' }).click();
    expect(await p.getByRole('button', { name: 'Add a shift template' }).count()).toBe(0);
    await p.getByRole('button', { name: `View ${fullDay}` }).click();
    const editor = p.getByRole('form', { name: 'Shift template' });
    expect(await editor.getByLabel('Break 1 latest offset (min)').isDisabled()).toBe(true);
    expect(await editor.getByRole('button', { name: /^Save/ }).count()).toBe(0);
    await p.getByRole('radio', { name: 'Agents’ rules' }).click();
    await p.getByTestId('agent-rules').first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await p.getByRole('button', { name: /^Edit the rules/ }).count()).toBe(0);
  });
});

it('no page threw an uncaught error', () => {
  expect(pageErrors).toEqual([]);
});
