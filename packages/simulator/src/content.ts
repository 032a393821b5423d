import type { Channel } from '@switchboard/contracts';
import { chance, integer, pick, pickWeighted, type Rng } from './rng.ts';

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

const openers: Record<'voice' | 'written', readonly string[]> = {
  voice: ["Hi, I'm calling about {topic}.", 'Hello, I need some help with {topic}.', 'Yes, hi. It is about {topic}.'],
  written: ['Hi, I need help with {topic}.', 'Hello! Question about {topic}.', 'Hi there, {topic} please.'],
};

const verifyAsks = [
  'Can you confirm the email address on the account?',
  'For security, could you give me the phone number we have on file?',
  'Could you read me the card number so I can find the account?',
];

const workTurns = [
  'Thanks, I can see the account now. Give me a moment to look into this.',
  "I've checked the history and I can fix that for you right away.",
  'I understand, that is frustrating. Let me see what I can do.',
  "I've made the change; you should see it within one business day.",
];

const followUps = ['Will I get a confirmation?', 'How long will that take?', 'Is there a fee for that?', 'Can you also check my last statement?'];

const closings = [
  'Is there anything else I can help you with today?',
  "You're all set. Thank you for banking with us.",
  'I have noted everything on your file. Have a great day!',
];

const thanks = ["No, that's all. Thanks!", 'Great, thank you for your help.', 'Perfect, thanks a lot.'];

/** A short conversation of 4–8 turns; opening and closing always present, middle turns vary. */
export function createConversation(rng: Rng, channel: Channel, topic: string, agentFirstName: string): Utterance[] {
  const written = channel !== 'voice';
  const lines: Utterance[] = [
    {
      speaker: 'agent',
      text: written ? `Hi, this is ${agentFirstName}. How can I help you today?` : `Thank you for calling, my name is ${agentFirstName}. How can I help you?`,
    },
    { speaker: 'customer', text: pick(rng, openers[written ? 'written' : 'voice']).replace('{topic}', topic) },
  ];
  if (chance(rng, 0.6)) {
    const ask = integer(rng, 0, verifyAsks.length - 1);
    lines.push({ speaker: 'agent', text: verifyAsks[ask]! });
    const answer = ask === 0 ? `Sure, it's ${fakeEmail(rng)}.` : ask === 1 ? `It's ${fakePhone(rng)}.` : `It's ${pick(rng, testCards)}.`;
    lines.push({ speaker: 'customer', text: answer });
  }
  lines.push({ speaker: 'agent', text: pick(rng, workTurns) });
  if (chance(rng, 0.4)) lines.push({ speaker: 'customer', text: pick(rng, followUps) });
  lines.push({ speaker: 'agent', text: pick(rng, closings) });
  if (chance(rng, 0.7)) lines.push({ speaker: 'customer', text: pick(rng, thanks) });
  return lines;
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
