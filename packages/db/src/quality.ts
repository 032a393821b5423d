import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, lt, max, sql, type SQL } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { evaluationAnswers, evaluationCursors, evaluationDisputes, evaluationPlans, evaluations, qualityForms } from './schema.ts';
import { withTenant, type Tx } from './tenancy.ts';

/**
 * What quality management keeps: form versions (a version once used is frozen by the database), evaluation plans,
 * evaluations with every answer's machine answer, confidence and evidence beside the final one, and how far each
 * tenant's ended interactions have been evaluated. Changes people make are audited in the same transaction.
 */

export type QualityFormRow = typeof qualityForms.$inferSelect;
export type EvaluationPlanRow = typeof evaluationPlans.$inferSelect;
export type EvaluationRow = typeof evaluations.$inferSelect;
export type EvaluationAnswerRow = typeof evaluationAnswers.$inferSelect;

// ── forms ────────────────────────────────────────────────────────────────────

/** Saves a form as a new version of its key (version 1 when the key is new). */
export function saveFormVersion(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { key: string; name: string; definition: Record<string, unknown>; builtIn?: boolean },
): Promise<QualityFormRow> {
  return withTenant(db, tenantId, async (tx) => {
    // One version number per key at a time: the advisory lock serialises saves of the same form.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`quality_form:${tenantId}:${input.key}`}))`);
    const [{ latest }] = (await tx
      .select({ latest: max(qualityForms.version) })
      .from(qualityForms)
      .where(and(eq(qualityForms.tenantId, tenantId), eq(qualityForms.key, input.key)))) as [{ latest: number | null }];
    const [row] = await tx
      .insert(qualityForms)
      .values({
        tenantId,
        key: input.key,
        version: (latest ?? 0) + 1,
        name: input.name,
        definition: input.definition,
        builtIn: input.builtIn ?? false,
        createdBy: userId,
      })
      .returning();
    await audit(tx, tenantId, userId, 'quality_form.save', 'quality_form', row!.id);
    return row!;
  });
}

/** The built-in template, saved once per tenant (a tenant's own edits become later versions). */
export async function ensureBuiltInForm(
  db: Db,
  tenantId: string,
  input: { key: string; name: string; definition: Record<string, unknown> },
): Promise<QualityFormRow> {
  return (await latestFormVersion(db, tenantId, input.key)) ?? saveFormVersion(db, tenantId, null, { ...input, builtIn: true });
}

export function latestFormVersion(db: Db, tenantId: string, key: string): Promise<QualityFormRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(qualityForms)
      .where(and(eq(qualityForms.tenantId, tenantId), eq(qualityForms.key, key)))
      .orderBy(desc(qualityForms.version))
      .limit(1);
    return row ?? null;
  });
}

export function getFormVersion(db: Db, tenantId: string, id: string): Promise<QualityFormRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(qualityForms)
      .where(and(eq(qualityForms.tenantId, tenantId), eq(qualityForms.id, id)));
    return row ?? null;
  });
}

/** A form version without its definition, and whether an evaluation uses it (then the database keeps it frozen). */
type FormVersionSummary = Pick<QualityFormRow, 'id' | 'key' | 'version' | 'name' | 'builtIn' | 'createdAt'> & { used: boolean };

const versionSummary = {
  id: qualityForms.id,
  key: qualityForms.key,
  version: qualityForms.version,
  name: qualityForms.name,
  builtIn: qualityForms.builtIn,
  createdAt: qualityForms.createdAt,
};

// The outer row's columns are spelled out: drizzle leaves a column of the selected table unqualified in a select's
// sql, which a subquery would then read as its own.
const sameKey = sql`v.tenant_id = quality_forms.tenant_id and v.key = quality_forms.key`;

/** Each form's latest version by key, with how many versions it has and whether an evaluation uses any of them. */
export function listForms(db: Db, tenantId: string): Promise<(FormVersionSummary & { versions: number })[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .selectDistinctOn([qualityForms.key], {
        ...versionSummary,
        versions: sql<number>`(select count(*)::int from quality_forms v where ${sameKey})`,
        used: sql<boolean>`exists (select 1 from quality_forms v join evaluations e on e.tenant_id = v.tenant_id and e.form_id = v.id where ${sameKey})`,
      })
      .from(qualityForms)
      .where(eq(qualityForms.tenantId, tenantId))
      .orderBy(qualityForms.key, desc(qualityForms.version)),
  );
}

