import { describe, expect, it } from 'vitest';
import { scoreInteraction } from './form.ts';
import { nextNudgeAt, nudgesFor, type LiveInteraction } from './index.ts';
import { standardForm } from './standard-form.ts';

type Turn = [speaker: 'agent' | 'customer' | 'bot', text: string];

const startedAt = Date.UTC(2026, 11, 7, 9, 0, 0);

/** An interaction so far from turns five seconds apart (each four seconds long). */
function live(turns: Turn[], options: { holds?: LiveInteraction['holds']; channel?: LiveInteraction['channel'] } = {}): LiveInteraction {
  return {
    interactionId: 'int-7',
    channel: options.channel ?? 'voice',
    segments: turns.map(([speaker, text], i) => ({ speaker, text, start_ms: i * 5000, end_ms: i * 5000 + 4000 })),
    holds: options.holds ?? [],
    startedAt,
  };
}

/** Long after everything in the transcript: only the words decide. */
const later = startedAt + 3_600_000;
const kinds = (state: LiveInteraction, now = later) => nudgesFor(state, now).map((n) => `${n.kind}@${n.anchor.segmentIndex ?? `hold ${n.anchor.holdIndex}`}`);

const greeting: Turn = ['agent', 'Thanks for calling Harbor Telecom, this is Jess, how can I help?'];

describe('empathy nudges', () => {
  it("fire at the customer's frustrated turn, in British and American English, and not before it", () => {
    const uk = [greeting, ['customer', "I'm absolutely fuming, this is the third time I've rung about my router."]] satisfies Turn[];
    const us = [greeting, ['customer', "I'm so frustrated, I've been waiting for weeks for a technician."]] satisfies Turn[];
    expect(kinds(live(uk.slice(0, 1)))).toEqual([]);
    expect(nudgesFor(live(uk), later)).toEqual([
      {
        id: 'int-7:empathy:segment-1',
        kind: 'empathy',
        message: 'The customer sounds frustrated: acknowledge it before moving on.',
        anchor: { segmentIndex: 1 },
        firesAt: startedAt + 9000,
      },
    ]);
    expect(kinds(live(us))).toEqual(['empathy@1']);
    expect(kinds(live([greeting, ['customer', "It's doing my head in, honestly."]]))).toEqual(['empathy@1']);
  });

  it('go once the agent acknowledges the feeling in words, and stay for words that do not', () => {
    const upset = [greeting, ['customer', "I'm absolutely fuming, this is the third time I've rung about my router."]] satisfies Turn[];
    for (const acknowledgement of [
      "Oh no, I'd be fuming too.",
      "I'm so sorry to hear that, that must be really frustrating.",
      'I completely understand how annoying that is.',
    ])
      expect(kinds(live([...upset, ['agent', acknowledgement]])), acknowledgement).toEqual([]);
    for (const notAcknowledgement of ['Sorry for the wait.', "I'm sorry you feel that way.", 'Right, let me have a look.'])
      expect(kinds(live([...upset, ['agent', notAcknowledgement]])), notAcknowledgement).toEqual(['empathy@1']);
  });

  it('read a negated feeling as none', () => {
    expect(kinds(live([greeting, ['customer', "I'm not worried about it, I'm just checking the date of the engineer visit."]]))).toEqual([]);
    expect(kinds(live([greeting, ['customer', "Honestly I'm not upset at all, it's fine."]]))).toEqual([]);
    expect(kinds(live([greeting, ['customer', "Honestly I'm upset, it's not fine."]]))).toEqual(['empathy@1']);
  });

  it('come from the customer being frustrated, not the agent', () => {
    const agentFrustrated = [
      greeting,
      ['agent', "Sorry, I'm so frustrated with this system today, it's really slow."],
      ['customer', 'Okay, take your time.'],
    ] satisfies Turn[];
    expect(kinds(live(agentFrustrated))).toEqual([]);
  });

  it('fire in a chat the customer opens before the agent has written anything', () => {
    expect(kinds(live([['customer', 'This is ridiculous, my parcel is a week late and nobody has replied to my emails.']], { channel: 'chat' }))).toEqual([
      'empathy@0',
    ]);
  });

  it('keep their id as the call goes on, and a new episode after an acknowledgement gets a new one', () => {
    const turns: Turn[] = [
      greeting,
      ['customer', "I'm absolutely fuming, this is the third time I've rung about my router."],
      ['agent', 'Can I take the account number?'],
      ['customer', "It's 60021847, and honestly this is a joke, I'm sick and tired of it."],
    ];
    const ids = (n: number) => nudgesFor(live(turns.slice(0, n)), later).map((x) => x.id);
    expect(ids(2)).toEqual(['int-7:empathy:segment-1']);
    expect(ids(3)).toEqual(['int-7:empathy:segment-1']);
    expect(ids(4)).toEqual(['int-7:empathy:segment-1']);
    turns.push(['agent', "I'm really sorry you've been going round in circles, I'll get this sorted today."], ['customer', 'Okay.']);
    expect(ids(6)).toEqual([]);
    turns.push(
      ['agent', 'The earliest engineer visit is next Thursday.'],
      ['customer', "Next Thursday? That's ridiculous, I work from home, this is unacceptable."],
    );
    expect(ids(8)).toEqual(['int-7:empathy:segment-7']);
  });

  it('agree with the empathy question of the standard form on a finished call', () => {
    const calls: Turn[][] = [
      [greeting, ['customer', "I'm so frustrated, I've been waiting for weeks for a technician."], ['agent', "Okay, I'll book one."]],
      [
        greeting,
        ['customer', "I'm so frustrated, I've been waiting for weeks for a technician."],
        ['agent', "I'm so sorry to hear that, let's get this sorted."],
      ],
    ];
    for (const turns of calls) {
      const state = live(turns);
      const form = scoreInteraction(standardForm, { interaction_id: 'x', channel: 'voice', segments: state.segments, holds: [], metadata: {} });
      const answer = form.answers.find((a) => a.question === 'empathy')!.answer;
      expect(kinds(state).includes('empathy@1')).toBe(answer === 'no');
    }
  });
});

