import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymiseExample, composeCoachingTip, type CoachingTipInput, type PassingExample } from './tips.ts';

/** A passing example of one agent turn whose evidence is the span [start, end) of it (all of it by default). */
const agentSays = (text: string, start = 0, end = text.length): PassingExample => ({
  segments: [{ speaker: 'agent', text }],
  evidence: [{ segment_index: 0, start, end }],
});

const input = (overrides: Partial<CoachingTipInput> = {}): CoachingTipInput => ({
  ruleTip: '  Say your name in your first turn.  ',
  question: { id: 'greeting', text: 'Did the agent give their name?', guidance: '  Any greeting counts as long as a name is said.\n' },
  failed: { count: 3, ofLast: 5 },
  failures: [],
  example: null,
  ...overrides,
});

describe('anonymiseExample', () => {
  it("replaces a colleague's and a customer's names, whether introduced, addressed, titled or in lower case", () => {
    expect(anonymiseExample(agentSays('Good morning, thanks for calling Bayside Dental, this is Priya speaking, how can I help?'))).toBe(
      'Good morning, thanks for calling [name], this is [name] speaking, how can I help?',
    );
    expect(anonymiseExample(agentSays('Lovely, let me check that. Sarah, are you still there? Thanks Mrs Okafor.'))).toBe(
      'Lovely, let me check that. [name], are you still there? Thanks [name].',
    );
    // Speech recognition that writes no capitals: the introduction and the title still give the names away.
    expect(anonymiseExample(agentSays('hi this is priya sharma speaking how can i help'))).toBe('hi this is [name] speaking how can i help');
    expect(anonymiseExample(agentSays('thanks mrs okafor, i will call you back'))).toBe('thanks [name], i will call you back');
  });

  it('replaces identifiers and every run of digits', () => {
    expect(anonymiseExample(agentSays('Perfect, I have booked that for the 12th of March at 10:30.'))).toBe(
      'Perfect, I have booked that for the [details] at [number]:[number].',
    );
    expect(anonymiseExample(agentSays("Great, I'll call you back on 07700 900123 within 2 days."))).toBe(
      "Great, I'll call you back on [details] within [number] days.",
    );
    expect(anonymiseExample(agentSays('That comes to £150 and I will email the receipt to p.s@bayside, is that okay?'))).toBe(
      'That comes to £[number] and I will email the receipt to [details], is that okay?',
    );
  });

  it('keeps only the sentences the evidence lies in', () => {
    const text = 'Thanks for holding. The balance is £642.18 today, so I can take that now. Is there anything else?';
    const start = text.indexOf('I can take');
    expect(anonymiseExample(agentSays(text, start, start + 'I can take that'.length))).toBe('The balance is £[number].[number] today, so I can take that now.');
  });

  it("never uses the customer's (or the bot's) turns, even when the evidence points at them", () => {
    const example: PassingExample = {
      segments: [
        { speaker: 'bot', text: 'This call is recorded for training.' },
        { speaker: 'customer', text: 'Hi, I want to cancel my order.' },
        { speaker: 'agent', text: 'I can help you cancel that today.' },
      ],
      evidence: [
        { segment_index: 0, start: 0, end: 10 },
        { segment_index: 1, start: 0, end: 10 },
        { segment_index: 2, start: 0, end: 10 },
      ],
    };
    expect(anonymiseExample(example)).toBe('I can help you cancel that today.');
    expect(anonymiseExample({ ...example, evidence: example.evidence.slice(0, 2) })).toBeNull();
  });

  it('gives no example rather than a risky or empty one', () => {
    // Mostly identifiers, once the lead-in's detail is covered to the clause's end.
    expect(anonymiseExample(agentSays('Your card number is 4929 1234 5678 9012, expiry 03/27.'))).toBeNull();
    expect(anonymiseExample(agentSays('I can see the postcode is SW1A 1AA and your date of birth is 12/03/1990.'))).toBeNull();
    // Too long to be a sentence or two.
    expect(anonymiseExample(agentSays(`I can help with that ${'and more '.repeat(40)}today.`))).toBeNull();
    // Nothing left but a placeholder.
    expect(anonymiseExample(agentSays('Priya here.'))).toBeNull();
    // Metadata evidence and spans outside the turn point at no words.
    expect(
      anonymiseExample({ segments: [{ speaker: 'agent', text: 'Thanks for holding.' }], evidence: [{ hold_index: 0 }, { event: 'transfer' }] }),
    ).toBeNull();
    expect(anonymiseExample(agentSays('Thanks for holding.', 5, 500))).toBeNull();
  });

  it('leaves no digit in the example, whatever the digits in the text', () => {
    const word = fc.constantFrom('thanks', 'for', 'holding', 'your', 'order', 'is', 'Priya', 'account', 'number', 'ref', 'KS-', '£', '@', 'on', 'the');
    const digits = fc.oneof(fc.stringMatching(/^[0-9]{1,12}$/), fc.constantFrom('٣٤٥', '½', '²'));
    const separator = fc.constantFrom(' ', ', ', '. ', '-', '/', ':', '.', '');
    const text = fc.array(fc.tuple(fc.oneof(word, digits, fc.string({ maxLength: 5 })), separator), { minLength: 1, maxLength: 25 });
    let examples = 0;
    fc.assert(
      fc.property(text, (parts) => {
        const out = anonymiseExample(agentSays(parts.map(([w, s]) => w + s).join('')));
        if (out !== null) examples++;
        return out === null || !/\p{N}/u.test(out);
      }),
      { numRuns: 500 },
    );
    // The property held over real examples, not only refusals.
    expect(examples).toBeGreaterThan(50);
  });
});

