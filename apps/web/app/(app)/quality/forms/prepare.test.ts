import { describe, expect, it } from 'vitest';
import {
  addQuestion,
  addSection,
  answerValuesOf,
  changeType,
  describeProblem,
  keyProblem,
  moveQuestion,
  moveSection,
  parseTranscript,
  previewRows,
  problemsOf,
  removeQuestion,
  toDefinition,
  toDraft,
  updateQuestion,
  valueLabel,
  weightsComplete,
  weightsTotal,
  type FormDraft,
  type FormVersion,
} from './prepare';

const auto = {
  appliesWhen: { holds: true },
  expect: { kind: 'each_hold' as const, signal: { kind: 'phrases' as const, speakers: ['agent' as const], phrases: ['hold'] }, turnsBefore: 2 },
};

const definition: FormVersion['definition'] = {
  name: 'Mini',
  reviewBelow: 0.75,
  sections: [
    {
      id: 'opening',
      title: 'Opening',
      questions: [
        { id: 'greeting', text: 'Greets?', guidance: 'Any greeting.', type: 'yes_no', allowNa: false, weight: 40, critical: true },
        { id: 'tone', text: 'Tone?', guidance: '', type: 'scale', allowNa: false, scale: { min: 1, max: 3 }, weight: 30, critical: false },
      ],
    },
    {
      id: 'closing',
      title: 'Closing',
      questions: [
        {
          id: 'outcome',
          text: 'Outcome?',
          guidance: '',
          type: 'choice',
          allowNa: false,
          options: [
            { value: 'solved', label: 'Solved', points: 1 },
            { value: 'open', label: 'Still open', points: 0 },
          ],
          weight: 20,
          critical: false,
          showWhen: { question: 'greeting', equals: ['yes'] },
        },
        { id: 'hold', text: 'Asks before holding?', guidance: '', type: 'yes_no', allowNa: true, weight: 10, critical: false, auto },
      ],
    },
  ],
};

const ids = (draft: FormDraft) => draft.sections.map((s) => [s.id, s.questions.map((q) => q.id)]);
const question = (draft: FormDraft, id: string) => draft.sections.flatMap((s) => s.questions).find((q) => q.id === id)!;

