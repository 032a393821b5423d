import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMIT } from '@switchboard/api';
import { scoreAnswers, standardForm } from '@switchboard/quality';
import { demoCenter } from '@switchboard/simulator';
import { followLink, launchChromium, screenshot, SignInPacer, signInThroughForm, type Browser, pageQuery } from './support/browser.ts';
import { parseCsvRecords } from './support/csv.ts';
import { postAll } from './support/events.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { labelledEvents, labelledTranscripts } from './support/quality.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';
import { findTemporalCli } from './support/temporal.ts';

/**
 * The analyst's quality loop as people use it: the real host with its built pages and its worker on a Temporal dev
 * server, whose evaluation Schedule scores labelled conversations sent through the ingest API. The analyst works
 * the review queue, follows an answer's evidence into the transcript, overrides one answer with a reason, accepts
 * the rest, finalizes and releases; trends drill to the evaluations behind them. A supervisor sees their teams'
 * agents only; an agent is kept out.
 */

type Role = 'admin' | 'supervisor' | 'planner' | 'analyst' | 'agent';
interface DemoUser {
  role: Role;
  email: string;
  password: string;
  name: string;
}

const UI_TIMEOUT_MS = 30_000;
/** Ticks every 30 s; on a busy two-core machine the first may come late. */
const EVALUATED_TIMEOUT_MS = 180_000;
const transcripts = labelledTranscripts('dev', 24);
/**
 * The supervisor's teams are the demo's first two; the third team's agents are outside their scope. The first agent
 * is the demo's agent member, who reads and disputes their evaluation.
 */
const inScope = demoCenter.agents.filter((a) => a.team_id === demoCenter.teams[0]!.id).slice(0, 3);
const outside = demoCenter.agents.filter((a) => a.team_id === demoCenter.teams[2]!.id).slice(0, 2);
const agentsUsed = [...inScope, ...outside];
const agentMember = demoCenter.agents[0]!;

const dataDir = tempDataDir('quality-browser');
let env: TestWorkflowEnvironment | undefined;
let host: SpawnedHost | undefined;
let browser: Browser | undefined;
let url = '';
let users: Record<Role, DemoUser>;
const pacer = new SignInPacer(SIGN_IN_LIMIT);
const pageErrors: string[] = [];
/** The interaction ids sent, by labelled id. */
const sent = new Map<string, string>();

const page = (): Page => browser!.page;
const ui = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout });

interface Summary {
  id: string;
  interactionId: string;
  agentKey: string;
  status: string;
}
interface View extends Summary {
  transcript: { text: string }[];
  sections: {
    questions: {
      id: string;
      critical: boolean;
      machineAnswer: string | null;
      finalAnswer: string | null;
      overrideReason: string | null;
      evidence: ({ segment_index: number; start: number; end: number } | { hold_index: number })[];
    }[];
  }[];
  preview: { score: number | null; failedCritical: boolean };
}

async function shot(p: Page, name: string): Promise<void> {
  await p.mouse.move(0, 0);
  await screenshot(p, name);
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
  });
  await waitReady(host);
  url = host.url;
  const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
  const list = JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')) as DemoUser[];
  users = Object.fromEntries(list.toReversed().map((u) => [u.role, u])) as Record<Role, DemoUser>;
  const events = transcripts.flatMap((t, n) => {
    const agent = agentsUsed[n % agentsUsed.length]!;
    const queue = demoCenter.queues.find((q) => q.channel === t.channel) ?? demoCenter.queues[0]!;
    const sentEvents = labelledEvents(t, { agentKey: agent.id, queueKey: queue.id, endedAgoMs: 60_000 });
    sent.set(t.interaction_id, (sentEvents[0] as { interaction_id: string }).interaction_id);
    return sentEvents;
  });
  await postAll(url, apiKey, events);
  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (host) await stopHost(host);
  await env?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The evaluation the analyst releases to the agent member. */
let releasedId = '';

