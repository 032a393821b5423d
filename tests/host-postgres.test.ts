import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { IngestResult } from '@switchboard/contracts';
import { schema } from '@switchboard/db';
import { countStoredEvents, ndjson, post, sampleInteraction } from './support/events.ts';
import { startTestHost } from './support/host.ts';

const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
if (!databaseUrl && (process.env.CI === 'true' || process.env.CI === '1')) {
  throw new Error('CI is set but TEST_DATABASE_URL is not: scripts/test.sh starts PostgreSQL; run the suite through it.');
}

describe.skipIf(!databaseUrl)('host with DATABASE_URL (a real PostgreSQL)', () => {
  it('migrates PostgreSQL, authenticates keys stored there and stores events in chDB', async () => {
    const t = await startTestHost({ DATABASE_URL: databaseUrl! });
    expect(t.host.db.kind).toBe('postgres');
    const { tenantId, apiKey } = await t.createTenant();
    try {
      const health = (await (await fetch(`${t.url}/api/health`)).json()) as { db: string; telemetry: string };
      expect(health).toMatchObject({ db: 'postgres', telemetry: 'chdb' });
      const res = await post(t.url, apiKey, ndjson(sampleInteraction(new Date())), { 'idempotency-key': 'pg-1' });
      expect(res.status).toBe(200);
      expect(IngestResult.parse(await res.json()).accepted).toBe(4);
      expect((await countStoredEvents(t.host.telemetry.client, { tenantId })).rows).toBe(4);
      expect((await post(t.url, `${apiKey.slice(0, -1)}${apiKey.endsWith('x') ? 'y' : 'x'}`, ndjson(sampleInteraction(new Date())))).status).toBe(401);
    } finally {
      await t.host.db.db.delete(schema.tenants).where(eq(schema.tenants.id, tenantId));
      await t.stop();
    }
  });
});
