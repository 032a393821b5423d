/**
 * Phrase patterns: how a form's rules say what words to look for, compiled to regular expressions that match the
 * stored text as written (offsets are JavaScript string indices into it, so evidence can be highlighted there).
 *
 * A pattern is words separated by spaces, matched case-insensitively on word boundaries, with any run of spaces and
 * punctuation between two words (and the hesitations speech recognition writes: "um", "uh", "er"):
 * - `[a|b c|d]`: one of the alternatives (each may be several words); `[a|b|]` may also be nothing;
 * - `word?`: the word may be left out;
 * - `*`: any one word; `~`: up to four words (a gap) within one sentence;
 * - `'` in a word also matches ’ or nothing ("you're", "you’re", "youre");
 * - `#`: a number (digits, with spaces or dashes inside);
 * - `^` first: the phrase starts a turn or a sentence;
 * - `?` alone, last: the phrase ends a question — a question mark follows, or the turn ends (speech recognition
 *   writes no question marks): "Sound good?", "that okay";
 * - a word ending in `-`: any word beginning so (`apologi-` matches apologise, apologize, apologies), and one
 *   starting with `-` any word ending so (`-ed`).
 */

export class PhrasePatternError extends Error {}

// Currency signs count as punctuation, so "£642.18 outstanding" is words and numbers like "642 outstanding".
const gap = String.raw`[\s,.;:!?…"()£$€₹-]+`;
// Between two words: spaces and punctuation, and any hesitations among them. Written so each character can match
// one way only: nested repetition ("(gap um)* gap") made the engine try every split of a run of spaces.
const separator = String.raw`${gap}(?:(?:um+|uh+|er+|erm+|hmm+)${gap})*`;
// A gap of words (`~`) stays in its sentence: "anyone ~ can" is not "…make anyone uneasy. Can I take…". Its words
// may hold full stops that end nothing: "£642.18", "192.168.1.1".
const clauseGap = String.raw`[\s,;:"()£$€₹-]+`;
const clauseSeparator = String.raw`${clauseGap}(?:(?:um+|uh+|er+|erm+|hmm+)${clauseGap})*`;
const gapWord = String.raw`[\p{L}\p{N}'’]+(?:\.[\p{L}\p{N}]+)*`;

function escapeWord(word: string): string {
  if (word === '*') return String.raw`[\p{L}\p{N}'’]+`;
  if (word === '#') return String.raw`(?:\d[\d -]*\d|\d)`;
  if (word.startsWith('-') && word.length > 1) return String.raw`[\p{L}'’]+${escapeWord(word.slice(1))}`;
  const prefix = word.endsWith('-') && word.length > 1;
  const body = (prefix ? word.slice(0, -1) : word)
    .split('')
    .map((c) => (c === "'" ? "['’]?" : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return prefix ? String.raw`${body}[\p{L}'’]*` : body;
}

/** Splits a pattern into top-level tokens: words and bracketed alternative groups (which may nest). */
function tokenize(pattern: string): string[] {
  const tokens: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of pattern.trim()) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (depth < 0) throw new PhrasePatternError(`"${pattern}": a ] without its [`);
    if (c === ' ' && depth === 0) {
      if (current) tokens.push(current);
      current = '';
    } else current += c;
  }
  if (depth !== 0) throw new PhrasePatternError(`"${pattern}": a [ without its ]`);
  if (current) tokens.push(current);
  return tokens;
}

