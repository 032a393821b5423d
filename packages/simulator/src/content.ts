import type { Channel } from '@switchboard/contracts';
import { chance, createRng, integer, pick, pickWeighted, uniform, type Rng } from './rng.ts';

/**
 * Transcript and survey content. Some customer turns carry PII-looking strings (test card
 * numbers, example.com emails, 555 phone numbers) on purpose: ingest must redact them.
 */

export interface Utterance {
  speaker: 'customer' | 'agent';
  text: string;
}

const testCards = ['4111 1111 1111 1111', '5555 5555 5555 4444', '4012 8888 8888 1881', '3782 822463 10005', '6011 1111 1111 1117'];
const customerFirst = ['jordan', 'casey', 'riley', 'morgan', 'taylor', 'alex', 'sam', 'jamie', 'drew', 'avery', 'quinn', 'reese'];
const customerLast = ['smith', 'nguyen', 'garcia', 'patel', 'johnson', 'kim', 'brown', 'lopez', 'miller', 'davis', 'wilson', 'clark'];

function fakeEmail(rng: Rng): string {
  return `${pick(rng, customerFirst)}.${pick(rng, customerLast)}${integer(rng, 1, 99)}@example.com`;
}

function fakePhone(rng: Rng): string {
  const line = String(integer(rng, 100, 199)).padStart(4, '0');
  return chance(rng, 0.5) ? `(${integer(rng, 201, 989)}) 555-${line}` : `+1 ${integer(rng, 201, 989)} 555 ${line}`;
}

/** The demo center's bank, as its agents name it. */
const company = 'Harbor Bank';

const lapses = ['greeting', 'disclosure', 'verification', 'empathy', 'holdNotice', 'resolution', 'closing', 'profanity'] as const;
type Lapse = (typeof lapses)[number];

/**
 * What a diligent, a typical and a sloppy agent let slip, per conversation (holdNotice: per hold). A few agents are
 * diligent, most are typical and a few sloppy, so quality by agent shows real differences.
 */
const tiers: { weight: number; lapses: Record<Lapse, number> }[] = [
  {
    weight: 0.15,
    lapses: { greeting: 0.01, disclosure: 0.01, verification: 0.02, empathy: 0.04, holdNotice: 0.02, resolution: 0.02, closing: 0.01, profanity: 0 },
  },
  {
    weight: 0.73,
    lapses: { greeting: 0.05, disclosure: 0.06, verification: 0.08, empathy: 0.12, holdNotice: 0.06, resolution: 0.08, closing: 0.06, profanity: 0.025 },
  },
  {
    weight: 0.12,
    lapses: { greeting: 0.25, disclosure: 0.4, verification: 0.45, empathy: 0.5, holdNotice: 0.45, resolution: 0.5, closing: 0.4, profanity: 0.15 },
  },
];

const tierWeights = tiers.map((t) => t.weight);

/** How an agent works: the chance of each lapse in one conversation. */
export interface AgentStyle {
  lapses: Record<Lapse, number>;
}

/** FNV-1a: a stable number from an agent id, whatever the seed or day. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Styles draw from streams of their own, keyed by the agent alone. */
const STYLE_STREAM = 0x57;

/** The agent's style, the same in every run: an agent is known on the quality screens for their habits. */
export function createAgentStyle(agentId: string): AgentStyle {
  const rng = createRng(STYLE_STREAM, hashText(agentId));
  const tier = tiers[pickWeighted(rng, tierWeights)]!;
  // Habits of their own within the tier: one agent forgets to announce holds, another the closing.
  const own = Object.fromEntries(lapses.map((lapse) => [lapse, Math.min(1, tier.lapses[lapse] * (0.5 + uniform(rng)))]));
  return { lapses: own as Record<Lapse, number> };
}

const intros = {
  voice: {
    good: [
      `Thank you for calling ${company}, my name is {name}.`,
      `Hello, you're through to {name} at ${company}.`,
      `Hi, thanks for calling ${company}.`,
      'Hello, this is {name}.',
    ],
    // No name, or no greeting.
    poor: ['Hi.', 'Thanks for calling the bank.', `${company}, {name} speaking.`, ''],
  },
  written: {
    good: [`Hi, this is {name} at ${company}.`, `Hello, {name} here from ${company}.`, `Hi, thanks for contacting ${company}.`, 'Hi, this is {name}.'],
    poor: ['Hi there.', 'Hello.', ''],
  },
};
const helpQuestions = {
  voice: ['How can I help you today?', 'What can I do for you?', 'How can I help?'],
  written: ['How can I help today?', 'What can I help you with?'],
};

