import { z } from 'zod';

/**
 * A slow evaluation of the same queues that shares no formula with `queue-models.ts`, so
 * tests and the bench can check the fast code against it: the stationary distribution is
 * summed state by state in log space (compensated sums), Erlang C waits come from Poisson
 * sums instead of the closed form, and Erlang A's answered-within-t and ASA come from
 * uniformising the tagged contact's walk to the head of the queue instead of the negative
 * binomial and harmonic sums. Cost grows with agents × queue states × threshold.
 */

export const ReferenceQueue = z.object({
  agents: z.number().int().min(1, 'agents must be at least 1'),
  load_erlangs: z.number().gt(0, 'load_erlangs must be > 0'),
  aht_s: z.number().gt(0, 'aht_s must be > 0'),
  patience_s: z.number().gt(0, 'patience_s must be > 0').nullable(),
  sl_threshold_s: z.number().min(0, 'sl_threshold_s must be ≥ 0'),
});
export type ReferenceQueue = z.input<typeof ReferenceQueue>;

export interface ReferenceMetrics {
  stable: boolean;
  service_level: number;
  p_wait: number;
  p_abandon: number;
  asa_s: number;
  occupancy: number;
}

/** Neumaier summation: keeps long sums of logs accurate to a few ulps. */
class CompensatedSum {
  private sum = 0;
  private carry = 0;
  add(x: number): void {
    const t = this.sum + x;
    this.carry += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.carry;
  }
}

function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/** Log Poisson(mean) probabilities for 0, 1, … until past the mean and below e^-60 of the peak. */
function logPoisson(mean: number, atLeast: number): number[] {
  if (mean === 0) return [0];
  const out: number[] = [];
  const acc = new CompensatedSum();
  acc.add(-mean);
  const logMean = Math.log(mean);
  let peak = Number.NEGATIVE_INFINITY;
  for (let k = 0; ; k++) {
    if (k > 0) acc.add(logMean - Math.log(k));
    const v = acc.value;
    out.push(v);
    peak = Math.max(peak, v);
    if (k > mean && k >= atLeast && v < peak - 60) return out;
  }
}

export function evaluateQueueReference(input: ReferenceQueue): ReferenceMetrics {
  const q = ReferenceQueue.parse(input);
  const n = q.agents;
  const load = q.load_erlangs;
  const theta = q.patience_s === null ? 0 : q.aht_s / q.patience_s;
  const t = q.sl_threshold_s / q.aht_s;
  if (theta === 0 && n <= load) {
    return { stable: false, service_level: 0, p_wait: 1, p_abandon: 0, asa_s: Number.POSITIVE_INFINITY, occupancy: 1 };
  }

  // log π_k (unnormalised) for k ≤ n, then the queue states n + j
  const logFree: number[] = [];
  const acc = new CompensatedSum();
  for (let k = 0; k <= n; k++) {
    if (k > 0) acc.add(Math.log(load / k));
    logFree.push(acc.value);
  }
  const logQueue: number[] = [];
  const queueAcc = new CompensatedSum();
  queueAcc.add(logFree[n]!);
  let peak = Math.max(...logFree);
  for (let j = 0; ; j++) {
    if (j > 0) queueAcc.add(Math.log(load / (n + j * theta)));
    const v = queueAcc.value;
    logQueue.push(v);
    peak = Math.max(peak, v);
    if (load < n + (j + 1) * theta && v < peak - 50) break;
  }
  const total = new CompensatedSum();
  for (const v of logFree.slice(0, n)) total.add(Math.exp(v - peak));
  for (const v of logQueue) total.add(Math.exp(v - peak));
  const z = total.value;
  const pFree = logFree.slice(0, n).map((v) => Math.exp(v - peak) / z);
  const pQueue = logQueue.map((v) => Math.exp(v - peak) / z);

  const sum = (xs: Iterable<number>) => {
    const s = new CompensatedSum();
    for (const x of xs) s.add(x);
    return s.value;
  };
  const pWait = sum(pQueue);
  const pNoWait = sum(pFree);
  const busy = sum(pFree.map((p, k) => p * k)) + n * pWait;
  const queueLength = sum(pQueue.map((p, j) => p * j));

  if (theta === 0) {
    // A contact finding j waiting is answered after Erlang(j+1, n): P(> t) = P(Poisson(nt) ≤ j).
    const logPois = logPoisson(n * t, pQueue.length);
    let logCdf = Number.NEGATIVE_INFINITY;
    const late = new CompensatedSum();
    const wait = new CompensatedSum();
    pQueue.forEach((p, j) => {
      logCdf = logAddExp(logCdf, logPois[j] ?? Number.NEGATIVE_INFINITY);
      late.add(p * Math.min(1, Math.exp(logCdf)));
      wait.add((p * (j + 1)) / n);
    });
    return { stable: true, service_level: 1 - late.value, p_wait: pWait, p_abandon: 0, asa_s: wait.value * q.aht_s, occupancy: busy / n };
  }

  // Uniformise the tagged contact's walk: at position m it moves up at rate n + (m−1)θ and
  // abandons at rate θ; Λ = n + Mθ covers every position.
  const positions = pQueue.length;
  const rate = n + positions * theta;
  const advance = (m: number) => (n + (m - 1) * theta) / rate;
  const leave = (m: number) => (n + m * theta) / rate;

  // Probability of being answered, and E[steps · 1{answered}], from each position.
  const answeredFrom = [1];
  const stepsFrom = [0];
  for (let m = 1; m <= positions; m++) {
    const p = (advance(m) * answeredFrom[m - 1]!) / leave(m);
    answeredFrom.push(p);
    stepsFrom.push((p + advance(m) * stepsFrom[m - 1]!) / leave(m));
  }

  // u[m] = P(answered within K steps from m), weighted by P(K uniformised steps in t).
  const u = new Float64Array(positions + 1);
  u[0] = 1;
  const withinT = Array.from({ length: positions + 1 }, () => new CompensatedSum());
  const logPois = logPoisson(rate * t, 0);
  for (const logWeight of logPois) {
    const w = Math.exp(logWeight);
    for (let m = 1; m <= positions; m++) withinT[m]!.add(w * u[m]!);
    for (let m = positions; m >= 1; m--) {
      u[m] = advance(m) * u[m - 1]! + (((positions - m) * theta) / rate) * u[m]!;
    }
  }

  const answeredInT = pNoWait + sum(pQueue.map((p, j) => p * withinT[j + 1]!.value));
  const answered = pNoWait + sum(pQueue.map((p, j) => p * answeredFrom[j + 1]!));
  const waitAnswered = sum(pQueue.map((p, j) => (p * stepsFrom[j + 1]!) / rate));
  return {
    stable: true,
    service_level: answeredInT,
    p_wait: pWait,
    // Little's law on the queue: abandons per unit time = θ · E[queue length]
    p_abandon: (theta * queueLength) / load,
    asa_s: (waitAnswered / answered) * q.aht_s,
    occupancy: busy / n,
  };
}
