import type { Channel } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { createAgentStyle, createConversation, type AgentStyle, type Utterance } from './content.ts';
import { demoCenter } from './demo-center.ts';
import { createRng } from './rng.ts';

const withLapses = (rate: number): AgentStyle => ({
  lapses: Object.fromEntries(Object.keys(createAgentStyle('any').lapses).map((lapse) => [lapse, rate])) as AgentStyle['lapses'],
});
const careful = withLapses(0);
const careless = withLapses(1);

const topics = ['a payment that has not arrived', 'lost or stolen card', 'refinancing', 'my statement'];

function createMany(style: AgentStyle, channel: Channel, holds = 0, n = 300): Utterance[][][] {
  const rng = createRng(5, holds);
  return Array.from({ length: n }, (_, i) =>
    createConversation(rng, { channel, topic: topics[i % topics.length]!, agentName: 'Priya', style, holds, transfer: false }),
  );
}

const notice = /recorded|monitored/;
const holdNotice = /on (a short )?hold|holding for|moment|few minutes/;
/** What a customer says that identifies them: numbers, e-mail addresses, a memorable word. */
const customerDetail = /\d{4}|@|memorable word is/;
const accountOpened = /your account\b(?! number)|your recent transactions/;
const swearing = /\b(damn|bloody|hell)\b/i;

describe('agent styles', () => {
  const styles = demoCenter.agents.map((a) => createAgentStyle(a.id));
  const total = (s: AgentStyle) => Object.values(s.lapses).reduce((a, b) => a + b, 0);

  it('gives each agent the same style whatever else is generated', () => {
    expect([...demoCenter.agents].reverse().map((a) => createAgentStyle(a.id))).toEqual([...styles].reverse());
    expect(new Set(styles.map((s) => JSON.stringify(s))).size).toBe(styles.length);
  });

  it('makes a few agents diligent, most mostly fine and a few sloppy', () => {
    const diligent = styles.filter((s) => total(s) < 0.2).length;
    const sloppy = styles.filter((s) => total(s) > 1).length;
    expect(diligent).toBeGreaterThanOrEqual(6);
    expect(diligent).toBeLessThanOrEqual(30);
    expect(sloppy).toBeGreaterThanOrEqual(6);
    expect(sloppy).toBeLessThanOrEqual(30);
    expect(styles.length - diligent - sloppy).toBeGreaterThan(styles.length / 2);
  });
});

describe('createConversation', () => {
  it('gives the same conversation from the same stream', () => {
    const options = { channel: 'voice', topic: 'my statement', agentName: 'Priya', style: createAgentStyle('agent-001'), holds: 1, transfer: false } as const;
    expect(createConversation(createRng(9), options)).toEqual(createConversation(createRng(9), options));
  });

  it('cuts the conversation at each hold and announces the hold just before it, unless the agent lets it slip', () => {
    for (const holds of [0, 1, 2]) {
      for (const [style, announced] of [
        [careful, true],
        [careless, false],
      ] as const) {
        for (const phases of createMany(style, 'voice', holds, 50)) {
          expect(phases).toHaveLength(holds + 1);
          expect(phases.every((lines) => lines.length > 0)).toBe(true);
          for (const lines of phases.slice(0, -1)) expect(lines.slice(-2).some((l) => holdNotice.test(l.text))).toBe(announced);
        }
      }
    }
  });

  it('states the recording notice on voice before the customer gives details, and never in writing', () => {
    const firstIndex = (lines: Utterance[], speaker: Utterance['speaker'], pattern: RegExp) => {
      const i = lines.findIndex((l) => l.speaker === speaker && pattern.test(l.text));
      return i < 0 ? Infinity : i;
    };
    for (const [lines] of createMany(careful, 'voice'))
      expect(firstIndex(lines!, 'agent', notice)).toBeLessThan(firstIndex(lines!, 'customer', customerDetail));
    const late = createMany(careless, 'voice').filter(([lines]) => firstIndex(lines!, 'agent', notice) < firstIndex(lines!, 'customer', customerDetail));
    expect(late).toEqual([]);
    expect(
      createMany(careful, 'chat')
        .flat(2)
        .some((l) => notice.test(l.text)),
    ).toBe(false);
  });

  it('verifies the customer before opening the account, unless the agent lets it slip', () => {
    const verifiedFirst = (conversations: Utterance[][][]) =>
      conversations
        .map(([lines]) => lines!)
        .filter((lines) => lines.some((l) => l.speaker === 'agent' && accountOpened.test(l.text)))
        .map((lines) => {
          const opened = lines.findIndex((l) => l.speaker === 'agent' && accountOpened.test(l.text));
          return lines.slice(0, opened).some((l) => l.speaker === 'customer' && customerDetail.test(l.text));
        });
    const checked = verifiedFirst(createMany(careful, 'chat'));
    expect(checked.length).toBeGreaterThan(150);
    expect(checked.every(Boolean)).toBe(true);
    // A lookup key alone is a detail given first, yet it verifies nothing: only the other lapses show here.
    const unchecked = verifiedFirst(createMany(careless, 'chat'));
    expect(unchecked.filter((first) => !first).length / unchecked.length).toBeGreaterThan(0.5);
  });

  it('lets customers swear without making the agent swear, and a careless agent swears', () => {
    const lines = createMany(careful, 'voice').flat(2);
    expect(lines.some((l) => l.speaker === 'customer' && swearing.test(l.text))).toBe(true);
    expect(lines.some((l) => l.speaker === 'agent' && swearing.test(l.text))).toBe(false);
    expect(createMany(careless, 'voice', 0, 20).every((c) => c.flat().some((l) => l.speaker === 'agent' && swearing.test(l.text)))).toBe(true);
  });

  it('keeps card numbers, e-mail addresses and phone numbers in customer turns, for the redactor', () => {
    const customer = createMany(withLapses(0.1), 'voice', 0, 600)
      .flat(2)
      .filter((l) => l.speaker === 'customer')
      .map((l) => l.text);
    expect(customer.some((t) => /\b\d{4} \d{4} \d{4} \d{4}\b/.test(t))).toBe(true);
    expect(customer.some((t) => /@example\.com/.test(t))).toBe(true);
    expect(customer.some((t) => /555[- ]\d{4}/.test(t))).toBe(true);
  });
});
