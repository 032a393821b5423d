import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, ensureMember, SIGN_IN_LIMIT } from '@switchboard/api';
import type { TelemetryEvent } from '@switchboard/contracts';
import {
  createApiKey,
  createCoachingAssignments,
  createDb,
  getDirectory,
  migrateDb,
  moveCoachingAssignment,
  saveCoachingRule,
  setDesktopFrameAncestors,
  seedSchedulingDefaults,
  seedTenant,
  type Db,
} from '@switchboard/db';
import { standardForm } from '@switchboard/quality';
import { demoCenter } from '@switchboard/simulator';
import { followLink, launchChromium, pageQuery, screenshot, SignInPacer, signInThroughForm, type Browser } from './support/browser.ts';
import { postAll } from './support/events.ts';
import { answeredEvent, FRUSTRATED_CUSTOMER, segmentEvent } from './support/live-call.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

/**
 * The coaching screens as people use them: a tenant with a tip waiting for an agent and three measured hold-rate
 * assignments (seeded into the data directory before the host starts: the host runs without Temporal here, so no
 * coaching run moves anything), the real host process with the built pages, ingest for a live call, and Chromium.
 * The agent reads the tip on their desktop panel, gets a nudge during a call without the panel jumping and
 * acknowledges from the keyboard; the supervisor follows the assignment's timeline, reads which coaching works and
 * adds a rule.
 */

const UI_TIMEOUT_MS = 30_000;
const MIN = 60_000;
const DAY = 86_400_000;
const team = demoCenter.teams[0]!;
const teamAgents = demoCenter.agents.filter((a) => a.team_id === team.id);
type Agent = (typeof teamAgents)[number];
const [a1, a2, a3] = teamAgents as [Agent, Agent, Agent, ...Agent[]];
const now = Date.now();
const at = (ms: number) => new Date(now + ms);

const greetingText = standardForm.sections[0]!.questions.find((q) => q.id === 'greeting')!.text;
const tip = {
  headline: `Greeting: "${greetingText}" was a "no" in 3 of your last 4 evaluations`,
  body: 'Open with your name and the bank’s: customers relax when they know who they talk to.',
  guidance: 'Say who you are and where they have reached in your first turn, before asking how you can help.',
  ownLines: [],
  example: "Good morning, you're through to [name] at [name].",
};
const nudgeMessage = 'The customer sounds frustrated: acknowledge it before moving on.';

const dataDir = tempDataDir('coaching-browser');
const secret = randomBytes(32).toString('hex');
const users = {
  supervisor: { email: 'supervisor@coaching.test', password: randomBytes(12).toString('hex') },
  agent: { email: 'agent@coaching.test', password: randomBytes(12).toString('hex') },
  colleague: { email: 'colleague@coaching.test', password: randomBytes(12).toString('hex') },
};
let host: SpawnedHost | undefined;
let browser: Browser | undefined;
let url = '';
let apiKey = '';
let embedKey = '';
/** Two other sites (localhost, where the host is 127.0.0.1): the CRM the tenant allows to frame the panel, and one it does not. */
const framers = { allowed: 0, refused: 0 };
let framerServer: Server | undefined;
const pacer = new SignInPacer(SIGN_IN_LIMIT);
const pageErrors: string[] = [];

const page = (): Page => browser!.page;
const ui = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout });
const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** A measured outcome as the coaching run stores it (`effectOf`: a CoachingEffect with its metric); a fall in hold rate improves. */
function holdRateOutcome(outcome: 'improved' | 'no_change', estimate: number, low: number, high: number) {
  const comparisonChange = -0.01;
  return {
    outcome,
    estimate,
    low,
    high,
    confidence: 0.9,
    coachedAgents: 1,
    comparisonAgents: 5,
    excluded: { coached: 0, comparison: 0 },
    coachedChange: estimate + comparisonChange,
    comparisonChange,
    metric: 'hold_rate',
  };
}

