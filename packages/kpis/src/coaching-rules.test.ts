import { coachingKpiMetrics, CoachingRule } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { adherenceKpis } from './adherence.ts';
import { queueKpis, surveyKpis } from './catalogue.ts';
import { dedupeTriggers, evaluateCoachingRule, getCoachingWorseSide, getPercentile, MIN_PERCENTILE_AGENTS, type CoachingTrigger } from './coaching-rules.ts';

const common = { name: 'Rule', enabled: true, tip: 'Summarise the next step before you close.', session: null, dueDays: 7, measureWeeks: 4 };
const rule = (condition: unknown): CoachingRule => CoachingRule.parse({ ...common, condition });

/** An evaluation released on day `day` of December 2026, answering each question with a letter: y, n or a (N/A); `!` marks it critical. */
function evaluation(evaluationId: string, day: number, answers: Record<string, string>, released = true) {
  return {
    evaluationId,
    releasedAt: released ? `2026-12-${String(day).padStart(2, '0')}T10:00:00.000Z` : null,
    answers: Object.entries(answers).map(([questionId, a]) => ({
      questionId,
      answer: ({ y: 'yes', n: 'no', a: 'na' } as const)[a.replace('!', '') as 'y' | 'n' | 'a'],
      critical: a.endsWith('!'),
    })),
  };
}

describe('quality question rules: failed in at least k of the last n evaluations that scored it', () => {
  const twoOfFour = rule({ kind: 'quality_question', questionId: 'next_steps', failedAtLeast: 2, ofLast: 4 });
  const run = (evaluations: ReturnType<typeof evaluation>[]) => evaluateCoachingRule(twoOfFour, { evaluations: [{ agentKey: 'a1', evaluations }] });

  it('fires on exactly k fails among the last n, with those evaluations as evidence, newest first', () => {
    const evaluations = [
      evaluation('e5', 5, { next_steps: 'n' }),
      evaluation('e4', 4, { next_steps: 'y' }),
      evaluation('e3', 3, { next_steps: 'n' }),
      evaluation('e2', 2, { next_steps: 'y' }),
    ];
    expect(run(evaluations)).toEqual([
      { agentKey: 'a1', kind: 'quality_question', target: { type: 'question', questionId: 'next_steps' }, evidence: { evaluationIds: ['e5', 'e3'] } },
    ]);
  });

  it('does not fire on k − 1 fails', () => {
    expect(run([evaluation('e5', 5, { next_steps: 'n' }), evaluation('e4', 4, { next_steps: 'y' }), evaluation('e3', 3, { next_steps: 'y' })])).toEqual([]);
  });

  it('ignores fails older than the last n', () => {
    // The fourth-newest scored evaluation is e2; e1's fail is the fifth and out of the window.
    const evaluations = [
      evaluation('e5', 5, { next_steps: 'n' }),
      evaluation('e4', 4, { next_steps: 'y' }),
      evaluation('e3', 3, { next_steps: 'y' }),
      evaluation('e2', 2, { next_steps: 'y' }),
      evaluation('e1', 1, { next_steps: 'n' }),
    ];
    expect(run(evaluations)).toEqual([]);
  });

  it('counts N/A as no fail and skips it, with evaluations that did not ask the question, so it uses up no place', () => {
    const evaluations = [
      evaluation('e6', 6, { next_steps: 'a' }),
      evaluation('e5', 5, { greeting: 'n' }),
      evaluation('e4', 4, { next_steps: 'n' }),
      evaluation('e3', 3, { next_steps: 'a' }),
      evaluation('e2', 2, { next_steps: 'y' }),
      evaluation('e1', 1, { next_steps: 'y' }),
    ];
    expect(run(evaluations)).toEqual([]); // scored: e4 (no), e2, e1 — one fail; counted as fails, the two N/A would have made three
    // …and because N/A takes no place, a fail behind three N/A is still among the last four scored.
    const behindNa = [
      evaluation('e6', 6, { next_steps: 'a' }),
      evaluation('e5', 5, { next_steps: 'a' }),
      evaluation('e4', 4, { next_steps: 'n' }),
      evaluation('e3', 3, { next_steps: 'a' }),
      evaluation('e2', 2, { next_steps: 'y' }),
      evaluation('e1', 1, { next_steps: 'n' }),
    ];
    expect(run(behindNa).map((t) => t.evidence)).toEqual([{ evaluationIds: ['e4', 'e1'] }]);
  });

  it('counts released evaluations only, newest by release whatever the order given', () => {
    const evaluations = [
      evaluation('draft', 9, { next_steps: 'n' }, false),
      evaluation('e2', 2, { next_steps: 'n' }),
      evaluation('e5', 5, { next_steps: 'n' }),
      evaluation('e4', 4, { next_steps: 'y' }),
    ];
    expect(run(evaluations).map((t) => t.evidence)).toEqual([{ evaluationIds: ['e5', 'e2'] }]);
    expect(run([evaluation('draft', 9, { next_steps: 'n' }, false), evaluation('e5', 5, { next_steps: 'n' })])).toEqual([]);
  });

  it('judges each agent on their own evaluations', () => {
    const triggers = evaluateCoachingRule(twoOfFour, {
      evaluations: [
        { agentKey: 'a1', evaluations: [evaluation('e2', 2, { next_steps: 'n' }), evaluation('e1', 1, { next_steps: 'y' })] },
        { agentKey: 'a2', evaluations: [evaluation('f2', 2, { next_steps: 'n' }), evaluation('f1', 1, { next_steps: 'n' })] },
      ],
    });
    expect(triggers.map((t) => t.agentKey)).toEqual(['a2']);
  });
});

