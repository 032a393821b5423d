/**
 * npm run bench:erlang — staffing requirements for 672,000 intervals (1,000 queues × 7 days
 * × 96 quarter-hours) through `planIntervals`, the path the staffing workflow uses.
 *
 * Queues are drawn from a seeded generator: voice and chat (2–3 concurrent), peak loads
 * log-uniform from 0.5 to 400 Erlangs shaped by an intraday curve (nights fall to a few
 * thousandths of the peak, or to no contacts) and a weekly one, with forecast noise; half of
 * them Erlang A (mean patience 30 s to 10 min); service-level or ASA targets, occupancy caps
 * and shrinkage.
 *
 * Accuracy: every 100th interval's service level, P(wait), ASA (and P(abandon)) at the
 * planned headcount are recomputed by the slow reference (log-space sums, Poisson sums and
 * uniformisation, sharing no formula with the fast code); `max_rel_error` is the largest
 * relative difference. The reference also confirms each sampled headcount meets its target
 * and one agent fewer does not.
 *
 * Prints one JSON object as its last (only) line.
 */
import { createSeededRandom, evaluateQueueReference, planIntervals, type IntervalPlan, type StaffingPolicy } from '@switchboard/planning';

const QUEUES = 1000;
const DAYS = 7;
const INTERVALS_PER_DAY = 96;
const INTERVAL_S = 900;
const SAMPLE_EVERY = 100;

const random = createSeededRandom(20240611);
const between = (low: number, high: number) => low + (high - low) * random();
const logBetween = (low: number, high: number) => Math.exp(between(Math.log(low), Math.log(high)));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

interface BenchQueue {
  policy: StaffingPolicy & { aht_s: number; concurrency: number; sl_threshold_s: number };
  days: number[][];
}

/** Share of the peak load at each quarter-hour: a morning and an afternoon hump, quiet nights. */
function intradayShape(interval: number, lateShift: number): number {
  const hour = interval / 4 + lateShift;
  const hump = (centre: number, width: number) => Math.exp(-(((hour - centre) / width) ** 2));
  return 0.002 + hump(10.5, 2.2) + 0.85 * hump(15, 2.6) + 0.25 * hump(20, 2);
}
const weekdayFactor = [1.15, 1.05, 1, 1, 0.95, 0.55, 0.4];

function createQueue(): BenchQueue {
  const chat = random() < 0.3;
  const concurrency = chat ? pick([2, 3]) : 1;
  const aht_s = chat ? between(300, 900) : between(150, 420);
  const patience_s = random() < 0.5 ? logBetween(30, 600) : undefined;
  const sl_threshold_s = chat ? pick([30, 60]) : pick([15, 20, 30]);
  const target =
    random() < 0.75
      ? ({ kind: 'service_level', service_level: pick([0.7, 0.8, 0.85, 0.9]) } as const)
      : ({ kind: 'asa', asa_s: pick([10, 20, 30, 60]) } as const);
  const peakLoad = logBetween(0.5, 400);
  const lateShift = between(-1, 1.5);
  const policy = {
    interval_s: INTERVAL_S,
    aht_s,
    sl_threshold_s,
    concurrency,
    target,
    max_occupancy: pick([0.85, 0.9, 0.95, 1]),
    shrinkage: between(0.25, 0.4),
    ...(patience_s === undefined ? {} : { patience_s }),
  };
  const peakCalls = (peakLoad * INTERVAL_S) / aht_s;
  const days = weekdayFactor.slice(0, DAYS).map((factor) =>
    Array.from({ length: INTERVALS_PER_DAY }, (_, i) => {
      const mean = peakCalls * factor * intradayShape(i, lateShift);
      // forecast noise, and the odd quiet interval with no contacts at all
      return mean < 0.05 && random() < 0.5 ? 0 : Math.max(0, mean * (1 + 0.08 * normal()));
    }),
  );
  return { policy, days };
}

const queues = Array.from({ length: QUEUES }, createQueue);