/** Every version of a form, latest first; empty when the key has none. */
export function listFormVersions(db: Db, tenantId: string, key: string): Promise<FormVersionSummary[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        ...versionSummary,
        used: sql<boolean>`exists (select 1 from evaluations e where e.tenant_id = quality_forms.tenant_id and e.form_id = quality_forms.id)`,
      })
      .from(qualityForms)
      .where(and(eq(qualityForms.tenantId, tenantId), eq(qualityForms.key, key)))
      .orderBy(desc(qualityForms.version)),
  );
}

// ── plans ────────────────────────────────────────────────────────────────────

export function listEvaluationPlans(db: Db, tenantId: string): Promise<EvaluationPlanRow[]> {
  return withTenant(db, tenantId, (tx) => tx.select().from(evaluationPlans).where(eq(evaluationPlans.tenantId, tenantId)).orderBy(evaluationPlans.key));
}

export type EvaluationPlanInput = Pick<
  EvaluationPlanRow,
  'key' | 'name' | 'formKey' | 'queueIds' | 'teamIds' | 'reviewPercent' | 'minReviewsPerAgentWeek' | 'targets' | 'active'
>;

/** Creates or replaces a plan by key. */
export function saveEvaluationPlan(db: Db, tenantId: string, userId: string | null, input: EvaluationPlanInput): Promise<EvaluationPlanRow> {
  return withTenant(db, tenantId, async (tx) => {
    const values = { ...input, tenantId, updatedBy: userId, updatedAt: new Date() };
    const [row] = await tx
      .insert(evaluationPlans)
      .values(values)
      .onConflictDoUpdate({ target: [evaluationPlans.tenantId, evaluationPlans.key], set: values })
      .returning();
    await audit(tx, tenantId, userId, 'evaluation_plan.save', 'evaluation_plan', row!.id);
    return row!;
  });
}

// ── evaluations ──────────────────────────────────────────────────────────────

export function getEvaluationCursor(db: Db, tenantId: string): Promise<Date | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx.select().from(evaluationCursors).where(eq(evaluationCursors.tenantId, tenantId));
    return row?.receivedUpTo ?? null;
  });
}

export interface NewEvaluation {
  interactionId: string;
  agentKey: string;
  queueKey: string;
  channel: string;
  formId: string;
  planId: string | null;
  reviewReason: string | null;
  score: number | null;
  failedCritical: boolean;
  interactionEndedAt: Date;
  answers: { questionId: string; machineAnswer: string; confidence: number; evidence: unknown[]; needsReview: boolean }[];
}

/**
 * Stores a batch of machine evaluations and moves the tenant's cursor (when given), in one transaction: a batch
 * retried after a crash stores nothing twice (one evaluation per interaction and form version) and the cursor never
 * runs ahead of what was stored. Returns how many were new.
 */
export function storeEvaluations(db: Db, tenantId: string, batch: readonly NewEvaluation[], cursor: Date | null): Promise<number> {
  return withTenant(db, tenantId, async (tx) => {
    // Rows go as one JSON document a statement rather than as tens of thousands of bound values: building and
    // binding those took longer than the database took to store them.
    const rows =
      batch.length === 0
        ? []
        : (
            await tx.execute<{ id: string; interaction_id: string; form_id: string }>(sql`
              insert into ${evaluations} (tenant_id, interaction_id, agent_key, queue_key, channel, form_id, plan_id, review_reason, status, score, failed_critical, interaction_ended_at)
              select ${tenantId}, e.interaction_id, e.agent_key, e.queue_key, e.channel, e.form_id, e.plan_id, e.review_reason,
                     (case when e.review_reason is null then 'scored' else 'in_review' end)::evaluation_status, e.score, e.failed_critical, e.interaction_ended_at
                from jsonb_to_recordset(${JSON.stringify(
                  batch.map((e) => ({
                    interaction_id: e.interactionId,
                    agent_key: e.agentKey,
                    queue_key: e.queueKey,
                    channel: e.channel,
                    form_id: e.formId,
                    plan_id: e.planId,
                    review_reason: e.reviewReason,
                    score: e.score,
                    failed_critical: e.failedCritical,
                    interaction_ended_at: e.interactionEndedAt.toISOString(),
                  })),
                )}::jsonb)
                  as e(interaction_id text, agent_key text, queue_key text, channel text, form_id uuid, plan_id uuid, review_reason text,
                       score double precision, failed_critical boolean, interaction_ended_at timestamptz)
              on conflict (tenant_id, interaction_id, form_id) do nothing
              returning id, interaction_id, form_id`)
          ).rows;
    const byKey = new Map(batch.map((e) => [`${e.interactionId}\u0000${e.formId}`, e]));
    const answers = rows.flatMap((r) =>
      byKey.get(`${r.interaction_id}\u0000${r.form_id}`)!.answers.map((a) => ({
        evaluation_id: r.id,
        question_id: a.questionId,
        machine_answer: a.machineAnswer,
        confidence: a.confidence,
        evidence: a.evidence,
        needs_review: a.needsReview,
        // A sure machine answer stands until a person changes it.
        final_answer: a.needsReview ? null : a.machineAnswer,
      })),
    );
    if (answers.length > 0)
      await tx.execute(sql`
        insert into ${evaluationAnswers} (tenant_id, evaluation_id, question_id, machine_answer, confidence, evidence, needs_review, final_answer)
        select ${tenantId}, a.evaluation_id, a.question_id, a.machine_answer, a.confidence, coalesce(a.evidence, '[]'), a.needs_review, a.final_answer
          from jsonb_to_recordset(${JSON.stringify(answers)}::jsonb)
            as a(evaluation_id uuid, question_id text, machine_answer text, confidence double precision, evidence jsonb, needs_review boolean, final_answer text)`);
    const stored = rows.length;
    if (cursor === null) return stored;
    await tx
      .insert(evaluationCursors)
      .values({ tenantId, receivedUpTo: cursor })
      .onConflictDoUpdate({
        target: evaluationCursors.tenantId,
        set: { receivedUpTo: sql`greatest(${evaluationCursors.receivedUpTo}, excluded.received_up_to)` },
      });
    return stored;
  });
}