describe('critical-fail rules: a critical question failed within the last days', () => {
  const withinWeek = rule({ kind: 'critical_fail', withinDays: 7 });
  const asOf = '2026-12-10T12:00:00.000Z';

  it('fires per critical question failed in a released evaluation of the window, not on non-critical fails or fails before it', () => {
    const evaluations = [
      evaluation('e9', 9, { verify_identity: 'n!', disclosure: 'y!', greeting: 'n' }),
      evaluation('e6', 6, { verify_identity: 'n!', disclosure: 'n!' }),
      evaluation('e4', 4, { verify_identity: 'y!', disclosure: 'n!' }), // 6 days 2 hours before: inside
      evaluation('e3', 3, { verify_identity: 'n!' }), // 7 days 2 hours before: outside
      evaluation('draft', 10, { greeting: 'n!' }, false),
    ];
    expect(evaluateCoachingRule(withinWeek, { asOf, evaluations: [{ agentKey: 'a1', evaluations }] })).toEqual([
      { agentKey: 'a1', kind: 'critical_fail', target: { type: 'question', questionId: 'verify_identity' }, evidence: { evaluationIds: ['e9', 'e6'] } },
      { agentKey: 'a1', kind: 'critical_fail', target: { type: 'question', questionId: 'disclosure' }, evidence: { evaluationIds: ['e6', 'e4'] } },
    ]);
  });

  it('does not fire on a critical N/A or pass, nor on evaluations released after the check', () => {
    const evaluations = [evaluation('later', 11, { verify_identity: 'n!' }), evaluation('e9', 9, { verify_identity: 'a!', disclosure: 'y!' })];
    expect(evaluateCoachingRule(withinWeek, { asOf, evaluations: [{ agentKey: 'a1', evaluations }] })).toEqual([]);
  });

  it('needs the instant it is checked at', () => {
    expect(() => evaluateCoachingRule(withinWeek, { evaluations: [] })).toThrow('a critical-fail rule is checked as of an instant');
  });
});

/** Weekly figures: `values[i]` for `weeks[i]`; null for no data. */
const weekStarts = ['2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30'];
function series(agentKey: string, teamKey: string, values: (number | null)[], weight = 100) {
  return { agentKey, teamKey, weeks: values.map((value, i) => ({ weekStart: weekStarts[i]!, value, weight: value === null ? 0 : weight })) };
}

