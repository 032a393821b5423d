import { describe, expect, it } from 'vitest';
import { scoreInteraction } from './form.ts';
import { standardForm } from './standard-form.ts';
import type { ScoringInput } from './transcript.ts';

type Turn = [speaker: 'agent' | 'customer' | 'bot', text: string];

/** An interaction from turns five seconds apart; `holdsAfter` puts a 30-second hold after those turn indices. */
function call(turns: Turn[], options: { channel?: ScoringInput['channel']; holdsAfter?: number[] } = {}): ScoringInput {
  let at = 0;
  const holds: ScoringInput['holds'] = [];
  const segments = turns.map(([speaker, text], i) => {
    const segment = { speaker, text, start_ms: at, end_ms: at + 4000 };
    at += 5000;
    if (options.holdsAfter?.includes(i)) {
      holds.push({ start_ms: at, end_ms: at + 30_000 });
      at += 31_000;
    }
    return segment;
  });
  return { interaction_id: 'test', channel: options.channel ?? 'voice', segments, holds, metadata: {} };
}

const answersOf = (input: ScoringInput) => Object.fromEntries(scoreInteraction(standardForm, input).answers.map((a) => [a.question, a.answer]));
const answerOf = (input: ScoringInput, question: string) => scoreInteraction(standardForm, input).answers.find((a) => a.question === question)!;

const opening: Turn[] = [
  ['bot', 'Welcome to Harbor Telecom. Calls are recorded for quality and training purposes.'],
  ['agent', "Thanks for calling Harbor Telecom, you're through to Jess. How can I help?"],
];
const goodClose: Turn[] = [
  ['agent', "I've sent the replacement router today, it should arrive within two working days. Does that sort it out for you?"],
  ['customer', 'Yes, brilliant.'],
  ['agent', 'Is there anything else I can help you with today?'],
  ['customer', "No, that's all."],
  ['agent', 'Thanks for calling, have a lovely evening.'],
];

