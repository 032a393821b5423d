import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiKeyAuthenticator } from './api-keys.ts';

describe('createApiKeyAuthenticator', () => {
  // The fake clock starts at 0, which lru-cache takes for "no TTL": start a second in.
  beforeEach(() => {
    vi.useFakeTimers();
    vi.advanceTimersByTime(1_000);
  });
  afterEach(() => vi.useRealTimers());

  it('checks a key once a minute however many requests carry it, and remembers an unknown key too', async () => {
    const checked: string[] = [];
    const authenticate = createApiKeyAuthenticator(async (key) => {
      checked.push(key);
      return key === 'good' ? { tenantId: 't1' } : null;
    }).get;
    expect(await Promise.all([authenticate('good'), authenticate('good'), authenticate('bad')])).toEqual([{ tenantId: 't1' }, { tenantId: 't1' }, null]);
    expect(await authenticate('bad')).toBeNull();
    expect(checked).toEqual(['good', 'bad']);
    await vi.advanceTimersByTimeAsync(60_001);
    expect(await authenticate('good')).toEqual({ tenantId: 't1' });
    expect(checked).toEqual(['good', 'bad', 'good']);
  });

  it('does not keep a failed check: the next request checks again', async () => {
    let calls = 0;
    const authenticate = createApiKeyAuthenticator(async () => {
      if (++calls === 1) throw new Error('postgres down');
      return { tenantId: 't1' };
    }).get;
    await expect(authenticate('k')).rejects.toThrow('postgres down');
    expect(await authenticate('k')).toEqual({ tenantId: 't1' });
    expect(calls).toBe(2);
  });

  it("passes on the tenant's retention as what ingest writes into its rows", async () => {
    const keys = createApiKeyAuthenticator(async () => ({ tenantId: 't1', retention: { retentionDays: 45 } }));
    expect(await keys.get('k')).toEqual({ tenantId: 't1', retention: { events: 45, transcripts: 45, rejections: 30 } });
  });

  it('checks again after clear, so a change this process made applies at once', async () => {
    let tenant: string | null = 't1';
    const keys = createApiKeyAuthenticator(async () => (tenant ? { tenantId: tenant } : null));
    expect(await keys.get('k')).toEqual({ tenantId: 't1' });
    tenant = null;
    expect(await keys.get('k')).toEqual({ tenantId: 't1' });
    keys.clear();
    expect(await keys.get('k')).toBeNull();
  });
});
