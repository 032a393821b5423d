import { z } from 'zod';

/**
 * Coaching rules as supervisors and analysts edit them and the server checks them, one
 * definition for the API and the browser: what makes a coaching assignment for an agent (a
 * quality finding, a KPI beyond a threshold for some weeks, or a person's decision) and what the
 * assignment then asks for (a tip, maybe a session, a due date, how long to measure the effect).
 */

/**
 * The KPIs a rule can watch, by their ids in the KPI catalogue (packages/kpis catalogue.ts:
 * `queueKpis.aht_s`, `queueKpis.hold_rate`, `queueKpis.transfer_rate`, `adherenceKpis.adherence`,
 * `surveyKpis.csat`), which defines them; coaching-rules.ts fails to compile if one is not there.
 */
export const coachingKpiMetrics = ['aht_s', 'hold_rate', 'transfer_rate', 'adherence', 'csat'] as const;
export type CoachingKpiMetric = (typeof coachingKpiMetrics)[number];
/** Shares of a whole (0 … 1). Hold rate is holds per handled contact, and a contact can be held more than once. */
const fractionMetrics: readonly CoachingKpiMetric[] = ['transfer_rate', 'adherence', 'csat'];

/** The most evaluations a question rule may look back over. */
const MAX_OF_LAST = 50;
const MAX_FOR_WEEKS = 8;
const MAX_CRITICAL_WITHIN_DAYS = 90;
const MAX_TIP_LENGTH = 2_000;
const MAX_DUE_DAYS = 60;
const MAX_MEASURE_WEEKS = 12;
const coachingSessionMinutes = [15, 30, 45, 60] as const;

/** As the quality forms name their questions. */
const QuestionId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a question id of the form: lower-case letters, digits and _, starting with a letter');

/** A question answered "no" in at least `failedAtLeast` of the agent's last `ofLast` released evaluations that scored it (N/A and not asked are skipped). */
const QualityQuestionCondition = z
  .object({
    kind: z.literal('quality_question'),
    questionId: QuestionId,
    failedAtLeast: z.int('a whole number of evaluations').min(1, 'at least 1 failed evaluation'),
    ofLast: z.int('a whole number of evaluations').min(1, 'at least the last evaluation').max(MAX_OF_LAST, `at most the last ${MAX_OF_LAST} evaluations`),
  })
  .refine((c) => c.failedAtLeast <= c.ofLast, { message: 'failed at least k of the last n: k cannot be more than n', path: ['failedAtLeast'] });

/** Any critical question answered "no" in a released evaluation within the last `withinDays` days (24-hour periods back from the check). */
const CriticalFailCondition = z.object({
  kind: z.literal('critical_fail'),
  withinDays: z.int('whole days').min(1, 'at least 1 day').max(MAX_CRITICAL_WITHIN_DAYS, `at most ${MAX_CRITICAL_WITHIN_DAYS} days`),
});

/**
 * `value`: a fixed figure in the KPI's unit (seconds for AHT, fractions 0 … 1 for rates).
 * `team_percentile`: worse than that share of the agent's team in the comparator's direction —
 * `above` the team's p75 or p90 that week, or `below` its p25 or p10.
 */
const KpiThreshold = z.discriminatedUnion('type', [
  z.object({ type: z.literal('value'), value: z.number().finite().min(0, 'a threshold of 0 or more') }),
  z.object({ type: z.literal('team_percentile'), percentile: z.literal([75, 90], 'the team percentile is 75 or 90') }),
]);

/** The agent's weekly figure beyond the threshold in each of the last `forWeeks` complete weeks. */
const KpiCondition = z
  .object({
    kind: z.literal('kpi'),
    metric: z.enum(coachingKpiMetrics, `one of the KPIs coaching can watch: ${coachingKpiMetrics.join(', ')}`),
    comparator: z.enum(['above', 'below']),
    threshold: KpiThreshold,
    forWeeks: z.int('whole weeks').min(1, 'at least 1 week').max(MAX_FOR_WEEKS, `at most ${MAX_FOR_WEEKS} weeks`),
  })
  .refine((c) => c.threshold.type !== 'value' || !fractionMetrics.includes(c.metric) || c.threshold.value <= 1, {
    message: 'rates are fractions between 0 and 1 (0.8 for 80%)',
    path: ['threshold', 'value'],
  });

/** Fires on nothing: a supervisor or analyst assigns it to an agent by hand, with its tip and session. */
const ManualCondition = z.object({ kind: z.literal('manual') });

const CoachingCondition = z.discriminatedUnion('kind', [QualityQuestionCondition, CriticalFailCondition, KpiCondition, ManualCondition]);

/**
 * A tenant's coaching rule. What it makes for an agent when its condition holds: an assignment
 * with the tip, a session of `session.minutes` booked into the agent's schedule (or none), due
 * `dueDays` after it is made, whose effect is measured over `measureWeeks` weeks after the
 * session (or the acknowledgement). No `id` creates a rule.
 */
export const CoachingRule = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1, 'a name').max(100),
  enabled: z.boolean(),
  condition: CoachingCondition,
  tip: z.string().trim().min(1, 'a tip for the agent').max(MAX_TIP_LENGTH, `a tip of at most ${MAX_TIP_LENGTH} characters`),
  session: z.object({ minutes: z.literal(coachingSessionMinutes, `a session of ${coachingSessionMinutes.join(', ')} minutes`) }).nullable(),
  dueDays: z.int('whole days').min(1, 'due at least 1 day after it is assigned').max(MAX_DUE_DAYS, `due at most ${MAX_DUE_DAYS} days after it is assigned`),
  measureWeeks: z.int('whole weeks').min(1, 'measured over at least 1 week').max(MAX_MEASURE_WEEKS, `measured over at most ${MAX_MEASURE_WEEKS} weeks`),
});
export type CoachingRule = z.infer<typeof CoachingRule>;
