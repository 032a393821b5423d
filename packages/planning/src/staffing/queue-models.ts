/**
 * Erlang B, C and A, unvalidated and allocation-free: the hot path behind the public,
 * zod-validated functions in `staffing.ts`. Time is measured in units of the (effective)
 * handle time, so the service rate is 1, the load is in Erlangs and the abandonment
 * rate θ is AHT / mean patience.
 */

/** Metrics of one queue at one headcount; written in place so a search allocates nothing. */
export interface QueueMetrics {
  /** False only for Erlang C with agents ≤ load: the queue grows without bound. */
  stable: boolean;
  /** Answered within the threshold / offered (abandons count as misses). */
  service_level: number;
  p_wait: number;
  /** 0 for Erlang C. */
  p_abandon: number;
  /** Mean wait of answered contacts (immediate answers count as 0), in AHT units. */
  asa: number;
  /** Carried load / agents: the share of agent time spent on contacts. */
  occupancy: number;
}

export function createQueueMetrics(): QueueMetrics {
  return { stable: true, service_level: 1, p_wait: 0, p_abandon: 0, asa: 0, occupancy: 0 };
}

function setNoWait(out: QueueMetrics, load: number, agents: number): void {
  out.stable = true;
  out.service_level = 1;
  out.p_wait = 0;
  out.p_abandon = 0;
  out.asa = 0;
  out.occupancy = agents > 0 ? load / agents : 0;
}

// B(n) for the current load, kept so that a search can step down as well as up, and
// extended by the recursion as it steps up: one search over n agents costs O(n).
let bTable = new Float64Array(1024);
let bFilled = 0;
let bLoad = Number.NaN;

function startErlangB(load: number): void {
  bLoad = load;
  bTable[0] = 1;
  bFilled = 0;
}

/**
 * B(n, A) by B(n) = A·B(n−1) / (n + A·B(n−1)): every step divides a positive number by a
 * larger one, so it neither overflows nor loses precision for thousands of agents.
 */
function erlangBAt(n: number): number {
  if (n >= bTable.length) {
    const grown = new Float64Array(Math.max(2 * bTable.length, n + 1));
    grown.set(bTable);
    bTable = grown;
  }
  let b = bTable[bFilled]!;
  while (bFilled < n) {
    bFilled++;
    const ab = bLoad * b;
    b = ab / (bFilled + ab);
    bTable[bFilled] = b;
  }
  return bTable[n]!;
}

export function computeErlangBUnchecked(agents: number, load: number): number {
  startErlangB(load);
  return erlangBAt(agents);
}

/**
 * P(wait) under Erlang C, given B(n − 1): with D = Σ_{k<n} π_k / π_n = n / (A·B(n−1)),
 * C = 1 / (1 + D·(1 − A/n)) = 1 / (1 + (n − A) / (A·B(n−1))). Unlike n·B / (n − A(1 − B))
 * it does not cancel in 1 − B, and an underflowed B gives "nobody waits".
 */
function erlangCWait(agents: number, load: number, bPrev: number): number {
  return 1 / (1 + (agents - load) / (load * bPrev));
}

/** Erlang C at `agents`, given B(agents − 1); at or beyond saturation the queue is unstable. */
function evaluateErlangCAt(agents: number, load: number, threshold: number, bPrev: number, out: QueueMetrics): void {
  if (agents <= load) {
    out.stable = false;
    out.service_level = 0;
    out.p_wait = 1;
    out.p_abandon = 0;
    out.asa = Number.POSITIVE_INFINITY;
    out.occupancy = 1;
    return;
  }
  const spare = agents - load;
  const pWait = erlangCWait(agents, load, bPrev);
  out.stable = true;
  out.p_wait = pWait;
  out.p_abandon = 0;
  out.service_level = 1 - pWait * Math.exp(-spare * threshold);
  out.asa = pWait / spare;
  out.occupancy = load / agents;
}

const TAIL_EPSILON = 1e-17;
const RESCALE = 1e200;
const RESCALE_INVERSE = 1e-200;
const LN_RESCALE = 200 * Math.LN10;
/** Reached only by an overloaded queue whose patience is thousands of handle times. */
const MAX_QUEUE_STATES = 10_000_000;

let inverseIntegers = new Float64Array(0);
function growInverseIntegers(size: number): void {
  const next = new Float64Array(Math.max(size, 2 * inverseIntegers.length, 1024));
  for (let i = 1; i < next.length; i++) next[i] = 1 / i;
  inverseIntegers = next;
}