describe('KPI rules against a value', () => {
  const ahtAbove600For3 = rule({ kind: 'kpi', metric: 'aht_s', comparator: 'above', threshold: { type: 'value', value: 600 }, forWeeks: 3 });

  it('fires when the agent is beyond the value in each of the last m weeks, with those weeks as evidence', () => {
    const agents = [series('a1', 't', [100, 610, 700, 650]), series('a2', 't', [700, 700, 590, 700]), series('a3', 't', [700, 700, 700, 600])];
    expect(evaluateCoachingRule(ahtAbove600For3, { kpi: { weekStarts, agents } })).toEqual([
      {
        agentKey: 'a1',
        kind: 'kpi',
        target: { type: 'metric', metric: 'aht_s' },
        evidence: {
          weeks: [
            { weekStart: '2026-11-16', value: 610, threshold: 600 },
            { weekStart: '2026-11-23', value: 700, threshold: 600 },
            { weekStart: '2026-11-30', value: 650, threshold: 600 },
          ],
        },
      },
    ]);
  });

  it('does not fire for m − 1 weeks, nor across a week without data', () => {
    const agents = [series('twoWeeks', 't', [100, 100, 700, 700]), series('gap', 't', [700, 700, null, 700]), series('noWeight', 't', [700, 700, 700, 700], 0)];
    expect(evaluateCoachingRule(ahtAbove600For3, { kpi: { weekStarts, agents } })).toEqual([]);
  });

  it('compares below for a metric where lower is worse', () => {
    const adherenceBelow = rule({ kind: 'kpi', metric: 'adherence', comparator: 'below', threshold: { type: 'value', value: 0.85 }, forWeeks: 2 });
    const agents = [series('a1', 't', [0.9, 0.9, 0.84, 0.8]), series('a2', 't', [0.8, 0.8, 0.85, 0.8])];
    expect(evaluateCoachingRule(adherenceBelow, { kpi: { weekStarts, agents } }).map((t) => t.agentKey)).toEqual(['a1']);
  });

  it('needs as many weeks as it looks at', () => {
    expect(() => evaluateCoachingRule(ahtAbove600For3, { kpi: { weekStarts: weekStarts.slice(0, 2), agents: [] } })).toThrow(
      'the rule looks at the last 3 weeks but only 2 were given',
    );
  });
});

