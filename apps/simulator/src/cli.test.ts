import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCenter, getLocalMidnight } from '@switchboard/simulator';
import type { TelemetryEvent } from '@switchboard/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommand, type BackfillArgs, type LiveArgs } from './args.ts';
import { resolveApiKey } from './api-key.ts';
import { runBackfill } from './backfill.ts';
import { startFakeIngest } from '../test/fake-ingest.ts';
import { runLive } from './live.ts';

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('parseCommand', () => {
  it('parses backfill and live with defaults', () => {
    expect(parseCommand(['backfill', '--days', '3', '--url', 'http://127.0.0.1:3000/', '--api-key', 'k'])).toEqual({
      kind: 'run',
      args: {
        mode: 'backfill',
        days: 3,
        url: 'http://127.0.0.1:3000',
        apiKey: 'k',
        seed: 1,
        batch: 5000,
        concurrency: 4,
        staffing: 1,
        volume: 1,
        timezone: 'America/New_York',
        gzip: false,
      },
    });
    const live = parseCommand(['live', '--url', 'http://h:1', '--speed', '60', '--from', '2024-05-06T12:00:00Z', '--gzip']);
    expect(live).toMatchObject({ kind: 'run', args: { mode: 'live', speed: 60, from: Date.UTC(2024, 4, 6, 12), gzip: true } });
    expect(parseCommand(['live', '--url', 'http://h:1', '--timezone', 'Asia/Kolkata'])).toMatchObject({ args: { timezone: 'Asia/Kolkata' } });
  });

  it('explains what is wrong', () => {
    const message = (argv: string[]) => {
      const parsed = parseCommand(argv);
      return parsed.kind === 'error' ? parsed.message : parsed.kind;
    };
    expect(message([])).toMatch(/backfill or live/);
    expect(message(['replay'])).toMatch(/unknown mode "replay"/);
    expect(message(['backfill', '--days', '1'])).toBe('--url is required');
    expect(message(['backfill', '--url', 'http://h', '--days', '60'])).toMatch(/--days must be at most 45/);
    expect(message(['backfill', '--url', 'http://h'])).toMatch(/--days is required/);
    expect(message(['backfill', '--url', 'ftp://h', '--days', '1'])).toMatch(/--url must be an http/);
    expect(message(['live', '--url', 'http://h', '--days', '1'])).toMatch(/--days does not apply to live/);
    expect(message(['live', '--url', 'http://h', '--from', 'noon'])).toMatch(/--from must be an ISO 8601/);
    expect(message(['live', '--url', 'http://h', '--seed', '1.5'])).toMatch(/--seed must be an integer/);
    expect(message(['live', '--url', 'http://h', '--bogus'])).toMatch(/bogus/);
    expect(message(['live', '--url', 'http://h', '--timezone', 'Mars/Olympus'])).toMatch(/--timezone must be an IANA time zone/);
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
  });

  it('takes the API key from the flag, the environment, then the key file', async () => {
    expect(await resolveApiKey('flag', 'env')).toBe('flag');
    expect(await resolveApiKey(undefined, 'env')).toBe('env');
    const dir = await mkdtemp(join(tmpdir(), 'sim-key-'));
    await mkdir(join(dir, '.data'));
    await writeFile(join(dir, '.data', 'demo-api-key'), 'sb_demo_key\n');
    expect(await resolveApiKey(undefined, undefined, dir)).toBe('sb_demo_key');
    await rm(dir, { recursive: true });
  });
});

describe('runBackfill', () => {
  const until = getLocalMidnight(demoCenter.timezone, Date.UTC(2024, 4, 7) / 86_400_000) + 12 * 3_600_000;
  const args = (url: string): BackfillArgs => ({
    mode: 'backfill',
    url,
    days: 0.125,
    until,
    seed: 5,
    batch: 500,
    concurrency: 3,
    staffing: 1,
    volume: 1,
    timezone: demoCenter.timezone,
    gzip: true,
  });

  it('delivers every event once, through retries, and replays on a re-run', async () => {
    const ingest = await startFakeIngest((_, i) => (i === 1 || i === 4 ? { status: 429, headers: { 'retry-after': '0' } } : undefined));
    servers.push(ingest);
    const { stats } = await runBackfill(args(ingest.url), 'k', new AbortController().signal);
    const ids = (ingest.events as TelemetryEvent[]).map((e) => e.event_id);
    expect(stats.generated).toBeGreaterThan(2000);
    expect(new Set(ids).size).toBe(stats.generated);
    expect(stats).toMatchObject({ accepted: stats.generated, rejected: 0, retries: 2, replayedBatches: 0 });
    expect(Math.min(...(ingest.events as TelemetryEvent[]).map((e) => Date.parse(e.occurred_at)))).toBeGreaterThanOrEqual(until - 3 * 3_600_000);

    const again = await runBackfill(args(ingest.url), 'k', new AbortController().signal);
    expect(again.stats.replayedBatches).toBe(again.stats.batches);
    expect(ingest.events).toHaveLength(stats.generated);
  });

  it('stops with a resumable message when a batch cannot be delivered', async () => {
    const ingest = await startFakeIngest((_, i) => (i >= 2 ? { status: 413, body: { error: 'payload_too_large', message: 'too big' } } : undefined));
    servers.push(ingest);
    await expect(runBackfill(args(ingest.url), 'k', new AbortController().signal)).rejects.toThrow(
      /413 payload_too_large: too big[\s\S]*--until 2024-05-07T16:00:00.000Z/,
    );
  });
});

describe('runLive', () => {
  it('catches up from --from at speed, then follows the clock, never sending events from the future', async () => {
    const ingest = await startFakeIngest();
    servers.push(ingest);
    // A weekday morning, so the center is open whatever time the test runs.
    const fakeStart = getLocalMidnight(demoCenter.timezone, Date.UTC(2024, 4, 8) / 86_400_000) + 10 * 3_600_000;
    const realStart = Date.now();
    const clock = () => fakeStart + (Date.now() - realStart);
    const from = fakeStart - 20 * 60_000;
    const args: LiveArgs = {
      mode: 'live',
      url: ingest.url,
      seed: 2,
      batch: 5000,
      staffing: 1,
      volume: 1,
      timezone: demoCenter.timezone,
      gzip: false,
      speed: 1200,
      from,
    };
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 1500);
    const stats = await runLive(args, 'k', stop.signal, clock);
    const events = ingest.events as TelemetryEvent[];
    expect(events.length).toBeGreaterThan(500);
    expect(stats.accepted).toBe(events.length);
    const times = events.map((e) => Date.parse(e.occurred_at));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(from);
    expect(Math.max(...times)).toBeLessThanOrEqual(clock());
    // Caught up: the last events are from the last moments before stopping, not 20 minutes back.
    expect(Math.max(...times)).toBeGreaterThan(fakeStart - 60_000);
  });
});
