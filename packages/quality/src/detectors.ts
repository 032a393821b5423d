import { DataSet, englishDataset, englishRecommendedTransformers, pattern, RegExpMatcher } from 'obscenity';
import Sentiment from 'sentiment';
import stopwords from 'stopwords-en/stopwords-en.json' with { type: 'json' };
import { findPhrases, isNegated, type Span } from './phrases.ts';
import { compilePhrase } from './phrases.ts';

/**
 * Detectors that answer more than a phrase list can: personal details a customer gives, how negative a turn is
 * (the AFINN-165 lexicon through `sentiment`, which also turns a negated word around), and profanity (obscenity's
 * English set, which sees through spacing and symbols and leaves "Scunthorpe" alone).
 */

const sentiment = new Sentiment();

// AFINN words that carry no feeling in a contact centre: "charged" is billing, not "emotionally charged"; "no" answers.
const neutral = new Set(['charge', 'charged', 'charges', 'no']);
// Set phrases that say all is well with a negative word in them ("no worries, take your time"): blanked, same length.
const reassurances = /\b(?:no|not a) (?:worries|worry|problem|problems|bother)\b/giu;

/**
 * How negative a turn is — the sum of its negative words' AFINN valences (a negated positive word counts as
 * negative; positive words do not offset: "I'm kind of freaking out, like" is no calmer for "kind" and "like") —
 * and where those words are.
 */