describe('hold nudges', () => {
  const turns: Turn[] = [greeting, ['customer', 'I need to check when my contract ends.'], ['agent', 'Can I put you on hold for a moment while I check?']];
  const holdStart = 15_000;

  it('fire when an open hold reaches a minute, not at 59 seconds, and nextNudgeAt says when', () => {
    const state = live(turns, { holds: [{ start_ms: holdStart, end_ms: null }] });
    const due = startedAt + holdStart + 60_000;
    expect(kinds(state, due - 1000)).toEqual([]);
    expect(nextNudgeAt(state, due - 1000)).toBe(due);
    expect(nudgesFor(state, due)).toEqual([
      {
        id: 'int-7:hold_update:hold-0',
        kind: 'hold_update',
        message: 'On hold for over a minute: update the customer.',
        anchor: { holdIndex: 0 },
        firesAt: due,
      },
    ]);
    expect(nudgesFor(state, due + 1000).map((n) => [n.id, n.firesAt])).toEqual([['int-7:hold_update:hold-0', due]]);
    expect(nextNudgeAt(state, due)).toBeNull();
  });

  it('go when the hold ends, and a short hold ended never makes one', () => {
    const due = startedAt + holdStart + 60_000;
    const ended = live(turns, { holds: [{ start_ms: holdStart, end_ms: holdStart + 75_000 }] });
    expect(kinds(ended, due + 1000)).toEqual([]);
    expect(nextNudgeAt(ended, due - 1000)).toBeNull();
    const short = live(turns, { holds: [{ start_ms: holdStart, end_ms: holdStart + 20_000 }] });
    expect(kinds(short, due + 1000)).toEqual([]);
  });

  it('anchor at their own hold, and the earliest open hold decides nextNudgeAt', () => {
    const state = live(turns, {
      holds: [
        { start_ms: holdStart, end_ms: holdStart + 90_000 },
        { start_ms: 200_000, end_ms: null },
      ],
    });
    expect(kinds(state, startedAt + 261_000)).toEqual(['hold_update@hold 1']);
    expect(nextNudgeAt(state, startedAt + 200_000)).toBe(startedAt + 260_000);
  });
});