/** Evaluations sent to analysts since `since`, per agent: what the plan's weekly minimum counts. */
export function countReviewsSince(db: Db, tenantId: string, since: Date): Promise<Map<string, number>> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select({ agentKey: evaluations.agentKey, n: sql<number>`count(*)::int` })
      .from(evaluations)
      .where(and(eq(evaluations.tenantId, tenantId), gte(evaluations.interactionEndedAt, since), sql`${evaluations.reviewReason} is not null`))
      .groupBy(evaluations.agentKey);
    return new Map(rows.map((r) => [r.agentKey, r.n]));
  });
}

export function getEvaluationWithAnswers(db: Db, tenantId: string, id: string): Promise<(EvaluationRow & { answers: EvaluationAnswerRow[] }) | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(evaluations)
      .where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.id, id)));
    if (!row) return null;
    const answers = await tx
      .select()
      .from(evaluationAnswers)
      .where(and(eq(evaluationAnswers.tenantId, tenantId), eq(evaluationAnswers.evaluationId, id)));
    return { ...row, answers };
  });
}

export interface EvaluationFilter {
  statuses?: EvaluationRow['status'][];
  /** Null: every agent of the tenant. */
  agentKeys?: readonly string[] | null;
  queueKeys?: readonly string[];
  /** Only evaluations whose final answer to this question is "no". */
  failedQuestion?: string;
  /** Interactions that ended in [from, to). */
  from?: Date;
  to?: Date;
  limit?: number;
}

const anyOf = (column: typeof evaluations.agentKey | typeof evaluations.queueKey, keys: readonly string[]) =>
  inArray(column, keys.length > 0 ? [...keys] : ['']);

function evaluationsWhere(tenantId: string, filter: EvaluationFilter) {
  return and(
    eq(evaluations.tenantId, tenantId),
    filter.statuses ? inArray(evaluations.status, filter.statuses) : undefined,
    filter.agentKeys ? anyOf(evaluations.agentKey, filter.agentKeys) : undefined,
    filter.queueKeys ? anyOf(evaluations.queueKey, filter.queueKeys) : undefined,
    filter.from ? gte(evaluations.interactionEndedAt, filter.from) : undefined,
    filter.to ? lt(evaluations.interactionEndedAt, filter.to) : undefined,
    filter.failedQuestion
      ? sql`exists (select 1 from ${evaluationAnswers} a where a.tenant_id = ${evaluations.tenantId} and a.evaluation_id = ${evaluations.id}
                      and a.question_id = ${filter.failedQuestion} and a.final_answer = 'no')`
      : undefined,
  );
}

/** Evaluations, latest interaction first, each with how many of its answers still wait for a person. */
export function listEvaluations(db: Db, tenantId: string, filter: EvaluationFilter): Promise<(EvaluationRow & { open: number })[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        ...getTableColumns(evaluations),
        open: sql<number>`(select count(*)::int from ${evaluationAnswers} a
                            where a.tenant_id = ${evaluations.tenantId} and a.evaluation_id = ${evaluations.id} and a.final_answer is null)`,
      })
      .from(evaluations)
      .where(evaluationsWhere(tenantId, filter))
      .orderBy(desc(evaluations.interactionEndedAt), asc(evaluations.id))
      .limit(filter.limit ?? 200),
  );
}

