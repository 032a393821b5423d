import { planIntervals } from '@switchboard/planning';
import { describe, expect, it } from 'vitest';
import {
  countIntervalsWithoutAht,
  formatSlot,
  getDefaultDate,
  getIntervalWaterfall,
  getRunShare,
  getRunUrl,
  getWhatIfDefaults,
  minutesToTime,
  parseCandidates,
  parseStoredPolicy,
  parseWhatIf,
  prepareForecastChart,
  recomputeDay,
  summariseForecast,
  timeToMinutes,
  toWhatIfDraft,
  type ForecastRow,
  type StaffingRow,
  type StoredPolicy,
} from './prepare';

const timezone = 'America/New_York';

/** The policy the staffing workflow stores per queue (workflows/src/activities.ts). */
const storedPolicy = { interval_s: 900, sl_threshold_s: 20, target: { kind: 'service_level', service_level: 0.8 }, max_occupancy: 0.85, shrinkage: 0.3 };

function forecastRow(volume: number, actual: number | null, overridden = 0): ForecastRow {
  return {
    interval_start: '2025-03-10T13:00:00.000Z',
    volume,
    volume_lo80: volume * 0.8,
    volume_hi80: volume * 1.2,
    volume_statistical: volume,
    aht_s: 300,
    overridden,
    actual_offered: actual,
    actual_aht_s: actual === null ? null : 310,
  };
}

/** Stored rows as the workflow computes them: by getStaffingWaterfall, zeros where nothing is forecast. */
function staffingRows(policy: StoredPolicy, calls: number[], ahtS = 300): StaffingRow[] {
  return calls.map((c, i) => {
    const w = getIntervalWaterfall(policy, { calls: c, aht_s: ahtS });
    return {
      interval_start: new Date(Date.parse('2025-03-10T12:00:00Z') + i * 900_000).toISOString(),
      calls: c,
      aht_s: ahtS,
      workload_erlangs: (c * ahtS) / 900,
      erlang_agents: w?.steps.find((s) => s.step === 'erlang')?.value ?? 0,
      capped_agents: w?.agents ?? 0,
      required_fte: w?.required_fte ?? 0,
      service_level: w?.achieved.service_level ?? 1,
      asa_s: w?.achieved.asa_s ?? 0,
      occupancy: w?.achieved.occupancy ?? 0,
      p_abandon: w?.achieved.p_abandon ?? null,
    };
  });
}

describe('dates and times', () => {
  it('shows instants in the tenant time zone', () => {
    // 13:00Z on 10 March 2025 is 09:00 in New York (EDT, UTC−4, since the 9th).
    expect(formatSlot('2025-03-10T13:00:00.000Z', timezone, false)).toBe('09:00');
    expect(formatSlot('2025-03-10T13:00:00.000Z', timezone, true)).toBe('Mon 10 Mar 09:00');
  });

  it('converts minutes of the day both ways; an empty time is none', () => {
    expect(minutesToTime(540)).toBe('09:00');
    expect(minutesToTime(1440)).toBe('24:00');
    expect(timeToMinutes('09:15')).toBe(555);
    expect(timeToMinutes('')).toBeNull();
  });

  it('opens a version on today when it covers today, else on its first day', () => {
    const version = { start_date: '2025-03-10', horizon_days: 14 };
    expect(getDefaultDate(version, '2025-03-12')).toBe('2025-03-12');
    expect(getDefaultDate(version, '2025-03-24')).toBe('2025-03-10');
    expect(getDefaultDate(version, '2025-03-09')).toBe('2025-03-10');
    expect(getDefaultDate(undefined, '2025-03-09')).toBe('2025-03-09');
  });
});

describe('forecast vs actual', () => {
  it('keeps missing actuals as gaps and marks overridden intervals', () => {
    const points = prepareForecastChart([forecastRow(10, 12), forecastRow(50, null, 1)], timezone, false);
    expect(points[0]).toEqual({ label: '09:00', forecast: 10, band: [8, 12], actual: 12, overridden: null });
    expect(points[1]).toMatchObject({ actual: null, overridden: 50 });
  });

  it('scores only the intervals that have actuals', () => {
    const summary = summariseForecast([forecastRow(10, 12), forecastRow(20, 16), forecastRow(30, null, 1)]);
    expect(summary).toMatchObject({ forecast: 60, comparedIntervals: 2, comparedForecast: 30, actual: 28, overridden: 1 });
    expect(summary.wape).toBeCloseTo(6 / 28, 12);
    expect(summary.bias).toBeCloseTo(2 / 28, 12);
    expect(summariseForecast([forecastRow(10, null)])).toMatchObject({ wape: null, bias: null, comparedIntervals: 0 });
  });

  it('lists candidate methods best first, unscored last, and survives bad JSON', () => {
    expect(parseCandidates('{"mean4":0.2,"profile":0.1,"seasonal-naive":null}', new Set(['profile']))).toEqual([
      { method: 'profile', wape: 0.1, chosen: true },
      { method: 'mean4', wape: 0.2, chosen: false },
      { method: 'seasonal-naive', wape: null, chosen: false },
    ]);
    expect(parseCandidates('not json', new Set(['profile']))).toEqual([]);
    expect(parseCandidates('[1,2]', new Set(['profile']))).toEqual([]);
  });
});