export function negativeWords(text: string): { score: number; spans: Span[] } {
  const read = text.replace(reassurances, (m) => ' '.repeat(m.length));
  const result = sentiment.analyze(read);
  const values = result.calculation.flatMap((entry) => Object.entries(entry)).filter(([word]) => !neutral.has(word));
  const negative = new Set(values.flatMap(([word, value]) => (value < 0 ? [word] : [])));
  const score = values.reduce((sum, [, value]) => sum + Math.min(0, value), 0);
  const spans: Span[] = [];
  if (negative.size > 0) {
    for (const m of read.matchAll(/[\p{L}'’]+/gu))
      if (negative.has(m[0].toLowerCase().replace(/’/g, "'"))) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return { score, spans };
}

// Anatomy is a clinic's vocabulary, not abuse; obscenity's set would flag it.
const clinical = new Set(['penis', 'vagina', 'sex', 'anal', 'anus']);
// Mild profanity obscenity's set leaves out, British and American, which a quality form still counts. Spelt as
// obscenity sees the text: it collapses repeated letters other than b, e, o, l, s and g ("sodding" is read "soding").
const mild = [
  'damn',
  'damit',
  'godamn',
  'crap',
  'crappy',
  'bloody',
  'bugger',
  'arse',
  'piss',
  'pissed',
  'bollocks',
  'sod off',
  'soding',
  'efing',
  'frigging',
  'friging',
  'frigin',
  'fricking',
  'frickin',
  'feck',
  'bleedin',
  'buga',
  'bugah',
  'the hell',
  'hell of',
  'bloody hell',
  'jesus christ',
  'christ almighty',
  "for god's sake",
  "for christ's sake",
  'son of a b',
  // Abbreviations stand for the words: "wtf", "ffs" (read "fs"), "stfu".
  'wtf',
  'fs',
  'stfu',
  // "Sweet FA": sweet f*** all.
  'sweet fa',
];
const profanity = (() => {
  const data = new DataSet<{ originalWord: string }>().addAll(englishDataset).removePhrasesIf((p) => clinical.has(p.metadata?.originalWord ?? ''));
  for (const word of mild) data.addPhrase((phrase) => phrase.setMetadata({ originalWord: word }).addPattern(pattern`|${word}|`));
  return new RegExpMatcher({ ...data.build(), ...englishRecommendedTransformers });
})();

/** A word with letters masked by asterisks ("f***", "sh*tty"): transcription services and people censor swearing so. */
const masked = /[\p{L}]+\*+[\p{L}*]*|\b[\p{L}]\*{2,}/gu;

// Between two turns searched as one text: two different characters, which no pattern's single wildcard can span and
// the duplicate-collapsing transformer leaves apart.
const turnBreak = '\n|\n';

/**
 * Profanity in each of several turns. They are searched as one text, as the matcher runs each of its ~150 patterns
 * over whatever it is given: once per conversation instead of once per turn.
 */
export function findProfanityIn(texts: readonly string[]): Span[][] {
  const starts: number[] = [];
  let joined = '';
  for (const text of texts) {
    starts.push(joined.length + (joined === '' ? 0 : turnBreak.length));
    joined += (joined === '' ? '' : turnBreak) + text;
  }
  const spans = [
    ...profanity.getAllMatches(joined, true).map((m) => ({ start: m.startIndex, end: m.endIndex + 1 })),
    ...[...joined.matchAll(masked)].map((m) => ({ start: m.index, end: m.index + m[0].length })),
  ]
    .sort((a, b) => a.start - b.start)
    .filter((s, i, all) => !all.slice(0, i).some((o) => s.start < o.end && o.start < s.end));
  const out = texts.map((): Span[] => []);
  for (const span of spans) {
    const turn = starts.findLastIndex((start) => start <= span.start);
    if (span.end <= starts[turn]! + texts[turn]!.length) out[turn]!.push({ start: span.start - starts[turn]!, end: span.end - starts[turn]! });
  }
  return out;
}

export const findProfanity = (text: string): Span[] => findProfanityIn([text])[0]!;

const months = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const ordinals =
  'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first';
const spokenDigits = String.raw`(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double \w+)[\s,-]+){3,}(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)`;
// A code read out a character at a time: "K X 7 P 2 Q", "x y z one two three".
const spelledCharacter = String.raw`(?:\p{L}|\d|zero|oh|one|two|three|four|five|six|seven|eight|nine)`;

/**
 * Personal details as customers give them: numbers of four digits or more (not sums of money: "20 minutes" and
 * "£150" are not identifiers), dates, postcodes and ZIP codes, e-mail addresses, digits spelt out.
 */
const identifierPatterns: RegExp[] = [
  /(?<![£$€\d.,])\b(?:\d[ -]?){3,}\d\b/gu,
  /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/gu,
  new RegExp(String.raw`\b(?:\d{1,2}(?:st|nd|rd|th)?|${ordinals})(?: of)? (?:${months})\b`, 'giu'),
  new RegExp(String.raw`\b(?:${months}) (?:\d{1,2}(?:st|nd|rd|th)?|${ordinals})\b`, 'giu'),
  /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/giu,
  /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/gu,
  // An e-mail address as speech recognition writes it: "jake dot moreau at gmail dot com".
  // (Bounded: a long run of "dot" words cannot make the engine retry it from every word.)
  /\b[\p{L}\d_-]+(?: dot [\p{L}\d_-]+){0,3} at [\p{L}\d-]+(?: dot [\p{L}\d-]+){1,3}\b/giu,
  // What ingest's redaction leaves in place of an identifier the customer gave.
  /\[(?:email|phone|card|ssn|iban|cvv|expiry)\]/gu,
  new RegExp(String.raw`\b${spokenDigits}\b`, 'giu'),
  new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${spelledCharacter}[\s,-]+){4,}${spelledCharacter}(?![\p{L}\p{N}])`, 'giu'),
  // Letters then digits: membership, booking and order codes ("CF20331", "KS-20931").
  /\b[A-Z]{1,4}-?\d{3,}[A-Z\d]*\b/giu,
];
const identifierPhrases = [
  "[my|the] [date of birth|dob|birthday|postcode|post code|zip|zip code|address|account number|card number|sort code|member number|policy number|reference number|booking reference|reference|customer number|membership number|order number|confirmation number|confirmation code|tracking number|social security number|social|ssn|pin|password|passcode|security answer|maiden name|mothers maiden name|memorable word|first line] [is|was|it's|its]",
  'born [on|in]',
  "[it's|its|that's] [spelt|spelled]",
].map(compilePhrase);

export function findIdentifiers(text: string): Span[] {
  const spans: Span[] = [];
  for (const regex of identifierPatterns) for (const m of text.matchAll(regex)) spans.push({ start: m.index, end: m.index + m[0].length });
  spans.push(...findPhrases(text, identifierPhrases).filter((s) => !isNegated(text, s)));
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return spans.filter((s, i) => !spans.slice(0, i).some((o) => s.start < o.end && o.start < s.end));
}

// Words that follow "this is" or "my name's" without being a name, beyond the stop words.
// Departments are not the company's name ("Hello, customer services", "Morning, council tax").
const notNames = new Set([
  ...stopwords,
  ...['happy', 'afraid', 'glad', 'delighted', 'pleased', 'calling', 'speaking', 'checking', 'helping', 'unable', 'regarding', 'concerning', 'sorry'],
  ...['customer', 'customers', 'team', 'services', 'service', 'department', 'desk', 'line', 'support', 'helpdesk', 'helpline', 'outpatients', 'appointments'],
  ...['deliveries', 'delivery', 'repairs', 'accounts', 'billing', 'claims', 'sales', 'reception', 'bookings', 'booking', 'enquiries', 'inquiries', 'council'],
  ...['member', 'members', 'rewards', 'highways', 'admissions', 'payments', 'collections', 'returns', 'orders', 'technical', 'tech', 'care', 'relations'],
  ...['there', 'sir', 'madam', 'maam', "ma'am", 'mate', 'folks', 'everyone', 'again', 'thanks', 'yes', 'yeah', 'ok', 'okay', 'um', 'uh', 'sorry'],
]);

// Words that introduce the name before them: "Bethan speaking", "Declan here".
const afterName = /[\p{L}'’-]+(?=[\s,.-]+(?:speaking|here)$)|[\p{L}'’-]+$/iu;

/**
 * Whether the last word of a match could be a name (or a company's) — or the word before a closing "speaking" or
 * "here" — not a common English word nor a department ("type it in here"), and capitalised when the text uses
 * capitals at all (speech recognition that writes everything in lower case cannot tell "Bayside Dental" from "lost
 * property").
 */
export function endsWithName(text: string, span: Span): boolean {
  const word = afterName.exec(text.slice(span.start, span.end))?.[0];
  if (word === undefined || notNames.has(word.toLowerCase().replace(/’/g, "'"))) return false;
  return text === text.toLowerCase() || /^\p{Lu}/u.test(word);
}
