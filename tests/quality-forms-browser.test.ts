import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMIT } from '@switchboard/api';
import { launchChromium, screenshot, SignInPacer, signInThroughForm, type Browser, pageQuery } from './support/browser.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

/**
 * The form designer as an analyst uses it, on the real host with its built pages: the standard form opened, a weight
 * changed so the total is wrong and the server's refusal read, the weight put right and a question's guidance
 * edited, saved as version 2 and tried on a transcript.
 */

interface DemoUser {
  role: string;
  email: string;
  password: string;
}
interface FormView {
  version: number;
  versions: { version: number }[];
  definition: { sections: { questions: { id: string; weight: number; guidance: string }[] }[] };
}

const UI_TIMEOUT_MS = 30_000;
const dataDir = tempDataDir('quality-forms-browser');
let host: SpawnedHost | undefined;
let browser: Browser | undefined;
let url = '';
let analyst: DemoUser;
const pageErrors: string[] = [];

const page = (): Page => browser!.page;
const ui = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS });

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npx turbo run build --filter=@switchboard/web` (or `bash scripts/setup.sh`) first');
  }
  host = spawnHost(dataDir, await freePort(), { SWITCHBOARD_WEB: '1', SWITCHBOARD_SEED_DEMO: '1' });
  await waitReady(host);
  url = host.url;
  const users = JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')) as DemoUser[];
  analyst = users.find((u) => u.role === 'analyst')!;
  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (host) await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the analyst designing a form', () => {
  it('opens the standard form from the list of forms', async () => {
    const p = page();
    expect(await signInThroughForm(p, url, analyst, new SignInPacer(SIGN_IN_LIMIT))).toBe(200);
    await p.waitForURL((u) => u.pathname !== '/sign-in', { timeout: UI_TIMEOUT_MS });
    await p.goto(`${url}/quality/forms`);
    const standard = p.getByTestId('forms').locator('tr[data-key="standard"]');
    await ui(() => standard.getByTestId('latest-version').textContent()).toBe('1');
    await standard.getByRole('link', { name: 'Standard form' }).click();
    await p.getByTestId('question-greeting').waitFor({ timeout: UI_TIMEOUT_MS });
    await ui(() => p.getByTestId('weights-total').textContent()).toBe('Weights add up to 100');
  });

  it('sees the refusal naming the problem when the weights no longer add up to 100, and nothing is saved', async () => {
    const p = page();
    const weight = p.getByTestId('question-greeting').getByLabel('Weight', { exact: true });
    await weight.fill('20');
    await ui(() => p.getByTestId('weights-total').textContent()).toBe('Weights add up to 107.5 — they must add up to 100');
    await p.getByRole('button', { name: 'Save as new version' }).click();
    const problems = p.getByRole('alert').filter({ hasText: 'The form was not saved' });
    await ui(() => problems.getByRole('listitem').allTextContents()).toEqual(['weights add up to 107.5, not 100']);
    expect((await pageQuery<FormView>(p, 'quality.forms.get', { key: 'standard' })).version).toBe(1);
  });

  it('puts the weight right, edits a question’s guidance, saves version 2 and tries it on a transcript', async () => {
    const p = page();
    await p.getByTestId('question-greeting').getByLabel('Weight', { exact: true }).fill('12.5');
    await ui(() => p.getByTestId('weights-total').textContent()).toBe('Weights add up to 100');
    const guidance = 'Count a greeting in the language the customer chose.';
    await p.getByTestId('question-empathy').getByLabel('Guidance for the analyst').fill(guidance);

    await p.getByRole('button', { name: 'Paste an example' }).click();

    await p.getByRole('button', { name: 'Save as new version' }).click();
    await ui(() => p.getByTestId('form-saved').textContent()).toBe('Saved as version 2.');
    await ui(() => p.getByTestId('form-version').inputValue()).toBe('2');
    expect(await p.getByRole('alert').filter({ hasText: 'The form was not saved' }).count()).toBe(0);
    const saved = await pageQuery<FormView>(p, 'quality.forms.get', { key: 'standard' });
    expect(saved.versions.map((v) => v.version)).toEqual([2, 1]);
    const questions = saved.definition.sections.flatMap((s) => s.questions);
    expect(questions.find((q) => q.id === 'empathy')!.guidance).toBe(guidance);
    expect(questions.find((q) => q.id === 'greeting')!.weight).toBe(12.5);

    // The transcript pasted before the save is still there to try the new version on.
    await p.getByRole('button', { name: 'Try the form' }).click();
    const result = p.getByTestId('preview-result');
    await result.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await result.locator('tbody tr').count()).toBe(8);
    await p.mouse.move(0, 0);
    await screenshot(p, 'quality-form-designer');

    await p.goto(`${url}/quality/forms`);
    await ui(() => p.getByTestId('forms').locator('tr[data-key="standard"]').getByTestId('latest-version').textContent()).toBe('2');
    expect(pageErrors).toEqual([]);
  });
});
