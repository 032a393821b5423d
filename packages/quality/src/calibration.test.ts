import { describe, expect, it } from 'vitest';
import { calibrationResults, type CalibrationAnswer } from './calibration.ts';
import { parseForm } from './form.ts';

const form = parseForm({
  name: 'Two questions',
  sections: [
    {
      id: 'all',
      title: 'All',
      questions: [
        { id: 'greeting', text: 'Greets', type: 'yes_no', weight: 50 },
        { id: 'closing', text: 'Closes', type: 'yes_no', weight: 50 },
      ],
    },
  ],
});
const answers = (rater: string, rows: [string, string, string][]): CalibrationAnswer[] =>
  rows.map(([item, question, answer]) => ({ rater, item, question, answer }));

describe('calibrationResults', () => {
  const lead = answers('lead', [
    ['i1', 'greeting', 'yes'],
    ['i1', 'closing', 'yes'],
    ['i2', 'greeting', 'no'],
    ['i2', 'closing', 'yes'],
  ]);
  const rae = answers('rae', [
    ['i1', 'greeting', 'yes'],
    ['i1', 'closing', 'no'],
    ['i2', 'greeting', 'no'],
    ['i2', 'closing', 'yes'],
  ]);

  it("two raters: Cohen's kappa per question, the score spread, each rater's distance from the lead", () => {
    const r = calibrationResults(form, { items: ['i1', 'i2'], raters: ['lead', 'rae'], lead: 'lead', answers: [...lead, ...rae] });
    const greeting = r.questions.find((q) => q.id === 'greeting')!;
    expect(greeting).toMatchObject({ kappa: 1, method: 'cohen', items: 2 });
    expect(greeting.answers[1]).toEqual({ item: 'i2', byRater: { lead: 'no', rae: 'no' } });
    // Closing: lead yes/yes, rae no/yes — observed 1/2, chance 1/2 (lead all yes): kappa 0.
    expect(r.questions.find((q) => q.id === 'closing')!.kappa).toBe(0);
    expect(r.scores).toEqual([
      { item: 'i1', byRater: { lead: 100, rae: 50 } },
      { item: 'i2', byRater: { lead: 50, rae: 50 } },
    ]);
    // i1: mean 75, deviations 25 and 25; i2: 0 and 0.
    expect(r.scoreMad).toBe(12.5);
    expect(r.raters).toEqual([
      { id: 'lead', differFromLead: 0, scoreDistanceFromLead: 0 },
      { id: 'rae', differFromLead: 0.25, scoreDistanceFromLead: 25 },
    ]);
  });

  it("three raters: Fleiss' kappa over the interactions all of them answered", () => {
    const sam = answers('sam', [['i1', 'greeting', 'yes']]);
    const r = calibrationResults(form, { items: ['i1', 'i2'], raters: ['lead', 'rae', 'sam'], lead: 'lead', answers: [...lead, ...rae, ...sam] });
    const greeting = r.questions.find((q) => q.id === 'greeting')!;
    expect(greeting).toMatchObject({ method: 'fleiss', items: 1 });
    expect(greeting.answers[1]!.byRater.sam).toBeNull();
    expect(r.raters.find((x) => x.id === 'sam')).toEqual({ id: 'sam', differFromLead: 0, scoreDistanceFromLead: 0 });
  });
});