const notices = [
  'This call may be recorded for quality and training purposes.',
  'Just so you know, calls are monitored and recorded.',
  'Please note this call is recorded for quality and training.',
  'All calls are recorded for training and quality purposes.',
];
const lateNotices = [
  'Oh, I should have said: this call may be recorded for quality and training.',
  'Before we go on, I forgot to mention that calls are recorded and monitored.',
];

const openers = {
  voice: ["Hi, I'm calling about {topic}.", 'Hello, I need some help with {topic}.', 'Yes, hi. It is about {topic}.'],
  written: ['Hi, I need help with {topic}.', 'Hello! Question about {topic}.', 'Hi there, {topic} please.'],
};
const worries = [
  "I'm really worried about it, to be honest.",
  "This is the third time I've called and I'm getting really frustrated.",
  "Honestly, I'm fed up with this.",
  "I'm quite stressed about it, my rent is due on Friday.",
];
// Customers swear too; only the agent's words count against the agent.
const customerCurses = [
  "This is the third bloody time I've called about it.",
  "The damn thing still isn't sorted and I'm fed up.",
  "What the hell is going on? I'm really annoyed.",
];
/** Topics that worry a customer whatever their words. */
const worryingTopic = /lost|stolen|fraud|suspicious|recognise|phishing|blocked|declined/i;

const acknowledgements = [
  "I'm sorry to hear that, let's get it sorted for you.",
  'I completely understand, that must be worrying.',
  "That must be stressful. I'll do my best to fix it today.",
  "I'm so sorry you've had this trouble.",
];
const plainReplies = ['Sure, I can help with that.', "Okay, let's have a look.", 'Of course.'];

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const memorableWords = ['biscuit', 'lighthouse', 'pepper', 'saturn', 'maple'];

/** A question that proves who the customer is, and their answer. */
type Check = [ask: string, answer: (rng: Rng) => string];
const secretChecks: Check[] = [
  ['For security, can you confirm your date of birth?', (rng) => `Sure, it's ${pick(rng, months)} ${integer(rng, 1, 28)}, ${integer(rng, 1948, 2004)}.`],
  ['Could you confirm the last four digits of your card?', (rng) => `It's ${pick(rng, testCards).slice(-4)}.`],
  ['Can you give me your memorable word, please?', (rng) => `My memorable word is ${pick(rng, memorableWords)}.`],
  ["I've just sent a one-time code to your phone. Can you read it back to me?", (rng) => `Yes, it's ${integer(rng, 100_000, 999_999)}.`],
  ['Can I take the zip code on the account?', (rng) => `It's ${integer(rng, 10_001, 11_697)}.`],
];
/** Numbers that find the record but prove nothing about who is calling. */
const accountNumber: Check = ['Can I take your account number?', (rng) => `It's ${integer(rng, 1000, 9999)} ${integer(rng, 1000, 9999)}.`];
const lookups: Check[] = [accountNumber, ['Could you read me the card number so I can find the account?', (rng) => `It's ${pick(rng, testCards)}.`]];
/** Contact details on file: they verify after a lookup key. */
const onFileChecks: Check[] = [
  ['And the email address registered on the account?', (rng) => `Sure, it's ${fakeEmail(rng)}.`],
  ['And the phone number we have on file?', (rng) => `It's ${fakePhone(rng)}.`],
];
const matches = ['Thanks, that all matches.', 'Great, thank you.'];

const accountViews = [
  "I've got your account up here.",
  'I can see your recent transactions here.',
  "I've pulled up your account.",
  "I'm looking at your account now.",
];
const agentCurses = ['This damn system is slow today.', 'Bloody hell, the screen just froze on me.', 'Oh damn, it logged me out again. Right, back in.'];

const holdNotices = {
  voice: [
    'Let me place you on hold for a moment while I check that.',
    'Would you mind holding for a minute while I look into this?',
    'Can I put you on a short hold while I check with my team?',
    "Bear with me while I check with my team, I'll put you on hold for a minute.",
  ],
  written: ['One moment while I check that for you.', 'Give me a few minutes to look into this, please.'],
};
const holdAgain = {
  voice: 'I need to check one more thing. Can I put you on hold again for a moment?',
  written: 'One more moment while I check something else.',
};
const holdReplies = ['Sure.', 'Okay, no problem.', "That's fine."];
const unannounced = ['Okay, let me see.', 'Right.'];
const resumes = ['Thank you for holding.', 'Thanks for waiting.', 'Thanks for your patience.'];

