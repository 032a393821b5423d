import { and, desc, eq, gte, inArray, max, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { evaluationAnswers, evaluationCursors, evaluationPlans, evaluations, qualityForms } from './schema.ts';
import { withTenant } from './tenancy.ts';

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

// ── plans ────────────────────────────────────────────────────────────────────

export function listEvaluationPlans(db: Db, tenantId: string): Promise<EvaluationPlanRow[]> {
  return withTenant(db, tenantId, (tx) => tx.select().from(evaluationPlans).where(eq(evaluationPlans.tenantId, tenantId)).orderBy(evaluationPlans.key));
}

export type EvaluationPlanInput = Pick<
  EvaluationPlanRow,
  'key' | 'name' | 'formKey' | 'queueIds' | 'reviewPercent' | 'minReviewsPerAgentWeek' | 'targets' | 'active'
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
 * Stores a batch of machine evaluations and moves the tenant's cursor, in one transaction: a batch retried after a
 * crash stores nothing twice (one evaluation per interaction and form version) and the cursor never runs ahead of
 * what was stored. Returns how many were new.
 */
export function storeEvaluations(db: Db, tenantId: string, batch: readonly NewEvaluation[], cursor: Date): Promise<number> {
  return withTenant(db, tenantId, async (tx) => {
    let stored = 0;
    // Chunks keep each statement under Postgres's 65,535 bound parameters (8 answers × 7 columns an evaluation).
    for (let i = 0; i < batch.length; i += 500) {
      const chunk = batch.slice(i, i + 500);
      const rows = await tx
        .insert(evaluations)
        .values(
          chunk.map(({ answers: _answers, ...e }) => ({
            ...e,
            tenantId,
            status: e.reviewReason === null ? ('scored' as const) : ('in_review' as const),
          })),
        )
        .onConflictDoNothing({ target: [evaluations.tenantId, evaluations.interactionId, evaluations.formId] })
        .returning({ id: evaluations.id, interactionId: evaluations.interactionId, formId: evaluations.formId });
      const byKey = new Map(chunk.map((e) => [`${e.interactionId}\u0000${e.formId}`, e]));
      const answers = rows.flatMap((r) =>
        byKey.get(`${r.interactionId}\u0000${r.formId}`)!.answers.map((a) => ({
          tenantId,
          evaluationId: r.id,
          questionId: a.questionId,
          machineAnswer: a.machineAnswer,
          confidence: a.confidence,
          evidence: a.evidence,
          needsReview: a.needsReview,
          // A sure machine answer stands until a person changes it.
          finalAnswer: a.needsReview ? null : a.machineAnswer,
        })),
      );
      if (answers.length > 0) await tx.insert(evaluationAnswers).values(answers);
      stored += rows.length;
    }
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

export function listEvaluations(
  db: Db,
  tenantId: string,
  filter: { statuses?: EvaluationRow['status'][]; agentKeys?: readonly string[] | null; limit?: number },
): Promise<EvaluationRow[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(evaluations)
      .where(
        and(
          eq(evaluations.tenantId, tenantId),
          filter.statuses ? inArray(evaluations.status, filter.statuses) : undefined,
          filter.agentKeys ? inArray(evaluations.agentKey, filter.agentKeys.length > 0 ? [...filter.agentKeys] : ['']) : undefined,
        ),
      )
      .orderBy(desc(evaluations.interactionEndedAt))
      .limit(filter.limit ?? 200),
  );
}
