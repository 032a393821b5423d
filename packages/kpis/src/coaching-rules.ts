import type { CoachingKpiMetric, CoachingRule } from '@switchboard/contracts';
import { adherenceKpis } from './adherence.ts';
import { queueKpis, surveyKpis, type KpiDefinition } from './catalogue.ts';

/**
 * When a coaching rule fires for an agent, defined once: which agents a quality or KPI rule
 * picks out, for which question or metric, on what evidence. Pure: the caller reads the
 * evaluations and the weekly figures, this decides, and the coaching workflow turns each
 * trigger that `dedupeTriggers` keeps into an assignment.
 */

/** The catalogue's definitions of the KPIs a rule can watch: a metric missing from the catalogue does not compile. */
const coachingKpis = {
  aht_s: queueKpis.aht_s,
  hold_rate: queueKpis.hold_rate,
  transfer_rate: queueKpis.transfer_rate,
  adherence: adherenceKpis.adherence,
  csat: surveyKpis.csat,
} satisfies Record<CoachingKpiMetric, Pick<KpiDefinition<never, never>, 'id' | 'label' | 'unit' | 'better'>>;

/** The catalogue's label and unit of a KPI a rule can watch: what screens name it by. */
export function getCoachingKpi(metric: CoachingKpiMetric): { label: string; unit: KpiDefinition<never, never>['unit'] } {
  return { label: coachingKpis[metric].label, unit: coachingKpis[metric].unit };
}

/** The side of a threshold on which the metric is worse, from the catalogue's `better`: the comparator a rule editor starts from. */
export function getCoachingWorseSide(metric: CoachingKpiMetric): 'above' | 'below' {
  return coachingKpis[metric].better === 'higher' ? 'below' : 'above';
}

interface CoachingAnswer {
  questionId: string;
  answer: 'yes' | 'no' | 'na';
  critical: boolean;
}

/** An evaluation of one of the agent's interactions; only released ones count (`releasedAt`, ISO 8601). */
interface CoachingEvaluation {
  evaluationId: string;
  releasedAt?: string | null;
  answers: readonly CoachingAnswer[];
}

/** One week of an agent's KPI: `weight` is its denominator (handled contacts, scheduled minutes, survey answers); 0 or a null value is no data. */
interface KpiWeek {
  weekStart: string;
  value: number | null;
  weight: number;
}

interface AgentKpiWeeks {
  agentKey: string;
  teamKey: string;
  /** One entry per week at most, in any order. */
  weeks: readonly KpiWeek[];
}

interface CoachingRuleInput {
  /** When the rule is checked (ISO 8601 instant): a critical-fail rule's window ends here. */
  asOf?: string;
  /** Quality rules: each agent's evaluations, newest first (re-sorted by `releasedAt`, so the order only breaks ties). */
  evaluations?: readonly { agentKey: string; evaluations: readonly CoachingEvaluation[] }[];
  /**
   * KPI rules: the complete weeks, oldest first (the rule judges the last `forWeeks` of them), and
   * every agent of the teams concerned — the whole team, since team percentiles are taken over it.
   */
  kpi?: { weekStarts: readonly string[]; agents: readonly AgentKpiWeeks[] };
}

/** What an assignment is about: a question of the quality forms or a KPI of the catalogue (a question may be called `aht_s` too, hence the type). */
type QuestionTarget = { type: 'question'; questionId: string };
type MetricTarget = { type: 'metric'; metric: CoachingKpiMetric };
type CoachingTarget = QuestionTarget | MetricTarget;

interface KpiEvidenceWeek {
  weekStart: string;
  value: number;
  threshold: number;
}

/** Ids and figures only, never names or text: the transcript spans are looked up later by evaluation id. */
export type CoachingTrigger =
  | { agentKey: string; kind: 'quality_question' | 'critical_fail'; target: QuestionTarget; evidence: { evaluationIds: string[] } }
  | { agentKey: string; kind: 'kpi'; target: MetricTarget; evidence: { weeks: KpiEvidenceWeek[] } };

/**
 * Fewest agents with data in a team's week for its percentile to mean anything: below it the
 * week has no team threshold and a percentile rule does not hold that week (in a team of two,
 * the worse agent is always beyond the p75).
 */
export const MIN_PERCENTILE_AGENTS = 5;
const DAY_MS = 86_400_000;

/**
 * The agents the rule picks out now, in the input's agent order (a critical-fail rule: one
 * trigger per critical question failed). A disabled or manual rule picks out no one.
 */