const accountOutcomes = [
  "I've sorted that on your account, and you should see the change within one business day.",
  "I've updated that for you, and you'll get a confirmation email shortly.",
  "I've raised a case with the team that handles this, and they'll call you back within two business days.",
  "I've made the change and added a note to your account.",
];
const generalOutcomes = [
  "You'll find it in the app under Settings, then Statements.",
  'A specialist will call you back tomorrow to go through the options.',
  "You can apply online in about ten minutes, and you'll get a decision by email.",
  "You'll need to log in to online banking and reset it under Security.",
];
const followUps: [question: string, answer: string][] = [
  ['Will I get a confirmation?', "Yes, you'll get a confirmation email within the hour."],
  ['How long will that take?', 'It should be sorted within two business days.'],
  ['Is there a fee for that?', "No, there's no fee for that."],
];
const resolutionChecks = ['Does that sort it out for you?', 'Does that answer your question?', 'Is that what you needed?', 'Are you happy with that?'];
const confirmations = ["Yes, that's great.", 'Yes, perfect.', 'That works, thank you.'];
const transfers = [
  "This needs one of our specialist teams, so I'm going to transfer you now. Please stay on the line.",
  "I'll transfer you to the right team, they can take it from here.",
];

const offers = ['Is there anything else I can help you with today?', 'Anything else I can do for you?', 'Can I help with anything else?'];
const thanks = ["No, that's all. Thanks!", 'Great, thank you for your help.', 'Perfect, thanks a lot.', "No, that's everything."];
const goodbyes = {
  voice: [`Thank you for calling ${company}, have a great day!`, 'Thanks for calling, take care.', 'My pleasure. Have a good rest of your day.'],
  written: [`Thanks for contacting ${company}, have a great day!`, 'Glad I could help, take care!'],
};
/** Closings that skip the offer of more help or the polite goodbye. */
const curtClosings: Utterance[][] = [
  [{ speaker: 'agent', text: 'Okay, bye.' }],
  [
    { speaker: 'agent', text: 'Anything else?' },
    { speaker: 'customer', text: 'No.' },
    { speaker: 'agent', text: 'Okay. Bye.' },
  ],
  [
    { speaker: 'agent', text: `You're all set. Thank you for banking with us.` },
    { speaker: 'customer', text: 'Thanks, bye.' },
  ],
];

interface ConversationOptions {
  channel: Channel;
  topic: string;
  agentName: string;
  style: AgentStyle;
  /** Holds the contact has: the conversation is cut into one more talk phase than that. */
  holds: number;
  /** The contact goes on to another queue: the agent hands over instead of closing. */
  transfer: boolean;
}

/**
 * A conversation as its talk phases (a hold between each two). A voice agent states the recording notice before
 * the customer's details, verifies before opening the account, acknowledges worry, announces each hold, states the
 * outcome and checks it, offers more help and says goodbye; the agent's style decides what slips.
 */