/**
 * Erlang A (M/M/n+M) at `agents`, given B(agents − 1), by summing the birth–death chain
 * of queue lengths. Queue state j (all agents busy, j waiting) has weight
 * r_j = π_{n+j}/π_n = Π_{i≤j} A / (n + iθ), built by ratios, rescaled by 1e200 when an
 * overloaded queue makes them grow, and truncated once past the peak the geometric bound
 * on the tail is below 1e-17 of the sum. Every term is positive, and each tends to its
 * Erlang C term as θ → 0. Preferred to Garnett–Mandelbaum–Reiman's incomplete-gamma closed
 * forms: evaluating γ(n/θ, A/θ) takes a series as long as this one, and their
 * P(abandon | wait) = 1/(ρ·J) + 1 − 1/ρ cancels for patient contacts (θ → 0, ρ < 1), where
 * both parts tend to ±(1 − ρ)/ρ.
 *
 * A contact that finds j waiting reaches an agent after V = Σ_{m=1}^{j+1} Exp(n + (m−1)θ)
 * (agents finishing, or those ahead abandoning) and is answered if its own Exp(θ)
 * patience outlasts V, so
 *   P(answered | j)            = n / (n + (j+1)θ)
 *   E[V · 1{answered} | j]     = P(answered | j) · Σ_{m=1}^{j+1} 1 / (n + mθ)
 *   P(answered, V ≤ t | j)     = P(answered | j) · (1 − G_j(t)),
 * where G_j(t) = Σ_{i≤j} q^{n/θ+1} (1−q)^i (n/θ+1)_i / i!, q = e^{−θt}, is the negative
 * binomial form of P(V' > t) for V' with rates n + mθ, m = 1…j+1 (the answered paths).
 *
 * With `decide`, the sum stops as soon as the tail bound settles whether the target is met,
 * and `out` then holds only that answer: a bound on the target metric on the right side of
 * the target (a search needs the decision at many headcounts, the metrics at one).
 */
function evaluateErlangAAt(agents: number, load: number, theta: number, threshold: number, bPrev: number, decide: QueueTarget | null, out: QueueMetrics): void {
  out.stable = true;
  if (agents === 0) {
    out.service_level = 0;
    out.p_wait = 1;
    out.p_abandon = 1;
    out.asa = Number.POSITIVE_INFINITY;
    out.occupancy = 0;
    return;
  }
  let noWait = agents / (load * bPrev);
  if (noWait === Number.POSITIVE_INFINITY) {
    setNoWait(out, load, agents);
    return;
  }
  // p/θ, which tends to t as θ → 0
  const pOverTheta = -Math.expm1(-theta * threshold) / theta;
  // G's first term e^{−(n+θ)t} underflows for long thresholds; keep it as gs·e^{gLog}.
  let gLog = -(agents + theta) * threshold;
  let gs = 1;
  let gScale = 1;
  if (gLog > -700) {
    gs = Math.exp(gLog);
    gLog = 0;
  } else {
    gScale = Math.exp(gLog);
  }
  let gSum = 0;
  const allowedMissShare = decide === null ? 0 : 1 - decide.serviceLevel;

  let r = 1;
  let waiting = 0;
  let answered = 0;
  let abandoned = 0;
  let missed = 0;
  let waitAnswered = 0;
  let harmonic = 0;
  for (let j = 0; ; j++) {
    const exitRate = agents + (j + 1) * theta;
    const inverse = 1 / exitRate;
    gSum += gs;
    const g = gSum * gScale;
    harmonic += inverse;
    const pAnswered = agents * inverse;
    const pAbandoned = (j + 1) * theta * inverse;
    waiting += r;
    answered += r * pAnswered;
    abandoned += r * pAbandoned;
    missed += r * (pAbandoned + pAnswered * g);
    waitAnswered += r * pAnswered * harmonic;

    const ratio = load * inverse;
    r *= ratio;
    if (ratio < 1) {
      // Later ratios are smaller still, so the tail is at most r / (1 − ratio).
      const tail = r / (1 - ratio);
      if (tail < TAIL_EPSILON * waiting) break;
      if (decide !== null) {
        const total = noWait + waiting + tail;
        if (decide.kind === TARGET_SERVICE_LEVEL) {
          const allowed = allowedMissShare * total;
          if (missed + tail <= allowed || missed > allowed) {
            out.service_level = 1 - (missed > allowed ? missed : missed + tail) / total;
            return;
          }
        } else if (decide.kind === TARGET_ASA) {
          const answeredLow = noWait + answered;
          // the tail's waits: each state adds at most 1/n to the harmonic sum
          const waitHigh = waitAnswered + tail * harmonic + tail / ((1 - ratio) * agents);
          if (waitHigh <= decide.asa * answeredLow) {
            out.asa = waitHigh / answeredLow;
            return;
          }
          if (waitAnswered > decide.asa * (answeredLow + tail)) {
            out.asa = waitAnswered / (answeredLow + tail);
            return;
          }
        } else {
          const capacity = (decide.maxOccupancy * agents * total) / load;
          if (noWait + answered + tail <= capacity || noWait + answered > capacity) {
            out.occupancy = (load * (noWait + answered + (noWait + answered > capacity ? 0 : tail))) / (agents * total);
            return;
          }
        }
      }
    }
    if (j >= MAX_QUEUE_STATES) {
      throw new RangeError(
        `Erlang A with ${agents} agents for ${load} Erlangs and patience ${1 / theta} handle times needs more than ${MAX_QUEUE_STATES} queue states; add agents or shorten patience`,
      );
    }
    if (j + 1 >= inverseIntegers.length) growInverseIntegers(j + 2);
    gs *= pOverTheta * exitRate * inverseIntegers[j + 1]!;
    if (gs > RESCALE) {
      gs *= RESCALE_INVERSE;
      gSum *= RESCALE_INVERSE;
      gLog += LN_RESCALE;
      gScale = Math.exp(gLog);
    }
    if (r > RESCALE) {
      r *= RESCALE_INVERSE;
      noWait *= RESCALE_INVERSE;
      waiting *= RESCALE_INVERSE;
      answered *= RESCALE_INVERSE;
      abandoned *= RESCALE_INVERSE;
      missed *= RESCALE_INVERSE;
      waitAnswered *= RESCALE_INVERSE;
    }
  }
  const total = noWait + waiting;
  const pAnswered = (noWait + answered) / total;
  out.p_wait = waiting / total;
  out.p_abandon = abandoned / total;
  out.service_level = Math.max(0, 1 - missed / total);
  out.asa = waitAnswered / (noWait + answered);
  out.occupancy = Math.min(1, (load * pAnswered) / agents);
}

