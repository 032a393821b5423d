import { CoachingRule, coachingKpiMetrics, type CoachingKpiMetric } from '@switchboard/contracts';
import { getCoachingKpi, getCoachingWorseSide } from '@switchboard/kpis';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { DASH, formatKpi } from '../../lib/format';
import { formatClock } from '../planning/schedules/prepare';
import { questionName } from '../quality/prepare';

/** The coaching screen's pure half: statuses, rules and outcomes in words, effects in their units, the rule form's draft. */

type Coaching = inferRouterOutputs<AppRouter>['coaching'];
type AssignmentList = Coaching['assignments'];
export type Assignment = AssignmentList['assignments'][number];
export type AssignmentDetail = Coaching['assignment'];
export type TimelineEvent = AssignmentDetail['timeline'][number];
export type Status = Assignment['status'];
type Effects = Coaching['effects'];
export type EffectRow = Effects['byRule'][number];
export type Rule = Coaching['rules'][number];
type Condition = CoachingRule['condition'];
type Target = Assignment['target'];

// ── statuses ─────────────────────────────────────────────────────────────────

export const statusLabel: Record<Status, string> = {
  delivered: 'Delivered',
  acknowledged: 'Acknowledged',
  overdue: 'Overdue',
  slots_proposed: 'Slots proposed',
  session_booked: 'Session booked',
  measuring: 'Measuring',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** Every status, in the order an assignment moves through them: the filter's options. */
export const statuses = Object.keys(statusLabel) as Status[];
/** The tiles: where the open work is, then what is done (cancelled ones are left to the filter). */
export const tileStatuses: readonly Status[] = ['delivered', 'acknowledged', 'overdue', 'session_booked', 'slots_proposed', 'measuring', 'closed'];
const openStatuses: readonly Status[] = ['delivered', 'acknowledged', 'overdue', 'slots_proposed', 'session_booked', 'measuring'];
export const isOpen = (status: Status): boolean => openStatuses.includes(status);

// ── time ─────────────────────────────────────────────────────────────────────

/** "Tue 3 Mar 14:30" on the tenant's clock. */
export function formatWhen(iso: string | null | undefined, timezone: string): string {
  if (!iso) return DASH;
  const day = new Date(iso).toLocaleDateString('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short' });
  return `${day} ${formatClock(iso, timezone)}`;
}

/** "Tue 3 Mar" on the tenant's clock. */
export function formatDate(iso: string | null | undefined, timezone: string): string {
  if (!iso) return DASH;
  return new Date(iso).toLocaleDateString('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short' });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ── targets and units ────────────────────────────────────────────────────────

const isCoachingKpi = (metric: string): metric is CoachingKpiMetric => (coachingKpiMetrics as readonly string[]).includes(metric);

/**
 * What an effect is measured in: a KPI's own unit (seconds for AHT, a ratio for rates), or for a quality question the
 * change in its pass rate (a ratio). `lowerIsBetter` says which sign is an improvement.
 */
export interface EffectUnit {
  unit: 'seconds' | 'ratio' | 'count';
  lowerIsBetter: boolean;
  /** "seconds of AHT", "pass rate": what the numbers are changes of. */
  of: string;
}

const passRate: EffectUnit = { unit: 'ratio', lowerIsBetter: false, of: 'pass rate' };

function kpiUnit(metric: CoachingKpiMetric): EffectUnit {
  const kpi = getCoachingKpi(metric);
  return { unit: kpi.unit, lowerIsBetter: getCoachingWorseSide(metric) === 'above', of: kpi.label };
}

export function getEffectUnit(target: Target): EffectUnit {
  return target.type === 'metric' && isCoachingKpi(target.metric) ? kpiUnit(target.metric) : passRate;
}

/** The value as a chart draws it: seconds as seconds, ratios in percentage points. */
const toDisplay = (unit: EffectUnit['unit'], value: number): number => (unit === 'ratio' ? value * 100 : value);

export const unitSuffix = (unit: EffectUnit['unit']): string => (unit === 'ratio' ? 'pp' : unit === 'seconds' ? 's' : '');

