import { z } from 'zod';
import {
  ceilTolerant,
  computeErlangBUnchecked,
  createQueueMetrics,
  createQueueSolution,
  evaluateQueue,
  solveQueue,
  TARGET_ASA,
  TARGET_SERVICE_LEVEL,
  type QueueMetrics,
  type QueueTarget,
} from './queue-models.ts';

/**
 * Staffing requirements per interval (Erlang C, or Erlang A when a mean patience is given),
 * validated with zod here and computed without allocation in `queue-models.ts`.
 *
 * Conventions:
 * - Service level = contacts answered within the threshold / contacts offered, so under
 *   Erlang A an abandon counts as a miss whenever it happens — the `service_level` KPI's
 *   definition, so a plan and its actuals compare like for like.
 * - ASA = mean wait of answered contacts, immediate answers counting as 0 (the `asa_s` KPI).
 * - Occupancy = carried load / agents; under Erlang A the carried load excludes abandons.
 * - Concurrency k: an agent handling k contacts at once is treated as one server k times
 *   as fast (workload and handle time divided by k). This ignores that a contact needs only
 *   one free slot, so it slightly overstates waits at low volume — the safe side.
 */

const finite = (name: string) => z.number({ error: `${name} must be a number` });

const StaffingTarget = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('service_level'),
    service_level: finite('target service_level')
      .gt(0, 'target service_level must be between 0 and 1, e.g. 0.8 for 80%')
      .lt(1, 'target service_level must be between 0 and 1, e.g. 0.8 for 80%'),
  }),
  z.object({
    kind: z.literal('asa'),
    asa_s: finite('target asa_s').gt(0, 'target asa_s must be > 0 seconds'),
  }),
]);
type StaffingTarget = z.input<typeof StaffingTarget>;

const queueFields = {
  interval_s: finite('interval_s').gt(0, 'interval_s must be > 0 seconds'),
  aht_s: finite('aht_s').gt(0, 'aht_s must be > 0 seconds'),
  /** Mean patience before abandoning; given, the queue is Erlang A, else Erlang C. */
  patience_s: finite('patience_s').gt(0, 'patience_s must be > 0 seconds (omit it for Erlang C)').optional(),
  /** The queue's service-level threshold: the T of "X% answered within T s". */
  sl_threshold_s: finite('sl_threshold_s').min(0, 'sl_threshold_s must be ≥ 0 seconds'),
  concurrency: finite('concurrency').min(1, 'concurrency must be ≥ 1 contact per agent').default(1),
};

export const StaffingPolicy = z.object({
  ...queueFields,
  target: StaffingTarget,
  max_occupancy: finite('max_occupancy').gt(0, 'max_occupancy must be in (0, 1], e.g. 0.85').max(1, 'max_occupancy must be in (0, 1], e.g. 0.85').default(1),
  shrinkage: finite('shrinkage').min(0, 'shrinkage must be in [0, 1), e.g. 0.3').lt(1, 'shrinkage must be in [0, 1), e.g. 0.3').default(0),
});
export type StaffingPolicy = z.input<typeof StaffingPolicy>;

const calls = finite('calls').min(0, 'calls must be ≥ 0');

export const StaffingInterval = StaffingPolicy.extend({ calls });
export type StaffingInterval = z.input<typeof StaffingInterval>;

export const StaffingEvaluation = z.object({
  ...queueFields,
  calls,
  agents: finite('agents').int('agents must be a whole number').min(0, 'agents must be ≥ 0'),
});
export type StaffingEvaluation = z.input<typeof StaffingEvaluation>;

export const IntervalPlanRequest = z.object({ policy: StaffingPolicy, calls: z.array(calls) });
export type IntervalPlanRequest = z.input<typeof IntervalPlanRequest>;

type QueueModel = 'erlang_c' | 'erlang_a';

export interface StaffingMetrics {
  model: QueueModel;
  /** False for Erlang C with agents ≤ workload: the queue grows without bound (SL 0, ASA ∞). */
  stable: boolean;
  service_level: number;
  p_wait: number;
  /** Infinity when the queue is unstable or no contact is ever answered. */
  asa_s: number;
  occupancy: number;
  /** Null under Erlang C, which does not model abandons. */
  p_abandon: number | null;
}

type WaterfallStepId = 'volume' | 'workload' | 'concurrency' | 'erlang' | 'occupancy_cap' | 'shrinkage' | 'rounding';

interface WaterfallStep {
  step: WaterfallStepId;
  value: number;
  unit: 'contacts' | 'erlangs' | 'agents' | 'fte';
  /** Why the number is what it is, for the planner screen. */
  label: string;
}

