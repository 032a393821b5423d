import { describe, expect, it } from 'vitest';
import { compilePhrase, findPhrases, isNegated, PhrasePatternError } from './phrases.ts';

const words = (pattern: string, text: string) => findPhrases(text, [compilePhrase(pattern)]).map((s) => text.slice(s.start, s.end));

describe('phrase patterns', () => {
  it('matches words across punctuation, case, curly apostrophes and speech-recognition hesitations', () => {
    expect(words("you're through to *", 'Hello, YOU’RE through to Priya.')).toEqual(['YOU’RE through to Priya']);
    expect(words("you're through to *", 'youre through to dan')).toEqual(['youre through to dan']);
    expect(words('this call [is|may be] ~ recorded', 'this call may be, um, recorded for training')).toEqual(['this call may be, um, recorded']);
    expect(words('put you on [a|] [brief|quick]? hold', 'can I put you on hold? I will put you on a quick hold')).toEqual([
      'put you on hold',
      'put you on a quick hold',
    ]);
    expect(words('apologi- for', 'I do apologize for that, apologies for the wait')).toEqual(['apologize for', 'apologies for']);
    expect(words('[good|] morning', 'Morning! Good morning')).toEqual(['Morning', 'Good morning']);
    expect(words('last [four|4] digits #', 'the last 4 digits 1234 please')).toEqual(['last 4 digits 1234']);
  });

  it('keeps to word boundaries and reports UTF-16 offsets into the text as stored', () => {
    expect(words('hell', 'hello, shell')).toEqual([]);
    const text = '👋 hi, thanks for calling';
    const [span] = findPhrases(text, [compilePhrase('thanks for calling')]);
    expect(span).toEqual({ start: 7, end: 25 });
    expect(text.slice(span!.start, span!.end)).toBe('thanks for calling');
  });

  it('sees negation inside a match or just before it', () => {
    const text = 'This call is not being recorded. Calls are recorded.';
    const spans = findPhrases(text, [compilePhrase('[call|calls] ~ recorded')]);
    expect(spans.map((s) => isNegated(text, s))).toEqual([true, false]);
  });

  it('ends a question at its question mark, or at the end of a turn written with no punctuation', () => {
    expect(words('[that|this] [ok|okay] ?', 'Booked for Friday. That okay? Great.')).toEqual(['That okay']);
    expect(words('[that|this] [ok|okay] ?', 'booked for friday that okay')).toEqual(['that okay']);
    expect(words('[that|this] [ok|okay] ?', 'That okay. Booked for Friday.')).toEqual([]);
  });

  it('keeps a gap of words in one sentence, and reads currency signs and decimal points inside it', () => {
    expect(words('anyone ~ can', 'It would make anyone uneasy. Can I take your number?')).toEqual([]);
    expect(words('anyone ~ can', 'anyone with a login can do it')).toEqual(['anyone with a login can']);
    expect(words("there's ~ outstanding", "There's £642.18 outstanding.")).toEqual(["There's £642.18 outstanding"]);
  });

  it('takes no set phrase for a negation: "no worries", "oh no"', () => {
    const negated = (text: string, pattern: string) => findPhrases(text, [compilePhrase(pattern)]).map((s) => isNegated(text, s));
    expect(negated('no worries anything else i can do for you', 'anything else')).toEqual([false]);
    expect(negated("oh no that's really stressful", "that's ~ stressful")).toEqual([false]);
    expect(negated("That's not stressful at all.", "that's ~ stressful")).toEqual([true]);
  });

  it('refuses patterns that cannot work, saying why', () => {
    expect(() => compilePhrase('[a|b')).toThrow(PhrasePatternError);
    expect(() => compilePhrase('a]')).toThrow('a ] without its [');
    expect(() => compilePhrase('~ hold')).toThrow('a gap (~) goes between words');
    expect(() => compilePhrase('[|]')).toThrow('an empty group');
    expect(() => compilePhrase('  ')).toThrow('an empty phrase');
    expect(() => compilePhrase('a[b|c]')).toThrow('mixes a group with a word');
    expect(() => compilePhrase('okay ? now')).toThrow("? (a question's end) goes last");
  });
});