/**
 * Metrics at a given headcount. `abandonRatio` is AHT / mean patience, 0 for Erlang C;
 * `threshold` is the service-level threshold in AHT units.
 */
export function evaluateQueue(agents: number, load: number, abandonRatio: number, threshold: number, out: QueueMetrics): void {
  if (load === 0) {
    setNoWait(out, 0, agents);
    return;
  }
  startErlangB(load);
  evaluateQueueAt(agents, load, abandonRatio, threshold, out);
}

/** As `evaluateQueue`, with B(·) already started for this load. */
function evaluateQueueAt(agents: number, load: number, abandonRatio: number, threshold: number, out: QueueMetrics): void {
  const bPrev = agents > 0 ? erlangBAt(agents - 1) : 1;
  if (abandonRatio === 0) evaluateErlangCAt(agents, load, threshold, bPrev, out);
  else evaluateErlangAAt(agents, load, abandonRatio, threshold, bPrev, null, out);
}

export const TARGET_SERVICE_LEVEL = 0;
export const TARGET_ASA = 1;
const TARGET_OCCUPANCY = 2;

/** What "enough agents" means: a service level, a mean wait in AHT units, or an occupancy cap. */
export interface QueueTarget {
  kind: typeof TARGET_SERVICE_LEVEL | typeof TARGET_ASA | typeof TARGET_OCCUPANCY;
  serviceLevel: number;
  /** Service-level threshold, in AHT units. */
  threshold: number;
  /** ASA target, in AHT units. */
  asa: number;
  maxOccupancy: number;
}

function meetsTarget(m: QueueMetrics, target: QueueTarget): boolean {
  if (target.kind === TARGET_SERVICE_LEVEL) return m.service_level >= target.serviceLevel;
  if (target.kind === TARGET_ASA) return m.asa <= target.asa;
  return m.occupancy <= target.maxOccupancy;
}

const trial = createQueueMetrics();

/**
 * Fewest agents (> load) that meet the target under Erlang C, scanning up from saturation
 * with e^{−(n−A)t} carried as a product; B(·) is left tabled up to there.
 */
function findErlangCAgents(load: number, target: QueueTarget): number {
  let n = Math.floor(load) + 1;
  const decayPerAgent = Math.exp(-target.threshold);
  let decay = Math.exp(-(n - load) * target.threshold);
  for (; ; n++, decay *= decayPerAgent) {
    const pWait = erlangCWait(n, load, erlangBAt(n - 1));
    if (target.kind === TARGET_SERVICE_LEVEL ? 1 - pWait * decay >= target.serviceLevel : pWait / (n - load) <= target.asa) return n;
  }
}

