import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMIT, type IncidentView } from '@switchboard/api';
import { followLink, launchChromium, pageQuery, screenshot, SignInPacer, signInThroughForm, type Browser } from './support/browser.ts';
import { ndjson, post } from './support/events.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

/**
 * Alerts as a supervisor's admin works them, on the real host with its built pages and its own
 * evaluator (every second here): a rule written in the editor with two conditions, a refusal read
 * from the server, incidents the demo rules fire on contacts left waiting, acknowledged on the
 * wallboard and resolved with a note in the history.
 */

interface DemoUser {
  role: string;
  email: string;
  password: string;
}

const UI_TIMEOUT_MS = 30_000;
const dataDir = tempDataDir('alerts-browser');
let host: SpawnedHost | undefined;
let browser: Browser | undefined;
let url = '';
let admin: DemoUser;
const pageErrors: string[] = [];

const page = (): Page => browser!.page;
const ui = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS });

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npx turbo run build --filter=@switchboard/web` (or `bash scripts/setup.sh`) first');
  }
  host = spawnHost(dataDir, await freePort(), { SWITCHBOARD_WEB: '1', SWITCHBOARD_SEED_DEMO: '1', SWITCHBOARD_ALERT_EVALUATE_S: '1' });
  await waitReady(host);
  url = host.url;
  const users = JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')) as DemoUser[];
  admin = users.find((u) => u.role === 'admin')!;
  // Two contacts have waited in Cards for ten minutes: the demo's long-wait rules fire at once.
  const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
  const since = new Date(Date.now() - 10 * 60_000).toISOString();
  const events = [randomUUID(), randomUUID()].flatMap((interaction_id) =>
    ['interaction.offered', 'interaction.queued'].map((type) => ({
      event_id: randomUUID(),
      type,
      schema_version: 1,
      occurred_at: since,
      sent_at: since,
      source: 'routing',
      interaction_id,
      queue_id: 'cards-voice',
      channel: 'voice',
    })),
  );
  expect((await post(url, apiKey, ndjson(events))).status).toBe(200);
  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (host) await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('alerts in the browser', () => {
  it('writes a rule of two conditions in the editor, after reading the server’s refusal of a wrong clear threshold', async () => {
    const p = page();
    expect(await signInThroughForm(p, url, admin, new SignInPacer(SIGN_IN_LIMIT))).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    await p.goto(`${url}/wallboard`);
    await p.getByRole('button', { name: 'Alert rules' }).click();
    const form = p.getByTestId('alert-rule-form');
    await form.getByLabel('Rule name').fill('Cards backlog');
    await form.getByLabel('Applies to').selectOption({ label: 'Queue: Cards' });
    await form.getByLabel('Severity').selectOption('critical');
    const first = form.getByTestId('condition-1');
    await first.getByLabel('Metric').selectOption({ label: 'Waiting' });
    await first.getByLabel('Comparator').selectOption('above');
    await first.getByLabel('Threshold', { exact: true }).fill('1');
    // Clearing above the threshold of an "above" condition is refused, with the reason.
    await first.getByLabel('Clear threshold', { exact: true }).fill('3');
    await form.getByRole('button', { name: 'Add condition' }).click();
    const second = form.getByTestId('condition-2');
    await second.getByLabel('Metric').selectOption({ label: 'Longest wait' });
    await second.getByLabel('Comparator').selectOption('above');
    await second.getByLabel('Threshold (s)', { exact: true }).fill('60');
    await second.getByLabel('Clear threshold (s)', { exact: true }).fill('30');
    await form.getByLabel('Match').selectOption('any');
    await form.getByLabel('Fire after (s)').fill('0');
    await form.getByLabel('Clear after (s)').fill('60');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await ui(() => p.getByTestId('alert-rules').getByRole('alert').textContent()).toContain(
      'the clear threshold must be on the recovered side of the threshold',
    );

    await first.getByLabel('Clear threshold', { exact: true }).fill('0');
    await form.getByRole('button', { name: 'Add rule' }).click();
    const row = p.getByTestId('alert-rule-list').locator('tr', { hasText: 'Cards backlog' });
    await ui(() => row.textContent()).toContain('Waiting above 1 (clears at 0) or Longest wait above 1:00 (clears at 30 s)');
    expect(await row.textContent()).toContain('fires after 0 s, clears after 1:00');
    await screenshot(p, 'alert-rules-editor');
  });

  it('shows the incidents the server fired on the wallboard, and acknowledges one there', async () => {
    const p = page();
    const alerts = p.getByTestId('alerts');
    await ui(() => alerts.locator('li', { hasText: 'Cards backlog' }).count()).toBe(1);
    await ui(() => alerts.locator('li', { hasText: 'Cards: very long wait' }).count()).toBe(1);
    expect(await p.getByTestId('queue-cards-voice').getAttribute('class')).toContain('alert-critical');
    await alerts.locator('li', { hasText: 'Cards backlog' }).getByRole('button', { name: 'Acknowledge' }).click();
    await ui(() => alerts.locator('li', { hasText: 'Cards backlog' }).textContent()).toContain('acknowledged by Ada Admin');
  });

  it('resolves an incident with a note in the history, which keeps the record', async () => {
    const p = page();
    await followLink(p, p.getByTestId('alerts').getByRole('link', { name: 'history' }), '/wallboard/alerts', UI_TIMEOUT_MS);
    const table = p.getByTestId('incidents');
    const longWait = table.locator('tr', { hasText: 'Cards: long wait' });
    await ui(() => longWait.count()).toBe(1);
    await longWait.getByRole('button', { name: 'Resolve…' }).click();
    await longWait.getByLabel('Note').fill('two agents moved to cards');
    await longWait.getByRole('button', { name: 'Resolve', exact: true }).click();
    const resolved = table.locator('tr[data-state="resolved"]', { hasText: 'Cards: long wait' });
    await ui(() => resolved.textContent()).toContain('resolved by Ada Admin');
    expect(await resolved.textContent()).toContain('two agents moved to cards');
    const listed = await pageQuery<{ incidents: IncidentView[] }>(p, 'wallboard.incidents.list', { state: 'resolved' });
    expect(listed.incidents.map((i) => [i.ruleName, i.note])).toEqual([['Cards: long wait', 'two agents moved to cards']]);
    await ui(() => table.locator('tr[data-state="open"]', { hasText: 'Cards backlog' }).textContent()).toContain('acknowledged by Ada Admin');
    await p.mouse.move(0, 0);
    await screenshot(p, 'alerts-history');
    expect(pageErrors).toEqual([]);
  });
});