// ── review ───────────────────────────────────────────────────────────────────

/** A change the evaluation's state does not allow (finalized already, answers changed meanwhile…). */
export class EvaluationStateError extends Error {}

const reviewable: readonly EvaluationRow['status'][] = ['in_review', 'scored'];

async function lockEvaluation(tx: Tx, tenantId: string, id: string): Promise<EvaluationRow | null> {
  const [row] = await tx
    .select()
    .from(evaluations)
    .where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.id, id)))
    .for('update');
  return row ?? null;
}

export interface AnswerReview {
  questionId: string;
  answer: string;
  /** Required when the answer differs from the machine's: kept beside it. */
  reason: string | null;
}

/**
 * A person's answers to questions of an evaluation that is not finalized: accepting keeps the machine's answer,
 * overriding keeps both with the reason; questions no rule answered get their first answer. An evaluation an analyst
 * touches goes to review. Null when there is no such evaluation.
 */
export function reviewAnswers(
  db: Db,
  tenantId: string,
  userId: string | null,
  evaluationId: string,
  reviews: readonly AnswerReview[],
): Promise<EvaluationRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const row = await lockEvaluation(tx, tenantId, evaluationId);
    if (!row) return null;
    if (!reviewable.includes(row.status)) throw new EvaluationStateError(`the evaluation is ${row.status}: its answers can no longer change`);
    const existing = await tx
      .select({ questionId: evaluationAnswers.questionId, machineAnswer: evaluationAnswers.machineAnswer })
      .from(evaluationAnswers)
      .where(and(eq(evaluationAnswers.tenantId, tenantId), eq(evaluationAnswers.evaluationId, evaluationId)));
    const machine = new Map(existing.map((a) => [a.questionId, a.machineAnswer]));
    const answeredAt = new Date();
    for (const review of reviews) {
      const machineAnswer = machine.get(review.questionId) ?? null;
      const overrides = machineAnswer !== null && machineAnswer !== review.answer;
      if (overrides && !review.reason?.trim()) throw new EvaluationStateError(`${review.questionId}: say why you change the automatic answer`);
      const values = { finalAnswer: review.answer, overrideReason: overrides ? review.reason!.trim() : null, answeredBy: userId, answeredAt };
      await tx
        .insert(evaluationAnswers)
        .values({ tenantId, evaluationId, questionId: review.questionId, machineAnswer: null, ...values })
        .onConflictDoUpdate({ target: [evaluationAnswers.tenantId, evaluationAnswers.evaluationId, evaluationAnswers.questionId], set: values });
      await audit(tx, tenantId, userId, overrides ? 'evaluation.override' : 'evaluation.answer', 'evaluation', `${evaluationId}:${review.questionId}`);
    }
    const [updated] = await tx
      .update(evaluations)
      .set({ status: 'in_review' })
      .where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.id, evaluationId)))
      .returning();
    return updated!;
  });
}

/**
 * Finalizes an evaluation with the score its final answers make. `answered` is the answers the caller scored: when
 * they no longer match what is stored (another analyst changed one meanwhile) nothing is finalized.
 */
export function finalizeEvaluation(
  db: Db,
  tenantId: string,
  userId: string | null,
  evaluationId: string,
  scored: { answered: ReadonlyMap<string, string>; score: number | null; failedCritical: boolean; release: boolean },
): Promise<EvaluationRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const row = await lockEvaluation(tx, tenantId, evaluationId);
    if (!row) return null;
    if (!reviewable.includes(row.status)) throw new EvaluationStateError(`the evaluation is ${row.status} already`);
    const answers = await tx
      .select({ questionId: evaluationAnswers.questionId, finalAnswer: evaluationAnswers.finalAnswer })
      .from(evaluationAnswers)
      .where(and(eq(evaluationAnswers.tenantId, tenantId), eq(evaluationAnswers.evaluationId, evaluationId)));
    const stored = answers.filter((a) => a.finalAnswer !== null);
    if (stored.length !== scored.answered.size || stored.some((a) => scored.answered.get(a.questionId) !== a.finalAnswer)) {
      throw new EvaluationStateError('the answers changed while you were looking: reload the evaluation and finalize again');
    }
    const at = new Date();
    const [updated] = await tx
      .update(evaluations)
      .set({
        status: scored.release ? 'released' : 'finalized',
        score: scored.score,
        failedCritical: scored.failedCritical,
        finalizedBy: userId,
        finalizedAt: at,
        releasedAt: scored.release ? at : null,
      })
      .where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.id, evaluationId)))
      .returning();
    await audit(tx, tenantId, userId, scored.release ? 'evaluation.finalize_release' : 'evaluation.finalize', 'evaluation', evaluationId);
    return updated!;
  });
}

