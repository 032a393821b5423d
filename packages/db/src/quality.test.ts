import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { seedTenant } from './center-config.ts';
import {
  countReviewsSince,
  ensureBuiltInForm,
  getEvaluationCursor,
  getEvaluationWithAnswers,
  latestFormVersion,
  listEvaluations,
  saveEvaluationPlan,
  saveFormVersion,
  storeEvaluations,
  type NewEvaluation,
} from './quality.ts';
import { auditLog, qualityForms } from './schema.ts';
import { withTenant } from './tenancy.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';

const definition = { name: 'Mini', sections: [] };

describeEngines('quality', (ctx) => {
  const seed = async (label: string) => ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug(label), name: label, config: buildCenterConfig() }));
  const evaluation = (formId: string, interactionId: string, reviewReason: string | null = null): NewEvaluation => ({
    interactionId,
    agentKey: 'agent-1',
    queueKey: 'voice',
    channel: 'voice',
    formId,
    planId: null,
    reviewReason,
    score: 87.5,
    failedCritical: false,
    interactionEndedAt: new Date('2026-12-01T10:00:00Z'),
    answers: [
      { questionId: 'greeting', machineAnswer: 'yes', confidence: 0.9, evidence: [{ segment_index: 1, start: 0, end: 5 }], needsReview: false },
      { questionId: 'empathy', machineAnswer: 'no', confidence: 0.6, evidence: [{ segment_index: 3, start: 0, end: 20 }], needsReview: true },
    ],
  });

  it('keeps form versions, freezes a version once an evaluation used it, and audits saves', async () => {
    const tenantId = await seed('quality-forms');
    const first = await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition });
    expect(first).toMatchObject({ version: 1, builtIn: true });
    expect((await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition })).id).toBe(first.id);
    const second = await saveFormVersion(ctx.db, tenantId, null, { key: 'standard', name: 'Standard (edited)', definition });
    expect(second.version).toBe(2);
    expect((await latestFormVersion(ctx.db, tenantId, 'standard'))!.id).toBe(second.id);

    await storeEvaluations(ctx.db, tenantId, [evaluation(first.id, 'i-1')], new Date('2026-12-01T10:00:05Z'));
    const edit = withTenant(ctx.db, tenantId, (tx) => tx.update(qualityForms).set({ name: 'sneaky' }).where(eq(qualityForms.id, first.id)));
    await expect(edit).rejects.toMatchObject({ cause: { message: expect.stringContaining('is used by evaluations: save a new version instead') } });
    // An unused version may still be corrected or removed.
    await withTenant(ctx.db, tenantId, (tx) => tx.update(qualityForms).set({ name: 'Standard v2' }).where(eq(qualityForms.id, second.id)));
    const audits = await withTenant(ctx.db, tenantId, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, 'quality_form.save'))),
    );
    expect(audits.map((a) => a.objectId).sort()).toEqual([first.id, second.id].sort());
  });

  it('stores a batch of evaluations once however often it is retried, and moves the cursor only forward', async () => {
    const tenantId = await seed('quality-store');
    const form = await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition });
    const batch = [evaluation(form.id, 'i-1'), evaluation(form.id, 'i-2', 'random')];
    expect(await storeEvaluations(ctx.db, tenantId, batch, new Date('2026-12-01T10:00:05Z'))).toBe(2);
    expect(await storeEvaluations(ctx.db, tenantId, batch, new Date('2026-12-01T10:00:03Z'))).toBe(0);
    expect(await getEvaluationCursor(ctx.db, tenantId)).toEqual(new Date('2026-12-01T10:00:05Z'));

    const stored = await listEvaluations(ctx.db, tenantId, {});
    expect(stored.map((e) => [e.interactionId, e.status]).sort()).toEqual([
      ['i-1', 'scored'],
      ['i-2', 'in_review'],
    ]);
    const full = (await getEvaluationWithAnswers(ctx.db, tenantId, stored.find((e) => e.interactionId === 'i-2')!.id))!;
    expect(full.answers.map((a) => [a.questionId, a.machineAnswer, a.finalAnswer, a.needsReview]).sort()).toEqual([
      ['empathy', 'no', null, true],
      ['greeting', 'yes', 'yes', false],
    ]);
    expect(full.answers.find((a) => a.questionId === 'greeting')!.evidence).toEqual([{ segment_index: 1, start: 0, end: 5 }]);
    expect(await countReviewsSince(ctx.db, tenantId, new Date('2026-11-30T00:00:00Z'))).toEqual(new Map([['agent-1', 1]]));
    expect(await listEvaluations(ctx.db, tenantId, { agentKeys: [] })).toEqual([]);
  });

  it('keeps tenants apart', async () => {
    const a = await seed('quality-iso-a');
    const b = await seed('quality-iso-b');
    const form = await ensureBuiltInForm(ctx.db, a, { key: 'standard', name: 'Standard', definition });
    await storeEvaluations(ctx.db, a, [evaluation(form.id, 'i-1')], new Date());
    await saveEvaluationPlan(ctx.db, a, null, {
      key: 'all',
      name: 'All',
      formKey: 'standard',
      queueIds: [],
      reviewPercent: 2,
      minReviewsPerAgentWeek: 1,
      targets: { transfer: true },
      active: true,
    });
    expect(await listEvaluations(ctx.db, b, {})).toEqual([]);
    expect(await getEvaluationWithAnswers(ctx.db, b, (await listEvaluations(ctx.db, a, {}))[0]!.id)).toBeNull();
    const leaked = await withTenant(ctx.db, b, (tx) => tx.execute(sql`select count(*)::int as n from evaluations`));
    expect((leaked.rows[0] as { n: number }).n).toBe(0);
  });
});