export function evaluateCoachingRule(rule: CoachingRule, input: CoachingRuleInput): CoachingTrigger[] {
  if (!rule.enabled) return [];
  const condition = rule.condition;
  switch (condition.kind) {
    case 'manual':
      return [];
    case 'quality_question':
      return requireEvaluations(input, condition.kind).flatMap(({ agentKey, evaluations }) => {
        // The last n evaluations that scored the question: N/A or not asked (another form, a hidden question) neither fails nor uses up a place.
        const scored = releasedNewestFirst(evaluations)
          .map((e) => ({ evaluationId: e.evaluationId, answer: e.answers.find((a) => a.questionId === condition.questionId)?.answer }))
          .filter((e) => e.answer === 'yes' || e.answer === 'no')
          .slice(0, condition.ofLast);
        const failed = scored.filter((e) => e.answer === 'no').map((e) => e.evaluationId);
        if (failed.length < condition.failedAtLeast) return [];
        return [{ agentKey, kind: condition.kind, target: { type: 'question', questionId: condition.questionId }, evidence: { evaluationIds: failed } }];
      });
    case 'critical_fail': {
      const asOf = input.asOf === undefined ? Number.NaN : Date.parse(input.asOf);
      if (Number.isNaN(asOf)) throw new TypeError('a critical-fail rule is checked as of an instant: give `asOf` as an ISO 8601 date-time');
      const since = asOf - condition.withinDays * DAY_MS;
      return requireEvaluations(input, condition.kind).flatMap(({ agentKey, evaluations }) => {
        const byQuestion = new Map<string, string[]>();
        for (const e of releasedNewestFirst(evaluations)) {
          const at = Date.parse(e.releasedAt!);
          if (at <= since || at > asOf) continue;
          for (const a of e.answers) {
            if (!a.critical || a.answer !== 'no') continue;
            const ids = byQuestion.get(a.questionId) ?? [];
            if (!ids.includes(e.evaluationId)) ids.push(e.evaluationId);
            byQuestion.set(a.questionId, ids);
          }
        }
        return [...byQuestion].map(([questionId, evaluationIds]): CoachingTrigger => ({
          agentKey,
          kind: 'critical_fail',
          target: { type: 'question', questionId },
          evidence: { evaluationIds },
        }));
      });
    }
    case 'kpi': {
      if (!input.kpi) throw new TypeError('a KPI rule needs the weekly figures: give `kpi` with the weeks and the agents of the teams concerned');
      const { weekStarts, agents } = input.kpi;
      if (weekStarts.length < condition.forWeeks)
        throw new RangeError(`the rule looks at the last ${condition.forWeeks} weeks but only ${weekStarts.length} were given`);
      const weeks = weekStarts.slice(-condition.forWeeks);
      const valueOf = new Map(agents.map((a) => [a.agentKey, new Map(a.weeks.filter(hasData).map((w) => [w.weekStart, w.value!]))]));
      const thresholdOf = getWeeklyThresholds(condition, agents, valueOf);
      return agents.flatMap((agent): CoachingTrigger[] => {
        const evidence: KpiEvidenceWeek[] = [];
        for (const weekStart of weeks) {
          const value = valueOf.get(agent.agentKey)?.get(weekStart);
          const threshold = thresholdOf(agent.teamKey, weekStart);
          if (value === undefined || threshold === null) return [];
          if (!(condition.comparator === 'above' ? value > threshold : value < threshold)) return [];
          evidence.push({ weekStart, value, threshold });
        }
        return [{ agentKey: agent.agentKey, kind: 'kpi', target: { type: 'metric', metric: condition.metric }, evidence: { weeks: evidence } }];
      });
    }
  }
}

function requireEvaluations(input: CoachingRuleInput, kind: string): NonNullable<CoachingRuleInput['evaluations']> {
  if (!input.evaluations) throw new TypeError(`a ${kind} rule needs the agents' evaluations: give \`evaluations\``);
  return input.evaluations;
}

/** Released evaluations only — an agent is not coached on a finding they have not been shown and cannot dispute — newest first. */
function releasedNewestFirst(evaluations: readonly CoachingEvaluation[]): CoachingEvaluation[] {
  return evaluations.filter((e) => e.releasedAt).sort((a, b) => Date.parse(b.releasedAt!) - Date.parse(a.releasedAt!));
}

function hasData(w: KpiWeek): boolean {
  return w.value !== null && Number.isFinite(w.value) && w.weight > 0;
}

type KpiCondition = Extract<CoachingRule['condition'], { kind: 'kpi' }>;

/**
 * The threshold of each team and week. A team percentile ranks the team's agents with data that
 * week, the agent included, one agent one vote: the question is whether the agent is worse than
 * most colleagues, so an agent's contact count (the weight) does not make their figure count more.
 */
function getWeeklyThresholds(
  condition: KpiCondition,
  agents: readonly AgentKpiWeeks[],
  valueOf: Map<string, Map<string, number>>,
): (teamKey: string, weekStart: string) => number | null {
  const threshold = condition.threshold;
  if (threshold.type === 'value') return () => threshold.value;
  // Beyond P% of the team in the comparator's direction: above the pP, or below the p(100 − P).
  const q = (condition.comparator === 'above' ? threshold.percentile : 100 - threshold.percentile) / 100;
  const cache = new Map<string, number | null>();
  return (teamKey, weekStart) => {
    const key = JSON.stringify([teamKey, weekStart]);
    if (!cache.has(key)) {
      const values = agents
        .filter((a) => a.teamKey === teamKey)
        .map((a) => valueOf.get(a.agentKey)?.get(weekStart))
        .filter((v) => v !== undefined);
      cache.set(key, values.length >= MIN_PERCENTILE_AGENTS ? getPercentile(values, q) : null);
    }
    return cache.get(key)!;
  };
}

/**
 * The q-quantile (0 … 1) by linear interpolation between closest ranks (spreadsheets'
 * PERCENTILE.INC, R's type 7): computed here directly, as a team is a handful of values.
 */
export function getPercentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('the percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (h - below) * (sorted[above]! - sorted[below]!);
}

function targetKey(agentKey: string, target: CoachingTarget): string {
  return JSON.stringify([agentKey, target.type, target.type === 'question' ? target.questionId : target.metric]);
}

/**
 * The triggers that make a new assignment: not for an agent and target with an open assignment
 * already (whichever rule made it), and once per agent and target (the first trigger wins).
 */
export function dedupeTriggers(
  triggers: readonly CoachingTrigger[],
  openAssignments: readonly { agentKey: string; target: CoachingTarget }[],
): CoachingTrigger[] {
  const taken = new Set(openAssignments.map((a) => targetKey(a.agentKey, a.target)));
  return triggers.filter((t) => {
    const key = targetKey(t.agentKey, t.target);
    if (taken.has(key)) return false;
    taken.add(key);
    return true;
  });
}
