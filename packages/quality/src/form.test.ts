import { describe, expect, it } from 'vitest';
import { FormInvalidError, parseForm, ruleScorer, scoreAnswers, scoreInteraction, type QuestionScorer } from './form.ts';
import { standardForm } from './standard-form.ts';
import type { ScoringInput } from './transcript.ts';

const yesNo = (id: string, extra: Record<string, unknown> = {}) => ({ id, text: `${id}?`, type: 'yes_no', weight: 25, ...extra });
const formOf = (questions: unknown[]) => ({ name: 'test', sections: [{ id: 's', title: 'S', questions }] });

function problemsOf(input: unknown): string[] {
  try {
    parseForm(input);
    return [];
  } catch (error) {
    if (error instanceof FormInvalidError) return error.problems;
    throw error;
  }
}

describe('forms', () => {
  it('refuses a form whose conditions go round, whose weights do not add up, or whose rule can never match', () => {
    const circle = formOf([
      yesNo('a', { showWhen: { question: 'c', equals: ['yes'] } }),
      yesNo('b', { showWhen: { question: 'a', equals: ['yes'] } }),
      yesNo('c', { showWhen: { question: 'b', equals: ['no'] } }),
      yesNo('d'),
    ]);
    expect(problemsOf(circle).some((p) => p.includes('go round in a circle'))).toBe(true);
    expect(problemsOf(formOf([yesNo('a'), yesNo('b')]))).toContain('weights add up to 50, not 100');
    const never = formOf([
      yesNo('a', { weight: 50, auto: { expect: { kind: 'present', signal: { kind: 'phrases', speakers: ['agent'], phrases: ['[hello'] } } } }),
      yesNo('b', {
        weight: 50,
        auto: { expect: { kind: 'present', signal: { kind: 'phrases', speakers: ['agent'], phrases: ['hi'], firstTurns: 2, lastTurns: 2 } } },
      }),
    ]);
    expect(problemsOf(never)).toEqual([
      'a: expects: "[hello": a [ without its ]',
      'b: expects: give firstTurns or lastTurns, not both (a phrase cannot be in both ends at once)',
    ]);
    const empty = formOf([yesNo('a', { weight: 100, auto: { expect: { kind: 'present', signal: { kind: 'phrases', speakers: [], phrases: [] } } } })]);
    expect(problemsOf(empty)).toEqual([
      'sections.0.questions.0.auto.expect.signal.speakers: name at least one speaker',
      'sections.0.questions.0.auto.expect.signal.phrases: a phrase set needs at least one phrase',
    ]);
    expect(problemsOf(formOf([yesNo('a', { weight: 100, showWhen: { question: 'zz', equals: ['yes'] } })]))).toEqual([
      'a: shown when zz, which is not a question of this form',
    ]);
    expect(problemsOf(formOf([yesNo('a', { weight: 50 }), yesNo('b', { weight: 50, showWhen: { question: 'a', equals: ['maybe'] } })]))).toEqual([
      'b: a can never be "maybe"',
    ]);
  });

  it('scores weighted points over the questions shown and not N/A; a critical "no" makes it 0', () => {
    const form = parseForm(
      formOf([
        yesNo('a', { weight: 40 }),
        yesNo('b', { weight: 20, allowNa: true }),
        { id: 'c', text: 'c?', type: 'scale', scale: { min: 1, max: 5 }, weight: 20 },
        yesNo('d', { weight: 10, showWhen: { question: 'a', equals: ['no'] } }),
        yesNo('e', { weight: 10, critical: true }),
      ]),
    );
    const score = (answers: Record<string, string>) => scoreAnswers(form, new Map(Object.entries(answers)));
    // a yes (40 of 40), b N/A, c 4 of 1..5 (15 of 20), d hidden, e yes (10 of 10): 65 / 70.
    expect(score({ a: 'yes', b: 'na', c: '4', d: 'no', e: 'yes' })).toEqual({ score: 92.86, failedCritical: false, shown: ['a', 'b', 'c', 'e'] });
    expect(score({ a: 'no', b: 'yes', c: '5', d: 'yes', e: 'yes' }).score).toBe(((0 + 20 + 20 + 10 + 10) / 100) * 100);
    expect(score({ a: 'yes', b: 'yes', c: '5', e: 'no' })).toMatchObject({ score: 0, failedCritical: true });
    expect(score({ b: 'na' }).score).toBeNull();
  });

  it('lets another scorer answer first, and sends unsure or impossible answers to review', () => {
    const input: ScoringInput = {
      interaction_id: 'x',
      channel: 'chat',
      holds: [],
      metadata: {},
      segments: [{ speaker: 'agent', start_ms: 0, end_ms: 1, text: 'hello, Sam here' }],
    };
    const model: QuestionScorer = (q) => (q.id === 'closing' ? { answer: 'yes', confidence: 0.5, evidence: [] } : null);
    const { answers } = scoreInteraction(standardForm, input, [model, ruleScorer]);
    expect(answers.find((a) => a.question === 'closing')).toMatchObject({ answer: 'yes', confidence: 0.5, needsReview: true });
    expect(answers.find((a) => a.question === 'greeting')).toMatchObject({ answer: 'yes', needsReview: false });
    // No agent words at all: N/A where the form allows it, and every answer for an analyst.
    const silent = scoreInteraction(standardForm, { ...input, segments: [{ speaker: 'customer', start_ms: 0, end_ms: 1, text: 'hello?' }] });
    expect(silent.answers.filter((a) => !a.needsReview).map((a) => a.question)).toEqual(expect.not.arrayContaining(['greeting', 'closing']));
    expect(silent.answers.find((a) => a.question === 'greeting')).toMatchObject({ answer: 'na', confidence: 0, needsReview: true });
  });
});