/** Alternatives of a group's body at its top level. */
function splitAlternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of body) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === '|' && depth === 0) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/** A sequence of tokens as a regex source; `optional[i]`: token i may be absent (with the gap before it). */
function sequence(pattern: string): string {
  const tokens = tokenize(pattern);
  if (tokens.length === 0) throw new PhrasePatternError(`"${pattern}": an empty phrase`);
  if (tokens[0] === '~' || tokens.at(-1) === '~') throw new PhrasePatternError(`"${pattern}": a gap (~) goes between words`);
  const parts = tokens.map((token, i) => {
    if (token === '^') {
      if (i !== 0) throw new PhrasePatternError(`"${pattern}": ^ (a sentence's start) goes first`);
      return { source: String.raw`(?<=^[\s"(]*|[.!?…]\s*)`, optional: false, isGap: true, anchor: true };
    }
    if (token === '?') {
      if (i !== tokens.length - 1 || i === 0) throw new PhrasePatternError(`"${pattern}": ? (a question's end) goes last, after words`);
      return { source: String.raw`(?=[\s"'’)]*(?:\?|$))`, optional: false, isGap: true, anchor: false };
    }
    if (token === '~') return { source: String.raw`(?:${clauseSeparator}${gapWord}){0,4}`, optional: false, isGap: true, anchor: false, inSentence: true };
    const optional = token.endsWith('?') && token.length > 1;
    const bare = optional ? token.slice(0, -1) : token;
    let source: string;
    let empty = false;
    if (bare.startsWith('[') && bare.endsWith(']')) {
      const alternatives = splitAlternatives(bare.slice(1, -1));
      empty = alternatives.some((a) => a.trim() === '');
      const filled = alternatives.filter((a) => a.trim() !== '');
      if (filled.length === 0) throw new PhrasePatternError(`"${pattern}": an empty group`);
      source = `(?:${filled.map(sequence).join('|')})`;
    } else if (/[[\]|]/.test(bare)) throw new PhrasePatternError(`"${pattern}": "${bare}" mixes a group with a word`);
    else source = escapeWord(bare);
    return { source, optional: optional || empty, isGap: false, anchor: false };
  });
  // A word carries the separator before it, so a word left out takes its separator with it; words that may be
  // left out at the start carry the one after them instead.
  let out = '';
  let leading = true;
  parts.forEach((part, i) => {
    if (leading && part.optional && i < parts.length - 1) {
      out += `(?:${part.source}${separator})?`;
      return;
    }
    const before = parts[i - 1]?.inSentence ? clauseSeparator : separator;
    const piece = part.isGap || leading ? part.source : `${before}${part.source}`;
    leading &&= part.anchor === true;
    out += part.optional ? `(?:${piece})?` : piece;
  });
  return out;
}

export interface CompiledPhrase {
  pattern: string;
  regex: RegExp;
  /** Words the text must hold for the phrase to have a chance (all of them), so most turns skip the regex. */
  required: Need[];
}

/**
 * A word a phrase cannot match without: a plain word is looked up among the starts of the turn's words (a set built
 * once per turn, so hundreds of phrases cost a few lookups each); a suffix, or a word with punctuation inside, is
 * searched for; a group needs all the words of one of its alternatives.
 */
type Need = { word: string } | { search: RegExp } | { anyOf: Need[][] };

