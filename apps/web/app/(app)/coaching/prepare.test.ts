import { describe, expect, it } from 'vitest';
import {
  agentsOf,
  blankRule,
  checkRuleDraft,
  describeCondition,
  describeEvent,
  describeOutcomeShort,
  draftOfRule,
  formatChange,
  formatInterval,
  formatWhen,
  getEffectUnit,
  groupEffects,
  orderTimeline,
  readOutcome,
  summariseEvidence,
  withMetric,
  type EffectRow,
} from './prepare';

const tz = 'Europe/London';

describe('units of an effect', () => {
  it('takes a KPI target in its unit and a question target as a pass-rate change', () => {
    expect(getEffectUnit({ type: 'metric', metric: 'aht_s' })).toEqual({ unit: 'seconds', lowerIsBetter: true, of: 'AHT' });
    expect(getEffectUnit({ type: 'metric', metric: 'adherence' })).toEqual({ unit: 'ratio', lowerIsBetter: false, of: 'Adherence' });
    expect(getEffectUnit({ type: 'question', questionId: 'greeting' })).toEqual({ unit: 'ratio', lowerIsBetter: false, of: 'pass rate' });
  });

  it('formats changes signed: seconds as seconds, ratios in percentage points, zero unsigned', () => {
    expect(formatChange('seconds', -12.46)).toBe('−12.5 s');
    expect(formatChange('seconds', 3)).toBe('+3.0 s');
    // 0.032 of a ratio is 3.2 percentage points.
    expect(formatChange('ratio', 0.032)).toBe('+3.2 pp');
    expect(formatChange('ratio', -0.0004)).toBe('0.0 pp');
    expect(formatChange('ratio', null)).toBe('—');
    expect(formatInterval('ratio', -0.051, 0.012)).toBe('−5.1 to +1.2 pp');
    expect(formatInterval('seconds', -20.14, -4)).toBe('−20.1 to −4.0 s');
  });
});

describe('readOutcome', () => {
  it('reads a measured outcome and the not-measured reason', () => {
    const measured = readOutcome({
      outcome: 'improved',
      estimate: -0.05,
      low: -0.08,
      high: -0.01,
      confidence: 0.9,
      coachedChange: -0.06,
      comparisonChange: -0.01,
      comparisonAgents: 12,
      metric: 'hold_rate',
    });
    expect(measured).toEqual({
      kind: 'measured',
      outcome: 'improved',
      estimate: -0.05,
      low: -0.08,
      high: -0.01,
      confidence: 0.9,
      coachedChange: -0.06,
      comparisonChange: -0.01,
      comparisonAgents: 12,
    });
    expect(describeOutcomeShort(measured, getEffectUnit({ type: 'metric', metric: 'hold_rate' }))).toBe('improved · −5.0 pp');
    const notMeasured = readOutcome({ outcome: 'not_measured', reason: 'too few colleagues' });
    expect(notMeasured).toEqual({ kind: 'not_measured', reason: 'too few colleagues' });
    expect(describeOutcomeShort(notMeasured, getEffectUnit({ type: 'metric', metric: 'hold_rate' }))).toBe('not measured');
  });

  it('is null while open and says so when a stored outcome lacks its numbers', () => {
    expect(readOutcome(null)).toBeNull();
    expect(readOutcome({})).toBeNull();
    expect(readOutcome({ outcome: 'worse' })).toEqual({ kind: 'not_measured', reason: 'the stored outcome has no estimate' });
    expect(describeOutcomeShort(null, getEffectUnit({ type: 'metric', metric: 'aht_s' }))).toBe('—');
  });
});

