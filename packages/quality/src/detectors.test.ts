import { describe, expect, it } from 'vitest';
import { findIdentifiers, findProfanity, negativeWords } from './detectors.ts';

const found = (find: (text: string) => { start: number; end: number }[], text: string) => find(text).map((s) => text.slice(s.start, s.end));

describe('detectors', () => {
  it('finds codes read out a character at a time or as letters and digits, and e-mail addresses as speech recognition writes them', () => {
    expect(found(findIdentifiers, 'Hi, the reference I have is K X 7 P 2 Q.')).toEqual(['K X 7 P 2 Q']);
    expect(found(findIdentifiers, 'it was x y z one two three')).toEqual(['x y z one two three']);
    expect(found(findIdentifiers, "Yeah, my membership number's CF20331 and I want to cancel.")).toEqual(['CF20331']);
    expect(found(findIdentifiers, "my account's jake dot moreau at gmail dot com")).toEqual(['jake dot moreau at gmail dot com']);
    expect(found(findIdentifiers, "I'll be there at nine, it's a 4G router on the 20 GB plan")).toEqual([]);
  });

  it('reads billing words and a bare "no" as no feeling', () => {
    expect(negativeWords('Hi, I got charged twice this month.').score).toBe(0);
    expect(negativeWords('Ha, no problem.').score).toBeGreaterThan(-3);
    // Reassurance, not worry; the same words said plainly still count.
    expect(negativeWords('No worries, take your time.')).toEqual({ score: 0, spans: [] });
    expect(negativeWords("Not a problem at all, it's fine.").score).toBe(0);
    expect(negativeWords("I'm really worried about these problems.").spans.length).toBeGreaterThan(0);
    expect(negativeWords('No, this is terrible.').score).toBeLessThanOrEqual(-3);
  });

  it('counts mild swearing whose letters repeat, and abbreviations, but not words that hold them', () => {
    expect(found(findProfanity, 'Yeah, the sodding padlock goes first.')).toEqual(['sodding']);
    expect(found(findProfanity, 'ffs sorry, dammit, wrong order')).toEqual(['ffs', 'dammit']);
    expect(found(findProfanity, 'Our staff can offset the effective rate.')).toEqual([]);
  });
});