describe('the form designer', () => {
  it('sends back the definition it was given when nothing is edited', () => {
    expect(toDefinition(toDraft(definition))).toEqual({ definition });
  });

  it('keeps numbers as typed, sends what is not a number as missing, and refuses a rule that is not JSON', () => {
    let draft = toDraft(definition);
    draft = updateQuestion(draft, question(draft, 'greeting').uid, { weight: ' ' });
    draft = updateQuestion(draft, question(draft, 'tone').uid, { scaleMax: 'five' });
    const sent = toDefinition(draft) as { definition: typeof definition };
    expect(sent.definition.sections[0]!.questions.map((q) => [q.weight, q.scale])).toEqual([
      [null, undefined],
      [30, { min: 1, max: null }],
    ]);

    draft = updateQuestion(draft, question(draft, 'hold').uid, { auto: '{"expect": ' });
    const refused = toDefinition(draft);
    expect('problems' in refused && refused.problems).toEqual([expect.stringMatching(/^Question 4 \(hold\): the automatic rule is not JSON \(/)]);
    // An emptied rule is no rule.
    draft = updateQuestion(draft, question(draft, 'hold').uid, { auto: '  ' });
    expect((toDefinition(draft) as { definition: typeof definition }).definition.sections[1]!.questions[1]).not.toHaveProperty('auto');
  });

  it('adds the weights up as typed and says when they reach 100', () => {
    const draft = toDraft(definition);
    expect(weightsTotal(draft)).toBe(100);
    expect(weightsComplete(weightsTotal(draft))).toBe(true);
    const edited = updateQuestion(draft, question(draft, 'greeting').uid, { weight: '47.5' });
    expect(weightsTotal(edited)).toBe(107.5);
    expect(weightsComplete(weightsTotal(edited))).toBe(false);
    expect(weightsTotal(updateQuestion(draft, question(draft, 'tone').uid, { weight: 'x' }))).toBe(70);
    // Tenths that do not add up exactly in binary still make 100.
    const tenths = ['33.3', '33.3', '23.3', '10.1'];
    const split = draft.sections.flatMap((s) => s.questions).reduce((d, q, i) => updateQuestion(d, q.uid, { weight: tenths[i]! }), draft);
    expect(weightsComplete(weightsTotal(split))).toBe(true);
  });

  it('adds, moves and removes sections and questions, with ids no other has', () => {
    let draft = toDraft(definition);
    draft = addSection(draft);
    expect(ids(draft).at(-1)).toEqual(['section_1', ['question_1']]);
    draft = addQuestion(draft, draft.sections[0]!.uid);
    expect(ids(draft)[0]).toEqual(['opening', ['greeting', 'tone', 'question_2']]);
    expect(question(draft, 'question_2')).toMatchObject({ type: 'yes_no', weight: '0', auto: '', showWhen: null });

    draft = moveSection(draft, draft.sections[2]!.uid, -1);
    expect(ids(draft).map(([id]) => id)).toEqual(['opening', 'section_1', 'closing']);
    expect(moveSection(draft, draft.sections[0]!.uid, -1)).toEqual(draft);

    // Within a section, then over its edge into the next one, first there; and back, last there.
    draft = moveQuestion(draft, question(draft, 'greeting').uid, 1);
    expect(ids(draft)[0]).toEqual(['opening', ['tone', 'greeting', 'question_2']]);
    draft = moveQuestion(draft, question(draft, 'question_2').uid, 1);
    expect(ids(draft).slice(0, 2)).toEqual([
      ['opening', ['tone', 'greeting']],
      ['section_1', ['question_2', 'question_1']],
    ]);
    draft = moveQuestion(draft, question(draft, 'question_2').uid, -1);
    expect(ids(draft)[0]).toEqual(['opening', ['tone', 'greeting', 'question_2']]);
    expect(moveQuestion(draft, question(draft, 'tone').uid, -1)).toEqual(draft);

    draft = removeQuestion(draft, question(draft, 'question_2').uid);
    expect(ids(draft)[0]).toEqual(['opening', ['tone', 'greeting']]);
  });

  it('switches off what only a yes/no question can be when its type changes', () => {
    const draft = toDraft(definition);
    const greeting = question(changeType(draft, question(draft, 'greeting').uid, 'scale'), 'greeting');
    expect(greeting).toMatchObject({ type: 'scale', critical: false, allowNa: false, scaleMin: '1', scaleMax: '5' });
    const hold = question(changeType(draft, question(draft, 'hold').uid, 'choice'), 'hold');
    // The rule stays for the server to refuse: an edit never vanishes unseen.
    expect(hold.auto).toContain('each_hold');
  });

  it('offers the answers another question takes as it stands, with their labels', () => {
    const draft = toDraft(definition);
    expect(answerValuesOf(question(draft, 'greeting'))).toEqual(['yes', 'no']);
    expect(answerValuesOf(question(draft, 'hold'))).toEqual(['yes', 'no', 'na']);
    expect(answerValuesOf(question(draft, 'tone'))).toEqual(['1', '2', '3']);
    expect(answerValuesOf({ ...question(draft, 'tone'), scaleMax: '' })).toEqual([]);
    expect(answerValuesOf({ ...question(draft, 'tone'), scaleMax: '0' })).toEqual([]);
    expect(answerValuesOf(question(draft, 'outcome'))).toEqual(['solved', 'open']);
    expect(valueLabel(question(draft, 'outcome'), 'open')).toBe('Still open');
    expect(valueLabel(question(draft, 'hold'), 'na')).toBe('N/A');
    expect(valueLabel(question(draft, 'tone'), '2')).toBe('2');
  });

  it("checks a new form's key: its shape, and no form has it yet", () => {
    const forms = [{ key: 'standard' }];
    expect(keyProblem('billing-2', forms)).toBeNull();
    expect(keyProblem('Billing', forms)).toMatch(/lower-case/);
    expect(keyProblem('2nd', forms)).toMatch(/lower-case/);
    expect(keyProblem('a'.repeat(65), forms)).toMatch(/lower-case/);
    expect(keyProblem('standard', forms)).toMatch(/exists/);
  });

  it("names a problem's place after its section and question, and lists a refusal's problems one by one", () => {
    const draft = toDraft(definition);
    expect(describeProblem('sections.1.questions.0.weight: Too small: expected number to be >0', draft)).toBe(
      'Closing › Question 3 (outcome) › weight: Too small: expected number to be >0',
    );
    expect(describeProblem('sections.0.title: Too small', draft)).toBe('Opening › title: Too small');
    expect(describeProblem('sections.7.title: Too small', draft)).toBe('sections.7.title: Too small');
    expect(describeProblem('weights add up to 90, not 100', draft)).toBe('weights add up to 90, not 100');

    const refused = {
      message: 'the form cannot be used: weights add up to 90, not 100; sections.0.questions.1.text: Too small',
      data: {
        issues: [
          { path: 'definition', message: 'weights add up to 90, not 100' },
          { path: 'definition', message: 'sections.0.questions.1.text: Too small' },
        ],
      },
    };
    expect(problemsOf(refused, draft)).toEqual(['weights add up to 90, not 100', 'Opening › Question 2 (tone) › text: Too small']);
    expect(problemsOf({ message: 'the viewer role may not do this' }, draft)).toEqual(['the viewer role may not do this']);
  });

  it('reads a pasted transcript, or says why it cannot be sent', () => {
    const transcript = { channel: 'chat', segments: [{ speaker: 'agent', start_ms: 0, end_ms: 1, text: 'Hi' }], holds: [] };
    expect(parseTranscript(JSON.stringify(transcript))).toEqual({ transcript });
    expect(parseTranscript('  ')).toEqual({ problem: 'Paste a transcript first.' });
    expect(parseTranscript('{"channel": ')).toMatchObject({ problem: expect.stringMatching(/^The transcript is not JSON/) });
    expect(parseTranscript('[1]')).toMatchObject({ problem: expect.stringMatching(/JSON object/) });
  });

  it('shows the rules’ answers in form order, and the questions no rule answered', () => {
    const draft = toDraft(definition);
    const rows = previewRows(
      {
        score: 100,
        failedCritical: false,
        answers: [
          { question: 'hold', answer: 'na', confidence: 0.95, evidence: [], needsReview: false },
          { question: 'greeting', answer: 'yes', confidence: 0.6, evidence: [{ segment_index: 0, start: 0, end: 2 }], needsReview: true },
        ],
      },
      draft,
    );
    expect(rows.map((r) => [r.label, r.answer, r.confidence, r.needsReview])).toEqual([
      ['Question 1 (greeting)', 'Yes', 0.6, true],
      ['Question 2 (tone)', null, null, false],
      ['Question 3 (outcome)', null, null, false],
      ['Question 4 (hold)', 'N/A', 0.95, false],
    ]);
  });
});
