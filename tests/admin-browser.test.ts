import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { base32 } from '@better-auth/utils/base32';
import { createOTP } from '@better-auth/utils/otp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMIT } from '@switchboard/api';
import { centerConfigToCsv, centerLists } from '@switchboard/contracts';
import { demoCenter } from '@switchboard/simulator';
import { ndjson, post, sampleInteraction } from './support/events.ts';
import { launchChromium, pageQuery, screenshot, SignInPacer, signInThroughForm, type Browser } from './support/browser.ts';
import { runAdmin } from './support/admin-cli.ts';
import { repoRoot, tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';
import { startTestIdp, type TestIdp } from './support/oidc-idp.ts';

/**
 * A center onboards itself from an empty data directory: the operator creates the tenant
 * and imports its configuration from the command line; its first administrator signs in
 * with the printed password, invites an agent (who sets a password from the link the
 * operator reads in the outbox), makes an API key, and sees the events sent with it; then
 * sets up single sign-on with the center's identity provider (a real OpenID provider on
 * loopback), through which a new colleague signs in without any invitation.
 */

const UI_TIMEOUT_MS = 30_000;
const dataDir = tempDataDir('admin-browser');
const pacer = new SignInPacer(SIGN_IN_LIMIT);
let host: SpawnedHost | undefined;
let idp: TestIdp | undefined;
let browser: Browser | undefined;
let created: { tenant: { slug: string }; admin: { email: string; password: string } };
const pageErrors: string[] = [];
const agent = demoCenter.agents[0]!;
const agentEmail = 'alex.agent@northwind.test';

const page = (): Page => browser!.page;
const ui = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS });

