import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const users = JSON.parse(readFileSync('/tmp/sbdemo/demo-users.json', 'utf8')) as { role: string; email: string; password: string }[];
const role = process.argv[2] ?? 'supervisor';
const target = process.argv[3] ?? '/wallboard';
const u = users.find((x) => x.role === role)!;
const ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'chr-')), {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1440, height: 1000 },
});
const page = await ctx.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text()));
await page.goto('http://127.0.0.1:3100' + target);
await page.waitForURL(/sign-in/);
await page.getByLabel('Email').fill(u.email);
await page.getByLabel('Password').fill(u.password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
await page.waitForTimeout(3000);
console.log('at', page.url());
await page.screenshot({ path: `/tmp/shots/${role}.png`, fullPage: true });
await ctx.close();