export interface StaffingWaterfall {
  model: QueueModel;
  steps: WaterfallStep[];
  /** Agents on contacts after the occupancy cap: what `achieved` is computed at. */
  agents: number;
  required_fte: number;
  required_fte_rounded: number;
  achieved: StaffingMetrics;
}

export interface IntervalPlan {
  model: QueueModel;
  /** Fewest agents meeting the target. */
  target_agents: Int32Array;
  /** After the occupancy cap; the metrics below are at this headcount. */
  agents: Int32Array;
  required_fte: Float64Array;
  service_level: Float64Array;
  p_wait: Float64Array;
  asa_s: Float64Array;
  occupancy: Float64Array;
  /** Null under Erlang C. */
  p_abandon: Float64Array | null;
}

/** A policy in the units of the queue models: time in effective handle times. */
interface QueueParameters {
  model: QueueModel;
  /** Erlangs per call per agent: AHT / interval / concurrency. */
  loadPerCall: number;
  abandonRatio: number;
  effectiveAhtS: number;
  target: QueueTarget;
}

function toQueueParameters(q: z.output<typeof StaffingEvaluation> | z.output<typeof StaffingPolicy>): QueueParameters {
  const effectiveAhtS = q.aht_s / q.concurrency;
  const target = 'target' in q ? q.target : null;
  return {
    model: q.patience_s === undefined ? 'erlang_c' : 'erlang_a',
    loadPerCall: q.aht_s / q.interval_s / q.concurrency,
    abandonRatio: q.patience_s === undefined ? 0 : effectiveAhtS / q.patience_s,
    effectiveAhtS,
    target: {
      kind: target?.kind === 'asa' ? TARGET_ASA : TARGET_SERVICE_LEVEL,
      serviceLevel: target?.kind === 'service_level' ? target.service_level : 0,
      threshold: q.sl_threshold_s / effectiveAhtS,
      asa: target?.kind === 'asa' ? target.asa_s / effectiveAhtS : 0,
      maxOccupancy: 1,
    },
  };
}

function toStaffingMetrics(p: QueueParameters, m: QueueMetrics): StaffingMetrics {
  return {
    model: p.model,
    stable: m.stable,
    service_level: m.service_level,
    p_wait: m.p_wait,
    asa_s: m.asa * p.effectiveAhtS,
    occupancy: m.occupancy,
    p_abandon: p.model === 'erlang_a' ? m.p_abandon : null,
  };
}

/** Erlang B: the probability that a contact finds all `agents` busy, with no queue. */
export function computeErlangB(agents: number, load_erlangs: number): number {
  const input = z
    .object({
      agents: finite('agents').int('agents must be a whole number').min(0, 'agents must be ≥ 0'),
      load_erlangs: finite('load_erlangs').min(0, 'load_erlangs must be ≥ 0'),
    })
    .parse({ agents, load_erlangs });
  return computeErlangBUnchecked(input.agents, input.load_erlangs);
}

/** The metrics a given headcount achieves. */
export function evaluateStaffing(input: StaffingEvaluation): StaffingMetrics & { agents: number; workload_erlangs: number } {
  const q = StaffingEvaluation.parse(input);
  const p = toQueueParameters(q);
  const metrics = createQueueMetrics();
  evaluateQueue(q.agents, q.calls * p.loadPerCall, p.abandonRatio, p.target.threshold, metrics);
  return { agents: q.agents, workload_erlangs: (q.calls * q.aht_s) / q.interval_s, ...toStaffingMetrics(p, metrics) };
}

/** At most `digits` decimals, without trailing zeros. */
const number = (x: number, digits = 1) => String(Number(x.toFixed(digits)));
const percent = (x: number) => `${number(100 * x)}%`;
const seconds = (x: number) => (Number.isFinite(x) ? `${number(x)} s` : '∞ s');
const formatInterval = (s: number) => (s % 60 === 0 ? `${s / 60} min` : `${s} s`);

/**
 * Every step from forecast volume to required FTE for one interval, each with its value and
 * why it changed, and what the final headcount achieves.
 */
