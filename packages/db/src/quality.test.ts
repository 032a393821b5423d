import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { seedTenant } from './center-config.ts';
import {
  acknowledgeEvaluation,
  countReviewsSince,
  decideDispute,
  ensureBuiltInForm,
  listDisputes,
  machineHumanPairs,
  countOpenDisputes,
  markOpenDisputes,
  raiseDisputes,
  EvaluationStateError,
  finalizeEvaluation,
  qualityTrends,
  releaseEvaluation,
  reviewAnswers,
  getEvaluationCursor,
  getEvaluationWithAnswers,
  latestFormVersion,
  listEvaluations,
  saveEvaluationPlan,
  saveFormVersion,
  storeEvaluations,
  type NewEvaluation,
} from './quality.ts';
import { auditLog, qualityForms, users } from './schema.ts';
import { withTenant } from './tenancy.ts';
import { buildCenterConfig } from '../test/center-config.ts';
import { describeEngines } from '../test/engines.ts';

const definition = { name: 'Mini', sections: [] };

describeEngines('quality', (ctx) => {
  const seed = async (label: string) => ctx.cleanUp(await seedTenant(ctx.db, { slug: ctx.slug(label), name: label, config: buildCenterConfig() }));
  /** A user to answer as (answers and finalizations name who did them). */
  const reviewer = async () => {
    const id = `analyst-${randomUUID()}`;
    await ctx.db.insert(users).values({ id, name: 'Analyst', email: `${id}@quality.test` });
    return id;
  };
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

  it('reviews: accepts, overrides with a reason beside the machine answer, finalizes against what was scored, releases; all audited', async () => {
    const tenantId = await seed('quality-review');
    const form = await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition });
    await storeEvaluations(ctx.db, tenantId, [evaluation(form.id, 'i-1', 'unsure')], new Date());
    const [row] = await listEvaluations(ctx.db, tenantId, { statuses: ['in_review'] });
    expect(row!.open).toBe(1);
    const user = await reviewer();

    await expect(reviewAnswers(ctx.db, tenantId, user, row!.id, [{ questionId: 'empathy', answer: 'yes', reason: ' ' }])).rejects.toThrow(EvaluationStateError);
    await reviewAnswers(ctx.db, tenantId, user, row!.id, [
      { questionId: 'empathy', answer: 'yes', reason: 'acknowledged the worry in turn 5' },
      { questionId: 'greeting', answer: 'yes', reason: null },
      { questionId: 'notes_quality', answer: 'no', reason: null },
    ]);
    const reviewed = (await getEvaluationWithAnswers(ctx.db, tenantId, row!.id))!;
    expect(reviewed.answers.map((a) => [a.questionId, a.machineAnswer, a.finalAnswer, a.overrideReason]).sort()).toEqual([
      ['empathy', 'no', 'yes', 'acknowledged the worry in turn 5'],
      ['greeting', 'yes', 'yes', null],
      ['notes_quality', null, 'no', null],
    ]);
    expect((await listEvaluations(ctx.db, tenantId, { failedQuestion: 'notes_quality' })).map((e) => e.id)).toEqual([row!.id]);
    expect(await listEvaluations(ctx.db, tenantId, { failedQuestion: 'empathy' })).toEqual([]);

    // Scored against answers that have changed since: refused, nothing finalized.
    const stale = new Map([
      ['empathy', 'no'],
      ['greeting', 'yes'],
      ['notes_quality', 'no'],
    ]);
    await expect(finalizeEvaluation(ctx.db, tenantId, user, row!.id, { answered: stale, score: 50, failedCritical: false, release: false })).rejects.toThrow(
      /answers changed/,
    );
    await expect(releaseEvaluation(ctx.db, tenantId, user, row!.id)).rejects.toThrow(/only a finalized evaluation/);
    const answered = new Map(stale).set('empathy', 'yes');
    const finalized = await finalizeEvaluation(ctx.db, tenantId, user, row!.id, { answered, score: 66.67, failedCritical: false, release: false });
    expect(finalized).toMatchObject({ status: 'finalized', score: 66.67, finalizedBy: user, releasedAt: null });
    await expect(reviewAnswers(ctx.db, tenantId, user, row!.id, [{ questionId: 'greeting', answer: 'no', reason: 'x' }])).rejects.toThrow(/finalized/);
    expect(await releaseEvaluation(ctx.db, tenantId, user, row!.id)).toMatchObject({ status: 'released' });
    expect(await releaseEvaluation(ctx.db, tenantId, user, randomUUID())).toBeNull();

    const actions = await withTenant(ctx.db, tenantId, (tx) =>
      tx.select({ action: auditLog.action, objectId: auditLog.objectId }).from(auditLog).where(eq(auditLog.tenantId, tenantId)),
    );
    expect(
      actions
        .filter((a) => a.action.startsWith('evaluation.'))
        .map((a) => [a.action, a.objectId])
        .sort(),
    ).toEqual(
      [
        ['evaluation.answer', `${row!.id}:greeting`],
        ['evaluation.answer', `${row!.id}:notes_quality`],
        ['evaluation.finalize', row!.id],
        ['evaluation.override', `${row!.id}:empathy`],
        ['evaluation.release', row!.id],
      ].sort(),
    );
  });

  it('sums scores and failed questions per period of the given bounds', async () => {
    const tenantId = await seed('quality-trends');
    const form = await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition });
    const at = (iso: string, id: string, score: number | null) => ({ ...evaluation(form.id, id), interactionEndedAt: new Date(iso), score });
    await storeEvaluations(
      ctx.db,
      tenantId,
      [
        at('2026-11-30T10:00:00Z', 'w1-a', 80),
        at('2026-12-01T10:00:00Z', 'w1-b', 100),
        at('2026-12-08T09:00:00Z', 'w2-a', null),
        at('2026-12-20T09:00:00Z', 'later', 10),
      ],
      new Date(),
    );
    const bounds = [new Date('2026-11-30T00:00:00Z'), new Date('2026-12-07T00:00:00Z'), new Date('2026-12-14T00:00:00Z')];
    const { scores, questions } = await qualityTrends(ctx.db, tenantId, bounds, { agentKeys: null });
    expect(scores.map((r) => [r.period, r.evaluations, r.scored, r.scoreSum]).sort()).toEqual([
      [0, 2, 2, 180],
      [1, 1, 0, 0],
    ]);
    // Empathy needed review (no final answer yet): it does not count until someone answers it.
    expect(questions.map((q) => [q.period, q.questionId, q.answered, q.failed]).sort()).toEqual([
      [0, 'empathy', 0, 0],
      [0, 'greeting', 2, 0],
      [1, 'empathy', 0, 0],
      [1, 'greeting', 1, 0],
    ]);
    expect((await qualityTrends(ctx.db, tenantId, bounds, { agentKeys: ['someone-else'] })).scores).toEqual([]);
  });

  it('disputes: the agent disputes answers of a released evaluation (never an N/A one), a lead upholds or changes, the score follows', async () => {
    const tenantId = await seed('quality-disputes');
    const form = await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition });
    const base = evaluation(form.id, 'i-1');
    await storeEvaluations(
      ctx.db,
      tenantId,
      [{ ...base, answers: [...base.answers.map((a) => ({ ...a, needsReview: false })), { ...base.answers[0]!, questionId: 'hold', machineAnswer: 'na' }] }],
      new Date(),
    );
    const [row] = await listEvaluations(ctx.db, tenantId, {});
    const user = await reviewer();
    const answered = new Map([
      ['greeting', 'yes'],
      ['empathy', 'no'],
      ['hold', 'na'],
    ]);
    // Not released yet: the agent cannot dispute (nor acknowledge) it.
    expect(await raiseDisputes(ctx.db, tenantId, user, 'agent-1', row!.id, [{ questionId: 'empathy', comment: 'I did say sorry' }])).toBeNull();
    await finalizeEvaluation(ctx.db, tenantId, user, row!.id, { answered, score: 50, failedCritical: false, release: true });
    expect(await acknowledgeEvaluation(ctx.db, tenantId, 'someone-else', row!.id)).toBeNull();
    expect((await acknowledgeEvaluation(ctx.db, tenantId, 'agent-1', row!.id))!.acknowledgedAt).not.toBeNull();

    await expect(raiseDisputes(ctx.db, tenantId, user, 'agent-1', row!.id, [{ questionId: 'hold', comment: 'x' }])).rejects.toThrow(/N\/A/);
    expect(await raiseDisputes(ctx.db, tenantId, user, 'someone-else', row!.id, [{ questionId: 'empathy', comment: 'x' }])).toBeNull();
    const [dispute] = (await raiseDisputes(ctx.db, tenantId, user, 'agent-1', row!.id, [{ questionId: 'empathy', comment: 'I did say sorry' }]))!;
    expect(dispute).toMatchObject({ status: 'open', answerBefore: 'no' });
    await expect(raiseDisputes(ctx.db, tenantId, user, 'agent-1', row!.id, [{ questionId: 'empathy', comment: 'again' }])).rejects.toThrow(/disputed already/);
    expect((await getEvaluationWithAnswers(ctx.db, tenantId, row!.id))!.status).toBe('disputed');
    expect(await countOpenDisputes(ctx.db, tenantId, row!.id, 'reminded')).toBe(1);
    expect(await markOpenDisputes(ctx.db, tenantId, row!.id, 'reminded')).toBe(1);
    // Reminded now (a retried reminder finds none to tell), not escalated yet.
    expect(await countOpenDisputes(ctx.db, tenantId, row!.id, 'reminded')).toBe(0);
    expect(await countOpenDisputes(ctx.db, tenantId, row!.id, 'escalated')).toBe(1);
    expect(await countOpenDisputes(ctx.db, tenantId, row!.id)).toBe(1);

    const rescored: ReadonlyMap<string, string>[] = [];
    const decided = await decideDispute(ctx.db, tenantId, user, dispute!.id, { answer: 'yes', note: 'turn 5 acknowledges it' }, (answers) => {
      rescored.push(answers);
      return { score: 100, failedCritical: false };
    });
    expect(decided!.dispute).toMatchObject({ status: 'changed', answerBefore: 'no', answerAfter: 'yes', decidedBy: user });
    expect(decided!.evaluation).toMatchObject({ status: 'released', score: 100 });
    expect(rescored[0]!.get('empathy')).toBe('yes');
    const after = (await getEvaluationWithAnswers(ctx.db, tenantId, row!.id))!;
    expect(after.answers.find((a) => a.questionId === 'empathy')).toMatchObject({
      machineAnswer: 'no',
      finalAnswer: 'yes',
      overrideReason: 'dispute: turn 5 acknowledges it',
    });
    await expect(decideDispute(ctx.db, tenantId, user, dispute!.id, { answer: null, note: 'x' }, () => ({ score: 0, failedCritical: true }))).rejects.toThrow(
      /decided already/,
    );
    expect(await markOpenDisputes(ctx.db, tenantId, row!.id, 'escalated')).toBe(0);
    const listed = await listDisputes(ctx.db, tenantId, { agentKeys: ['agent-1'] });
    expect(listed.map((d) => [d.status, d.remindedAt !== null, d.escalatedAt])).toEqual([['changed', true, null]]);
    expect(await listDisputes(ctx.db, tenantId, { statuses: ['open'] })).toEqual([]);
    expect((await listDisputes(ctx.db, tenantId, { ids: [dispute!.id] })).map((d) => d.id)).toEqual([dispute!.id]);
    expect(await listDisputes(ctx.db, tenantId, { ids: [randomUUID()] })).toEqual([]);
  });

  it('pairs automatic answers with the answers people gave, per period and question', async () => {
    const tenantId = await seed('quality-pairs');
    const form = await ensureBuiltInForm(ctx.db, tenantId, { key: 'standard', name: 'Standard', definition });
    await storeEvaluations(ctx.db, tenantId, [evaluation(form.id, 'i-1', 'unsure')], new Date());
    const [row] = await listEvaluations(ctx.db, tenantId, {});
    const user = await reviewer();
    await reviewAnswers(ctx.db, tenantId, user, row!.id, [{ questionId: 'empathy', answer: 'yes', reason: 'it was there' }]);
    const bounds = [new Date('2026-11-30T00:00:00Z'), new Date('2026-12-07T00:00:00Z')];
    // In review: not counted until finalized.
    expect(await machineHumanPairs(ctx.db, tenantId, bounds)).toEqual([]);
    const answered = new Map([
      ['greeting', 'yes'],
      ['empathy', 'yes'],
    ]);
    await finalizeEvaluation(ctx.db, tenantId, user, row!.id, { answered, score: 100, failedCritical: false, release: false });
    // The greeting stood as the machine's sure answer, nobody confirmed it: only the empathy pair counts.
    expect(await machineHumanPairs(ctx.db, tenantId, bounds)).toEqual([{ period: 0, questionId: 'empathy', machine: 'no', human: 'yes', n: 1 }]);
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
      teamIds: [],
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
