import { describe, expect, it } from 'vitest';
import { evaluateStaffing, getStaffingWaterfall, planIntervals, type StaffingInterval } from './staffing.ts';

const example: StaffingInterval = {
  calls: 100,
  interval_s: 1800,
  aht_s: 180,
  sl_threshold_s: 20,
  target: { kind: 'service_level', service_level: 0.8 },
};

const stepValues = (w: ReturnType<typeof getStaffingWaterfall>) => Object.fromEntries(w.steps.map((s) => [s.step, s.value]));

describe('staffing waterfall', () => {
  it('walks from volume to FTE, each step with its reason', () => {
    const w = getStaffingWaterfall({ ...example, max_occupancy: 0.85, shrinkage: 0.3 });
    expect(w.steps.map((s) => s.step)).toEqual(['volume', 'workload', 'concurrency', 'erlang', 'occupancy_cap', 'shrinkage', 'rounding']);
    expect(stepValues(w)).toEqual({
      volume: 100,
      workload: 10,
      concurrency: 10,
      erlang: 14,
      occupancy_cap: 14,
      // 14 / 0.7 is 20.000000000000004 in floating point: still 20 people
      shrinkage: 14 / 0.7,
      rounding: 20,
    });
    expect(w.required_fte_rounded).toBe(20);
    const labels = Object.fromEntries(w.steps.map((s) => [s.step, s.label]));
    expect(labels.erlang).toBe('Erlang C: fewest agents for 80% answered within 20 s (reaches 88.8%)');
    expect(labels.occupancy_cap).toBe('occupancy 71.4% is within the 85% cap: unchanged');
    expect(labels.shrinkage).toMatch(/30% shrinkage/);
    expect(w.achieved).toMatchObject({ model: 'erlang_c', stable: true, p_abandon: null });
    expect(w.achieved.service_level).toBeCloseTo(0.88835, 6);
  });

  it('raises Erlang C agents to ⌈workload / cap⌉ when the occupancy cap binds', () => {
    const w = getStaffingWaterfall({ ...example, max_occupancy: 0.6 });
    expect(stepValues(w)).toMatchObject({ erlang: 14, occupancy_cap: 17 });
    expect(w.achieved.occupancy).toBeCloseTo(10 / 17, 12);
    expect(w.steps.find((s) => s.step === 'occupancy_cap')?.label).toBe('+3 so occupancy stays ≤ 60% (it was 71.4%)');
    // exactly at the cap is within it, although 6.3 Erlangs / 7 agents is 0.9000000000000001
    const atCap = { ...example, calls: 63, max_occupancy: 0.9, target: { kind: 'service_level', service_level: 0.2 } } as const;
    expect(getStaffingWaterfall(atCap).agents).toBe(7);
  });

  it('under Erlang A, caps occupancy of the contacts actually carried', () => {
    const q = { ...example, patience_s: 60, max_occupancy: 0.65 };
    const w = getStaffingWaterfall(q);
    const occupancy = (agents: number) => evaluateStaffing({ ...q, agents }).occupancy;
    expect(w.agents).toBeGreaterThan(stepValues(w).erlang!);
    expect(occupancy(w.agents)).toBeLessThanOrEqual(0.65);
    expect(occupancy(w.agents - 1)).toBeGreaterThan(0.65);
    expect(w.achieved.occupancy).toBeCloseTo(occupancy(w.agents), 15);
    expect(w.achieved.p_abandon).toBeGreaterThan(0);
  });

  it('divides the workload by chat concurrency', () => {
    // 100 chats at 6 min each, three at a time: the voice example's 10 Erlangs per server
    const w = getStaffingWaterfall({ ...example, aht_s: 540, concurrency: 3 });
    expect(stepValues(w)).toMatchObject({ workload: 30, concurrency: 10, erlang: 14 });
    expect(w.achieved.asa_s).toBeCloseTo(7.836, 3);
    expect(w.steps.find((s) => s.step === 'concurrency')?.label).toMatch(/÷ 3 concurrent contacts/);
  });

  it('needs nobody for zero calls', () => {
    const w = getStaffingWaterfall({ ...example, calls: 0, patience_s: 100, max_occupancy: 0.8, shrinkage: 0.35 });
    expect(stepValues(w)).toEqual({ volume: 0, workload: 0, concurrency: 0, erlang: 0, occupancy_cap: 0, shrinkage: 0, rounding: 0 });
    expect(w.achieved).toEqual({ model: 'erlang_a', stable: true, service_level: 1, p_wait: 0, asa_s: 0, occupancy: 0, p_abandon: 0 });
  });

  it('meets an ASA target', () => {
    const w = getStaffingWaterfall({ ...example, target: { kind: 'asa', asa_s: 10 } });
    expect(w.agents).toBe(14);
    expect(w.achieved.asa_s).toBeLessThanOrEqual(10);
    expect(evaluateStaffing({ ...example, agents: 13 }).asa_s).toBeGreaterThan(10);
  });
});

describe('planIntervals', () => {
  it('gives, per interval, what the waterfall gives for that interval', () => {
    const policy = { ...example, patience_s: 240, max_occupancy: 0.85, shrinkage: 0.25 };
    const calls = [0, 3, 100, 1234.5, 40];
    const plan = planIntervals({ policy, calls });
    expect(plan.model).toBe('erlang_a');
    calls.forEach((c, i) => {
      const w = getStaffingWaterfall({ ...policy, calls: c });
      expect(plan.agents[i]).toBe(w.agents);
      expect(plan.target_agents[i]).toBe(stepValues(w).erlang);
      expect(plan.required_fte[i]).toBe(w.required_fte);
      expect(plan.service_level[i]).toBe(w.achieved.service_level);
      expect(plan.asa_s[i]).toBe(w.achieved.asa_s);
      expect(plan.p_abandon?.[i]).toBe(w.achieved.p_abandon);
    });
  });
});

describe('input validation', () => {
  it.each([
    [{ calls: -1 }, 'calls must be ≥ 0'],
    [{ calls: Number.NaN }, 'calls must be a number'],
    [{ interval_s: 0 }, 'interval_s must be > 0'],
    [{ aht_s: -180 }, 'aht_s must be > 0'],
    [{ target: { kind: 'service_level', service_level: 1 } }, 'target service_level must be between 0 and 1'],
    [{ target: { kind: 'service_level', service_level: 0 } }, 'target service_level must be between 0 and 1'],
    [{ target: { kind: 'asa', asa_s: 0 } }, 'target asa_s must be > 0'],
    [{ sl_threshold_s: -5 }, 'sl_threshold_s must be ≥ 0'],
    [{ patience_s: 0 }, 'patience_s must be > 0'],
    [{ max_occupancy: 0 }, 'max_occupancy must be in (0, 1]'],
    [{ max_occupancy: 1.2 }, 'max_occupancy must be in (0, 1]'],
    [{ shrinkage: 1 }, 'shrinkage must be in [0, 1)'],
    [{ concurrency: 0.5 }, 'concurrency must be ≥ 1'],
  ])('rejects %j', (change, message) => {
    expect(() => getStaffingWaterfall({ ...example, ...change } as StaffingInterval)).toThrow(message);
  });

  it('rejects a fractional headcount and a negative volume in a plan', () => {
    expect(() => evaluateStaffing({ calls: 10, interval_s: 900, aht_s: 300, sl_threshold_s: 20, agents: 2.5 })).toThrow('agents must be a whole number');
    expect(() => planIntervals({ policy: example, calls: [1, -2] })).toThrow('calls must be ≥ 0');
  });
});