describe('describeCondition', () => {
  it('puts each kind in words', () => {
    expect(describeCondition({ kind: 'manual' })).toBe('Assigned by hand');
    expect(describeCondition({ kind: 'quality_question', questionId: 'recording_disclosure', failedAtLeast: 2, ofLast: 5 })).toBe(
      "Recording disclosure failed in at least 2 of the agent's last 5 evaluations",
    );
    expect(describeCondition({ kind: 'critical_fail', withinDays: 1 })).toBe('A critical question failed within the last 1 day');
    // 420 s reads as 7:00; one week is "the last complete week".
    expect(describeCondition({ kind: 'kpi', metric: 'aht_s', comparator: 'above', threshold: { type: 'value', value: 420 }, forWeeks: 1 })).toBe(
      'AHT above 7:00 in the last complete week',
    );
    // Below the team's p90 in the "worse" direction is below its 10th percentile.
    expect(
      describeCondition({ kind: 'kpi', metric: 'adherence', comparator: 'below', threshold: { type: 'team_percentile', percentile: 90 }, forWeeks: 3 }),
    ).toBe("Adherence below the team's 10th percentile in each of the last 3 complete weeks");
    expect(describeCondition({ kind: 'kpi', metric: 'csat', comparator: 'below', threshold: { type: 'value', value: 0.8 }, forWeeks: 2 })).toBe(
      'CSAT below 80.0% in each of the last 2 complete weeks',
    );
  });
});

describe('the rule form', () => {
  it('turns a valid draft into the rule, rates typed in percent stored as ratios', () => {
    const draft = {
      ...withMetric(blankRule, 'transfer_rate'),
      name: ' Transfers ',
      kind: 'kpi' as const,
      thresholdType: 'value' as const,
      thresholdValue: '12.5',
    };
    expect(draft.comparator).toBe('above');
    const checked = checkRuleDraft({ ...draft, tip: 'Resolve first, transfer last.' });
    expect(checked).toEqual({
      ok: true,
      rule: {
        name: 'Transfers',
        enabled: true,
        condition: { kind: 'kpi', metric: 'transfer_rate', comparator: 'above', threshold: { type: 'value', value: 0.125 }, forWeeks: 2 },
        tip: 'Resolve first, transfer last.',
        session: { minutes: 30 },
        dueDays: 7,
        measureWeeks: 4,
      },
    });
    // Back to the draft: 0.125 reads as 12.5 (%).
    if (checked.ok) expect(draftOfRule(checked.rule)).toMatchObject({ kind: 'kpi', thresholdValue: '12.5', metric: 'transfer_rate', sessionMinutes: '30' });
  });

  it('gives the schema messages by field', () => {
    const checked = checkRuleDraft({ ...blankRule, name: '', questionId: 'Bad id', failedAtLeast: '6', ofLast: '5', tip: '', dueDays: '', measureWeeks: '13' });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toEqual({
      name: 'a name',
      'condition.questionId': 'a question id of the form: lower-case letters, digits and _, starting with a letter',
      'condition.failedAtLeast': 'failed at least k of the last n: k cannot be more than n',
      tip: 'a tip for the agent',
      dueDays: 'whole days',
      measureWeeks: 'measured over at most 12 weeks',
    });
    // The k-of-n check alone, on an otherwise valid rule.
    const kOfN = checkRuleDraft({ ...blankRule, name: 'Disclosure', questionId: 'recording_disclosure', failedAtLeast: '6', ofLast: '5', tip: 'Say it.' });
    expect(kOfN).toEqual({ ok: false, problems: { 'condition.failedAtLeast': 'failed at least k of the last n: k cannot be more than n' } });
  });

  it('speaks of percent where the contract speaks of ratios', () => {
    const checked = checkRuleDraft({
      ...blankRule,
      name: 'CSAT',
      kind: 'kpi',
      metric: 'csat',
      comparator: 'below',
      thresholdType: 'value',
      thresholdValue: '120',
      tip: 't',
    });
    expect(checked).toEqual({ ok: false, problems: { 'condition.threshold.value': 'a rate of at most 100%' } });
  });
});