/** Releases a finalized evaluation to its agent. */
export function releaseEvaluation(db: Db, tenantId: string, userId: string | null, evaluationId: string): Promise<EvaluationRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const row = await lockEvaluation(tx, tenantId, evaluationId);
    if (!row) return null;
    if (row.status !== 'finalized') throw new EvaluationStateError(`only a finalized evaluation can be released; this one is ${row.status}`);
    const [updated] = await tx
      .update(evaluations)
      .set({ status: 'released', releasedAt: new Date() })
      .where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.id, evaluationId)))
      .returning();
    await audit(tx, tenantId, userId, 'evaluation.release', 'evaluation', evaluationId);
    return updated!;
  });
}

// ── what coaching reads ──────────────────────────────────────────────────────

export interface ReleasedAnswer {
  evaluationId: string;
  interactionId: string;
  agentKey: string;
  formId: string;
  releasedAt: Date;
  endedAt: Date;
  questionId: string;
  /** The final answer (a person's, or the machine's they accepted). */
  answer: string;
  evidence: unknown[];
}

/**
 * The answers of released evaluations (what the agent has seen): those released since `releasedSince`, or of
 * interactions that ended in [endedFrom, endedTo); of one question or all; of some agents or all. Newest first.
 */
export function listReleasedAnswers(
  db: Db,
  tenantId: string,
  filter: { releasedSince?: Date; endedFrom?: Date; endedTo?: Date; questionId?: string; agentKeys?: readonly string[] },
): Promise<ReleasedAnswer[]> {
  if (filter.agentKeys?.length === 0) return Promise.resolve([]);
  return withTenant(
    db,
    tenantId,
    async (tx) =>
      (await tx
        .select({
          evaluationId: evaluations.id,
          interactionId: evaluations.interactionId,
          agentKey: evaluations.agentKey,
          formId: evaluations.formId,
          releasedAt: evaluations.releasedAt,
          endedAt: evaluations.interactionEndedAt,
          questionId: evaluationAnswers.questionId,
          answer: evaluationAnswers.finalAnswer,
          evidence: evaluationAnswers.evidence,
        })
        .from(evaluations)
        .innerJoin(evaluationAnswers, and(eq(evaluationAnswers.tenantId, evaluations.tenantId), eq(evaluationAnswers.evaluationId, evaluations.id)))
        .where(
          and(
            eq(evaluations.tenantId, tenantId),
            eq(evaluations.status, 'released'),
            sql`${evaluationAnswers.finalAnswer} is not null`,
            filter.releasedSince ? gte(evaluations.releasedAt, filter.releasedSince) : undefined,
            filter.endedFrom ? gte(evaluations.interactionEndedAt, filter.endedFrom) : undefined,
            filter.endedTo ? lt(evaluations.interactionEndedAt, filter.endedTo) : undefined,
            filter.questionId ? eq(evaluationAnswers.questionId, filter.questionId) : undefined,
            filter.agentKeys ? inArray(evaluations.agentKey, [...filter.agentKeys]) : undefined,
          ),
        )
        .orderBy(desc(evaluations.releasedAt), asc(evaluations.id))) as ReleasedAnswer[],
    { accessMode: 'read only' },
  );
}

// ── trends ───────────────────────────────────────────────────────────────────

export interface QualityTrendRow {
  /** Index of the period in `bounds` the interaction ended in. */
  period: number;
  agentKey: string;
  queueKey: string;
  evaluations: number;
  /** Of the evaluations with a score. */
  scored: number;
  scoreSum: number;
  failedCritical: number;
}

export interface QuestionTrendRow {
  period: number;
  questionId: string;
  /** Answers that count (final, not N/A). */
  answered: number;
  failed: number;
}

/** Which of the periods `bounds` delimits an evaluation's interaction ended in (0 for the first). */
const periodOf = (bounds: readonly Date[]) =>
  sql<number>`(width_bucket(${evaluations.interactionEndedAt}, ${`{${bounds.map((b) => b.toISOString()).join(',')}}`}::timestamptz[]) - 1)::int`;

/**
 * Scores and question outcomes per period, agent and queue: `bounds` are the periods' starts and the last one's end,
 * reckoned by the caller in the tenant's calendar. Final answers count (the machine's when sure or accepted).
 */
