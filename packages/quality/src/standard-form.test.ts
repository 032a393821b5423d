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

  it('takes a bot’s verification, a secret or the contact details on file after a lookup key, and nothing less', () => {
    const identity = (turns: Turn[], channel: ScoringInput['channel'] = 'chat') => answersOf(call([...turns, ...goodClose], { channel })).identity_verified;
    const bot: Turn[] = [
      ['bot', 'Please enter the 6-digit code we sent to your phone.'],
      ['customer', '482913'],
      ['bot', "Thanks, you're verified. Connecting you to an agent."],
      ['agent', "Hi, I'm Tobi from PayNest. I can see the two debits at 10:02 and 10:03."],
    ];
    expect(identity(bot)).toBe('yes');
    const keyOnly: Turn[] = [
      ['agent', 'Hi, Mia at Parcelroo here. Tracking number?'],
      ['customer', 'PR4410927AU'],
      ['agent', 'It says left with neighbour at number fourteen.'],
    ];
    expect(identity(keyOnly)).toBe('no');
    const keyAndMobile: Turn[] = [
      ['agent', 'Sure, please tell me the booking ID.'],
      ['customer', 'ZRB 22914'],
      ['agent', 'And the registered mobile number?'],
      ['customer', '98860 12345'],
      ['agent', 'Thank you, verified. You have the Swift till Friday evening.'],
    ];
    expect(identity(keyAndMobile)).toBe('yes');
    // An e-mail address alone is the key itself.
    const emailOnly: Turn[] = [
      ['agent', "What's the email on your account?"],
      ['customer', 't.barnes@shaw.ca'],
      ['agent', "I see you're on the Premium plan."],
    ];
    expect(identity(emailOnly)).toBe('no');
    // The rest of the question qualifies it: "the postcode it was delivered to" reads nothing out.
    const delivered: Turn[] = [
      ['agent', 'Can I take your order number?'],
      ['customer', '7714029'],
      ['agent', 'And the postcode it was delivered to?'],
      ['customer', 'G12 9LN'],
      ['agent', 'Thank you. I can see the kettle, delivered on the third.'],
    ];
    expect(identity(delivered)).toBe('yes');
    const wavedThrough: Turn[] = [
      ['agent', 'Can I have the last four digits of your card?'],
      ['customer', 'four four seven one'],
      ['agent', "The card I've got ends four four one seven but that's close enough. I see a debit for five thousand rand."],
    ];
    expect(identity(wavedThrough)).toBe('no');
    // A fault reported by address opens no record.
    const byAddress: Turn[] = [
      ['customer', "There's a power line down across our driveway."],
      ['agent', "Stay inside. What's the address?"],
      ['customer', '1440 Concession Road 6.'],
      ['agent', "I've dispatched a crew, they should be there within the hour."],
    ];
    expect(identity(byAddress, 'voice')).toBe('na');
  });

  it('reads verification in calls without punctuation, with someone else’s ID, and after a record was only opened', () => {
    const identity = (turns: Turn[], channel: ScoringInput['channel'] = 'voice') => answersOf(call([...turns, ...goodClose], { channel })).identity_verified;
    // Speech recognition writes one long sentence: a "not right" far into the agent's next words is about the
    // appointments, not a mismatch of the zip code; "that's close enough" straight after is one.
    const zip = (reaction: string): Turn[] => [
      ['agent', 'good morning this is mark from appliance care plus may i have the zip code of the service address to verify'],
      ['customer', 'its four four one two two'],
      ['agent', reaction],
    ];
    expect(
      identity(
        zip(
          'thank you mr kowalski so i see the claim from saturday and the appointments with tri county on monday and yesterday both marked no access which is not right',
        ),
      ),
    ).toBe('yes');
    expect(identity(zip('hmm the one i have is four four one two one but thats close enough i see the claim from saturday'))).toBe('no');
    const relative: Turn[] = [
      ['agent', "Good morning, Id-Dar Care, Josianne here. Can you give me your mother's ID card number?"],
      ['customer', "It's 0 4 5 2 1 3 9 M."],
      ['agent', "Thanks. I can see your mum's morning visits are with Lorna."],
    ];
    expect(identity(relative)).toBe('yes');
    // "I've got your account up" opens the record and says nothing of it: the passcode asked next is in time.
    const opened: Turn[] = [
      ['bot', 'Please enter your account number followed by the hash key.'],
      ['agent', 'hello vigil monitoring this is marcus i got your account up from the keypad entry can you give me the passcode on the account please'],
      ['customer', 'its uh blue heron'],
      ['agent', 'thank you so yeah i see an alarm from the back door sensor at two fifty eight'],
    ];
    expect(identity(opened)).toBe('yes');
  });

  it('counts profanity abbreviated or spelt with doubled letters, and running down third parties', () => {
    const agentSays = (text: string) => answersOf(call([...opening, ['agent', text], ...goodClose])).no_profanity;
    expect(agentSays('ffs sorry, pulled up the wrong order.')).toBe('no');
    expect(agentSays('Ag, those installers are useless, they do this every week.')).toBe('no');
    expect(agentSays('Looks like our warehouse guys did a great job again, lol.')).toBe('no');
    expect(agentSays("It's a city centre hotel on a Saturday. What did you expect, silence?")).toBe('no');
    expect(agentSays('Our installers are fully trained, so it will be done right.')).toBe('yes');
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

  it('takes a request for time or a hold with its reason as announcing it, and not a bare "kindly hold the line"', () => {
    const hold = (text: string) =>
      answersOf(call([...opening, ['agent', text], ['agent', 'Thanks for waiting.'], ...goodClose], { holdsAfter: [2] })).hold_permission;
    expect(hold('May I have 2-3 minutes to review your usage?')).toBe('yes');
    expect(hold('Kindly allow me two minutes, I will check with the examination cell.')).toBe('yes');
    expect(hold('please hold on let me check')).toBe('yes');
    expect(hold('Is it ok if I leave you for a few minutes while I do that?')).toBe('yes');
    expect(hold('Kindly hold the line.')).toBe('no');
    expect(hold('Gimme a sec.')).toBe('no');
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

  it('acknowledges a feeling in words that share or name it, not in dismissive or stock ones', () => {
    const empathy = (reply: string) =>
      answersOf(call([...opening, ['customer', "It's been down a week now, I'm absolutely raging."], ['agent', reply], ...goodClose])).empathy;
    expect(empathy("Aye, I'd be raging and all, a week's a joke.")).toBe('yes');
    expect(empathy('Three weeks without it is really annoying, sorry.')).toBe('yes');
    expect(empathy("I'm sorry you feel that way.")).toBe('no');
    expect(empathy('Thank you for your patience.')).toBe('no');
    // "Charged" is billing, not a feeling.
    expect(answersOf(call([...opening, ['customer', 'Hi, I got charged twice this month.'], ...goodClose])).empathy).toBe('na');
  });

  it('takes a short check question after the outcome, or an answer to a question, but not a bare "Okay?"', () => {
    const resolution = (turns: Turn[]) => answersOf(call([...opening, ...turns, ['agent', 'Anything else I can help with? Take care.']])).resolution_confirmed;
    expect(resolution([['agent', "I've booked a special read for Friday, so we'll re-bill you on the actual usage. Sound alright?"]])).toBe('yes');
    expect(resolution([['agent', "i've booked one for friday morning eight till one that okay"]])).toBe('yes');
    expect(resolution([['agent', "I've booked a special read for Friday. Okay?"]])).toBe('no');
    expect(resolution([['agent', "I've refreshed your line, kindly restart your phone and let me know if you have signal."]])).toBe('yes');
    expect(
      resolution([
        ['customer', 'Can I renew my permit online?'],
        ['agent', 'Yes, you can renew at ashbridge.gov.uk/permits. Does that answer your question?'],
      ]),
    ).toBe('yes');
    // A short question on what was just done, however it is put; "how may I help you?" is no such question.
    expect(resolution([['agent', "I've paused the direct debit until March. Does that ease your mind a bit?"]])).toBe('yes');
    expect(resolution([['agent', "I've pushed the update to your box. Is it playing nicely now?"]])).toBe('yes');
    expect(resolution([['agent', "I've paused the direct debit until March. Hopefully that's sorted it for you."]])).toBe('no');
  });

  it('needs the close with the offer of help or after it: thanks for waiting a turn before is not one', () => {
    const closing = (turns: Turn[]) => answersOf(call([...opening, ...turns])).closing;
    expect(
      closing([
        ['agent', 'Thank you for your patience, the line is fixed.'],
        ['agent', 'Is there anything else I can help with?'],
        ['customer', 'No, bye.'],
      ]),
    ).toBe('no');
    expect(
      closing([
        ['agent', 'Thanks for calling Harbor, is there anything else I can help with?'],
        ['customer', 'No, bye.'],
      ]),
    ).toBe('yes');
    expect(
      closing([
        ['agent', 'Anything else I can help with?'],
        ['customer', 'No thanks.'],
        ['agent', 'Have a good arvo!'],
      ]),
    ).toBe('yes');
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
    const noName: Turn[] = [
      ['agent', 'hi there, how can i help you today?'],
      ['customer', 'hi'],
      ['agent', "I've sent a code to your number, can you type it in here?"],
    ];
    expect(answersOf(call([...noName, ...goodClose], { channel: 'chat' })).greeting).toBe('no');
    expect(answersOf(call([['agent', 'Hello, student services.'], ['agent', 'It is, yeah, Lewis here.'], ...goodClose])).greeting).toBe('yes');
    // A telephone answer is no greeting, however politely it offers help, nor is thanks for waiting.
    expect(answersOf(call([['agent', 'Riverside Water, this is Angela, how may I help you?'], ...goodClose])).greeting).toBe('no');
    expect(answersOf(call([['agent', "Thanks for holding, you're speaking with Euan, what can I do for you?"], ...goodClose])).greeting).toBe('no');
  });
});