/** A hold-rate assignment made five weeks ago, acknowledged, measured over two weeks and closed with `outcome`. */
async function closedHoldRate(
  db: Db,
  tenantId: string,
  ruleId: string,
  coachUserId: string,
  agentId: string,
  outcome: ReturnType<typeof holdRateOutcome>,
): Promise<void> {
  const made = at(-35 * DAY);
  const [row] = await createCoachingAssignments(
    db,
    tenantId,
    null,
    [
      {
        agentId,
        ruleId,
        ruleName: 'Hold rate',
        target: { type: 'metric', metric: 'hold_rate' },
        evidence: {
          kind: 'kpi',
          weeks: [
            { weekStart: '2026-10-19', value: 0.41, threshold: 0.32 },
            { weekStart: '2026-10-26', value: 0.38, threshold: 0.31 },
          ],
        },
        tip: { headline: 'Hold rate', body: 'Ask before a hold, and come back within a minute.', guidance: null, ownLines: [], example: null },
        sessionMinutes: null,
        measureWeeks: 2,
        coachUserId,
        dueAt: new Date(made.getTime() + 7 * DAY),
      },
    ],
    made,
  );
  const id = row!.id;
  const step = async (from: 'delivered' | 'acknowledged' | 'measuring', atMs: number, set: object, kind: string, detail: object = {}) => {
    const moved = await moveCoachingAssignment(db, tenantId, { id, from: [from], set, event: { at: new Date(atMs), kind, detail } });
    if (!moved) throw new Error(`the seed could not move ${id} from ${from} (${kind})`);
  };
  const t = made.getTime();
  await step('delivered', t + MIN, { deliveredAt: new Date(t + MIN) }, 'delivered');
  await step('delivered', t + DAY, { status: 'acknowledged', acknowledgedAt: new Date(t + DAY) }, 'acknowledged');
  const from = new Date(t + DAY);
  const until = new Date(t + 15 * DAY);
  await step('acknowledged', from.getTime(), { status: 'measuring', measureFrom: from, measureUntil: until }, 'measuring', { until: until.toISOString() });
  await step('measuring', until.getTime(), { status: 'closed', closedAt: until, outcome }, 'closed', { outcome: outcome.outcome });
}

/** The tenant, its members, two rules, the agent's delivered tip and three closed hold-rate assignments, written before the host owns the directory. */
async function seed(): Promise<void> {
  const handle = await createDb({ dataDir });
  try {
    await migrateDb(handle);
    const db = handle.db;
    const tenantId = await seedTenant(db, { slug: 'coaching', name: 'Coaching Center', config: demoCenter });
    apiKey = (await createApiKey(db, tenantId, 'browser test')).key;
    embedKey = (await createApiKey(db, tenantId, 'crm', { scopes: ['desktop:embed'] })).key;
    await setDesktopFrameAncestors(db, tenantId, null, [`http://localhost:${framers.allowed}`]);
    const auth = createAuth({ db, secret, baseURL: 'http://127.0.0.1', trustedOrigins: [], clientIpHeader: 'x-unused' });
    const supervisorId = await ensureMember(auth, db, { ...users.supervisor, name: 'Sam Supervisor', role: 'supervisor', tenantId, teamKeys: [team.id] });
    await ensureMember(auth, db, { ...users.agent, name: 'Alex Agent', role: 'agent', tenantId, agentKey: a1.id });
    await ensureMember(auth, db, { ...users.colleague, name: 'Casey Colleague', role: 'agent', tenantId, agentKey: a2.id });
    await seedSchedulingDefaults(db, tenantId);
    const directory = (await getDirectory(db, tenantId))!;
    const idOf = (key: string) => directory.agents.find((a) => a.key === key)!.id;

    const greeting = await saveCoachingRule(db, tenantId, supervisorId, {
      name: 'Greeting',
      enabled: true,
      condition: { kind: 'quality_question', questionId: 'greeting', failedAtLeast: 2, ofLast: 4 },
      tip: tip.body,
      session: { minutes: 30 },
      dueDays: 3,
      measureWeeks: 2,
    });
    const holdRate = await saveCoachingRule(db, tenantId, supervisorId, {
      name: 'Hold rate',
      enabled: true,
      condition: { kind: 'kpi', metric: 'hold_rate', comparator: 'above', threshold: { type: 'team_percentile', percentile: 90 }, forWeeks: 2 },
      tip: 'Ask before a hold, and come back within a minute.',
      session: null,
      dueDays: 7,
      measureWeeks: 2,
    });

    // The agent member's tip, made by the rule check two hours ago and delivered a minute later.
    const made = at(-120 * MIN);
    const [delivered] = await createCoachingAssignments(
      db,
      tenantId,
      null,
      [
        {
          agentId: idOf(a1.id),
          ruleId: greeting!.id,
          ruleName: 'Greeting',
          target: { type: 'question', questionId: 'greeting' },
          evidence: { kind: 'quality_question', evaluationIds: [randomUUID(), randomUUID(), randomUUID()] },
          tip,
          sessionMinutes: 30,
          measureWeeks: 2,
          coachUserId: supervisorId,
          dueAt: new Date(made.getTime() + 3 * DAY),
        },
      ],
      made,
    );
    const deliveredAt = at(-119 * MIN);
    await moveCoachingAssignment(db, tenantId, { id: delivered!.id, from: ['delivered'], set: { deliveredAt }, event: { at: deliveredAt, kind: 'delivered' } });

    // Measured: hold rate −5 pp and −3 pp against the comparison (improved), +1 pp (no clear change).
    await closedHoldRate(db, tenantId, holdRate!.id, supervisorId, idOf(a1.id), holdRateOutcome('improved', -0.05, -0.08, -0.02));
    await closedHoldRate(db, tenantId, holdRate!.id, supervisorId, idOf(a2.id), holdRateOutcome('improved', -0.03, -0.05, -0.01));
    await closedHoldRate(db, tenantId, holdRate!.id, supervisorId, idOf(a3.id), holdRateOutcome('no_change', 0.01, -0.02, 0.03));
  } finally {
    await handle.close();
  }
}

