import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveStatus } from '@switchboard/host';
import { ndjson, post, sampleInteraction, waitForRollups } from './support/events.ts';
import { tempDataDir } from './support/host.ts';
import { freePort, spawnHost, waitReady, type SpawnedHost } from './support/spawn-host.ts';

const dataDir = tempDataDir('web');
let host: SpawnedHost | undefined;
afterAll(() => {
  host?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the host serves the pages and the status API on one port', () => {
  it("renders /ingest and shows today's per-queue counts to the holder of the tenant key only", async () => {
    host = spawnHost(dataDir, await freePort(), { SWITCHBOARD_WEB: '1' });
    await waitReady(host);
    const apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();

    const page = await fetch(`${host.url}/ingest`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<title>Switchboard</title>');
    expect(html).toContain('Live telemetry of your contact center');

    expect((await fetch(`${host.url}/api/v1/status`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/v1/status`, { headers: { authorization: 'Bearer sbk_nope' } })).status).toBe(401);

    const events = [...sampleInteraction(new Date(), { queue_id: 'cards' }), ...sampleInteraction(new Date(), { queue_id: 'cards' })];
    expect((await post(host.url, apiKey, ndjson(events))).status).toBe(200);
    await waitForRollups(host.url);
    const status = (await (await fetch(`${host.url}/api/v1/status`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as LiveStatus;
    const cards = status.queues.find((q) => q.queue_id === 'cards' && q.channel === 'voice');
    expect(cards).toMatchObject({ offered: 2, answered: 2, asa_s: 12 });
    expect(status.rate_series).toHaveLength(60);
    expect(status.rate_series.reduce((a, b) => a + b, 0)).toBe(8);

    const missing = await fetch(`${host.url}/api/v2/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
  });
});
