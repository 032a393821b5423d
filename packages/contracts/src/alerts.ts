import { z } from 'zod';

/**
 * Alert rules as people write them and the server checks them, one definition for the API
 * and the browser: the live figures a condition can watch (each of a queue or of a team),
 * the conditions, and a rule of one to five of them with hysteresis.
 */

export type AlertSubjectKind = 'queue' | 'team';
/** fraction: 0 … 1 (0.8 for 80%); seconds; count. */
type AlertUnit = 'fraction' | 'seconds' | 'count';

export const alertMetrics = {
  service_level_30m: { subject: 'queue', unit: 'fraction', label: 'SL last 30 min' },
  service_level_today: { subject: 'queue', unit: 'fraction', label: 'SL today' },
  longest_wait_s: { subject: 'queue', unit: 'seconds', label: 'Longest wait' },
  waiting: { subject: 'queue', unit: 'count', label: 'Waiting' },
  abandon_rate_today: { subject: 'queue', unit: 'fraction', label: 'Abandonment today' },
  // The intraday loop's staffing gap now, of the planning group the queue is in: agents short of the requirement (0 when covered).
  agents_short: { subject: 'queue', unit: 'count', label: 'Agents short (intraday)' },
  agents_out_of_adherence: { subject: 'team', unit: 'count', label: 'Agents out of adherence' },
  adherence_today: { subject: 'team', unit: 'fraction', label: 'Adherence today' },
} as const satisfies Record<string, { subject: AlertSubjectKind; unit: AlertUnit; label: string }>;

export type AlertMetric = keyof typeof alertMetrics;
const metricIds = Object.keys(alertMetrics) as [AlertMetric, ...AlertMetric[]];

export const alertSeverities = ['warning', 'critical'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];

/** Longest a breach or a recovery may be asked to last before the alert fires or clears: an hour. */
const MAX_DURATION_S = 3_600;
const MAX_CONDITIONS = 5;

/**
 * One figure against a threshold: `below` breaches under `threshold` and has recovered at or
 * above `clearThreshold` (so the clear threshold is not under it); `above` the other way round.
 * Between the two the alert stays as it is.
 */
export const AlertCondition = z
  .object({
    metric: z.enum(metricIds),
    comparator: z.enum(['below', 'above']),
    threshold: z.number().finite().min(0),
    clearThreshold: z.number().finite().min(0),
  })
  .refine((c) => alertMetrics[c.metric].unit !== 'fraction' || (c.threshold <= 1 && c.clearThreshold <= 1), {
    message: 'rates are fractions between 0 and 1 (0.8 for 80%)',
    path: ['threshold'],
  })
  .refine((c) => (c.comparator === 'below' ? c.clearThreshold >= c.threshold : c.clearThreshold <= c.threshold), {
    message: 'the clear threshold must be on the recovered side of the threshold: not under it for "below", not over it for "above"',
    path: ['clearThreshold'],
  });
export type AlertCondition = z.infer<typeof AlertCondition>;

const Duration = z.int('whole seconds').min(0).max(MAX_DURATION_S, `at most ${MAX_DURATION_S} seconds (an hour)`);

/**
 * A rule: a queue, a team, or (neither) every queue or every team, as its conditions' metrics
 * say; all or any of the conditions breaching fires it once that has lasted `fireAfterS`, all
 * of them recovered for `clearAfterS` clears it. No `id` creates a rule.
 */
export const AlertRuleInput = z
  .object({
    id: z.uuid().optional(),
    name: z.string().trim().min(1, 'a name').max(100),
    queueId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    match: z.enum(['all', 'any']),
    conditions: z.array(AlertCondition).min(1, 'at least one condition').max(MAX_CONDITIONS, `at most ${MAX_CONDITIONS} conditions`),
    fireAfterS: Duration,
    clearAfterS: Duration,
    severity: z.enum(alertSeverities),
    enabled: z.boolean(),
  })
  .refine((r) => new Set(r.conditions.map((c) => alertMetrics[c.metric].subject)).size === 1, {
    message: 'the conditions of one rule are all about queues or all about teams',
    path: ['conditions'],
  })
  .refine((r) => !(r.queueId && r.teamId), { message: 'a rule is for a queue or for a team, not both', path: ['teamId'] })
  .refine((r) => !r.queueId || alertSubjectKind(r.conditions) === 'queue', { message: 'team figures are watched per team: choose a team', path: ['queueId'] })
  .refine((r) => !r.teamId || alertSubjectKind(r.conditions) === 'team', { message: 'queue figures are watched per queue: choose a queue', path: ['teamId'] });
export type AlertRuleInput = z.infer<typeof AlertRuleInput>;

/** What a rule's conditions are about (the first condition's metric: a valid rule's are all alike). */
export function alertSubjectKind(conditions: readonly Pick<AlertCondition, 'metric'>[]): AlertSubjectKind {
  return conditions[0] ? alertMetrics[conditions[0].metric].subject : 'queue';
}

/**
 * The data of `alert.fired` and `alert.cleared` webhooks: ids and figures only. `subject` is
 * `queue:<queue key>` or `team:<team key>`; `values` the rule's figures when it fired (or cleared).
 */
export interface AlertWebhookData {
  incidentId: string;
  ruleId: string;
  ruleName: string;
  subject: string;
  severity: AlertSeverity;
  firedAt: string;
  clearedAt: string | null;
  values: Partial<Record<AlertMetric, number | null>>;
}
