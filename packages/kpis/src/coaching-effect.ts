import { createSeededRandom } from './random.ts';

/**
 * Did coaching work — defined once: a difference-in-differences estimate with a cluster
 * bootstrap interval. Pure and deterministic for a given seed, so the coaching workflow, the
 * supervisor's view and the tests all reach the same verdict from the same series.
 *
 * Difference-in-differences: the coached agents' change (after − before) minus the change of
 * comparable agents not coached in the same period. A plain before/after would credit coaching
 * with whatever moved for everyone — a seasonal dip, a new product, a routing change; the
 * comparison group's change removes it.
 *
 * Cluster bootstrap: an agent's days (or evaluation items) are not independent — the same
 * person, habits and queue — so resampling days would make the interval far too narrow. The
 * interval resamples whole agents, with replacement, within each group, and recomputes the
 * same estimator each time (percentile interval).
 */

/** One observation: a rate with its denominator as weight (hold rate of a day, weighted by its calls), or a 0/1 pass with weight 1. */
interface CoachingObservation {
  value: number;
  weight: number;
}

/** An agent's observations before and after coaching (or, for a comparison agent, before and after the same dates). */
export interface AgentSeries {
  agentId: string;
  before: CoachingObservation[];
  after: CoachingObservation[];
}

export interface CoachingEffectInput {
  coached: AgentSeries[];
  /** Comparable agents not coached in the same period, over the same before and after windows. */
  comparison: AgentSeries[];
  /** Whether a fall in the metric is an improvement (hold rate, AHT) or a rise is (CSAT, pass rate). */
  lowerIsBetter: boolean;
  /** Of the interval; 0.9 by default. */
  confidence?: number;
  /** Bootstrap resamples; 2000 by default. */
  resamples?: number;
  /** Of the resampling; a fixed default, so the same input always gives the same verdict. */
  seed?: number;
  /** Least weight (calls, items) a side needs for the agent to count; 1 by default. */
  minObservations?: number;
}

type CoachingOutcome = 'improved' | 'no_change' | 'worse';

export interface CoachingEffect {
  /** `improved` / `worse` only when the whole interval lies on that side of 0. */
  outcome: CoachingOutcome;
  /** coachedChange − comparisonChange, in the metric's unit. */
  estimate: number;
  /** The percentile bootstrap interval at `confidence`. */
  low: number;
  high: number;
  confidence: number;
  /** Agents used in each group. */
  coachedAgents: number;
  comparisonAgents: number;
  /** Agents left out for too little weight before or after. */
  excluded: { coached: number; comparison: number };
  /** Mean over the used agents of (after − before). */
  coachedChange: number;
  comparisonChange: number;
}

const DEFAULT_COACHING_CONFIDENCE = 0.9;
const DEFAULT_COACHING_RESAMPLES = 2000;
const DEFAULT_SEED = 0x5eed;

export function measureCoachingEffect(input: CoachingEffectInput): CoachingEffect {
  const confidence = input.confidence ?? DEFAULT_COACHING_CONFIDENCE;
  const resamples = input.resamples ?? DEFAULT_COACHING_RESAMPLES;
  const minObservations = input.minObservations ?? 1;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie strictly between 0 and 1, not ${confidence}`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive whole number, not ${resamples}`);
  if (!(minObservations >= 0)) throw new RangeError(`minObservations must be 0 or more, not ${minObservations}`);

  const coached = getAgentChanges(input.coached, minObservations);
  const comparison = getAgentChanges(input.comparison, minObservations);
  for (const [group, changes, all] of [
    ['coached', coached, input.coached],
    ['comparison', comparison, input.comparison],
  ] as const) {
    if (changes.length < 2)
      throw new RangeError(
        `the effect of coaching needs at least 2 ${group} agents with observations before and after; ${changes.length} of ${all.length} have (minObservations ${minObservations})`,
      );
  }

  const coachedChange = mean(coached);
  const comparisonChange = mean(comparison);
  const estimate = coachedChange - comparisonChange;

  const random = createSeededRandom(input.seed ?? DEFAULT_SEED);
  const estimates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) estimates[r] = resampleMean(coached, random) - resampleMean(comparison, random);
  estimates.sort();
  const low = quantileSorted(estimates, (1 - confidence) / 2);
  const high = quantileSorted(estimates, (1 + confidence) / 2);

  return verdict(input.lowerIsBetter, {
    estimate,
    low,
    high,
    confidence,
    coachedAgents: coached.length,
    comparisonAgents: comparison.length,
    excluded: { coached: input.coached.length - coached.length, comparison: input.comparison.length - comparison.length },
    coachedChange,
    comparisonChange,
  });
}