/** Decides `target` at `agents` under Erlang A (B(·) started for this load). */
function meetsErlangA(agents: number, load: number, abandonRatio: number, threshold: number, target: QueueTarget): boolean {
  evaluateErlangAAt(agents, load, abandonRatio, threshold, erlangBAt(agents - 1), target, trial);
  return meetsTarget(trial, target);
}

/**
 * Fewest agents meeting the target (B(·) started for this load). Erlang A starts from the
 * Erlang C answer, usually within a few agents (abandons shorten the queue but count as
 * misses), and gallops away from it by 1, 2, 4, … agents before bisecting, so impatient
 * queues that need far fewer agents cost O(log) decisions. Both rely on the service level
 * rising, and the ASA falling, with every agent added.
 */
function findTargetAgents(load: number, abandonRatio: number, target: QueueTarget): number {
  const erlangC = findErlangCAgents(load, target);
  if (abandonRatio === 0) return erlangC;
  // Invariant: `low` misses the target (0 agents always does), `high` meets it.
  let low = 0;
  let high = erlangC;
  if (meetsErlangA(erlangC, load, abandonRatio, target.threshold, target)) {
    for (let step = 1; erlangC - step > 0; step *= 2) {
      if (!meetsErlangA(erlangC - step, load, abandonRatio, target.threshold, target)) {
        low = erlangC - step;
        break;
      }
      high = erlangC - step;
    }
  } else {
    low = erlangC;
    for (let step = 1; ; step *= 2) {
      high = erlangC + step;
      if (meetsErlangA(high, load, abandonRatio, target.threshold, target)) break;
      low = high;
    }
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (meetsErlangA(middle, load, abandonRatio, target.threshold, target)) high = middle;
    else low = middle;
  }
  return high;
}

/** Smallest integer ≥ x, forgiving the last bits of rounding (10.000000000000002 → 10). */
export function ceilTolerant(x: number): number {
  return Math.ceil(x * (1 - 1e-12));
}

const occupancyTarget: QueueTarget = { kind: TARGET_OCCUPANCY, serviceLevel: 0, threshold: 0, asa: 0, maxOccupancy: 1 };

/**
 * Fewest agents ≥ `agents` whose occupancy is at most `maxOccupancy` (B(·) started for this
 * load). Under Erlang C that is ⌈A / cap⌉. Under Erlang A the carried load only grows with
 * agents, so ⌈carried(agents) / cap⌉ bounds the answer from below and ⌈A / cap⌉ (every
 * contact carried) from above; the answer is bisected between them.
 */
function findCappedAgents(agents: number, load: number, abandonRatio: number, threshold: number, maxOccupancy: number): number {
  if (maxOccupancy >= 1) return agents;
  const high = Math.max(agents, ceilTolerant(load / maxOccupancy));
  if (abandonRatio === 0 || high === agents) return high;
  // forgive the last bits of rounding, as ceilTolerant does
  occupancyTarget.maxOccupancy = maxOccupancy * (1 + 1e-12);
  if (meetsErlangA(agents, load, abandonRatio, threshold, occupancyTarget)) return agents;
  // `trial.occupancy` is now a lower bound on the occupancy at `agents`
  let low = Math.max(agents, ceilTolerant((trial.occupancy * agents) / maxOccupancy) - 1);
  let capped = high;
  while (capped - low > 1) {
    const middle = Math.floor((low + capped) / 2);
    if (meetsErlangA(middle, load, abandonRatio, threshold, occupancyTarget)) capped = middle;
    else low = middle;
  }
  return capped;
}

/** The staffing of one interval, written in place. */
export interface QueueSolution {
  /** Fewest agents meeting the target. */
  targetAgents: number;
  /** Fewest agents meeting the target and the occupancy cap. */
  agents: number;
  /** At `agents`. */
  metrics: QueueMetrics;
}

export function createQueueSolution(): QueueSolution {
  return { targetAgents: 0, agents: 0, metrics: createQueueMetrics() };
}

/**
 * Fewest agents for the target, then for the occupancy cap, with the metrics at the final
 * headcount. Searches decide the target from partial sums; only the answer is evaluated in
 * full.
 */
export function solveQueue(load: number, abandonRatio: number, target: QueueTarget, maxOccupancy: number, out: QueueSolution): void {
  if (load === 0) {
    out.targetAgents = 0;
    out.agents = 0;
    setNoWait(out.metrics, 0, 0);
    return;
  }
  startErlangB(load);
  out.targetAgents = findTargetAgents(load, abandonRatio, target);
  out.agents = findCappedAgents(out.targetAgents, load, abandonRatio, target.threshold, maxOccupancy);
  evaluateQueueAt(out.agents, load, abandonRatio, target.threshold, out.metrics);
}