describe('the analyst', () => {
  let evaluations: Summary[] = [];

  it('finds the evaluation Schedule has scored every conversation sent, and the unsure ones in the review queue', async () => {
    const p = page();
    expect(await signInThroughForm(p, url, users.analyst, pacer)).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    const ours = new Set(sent.values());
    await ui(async () => {
      evaluations = (await pageQuery<Summary[]>(p, 'quality.list', { limit: 1000 })).filter((e) => ours.has(e.interactionId));
      return evaluations.length;
    }, EVALUATED_TIMEOUT_MS).toBe(transcripts.length);

    await p.goto(`${url}/quality`);
    const queue = p.getByTestId('review-queue');
    await queue.waitFor({ timeout: UI_TIMEOUT_MS });
    const waiting = (await pageQuery<Summary[]>(p, 'quality.queue', {})).length;
    expect(waiting).toBeGreaterThan(0);
    await ui(() => queue.locator('tbody tr').count()).toBe(waiting);
    await shot(p, 'quality-review-queue');
  });

  it('follows an answer to its evidence, overrides one with a reason, accepts the rest, finalizes and releases', async () => {
    const p = page();
    // A conversation of the agent member whose greeting the rules answered from words in the transcript.
    const views = await Promise.all(
      evaluations.filter((e) => e.agentKey === agentMember.id).map((e) => pageQuery<View>(p, 'quality.get', { evaluationId: e.id })),
    );
    const view = views.find((v) => {
      const greeting = v.sections[0]!.questions.find((q) => q.id === 'greeting');
      return greeting?.evidence.some((e) => 'segment_index' in e) && ['in_review', 'scored'].includes(v.status);
    })!;
    releasedId = view.id;
    expect(view, 'an evaluation in review with greeting evidence').toBeDefined();
    const questions = view.sections.flatMap((s) => s.questions);
    const greeting = questions.find((q) => q.id === 'greeting')!;
    const cited = greeting.evidence.find((e) => 'segment_index' in e) as { segment_index: number; start: number; end: number };

    await p.goto(`${url}/quality/evaluations/${view.id}`);
    const greetingCard = p.getByTestId('answer-greeting');
    await greetingCard.waitFor({ timeout: UI_TIMEOUT_MS });
    await greetingCard.getByRole('list', { name: 'Evidence' }).getByRole('button').first().click();
    // The cited words are highlighted in their turn, and that turn is scrolled into view.
    const turn = p.locator(`#segment-${cited.segment_index}`);
    await ui(async () => (await turn.locator('mark[class*="cited"]').allTextContents()).join('')).toContain(
      view.transcript[cited.segment_index]!.text.slice(cited.start, cited.end),
    );
    await ui(() =>
      turn.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= el.ownerDocument.documentElement.clientHeight;
      }),
    ).toBe(true);
    await shot(p, 'quality-evaluation-evidence');

    // Override the closing answer: the button waits for a reason.
    const closing = questions.find((q) => q.id === 'closing')!;
    const other = closing.machineAnswer === 'yes' ? 'No' : 'Yes';
    const card = p.getByTestId('answer-closing');
    await card.getByRole('radio', { name: other, exact: true }).click();
    const override = card.getByRole('button', { name: 'Override' });
    expect(await override.isDisabled()).toBe(true);
    await card.getByLabel('Reason for the override').fill('offered more help but did not say goodbye');
    await override.click();
    await ui(() => card.getByTestId('final-answer').textContent()).toContain('overridden: offered more help but did not say goodbye');

    // Accept every answer still open, then finalize and release.
    const open = () => p.locator('article[data-final=""]');
    while ((await open().count()) > 0) {
      const before = await open().count();
      await open()
        .first()
        .getByRole('button', { name: /Accept|Save/ })
        .click();
      await ui(() => open().count()).toBe(before - 1);
    }
    await ui(() => p.getByTestId('open-answers').textContent()).toBe('Every question is answered.');
    await p.getByRole('button', { name: 'Finalize and release to agent' }).click();
    await ui(() => p.getByTestId('evaluation-status').textContent()).toBe('Released');

    const released = await pageQuery<View>(p, 'quality.get', { evaluationId: view.id });
    expect(released.status).toBe('released');
    const finalClosing = released.sections.flatMap((s) => s.questions).find((q) => q.id === 'closing')!;
    expect(finalClosing).toMatchObject({
      machineAnswer: closing.machineAnswer,
      finalAnswer: other.toLowerCase(),
      overrideReason: 'offered more help but did not say goodbye',
    });
    for (const q of released.sections.flatMap((s) => s.questions)) expect(q.finalAnswer, q.id).not.toBeNull();
    const summary = (await pageQuery<Summary[]>(p, 'quality.list', { status: 'released' })).find((e) => e.id === view.id) as Summary & { score: number | null };
    expect(summary.score).toBe(released.preview.score);
    expect(await p.getByRole('button', { name: 'Override' }).count()).toBe(0);
  });

  it('reads trends and drills from the question failed most to the evaluations that failed it', async () => {
    const p = page();
    await p.goto(`${url}/quality?view=trends`);
    const failed = p.getByTestId('failed-questions');
    await failed.waitFor({ timeout: UI_TIMEOUT_MS });
    await p.getByTestId('score-chart').getByRole('application').waitFor({ timeout: UI_TIMEOUT_MS });
    await shot(p, 'quality-trends');
    const trends = await pageQuery<{ questions: { id: string; failed: number }[] }>(p, 'quality.trends', { weeks: 8, by: 'team' });
    const worst = trends.questions[0]!;
    expect(worst.failed).toBeGreaterThan(0);
    await followLink(
      p,
      failed.getByRole('link').first(),
      (u) => u.searchParams.get('view') === 'evaluations' && u.searchParams.get('question') === worst.id,
      UI_TIMEOUT_MS,
    );
    const table = p.getByTestId('evaluations');
    await table.waitFor({ timeout: UI_TIMEOUT_MS });
    const behind = await pageQuery<Summary[]>(p, 'quality.list', { question: worst.id });
    expect(behind.length).toBe(Math.min(worst.failed, 200));
    await ui(() => table.locator('tbody tr').count()).toBe(behind.length);

    // The list exports whole, as CSV: one record per evaluation behind the drill, with its score.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Export evaluations as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('evaluations.csv');
    const csv = parseCsvRecords(readFileSync(await download.path(), 'utf8'));
    expect(csv.header).toEqual(expect.arrayContaining(['evaluation_id', 'agent', 'status', 'score', 'failed_critical']));
    expect(new Set(csv.records.map((r) => r.evaluation_id))).toEqual(new Set(behind.map((e) => e.id)));
    const scored = behind.find((e) => (e as Summary & { score: number | null }).score !== null) as Summary & { score: number };
    expect(Number(csv.records.find((r) => r.evaluation_id === scored.id)!.score)).toBeCloseTo(scored.score, 6);
  });

  it('writes a plan in the editor: a form that does not exist is refused with its name, a good one saved and edited', async () => {
    const p = page();
    await p.goto(`${url}/quality?view=plans`);
    const plans = p.getByTestId('plans');
    await plans.waitFor({ timeout: UI_TIMEOUT_MS });
    await p.getByRole('button', { name: 'New plan' }).click();
    const editor = p.getByRole('form', { name: 'Evaluation plan' });
    await editor.getByLabel('Key').fill('first-queue-transfers');
    await editor.getByLabel('Name').fill('Transfers of the first queue');
    await editor.getByLabel('Form').fill('no-such-form');
    await editor.getByLabel('Random share (%)').fill('5');
    await editor.getByRole('checkbox', { name: /took longer than 90%/ }).uncheck();
    await editor.getByRole('checkbox', { name: /got a survey CSAT/ }).uncheck();
    const queues = editor.getByRole('group', { name: 'Queues (none picked: all)' });
    await queues.getByRole('checkbox').first().waitFor({ timeout: UI_TIMEOUT_MS });
    const queueName = (await queues.locator('li').first().innerText()).trim();
    await queues.getByRole('checkbox').first().check();
    // Inactive: the evaluation Schedule of the tests after this one is not to see it.
    await editor.getByRole('checkbox', { name: 'Active' }).uncheck();
    await editor.getByRole('button', { name: 'Save plan' }).click();
    await ui(() => editor.getByRole('alert').textContent()).toContain('there is no form "no-such-form"');
    const saved = () =>
      pageQuery<{ key: string; queues: string[]; reviewPercent: number; targets: Record<string, unknown>; active: boolean; formKey: string }[]>(
        p,
        'quality.plans.list',
        {},
      );
    expect((await saved()).map((plan) => plan.key)).not.toContain('first-queue-transfers');

    await editor.getByLabel('Form').fill('standard');
    await editor.getByRole('button', { name: 'Save plan' }).click();
    await editor.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    const row = plans.locator('tbody tr', { hasText: 'Transfers of the first queue' });
    await ui(() => row.innerText()).toContain('5%');
    expect(await row.innerText()).toContain(queueName);
    const plan = (await saved()).find((x) => x.key === 'first-queue-transfers')!;
    expect(plan).toMatchObject({ formKey: 'standard', queues: [queueName], reviewPercent: 5, active: false, targets: { transfer: true, endedOnHold: true } });
    expect(plan.targets.ahtAboveP90).toBeUndefined();
    expect(plan.targets.csatAtMost).toBeUndefined();
    await shot(p, 'quality-plans');

    // Editing keeps the key (it names the plan in every evaluation made under it).
    await row.getByRole('button', { name: 'Edit' }).click();
    expect(await editor.getByLabel('Key').isDisabled()).toBe(true);
    await editor.getByLabel('Random share (%)').fill('7.5');
    await editor.getByRole('button', { name: 'Save plan' }).click();
    await ui(() => row.innerText()).toContain('7.5%');
    expect((await saved()).find((x) => x.key === 'first-queue-transfers')!.reviewPercent).toBe(7.5);
  });
});

