import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCenter, simulate } from '@switchboard/simulator';
import { countStoredEvents } from './support/events.ts';
import { repoRoot, startTestHost, type TestHost } from './support/host.ts';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => {
  await t?.stop();
});

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  // The key must come from --api-key only, never from the developer's environment.
  const { SWITCHBOARD_API_KEY: _ignored, ...env } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/simulator/src/cli.ts'), ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** 18:00 UTC on a weekday a few days back: the window before it is busy and inside the late-event horizon. */
function busyUntil(): Date {
  let day = (Math.floor(Date.now() / 86_400_000) - 3) * 86_400_000;
  while ([0, 6].includes(new Date(day).getUTCDay())) day -= 86_400_000;
  return new Date(day + 18 * 3_600_000);
}

describe('simulator CLI against the real ingest API', () => {
  it('backfills a window exactly once: every simulated event stored, a re-run replayed', async () => {
    const { tenantId, apiKey } = await t.createTenant();
    const until = busyUntil();
    const args = ['backfill', '--days', '0.25', '--until', until.toISOString(), '--url', t.url, '--api-key', apiKey, '--seed', '5', '--batch', '2000'];

    const expected = [...simulate({ config: demoCenter, seed: 5, start: until.getTime() - 6 * 3_600_000, end: until })].length;
    expect(expected).toBeGreaterThan(10_000);

    const first = await runCli(args);
    expect(first.code, first.output).toBe(0);
    expect(await countStoredEvents(t.host.telemetry.client, { tenantId })).toEqual({ rows: expected, distinct: expected });

    const again = await runCli(args);
    expect(again.code, again.output).toBe(0);
    expect(await countStoredEvents(t.host.telemetry.client, { tenantId })).toEqual({ rows: expected, distinct: expected });
  });

  it('exits 2 with the usage for bad arguments and 1 with a clear message for a wrong key', async () => {
    const bad = await runCli(['backfill', '--days', 'many', '--url', t.url]);
    expect(bad.code).toBe(2);
    expect(bad.output).toMatch(/days/);
    // A busy window, so there is a batch to send (a quiet night window would send none and exit 0).
    const wrongKey = await runCli(['backfill', '--days', '0.01', '--until', busyUntil().toISOString(), '--url', t.url, '--api-key', 'sbk_nope']);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.output).toMatch(/401|unauthorized/i);
    expect(wrongKey.output).not.toMatch(/SWITCHBOARD_API_KEY/);
  });
});
