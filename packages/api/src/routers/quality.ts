import { z } from 'zod';
import { policies } from '../policy.ts';
import {
  answerEvaluation,
  AnswerInput,
  EvaluationListInput,
  finalizeQualityEvaluation,
  getEvaluationView,
  getQualityTrends,
  listQualityEvaluations,
  releaseQualityEvaluation,
  TrendInput,
} from '../services/quality.ts';
import { authorized, router } from '../trpc.ts';

export const qualityRouter = router({
  /** Evaluations waiting for an analyst, latest first. */
  queue: authorized(policies.quality)
    .input(z.object({ limit: z.int().min(1).max(1000).default(200) }))
    .query(({ ctx, input }) => listQualityEvaluations(ctx.services, ctx.access, { status: 'in_review', limit: input.limit })),

  /** Evaluations by status, agent, team, queue, failed question and time: the drill behind a trend. */
  list: authorized(policies.quality)
    .input(EvaluationListInput)
    .query(({ ctx, input }) => listQualityEvaluations(ctx.services, ctx.access, input)),

  /** One evaluation beside its transcript; reading it is audited. */
  get: authorized(policies.quality)
    .input(z.object({ evaluationId: z.uuid() }))
    .query(({ ctx, input }) => getEvaluationView(ctx.services, ctx.access, ctx.viewer.userId, input.evaluationId)),

  /** Accepts or overrides answers (an override needs a reason). */
  answer: authorized(policies.quality)
    .input(AnswerInput)
    .mutation(({ ctx, input }) => answerEvaluation(ctx.services, ctx.access, ctx.viewer.userId, input)),

  finalize: authorized(policies.quality)
    .input(z.object({ evaluationId: z.uuid(), release: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => finalizeQualityEvaluation(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** Makes a finalized evaluation visible to its agent. */
  release: authorized(policies.quality)
    .input(z.object({ evaluationId: z.uuid() }))
    .mutation(({ ctx, input }) => releaseQualityEvaluation(ctx.services, ctx.access, ctx.viewer.userId, input.evaluationId)),

  trends: authorized(policies.quality)
    .input(TrendInput)
    .query(({ ctx, input }) => getQualityTrends(ctx.services, ctx.access, input)),
});