// JIT warm-up on a slice of the work, untimed
for (const q of queues.slice(0, 20)) for (const calls of q.days) planIntervals({ policy: q.policy, calls });

const plans: IntervalPlan[] = [];
const cpuStart = process.cpuUsage();
const start = performance.now();
for (const q of queues) for (const calls of q.days) plans.push(planIntervals({ policy: q.policy, calls }));
const elapsedMs = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
const intervals = QUEUES * DAYS * INTERVALS_PER_DAY;

const maxRelError = { service_level: 0, p_wait: 0, asa_s: 0, p_abandon: 0 };
let samples = 0;
let targetChecks = 0;
let targetFailures = 0;
let totalAgents = 0;
let maxLoad = 0;
let minLoad = Number.POSITIVE_INFINITY;
const relativeError = (fast: number, slow: number) => (slow === 0 ? (fast === 0 ? 0 : Number.POSITIVE_INFINITY) : Math.abs(fast - slow) / Math.abs(slow));

let index = 0;
queues.forEach((q, qi) => {
  const effectiveAht = q.policy.aht_s / q.policy.concurrency;
  q.days.forEach((calls, d) => {
    const plan = plans[qi * DAYS + d]!;
    calls.forEach((c, i) => {
      const load = (c * effectiveAht) / INTERVAL_S;
      totalAgents += plan.agents[i]!;
      if (load > 0) {
        maxLoad = Math.max(maxLoad, load);
        minLoad = Math.min(minLoad, load);
      }
      if (index++ % SAMPLE_EVERY !== 0 || load === 0) return;
      const evaluate = (agents: number) =>
        evaluateQueueReference({
          agents,
          load_erlangs: load,
          aht_s: effectiveAht,
          patience_s: q.policy.patience_s ?? null,
          sl_threshold_s: q.policy.sl_threshold_s,
        });
      const slow = evaluate(plan.agents[i]!);
      samples++;
      maxRelError.service_level = Math.max(maxRelError.service_level, relativeError(plan.service_level[i]!, slow.service_level));
      maxRelError.p_wait = Math.max(maxRelError.p_wait, relativeError(plan.p_wait[i]!, slow.p_wait));
      maxRelError.asa_s = Math.max(maxRelError.asa_s, relativeError(plan.asa_s[i]!, slow.asa_s));
      if (plan.p_abandon !== null) maxRelError.p_abandon = Math.max(maxRelError.p_abandon, relativeError(plan.p_abandon[i]!, slow.p_abandon));

      // the target is met at the headcount the search chose, and missed with one agent fewer
      const target = q.policy.target;
      const meets = (m: { service_level: number; asa_s: number }) =>
        target.kind === 'service_level' ? m.service_level >= target.service_level : m.asa_s <= target.asa_s;
      const targetAgents = plan.target_agents[i]!;
      targetChecks++;
      const atTarget = targetAgents === plan.agents[i] ? slow : evaluate(targetAgents);
      if (!meets(atTarget) || (targetAgents > 1 && meets(evaluate(targetAgents - 1)))) targetFailures++;
    });
  });
});

console.log(
  JSON.stringify({
    bench: 'erlang',
    us_per_interval: Number(((elapsedMs * 1000) / intervals).toFixed(3)),
    max_rel_error: Math.max(...Object.values(maxRelError)),
    cpu_us_per_interval: Number(((cpu.user + cpu.system) / intervals).toFixed(3)),
    intervals,
    total_s: Number((elapsedMs / 1000).toFixed(3)),
    erlang_a_share: queues.filter((q) => q.policy.patience_s !== undefined).length / QUEUES,
    load_erlangs: { min_nonzero: Number(minLoad.toPrecision(3)), max: Number(maxLoad.toFixed(1)) },
    mean_agents: Number((totalAgents / intervals).toFixed(2)),
    samples,
    max_rel_error_by_metric: maxRelError,
    sampled_targets_checked: targetChecks,
    sampled_target_failures: targetFailures,
  }),
);
