import { describe, expect, it } from 'vitest';
import { createLiveCache } from './services.ts';

describe('createLiveCache', () => {
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
    let release!: () => void;
    const stale = cache.get('t', () => new Promise<string>((resolve) => (release = () => resolve('old rules'))));
    cache.invalidate('t');
    const fresh = cache.get('t', async () => 'new rules');
    release();
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
    await new Promise((r) => setTimeout(r, 30));
    // Past max age: the old value now, one refresh behind it however many ask.
    expect(await Promise.all([cache.get('t', load), cache.get('t', load)])).toEqual([1, 1]);
    await new Promise((r) => setTimeout(r, 5));
    expect(await cache.get('t', load)).toBe(2);
    await new Promise((r) => setTimeout(r, 250));
    // Past max stale: the caller waits for the fresh load.
    expect(await cache.get('t', load)).toBe(3);
  });

  it('with a max age of 0 loads every time', async () => {
    const cache = createLiveCache(0);
    let loads = 0;
    await cache.get('t', async () => ++loads);
    expect(await cache.get('t', async () => ++loads)).toBe(2);
  });
});