export function qualityTrends(
  db: Db,
  tenantId: string,
  bounds: readonly Date[],
  filter: Pick<EvaluationFilter, 'agentKeys' | 'queueKeys'>,
): Promise<{ scores: QualityTrendRow[]; questions: QuestionTrendRow[] }> {
  return withTenant(db, tenantId, async (tx) => {
    const where = evaluationsWhere(tenantId, { ...filter, from: bounds[0], to: bounds[bounds.length - 1] });
    const period = periodOf(bounds);
    const scores = await tx
      .select({
        period,
        agentKey: evaluations.agentKey,
        queueKey: evaluations.queueKey,
        evaluations: sql<number>`count(*)::int`,
        scored: sql<number>`count(${evaluations.score})::int`,
        scoreSum: sql<number>`coalesce(sum(${evaluations.score}), 0)::float8`,
        failedCritical: sql<number>`count(*) filter (where ${evaluations.failedCritical})::int`,
      })
      .from(evaluations)
      .where(where)
      .groupBy(sql`1`, evaluations.agentKey, evaluations.queueKey);
    const questions = await tx
      .select({
        period,
        questionId: evaluationAnswers.questionId,
        answered: sql<number>`count(*) filter (where ${evaluationAnswers.finalAnswer} is not null and ${evaluationAnswers.finalAnswer} <> 'na')::int`,
        failed: sql<number>`count(*) filter (where ${evaluationAnswers.finalAnswer} = 'no')::int`,
      })
      .from(evaluations)
      .innerJoin(evaluationAnswers, and(eq(evaluationAnswers.tenantId, evaluations.tenantId), eq(evaluationAnswers.evaluationId, evaluations.id)))
      .where(where)
      .groupBy(sql`1`, evaluationAnswers.questionId);
    return { scores, questions };
  });
}

/**
 * Automatic answers beside the final answers a person gave or confirmed, counted per period (of `bounds`, reckoned
 * by the caller in the tenant's calendar), question and pair: what machine–human agreement is measured on.
 */
export function machineHumanPairs(db: Db, tenantId: string, bounds: readonly Date[]) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        period: periodOf(bounds),
        questionId: evaluationAnswers.questionId,
        machine: sql<string>`${evaluationAnswers.machineAnswer}`,
        human: sql<string>`${evaluationAnswers.finalAnswer}`,
        n: sql<number>`count(*)::int`,
      })
      .from(evaluationAnswers)
      .innerJoin(evaluations, and(eq(evaluations.tenantId, evaluationAnswers.tenantId), eq(evaluations.id, evaluationAnswers.evaluationId)))
      .where(
        and(
          eq(evaluationAnswers.tenantId, tenantId),
          inArray(evaluations.status, ['finalized', 'released', 'disputed']),
          sql`${evaluationAnswers.answeredBy} is not null and ${evaluationAnswers.machineAnswer} is not null and ${evaluationAnswers.finalAnswer} is not null`,
          gte(evaluations.interactionEndedAt, bounds[0]!),
          lt(evaluations.interactionEndedAt, bounds[bounds.length - 1]!),
        ),
      )
      .groupBy(sql`1`, evaluationAnswers.questionId, evaluationAnswers.machineAnswer, evaluationAnswers.finalAnswer),
  );
}

// ── disputes ─────────────────────────────────────────────────────────────────

export type DisputeRow = typeof evaluationDisputes.$inferSelect;

/** The agent read a released evaluation. Null when it is not theirs or not released. */
export function acknowledgeEvaluation(db: Db, tenantId: string, agentKey: string, evaluationId: string): Promise<EvaluationRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .update(evaluations)
      .set({ acknowledgedAt: sql`coalesce(${evaluations.acknowledgedAt}, now())` })
      .where(
        and(
          eq(evaluations.tenantId, tenantId),
          eq(evaluations.id, evaluationId),
          eq(evaluations.agentKey, agentKey),
          inArray(evaluations.status, ['released', 'disputed']),
        ),
      )
      .returning();
    return row ?? null;
  });
}

/**
 * An agent disputes answers of their released evaluation, each with a comment: the evaluation is disputed until a
 * quality lead decides every open dispute. A question answered N/A, one disputed already and still open, or one
 * the form did not ask, cannot be disputed. Null when the evaluation is not the agent's or not released.
 */
