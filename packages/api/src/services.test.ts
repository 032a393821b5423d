import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLiveCache } from './services.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createLiveCache', () => {
  // Fakes `performance` too; a cache reads it when it is made. The fake clock starts at 0,
  // which lru-cache takes for "no TTL": start a second in, as a real clock always is.
  beforeEach(() => {
    vi.useFakeTimers();
    vi.advanceTimersByTime(1_000);
  });
  afterEach(() => vi.useRealTimers());

  it('shares one load among concurrent and recent requests of a tenant, and not across tenants', async () => {
    const cache = createLiveCache(60_000);
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get('t1', load), cache.get('t1', load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await cache.get('t1', load)).toBe(1);
    expect(await cache.get('t2', load)).toBe(2);
  });

  it('after an invalidation, ignores a load that was already running', async () => {
    const cache = createLiveCache(60_000);
    const old = deferred<string>();
    const stale = cache.get('t', () => old.promise);
    cache.invalidate('t');
    const fresh = cache.get('t', async () => 'new rules');
    old.resolve('old rules');
    expect([await stale, await fresh]).toEqual(['old rules', 'new rules']);
    expect(await cache.get('t', async () => 'unused')).toBe('new rules');
  });

  it('loads again after an invalidation, and after a failed load', async () => {
    const cache = createLiveCache(60_000);
    let loads = 0;
    await cache.get('t', async () => ++loads);
    cache.invalidate('t');
    expect(await cache.get('t', async () => ++loads)).toBe(2);
    await expect(cache.get('u', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cache.get('u', async () => 'back')).toBe('back');
  });

  it('answers at once with data past its age while one fresh load runs, and waits when it is too old', async () => {
    const cache = createLiveCache(20, 200);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('t', load)).toBe(1);
    await vi.advanceTimersByTimeAsync(30);
    // Past max age: the old value now, one refresh behind it however many ask.
    expect(await Promise.all([cache.get('t', load), cache.get('t', load)])).toEqual([1, 1]);
    expect(loads).toBe(2);
    await vi.advanceTimersByTimeAsync(5);
    expect(await cache.get('t', load)).toBe(2);
    await vi.advanceTimersByTimeAsync(250);
    // Past max stale: the caller waits for the fresh load.
    expect(await cache.get('t', load)).toBe(3);
  });

  it('counts the age from the start of the load, not its arrival', async () => {
    const cache = createLiveCache(20, 200);
    const slow = (value: number) => () => new Promise<number>((resolve) => setTimeout(() => resolve(value), 150));
    const first = cache.get('t', slow(1));
    await vi.advanceTimersByTimeAsync(150);
    expect(await first).toBe(1);
    // 60 ms after it arrived, 210 ms after it was asked for: too old to answer with.
    await vi.advanceTimersByTimeAsync(60);
    let answered: number | undefined;
    const second = cache.get('t', slow(2)).then((value) => (answered = value));
    await vi.advanceTimersByTimeAsync(100);
    expect(answered).toBeUndefined();
    await vi.advanceTimersByTimeAsync(50);
    expect(await second).toBe(2);
  });

  it('has requests wait for a refresh still running when the data it replaces grows too old, not start another', async () => {
    const cache = createLiveCache(20, 200);
    let loads = 0;
    const refresh = deferred<number>();
    const load = () => (++loads === 2 ? refresh.promise : Promise.resolve(loads));
    expect(await cache.get('t', load)).toBe(1);
    await vi.advanceTimersByTimeAsync(150);
    expect(await cache.get('t', load)).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    const waiting = cache.get('t', load);
    refresh.resolve(2);
    expect(await waiting).toBe(2);
    expect(loads).toBe(2);
  });

  it('answers nothing stale after a failed refresh: the next request waits for a load', async () => {
    const cache = createLiveCache(20, 200);
    expect(await cache.get('t', async () => 1)).toBe(1);
    await vi.advanceTimersByTimeAsync(30);
    expect(await cache.get('t', () => Promise.reject(new Error('store down')))).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(await cache.get('t', async () => 2)).toBe(2);
  });

  it('holds 1,000 keys, loading the least recently used again past them', async () => {
    const cache = createLiveCache(60_000);
    let loads = 0;
    const load = async () => ++loads;
    for (let i = 0; i <= 1_000; i++) await cache.get(`t${i}`, load);
    expect(loads).toBe(1_001);
    expect(await cache.get('t1000', load)).toBe(1_001);
    expect(await cache.get('t0', load)).toBe(1_002);
  });

  it('with a max age of 0 loads every time', async () => {
    const cache = createLiveCache(0);
    let loads = 0;
    await cache.get('t', async () => ++loads);
    expect(await cache.get('t', async () => ++loads)).toBe(2);
  });
});