/** A change, signed, in its unit: "−12.5 s", "+3.2 pp"; ratios are percentage points. */
export function formatChange(unit: EffectUnit['unit'], value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const shown = toDisplay(unit, value);
  const digits = unit === 'count' ? 2 : 1;
  const magnitude = Math.abs(shown).toFixed(digits);
  // A change that rounds to zero carries no sign.
  const sign = Number(magnitude) === 0 ? '' : shown < 0 ? '−' : '+';
  const suffix = unitSuffix(unit);
  return `${sign}${magnitude}${suffix ? ` ${suffix}` : ''}`;
}

/** "−20.1 to −4.0 s": an interval with its unit once. */
export function formatInterval(unit: EffectUnit['unit'], low: number, high: number): string {
  const suffix = unitSuffix(unit);
  const bare = (v: number) => (suffix ? formatChange(unit, v).replace(` ${suffix}`, '') : formatChange(unit, v));
  return `${bare(low)} to ${bare(high)}${suffix ? ` ${suffix}` : ''}`;
}

/** Whether a change lies on the improving side (false for no change). */
export const isImprovement = (unit: EffectUnit, value: number): boolean => (unit.lowerIsBetter ? value < 0 : value > 0);

// ── outcome of one assignment ────────────────────────────────────────────────

export type Verdict = 'improved' | 'no_change' | 'worse';

export type Outcome =
  | {
      kind: 'measured';
      outcome: Verdict;
      estimate: number;
      low: number;
      high: number;
      confidence: number;
      coachedChange: number;
      comparisonChange: number;
      comparisonAgents: number;
    }
  | { kind: 'not_measured'; reason: string };

export const verdictLabel: Record<Verdict | 'not_measured', string> = {
  improved: 'improved',
  no_change: 'no clear change',
  worse: 'worse',
  not_measured: 'not measured',
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The stored outcome (as the coaching run wrote it) read defensively: null while there is none. */
export function readOutcome(raw: Record<string, unknown> | null | undefined): Outcome | null {
  if (!raw || typeof raw.outcome !== 'string') return null;
  if (raw.outcome === 'not_measured') return { kind: 'not_measured', reason: typeof raw.reason === 'string' ? raw.reason : 'no reason recorded' };
  if (raw.outcome !== 'improved' && raw.outcome !== 'no_change' && raw.outcome !== 'worse') return null;
  const estimate = num(raw.estimate);
  const low = num(raw.low);
  const high = num(raw.high);
  if (estimate === null || low === null || high === null) return { kind: 'not_measured', reason: 'the stored outcome has no estimate' };
  return {
    kind: 'measured',
    outcome: raw.outcome,
    estimate,
    low,
    high,
    confidence: num(raw.confidence) ?? 0.9,
    coachedChange: num(raw.coachedChange) ?? Number.NaN,
    comparisonChange: num(raw.comparisonChange) ?? Number.NaN,
    comparisonAgents: num(raw.comparisonAgents) ?? 0,
  };
}

/** The table's outcome cell: "improved · −12.5 s", "not measured", or "—" while open. */
export function describeOutcomeShort(outcome: Outcome | null, unit: EffectUnit): string {
  if (!outcome) return DASH;
  if (outcome.kind === 'not_measured') return verdictLabel.not_measured;
  return `${verdictLabel[outcome.outcome]} · ${formatChange(unit.unit, outcome.estimate)}`;
}

// ── rules in words ───────────────────────────────────────────────────────────

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

const weeksRunning = (n: number) => (n === 1 ? 'in the last complete week' : `in each of the last ${n} complete weeks`);

/** A rule's condition as a supervisor reads it. */
export function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'manual':
      return 'Assigned by hand';
    case 'quality_question':
      return `${questionName(condition.questionId)} failed in at least ${condition.failedAtLeast} of the agent's last ${plural(condition.ofLast, 'evaluation')}`;
    case 'critical_fail':
      return `A critical question failed within the last ${plural(condition.withinDays, 'day')}`;
    case 'kpi': {
      const kpi = getCoachingKpi(condition.metric);
      const threshold =
        condition.threshold.type === 'value'
          ? formatKpi(kpi.unit, condition.threshold.value)
          : `the team's ${ordinal(condition.comparator === 'above' ? condition.threshold.percentile : 100 - condition.threshold.percentile)} percentile`;
      return `${kpi.label} ${condition.comparator} ${threshold} ${weeksRunning(condition.forWeeks)}`;
    }
  }
}