async function admin(...args: string[]): Promise<string> {
  const out = await runAdmin(dataDir, ...args);
  if (out.code !== 0) throw new Error(`admin ${args.join(' ')} failed (${out.code}): ${out.stderr}`);
  return out.stdout;
}

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('the web app is not built: run `npx turbo run build --filter=@switchboard/web` (or `bash scripts/setup.sh`) first');
  }
  created = JSON.parse(
    await admin('tenant', 'create', '--name', 'Northwind Care', '--time-zone', demoCenter.timezone, '--admin-email', 'ada@northwind.test', '--json'),
  ) as typeof created;
  const files = path.join(dataDir, 'center');
  mkdirSync(files);
  const csv = centerConfigToCsv(demoCenter);
  for (const list of centerLists) writeFileSync(path.join(files, `${list}.csv`), csv[list]);
  expect(await admin('config', 'import', '--tenant', created.tenant.slug, files)).toContain('applied.');

  const port = await freePort();
  idp = await startTestIdp({
    redirectUri: `http://127.0.0.1:${port}/api/auth/sso/callback`,
    accounts: { grace: { email: 'grace.hopper@northwind.test', name: 'Grace Hopper' } },
  });
  // The operator allowlists the center's identity provider, which answers on loopback over http here.
  host = spawnHost(dataDir, port, { SWITCHBOARD_WEB: '1', SWITCHBOARD_SEED_DEMO: '0', SWITCHBOARD_OUTBOUND_ALLOW_HOSTS: idp.hostPort });
  await waitReady(host);
  browser = await launchChromium();
  page().on('pageerror', (error) => pageErrors.push(error.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (host) await stopHost(host);
  await idp?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a center onboarding itself', () => {
  it('the first administrator signs in with the password the operator was given and finds the people screen', async () => {
    const p = page();
    expect(await signInThroughForm(p, host!.url, created.admin, pacer)).toBe(200);
    await p.getByRole('link', { name: 'Administration' }).click();
    await ui(() => p.getByTestId('people').innerText()).toContain('ada@northwind.test');
    expect(await p.getByTestId('people').innerText()).toMatch(/admin\s+active/);
    await screenshot(p, 'admin-people');
  });

  it('invites an agent linked to their agent; the link from the outbox lets them choose a password and sign in', async () => {
    const p = page();
    await p.getByRole('button', { name: 'Invite someone' }).click();
    const form = p.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Name').fill(agent.display_name);
    await form.getByLabel('E-mail').fill(agentEmail);
    await form.getByLabel('Role').selectOption('agent');
    await form.locator('select[name=agentKey]').selectOption(agent.id);
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await ui(() => p.getByRole('status').first().innerText()).toContain('Invited');
    await ui(() => p.getByTestId('people').innerText()).toMatch(new RegExp(`${agentEmail}\\s+agent\\s+agent ${agent.id}\\s+invited`));
    await screenshot(p, 'admin-invited');

    const outbox = await admin('outbox', '--tenant', created.tenant.slug);
    expect(outbox).toContain(`To: ${agentEmail}`);
    expect(outbox).toContain('Subject: You are invited to Switchboard');
    const link = /https?:\/\/\S+reset-password\S+/.exec(outbox)![0];
    expect(await admin('outbox', '--tenant', created.tenant.slug)).toContain('the outbox is empty');

    const invitee = await browser!.context.newPage();
    try {
      await invitee.goto(link, { waitUntil: 'networkidle' });
      expect(new URL(invitee.url()).pathname).toBe('/set-password');
      await invitee.getByLabel('New password').fill('a long new agent password');
      await invitee.getByLabel('The same again').fill('a long new agent password');
      await invitee.getByRole('button', { name: 'Set password' }).click();
      await expect.poll(() => invitee.getByRole('heading').first().innerText(), { timeout: UI_TIMEOUT_MS }).toBe('Your password is set');
      await screenshot(invitee, 'admin-invitee-password-set');
    } finally {
      await invitee.close();
    }
    await ui(() => p.reload().then(() => p.getByTestId('people').innerText())).toMatch(new RegExp(`${agentEmail}\\s+agent\\s+agent ${agent.id}\\s+active`));
  });

  it('changes a queue’s target by uploading its CSV: a dry run shows the change, then it is applied', async () => {
    const p = page();
    const queue = demoCenter.queues[0]!;
    const csv = `queue_id,name,channel,skill_id,sl_threshold_s,sl_target\n${queue.id},${queue.name},${queue.channel},${queue.skill_id},${queue.sl_threshold_s},90%\n`;
    await p.getByLabel('Configuration files').setInputFiles({ name: 'queues.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await ui(() => p.getByTestId('import-diff').innerText()).toContain(`~ queue ${queue.id}: sl_target ${queue.sl_target} → 0.9`);
    await screenshot(p, 'admin-config-dry-run');
    await p.getByRole('button', { name: 'Apply these changes' }).click();
    await ui(() => p.getByTestId('import-diff').innerText()).toContain('Applied queues.csv');
    const bad = csv.replace(',90%', ',200%');
    await p.getByLabel('Configuration files').setInputFiles({ name: 'queues.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await ui(() => p.getByTestId('import-problems').innerText()).toContain('queues.csv, row 2, sl_target');
  });

  it('makes an API key shown once; events sent with it are seen on the ingest status page', async () => {
    const p = page();
    await p.getByLabel('New key for').fill('Northwind ACD connector');
    await p.getByRole('button', { name: 'Create key' }).click();
    const key = (await p.getByTestId('new-key').locator('code').innerText()).trim();
    expect(key).toMatch(/^sbk_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}$/);
    await ui(() => p.getByTestId('api-keys').innerText()).toContain('Northwind ACD connector');
    expect(await p.getByTestId('api-keys').innerText()).not.toContain(key.slice(13));
    await screenshot(p, 'admin-api-key');

    const events = sampleInteraction(new Date(), { queue_id: demoCenter.queues[0]!.id });
    expect((await post(host!.url, key, ndjson(events))).status).toBe(200);
    await p.goto(`${host!.url}/ingest`, { waitUntil: 'networkidle' });
    await p.getByPlaceholder(/Tenant API key/).fill(key);
    await p.getByRole('button', { name: 'Show live data' }).click();
    await ui(() => p.getByTestId('events-today').innerText()).toBe(String(events.length));
    await ui(() => p.getByTestId('queues').innerText()).toContain(demoCenter.queues[0]!.id);
    await screenshot(p, 'admin-events-seen');
    expect(pageErrors).toEqual([]);
  });

  it('lets the CRM frame the agents’ desktop panel: a plain-http origin is refused, an https one saved and served as the embed page’s frame-ancestors', async () => {
    const p = page();
    await p.goto(`${host!.url}/admin`, { waitUntil: 'networkidle' });
    const form = p.getByRole('form', { name: 'Desktop embedding' });
    const framePath = (await form.locator('code').innerText()).trim();
    expect(framePath).toMatch(/^\/desktop\/embed\/[a-z0-9_-]+$/);
    const origins = form.getByLabel('Allowed origins');
    await origins.fill('http://crm.northwind.example');
    await form.getByRole('button', { name: 'Save origins' }).click();
    const section = p.getByRole('region', { name: 'Desktop panel in other apps' });
    await ui(() => section.getByRole('alert').innerText()).toMatch(/http only for localhost/);
    expect((await fetch(`${host!.url}${framePath}`)).headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    await origins.fill('https://crm.northwind.example\nhttps://*.northwind.example');
    await form.getByRole('button', { name: 'Save origins' }).click();
    await ui(() => section.getByRole('status').innerText()).toMatch(/^Saved: these origins may frame the panel/);
    // The host reads a tenant's allowlist at most every 30 s: the header follows within that.
    await expect
      .poll(async () => (await fetch(`${host!.url}${framePath}`)).headers.get('content-security-policy'), { timeout: 45_000 })
      .toBe('frame-ancestors https://crm.northwind.example https://*.northwind.example');
    expect((await fetch(`${host!.url}/admin`)).headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    await screenshot(p, 'admin-desktop-embedding');
    expect(pageErrors).toEqual([]);
  });

  it('sets up single sign-on; a new colleague signs in through the identity provider and is added as an analyst', async () => {
    const p = page();
    await p.goto(`${host!.url}/admin`, { waitUntil: 'networkidle' });
    const form = p.getByRole('form', { name: 'Single sign-on' });
    await ui(() => p.getByTestId('sso-redirect-uri').innerText()).toBe(`${host!.url}/api/auth/sso/callback`);
    await form.getByLabel('Issuer').fill(idp!.issuer);
    await form.getByLabel('Client id').fill(idp!.clientId);
    await form.getByLabel('Client secret').fill(idp!.clientSecret);
    await form.getByLabel('E-mail domains').fill('northwind.test');
    await form.getByLabel(/Added just in time/).check();
    await form.getByLabel('Role of people added at sign-in').selectOption('analyst');
    await form.getByRole('button', { name: 'Set up single sign-on' }).click();
    await ui(() => p.getByRole('status').first().innerText()).toContain('Single sign-on saved');
    await screenshot(p, 'admin-sso');

    // A second browser: nobody signed in there.
    const colleague = await launchChromium();
    try {
      const q = colleague.page;
      await q.goto(`${host!.url}/sign-in`, { waitUntil: 'networkidle' });
      await q.getByLabel('Email').fill('grace.hopper@northwind.test');
      await q.getByRole('button', { name: 'Continue with single sign-on' }).click();
      // The provider's own screens: its login (any password), then consent.
      await q.waitForURL((u) => u.href.startsWith(idp!.issuer), { timeout: UI_TIMEOUT_MS });
      await q.locator('input[name=login]').fill('grace');
      await q.locator('input[name=password]').fill('whatever the provider asks');
      await q.getByRole('button', { name: 'Sign-in' }).click();
      await q.getByRole('button', { name: 'Continue' }).click();
      await q.waitForURL((u) => u.href.startsWith(host!.url) && !u.pathname.startsWith('/sign-in'), { timeout: UI_TIMEOUT_MS });
      expect(await pageQuery(q, 'session.me', undefined)).toMatchObject({ name: 'Grace Hopper', role: 'analyst' });
      await screenshot(q, 'sso-signed-in');
    } finally {
      await colleague.close();
    }
    await ui(() => p.reload().then(() => p.getByTestId('people').innerText())).toMatch(/grace\.hopper@northwind\.test\s+analyst/);
  });

  it('the administrator turns on two-factor sign-in; a later sign-in asks for the authenticator’s code', async () => {
    const p = page();
    await p.getByRole('link', { name: 'Administrator' }).click();
    await p.getByRole('form', { name: 'Turn on two-factor sign-in' }).getByLabel('Your password').fill(created.admin.password);
    await p.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    // What an authenticator app reads from the QR code.
    const totp = createOTP(base32.decode((await p.getByTestId('totp-secret').innerText()).trim())).totp;
    await screenshot(p, 'account-two-factor-setup');
    const first = await totp();
    await p.getByLabel('Code from the app').fill(first);
    await p.getByRole('button', { name: 'Confirm' }).click();
    await ui(() => p.getByTestId('backup-codes').innerText()).toContain('Two-factor sign-in is on');

    const later = await launchChromium();
    try {
      const q = later.page;
      expect(await signInThroughForm(q, host!.url, created.admin, pacer)).toBe(200);
      await q.getByLabel('Code from your authenticator app').waitFor({ timeout: UI_TIMEOUT_MS });
      // A code is good once per 30 s window: wait for the next one.
      let code = await totp();
      while (code === first) {
        await new Promise((r) => setTimeout(r, 1000));
        code = await totp();
      }
      await q.getByLabel('Code from your authenticator app').fill(code);
      await q.getByRole('button', { name: 'Continue' }).click();
      await q.waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: UI_TIMEOUT_MS });
      expect(await pageQuery(q, 'session.me', undefined)).toMatchObject({ role: 'admin' });
    } finally {
      await later.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