describe('identity nudges', () => {
  const opening: Turn[] = [greeting, ['customer', "Hi, it's about my bill, it looks higher than usual."]];

  it('fire when the agent talks about the account before verifying, in British and American English, and not before that', () => {
    expect(kinds(live(opening))).toEqual([]);
    const us = live([...opening, ['agent', 'Sure, I can see your balance is $42.10 this month.']]);
    expect(nudgesFor(us, later)).toEqual([
      {
        id: 'int-7:verify_identity:segment-2',
        kind: 'verify_identity',
        message: "Verify the customer's identity before discussing the account.",
        anchor: { segmentIndex: 2 },
        firesAt: startedAt + 14_000,
      },
    ]);
    expect(kinds(live([...opening, ['agent', 'Right, your direct debit went out on the third, for sixty-two pounds.']]))).toEqual(['verify_identity@2']);
  });

  it('stay, with the same id, until the customer has given what verifies them, even late', () => {
    const turns: Turn[] = [
      ...opening,
      ['agent', 'Sure, I can see your balance is $42.10 this month.'],
      ['agent', 'Actually, before we go on, can I take your date of birth?'],
      ['customer', 'Yes, the fourth of May 1980.'],
    ];
    expect(nudgesFor(live(turns.slice(0, 4)), later).map((n) => n.id)).toEqual(['int-7:verify_identity:segment-2']);
    expect(kinds(live(turns))).toEqual([]);
    const refused: Turn[] = [...turns.slice(0, 4), ['customer', "I'd rather not say, why do you need that?"]];
    expect(kinds(live(refused))).toEqual(['verify_identity@2']);
  });

  it('do not fire when identity is verified before the account is discussed', () => {
    const uk: Turn[] = [
      ...opening,
      ['agent', 'Of course. Can I take the first line of your address and your postcode?'],
      ['customer', "It's 12 Mill Lane, LS6 2AB."],
      ['agent', "Thanks, that's you. Your bill is higher because the discount ended in March."],
    ];
    for (let n = 1; n <= uk.length; n++) expect(kinds(live(uk.slice(0, n))), `after ${n} turns`).toEqual([]);
  });
});

describe('nudges', () => {
  it('never come in a clean call, however far it has got', () => {
    const turns: Turn[] = [
      ['bot', 'Welcome to Harbor Telecom. Calls are recorded for quality and training purposes.'],
      greeting,
      ['customer', "Hi Jess, I'd like to move my broadband to my new flat next month."],
      ['agent', "Happy to help with that. Can I take your date of birth to verify it's you?"],
      ['customer', 'Sure, the ninth of October 1991.'],
      ['agent', "Thanks, that's you. Can I pop you on hold for a moment while I check the new address?"],
      ['customer', 'Yes, no problem.'],
      ['agent', "Thanks for holding. I can see your contract runs until June, so the move is free. I've booked it for the 14th. Does that work for you?"],
      ['customer', 'Perfect, thank you.'],
      ['agent', 'Is there anything else I can help you with today?'],
      ['customer', "No, that's everything."],
      ['agent', 'Thanks for calling, have a lovely evening.'],
    ];
    const hold = { start_ms: 30_000, end_ms: 75_000 };
    for (let n = 1; n <= turns.length; n++) {
      const state = live(turns.slice(0, n), { holds: n > 6 ? [hold] : [] });
      expect(kinds(state), `after ${n} turns`).toEqual([]);
      expect(nextNudgeAt(state, later)).toBeNull();
    }
    // While the hold is open, the only nudge due is the timer's: a minute after it started, not before.
    const onHold = live(turns.slice(0, 7), { holds: [{ start_ms: 30_000, end_ms: null }] });
    expect(kinds(onHold, startedAt + 75_000)).toEqual([]);
    expect(nextNudgeAt(onHold, startedAt + 75_000)).toBe(startedAt + 90_000);
  });

  it("follow the form they are given: a form without the empathy question makes no empathy nudge, and no message holds the customer's words", () => {
    const turns: Turn[] = [
      greeting,
      ['customer', "I'm absolutely fuming, my account number is 60021847 and nobody has called me back."],
      ['agent', 'I can see your balance is $42.10 this month.'],
    ];
    const withoutEmpathy = {
      ...standardForm,
      sections: standardForm.sections.map((s) => ({ ...s, questions: s.questions.filter((q) => q.id !== 'empathy') })),
    };
    const all = nudgesFor(live(turns), later);
    expect(all.map((n) => n.kind)).toEqual(['empathy', 'verify_identity']);
    expect(nudgesFor(live(turns), later, withoutEmpathy).map((n) => n.kind)).toEqual(['verify_identity']);
    for (const n of all) expect(n.message).not.toMatch(/60021847|42\.10|fuming|balance/);
  });
});