export const describeSession = (session: { minutes: number } | null): string => (session ? `${session.minutes} min` : 'none');
export const describeDue = (dueDays: number): string => `${plural(dueDays, 'day')} after`;
export const describeMeasure = (weeks: number): string => plural(weeks, 'week');

/** The target of a manual assignment or a question id, as a label. */
export const describeTarget = (target: Target): string =>
  target.type === 'metric' ? (isCoachingKpi(target.metric) ? getCoachingKpi(target.metric).label : target.metric) : questionName(target.questionId);

// ── evidence and timeline ────────────────────────────────────────────────────

export interface EvidenceSummary {
  text: string;
  /** The evaluations behind a quality finding, to open. */
  evaluationIds: string[];
  /** The weeks behind a KPI finding, each "value against threshold". */
  weeks: { weekStart: string; value: string; threshold: string }[];
}

/** What made the assignment, from its stored evidence. */
export function summariseEvidence(evidence: Record<string, unknown>, target: Target): EvidenceSummary {
  const kind = evidence.kind;
  const evaluationIds = Array.isArray(evidence.evaluationIds) ? evidence.evaluationIds.filter((id): id is string => typeof id === 'string') : [];
  if (kind === 'manual') return { text: 'Assigned by hand.', evaluationIds: [], weeks: [] };
  if (kind === 'quality_question' || kind === 'critical_fail') {
    const what = kind === 'critical_fail' ? 'A critical question failed' : `${describeTarget(target)} failed`;
    return { text: `${what} in ${plural(evaluationIds.length, 'released evaluation')}.`, evaluationIds, weeks: [] };
  }
  if (kind === 'kpi' && Array.isArray(evidence.weeks)) {
    const unit = target.type === 'metric' && isCoachingKpi(target.metric) ? getCoachingKpi(target.metric).unit : 'count';
    const weeks = (evidence.weeks as unknown[]).flatMap((w) => {
      const week = w as { weekStart?: unknown; value?: unknown; threshold?: unknown };
      return typeof week.weekStart === 'string'
        ? [{ weekStart: week.weekStart, value: formatKpi(unit, num(week.value)), threshold: formatKpi(unit, num(week.threshold)) }]
        : [];
    });
    return { text: `${describeTarget(target)} beyond the threshold ${plural(weeks.length, 'week')} running.`, evaluationIds: [], weeks };
  }
  return { text: 'No evidence recorded.', evaluationIds, weeks: [] };
}

/** One timeline step in words: what happened (the "by whom" is the event's own `by`, or the coaching run). */
export function describeEvent(event: Pick<TimelineEvent, 'kind' | 'detail'>, timezone: string): string {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  switch (event.kind) {
    case 'created':
      return typeof detail.rule === 'string' ? `Made by “${detail.rule}”` : 'Made';
    case 'delivered':
      return 'Tip delivered to the agent';
    case 'reminded':
      return 'Agent reminded';
    case 'escalated':
      return 'Not acknowledged in time: overdue, escalated to the coach';
    case 'acknowledged':
      return 'Acknowledged by the agent';
    case 'slots_proposed':
      return typeof detail.slots === 'number' ? `No free slot: ${plural(detail.slots, 'slot')} proposed to the coach` : 'Slots proposed to the coach';
    case 'session_booked':
      return typeof detail.start === 'string'
        ? `Session booked for ${formatWhen(detail.start, timezone)}${typeof detail.end === 'string' ? `–${formatClock(detail.end, timezone)}` : ''}`
        : 'Session booked';
    case 'measuring':
      return typeof detail.until === 'string' ? `Measuring the effect until ${formatDate(detail.until, timezone)}` : 'Measuring the effect';
    case 'closed':
      return typeof detail.outcome === 'string' && detail.outcome in verdictLabel
        ? `Closed: ${verdictLabel[detail.outcome as keyof typeof verdictLabel]}`
        : 'Closed';
    case 'cancelled':
      return 'Cancelled';
    default:
      return event.kind.replaceAll('_', ' ');
  }
}

