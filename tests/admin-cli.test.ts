import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { centerConfigToCsv, centerLists } from '@switchboard/contracts';
import { demoCenter } from '@switchboard/simulator';
import { ndjson, post, sampleInteraction } from './support/events.ts';
import { runAdmin } from './support/admin-cli.ts';
import { cookieOf, signIn } from './support/api-client.ts';
import { tempDataDir } from './support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

/**
 * `npm run -s admin -- tenant …` as an operator runs it: on an empty data directory with no
 * host (it opens the stores itself), then beside a running host (through it), and the tenant
 * it made signs in and sends events with the key it printed.
 */

const dataDir = tempDataDir('admin');
let host: SpawnedHost | undefined;
afterAll(async () => {
  if (host) await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

const admin = (...args: string[]) => runAdmin(dataDir, ...args);

interface Created {
  tenant: { id: string; slug: string; timezone: string; weekStart: number; holidayRegion: string | null };
  admin: { email: string; password: string };
  apiKey: string;
}

interface Listed {
  slug: string;
  weekStart: number;
  members: number;
  activeKeys: number;
  disabledAt: string | null;
}

const sendEvents = (url: string, key: string) => post(url, key, ndjson(sampleInteraction(new Date())));

let first: Created;

// Each command is a process that opens the stores (several seconds under load): a test here runs several of them.
const CLI_TEST_TIMEOUT_MS = 300_000;

describe('admin tenant commands with no host running', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('creates a tenant with its first administrator and an API key, printing the secrets once', async () => {
    const out = await admin(
      'tenant',
      'create',
      '--name',
      'Acme Care (Scotland)',
      '--time-zone',
      'Europe/London',
      '--week-start',
      'sun',
      '--holidays',
      'gb-sct',
      '--admin-email',
      'ada@acme.test',
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('created tenant acme-care-scotland (Acme Care (Scotland)): Europe/London, weeks from Sunday, GB-SCT public holidays');
    const password = /password \(shown once[^)]*\): (\S+)/.exec(out.stdout)?.[1];
    const key = /ingest API key \(shown once\): (sbk_\S+)/.exec(out.stdout)?.[1];
    expect(password).toMatch(/^.{16}$/);
    expect(key).toMatch(/^sbk_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}$/);
    first = {
      tenant: { id: '', slug: 'acme-care-scotland', timezone: 'Europe/London', weekStart: 0, holidayRegion: 'GB-SCT' },
      admin: { email: 'ada@acme.test', password: password! },
      apiKey: key!,
    };
  });

  it('lists every problem of a bad request by its option, exit 2, and creates nothing', async () => {
    const out = await admin(
      'tenant',
      'create',
      '--name',
      'Bad',
      '--time-zone',
      'Europe/Lndn',
      '--week-start',
      'funday',
      '--holidays',
      'XX',
      '--admin-email',
      'nope',
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--time-zone: not an IANA time zone');
    expect(out.stderr).toContain('--week-start: "funday" is not a weekday');
    expect(out.stderr).toContain('--holidays: "XX" is not a country');
    expect(out.stderr).toContain('--admin-email: give the first administrator an e-mail address');
    expect((await admin('tenant', 'frobnicate')).code).toBe(2);
    expect((await admin('tenant', 'create', '--colour', 'red')).stderr).toContain("Unknown option '--colour'");
  });

  it('refuses a taken slug and an e-mail that already has an account (exit 1)', async () => {
    const slug = await admin('tenant', 'create', '--name', 'Acme Care (Scotland)', '--time-zone', 'UTC', '--admin-email', 'other@acme.test');
    expect(slug.code).toBe(1);
    expect(slug.stderr).toContain('a tenant "acme-care-scotland" exists already; choose another --slug');
    const email = await admin('tenant', 'create', '--name', 'Second', '--time-zone', 'UTC', '--admin-email', 'ADA@acme.test');
    expect(email.code).toBe(1);
    expect(email.stderr).toContain('ADA@acme.test already has an account');
    const listed = JSON.parse((await admin('tenant', 'list', '--json')).stdout) as Listed[];
    expect(listed.map((t) => t.slug)).toEqual(['acme-care-scotland']);
  });

  it('imports a center from CSV files after a dry run, and exports files that import back as no change', async () => {
    const dir = path.join(dataDir, 'import');
    mkdirSync(dir);
    const files = centerConfigToCsv(demoCenter);
    for (const list of centerLists) writeFileSync(path.join(dir, `${list}.csv`), files[list]);
    const items = centerLists.reduce((n, list) => n + demoCenter[list].length, 0);

    const dry = await admin('config', 'import', '--tenant', 'acme-care-scotland', '--dry-run', dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`+ agent ${demoCenter.agents[0]!.id} "${demoCenter.agents[0]!.display_name}"`);
    expect(dry.stdout).toContain(`${items} added, 0 changed, 0 unchanged`);
    expect(dry.stdout).toContain('dry run: nothing was changed');
    expect(JSON.parse((await admin('config', 'export', '--tenant', 'acme-care-scotland')).stdout)).toMatchObject({ timezone: 'Europe/London', agents: [] });

    const applied = await admin('config', 'import', '--tenant', 'acme-care-scotland', dir);
    expect(applied.stdout).toContain('applied.');
    const again = await admin('config', 'import', '--tenant', 'acme-care-scotland', '--dry-run', path.join(dir, 'agents.csv'));
    expect(again.stdout).toContain(`0 added, 0 changed, ${demoCenter.agents.length} unchanged`);

    const out = path.join(dataDir, 'export');
    expect((await admin('config', 'export', '--tenant', 'acme-care-scotland', '--format', 'csv', '--out', out)).code).toBe(0);
    for (const list of centerLists) expect(readFileSync(path.join(out, `${list}.csv`), 'utf8').split('\n')[0], list).toBe(files[list].split('\n')[0]);
    // What was exported imports back as no change at all.
    expect((await admin('config', 'import', '--tenant', 'acme-care-scotland', '--dry-run', out)).stdout).toContain(`0 added, 0 changed, ${items} unchanged`);
  });

  it('refuses an import with every problem by file, row and column, and changes nothing', async () => {
    const dir = path.join(dataDir, 'bad');
    mkdirSync(dir);
    const header = 'agent_id,display_name,team_id,skills,chat_concurrency,shift_start,shift_length_minutes,shift_weekdays,breaks';
    const agent = demoCenter.agents[0]!;
    writeFileSync(
      path.join(dir, 'agents.csv'),
      `${header}\n${agent.id},Renamed,no-such-team,${agent.skills[0]!.skill_id}:9,1,25:00,510,Mon-Fri,\nnew-agent,,${agent.team_id},${agent.skills[0]!.skill_id}:3,x,07:00,510,Funday,lunch@900+30\n`,
    );
    const out = await admin('config', 'import', '--tenant', 'acme-care-scotland', dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('the import was refused: 7 problem(s), nothing was changed');
    for (const line of [
      'agents.csv, row 2, team_id: unknown team "no-such-team"',
      'agents.csv, row 2, skills: ',
      'agents.csv, row 2, shift_start: "25:00" is not a time of day',
      'agents.csv, row 3, display_name: required',
      'agents.csv, row 3, chat_concurrency: "x" is not a whole number',
      'agents.csv, row 3, shift_weekdays: "Funday"',
      'agents.csv, row 3, breaks: lunch from minute 900 to 930 ends after the 510-minute shift',
    ])
      expect(out.stderr).toContain(line);
    const stored = JSON.parse((await admin('config', 'export', '--tenant', 'acme-care-scotland')).stdout) as typeof demoCenter;
    expect(stored.agents.find((a) => a.id === agent.id)?.display_name).toBe(agent.display_name);
    expect(stored.agents.some((a) => a.id === 'new-agent')).toBe(false);
  });
});

describe('admin tenant commands beside a running host', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('go through the host; the new tenant signs in and sends events with its own key', async () => {
    host = spawnHost(dataDir, await freePort(), { SWITCHBOARD_SEED_DEMO: '0' });
    await waitReady(host);

    const created = await admin(
      'tenant',
      'create',
      '--name',
      'Beta Support',
      '--time-zone',
      'Asia/Jerusalem',
      '--week-start',
      '0',
      '--admin-email',
      'bo@beta.test',
      '--json',
    );
    expect(created.code, created.stderr).toBe(0);
    const beta = JSON.parse(created.stdout) as Created;
    expect(beta.tenant).toMatchObject({ slug: 'beta-support', timezone: 'Asia/Jerusalem', weekStart: 0, holidayRegion: null });

    for (const t of [first, beta]) {
      const signedIn = await signIn(host.url, t.admin.email, t.admin.password);
      expect(signedIn.status).toBe(200);
      const me = await fetch(`${host.url}/api/trpc/session.me`, { headers: { cookie: cookieOf(signedIn) } });
      expect(me.status).toBe(200);
      expect(JSON.stringify(await me.json())).toContain('"role":"admin"');
      expect((await sendEvents(host.url, t.apiKey)).status).toBe(200);
    }
    expect((await signIn(host.url, first.admin.email, 'not the password')).status).toBe(401);

    // A JSON import through the host: one queue's target changed, shown and applied.
    const config = structuredClone(demoCenter);
    config.timezone = 'Europe/London';
    config.queues[0]!.sl_target = 0.95;
    const file = path.join(dataDir, 'center.json');
    writeFileSync(file, JSON.stringify(config));
    const imported = await admin('config', 'import', '--tenant', first.tenant.slug, file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`~ queue ${config.queues[0]!.id}: sl_target ${demoCenter.queues[0]!.sl_target} → 0.95`);
    expect(imported.stdout).toContain('0 added, 1 changed');

    const listed = JSON.parse((await admin('tenant', 'list', '--json')).stdout) as Listed[];
    expect(listed.map((t) => [t.slug, t.weekStart, t.members, t.activeKeys, t.disabledAt])).toEqual([
      ['acme-care-scotland', 0, 1, 1, null],
      ['beta-support', 0, 1, 1, null],
    ]);
  });

  it('disables a tenant: its key is refused from the next request and its people are signed out; enabling restores both', async () => {
    const signedIn = await signIn(host!.url, first.admin.email, first.admin.password);
    const cookie = cookieOf(signedIn);
    const disabled = await admin('tenant', 'disable', 'acme-care-scotland');
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain('acme-care-scotland: disabled');
    expect((await admin('tenant', 'disable', 'acme-care-scotland')).stdout).toContain('was already disabled');

    expect((await sendEvents(host!.url, first.apiKey)).status).toBe(401);
    // Memberships are cached for 5 s.
    await expect.poll(async () => (await fetch(`${host!.url}/api/trpc/session.me`, { headers: { cookie } })).status, { timeout: 10_000 }).toBe(401);
    const listed = JSON.parse((await admin('tenant', 'list', '--json')).stdout) as Listed[];
    expect(listed.find((t) => t.slug === 'acme-care-scotland')?.disabledAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect((await admin('tenant', 'enable', 'acme-care-scotland')).stdout).toContain('acme-care-scotland: enabled');
    expect((await sendEvents(host!.url, first.apiKey)).status).toBe(200);
    expect((await admin('tenant', 'disable', 'no-such-tenant')).code).toBe(1);
  });
});