export function getStaffingWaterfall(input: StaffingInterval): StaffingWaterfall {
  const q = StaffingInterval.parse(input);
  const p = toQueueParameters(q);
  const workload = (q.calls * q.aht_s) / q.interval_s;
  const load = q.calls * p.loadPerCall;
  const solution = createQueueSolution();
  solveQueue(load, p.abandonRatio, p.target, q.max_occupancy, solution);
  const atTarget = createQueueMetrics();
  evaluateQueue(solution.targetAgents, load, p.abandonRatio, p.target.threshold, atTarget);
  const requiredFte = solution.agents / (1 - q.shrinkage);
  const requiredFteRounded = ceilTolerant(requiredFte);

  const modelName = p.model === 'erlang_c' ? 'Erlang C' : `Erlang A (mean patience ${seconds(q.patience_s ?? 0)})`;
  const goal =
    q.target.kind === 'service_level'
      ? `${percent(q.target.service_level)} answered within ${seconds(q.sl_threshold_s)}`
      : `an ASA of at most ${seconds(q.target.asa_s)}`;
  const reached = q.target.kind === 'service_level' ? percent(atTarget.service_level) : seconds(atTarget.asa * p.effectiveAhtS);
  const noContacts = q.calls === 0;

  const steps: WaterfallStep[] = [
    { step: 'volume', value: q.calls, unit: 'contacts', label: `forecast contacts in the ${formatInterval(q.interval_s)} interval` },
    {
      step: 'workload',
      value: workload,
      unit: 'erlangs',
      label: `${number(q.calls)} contacts × ${seconds(q.aht_s)} AHT ÷ ${seconds(q.interval_s)}`,
    },
    {
      step: 'concurrency',
      value: load,
      unit: 'erlangs',
      label:
        q.concurrency === 1
          ? 'one contact at a time: unchanged'
          : `÷ ${number(q.concurrency)} concurrent contacts: an agent counts as one server ${number(q.concurrency)}× as fast`,
    },
    {
      step: 'erlang',
      value: solution.targetAgents,
      unit: 'agents',
      label: noContacts ? 'no contacts: no agents needed' : `${modelName}: fewest agents for ${goal} (reaches ${reached})`,
    },
    {
      step: 'occupancy_cap',
      value: solution.agents,
      unit: 'agents',
      label:
        q.max_occupancy === 1
          ? 'no occupancy cap: unchanged'
          : solution.agents > solution.targetAgents
            ? `+${solution.agents - solution.targetAgents} so occupancy stays ≤ ${percent(q.max_occupancy)} (it was ${percent(atTarget.occupancy)})`
            : `occupancy ${percent(atTarget.occupancy)} is within the ${percent(q.max_occupancy)} cap: unchanged`,
    },
    {
      step: 'shrinkage',
      value: requiredFte,
      unit: 'fte',
      label: q.shrinkage === 0 ? 'no shrinkage: unchanged' : `÷ (1 − ${percent(q.shrinkage)} shrinkage): paid time not on contacts (breaks, training, absence)`,
    },
    { step: 'rounding', value: requiredFteRounded, unit: 'fte', label: 'rounded up to whole people' },
  ];
  return {
    model: p.model,
    steps,
    agents: solution.agents,
    required_fte: requiredFte,
    required_fte_rounded: requiredFteRounded,
    achieved: toStaffingMetrics(p, solution.metrics),
  };
}

/**
 * Staffing for a run of intervals under one policy (a queue-day from a forecast), validated
 * once and returned as columns; this is the path the staffing workflow and the bench use.
 */
export function planIntervals(input: IntervalPlanRequest): IntervalPlan {
  const request = IntervalPlanRequest.parse(input);
  const p = toQueueParameters(request.policy);
  const { max_occupancy: maxOccupancy, shrinkage } = request.policy;
  const count = request.calls.length;
  const plan: IntervalPlan = {
    model: p.model,
    target_agents: new Int32Array(count),
    agents: new Int32Array(count),
    required_fte: new Float64Array(count),
    service_level: new Float64Array(count),
    p_wait: new Float64Array(count),
    asa_s: new Float64Array(count),
    occupancy: new Float64Array(count),
    p_abandon: p.model === 'erlang_a' ? new Float64Array(count) : null,
  };
  const solution = createQueueSolution();
  const m = solution.metrics;
  for (let i = 0; i < count; i++) {
    solveQueue(request.calls[i]! * p.loadPerCall, p.abandonRatio, p.target, maxOccupancy, solution);
    plan.target_agents[i] = solution.targetAgents;
    plan.agents[i] = solution.agents;
    plan.required_fte[i] = solution.agents / (1 - shrinkage);
    plan.service_level[i] = m.service_level;
    plan.p_wait[i] = m.p_wait;
    plan.asa_s[i] = m.asa * p.effectiveAhtS;
    plan.occupancy[i] = m.occupancy;
    if (plan.p_abandon !== null) plan.p_abandon[i] = m.p_abandon;
  }
  return plan;
}