describe('evidence and timeline', () => {
  it('summarises quality and KPI evidence in the target unit', () => {
    expect(summariseEvidence({ kind: 'quality_question', evaluationIds: ['e1', 'e2'] }, { type: 'question', questionId: 'greeting' })).toEqual({
      text: 'Greeting failed in 2 released evaluations.',
      evaluationIds: ['e1', 'e2'],
      weeks: [],
    });
    expect(
      summariseEvidence({ kind: 'kpi', weeks: [{ weekStart: '2026-03-02', value: 0.1234, threshold: 0.1 }] }, { type: 'metric', metric: 'hold_rate' }),
    ).toEqual({
      text: 'Hold rate beyond the threshold 1 week running.',
      evaluationIds: [],
      weeks: [{ weekStart: '2026-03-02', value: '12.3%', threshold: '10.0%' }],
    });
  });

  it('orders the timeline oldest first and puts each step in words on the tenant clock', () => {
    const events = [
      { at: '2026-03-03T10:00:00.000Z', kind: 'acknowledged', by: 'Ann', detail: {} },
      { at: '2026-03-02T09:00:00.000Z', kind: 'created', by: null, detail: { rule: 'Disclosure' } },
    ];
    expect(orderTimeline(events).map((e) => e.kind)).toEqual(['created', 'acknowledged']);
    expect(describeEvent(events[1]!, tz)).toBe('Made by “Disclosure”');
    // 14:30Z on 3 March is 14:30 in London (GMT).
    expect(describeEvent({ kind: 'session_booked', detail: { start: '2026-03-03T14:30:00.000Z', end: '2026-03-03T15:00:00.000Z' } }, tz)).toBe(
      'Session booked for Tue 3 Mar 14:30–15:00',
    );
    expect(describeEvent({ kind: 'closed', detail: { outcome: 'no_change' } }, tz)).toBe('Closed: no clear change');
    expect(describeEvent({ kind: 'slots_proposed', detail: { slots: 3 } }, tz)).toBe('No free slot: 3 slots proposed to the coach');
    // After the clocks go forward (29 March 2026) 14:30Z is 15:30 in London.
    expect(formatWhen('2026-03-30T14:30:00.000Z', tz)).toBe('Mon 30 Mar 15:30');
  });

  it('lists the agents with assignments once, by name', () => {
    expect(
      agentsOf([
        { agentKey: 'b', agentName: 'Bea' },
        { agentKey: 'a', agentName: 'Ann' },
        { agentKey: 'b', agentName: 'Bea' },
        { agentKey: null, agentName: 'an agent no longer in the directory' },
      ]),
    ).toEqual([
      { key: 'a', name: 'Ann' },
      { key: 'b', name: 'Bea' },
    ]);
  });
});

describe('groupEffects', () => {
  const aht = { target: { type: 'metric', metric: 'aht_s' }, targetLabel: 'AHT', unit: 'seconds' } as const;
  const holdRate = { target: { type: 'metric', metric: 'hold_rate' }, targetLabel: 'Hold rate', unit: 'ratio' } as const;
  it('splits by target, draws in display units and ranks the most improving first', () => {
    const rows: EffectRow[] = [
      { label: 'Long calls', ...aht, assignments: 4, improved: 1, shareImproved: 0.25, meanEffect: -5, low: -15, high: 5 },
      { label: 'Hold habit', ...holdRate, assignments: 2, improved: 2, shareImproved: 1, meanEffect: -0.04, low: -0.06, high: -0.02 },
      { label: 'Slow wrap', ...aht, assignments: 3, improved: 3, shareImproved: 1, meanEffect: -20, low: -30, high: -12 },
    ];
    const groups = groupEffects(rows);
    expect(groups.map((g) => g.target)).toEqual(['AHT', 'Hold rate']);
    // AHT: lower is better, so −20 s leads −5 s; error bars are mean − low and high − mean.
    expect(groups[0]!.points.map((p) => [p.label, p.mean, p.error, p.improving])).toEqual([
      ['Slow wrap', -20, [10, 8], true],
      ['Long calls', -5, [10, 10], true],
    ]);
    // Hold rate −0.04 is −4 pp, interval −6 to −2 pp (floating point aside).
    const hold = groups[1]!.points[0]!;
    expect(hold.mean).toBeCloseTo(-4, 10);
    expect(hold.low).toBeCloseTo(-6, 10);
    expect(hold.high).toBeCloseTo(-2, 10);
    expect(hold.error[0]).toBeCloseTo(2, 10);
    expect(hold.error[1]).toBeCloseTo(2, 10);
    // The axes: AHT from the lowest low (−30) to the highest high (5); hold rate from −6 pp to 0, no effect kept in view.
    expect(groups[0]!.domain).toEqual([-30, 5]);
    expect(groups[1]!.domain[0]).toBeCloseTo(-6, 10);
    expect(groups[1]!.domain[1]).toBe(0);
  });
});