describe('the standard form', () => {
  it('passes a call that does everything, each answer citing the words that satisfy it', () => {
    const input = call(
      [
        ...opening,
        ['customer', "My router keeps dropping and I'm really fed up, it's the third time this month."],
        ['agent', "I'm sorry to hear that, that must be frustrating. Can I take your postcode and date of birth to find your account?"],
        ['customer', "It's M1 4BT and the 3rd of June 1975."],
        ['agent', 'Thank you. Is it okay if I put you on hold for a moment while I check the line?'],
        ['customer', 'Sure.'],
        ['agent', 'Thanks for holding. I can see there was a fault on your line.'],
        ...goodClose,
      ],
      { holdsAfter: [6] },
    );
    const result = scoreInteraction(standardForm, input);
    expect(Object.fromEntries(result.answers.map((a) => [a.question, a.answer]))).toEqual({
      greeting: 'yes',
      recording_disclosure: 'yes',
      identity_verified: 'yes',
      empathy: 'yes',
      hold_permission: 'yes',
      resolution_confirmed: 'yes',
      closing: 'yes',
      no_profanity: 'yes',
    });
    expect(result.score).toBe(100);
    const cited = (question: string) =>
      result.answers
        .find((a) => a.question === question)!
        .evidence.flatMap((e) => ('segment_index' in e ? [input.segments[e.segment_index]!.text.slice(e.start, e.end)] : []));
    expect(cited('recording_disclosure')).toEqual(['Calls are recorded']);
    expect(cited('empathy')).toEqual(['sorry to hear']);
    expect(answerOf(input, 'hold_permission').evidence).toContainEqual({ hold_index: 0 });
  });

  it('fails a recording notice given after the customer has said their date of birth, citing both', () => {
    const input = call([
      ['agent', 'Good morning, Acme Energy, Tom speaking.'],
      ['customer', 'Hi, my date of birth is 12 March 1980 and I want to check my bill.'],
      ['agent', 'Thanks. Just so you know, this call may be recorded for training purposes.'],
      ...goodClose,
    ]);
    const answer = answerOf(input, 'recording_disclosure');
    expect(answer.answer).toBe('no');
    expect(answer.evidence.map((e) => ('segment_index' in e ? e.segment_index : -1))).toEqual([1, 2]);
    expect(scoreInteraction(standardForm, input)).toMatchObject({ score: 0, failedCritical: true });
  });

  it('does not count a notice that says the call is not recorded, and leaves chat out', () => {
    const turns: Turn[] = [['agent', "Hi, I'm Sam from Acme. This call isn't being recorded, so feel free to speak openly."], ...goodClose];
    expect(answersOf(call(turns)).recording_disclosure).toBe('no');
    expect(answersOf(call(turns, { channel: 'chat' })).recording_disclosure).toBe('na');
  });

  it('fails identity when the agent reads the balance before asking, and leaves a general question N/A', () => {
    const early = call([
      ...opening,
      ['customer', "Hi, what's my balance?"],
      ['agent', 'Your balance is 240 pounds. Can I just take your date of birth for security?'],
      ['customer', '4th of July 1990.'],
      ...goodClose,
    ]);
    expect(answersOf(early).identity_verified).toBe('no');
    const general = call([
      ...opening,
      ['customer', 'What time does your Leeds store close on Sundays?'],
      ['agent', 'It closes at 4pm on Sundays.'],
      ...goodClose,
    ]);
    expect(answersOf(general).identity_verified).toBe('na');
  });

  it('counts only the agent’s words for profanity, and abuse without swear words', () => {
    const customerSwears = call([
      ...opening,
      ['customer', 'This is bloody ridiculous, the damn thing broke again!'],
      ['agent', "I'm sorry about that, let's get it sorted."],
      ...goodClose,
    ]);
    expect(answersOf(customerSwears).no_profanity).toBe('yes');
    const rude = call([...opening, ['customer', 'Why is my bill so high?'], ['agent', "Honestly, that's a stupid question."], ...goodClose]);
    expect(answersOf(rude).no_profanity).toBe('no');
    const mild = call([...opening, ['agent', 'Damn, the system is down again.'], ...goodClose]);
    expect(answerOf(mild, 'no_profanity')).toMatchObject({ answer: 'no', evidence: [{ segment_index: 2, start: 0, end: 4 }] });
  });

  it('fails holds when one of two was not announced, citing that hold', () => {
    const input = call(
      [
        ...opening,
        ['customer', 'I need to move my appointment.'],
        ['agent', 'Can I put you on a quick hold while I check the diary?'],
        ['agent', 'Thanks for waiting. Tuesday at ten works.'],
        ['agent', 'One sec.'],
        ['agent', 'Right, all booked.'],
        ...goodClose,
      ],
      { holdsAfter: [3, 5] },
    );
    const answer = answerOf(input, 'hold_permission');
    expect(answer.answer).toBe('no');
    expect(answer.evidence).toContainEqual({ hold_index: 1 });
    expect(answersOf(call([...opening, ...goodClose])).hold_permission).toBe('na');
  });

  it('leaves empathy N/A when the customer shows no feeling, and fails it when an upset customer hears only "sorry for the wait"', () => {
    expect(answersOf(call([...opening, ['customer', 'I would like to upgrade my plan please.'], ...goodClose])).empathy).toBe('na');
    const upset = call([
      ...opening,
      ['customer', "I'm so worried, someone has taken money out of my account."],
      ['agent', 'Sorry for the wait. Let me look.'],
      ...goodClose,
    ]);
    expect(answersOf(upset).empathy).toBe('no');
  });

  it('needs both parts of resolution and of closing', () => {
    const noCheck = call([
      ...opening,
      ['agent', "I've cancelled the order and you'll get a refund in five days."],
      ['agent', 'Anything else I can help with? Thanks, bye.'],
    ]);
    expect(answersOf(noCheck)).toMatchObject({ resolution_confirmed: 'no', closing: 'yes' });
    const noOffer = call([...opening, ...goodClose.slice(0, 2), ['agent', 'Great, take care, bye.']]);
    expect(answersOf(noOffer)).toMatchObject({ resolution_confirmed: 'yes', closing: 'no' });
  });

  it('greets only in the first two agent turns, and needs a name', () => {
    const late = call([
      ['agent', 'Hello?'],
      ['customer', 'Hi.'],
      ['agent', 'Yes?'],
      ['agent', "Sorry, I'm Priya from Northwind, how can I help?"],
      ...goodClose,
    ]);
    expect(answersOf(late).greeting).toBe('no');
    expect(answersOf(call([['agent', 'Hi there, how can I help you today?'], ...goodClose])).greeting).toBe('no');
    expect(answersOf(call([['agent', 'good afternoon northwind bank dan speaking how can i help'], ...goodClose])).greeting).toBe('yes');
  });
});