export function raiseDisputes(
  db: Db,
  tenantId: string,
  userId: string | null,
  agentKey: string,
  evaluationId: string,
  disputes: readonly { questionId: string; comment: string }[],
): Promise<DisputeRow[] | null> {
  return withTenant(db, tenantId, async (tx) => {
    const row = await lockEvaluation(tx, tenantId, evaluationId);
    if (!row || row.agentKey !== agentKey || !['released', 'disputed'].includes(row.status)) return null;
    const answers = await tx
      .select({ questionId: evaluationAnswers.questionId, finalAnswer: evaluationAnswers.finalAnswer })
      .from(evaluationAnswers)
      .where(and(eq(evaluationAnswers.tenantId, tenantId), eq(evaluationAnswers.evaluationId, evaluationId)));
    const open = await tx
      .select({ questionId: evaluationDisputes.questionId })
      .from(evaluationDisputes)
      .where(and(eq(evaluationDisputes.tenantId, tenantId), eq(evaluationDisputes.evaluationId, evaluationId), eq(evaluationDisputes.status, 'open')));
    const values = disputes.map((d) => {
      const answer = answers.find((a) => a.questionId === d.questionId)?.finalAnswer;
      if (!answer) throw new EvaluationStateError(`${d.questionId} has no answer to dispute`);
      if (answer === 'na') throw new EvaluationStateError(`${d.questionId} was answered N/A: there is nothing to dispute`);
      if (open.some((o) => o.questionId === d.questionId)) throw new EvaluationStateError(`${d.questionId} is disputed already`);
      return { tenantId, evaluationId, questionId: d.questionId, comment: d.comment, answerBefore: answer, raisedBy: userId };
    });
    const rows = await tx.insert(evaluationDisputes).values(values).returning();
    await tx
      .update(evaluations)
      .set({ status: 'disputed', acknowledgedAt: sql`coalesce(${evaluations.acknowledgedAt}, now())` })
      .where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.id, evaluationId)));
    for (const r of rows) await audit(tx, tenantId, userId, 'evaluation.dispute', 'evaluation_dispute', r.id);
    return rows;
  });
}

export function listDisputes(
  db: Db,
  tenantId: string,
  filter: { ids?: readonly string[]; statuses?: DisputeRow['status'][]; evaluationIds?: readonly string[]; agentKeys?: readonly string[] | null },
): Promise<(DisputeRow & { agentKey: string; interactionEndedAt: Date })[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({ ...getTableColumns(evaluationDisputes), agentKey: evaluations.agentKey, interactionEndedAt: evaluations.interactionEndedAt })
      .from(evaluationDisputes)
      .innerJoin(evaluations, and(eq(evaluations.tenantId, evaluationDisputes.tenantId), eq(evaluations.id, evaluationDisputes.evaluationId)))
      .where(
        and(
          eq(evaluationDisputes.tenantId, tenantId),
          filter.ids ? inArray(evaluationDisputes.id, [...filter.ids]) : undefined,
          filter.statuses ? inArray(evaluationDisputes.status, filter.statuses) : undefined,
          filter.evaluationIds ? inArray(evaluationDisputes.evaluationId, [...filter.evaluationIds]) : undefined,
          filter.agentKeys ? anyOf(evaluations.agentKey, filter.agentKeys) : undefined,
        ),
      )
      .orderBy(asc(evaluationDisputes.createdAt), asc(evaluationDisputes.id)),
  );
}

/**
 * A quality lead's decision on an open dispute: uphold the answer, or change it (the answer before stays on the
 * dispute, the reason on the answer). The evaluation's score is made again from its final answers by `rescore`;
 * once no dispute of it is open it is released again. Null when there is no such dispute.
 */
