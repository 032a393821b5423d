import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createDb } from './client.ts';
import { vacuumGrownTables } from './maintenance.ts';
import { migrateDb } from './migrate.ts';
import { ensureBuiltInForm, storeEvaluations } from './quality.ts';
import { createTenant } from './tenants.ts';

it('vacuums and analyses the PGlite tables that grew since their last vacuum, and only those', async () => {
  const handle = await createDb({});
  if (handle.kind !== 'pglite') throw new Error('expected PGlite');
  try {
    await migrateDb(handle);
    await vacuumGrownTables(handle.client);
    const tenant = await createTenant(handle.db, { slug: `vacuum-${randomUUID().slice(0, 8)}`, name: 'Vacuum' });
    const form = await ensureBuiltInForm(handle.db, tenant.id, { key: 'standard', name: 'Standard', definition: { name: 'Standard', sections: [] } });
    const answer = (questionId: string) => ({
      questionId,
      machineAnswer: 'yes',
      confidence: 0.9,
      evidence: [{ segment_index: 0, start: 0, end: 5 }],
      needsReview: false,
    });
    const batch = Array.from({ length: 3_000 }, (_, n) => ({
      interactionId: `i-${n}`,
      agentKey: 'a-1',
      queueKey: 'voice',
      channel: 'voice',
      formId: form.id,
      planId: null,
      reviewReason: null,
      score: 100,
      failedCritical: false,
      interactionEndedAt: new Date('2026-12-01T10:00:00Z'),
      answers: [answer('greeting'), answer('closing')],
    }));
    expect(await storeEvaluations(handle.db, tenant.id, batch, new Date())).toBe(3_000);
    const estimate = async (table: string) =>
      (await handle.client.query<{ n: number }>(`select reltuples::int as n from pg_class where oid = $1::regclass`, [table])).rows[0]!.n;
    // What the planner believed before: the table as it was when last vacuumed (never: -1).
    expect(await estimate('evaluations')).toBeLessThan(1);

    const vacuumed = await vacuumGrownTables(handle.client);
    expect(vacuumed).toEqual(expect.arrayContaining(['public.evaluations', 'public.evaluation_answers']));
    expect(vacuumed).not.toContain('public.users');
    expect(await estimate('evaluations')).toBe(3_000);
    expect(await estimate('evaluation_answers')).toBe(6_000);
    // Nothing grew since.
    expect(await vacuumGrownTables(handle.client)).toEqual([]);
  } finally {
    await handle.close();
  }
});