/**
 * One coached agent's effect — what a single assignment closes with. A bootstrap over one agent is degenerate (it
 * always redraws the same agent), and the comparison mean's own interval would call any change of one agent
 * significant, so the interval here is the placebo range instead: the agent's change minus each comparison agent's
 * change, at the same percentiles. `improved` / `worse` then say the agent changed more than all but the
 * `1 − confidence` tail of agents nobody coached — about that share of false verdicts when coaching did nothing.
 */
export function measureAgentCoachingEffect(input: Omit<CoachingEffectInput, 'coached' | 'resamples' | 'seed'> & { coached: AgentSeries }): CoachingEffect {
  const confidence = input.confidence ?? DEFAULT_COACHING_CONFIDENCE;
  const minObservations = input.minObservations ?? 1;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie strictly between 0 and 1, not ${confidence}`);
  const [change] = getAgentChanges([input.coached], minObservations);
  const comparison = getAgentChanges(input.comparison, minObservations);
  if (change === undefined) throw new RangeError(`the coached agent needs observations before and after (minObservations ${minObservations})`);
  if (comparison.length < 2)
    throw new RangeError(
      `the effect of coaching needs at least 2 comparison agents with observations before and after; ${comparison.length} of ${input.comparison.length} have`,
    );
  const comparisonChange = mean(comparison);
  const placebo = Float64Array.from(comparison, (c) => change - c).sort();
  return verdict(input.lowerIsBetter, {
    estimate: change - comparisonChange,
    low: quantileSorted(placebo, (1 - confidence) / 2),
    high: quantileSorted(placebo, (1 + confidence) / 2),
    confidence,
    coachedAgents: 1,
    comparisonAgents: comparison.length,
    excluded: { coached: 0, comparison: input.comparison.length - comparison.length },
    coachedChange: change,
    comparisonChange,
  });
}

function verdict(lowerIsBetter: boolean, effect: Omit<CoachingEffect, 'outcome'>): CoachingEffect {
  const improvedSide = lowerIsBetter ? effect.high < 0 : effect.low > 0;
  const worseSide = lowerIsBetter ? effect.low > 0 : effect.high < 0;
  return { outcome: improvedSide ? 'improved' : worseSide ? 'worse' : 'no_change', ...effect };
}

/**
 * Which coaching works, over closed assignments of one metric (a rule's, a coach's): the share that improved, and
 * the mean effect with a bootstrap interval over the assignments (each one agent's difference-in-differences).
 */
export function summariseCoachingEffects(
  effects: readonly Pick<CoachingEffect, 'outcome' | 'estimate'>[],
  options: { confidence?: number; resamples?: number; seed?: number } = {},
): { assignments: number; improved: number; shareImproved: number; meanEffect: number; low: number; high: number } | null {
  if (effects.length === 0) return null;
  const confidence = options.confidence ?? DEFAULT_COACHING_CONFIDENCE;
  const resamples = options.resamples ?? DEFAULT_COACHING_RESAMPLES;
  const estimates = effects.map((e) => e.estimate);
  const random = createSeededRandom(options.seed ?? DEFAULT_SEED);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) means[r] = resampleMean(estimates, random);
  means.sort();
  const improved = effects.filter((e) => e.outcome === 'improved').length;
  return {
    assignments: effects.length,
    improved,
    shareImproved: improved / effects.length,
    meanEffect: mean(estimates),
    low: quantileSorted(means, (1 - confidence) / 2),
    high: quantileSorted(means, (1 + confidence) / 2),
  };
}

/** Each usable agent's after − before; an agent with less than minObservations weight (or none) on either side is left out. */
function getAgentChanges(agents: readonly AgentSeries[], minObservations: number): number[] {
  const changes: number[] = [];
  for (const agent of agents) {
    const before = weightedMean(agent.agentId, agent.before);
    const after = weightedMean(agent.agentId, agent.after);
    if (before.weight > 0 && after.weight > 0 && before.weight >= minObservations && after.weight >= minObservations) changes.push(after.mean - before.mean);
  }
  return changes;
}

function weightedMean(agentId: string, observations: readonly CoachingObservation[]): { mean: number; weight: number } {
  let sum = 0;
  let weight = 0;
  for (const { value, weight: w } of observations) {
    if (!Number.isFinite(value) || !Number.isFinite(w) || w < 0)
      throw new RangeError(`agent ${agentId}: an observation needs a finite value and a finite weight of 0 or more, not ${value} with weight ${w}`);
    sum += value * w;
    weight += w;
  }
  return { mean: weight > 0 ? sum / weight : NaN, weight };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The mean of values.length draws with replacement. */
function resampleMean(values: readonly number[], random: () => number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)]!;
  return sum / values.length;
}

/** Linear interpolation between order statistics (R's type 7, the common default). */
function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const lower = sorted[i]!;
  return i + 1 < sorted.length ? lower + (h - i) * (sorted[i + 1]! - lower) : lower;
}
