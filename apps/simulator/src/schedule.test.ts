import { describe, expect, it } from 'vitest';
import { ScheduleBook } from '@switchboard/simulator';
import { loadBackfillSchedule, loadSchedule, LiveSchedule, REFRESH_MS, type ScheduleSource } from './schedule.ts';

const timezone = 'America/New_York';
const DAY_MS = 86_400_000;

/** A stand-in for the host's schedule API: records each window asked for and answers with `answer`. */
function fakeApi(answer: (from: Date, to: Date) => { status: number; body: unknown }) {
  const asked: { from: Date; to: Date; authorization: string | null }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const from = new Date(url.searchParams.get('from')!);
    const to = new Date(url.searchParams.get('to')!);
    asked.push({ from, to, authorization: new Headers(init?.headers).get('authorization') });
    const { status, body } = answer(from, to);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { asked, source: { url: 'http://host', apiKey: 'sbk_key', timezone, fetch } satisfies ScheduleSource };
}

const activity = (agent: string, shiftDate: string, kind = 'work') => ({
  agent,
  kind,
  start: `${shiftDate}T13:00:00.000Z`,
  end: `${shiftDate}T21:00:00.000Z`,
  shiftDate,
});

describe('loadSchedule', () => {
  it('asks for at most 8 days at a time, from local midnights, and keeps each request to its own shift dates', async () => {
    const api = fakeApi(() => ({
      status: 200,
      body: { activities: [activity('a1', '2024-05-06'), activity('a1', '2024-05-13'), activity('a2', '2024-05-20'), activity('a3', '2024-05-13', 'nap')] },
    }));
    const book = new ScheduleBook();
    const loaded = await loadSchedule(book, api.source, '2024-05-06', 10);
    expect(api.asked.map((a) => a.from.toISOString())).toEqual(['2024-05-06T04:00:00.000Z', '2024-05-13T04:00:00.000Z']);
    expect(api.asked.every((a) => a.to.getTime() - a.from.getTime() === 8 * DAY_MS && a.authorization === 'Bearer sbk_key')).toBe(true);
    // Each date once; 2024-05-20 is outside the 10 days; an unknown kind is left out.
    expect(loaded.map((a) => `${a.agent} ${a.shiftDate}`)).toEqual(['a1 2024-05-06', 'a1 2024-05-13']);
    expect(book.activitiesOf('2024-05-13', 'a1')).toEqual([
      { agent: 'a1', kind: 'work', start: Date.parse('2024-05-13T13:00:00Z'), end: Date.parse('2024-05-13T21:00:00Z'), shiftDate: '2024-05-13' },
    ]);
  });
});

describe('loadBackfillSchedule', () => {
  const from = Date.parse('2024-05-07T12:00:00Z');
  const to = Date.parse('2024-05-08T12:00:00Z');

  it('reads the day before the window too, and follows nothing when nothing is published', async () => {
    const lines: string[] = [];
    const api = fakeApi(() => ({ status: 200, body: { activities: [] } }));
    expect(await loadBackfillSchedule(api.source, from, to, (l) => lines.push(l))).toBeNull();
    expect(api.asked[0]!.from.toISOString()).toBe('2024-05-06T04:00:00.000Z');
    expect(lines).toEqual(['schedule: nothing published for 2024-05-06 … 2024-05-08; agents work their configured shifts']);
  });

  it('falls back to the configured shifts for a key without the scope or a host without the API, and stops for a wrong key', async () => {
    const lines: string[] = [];
    const forbidden = fakeApi(() => ({ status: 403, body: { error: 'insufficient_scope', message: 'this API key may not read schedules' } }));
    expect(await loadBackfillSchedule(forbidden.source, from, to, (l) => lines.push(l))).toBeNull();
    expect(lines[0]).toMatch(/not followed \(403 insufficient_scope: this API key may not read schedules\)/);
    const wrong = fakeApi(() => ({ status: 401, body: { error: 'unauthorized', message: 'send a valid tenant API key' } }));
    await expect(loadBackfillSchedule(wrong.source, from, to, () => undefined)).rejects.toThrow(/401 unauthorized/);
  });

  it('returns what it loaded, for the run id', async () => {
    const api = fakeApi(() => ({ status: 200, body: { activities: [activity('a1', '2024-05-07')] } }));
    const loaded = await loadBackfillSchedule(api.source, from, to, () => undefined);
    expect(loaded?.activities).toHaveLength(1);
    expect(loaded?.book.activitiesOf('2024-05-07', 'a1')).toHaveLength(1);
  });
});

describe('LiveSchedule', () => {
  it('loads at the start, then every 15 minutes and at each new local day, keeping what it had when a refresh fails', async () => {
    let status = 200;
    const api = fakeApi(() => ({ status, body: status === 200 ? { activities: [activity('a1', '2024-05-07')] } : { error: 'internal', message: 'boom' } }));
    const lines: string[] = [];
    const live = new LiveSchedule(api.source, (l) => lines.push(l));
    const sim = Date.parse('2024-05-07T15:00:00Z');
    await live.refresh(sim, 0);
    expect(api.asked).toHaveLength(1);
    expect(api.asked[0]!.from.toISOString()).toBe('2024-05-06T04:00:00.000Z');
    await live.refresh(sim + 60_000, REFRESH_MS - 1);
    expect(api.asked).toHaveLength(1);
    status = 500;
    await live.refresh(sim + 120_000, REFRESH_MS);
    expect(api.asked).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/refresh failed, keeping what was loaded \(500 internal: boom\)/);
    expect(live.book.activitiesOf('2024-05-07', 'a1')).toHaveLength(1);
    // Local midnight in New York comes before REFRESH_MS has passed.
    status = 200;
    await live.refresh(Date.parse('2024-05-08T04:00:01Z'), REFRESH_MS + 1);
    expect(api.asked.at(-1)!.from.toISOString()).toBe('2024-05-07T04:00:00.000Z');
  });

  it('stops asking once the key or host cannot give schedules, and refuses a wrong key at the start', async () => {
    const api = fakeApi(() => ({ status: 404, body: { error: 'not_found', message: 'no API at /api/v1/schedule/activities' } }));
    const live = new LiveSchedule(api.source, () => undefined);
    await live.refresh(0, 0);
    await live.refresh(DAY_MS, REFRESH_MS * 10);
    expect(api.asked).toHaveLength(1);
    const wrong = fakeApi(() => ({ status: 401, body: { error: 'unauthorized', message: 'bad key' } }));
    await expect(new LiveSchedule(wrong.source, () => undefined).refresh(0, 0)).rejects.toThrow(/401/);
  });
});