describe('disputes', () => {
  it('the agent reads the released evaluation with its evidence, acknowledges it and disputes one answer', async () => {
    const p = page();
    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.agent, pacer)).toBe(200);
    await p.goto(`${url}/me`);
    const mine = p.getByTestId('my-evaluations');
    await mine.waitFor({ timeout: UI_TIMEOUT_MS });
    await followLink(p, mine.getByRole('link').first(), `/me/evaluations/${releasedId}`, UI_TIMEOUT_MS);
    // The summary's button: /me, left behind, offers to acknowledge the schedule too until the new page replaces it.
    const summary = p.getByTestId('evaluation-summary');
    await summary.waitFor({ timeout: UI_TIMEOUT_MS });
    await summary.getByRole('button', { name: 'Acknowledge' }).click();
    await p.getByTestId('acknowledged').waitFor({ timeout: UI_TIMEOUT_MS });
    // Review controls are the analyst's: the agent has none.
    expect(await p.getByRole('button', { name: /Accept|Override|Finalize/ }).count()).toBe(0);

    const card = p.getByTestId('answer-greeting');
    await card.getByRole('button', { name: 'Dispute this answer' }).click();
    await card.getByLabel('What you disagree with').fill('I gave my name in the first line');
    await card.getByRole('button', { name: 'Send dispute' }).click();
    await p.getByTestId('dispute-greeting').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await p.getByTestId('dispute-greeting').getAttribute('data-status')).toBe('open');
    await ui(() => p.getByTestId('evaluation-status').textContent()).toBe('Disputed');
    // A question answered N/A offers no dispute.
    const view = await pageQuery<View>(p, 'quality.get', { evaluationId: releasedId });
    const na = view.sections.flatMap((s) => s.questions).find((q) => q.finalAnswer === 'na');
    if (na) expect(await p.getByTestId(`answer-${na.id}`).getByRole('button', { name: 'Dispute this answer' }).count()).toBe(0);
    await shot(p, 'quality-dispute');
  });

  it('the quality lead finds it among the open disputes, changes the answer with a note, and the score follows', async () => {
    const p = page();
    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.analyst, pacer)).toBe(200);
    await p.goto(`${url}/quality?view=disputes`);
    const table = p.getByTestId('disputes');
    await table.waitFor({ timeout: UI_TIMEOUT_MS });
    await followLink(p, table.getByRole('link').first(), `/quality/evaluations/${releasedId}`, UI_TIMEOUT_MS);
    const before = await pageQuery<View>(p, 'quality.get', { evaluationId: releasedId });
    const greeting = before.sections.flatMap((s) => s.questions).find((q) => q.id === 'greeting')!;
    const other = greeting.finalAnswer === 'yes' ? 'No' : 'Yes';
    const decide = p.getByRole('form', { name: 'Decide the dispute of Greeting' });
    await decide.getByRole('radio', { name: `Change to ${other}` }).click();
    await decide.getByLabel('Note for the agent').fill('listened again: the name came in the third turn');
    await decide.getByRole('button', { name: 'Decide' }).click();
    await ui(() => p.getByTestId('dispute-decision').textContent()).toContain('listened again');
    await ui(() => p.getByTestId('evaluation-status').textContent()).toBe('Released');
    const after = await pageQuery<View>(p, 'quality.get', { evaluationId: releasedId });
    expect(after.sections.flatMap((s) => s.questions).find((q) => q.id === 'greeting')!.finalAnswer).toBe(other.toLowerCase());
    const answers = new Map(after.sections.flatMap((s) => s.questions).map((q) => [q.id, q.finalAnswer!] as const));
    const { score, failedCritical } = scoreAnswers(standardForm, answers);
    expect(after.preview).toEqual({ score, failedCritical });
    const listed = (await pageQuery<(Summary & { score: number | null })[]>(p, 'quality.list', { status: 'released' })).find((e) => e.id === releasedId)!;
    expect(listed.score).toBe(score);
    await shot(p, 'quality-dispute-decided');
  });
});