describe('KPI rules against the team percentile, week by week', () => {
  it('interpolates between closest ranks (PERCENTILE.INC), by hand', () => {
    // Sorted 100 … 500, h = (5 − 1)·q: p75 → h 3 → 400; p90 → h 3.6 → 400 + 0.6·100 = 460; p25 → h 1 → 200; p10 → h 0.4 → 140.
    const values = [300, 500, 100, 400, 200];
    expect(getPercentile(values, 0.75)).toBe(400);
    expect(getPercentile(values, 0.9)).toBeCloseTo(460, 10);
    expect(getPercentile(values, 0.25)).toBe(200);
    expect(getPercentile(values, 0.1)).toBeCloseTo(140, 10);
    expect(getPercentile([7], 0.9)).toBe(7);
  });

  // Team t, the last two weeks sorted, with h = 4·q: p75 the 4th value, p90 the 4th + 0.6·(5th − 4th):
  //   2026-11-23: 100 200 300 450 500 → p75 450, p90 480
  //   2026-11-30: 100 200 300 400 600 → p75 400, p90 520
  const team = [
    series('a1', 't', [null, null, 100, 200]),
    series('a2', 't', [null, null, 200, 100]),
    series('a3', 't', [null, null, 300, 600]),
    series('a4', 't', [null, null, 450, 400]),
    series('a5', 't', [null, null, 500, 300]),
  ];

  it('p75 and p90 above: the agents above the team threshold in each week', () => {
    const p75 = rule({ kind: 'kpi', metric: 'aht_s', comparator: 'above', threshold: { type: 'team_percentile', percentile: 75 }, forWeeks: 2 });
    const p90 = rule({ ...p75.condition, threshold: { type: 'team_percentile', percentile: 90 } });
    // Above p75: a5 (500 > 450) the first week, a3 (600 > 400) the second; no one in both.
    expect(evaluateCoachingRule(p75, { kpi: { weekStarts, agents: team } })).toEqual([]);
    const steady = [...team.slice(0, 4), series('a5', 't', [null, null, 500, 700])];
    // Week 2 becomes 100 200 400 600 700: p75 600, p90 600 + 0.6·100 = 660. a5: 500 > 450 and > 480; 700 > 600 and > 660.
    expect(evaluateCoachingRule(p75, { kpi: { weekStarts, agents: steady } })).toEqual([
      {
        agentKey: 'a5',
        kind: 'kpi',
        target: { type: 'metric', metric: 'aht_s' },
        evidence: {
          weeks: [
            { weekStart: '2026-11-23', value: 500, threshold: 450 },
            { weekStart: '2026-11-30', value: 700, threshold: 600 },
          ],
        },
      },
    ]);
    const [trigger] = evaluateCoachingRule(p90, { kpi: { weekStarts, agents: steady } });
    expect(trigger?.evidence).toEqual({
      weeks: [
        { weekStart: '2026-11-23', value: 500, threshold: expect.closeTo(480, 10) as number },
        { weekStart: '2026-11-30', value: 700, threshold: expect.closeTo(660, 10) as number },
      ],
    });
  });

  it('below: beyond the same share of the team the other way (p25 for 75, p10 for 90)', () => {
    const csatP90 = rule({ kind: 'kpi', metric: 'csat', comparator: 'below', threshold: { type: 'team_percentile', percentile: 90 }, forWeeks: 1 });
    // Last week 0.9 0.8 0.7 0.6 0.5 → sorted 0.5 … 0.9, p10: h 0.4 → 0.5 + 0.4·0.1 = 0.54: only a5 (0.5) is below.
    const agents = [0.9, 0.8, 0.7, 0.6, 0.5].map((v, i) => series(`a${i + 1}`, 't', [null, null, null, v]));
    const triggers = evaluateCoachingRule(csatP90, { kpi: { weekStarts, agents } });
    expect(triggers.map((t) => t.agentKey)).toEqual(['a5']);
    expect(triggers[0]?.evidence).toEqual({ weeks: [{ weekStart: '2026-11-30', value: 0.5, threshold: expect.closeTo(0.54, 10) as number }] });
  });

  it('ranks one agent one vote whatever their contacts, per team, over agents with data only', () => {
    const p75 = rule({ kind: 'kpi', metric: 'hold_rate', comparator: 'above', threshold: { type: 'team_percentile', percentile: 75 }, forWeeks: 1 });
    // Team t: 0.1 0.2 0.3 0.4 0.5 → p75 0.4, whatever the weights (weighted by contacts, t1's 1,000 would put it at 0.1 and fire t2 … t5);
    // t6 has no data and no vote. Team u, ranked apart: 0.1 0.2 0.3 0.45 0.5 → p75 0.45, and u4 at 0.45 is not above it.
    const agents = [
      ...[0.1, 0.2, 0.3, 0.4, 0.5].map((v, i) => series(`t${i + 1}`, 't', [null, null, null, v], i === 0 ? 1_000 : 10)),
      series('t6', 't', [null, null, null, null]),
      ...[0.1, 0.2, 0.3, 0.45, 0.5].map((v, i) => series(`u${i + 1}`, 'u', [null, null, null, v])),
    ];
    expect(evaluateCoachingRule(p75, { kpi: { weekStarts, agents } }).map((t) => [t.agentKey, t.evidence])).toEqual([
      ['t5', { weeks: [{ weekStart: '2026-11-30', value: 0.5, threshold: 0.4 }] }],
      ['u5', { weeks: [{ weekStart: '2026-11-30', value: 0.5, threshold: 0.45 }] }],
    ]);
  });

  it(`has no team threshold in a week with fewer than ${MIN_PERCENTILE_AGENTS} agents with data`, () => {
    const p75 = rule({ kind: 'kpi', metric: 'aht_s', comparator: 'above', threshold: { type: 'team_percentile', percentile: 75 }, forWeeks: 1 });
    const agents = [100, 200, 300, 900].map((v, i) => series(`a${i + 1}`, 't', [null, null, null, v]));
    expect(evaluateCoachingRule(p75, { kpi: { weekStarts, agents } })).toEqual([]);
  });
});

describe('rules that fire on nothing', () => {
  it('manual and disabled rules pick out no one', () => {
    expect(evaluateCoachingRule(rule({ kind: 'manual' }), { evaluations: [] })).toEqual([]);
    const disabled = CoachingRule.parse({ ...common, enabled: false, condition: { kind: 'critical_fail', withinDays: 7 } });
    expect(
      evaluateCoachingRule(disabled, { asOf: '2026-12-10T00:00:00Z', evaluations: [{ agentKey: 'a1', evaluations: [evaluation('e9', 9, { q: 'n!' })] }] }),
    ).toEqual([]);
  });
});

