import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { repoRoot } from './host.ts';

/** Debian's Chromium (scripts/ci-setup.sh installs it); playwright-core never downloads a browser here. */
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const screenshotDir = path.join(repoRoot, 'test-results/screenshots');

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Chromium on a fresh profile directory (launch() rejects --user-data-dir), removed on close. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (never npx playwright install)`);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs, acceptDownloads: true });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        await context.close().catch(() => undefined);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/** A full-page screenshot in test-results/screenshots/<name>.png, kept for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Paces sign-in attempts under better-auth's per-IP limit (SIGN_IN_LIMIT): every attempt
 * counts, successful or not; after `max` attempts each less than `window` s after the
 * previous one, the next is refused until `window` s have passed since the last one.
 * All the browser's attempts come from 127.0.0.1, so a run with more than `max` sign-ins
 * has to wait once.
 */
export class SignInPacer {
  #burst = 0;
  #last = 0;
  constructor(private readonly limit: { readonly window: number; readonly max: number }) {}

  /** Resolves when one more attempt will be let through. */
  async beforeAttempt(): Promise<void> {
    const windowMs = this.limit.window * 1000;
    if (Date.now() - this.#last >= windowMs) this.#burst = 0;
    if (this.#burst < this.limit.max) return;
    // A second of margin: #last is when the answer arrived, the server stamped it a little earlier.
    const waitMs = this.#last + windowMs + 1000 - Date.now();
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    this.#burst = 0;
  }

  /** Call once the attempt's answer has arrived. */
  attempted(): void {
    this.#burst++;
    this.#last = Date.now();
  }
}

/**
 * Fills and sends the sign-in form, paced under the sign-in limit; resolves with the status
 * of the sign-in request.
 */
export async function signInThroughForm(page: Page, url: string, user: { email: string; password: string }, pacer: SignInPacer): Promise<number> {
  await pacer.beforeAttempt();
  // networkidle: the form is a client component; submitted before hydration, it would not sign in.
  await page.goto(`${url}/sign-in`, { waitUntil: 'networkidle' });
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/sign-in/email'),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
  pacer.attempted();
  return res.status();
}

/** A tRPC query as the signed-in page makes it (its cookies), for the numbers behind what the screen shows. */
export async function pageQuery<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  const body = await page.evaluate(
    async (address) => {
      const res = await fetch(address);
      return { status: res.status, json: (await res.json()) as unknown };
    },
    `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
  );
  if (body.status !== 200) throw new Error(`${procedure} answered ${body.status}: ${JSON.stringify(body.json)}`);
  return (body.json as { result: { data: T } }).result.data;
}

/**
 * Follows an in-app link and waits until the address is `to` (a pathname, or a test of the URL). A click that lands while
 * the previous client-side navigation is still committing can be dropped by the router, so an
 * unanswered click is repeated (links are idempotent) until `timeoutMs` has passed.
 */
export async function followLink(page: Page, link: Locator, to: string | ((u: URL) => boolean), timeoutMs = 30_000): Promise<void> {
  const arrived = typeof to === 'string' ? (u: URL) => u.pathname === to : to;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await link.click({ timeout: Math.max(1, deadline - Date.now()) });
    try {
      await page.waitForURL(arrived, { timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
  }
}