describe('calibration', () => {
  it('a lead runs a session with a supervisor: blind answers, hand-in, close, agreement and distance from the lead', async () => {
    const p = page();
    await p.goto(`${url}/quality?view=calibration`);
    const form = p.getByRole('form', { name: 'New calibration session' });
    await form.waitFor({ timeout: UI_TIMEOUT_MS });
    await form.getByLabel('Name').fill('Week 49 calls');
    const picks = form.locator('fieldset').first().getByRole('checkbox');
    await picks.nth(0).check();
    await picks.nth(1).check();
    await form
      .locator('fieldset')
      .nth(1)
      .getByRole('checkbox', { name: /Sam Supervisor/ })
      .check();
    await form.getByRole('button', { name: 'Start the session' }).click();
    const sessions = p.getByTestId('calibration-sessions');
    await followLink(p, sessions.getByRole('link', { name: 'Week 49 calls' }), (u) => u.pathname.startsWith('/quality/calibration/'), UI_TIMEOUT_MS);
    const sessionId = p.url().split('/').pop()!;

    /** Answers every question of both interactions: the first answer offered, or `closing` as given. */
    const answerAll = async (closing: 'Yes' | 'No') => {
      for (const n of [0, 1]) {
        const item = p.getByTestId(`calibration-item-${n}`);
        await item.waitFor({ timeout: UI_TIMEOUT_MS });
        const groups = item.getByRole('radiogroup');
        for (let i = 0; i < (await groups.count()); i++) {
          const group = groups.nth(i);
          const label = (await group.getAttribute('aria-label')) ?? '';
          await (label.startsWith('Closing') ? group.getByRole('radio', { name: closing, exact: true }) : group.getByRole('radio').first()).click();
        }
      }
      await p.getByRole('button', { name: 'Hand in' }).click();
      await p.getByText('Your answers are in.').waitFor({ timeout: UI_TIMEOUT_MS });
    };
    await answerAll('Yes');

    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.supervisor, pacer)).toBe(200);
    await p.goto(`${url}/quality/calibration/${sessionId}`);
    await answerAll('No');
    // Blind: while open the supervisor sees nobody's answers but their own.
    const open = await pageQuery<{ mine: unknown[]; results: unknown }>(p, 'quality.calibration.get', { sessionId });
    expect(open.results).toBeNull();
    expect(open.mine.length).toBe(16);

    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.analyst, pacer)).toBe(200);
    await p.goto(`${url}/quality/calibration/${sessionId}`);
    await p.getByRole('button', { name: 'Close the session and show the results' }).click();
    await ui(() => p.getByTestId('session-status').textContent()).toBe('Closed');
    const raters = p.getByTestId('calibration-raters');
    await raters.waitFor({ timeout: UI_TIMEOUT_MS });
    // The supervisor differs from the lead on closing in both interactions: 2 of 16 answers.
    await ui(() => raters.getByRole('row', { name: /Sam Supervisor/ }).textContent()).toContain('12.5%');
    const results = await pageQuery<{ results: { questions: { id: string; kappa: number | null; method: string }[] } }>(p, 'quality.calibration.get', {
      sessionId,
    });
    expect(results.results.questions.find((q) => q.id === 'closing')).toMatchObject({ kappa: 0, method: 'cohen' });
    await shot(p, 'quality-calibration-results');
  });
});

describe('other roles', () => {
  it("a supervisor sees their teams' agents only; an agent is kept out", async () => {
    const p = page();
    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.supervisor, pacer)).toBe(200);
    await p.goto(`${url}/quality?view=evaluations`);
    await p.getByTestId('evaluations').waitFor({ timeout: UI_TIMEOUT_MS });
    const listed = await pageQuery<Summary[]>(p, 'quality.list', { limit: 1000 });
    const ours = listed.filter((e) => [...sent.values()].includes(e.interactionId));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((e) => inScope.some((a) => a.id === e.agentKey))).toBe(true);

    await browser!.context.clearCookies();
    expect(await signInThroughForm(p, url, users.agent, pacer)).toBe(200);
    await p.goto(`${url}/quality`);
    await p.getByTestId('not-for-role').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(pageErrors).toEqual([]);
  });
});