export function createConversation(rng: Rng, options: ConversationOptions): Utterance[][] {
  const { style, topic } = options;
  const voice = options.channel === 'voice';
  const medium = voice ? 'voice' : 'written';
  const slips = (lapse: Lapse) => chance(rng, style.lapses[lapse]);
  const phases: Utterance[][] = [[]];
  // What one side says before the other answers is one turn, as transcription writes it.
  const say = (speaker: Utterance['speaker'], text: string) => {
    const phase = phases.at(-1)!;
    const last = phase.at(-1);
    if (last?.speaker === speaker) last.text += ` ${text}`;
    else phase.push({ speaker, text });
  };

  // Where the recording notice goes: with the greeting or after the customer's first words; a lapse puts it after
  // their details, or leaves it out.
  const notice = !voice ? 'none' : slips('disclosure') ? pick(rng, ['late', 'none'] as const) : pick(rng, ['greeting', 'early'] as const);
  const intro = pick(rng, intros[medium][slips('greeting') ? 'poor' : 'good']).replace('{name}', options.agentName);
  say('agent', [intro, notice === 'greeting' ? pick(rng, notices) : '', pick(rng, helpQuestions[medium])].filter(Boolean).join(' '));

  const feeling = chance(rng, 0.2) ? ` ${pick(rng, chance(rng, 0.3) ? customerCurses : worries)}` : '';
  say('customer', pick(rng, openers[medium]).replace('{topic}', topic) + feeling);
  const upset = feeling !== '' || worryingTopic.test(topic);
  const reply = upset && !slips('empathy') ? pick(rng, acknowledgements) : pick(rng, plainReplies);
  say('agent', notice === 'early' ? `${reply} ${pick(rng, notices)}` : reply);

  let lateNotice = notice === 'late';
  const ask = ([question, answer]: Check) => {
    say('agent', question);
    say('customer', answer(rng));
    if (lateNotice) say('agent', pick(rng, lateNotices));
    lateNotice = false;
  };
  const openAccount = () => say('agent', pick(rng, accountViews));
  const verifyThenOpen = () => {
    switch (slips('verification') ? pick(rng, ['lookup only', 'after', 'none'] as const) : pick(rng, ['secret', 'lookup', 'on file'] as const)) {
      case 'secret':
        ask(pick(rng, secretChecks));
        break;
      case 'lookup':
        ask(pick(rng, lookups));
        ask(pick(rng, secretChecks));
        break;
      case 'on file':
        ask(accountNumber);
        ask(pick(rng, onFileChecks));
        break;
      // The lapses: a lookup key proves nothing, a check once the account is open comes too late, or no check at all.
      case 'lookup only':
        ask(pick(rng, lookups));
        return openAccount();
      case 'after':
        openAccount();
        return ask(pick(rng, secretChecks));
      case 'none':
        return openAccount();
    }
    if (chance(rng, 0.5)) say('agent', pick(rng, matches));
    openAccount();
  };
  // A quarter of the contacts are general questions that need no account.
  const account = chance(rng, 0.75);
  if (account) verifyThenOpen();
  if (slips('profanity')) say('agent', pick(rng, agentCurses));

  for (let hold = 0; hold < options.holds; hold++) {
    if (slips('holdNotice')) {
      if (chance(rng, 0.5)) say('agent', pick(rng, unannounced));
    } else {
      say('agent', hold === 0 ? pick(rng, holdNotices[medium]) : holdAgain[medium]);
      if (chance(rng, 0.6)) say('customer', pick(rng, holdReplies));
    }
    phases.push([]);
    say('agent', pick(rng, resumes));
  }

  if (options.transfer) {
    say('agent', pick(rng, transfers));
    say('customer', 'Okay, thanks.');
    return phases;
  }
  say('agent', pick(rng, account ? accountOutcomes : generalOutcomes));
  if (chance(rng, 0.4)) {
    const [question, answer] = pick(rng, followUps);
    say('customer', question);
    say('agent', answer);
  }
  if (!slips('resolution')) {
    say('agent', pick(rng, resolutionChecks));
    say('customer', pick(rng, confirmations));
  }
  if (slips('closing')) {
    for (const line of pick(rng, curtClosings)) say(line.speaker, line.text);
  } else {
    say('agent', pick(rng, offers));
    say('customer', pick(rng, thanks));
    say('agent', pick(rng, goodbyes[medium]));
  }
  return phases;
}

export interface SurveyAnswer {
  csat: number;
  nps?: number;
  resolved: boolean;
}

const csatWeights = {
  happy: [0.03, 0.04, 0.1, 0.33, 0.5],
  unhappy: [0.2, 0.2, 0.25, 0.2, 0.15],
};

/** Satisfaction drops when the wait was long against the queue's threshold or the issue stayed open. */
export function createSurveyAnswer(rng: Rng, resolvedInContact: boolean, waitRatio: number): SurveyAnswer {
  const resolved = resolvedInContact ? chance(rng, 0.93) : chance(rng, 0.2);
  const weights = resolved && waitRatio < 2 ? csatWeights.happy : csatWeights.unhappy;
  const csat = pickWeighted(rng, weights) + 1;
  if (!chance(rng, 0.45)) return { csat, resolved };
  const nps = csat >= 5 ? integer(rng, 8, 10) : csat === 4 ? integer(rng, 6, 9) : csat === 3 ? integer(rng, 4, 7) : integer(rng, 0, 5);
  return { csat, nps, resolved };
}
