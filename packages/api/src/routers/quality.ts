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
import {
  AnswerInput as CalibrationAnswerInput,
  answerSession,
  closeSession,
  CreateInput,
  createSession,
  getSession,
  listSessions,
  people,
  sessionTranscript,
  TranscriptInput,
} from '../services/calibration.ts';
import {
  acknowledge,
  AgreementInput,
  decide,
  DecideInput,
  dispute,
  DisputeInput,
  getMachineAgreement,
  listOpenDisputes,
  listPlans,
  PlanInput,
  savePlan,
} from '../services/quality-review.ts';
import { authorized, router } from '../trpc.ts';
import { qualityFormsRouter } from './quality-forms.ts';
import {
  CalibrationAnswered,
  CalibrationClosed,
  CalibrationPeople,
  CalibrationSession,
  CalibrationSessions,
  DisputeDecided,
  DisputeQueue,
  Disputed,
  EvaluationList,
  EvaluationSummary,
  EvaluationView,
  KeyOnly,
  MachineAgreement,
  QualityTrends,
  ReviewPlans,
} from '../outputs/quality.ts';
import { IdOnly, Transcript } from '../outputs/shared.ts';

const self = { agent: 'self' } as const;

export const qualityRouter = router({
  forms: qualityFormsRouter,
  /** Evaluations waiting for an analyst, latest first. */
  queue: authorized(policies.quality)
    .input(z.object({ limit: z.int().min(1).max(1000).default(200) }))
    .output(EvaluationList)
    .query(({ ctx, input }) => listQualityEvaluations(ctx.services, ctx.access, { status: 'in_review', limit: input.limit })),

  /** Evaluations by status, agent, team, queue, failed question and time: the drill behind a trend. */
  list: authorized(policies.quality)
    .input(EvaluationListInput)
    .output(EvaluationList)
    .query(({ ctx, input }) => listQualityEvaluations(ctx.services, ctx.access, input)),

  /** One evaluation beside its transcript; reading it is audited. Agents read their own once released. */
  get: authorized({ ...policies.quality, agent: 'self' })
    .input(z.object({ evaluationId: z.uuid() }))
    .output(EvaluationView)
    .query(({ ctx, input }) => getEvaluationView(ctx.services, ctx.access, ctx.viewer.userId, input.evaluationId)),

  /** Accepts or overrides answers (an override needs a reason). */
  answer: authorized(policies.quality)
    .input(AnswerInput)
    .output(EvaluationSummary)
    .mutation(({ ctx, input }) => answerEvaluation(ctx.services, ctx.access, ctx.viewer.userId, input)),

  finalize: authorized(policies.quality)
    .input(z.object({ evaluationId: z.uuid(), release: z.boolean().default(false) }))
    .output(EvaluationSummary)
    .mutation(({ ctx, input }) => finalizeQualityEvaluation(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** Makes a finalized evaluation visible to its agent. */
  release: authorized(policies.quality)
    .input(z.object({ evaluationId: z.uuid() }))
    .output(EvaluationSummary)
    .mutation(({ ctx, input }) => releaseQualityEvaluation(ctx.services, ctx.access, ctx.viewer.userId, input.evaluationId)),

  trends: authorized(policies.quality)
    .input(TrendInput)
    .output(QualityTrends)
    .query(({ ctx, input }) => getQualityTrends(ctx.services, ctx.access, input)),

  /** Machine–human agreement per question by week: which questions the automatic scorer can be trusted on. */
  agreement: authorized(policies.quality)
    .input(AgreementInput)
    .output(MachineAgreement)
    .query(({ ctx, input }) => getMachineAgreement(ctx.services, ctx.access, input)),

  /** The agent's released evaluations. */
  mine: authorized(self, { panel: true })
    .input(z.object({}))
    .output(EvaluationList)
    .query(({ ctx }) => listQualityEvaluations(ctx.services, ctx.access, { limit: 200 })),

  acknowledge: authorized(self, { panel: true })
    .input(z.object({ evaluationId: z.uuid() }))
    .output(EvaluationSummary)
    .mutation(({ ctx, input }) => acknowledge(ctx.services, ctx.access, input.evaluationId)),

  /** The agent disputes answers of a released evaluation, each with a comment. */
  dispute: authorized(self)
    .input(DisputeInput)
    .output(Disputed)
    .mutation(({ ctx, input }) => dispute(ctx.services, ctx.access, ctx.viewer.userId, input)),

  disputes: authorized(policies.quality)
    .input(z.object({ status: z.enum(['open', 'decided']).default('open') }))
    .output(DisputeQueue)
    .query(({ ctx, input }) => listOpenDisputes(ctx.services, ctx.access, input)),

  /** A quality lead upholds the disputed answer or changes it; the score follows. */
  decideDispute: authorized(policies.quality, { qualityLead: true })
    .input(DecideInput)
    .output(DisputeDecided)
    .mutation(({ ctx, input }) => decide(ctx.services, ctx.access, ctx.viewer.userId, input)),

  plans: router({
    list: authorized(policies.quality)
      .output(ReviewPlans)
      .query(({ ctx }) => listPlans(ctx.services, ctx.access)),
    /** Plans are tenant-wide: analysts and admins change them, supervisors read them. */
    save: authorized({ admin: 'tenant', analyst: 'tenant' })
      .input(PlanInput)
      .output(KeyOnly)
      .mutation(({ ctx, input }) => savePlan(ctx.services, ctx.access, ctx.viewer.userId, input)),
  }),

  calibration: router({
    list: authorized(policies.quality)
      .output(CalibrationSessions)
      .query(({ ctx }) => listSessions(ctx.services, ctx.access, ctx.viewer)),
    /** Who can be asked to take part. */
    people: authorized(policies.quality, { qualityLead: true })
      .output(CalibrationPeople)
      .query(({ ctx }) => people(ctx.services, ctx.access)),
    create: authorized(policies.quality, { qualityLead: true })
      .input(CreateInput)
      .output(IdOnly)
      .mutation(({ ctx, input }) => createSession(ctx.services, ctx.access, ctx.viewer, input)),
    get: authorized(policies.quality)
      .input(z.object({ sessionId: z.uuid() }))
      .output(CalibrationSession)
      .query(({ ctx, input }) => getSession(ctx.services, ctx.access, ctx.viewer, input.sessionId)),
    transcript: authorized(policies.quality)
      .input(TranscriptInput)
      .output(Transcript)
      .query(({ ctx, input }) => sessionTranscript(ctx.services, ctx.access, ctx.viewer, input)),
    answer: authorized(policies.quality)
      .input(CalibrationAnswerInput)
      .output(CalibrationAnswered)
      .mutation(({ ctx, input }) => answerSession(ctx.services, ctx.access, ctx.viewer, input)),
    close: authorized(policies.quality, { qualityLead: true })
      .input(z.object({ sessionId: z.uuid() }))
      .output(CalibrationClosed)
      .mutation(({ ctx, input }) => closeSession(ctx.services, ctx.access, ctx.viewer, input.sessionId)),
  }),
});