/** Oldest first, whatever order they came in. */
export const orderTimeline = <T extends { at: string }>(events: readonly T[]): T[] => [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

// ── scope lists derived from assignments ─────────────────────────────────────

/** The agents that have assignments, by name: the hand-assignment form's fallback when the directory list is not there. */
export function agentsOf(assignments: readonly Pick<Assignment, 'agentKey' | 'agentName'>[]): { key: string; name: string }[] {
  const byKey = new Map<string, string>();
  for (const a of assignments) if (a.agentKey) byKey.set(a.agentKey, a.agentName);
  return [...byKey].map(([key, name]) => ({ key, name })).sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
}

/** The rows of one status, or all of them: filtered here so the tiles keep every status's count. */
export function filterByStatus(assignments: readonly Assignment[], status: Status | ''): Assignment[] {
  return status ? assignments.filter((a) => a.status === status) : [...assignments];
}

// ── effects ──────────────────────────────────────────────────────────────────

interface EffectPoint {
  /** The rule or coach. */
  label: string;
  assignments: number;
  improved: number;
  shareImproved: number;
  /** In display units (seconds, percentage points). */
  mean: number;
  low: number;
  high: number;
  /** Below and above the mean, as an error bar draws them. */
  error: [number, number];
  improving: boolean;
}

export interface EffectGroup {
  target: string;
  unit: EffectUnit;
  points: EffectPoint[];
  /** The axis: every interval and 0 (no effect) in view. */
  domain: [number, number];
}

/**
 * Effects per target, as the chart draws them: a mean effect means something only within one unit, so each target
 * gets its own axis. Targets by name, rows best first (most improving mean first).
 */
export function groupEffects(rows: readonly EffectRow[]): EffectGroup[] {
  const groups = new Map<string, EffectGroup>();
  for (const r of rows) {
    const target = describeTarget(r.target);
    const group = groups.get(target) ?? { target, unit: getEffectUnit(r.target), points: [], domain: [0, 0] };
    groups.set(target, group);
    const mean = toDisplay(group.unit.unit, r.meanEffect);
    const low = toDisplay(group.unit.unit, r.low);
    const high = toDisplay(group.unit.unit, r.high);
    group.points.push({
      label: r.label,
      assignments: r.assignments,
      improved: r.improved,
      shareImproved: r.shareImproved,
      mean,
      low,
      high,
      error: [mean - low, high - mean],
      improving: isImprovement(group.unit, r.meanEffect),
    });
    group.domain = [Math.min(group.domain[0], low), Math.max(group.domain[1], high)];
  }
  for (const g of groups.values()) g.points.sort((a, b) => (g.unit.lowerIsBetter ? a.mean - b.mean : b.mean - a.mean) || a.label.localeCompare(b.label));
  return [...groups.values()].sort((a, b) => a.target.localeCompare(b.target));
}

// ── the rule form ────────────────────────────────────────────────────────────

export type ConditionKind = Condition['kind'];

export const conditionKindLabel: Record<ConditionKind, string> = {
  quality_question: 'A quality question keeps failing',
  critical_fail: 'A critical question failed',
  kpi: 'A KPI beyond a threshold for some weeks',
  manual: 'Manual (assigned by hand)',
};

/** The rule form as typed: numbers as text, so a half-typed field is still what the person sees. Rates are in percent. */
export interface RuleDraft {
  id?: string | undefined;
  name: string;
  enabled: boolean;
  kind: ConditionKind;
  questionId: string;
  failedAtLeast: string;
  ofLast: string;
  withinDays: string;
  metric: CoachingKpiMetric;
  comparator: 'above' | 'below';
  thresholdType: 'value' | 'team_percentile';
  thresholdValue: string;
  percentile: '75' | '90';
  forWeeks: string;
  tip: string;
  sessionMinutes: '' | '15' | '30' | '45' | '60';
  dueDays: string;
  measureWeeks: string;
}

export const blankRule: RuleDraft = {
  name: '',
  enabled: true,
  kind: 'quality_question',
  questionId: '',
  failedAtLeast: '2',
  ofLast: '5',
  withinDays: '7',
  metric: 'aht_s',
  comparator: getCoachingWorseSide('aht_s'),
  thresholdType: 'team_percentile',
  thresholdValue: '',
  percentile: '90',
  forWeeks: '2',
  tip: '',
  sessionMinutes: '30',
  dueDays: '7',
  measureWeeks: '4',
};

/** Rates are edited as percentages and stored as ratios; seconds as they are. */
const isRate = (metric: CoachingKpiMetric) => getCoachingKpi(metric).unit === 'ratio';
const toNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const fromRatio = (metric: CoachingKpiMetric, value: number) => String(isRate(metric) ? Math.round(value * 100_000) / 1000 : value);

/** A draft when the metric changes: the comparator starts on the side where the KPI is worse. */
export const withMetric = (draft: RuleDraft, metric: CoachingKpiMetric): RuleDraft => ({ ...draft, metric, comparator: getCoachingWorseSide(metric) });

export function draftOfRule(rule: Rule | CoachingRule): RuleDraft {
  const c = rule.condition;
  return {
    ...blankRule,
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    kind: c.kind,
    ...(c.kind === 'quality_question' ? { questionId: c.questionId, failedAtLeast: String(c.failedAtLeast), ofLast: String(c.ofLast) } : {}),
    ...(c.kind === 'critical_fail' ? { withinDays: String(c.withinDays) } : {}),
    ...(c.kind === 'kpi'
      ? {
          metric: c.metric,
          comparator: c.comparator,
          thresholdType: c.threshold.type,
          thresholdValue: c.threshold.type === 'value' ? fromRatio(c.metric, c.threshold.value) : '',
          percentile: c.threshold.type === 'team_percentile' ? (String(c.threshold.percentile) as '75' | '90') : '90',
          forWeeks: String(c.forWeeks),
        }
      : {}),
    tip: rule.tip,
    sessionMinutes: rule.session ? (String(rule.session.minutes) as RuleDraft['sessionMinutes']) : '',
    dueDays: String(rule.dueDays),
    measureWeeks: String(rule.measureWeeks),
  };
}

function conditionOfDraft(d: RuleDraft): unknown {
  switch (d.kind) {
    case 'manual':
      return { kind: 'manual' };
    case 'quality_question':
      return { kind: 'quality_question', questionId: d.questionId.trim(), failedAtLeast: toNumber(d.failedAtLeast), ofLast: toNumber(d.ofLast) };
    case 'critical_fail':
      return { kind: 'critical_fail', withinDays: toNumber(d.withinDays) };
    case 'kpi': {
      const value = toNumber(d.thresholdValue);
      return {
        kind: 'kpi',
        metric: d.metric,
        comparator: d.comparator,
        threshold:
          d.thresholdType === 'value'
            ? { type: 'value', value: isRate(d.metric) ? value / 100 : value }
            : { type: 'team_percentile', percentile: Number(d.percentile) },
        forWeeks: toNumber(d.forWeeks),
      };
    }
  }
}

/** The rule a draft stands for, checked with the contract's schema: the rule, or each field's first problem by its path ("condition.ofLast"). */
export function checkRuleDraft(d: RuleDraft): { ok: true; rule: CoachingRule } | { ok: false; problems: Record<string, string> } {
  const candidate = {
    ...(d.id ? { id: d.id } : {}),
    name: d.name,
    enabled: d.enabled,
    condition: conditionOfDraft(d),
    tip: d.tip,
    session: d.sessionMinutes ? { minutes: Number(d.sessionMinutes) } : null,
    dueDays: toNumber(d.dueDays),
    measureWeeks: toNumber(d.measureWeeks),
  };
  const result = CoachingRule.safeParse(candidate);
  if (result.success) return { ok: true, rule: result.data };
  const problems: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || 'rule';
    // The contract speaks of ratios ("0.8 for 80%"); this form takes percentages.
    const message =
      path === 'condition.threshold.value' && d.kind === 'kpi' && isRate(d.metric) && /fractions/.test(issue.message)
        ? 'a rate of at most 100%'
        : issue.message;
    problems[path] ??= message;
  }
  return { ok: false, problems };
}

/** The unit a KPI threshold is typed in. */
export const thresholdUnit = (metric: CoachingKpiMetric): string => (isRate(metric) ? '%' : getCoachingKpi(metric).unit === 'seconds' ? 's' : '');
