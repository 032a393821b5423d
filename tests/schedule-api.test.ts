import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocalDays, localDateOf, localDayStart, weekdayOf } from '@switchboard/calendar';
import { createApiKey, revokeApiKey, verifyApiKey } from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { writeScheduleSnapshot } from '@switchboard/telemetry';
import { repoRoot, startTestHost, tempDataDir, type TestHost } from './support/host.ts';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => {
  await t?.stop();
});

const HOUR_MS = 3_600_000;
const at = (iso: string) => new Date(iso);

async function publish(
  tenantId: string,
  activities: { agentKey: string; kind: string; start: Date; end: Date; shiftDate: string }[],
  publishedAt = new Date(),
) {
  await writeScheduleSnapshot(t.host.telemetry.client, {
    tenantId,
    scheduleId: randomUUID(),
    groupKey: 'voice',
    weekStart: '2026-03-02',
    publishedAt,
    activities,
  });
}

interface Answer {
  activities: { agent: string; kind: string; start: string; end: string; shiftDate: string }[];
}
const activitiesOf = async (response: Response) => ((await response.json()) as Answer).activities;

function get(query: string, apiKey?: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${t.url}/api/v1/schedule/activities${query}`, { ...init, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
}

describe('GET /api/v1/schedule/activities', () => {
  let tenantA: { tenantId: string; apiKey: string };
  let readerA: { id: string; key: string };
  let readerB: { id: string; key: string };
  const window = '?from=2026-03-02T00:00:00Z&to=2026-03-10T00:00:00Z';

  beforeAll(async () => {
    tenantA = await t.createTenant();
    const tenantB = await t.createTenant();
    readerA = await createApiKey(t.host.db.db, tenantA.tenantId, 'wfm', { scopes: ['schedule:read'] });
    readerB = await createApiKey(t.host.db.db, tenantB.tenantId, 'wfm', { scopes: ['ingest', 'schedule:read'] });
    await publish(tenantA.tenantId, [
      { agentKey: 'ana', kind: 'work', start: at('2026-03-02T13:00:00Z'), end: at('2026-03-02T15:00:00Z'), shiftDate: '2026-03-02' },
      { agentKey: 'ana', kind: 'break', start: at('2026-03-02T15:00:00Z'), end: at('2026-03-02T15:15:00Z'), shiftDate: '2026-03-02' },
      { agentKey: 'ana', kind: 'work', start: at('2026-03-02T15:15:00Z'), end: at('2026-03-02T21:00:00Z'), shiftDate: '2026-03-02' },
      { agentKey: 'ben', kind: 'time_off', start: at('2026-03-03T13:00:00Z'), end: at('2026-03-03T21:00:00Z'), shiftDate: '2026-03-03' },
      { agentKey: 'ben', kind: 'work', start: at('2026-03-12T13:00:00Z'), end: at('2026-03-12T21:00:00Z'), shiftDate: '2026-03-12' },
    ]);
    await publish(tenantB.tenantId, [
      { agentKey: 'ana', kind: 'work', start: at('2026-03-02T09:00:00Z'), end: at('2026-03-02T17:00:00Z'), shiftDate: '2026-03-02' },
    ]);
  });

  it('answers the current published activities of the key’s tenant in the window, per agent in time order', async () => {
    const response = await get(window, readerA.key);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      activities: [
        { agent: 'ana', kind: 'work', start: '2026-03-02T13:00:00.000Z', end: '2026-03-02T15:00:00.000Z', shiftDate: '2026-03-02' },
        { agent: 'ana', kind: 'break', start: '2026-03-02T15:00:00.000Z', end: '2026-03-02T15:15:00.000Z', shiftDate: '2026-03-02' },
        { agent: 'ana', kind: 'work', start: '2026-03-02T15:15:00.000Z', end: '2026-03-02T21:00:00.000Z', shiftDate: '2026-03-02' },
        { agent: 'ben', kind: 'time_off', start: '2026-03-03T13:00:00.000Z', end: '2026-03-03T21:00:00.000Z', shiftDate: '2026-03-03' },
      ],
    });
    const ben = await (await get(`${window}&agent=ben&agent=nobody`, readerA.key)).json();
    expect(ben).toEqual({ activities: [expect.objectContaining({ agent: 'ben', kind: 'time_off' })] });
    // Overlapping the window is enough: the break that straddles its start is in.
    const straddle = await activitiesOf(await get('?from=2026-03-02T15:10:00Z&to=2026-03-02T15:20:00Z', readerA.key));
    expect(straddle.map((a) => a.kind)).toEqual(['break', 'work']);
  });

  it('answers only the newest published version of a week', async () => {
    const tenant = await t.createTenant();
    const reader = await createApiKey(t.host.db.db, tenant.tenantId, 'wfm', { scopes: ['schedule:read'] });
    const shift = (start: string) => ({ agentKey: 'cy', kind: 'work', start: at(start), end: at('2026-03-04T21:00:00Z'), shiftDate: '2026-03-04' });
    await publish(tenant.tenantId, [shift('2026-03-04T13:00:00Z')], at('2026-02-27T10:00:00Z'));
    await publish(tenant.tenantId, [shift('2026-03-04T14:00:00Z')], at('2026-02-28T10:00:00Z'));
    expect((await activitiesOf(await get(window, reader.key))).map((a) => a.start)).toEqual(['2026-03-04T14:00:00.000Z']);
  });

  it('keeps tenants apart: another tenant’s key sees its own schedule only', async () => {
    const body = await (await get(window, readerB.key)).json();
    expect(body).toEqual({
      activities: [{ agent: 'ana', kind: 'work', start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T17:00:00.000Z', shiftDate: '2026-03-02' }],
    });
  });

  it('refuses no key or a bad one with 401, and an ingest-only key with 403 insufficient_scope', async () => {
    const none = await get(window);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.json()).toMatchObject({ error: 'unauthorized' });
    expect((await get(window, 'sbk_nope')).status).toBe(401);
    const wrongSecret = readerA.key.slice(0, -1) + (readerA.key.endsWith('x') ? 'y' : 'x');
    expect((await get(window, wrongSecret)).status).toBe(401);

    const ingestOnly = await get(window, tenantA.apiKey);
    expect(ingestOnly.status).toBe(403);
    expect(ingestOnly.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="schedule:read"');
    expect(await ingestOnly.json()).toMatchObject({ error: 'insufficient_scope', scope: 'schedule:read' });

    // And a schedule-only key cannot send events.
    const ingest = await fetch(`${t.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readerA.key}`, 'content-type': 'application/x-ndjson' },
      body: '',
    });
    expect(ingest.status).toBe(401);
  });

  it('stops a revoked key at once', async () => {
    const tenant = await t.createTenant();
    const reader = await createApiKey(t.host.db.db, tenant.tenantId, 'wfm', { scopes: ['schedule:read'] });
    expect((await get(window, reader.key)).status).toBe(200);
    await revokeApiKey(t.host.db.db, tenant.tenantId, reader.id);
    expect((await get(window, reader.key)).status).toBe(401);
  });

  it('refuses a window longer than 8 days, backwards, missing or malformed, and unknown parameters, saying why', async () => {
    const refusal = async (query: string) => {
      const response = await get(query, readerA.key);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe('invalid_request');
      return body.message;
    };
    expect((await get('?from=2026-03-02T00:00:00Z&to=2026-03-10T00:00:00Z', readerA.key)).status).toBe(200);
    expect(await refusal('?from=2026-03-02T00:00:00Z&to=2026-03-10T00:00:01Z')).toMatch(/^to: the window may span at most 8 days/);
    expect(await refusal('?from=2026-03-02T00:00:00Z&to=2026-03-02T00:00:00Z')).toBe('to: must be after from');
    expect(await refusal('?to=2026-03-02T00:00:00Z')).toMatch(/^from: must be an ISO 8601 instant/);
    expect(await refusal('?from=monday&to=2026-03-02T00:00:00Z')).toMatch(/^from: must be an ISO 8601 instant/);
    expect(await refusal(`${window}&agents=ana`)).toMatch(/agents/);
    expect(await refusal(`${window}&from=2026-03-03T00:00:00Z`)).toMatch(/^from:/);
    const post = await get(window, readerA.key, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});

describe('the simulator follows the published schedule', () => {
  function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
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

  it('backfills scheduled agents logging in around their published start, and nothing for an agent on time off', async () => {
    const tz = demoCenter.timezone;
    // A weekday a few days back, inside ingest's late-event horizon.
    let date = addLocalDays(localDateOf(Date.now(), tz), -3);
    while ([0, 6].includes(weekdayOf(date))) date = addLocalDays(date, -1);
    const midnight = localDayStart(date, tz).getTime();
    const early = demoCenter.agents.filter((a) => a.shift.weekdays.includes(weekdayOf(date)) && a.shift.start_minute <= 8 * 60).slice(0, 11);
    const [absent, ...scheduled] = early;
    const start = new Date(midnight + 10.5 * HOUR_MS);
    const shiftEnd = new Date(midnight + 15 * HOUR_MS);
    const { tenantId } = await t.createTenant({ timezone: tz });
    const { key } = await createApiKey(t.host.db.db, tenantId, 'simulator', { scopes: ['ingest', 'schedule:read'] });
    await publish(tenantId, [
      { agentKey: absent!.id, kind: 'time_off', start: new Date(midnight + 7 * HOUR_MS), end: shiftEnd, shiftDate: date },
      ...scheduled.map((a) => ({ agentKey: a.id, kind: 'work', start, end: shiftEnd, shiftDate: date })),
    ]);

    const until = new Date(midnight + 14 * HOUR_MS);
    const run = await runCli(['backfill', '--days', '0.25', '--until', until.toISOString(), '--url', t.url, '--api-key', key, '--seed', '3', '--timezone', tz]);
    expect(run.code, run.output).toBe(0);
    // The agent on time off follows it too, by staying away.
    expect(run.output).toContain('schedule: 11 agents follow their published schedule');

    const result = await t.host.telemetry.client.query({
      query: `SELECT agent_id, type, toUnixTimestamp64Milli(occurred_at) AS at FROM events
               WHERE tenant_id = {tenantId:String} AND agent_id IN {agents:Array(String)} AND type LIKE 'agent.%' ORDER BY occurred_at`,
      query_params: { tenantId, agents: early.map((a) => a!.id) },
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ agent_id: string; type: string; at: string }>();
    expect(rows.filter((r) => r.agent_id === absent!.id)).toEqual([]);
    const logins = rows.filter((r) => r.type === 'agent.logged_in');
    // Configured at 08:00 or before, they log in only around 10:30 (a no-show or two at most).
    expect(logins.length).toBeGreaterThanOrEqual(8);
    expect(new Set(logins.map((r) => r.agent_id)).size).toBe(logins.length);
    for (const login of logins) {
      expect(Number(login.at) - start.getTime()).toBeGreaterThanOrEqual(-15 * 60_000);
      expect(Number(login.at) - start.getTime()).toBeLessThanOrEqual(10 * 60_000);
    }
  });
});

describe('the demo key', () => {
  // The demo is seeded into a data directory of the test's own, so a restart finds its key file.
  const dataDir = tempDataDir('schedule-api-demo');
  const keyFile = path.join(dataDir, 'demo-api-key');
  const startHost = () => startTestHost({ SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_SEED_DEMO: '1' }, { demoCenter });
  beforeAll(async () => {
    await t.stop();
    t = await startHost();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('sends events and reads schedules; an older ingest-only demo key is replaced and revoked at the next start, a current one kept', async () => {
    const seeded = await verifyApiKey(t.host.db.db, readFileSync(keyFile, 'utf8').trim());
    expect(seeded?.scopes).toEqual(['ingest', 'schedule:read']);

    const old = await createApiKey(t.host.db.db, seeded!.tenantId, 'demo simulator', { scopes: ['ingest'] });
    writeFileSync(keyFile, `${old.key}\n`);
    await t.stop();
    t = await startHost();
    const replaced = readFileSync(keyFile, 'utf8').trim();
    expect(replaced).not.toBe(old.key);
    expect(await verifyApiKey(t.host.db.db, replaced)).toMatchObject({ tenantId: seeded!.tenantId, scopes: ['ingest', 'schedule:read'] });
    expect(await verifyApiKey(t.host.db.db, old.key)).toBeNull();
    // A key with both scopes is kept.
    await t.stop();
    t = await startHost();
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(replaced);
  });
});