describe('staffing waterfall and what-if', () => {
  const policy = parseStoredPolicy(storedPolicy)!;

  it('counts the intervals with contacts but no handle time to staff them with', () => {
    const rows = [
      { calls: 4, aht_s: 0 },
      { calls: 0, aht_s: 0 },
      { calls: 2.5, aht_s: 210 },
      { calls: 0.2, aht_s: 0 },
    ];
    expect(countIntervalsWithoutAht(rows)).toBe(2);
    expect(countIntervalsWithoutAht([])).toBe(0);
  });

  it('reads the stored policy, and refuses one it cannot use', () => {
    expect(policy).toMatchObject({ interval_s: 900, concurrency: 1, shrinkage: 0.3 });
    expect(parseStoredPolicy(null)).toBeNull();
    expect(parseStoredPolicy({ ...storedPolicy, shrinkage: 1 })).toBeNull();
  });

  it('explains an interval with the numbers the staffing run computes', () => {
    const calls = [0.4, 3, 12.3, 40, 180];
    const plan = planIntervals({ policy: { ...policy, aht_s: 300 }, calls });
    calls.forEach((c, i) => {
      const w = getIntervalWaterfall(policy, { calls: c, aht_s: 300 })!;
      expect(w.agents).toBe(plan.agents[i]);
      expect(w.required_fte).toBe(plan.required_fte[i]);
      expect(w.steps.map((s) => s.step)).toEqual(['volume', 'workload', 'concurrency', 'erlang', 'occupancy_cap', 'shrinkage', 'rounding']);
      expect(w.steps.find((s) => s.step === 'shrinkage')!.value).toBe(w.required_fte);
    });
    expect(getIntervalWaterfall(policy, { calls: 0, aht_s: 0 })).toBeNull();
  });

  it('recomputes the stored day exactly when nothing changes', () => {
    const rows = staffingRows(policy, [0, 2, 8, 15, 22, 9]);
    const day = recomputeDay(rows, policy, getWhatIfDefaults(policy), timezone);
    expect(day.points.map((p) => p.whatIf)).toEqual(rows.map((r) => r.required_fte));
    expect(day.whatIfHours).toBe(day.storedHours);
    expect(day.storedHours).toBeCloseTo(rows.reduce((s, r) => s + r.required_fte, 0) / 4, 12);
  });

  it('scales FTE by (1 − old) / (1 − new) shrinkage, and needs more people for a stricter target or longer calls', () => {
    const rows = staffingRows(policy, [2, 8, 15, 22, 9]);
    const base = getWhatIfDefaults(policy);
    const moreShrinkage = recomputeDay(rows, policy, { ...base, shrinkage: 0.4 }, timezone);
    expect(moreShrinkage.whatIfHours).toBeCloseTo((moreShrinkage.storedHours * 0.7) / 0.6, 9);
    expect(recomputeDay(rows, policy, { ...base, serviceLevel: 0.95 }, timezone).whatIfHours).toBeGreaterThan(moreShrinkage.storedHours);
    expect(recomputeDay(rows, policy, { ...base, ahtChange: 0.2 }, timezone).whatIfHours).toBeGreaterThan(moreShrinkage.storedHours);
    // Abandons shorten the queue: Erlang A needs no more agents than Erlang C at the same target.
    expect(recomputeDay(rows, policy, { ...base, patienceS: 60 }, timezone).whatIfHours).toBeLessThanOrEqual(moreShrinkage.storedHours);
  });

  it('reads the what-if form, naming the field that is out of range', () => {
    const draft = toWhatIfDraft(getWhatIfDefaults(policy));
    expect(draft).toEqual({
      serviceLevelPct: '80',
      thresholdS: '20',
      ahtChangePct: '0',
      shrinkagePct: '30',
      maxOccupancyPct: '85',
      erlangA: false,
      patienceS: '120',
    });
    expect(parseWhatIf(draft)).toEqual({ whatIf: getWhatIfDefaults(policy) });
    expect(parseWhatIf({ ...draft, shrinkagePct: '100' })).toEqual({ error: expect.stringMatching(/^Shrinkage/) });
    expect(parseWhatIf({ ...draft, serviceLevelPct: '' })).toEqual({ error: expect.stringMatching(/service level/) });
    expect(parseWhatIf({ ...draft, erlangA: true, patienceS: '0' })).toEqual({ error: expect.stringMatching(/patience/) });
    expect(parseWhatIf({ ...draft, erlangA: true, patienceS: '90' })).toMatchObject({ whatIf: { patienceS: 90 } });
  });
});

describe('runs', () => {
  const run = { workflowId: 'forecast:t:2025-03-10', runId: 'r', type: 'forecastWorkflow', status: 'RUNNING', startedAt: '', closedAt: null };

  it('links to the Temporal Web UI only when it is known', () => {
    expect(getRunUrl({ configured: true, uiUrl: 'http://127.0.0.1:8233', namespace: 'default' }, 'forecast:t:2025-03-10')).toBe(
      'http://127.0.0.1:8233/namespaces/default/workflows/forecast%3At%3A2025-03-10',
    );
    expect(getRunUrl({ configured: true, uiUrl: null, namespace: 'default' }, 'x')).toBeNull();
  });

  it('turns progress into a share, none before the run reports any', () => {
    expect(getRunShare({ ...run, progress: { phase: 'forecasting', done: 3, total: 9 } })).toBeCloseTo(1 / 3, 12);
    expect(getRunShare({ ...run, progress: { phase: 'planning', done: 0, total: 0 } })).toBeNull();
    expect(getRunShare({ ...run, progress: null })).toBeNull();
  });
});
