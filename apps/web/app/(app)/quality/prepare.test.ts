import { describe, expect, it } from 'vitest';
import { agreementClass, describeEvidence, describeTargets, interleave, needsReason, piecesOf } from './prepare';

describe('piecesOf', () => {
  it('cuts a segment at every evidence boundary and names the questions covering each run', () => {
    const text = 'Hello, this is Sam at Acme, how can I help?';
    const pieces = piecesOf(text, [
      { start: 0, end: 5, question: 'greeting' },
      { start: 15, end: 26, question: 'greeting' },
      { start: 22, end: 26, question: 'closing' },
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.filter((p) => p.questions.length > 0).map((p) => [p.text, p.questions])).toEqual([
      ['Hello', ['greeting']],
      ['Sam at ', ['greeting']],
      ['Acme', ['greeting', 'closing']],
    ]);
  });

  it('clips spans past the text and ignores empty ones', () => {
    expect(piecesOf('abc', [{ start: 2, end: 99, question: 'q' }]).map((p) => [p.text, p.questions])).toEqual([
      ['ab', []],
      ['c', ['q']],
    ]);
    expect(piecesOf('', [{ start: 0, end: 3, question: 'q' }])).toEqual([{ text: '', start: 0, questions: [] }]);
  });

  it('keeps UTF-16 offsets as the scorer gives them (an emoji is two units)', () => {
    expect(piecesOf('ok 👍 thanks', [{ start: 6, end: 12, question: 'closing' }]).at(-1)).toEqual({ text: 'thanks', start: 6, questions: ['closing'] });
  });
});

describe('evidence and overrides', () => {
  const view = {
    transcript: [{ speaker: 'agent' as const, start_ms: 0, end_ms: 1, text: 'Good morning, Acme Bank' }],
    holds: [{ start_ms: 1000, end_ms: 46_000 }],
  };
  it('describes the words, holds and events cited', () => {
    expect(describeEvidence({ segment_index: 0, start: 14, end: 23 }, view)).toBe('Turn 1: “Acme Bank”');
    expect(describeEvidence({ hold_index: 0 }, view)).toBe('Hold 1 (45 s)');
    expect(describeEvidence({ event: 'interaction.transferred' }, view)).toBe('Event: interaction.transferred');
  });
  it('asks for a reason only when a machine answer is changed', () => {
    expect(needsReason({ machineAnswer: 'no' }, 'yes')).toBe(true);
    expect(needsReason({ machineAnswer: 'no' }, 'no')).toBe(false);
    expect(needsReason({ machineAnswer: null }, 'yes')).toBe(false);
  });
});

describe('interleave', () => {
  it('puts each hold before the first turn that starts after it began, and late holds last', () => {
    const turns = [{ start_ms: 0 }, { start_ms: 5_000 }, { start_ms: 60_000 }];
    expect(interleave(turns, [{ start_ms: 70_000 }, { start_ms: 8_000 }])).toEqual([
      { kind: 'segment', index: 0 },
      { kind: 'segment', index: 1 },
      { kind: 'hold', index: 1 },
      { kind: 'segment', index: 2 },
      { kind: 'hold', index: 0 },
    ]);
  });
});

describe('agreementClass', () => {
  const styles = { agreeGood: 'g', agreeWeak: 'w', agreeBad: 'b' };
  it('holds kappa to 0.8, calls 0.6–0.8 weak and below that bad', () => {
    expect([0.8, 0.79, 0.6, 0.59, null].map((k) => agreementClass(k, styles))).toEqual(['g', 'w', 'w', 'b', '']);
  });
});

describe('describeTargets', () => {
  it('names each targeted condition, or none', () => {
    expect(describeTargets({ transfer: true, csatAtMost: 2, endedOnHold: true })).toBe('transfers, hung up on hold, CSAT ≤ 2');
    expect(describeTargets({})).toBe('none');
  });
});