export function decideDispute(
  db: Db,
  tenantId: string,
  userId: string | null,
  disputeId: string,
  decision: { answer: string | null; note: string },
  rescore: (answers: ReadonlyMap<string, string>) => { score: number | null; failedCritical: boolean },
): Promise<{ dispute: DisputeRow; evaluation: EvaluationRow } | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [found] = await tx
      .select()
      .from(evaluationDisputes)
      .where(and(eq(evaluationDisputes.tenantId, tenantId), eq(evaluationDisputes.id, disputeId)));
    if (!found) return null;
    await lockEvaluation(tx, tenantId, found.evaluationId);
    const [dispute] = await tx
      .select()
      .from(evaluationDisputes)
      .where(and(eq(evaluationDisputes.tenantId, tenantId), eq(evaluationDisputes.id, disputeId)))
      .for('update');
    if (dispute!.status !== 'open') throw new EvaluationStateError(`the dispute was decided already (${dispute!.status})`);
    const changed = decision.answer !== null && decision.answer !== dispute!.answerBefore;
    const at = new Date();
    if (changed) {
      await tx
        .update(evaluationAnswers)
        .set({ finalAnswer: decision.answer, overrideReason: `dispute: ${decision.note}`, answeredBy: userId, answeredAt: at })
        .where(
          and(
            eq(evaluationAnswers.tenantId, tenantId),
            eq(evaluationAnswers.evaluationId, dispute!.evaluationId),
            eq(evaluationAnswers.questionId, dispute!.questionId),
          ),
        );
    }
    const [decided] = await tx
      .update(evaluationDisputes)
      .set({
        status: changed ? 'changed' : 'upheld',
        answerAfter: changed ? decision.answer : null,
        decisionNote: decision.note,
        decidedBy: userId,
        decidedAt: at,
      })
      .where(and(eq(evaluationDisputes.tenantId, tenantId), eq(evaluationDisputes.id, disputeId)))
      .returning();
    const answers = await tx
      .select({ questionId: evaluationAnswers.questionId, finalAnswer: evaluationAnswers.finalAnswer })
      .from(evaluationAnswers)
      .where(and(eq(evaluationAnswers.tenantId, tenantId), eq(evaluationAnswers.evaluationId, dispute!.evaluationId)));
    const { score, failedCritical } = rescore(new Map(answers.flatMap((a) => (a.finalAnswer === null ? [] : [[a.questionId, a.finalAnswer] as const]))));
    const [{ open }] = (await tx
      .select({ open: sql<number>`count(*)::int` })
      .from(evaluationDisputes)
      .where(
        and(eq(evaluationDisputes.tenantId, tenantId), eq(evaluationDisputes.evaluationId, dispute!.evaluationId), eq(evaluationDisputes.status, 'open')),
      )) as [{ open: number }];
    const [evaluation] = await tx
      .update(evaluations)
      .set({ score, failedCritical, status: open === 0 ? 'released' : 'disputed' })
      .where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.id, dispute!.evaluationId)))
      .returning();
    await audit(tx, tenantId, userId, changed ? 'evaluation.dispute_change' : 'evaluation.dispute_uphold', 'evaluation_dispute', disputeId);
    return { dispute: decided!, evaluation: evaluation! };
  });
}

type DisputeMark = 'reminded' | 'escalated';

const openDisputes = (tenantId: string, evaluationId: string, unmarked?: DisputeMark) =>
  and(
    eq(evaluationDisputes.tenantId, tenantId),
    eq(evaluationDisputes.evaluationId, evaluationId),
    eq(evaluationDisputes.status, 'open'),
    unmarked === undefined ? undefined : isNull(unmarked === 'reminded' ? evaluationDisputes.remindedAt : evaluationDisputes.escalatedAt),
  );

/** An evaluation's open disputes, or those of them not marked `unmarked` yet: how many. */
export function countOpenDisputes(db: Db, tenantId: string, evaluationId: string, unmarked?: DisputeMark): Promise<number> {
  return withTenant(db, tenantId, (tx) => countDisputes(tx, openDisputes(tenantId, evaluationId, unmarked)));
}

async function countDisputes(tx: Tx, where: SQL | undefined): Promise<number> {
  const [{ n }] = (await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(evaluationDisputes)
    .where(where)) as [{ n: number }];
  return n;
}

/**
 * What the dispute workflow's timers record on an evaluation's open disputes: the leads were reminded, or the
 * disputes escalated (the first time only). Returns how many disputes are still open.
 */
export function markOpenDisputes(db: Db, tenantId: string, evaluationId: string, mark: DisputeMark): Promise<number> {
  return withTenant(db, tenantId, async (tx) => {
    await tx
      .update(evaluationDisputes)
      .set(mark === 'reminded' ? { remindedAt: sql`now()` } : { escalatedAt: sql`now()` })
      .where(openDisputes(tenantId, evaluationId, mark));
    return countDisputes(tx, openDisputes(tenantId, evaluationId));
  });
}

/**
 * Sends evaluations the rules alone had settled to an analyst after all, with why (a low survey that came after the
 * evaluation): only those of the given plans still standing as scored. Returns how many.
 */
export function flagForReview(db: Db, tenantId: string, interactionIds: readonly string[], planIds: readonly string[], reason: string): Promise<number> {
  if (interactionIds.length === 0 || planIds.length === 0) return Promise.resolve(0);
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .update(evaluations)
      .set({ status: 'in_review', reviewReason: reason })
      .where(
        and(
          eq(evaluations.tenantId, tenantId),
          inArray(evaluations.interactionId, [...interactionIds]),
          inArray(evaluations.planId, [...planIds]),
          eq(evaluations.status, 'scored'),
        ),
      )
      .returning({ id: evaluations.id });
    return rows.length;
  });
}