describe('dedupeTriggers', () => {
  const question = (agentKey: string, questionId: string): CoachingTrigger => ({
    agentKey,
    kind: 'quality_question',
    target: { type: 'question', questionId },
    evidence: { evaluationIds: ['e1'] },
  });
  const metric = (agentKey: string): CoachingTrigger => ({ agentKey, kind: 'kpi', target: { type: 'metric', metric: 'aht_s' }, evidence: { weeks: [] } });

  it('drops an agent and target with an open assignment, and repeats of the same agent and target', () => {
    const triggers = [
      question('a1', 'next_steps'),
      question('a2', 'next_steps'),
      question('a1', 'greeting'),
      question('a1', 'next_steps'),
      metric('a1'),
      metric('a2'),
    ];
    const open = [
      { agentKey: 'a1', target: { type: 'question', questionId: 'next_steps' } as const },
      { agentKey: 'a2', target: { type: 'metric', metric: 'aht_s' } as const },
    ];
    expect(dedupeTriggers(triggers, open)).toEqual([question('a2', 'next_steps'), question('a1', 'greeting'), metric('a1')]);
  });

  it('keeps a question and a metric of the same name apart', () => {
    expect(dedupeTriggers([question('a1', 'aht_s'), metric('a1')], [])).toHaveLength(2);
  });
});

describe('the KPIs a rule can watch are the catalogue’s', () => {
  it('each metric id is a catalogue id, and the worse side follows the catalogue', () => {
    const catalogue: Record<string, { id: string; better: string }> = { ...queueKpis, ...adherenceKpis, ...surveyKpis };
    for (const metric of coachingKpiMetrics) expect(catalogue[metric]?.id).toBe(metric);
    expect(coachingKpiMetrics.map((m) => [m, getCoachingWorseSide(m)])).toEqual([
      ['aht_s', 'above'],
      ['hold_rate', 'above'],
      ['transfer_rate', 'above'],
      ['adherence', 'below'],
      ['csat', 'below'],
    ]);
  });
});

describe('CoachingRule refuses, saying why', () => {
  const messages = (condition: unknown, extra: object = {}) => {
    const parsed = CoachingRule.safeParse({ ...common, ...extra, condition });
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('k more than n, n over the limit', () => {
    expect(messages({ kind: 'quality_question', questionId: 'next_steps', failedAtLeast: 4, ofLast: 3 })).toEqual([
      'condition.failedAtLeast: failed at least k of the last n: k cannot be more than n',
    ]);
    expect(messages({ kind: 'quality_question', questionId: 'next_steps', failedAtLeast: 4, ofLast: 51 })).toEqual([
      'condition.ofLast: at most the last 50 evaluations',
    ]);
    expect(messages({ kind: 'quality_question', questionId: 'Next steps', failedAtLeast: 1, ofLast: 3 })).toEqual([
      'condition.questionId: a question id of the form: lower-case letters, digits and _, starting with a letter',
    ]);
  });

  it('a percentile other than 75 or 90, an unknown metric, a rate over 1, too many weeks', () => {
    const kpi = { kind: 'kpi', metric: 'aht_s', comparator: 'above', threshold: { type: 'value', value: 600 }, forWeeks: 2 };
    expect(messages({ ...kpi, threshold: { type: 'team_percentile', percentile: 80 } })).toEqual([
      'condition.threshold.percentile: the team percentile is 75 or 90',
    ]);
    expect(messages({ ...kpi, metric: 'handle_time' })).toEqual([
      'condition.metric: one of the KPIs coaching can watch: aht_s, hold_rate, transfer_rate, adherence, csat',
    ]);
    expect(messages({ ...kpi, metric: 'adherence', threshold: { type: 'value', value: 85 } })).toEqual([
      'condition.threshold.value: rates are fractions between 0 and 1 (0.8 for 80%)',
    ]);
    expect(messages({ ...kpi, metric: 'hold_rate', threshold: { type: 'value', value: 1.5 } })).toEqual([]);
    expect(messages({ ...kpi, forWeeks: 9 })).toEqual(['condition.forWeeks: at most 8 weeks']);
  });

  it('a session length not offered, an over-long tip', () => {
    const manual = { kind: 'manual' };
    expect(messages(manual, { session: { minutes: 20 } })).toEqual(['session.minutes: a session of 15, 30, 45, 60 minutes']);
    expect(messages(manual, { session: { minutes: 30 } })).toEqual([]);
    expect(messages(manual, { tip: 'x'.repeat(2001) })).toEqual(['tip: a tip of at most 2000 characters']);
  });
});
