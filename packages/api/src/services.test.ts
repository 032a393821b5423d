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

  it('loads again after an invalidation, and after a failed load', async () => {
    const cache = createLiveCache(60_000);
    let loads = 0;
    await cache.get('t', async () => ++loads);
    cache.invalidate('t');
    expect(await cache.get('t', async () => ++loads)).toBe(2);
    await expect(cache.get('u', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cache.get('u', async () => 'back')).toBe('back');
  });

  it('with a max age of 0 loads every time', async () => {
    const cache = createLiveCache(0);
    let loads = 0;
    await cache.get('t', async () => ++loads);
    expect(await cache.get('t', async () => ++loads)).toBe(2);
  });
});
