import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMIT } from '@switchboard/api';
import { launchChromium, pageQuery, screenshot, SignInPacer, signInThroughForm, type Browser } from './support/browser.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

/**
 * The demo center's administrator edits its configuration item by item on /admin, on the real
 * host with its built pages: an agent added with a skill and a work contract, a queue's target
 * changed, an invalid item refused with the server's problem beside the form, an unused skill removed.
 */

interface DemoUser {
  role: string;
  email: string;
  password: string;
}
type Lists = {
  agents: { id: string; team_id: string; skills: { skill_id: string; proficiency: number }[]; contractName: string | null }[];
  queues: { id: string; sl_target: number }[];
  skills: { id: string }[];
};

const UI_TIMEOUT_MS = 30_000;
const dataDir = tempDataDir('center-admin-browser');
let host: SpawnedHost | undefined;
let browser: Browser | undefined;
let url = '';
let admin: DemoUser;
const pageErrors: string[] = [];

const page = (): Page => browser!.page;
const ui = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS });
const lists = () => pageQuery<Lists>(page(), 'admin.center.list', undefined);
const panel = () => page().getByRole('region', { name: 'Center items' });
const notice = () => page().getByTestId('center-item-notice').innerText();

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npx turbo run build --filter=@switchboard/web` (or `bash scripts/setup.sh`) first');
  }
  host = spawnHost(dataDir, await freePort(), { SWITCHBOARD_WEB: '1', SWITCHBOARD_SEED_DEMO: '1' });
  await waitReady(host);
  url = host.url;
  const users = JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')) as DemoUser[];
  admin = users.find((u) => u.role === 'admin')!;
  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
  // Removal asks for confirmation.
  page().on('dialog', (dialog) => void dialog.accept());
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (host) await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the administrator editing the center item by item', () => {
  it('adds an agent with a skill, its proficiency and a work contract', async () => {
    const p = page();
    expect(await signInThroughForm(p, url, admin, new SignInPacer(SIGN_IN_LIMIT))).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    await p.goto(`${url}/admin`, { waitUntil: 'networkidle' });
    await ui(() => p.getByTestId('center-agents').innerText()).toContain('agent-001');

    await panel().getByRole('button', { name: 'Add agent' }).click();
    const form = p.getByRole('form', { name: 'Add agent' });
    await form.getByLabel('Id').fill('agent-new');
    await form.getByLabel('Name', { exact: true }).fill('Nia Newcomer');
    await form.getByLabel('Team').selectOption('lending');
    await form.getByRole('button', { name: 'Add a skill' }).click();
    await form.getByLabel('Skill 1', { exact: true }).selectOption('lending');
    await form.getByLabel('Proficiency in skill 1').selectOption('4');
    await form.getByLabel('Work contract (scheduling)').selectOption({ label: 'Part time' });
    await form.getByLabel('Starts at').fill('10:00');
    await form.getByRole('button', { name: 'Add agent' }).click();
    await ui(notice).toBe('Added agent agent-new (contract: (none) → Part time).');
    await ui(() => p.getByTestId('center-agents').innerText()).toContain('Nia Newcomer');
    expect((await lists()).agents.find((a) => a.id === 'agent-new')).toMatchObject({
      team_id: 'lending',
      skills: [{ skill_id: 'lending', proficiency: 4 }],
      contractName: 'Part time',
    });
    await screenshot(p, 'admin-center-items');
  });

  it('changes a queue’s service-level target', async () => {
    const p = page();
    await panel()
      .getByRole('radio', { name: /^Queues/ })
      .click();
    await p.getByRole('button', { name: 'Edit queue general-voice' }).click();
    const form = p.getByRole('form', { name: 'Edit queue general-voice' });
    await form.getByLabel('Target (% answered within)').fill('90');
    await form.getByRole('button', { name: 'Save' }).click();
    await ui(notice).toBe('Saved queue general-voice: sl_target: 0.8 → 0.9.');
    expect((await lists()).queues.find((q) => q.id === 'general-voice')?.sl_target).toBe(0.9);
  });

  it('shows the server’s problem beside the form and saves nothing', async () => {
    const p = page();
    await panel()
      .getByRole('radio', { name: /^Skills/ })
      .click();
    await panel().getByRole('button', { name: 'Add skill' }).click();
    const form = p.getByRole('form', { name: 'Add skill' });
    await form.getByLabel('Id').fill('Mortgages UK');
    await form.getByLabel('Name').fill('UK mortgages');
    await form.getByRole('button', { name: 'Add skill' }).click();
    await ui(() => form.getByTestId('center-item-problems').getByRole('listitem').allTextContents()).toEqual(['Id: lowercase letters, digits, - and _ only']);
    expect(await form.getByLabel('Id').getAttribute('aria-invalid')).toBe('true');
    await screenshot(p, 'admin-center-items-problem');

    await form.getByLabel('Id').fill('mortgages_uk');
    await form.getByRole('button', { name: 'Add skill' }).click();
    await ui(notice).toBe('Added skill mortgages_uk.');
  });

  it('removes a skill nothing uses; skills in use offer no removal', async () => {
    const p = page();
    await ui(() => p.getByTestId('center-skills').innerText()).toContain('mortgages_uk');
    expect(await p.getByRole('button', { name: 'Remove skill cards' }).count()).toBe(0);
    await p.getByRole('button', { name: 'Remove skill mortgages_uk' }).click();
    await ui(notice).toBe('Removed skill mortgages_uk.');
    expect((await lists()).skills.map((s) => s.id)).not.toContain('mortgages_uk');
    expect(pageErrors).toEqual([]);
  });
});
