import { FormSchema } from '@switchboard/quality';
import { z } from 'zod';
import { Evidence, Role, Transcript } from './shared.ts';

/** Evaluations, disputes, plans, forms and calibration. Agents read their own released evaluations (mine, get). */

const EvaluationStatus = z.enum(['in_review', 'scored', 'finalized', 'released', 'disputed']);

/** An evaluation in a list (services/quality.ts describe). */
export const EvaluationSummary = z.object({
  id: z.string(),
  interactionId: z.string(),
  agentKey: z.string(),
  agent: z.string(),
  team: z.string(),
  queue: z.string(),
  channel: z.string(),
  status: EvaluationStatus,
  reviewReason: z.string().nullable(),
  score: z.number().nullable(),
  failedCritical: z.boolean(),
  endedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  open: z.number(),
});
export const EvaluationList = z.array(EvaluationSummary);

const Dispute = z.object({
  id: z.string(),
  evaluationId: z.string(),
  questionId: z.string(),
  comment: z.string(),
  status: z.enum(['open', 'upheld', 'changed']),
  answerBefore: z.string(),
  answerAfter: z.string().nullable(),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  remindedAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
});

/** One evaluation beside the transcript its answers cite (an agent: their own, once released). */
export const EvaluationView = EvaluationSummary.extend({
  ...Transcript.shape,
  form: z.object({ id: z.string(), key: z.string(), version: z.number(), name: z.string(), reviewBelow: z.number() }),
  sections: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      questions: z.array(
        z.object({
          id: z.string(),
          text: z.string(),
          guidance: z.string(),
          critical: z.boolean(),
          weight: z.number(),
          values: z.array(z.string()),
          shown: z.boolean(),
          machineAnswer: z.string().nullable(),
          confidence: z.number().nullable(),
          evidence: z.array(Evidence),
          needsReview: z.boolean(),
          finalAnswer: z.string().nullable(),
          overrideReason: z.string().nullable(),
          answeredAt: z.string().nullable(),
        }),
      ),
    }),
  ),
  preview: z.object({ score: z.number().nullable(), failedCritical: z.boolean() }),
  finalizedAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
  disputes: z.array(Dispute),
});

const TrendWeek = z.object({ evaluations: z.number(), score: z.number().nullable(), failedCritical: z.number() });
export const QualityTrends = z.object({
  by: z.enum(['agent', 'team', 'queue']),
  scope: z.object({
    agents: z.array(z.object({ key: z.string(), name: z.string() })),
    teams: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })),
    queues: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })),
  }),
  weeks: z.array(z.object({ start: z.string(), from: z.string(), to: z.string() })),
  overall: z.array(TrendWeek),
  groups: z.array(z.object({ key: z.string(), name: z.string(), weeks: z.array(TrendWeek) })),
  questions: z.array(
    z.object({ id: z.string(), answered: z.number(), failed: z.number(), failRate: z.number().nullable(), weeks: z.array(z.number().nullable()) }),
  ),
});

const Agreement = z.object({ pairs: z.number(), agreed: z.number(), kappa: z.number().nullable() });
export const MachineAgreement = z.object({
  weeks: z.array(z.string()),
  questions: z.array(Agreement.extend({ id: z.string(), weeks: z.array(Agreement) })),
});

export const Disputed = z.object({ disputes: z.array(Dispute), reminders: z.boolean() });
export const DisputeQueue = z.array(Dispute.extend({ agent: z.string(), interactionEndedAt: z.string() }));
export const DisputeDecided = z.object({ dispute: Dispute, evaluation: EvaluationSummary });

export const ReviewPlans = z.array(
  z.object({
    key: z.string(),
    name: z.string(),
    formKey: z.string(),
    queueIds: z.array(z.string()),
    teamIds: z.array(z.string()),
    queues: z.array(z.string()),
    teams: z.array(z.string()),
    reviewPercent: z.number(),
    minReviewsPerAgentWeek: z.number(),
    targets: z.object({
      transfer: z.boolean().optional(),
      hold: z.boolean().optional(),
      ahtAboveP90: z.boolean().optional(),
      csatAtMost: z.number().optional(),
      endedOnHold: z.boolean().optional(),
    }),
    active: z.boolean(),
    updatedAt: z.string(),
  }),
);
export const KeyOnly = z.object({ key: z.string() });

// ── forms ─────────────────────────────────────────────────────────────────────

const FormVersionSummary = z.object({ version: z.number(), name: z.string(), builtIn: z.boolean(), used: z.boolean(), savedAt: z.string() });
export const FormList = z.array(FormVersionSummary.extend({ key: z.string(), versions: z.number() }));
export const FormVersion = FormVersionSummary.extend({ id: z.string(), key: z.string(), versions: z.array(FormVersionSummary), definition: FormSchema });
export const FormSaved = z.object({ id: z.string(), key: z.string(), version: z.number(), name: z.string(), savedAt: z.string() });
export const FormPreview = z.object({
  answers: z.array(
    z.object({ question: z.string(), answer: z.enum(['yes', 'no', 'na']), confidence: z.number(), evidence: z.array(Evidence), needsReview: z.boolean() }),
  ),
  score: z.number().nullable(),
  failedCritical: z.boolean(),
});

// ── calibration ───────────────────────────────────────────────────────────────

export const CalibrationSessions = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['open', 'closed']),
    leadId: z.string().nullable(),
    items: z.number(),
    participants: z.number(),
    submitted: z.number(),
    createdAt: z.string(),
    mine: z.boolean(),
  }),
);

export const CalibrationPeople = z.array(z.object({ userId: z.string(), name: z.string(), role: Role, qualityLead: z.boolean() }));

export const CalibrationSession = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['open', 'closed']),
  lead: z.string(),
  isLead: z.boolean(),
  participant: z.boolean(),
  form: z.object({ name: z.string(), questions: z.array(z.object({ id: z.string(), text: z.string(), guidance: z.string(), values: z.array(z.string()) })) }),
  items: z.array(z.object({ interactionId: z.string(), agent: z.string(), channel: z.string(), endedAt: z.string() })),
  participants: z.array(z.object({ userId: z.string(), name: z.string(), submitted: z.boolean() })),
  mine: z.array(z.object({ interactionId: z.string(), questionId: z.string(), answer: z.string() })),
  submitted: z.boolean(),
  results: z
    .object({
      questions: z.array(
        z.object({
          id: z.string(),
          answers: z.array(z.object({ item: z.string(), byRater: z.record(z.string(), z.string().nullable()) })),
          kappa: z.number().nullable(),
          method: z.enum(['cohen', 'fleiss']).nullable(),
          items: z.number(),
        }),
      ),
      scores: z.array(z.object({ item: z.string(), byRater: z.record(z.string(), z.number().nullable()) })),
      scoreMad: z.number().nullable(),
      raters: z.array(z.object({ id: z.string(), differFromLead: z.number().nullable(), scoreDistanceFromLead: z.number().nullable() })),
    })
    .nullable(),
});

export const CalibrationAnswered = z.object({ saved: z.number(), submitted: z.boolean() });
export const CalibrationClosed = z.object({ id: z.string(), status: z.literal('closed') });