// Lower case without apostrophes ("you’re" is "youre") or underscores, which \b would take for letters.
const plain = (text: string) => text.toLowerCase().replace(/['’]/g, '').replace(/_/g, ' ');

/**
 * What a token needs the plain text to hold, or null when it can match without any word (a wildcard, a number, a
 * group that may be empty). A word must start where a word starts; its end is left open, as an apostrophe the plain
 * text drops may follow it ("you" in "you're").
 */
function needOfToken(token: string): Need | null {
  if (token.endsWith('?') && token.length > 1) return null;
  if (token.startsWith('[') && token.endsWith(']')) {
    const alternatives = splitAlternatives(token.slice(1, -1)).map(needsOf);
    return alternatives.some((needs) => needs.length === 0) ? null : { anyOf: alternatives };
  }
  if (token === '*' || token === '#' || token === '~' || token === '^' || token === '?') return null;
  const suffix = token.startsWith('-');
  const word = plain(suffix ? token.slice(1) : token.endsWith('-') ? token.slice(0, -1) : token);
  if (word === '') return null;
  if (!suffix && /^[a-z0-9]+$/.test(word)) return { word };
  const literal = word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return { search: new RegExp(suffix || !/^\w/.test(word) ? literal : String.raw`\b${literal}`) };
}

const needsOf = (pattern: string): Need[] => tokenize(pattern).flatMap((token) => needOfToken(token) ?? []);

export function compilePhrase(pattern: string): CompiledPhrase {
  const source = sequence(pattern);
  let regex: RegExp;
  try {
    regex = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${source})(?![\p{L}\p{N}])`, 'giu');
  } catch (error) {
    throw new PhrasePatternError(`"${pattern}": ${(error as Error).message}`);
  }
  if (regex.test('')) throw new PhrasePatternError(`"${pattern}" matches nothing at all, so it would match everywhere`);
  return { pattern, regex, required: needsOf(pattern) };
}

export interface Span {
  start: number;
  end: number;
}

/** A turn as the prefilter reads it: its plain form and every start of each of its words. */
interface TurnIndex {
  plain: string;
  starts: Set<string>;
}

function indexOf(text: string): TurnIndex {
  const p = plain(text);
  const starts = new Set<string>();
  for (const word of p.match(/[a-z0-9]+/g) ?? []) for (let n = 1; n <= word.length; n++) starts.add(word.slice(0, n));
  return { plain: p, starts };
}

// Every phrase of every question asks about the same few turns: their indexes are kept for the conversation's
// scoring (and dropped wholesale once many conversations have passed).
const indexes = new Map<string, TurnIndex>();
const turnIndex = (text: string) => {
  let index = indexes.get(text);
  if (!index) {
    if (indexes.size >= 1_000) indexes.clear();
    indexes.set(text, (index = indexOf(text)));
  }
  return index;
};

const holds = (need: Need, turn: TurnIndex): boolean =>
  'word' in need ? turn.starts.has(need.word) : 'search' in need ? need.search.test(turn.plain) : need.anyOf.some((all) => all.every((n) => holds(n, turn)));

/** Every match of each of the phrases in `text`, phrase by phrase (matches of different phrases may overlap). */
export function matchPhrases(text: string, phrases: readonly CompiledPhrase[]): Span[] {
  const found: Span[] = [];
  const turn = turnIndex(text);
  for (const phrase of phrases) {
    if (!phrase.required.every((need) => holds(need, turn))) continue;
    const { regex } = phrase;
    regex.lastIndex = 0;
    for (const m of text.matchAll(regex)) {
      let end = m.index + m[0].length;
      // A trailing gap or hesitation belongs to no word of the phrase.
      while (end > m.index && /[\s,.;:!?…"()£$€₹-]/.test(text[end - 1]!)) end--;
      found.push({ start: m.index, end });
    }
  }
  return found;
}

/** Every non-overlapping match of any of the phrases in `text`, in text order. */
export const findPhrases = (text: string, phrases: readonly CompiledPhrase[]): Span[] => withoutOverlaps(matchPhrases(text, phrases));

/** Spans in text order, each dropped that overlaps an earlier (or, at the same start, a longer) one. */
export function withoutOverlaps(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const span of sorted) if (!out.some((o) => span.start < o.end && o.start < span.end)) out.push(span);
  return out;
}

const negators =
  /(?<![\p{L}'’])(?:not|never|no|nor|cannot|can['’]?t|don['’]?t|doesn['’]?t|didn['’]?t|isn['’]?t|aren['’]?t|wasn['’]?t|won['’]?t|wouldn['’]?t|shouldn['’]?t|couldn['’]?t|haven['’]?t|hasn['’]?t|without|neither)(?![\p{L}'’])/iu;

// Set phrases with a negating word that negate nothing after them: "no worries, anything else?", "oh no, that's awful".
const notNegations = /(?<![\p{L}'’])(?:(?:oh|ah|aw) no|no (?:worries|problem|problems|probs|bother|dramas|wahala))(?![\p{L}'’])/giu;

/**
 * Whether a match is negated: a negating word inside it or among the two words before it, in the same clause
 * ("this call is not recorded", "I'm not really worried"; not "it hasn't come, this is the third time").
 */
export function isNegated(text: string, span: Span): boolean {
  const clauseStart = Math.max(...[...'.?!,;:'].map((c) => text.lastIndexOf(c, span.start - 1))) + 1;
  const before = text.slice(clauseStart, span.start).replace(notNegations, ' ').trim().split(/\s+/).slice(-2).join(' ');
  return negators.test(before) || negators.test(text.slice(span.start, span.end));
}
