import { describe, expect, it } from 'vitest';
import { evaluateQueueReference } from './reference.ts';
import { computeErlangB, evaluateStaffing, getStaffingWaterfall, type StaffingEvaluation } from './staffing.ts';

/** |actual − expected| ≤ tolerance · |expected|, with the numbers in the failure message. */
function expectRelative(actual: number, expected: number, tolerance = 1e-9): void {
  const error = Math.abs(actual - expected) / Math.abs(expected);
  expect(error, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** 100 calls in 30 min at 3 min AHT: 10 Erlangs, the worked example of the issue. */
const example = { calls: 100, interval_s: 1800, aht_s: 180, sl_threshold_s: 20 } as const;

function reference(agents: number, q: Omit<StaffingEvaluation, 'agents'>) {
  return evaluateQueueReference({
    agents,
    load_erlangs: (q.calls * q.aht_s) / q.interval_s,
    aht_s: q.aht_s,
    patience_s: q.patience_s ?? null,
    sl_threshold_s: q.sl_threshold_s,
  });
}

describe('Erlang B', () => {
  it('matches the hand-computed values', () => {
    expect(computeErlangB(1, 1)).toBe(0.5);
    expect(computeErlangB(2, 1)).toBeCloseTo(0.2, 15);
    expect(computeErlangB(0, 7)).toBe(1);
    // B(3, 2) = (8/6) / (1 + 2 + 2 + 8/6)
    expect(computeErlangB(3, 2)).toBeCloseTo(4 / 19, 15);
  });

  it('stays finite where factorials and powers overflow', () => {
    const b = computeErlangB(3000, 2900);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(1);
    expect(computeErlangB(5000, 10)).toBe(0);
  });
});

describe('Erlang C', () => {
  it('reproduces the published example: 14 agents', () => {
    const m = evaluateStaffing({ ...example, agents: 14 });
    expect(m.model).toBe('erlang_c');
    expect(m.stable).toBe(true);
    expect(Math.abs(m.service_level - 0.88835)).toBeLessThan(5e-7);
    expect(Math.abs(m.p_wait - 0.174132)).toBeLessThan(5e-7);
    expect(Math.abs(m.asa_s - 7.836)).toBeLessThan(5e-4);
    expect(Math.abs(m.occupancy - 0.7143)).toBeLessThan(5e-5);
    expect(m.p_abandon).toBeNull();

    const ref = reference(14, example);
    expectRelative(m.service_level, ref.service_level);
    expectRelative(m.p_wait, ref.p_wait);
    expectRelative(m.asa_s, ref.asa_s);
    expectRelative(m.occupancy, ref.occupancy);
  });

  it('finds 14 as the fewest agents for 80% in 20 s', () => {
    const w = getStaffingWaterfall({ ...example, target: { kind: 'service_level', service_level: 0.8 } });
    expect(w.agents).toBe(14);
    expect(w.achieved.service_level).toBeCloseTo(0.88835, 6);
    expect(evaluateStaffing({ ...example, agents: 13 }).service_level).toBeLessThan(0.8);
  });

  it('says the queue is unstable, rather than NaN, at or below the workload', () => {
    for (const agents of [0, 5, 10]) {
      const m = evaluateStaffing({ ...example, agents });
      expect(m.stable).toBe(false);
      expect(m.service_level).toBe(0);
      expect(m.p_wait).toBe(1);
      expect(m.asa_s).toBe(Number.POSITIVE_INFINITY);
    }
  });
});

describe('Erlang A', () => {
  const patient = { ...example, patience_s: 300 };

  it('reproduces the published example: 14 agents, 5 min mean patience', () => {
    const m = evaluateStaffing({ ...patient, agents: 14 });
    expect(m.model).toBe('erlang_a');
    expect(Math.abs(m.p_wait - 0.14526)).toBeLessThan(5e-6);
    expect(Math.abs((m.p_abandon ?? 0) - 0.013984)).toBeLessThan(5e-7);

    const ref = reference(14, patient);
    expectRelative(m.p_wait, ref.p_wait);
    expectRelative(m.p_abandon ?? 0, ref.p_abandon);
    expectRelative(m.service_level, ref.service_level);
    expectRelative(m.asa_s, ref.asa_s);
    expectRelative(m.occupancy, ref.occupancy);
    // abandons leave agents idle: occupancy = A (1 − P(abandon)) / n
    expectRelative(m.occupancy, (10 * (1 - (m.p_abandon ?? 0))) / 14, 1e-12);
  });

  it('with patience equal to AHT, has Poisson(A) contacts in the system', () => {
    // every contact leaves at rate 1/AHT whether served or waiting: an M/M/∞ count
    const q = { ...example, patience_s: 180, agents: 12 };
    const m = evaluateStaffing(q);
    let term = Math.exp(-10);
    let below = 0;
    let excess = 0;
    for (let k = 0; k < 200; k++) {
      if (k < 12) below += term;
      else excess += (k - 12) * term;
      term *= 10 / (k + 1);
    }
    expectRelative(m.p_wait, 1 - below, 1e-12);
    expectRelative(m.p_abandon ?? 0, excess / 10, 1e-12);
  });

  it('tends to Erlang C as patience grows, the gap shrinking in proportion to 1 / patience', () => {
    const c = evaluateStaffing({ ...example, agents: 14 });
    let previous = Number.POSITIVE_INFINITY;
    for (const patience_s of [1e3, 1e5, 1e7, 1e9]) {
      const a = evaluateStaffing({ ...example, patience_s, agents: 14 });
      const gap = Math.max(
        Math.abs(a.service_level - c.service_level),
        Math.abs(a.p_wait - c.p_wait),
        Math.abs(a.asa_s - c.asa_s) / c.asa_s,
        Math.abs(a.occupancy - c.occupancy),
      );
      expect(gap).toBeLessThan(previous / 50);
      previous = gap;
    }
    expect(previous).toBeLessThan(1e-6);
  });

  it('is stable past saturation, where Erlang C is not', () => {
    const m = evaluateStaffing({ ...patient, agents: 8 });
    expect(m.stable).toBe(true);
    const ref = reference(8, patient);
    expectRelative(m.p_wait, ref.p_wait);
    expectRelative(m.p_abandon ?? 0, ref.p_abandon);
    expectRelative(m.service_level, ref.service_level);
    expectRelative(m.asa_s, ref.asa_s);
  });
});

describe('both models', () => {
  const cases = [
    { label: 'Erlang C', extra: {} },
    { label: 'Erlang A', extra: { patience_s: 120 } },
    { label: 'Erlang A, impatient', extra: { patience_s: 15 } },
  ];

  it.each(cases)('$label: service level rises, ASA and P(wait) fall, with every agent', ({ extra }) => {
    let last = evaluateStaffing({ ...example, ...extra, agents: 11 });
    for (let agents = 12; agents <= 40; agents++) {
      const m = evaluateStaffing({ ...example, ...extra, agents });
      expect(m.service_level).toBeGreaterThan(last.service_level);
      expect(m.asa_s).toBeLessThan(last.asa_s);
      expect(m.p_wait).toBeLessThan(last.p_wait);
      last = m;
    }
  });

  it.each(cases)('$label: stays finite and accurate for 2,000 agents on 1,900 Erlangs', ({ extra }) => {
    // 1,900 Erlangs: 19,000 calls in 30 min at 3 min AHT
    const q = { ...example, ...extra, calls: 19_000, agents: 2000 };
    const m = evaluateStaffing(q);
    for (const v of [m.service_level, m.p_wait, m.occupancy, m.p_abandon ?? 0]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    const ref = reference(2000, q);
    expectRelative(m.service_level, ref.service_level);
    expectRelative(m.p_wait, ref.p_wait);
    expectRelative(m.asa_s, ref.asa_s);
    if (m.p_abandon !== null) expectRelative(m.p_abandon, ref.p_abandon);
  });

  it.each(cases)('$label: agrees with the slow reference across loads, thresholds and headcounts', ({ extra }) => {
    for (const calls of [3, 40, 333, 2500]) {
      for (const sl_threshold_s of [0, 15, 120]) {
        const q = { ...example, ...extra, calls, sl_threshold_s };
        const load = (calls * q.aht_s) / q.interval_s;
        for (const agents of [Math.max(1, Math.floor(load * 0.9)), Math.ceil(load + 1), Math.ceil(load * 1.3 + 3)]) {
          const m = evaluateStaffing({ ...q, agents });
          if (!m.stable) continue;
          const ref = reference(agents, q);
          expect(Math.abs(m.service_level - ref.service_level)).toBeLessThan(1e-12);
          expectRelative(m.p_wait, ref.p_wait);
          expectRelative(m.asa_s, ref.asa_s);
          if (m.p_abandon !== null) expectRelative(m.p_abandon, ref.p_abandon);
        }
      }
    }
  });

  it.each(cases)('$label: the search returns the fewest agents that meet the target', ({ extra }) => {
    const targets = [
      { kind: 'service_level', service_level: 0.8 },
      { kind: 'service_level', service_level: 0.95 },
      { kind: 'asa', asa_s: 30 },
      { kind: 'asa', asa_s: 5 },
    ] as const;
    for (const calls of [1, 7, 64, 500, 4000]) {
      for (const target of targets) {
        const q = { ...example, ...extra, calls, sl_threshold_s: 30 };
        const w = getStaffingWaterfall({ ...q, target });
        const meets = (agents: number) => {
          const m = evaluateStaffing({ ...q, agents });
          return target.kind === 'asa' ? m.asa_s <= target.asa_s : m.service_level >= target.service_level;
        };
        expect(meets(w.agents), `${calls} calls, ${JSON.stringify(target)}`).toBe(true);
        expect(meets(w.agents - 1), `${calls} calls, ${JSON.stringify(target)}`).toBe(false);
      }
    }
  });
});