/** A call answered by the agent a minute ago: their greeting, then a frustrated customer. */
function frustratedCall(interactionId: string, agentKey: string): TelemetryEvent[] {
  const answeredAt = Date.now() - MIN;
  return [
    answeredEvent(interactionId, agentKey, answeredAt),
    segmentEvent(interactionId, agentKey, answeredAt, 0, 'agent', "Good morning, you're through to Sam, how can I help?"),
    segmentEvent(interactionId, agentKey, answeredAt, 1, 'customer', FRUSTRATED_CUSTOMER),
  ];
}

/**
 * The embedding app on both framer ports: its server asks Switchboard for the agent's one-time panel token with its
 * `desktop:embed` key on every page load, as a CRM would, and frames the panel with it.
 */
async function serveFramer(): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      const minted = await fetch(`${url}/api/v1/desktop/embed-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${embedKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ agent: a1.id }),
      });
      const { path: framePath } = (await minted.json()) as { path: string };
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>CRM</title><h1>CRM</h1><iframe id="panel" title="Switchboard" src="${url}${framePath}" width="380" height="720"></iframe>`,
      );
    })().catch(() => res.writeHead(500).end());
  });
  // One server, two ports: which origin it is seen from is all that differs.
  await new Promise<void>((resolve) => server.listen(framers.allowed, resolve));
  const second = createServer((req, res) => server.emit('request', req, res));
  await new Promise<void>((resolve) => second.listen(framers.refused, resolve));
  server.on('close', () => second.close());
  return server;
}

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npx turbo run build --filter=@switchboard/web` (or `bash scripts/setup.sh`) first');
  }
  framers.allowed = await freePort();
  framers.refused = await freePort();
  await seed();
  framerServer = await serveFramer();
  host = spawnHost(dataDir, await freePort(), { SWITCHBOARD_WEB: '1', SWITCHBOARD_SEED_DEMO: '0', BETTER_AUTH_SECRET: secret });
  await waitReady(host);
  url = host.url;
  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
}, 300_000);

afterAll(async () => {
  framerServer?.close();
  await browser?.close();
  if (host) await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

interface MyAssignment {
  id: string;
  status: string;
  ruleName: string;
}

describe('the agent', () => {
  it('reads the tip on the desktop panel, gets a nudge during a call without the panel moving, and acknowledges from the keyboard', async () => {
    const p = page();
    await p.setViewportSize({ width: 400, height: 800 });
    expect(await signInThroughForm(p, url, users.agent, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    await p.goto(`${url}/desktop`);
    const panel = p.getByTestId('desktop-panel');
    await panel.waitFor({ timeout: UI_TIMEOUT_MS });
    const connection = p.getByTestId('desktop-connection');
    await ui(() => connection.getAttribute('data-state')).toBe('live');
    expect(await text(connection)).toBe('live');

    // The seeded tip, open, with the anonymised example; the closed hold-rate coaching folded with how it ended.
    const area = p.getByTestId('desktop-assignments');
    const tipItem = area.getByTestId('assignment').filter({ hasText: tip.headline });
    await ui(() => tipItem.count()).toBe(1);
    expect(await tipItem.getAttribute('data-status')).toBe('delivered');
    expect(await text(tipItem.locator('strong'))).toBe(tip.headline);
    expect(await text(tipItem.locator('blockquote'))).toBe(tip.example);
    expect(await text(tipItem)).toContain(tip.body);
    const closed = area.locator('[data-testid="assignment"][data-status="closed"]');
    expect(await closed.count()).toBe(1);
    expect(await closed.textContent()).toContain('Your hold rate improved (−5.0 pp)');
    // Their own coaching only: the colleague's and the third agent's closed assignments are not here.
    const mine = await pageQuery<MyAssignment[]>(p, 'coaching.mine', undefined);
    expect(mine.map((a) => [a.ruleName, a.status])).toEqual([
      ['Greeting', 'delivered'],
      ['Hold rate', 'closed'],
    ]);

    // Everything above the assignments has loaded before the nudge comes: only the nudge could move them now.
    await ui(() => text(p.getByTestId('desktop-next-activity'))).not.toMatch(/Loading/);
    await ui(() => text(p.getByTestId('desktop-adherence'))).not.toMatch(/Loading/);
    expect(await p.getByTestId('nudge').count()).toBe(0);
    const topBefore = (await area.boundingBox())!.y;
    await p.evaluate('window.notReloaded = true');

    const interactionId = `coaching-${randomUUID()}`;
    await postAll(url, apiKey, frustratedCall(interactionId, a1.id));
    const nudge = p.getByTestId('nudges').getByTestId('nudge');
    await ui(() => nudge.count()).toBe(1);
    expect(await nudge.getAttribute('data-nudge-id')).toBe(`${interactionId}:empathy:segment-1`);
    expect(await nudge.getAttribute('data-kind')).toBe('empathy');
    expect(await text(nudge)).toContain(nudgeMessage);
    // Pushed into the open page, not shown by a reload; the nudge filled its reserved slot: nothing below it moved.
    expect(await p.evaluate<boolean>('window.notReloaded === true')).toBe(true);
    expect((await area.boundingBox())!.y).toBe(topBefore);
    // A second call's nudge goes on top in the next reserved slot (the first only replaced the placeholder line): still no jump.
    const secondId = `coaching-${randomUUID()}`;
    await postAll(url, apiKey, frustratedCall(secondId, a1.id));
    await ui(() => nudge.count()).toBe(2);
    expect(await nudge.evaluateAll((items) => items.map((li) => li.getAttribute('data-nudge-id')))).toEqual([
      `${secondId}:empathy:segment-1`,
      `${interactionId}:empathy:segment-1`,
    ]);
    expect((await area.boundingBox())!.y).toBe(topBefore);

    // Acknowledged from the keyboard: focus the button and press Enter.
    const acknowledge = tipItem.getByRole('button', { name: 'Acknowledge' });
    await acknowledge.focus();
    expect(await acknowledge.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await p.keyboard.press('Enter');
    await ui(() => tipItem.getAttribute('data-status')).toBe('acknowledged');
    expect(await tipItem.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect((await pageQuery<MyAssignment[]>(p, 'coaching.mine', undefined))[0]!.status).toBe('acknowledged');
    await p.mouse.move(0, 0);
    await screenshot(p, 'desktop-panel');
    expect(pageErrors).toEqual([]);
  });
});

describe('the supervisor', () => {
  it('finds the assignments by status and follows the tip’s timeline: made, delivered, acknowledged', async () => {
    const p = page();
    await browser!.context.clearCookies();
    await p.setViewportSize({ width: 1280, height: 800 });
    expect(await signInThroughForm(p, url, users.supervisor, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    await followLink(p, p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coaching' }), '/coaching', UI_TIMEOUT_MS);
    const table = p.getByTestId('coaching-assignments');
    await table.waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => table.locator('tbody tr').count()).toBe(4);
    // The agent acknowledged in the test before; the three measured ones are closed.
    expect(await text(p.getByTestId('count-delivered'))).toBe('0');
    expect(await text(p.getByTestId('count-acknowledged'))).toBe('1');
    expect(await text(p.getByTestId('count-closed'))).toBe('3');
    expect(await text(p.getByTestId('count-overdue'))).toBe('0');

    const row = table.locator('tbody tr', { hasText: 'Greeting' });
    expect(await row.count()).toBe(1);
    await row.getByRole('button', { name: a1.display_name }).click();
    const detail = p.getByTestId('coaching-assignment');
    await ui(() => text(detail.getByRole('heading', { level: 2 }))).toBe(`${a1.display_name} · Greeting`);
    const timeline = detail.getByTestId('coaching-timeline').locator('li');
    await ui(() => timeline.count()).toBe(3);
    const steps = (await timeline.evaluateAll((items) => items.map((li) => li.querySelector('span')?.textContent ?? ''))).map((s) =>
      s.replace(/\s+/g, ' ').trim(),
    );
    expect(steps).toEqual([
      'Made by “Greeting” · the coaching run',
      'Tip delivered to the agent · the coaching run',
      `Acknowledged by the agent · ${a1.display_name}`,
    ]);
    const times = await timeline.locator('time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime') ?? '')));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(await text(detail)).toContain(`Guidance: ${tip.guidance}`);
    await p.mouse.move(0, 0);
    await screenshot(p, 'coaching-assignment');
  });

  it('reads which coaching works: hold rate, 3 assignments, 2 improved, a mean effect of −2.3 pp', async () => {
    const p = page();
    await p.getByRole('tab', { name: 'Effect' }).click();
    const table = p.getByTestId('coaching-effects');
    await table.waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => table.locator('tbody tr').count()).toBe(1);
    const cells = async () => (await table.locator('tbody tr').first().locator('td').allTextContents()).map((c) => c.trim());
    // Rule, target, assignments, improved, mean effect: (−5 − 3 + 1) / 3 = −2.33 pp.
    expect((await cells()).slice(0, 5)).toEqual(['Hold rate', 'Hold rate', '3', '2 (67%)', '−2.3 pp']);
    expect((await cells())[6]).toBe('lower');
    expect(await text(p.getByTestId('coaching-measured'))).toContain('3');
    const effects = await pageQuery<{ byRule: { label: string; assignments: number; improved: number; meanEffect: number }[] }>(
      p,
      'coaching.effects',
      undefined,
    );
    expect(effects.byRule).toHaveLength(1);
    expect(effects.byRule[0]).toMatchObject({ label: 'Hold rate', assignments: 3, improved: 2 });
    expect(effects.byRule[0]!.meanEffect).toBeCloseTo(-0.07 / 3, 10);
    await p.mouse.move(0, 0);
    await screenshot(p, 'coaching-effects');

    // By coach: all three were the supervisor's.
    await p.getByRole('radio', { name: 'By coach' }).click();
    await ui(async () => (await cells()).slice(0, 5)).toEqual(['Sam Supervisor', 'Hold rate', '3', '2 (67%)', '−2.3 pp']);
  });

  it('adds a rule: a bad threshold is named beside its field first, then the rule is listed', async () => {
    const p = page();
    await p.getByRole('tab', { name: 'Rules' }).click();
    const rules = p.getByTestId('coaching-rules');
    await rules.waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => rules.locator('tbody tr td:first-child').allTextContents()).toEqual(['Greeting', 'Hold rate']);

    const form = p.getByTestId('coaching-rule-form');
    // A control inside its label: the label's name ends with the control's value, so labels are matched by their start.
    await form.getByLabel(/^Name/).fill('Long holds');
    await form.getByLabel(/^Condition/).selectOption('kpi');
    await form.getByLabel(/^KPI/).selectOption('hold_rate');
    // A hold rate is worse above: the comparator starts there.
    expect(await form.getByLabel(/^Is/).inputValue()).toBe('above');
    await form.getByLabel(/^Threshold/).selectOption('value');
    const value = form.getByLabel(/^Value \(%\)/);
    // Hold rate is holds per contact and may pass 100%, so the bad value here is a negative one.
    await value.fill('-5');
    await form.getByLabel(/^For \(weeks running\)/).fill('2');
    await form.getByLabel(/^Tip for the agent/).fill('Ask before you hold, and come back within a minute.');
    await form.getByRole('button', { name: 'Add rule' }).click();
    const problem = form.locator('#coaching-rule-problem-condition-threshold-value');
    await ui(() => text(problem)).toBe('a threshold of 0 or more');
    expect(await value.getAttribute('aria-invalid')).toBe('true');
    expect(await value.getAttribute('aria-describedby')).toBe('coaching-rule-problem-condition-threshold-value');
    // Nothing was saved.
    expect(await rules.locator('tbody tr').count()).toBe(2);

    await value.fill('30');
    await ui(() => text(problem)).toBe('');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await ui(() => rules.locator('tbody tr td:first-child').allTextContents()).toEqual(['Greeting', 'Hold rate', 'Long holds']);
    const added = (await rules.locator('tbody tr', { hasText: 'Long holds' }).locator('td').allTextContents()).map((c) => c.trim());
    expect(added.slice(0, 6)).toEqual(['Long holds', 'yes', 'Hold rate above 30.0% in each of the last 2 complete weeks', '30 min', '7 days after', '4 weeks']);
    expect(await text(form)).toContain('Saved “Long holds”.');
    const stored = (await pageQuery<{ name: string; condition: { threshold: { type: string; value?: number } } }[]>(p, 'coaching.rules', undefined)).find(
      (r) => r.name === 'Long holds',
    )!;
    expect(stored.condition.threshold.type).toBe('value');
    expect(stored.condition.threshold.value).toBeCloseTo(0.3, 10);
    // Saving left the page scrolled to the form: the sticky header would cover the list in a full-page shot.
    await p.evaluate('window.scrollTo(0, 0)');
    await p.mouse.move(0, 0);
    await screenshot(p, 'coaching-rules');
    expect(pageErrors).toEqual([]);
  });
});

describe('framing', () => {
  it('is refused to every other site: the panel and the coaching screen cannot be clickjacked', async () => {
    for (const path of ['/desktop', '/coaching', '/sign-in']) {
      const res = await fetch(`${url}${path}`, { redirect: 'manual' });
      expect(res.headers.get('content-security-policy'), path).toBe("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    // A foreign page framing the panel: Chromium refuses to render it, so the frame never holds the panel.
    const p = page();
    await p.goto('about:blank');
    await p.setContent(`<iframe id="framed" src="${url}/desktop" width="400" height="600"></iframe>`);
    const frame = await (await p.waitForSelector('#framed')).contentFrame();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await frame!.locator('[data-testid="desktop-panel"], [data-testid="desktop-signed-out"]').count()).toBe(0);
  });
});

describe('embedding', () => {
  it('opens the agent’s panel inside the app the tenant allows, by a one-time token, live; any other site gets nothing', async () => {
    const p = page();
    await p.setViewportSize({ width: 900, height: 800 });
    await p.goto(`http://localhost:${framers.allowed}/`);
    const frame = p.frameLocator('#panel');
    const panel = frame.getByTestId('desktop-panel');
    await panel.waitFor({ timeout: UI_TIMEOUT_MS });
    // Cross-site: no session cookie reaches the frame; the panel's bearer token does the work, the stream included.
    expect(await text(panel.locator('header strong'))).toBe(a1.display_name);
    await ui(() => frame.getByTestId('desktop-connection').getAttribute('data-state')).toBe('live');
    await ui(() => frame.getByTestId('assignment').count()).toBeGreaterThan(0);
    // The token left the frame's address as soon as it was read.
    const framed = p.frames().find((f) => f.url().startsWith(url))!;
    expect(framed.url()).toBe(`${url}/desktop/embed/coaching`);
    const interactionId = `embed-${randomUUID()}`;
    await postAll(url, apiKey, frustratedCall(interactionId, a1.id));
    await ui(() => frame.locator(`[data-testid="nudge"][data-nudge-id="${interactionId}:empathy:segment-1"]`).count()).toBe(1);
    await p.mouse.move(0, 0);
    await screenshot(p, 'desktop-embedded');

    // The same app on a port the tenant did not allow: Chromium refuses the frame (frame-ancestors), nothing renders.
    await p.goto(`http://localhost:${framers.refused}/`);
    const blocked = await (await p.waitForSelector('#panel')).contentFrame();
    await ui(() => Promise.resolve(blocked!.url())).toBe('chrome-error://chromewebdata/');
    expect(await blocked!.locator('[data-testid="desktop-panel"]').count()).toBe(0);

    // A panel link used a second time (copied from the frame, replayed) opens nothing.
    const minted = (await (
      await fetch(`${url}/api/v1/desktop/embed-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${embedKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ agent: a1.id }),
      })
    ).json()) as { path: string };
    await p.goto(`${url}${minted.path}`);
    await p.getByTestId('desktop-panel').waitFor({ timeout: UI_TIMEOUT_MS });
    await p.goto('about:blank');
    await p.goto(`${url}${minted.path}`);
    const refused = p.getByTestId('desktop-embed-refused');
    await refused.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await text(refused)).toMatch(/used already or has expired/);
    expect(pageErrors).toEqual([]);
  });
});