describe('composeCoachingTip', () => {
  it('says which question failed and how often', () => {
    expect(composeCoachingTip(input()).headline).toBe('Greeting: "Did the agent give their name?" was a "no" in 3 of your last 5 evaluations');
    expect(composeCoachingTip(input({ failed: { count: 1, ofLast: 1 } })).headline).toBe(
      'Greeting: "Did the agent give their name?" was a "no" in your last evaluation',
    );
    expect(composeCoachingTip(input({ question: { id: 'recording_disclosure', text: 'Was the call said to be recorded?', guidance: '' } })).headline).toBe(
      'Recording disclosure: "Was the call said to be recorded?" was a "no" in 3 of your last 5 evaluations',
    );
  });

  it('claims no count for a critical fail or a manual assignment', () => {
    expect(composeCoachingTip(input({ failed: null })).headline).toBe('Greeting: "Did the agent give their name?"');
  });

  it("gives the rule's tip and the form's guidance, trimmed, and no guidance when the form has none", () => {
    const tip = composeCoachingTip(input());
    expect(tip.body).toBe('Say your name in your first turn.');
    expect(tip.guidance).toBe('Any greeting counts as long as a name is said.');
    expect(composeCoachingTip(input({ question: { id: 'greeting', text: 'Name?', guidance: '' } })).guidance).toBeNull();
    expect(composeCoachingTip(input({ question: { id: 'greeting', text: 'Name?', guidance: ' \n ' } })).guidance).toBeNull();
  });

  it("points at the agent's own lines by reference only, at most three, skipping holds and events", () => {
    const tip = composeCoachingTip(
      input({
        failures: [
          { evaluationId: 'ev1', interactionId: 'ix1', evidence: [{ hold_index: 0 }, { segment_index: 0, start: 0, end: 12 }, { event: 'transfer' }] },
          { evaluationId: 'ev2', interactionId: 'ix2', evidence: [{ segment_index: 1, start: 4, end: 20 }] },
          {
            evaluationId: 'ev3',
            interactionId: 'ix3',
            evidence: [
              { segment_index: 0, start: 0, end: 5 },
              { segment_index: 2, start: 0, end: 9 },
            ],
          },
        ],
      }),
    );
    expect(tip.ownLines).toEqual([
      { evaluationId: 'ev1', interactionId: 'ix1', segmentIndex: 0, start: 0, end: 12 },
      { evaluationId: 'ev2', interactionId: 'ix2', segmentIndex: 1, start: 4, end: 20 },
      { evaluationId: 'ev3', interactionId: 'ix3', segmentIndex: 0, start: 0, end: 5 },
    ]);
  });

  it('includes the anonymised example, or none', () => {
    expect(composeCoachingTip(input({ example: agentSays('Hi, this is Priya, how can I help?') })).example).toBe('Hi, this is [name], how can I help?');
    expect(composeCoachingTip(input({ example: agentSays('Priya here.') })).example).toBeNull();
    expect(composeCoachingTip(input()).example).toBeNull();
  });
});
