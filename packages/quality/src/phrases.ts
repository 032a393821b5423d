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
  /** Words the text must hold (one of each alternation, in its plain form) for the phrase to have a chance: most turns skip the regex. */
  required: RegExp[];
}

// Lower case without apostrophes ("you’re" is "youre") or underscores, which \b would take for letters.
const plain = (text: string) => text.toLowerCase().replace(/['’]/g, '').replace(/_/g, ' ');

/**
 * What a token needs the plain text to hold, as regex sources (one of them), or null when it matches without any
 * (a wildcard, a number). A word must start where a word starts; its end is left open, as an apostrophe the plain
 * text drops may follow it ("you" in "you're").
 */
function literalsOfToken(token: string): string[] | null {
  const bare = token.endsWith('?') && token.length > 1 ? token.slice(0, -1) : token;
  if (bare.startsWith('[') && bare.endsWith(']')) {
    const alternatives = splitAlternatives(bare.slice(1, -1));
    if (alternatives.some((a) => a.trim() === '')) return null;
    const firsts = alternatives.map((a) => requiredLiterals(a)[0] ?? null);
    return firsts.some((f) => f === null) ? null : [...new Set(firsts.flat() as string[])];
  }
  if (bare === '*' || bare === '#' || bare === '~' || bare === '^' || bare === '?') return null;
  const suffix = bare.startsWith('-');
  const word = plain(suffix ? bare.slice(1) : bare.endsWith('-') ? bare.slice(0, -1) : bare);
  if (word === '') return null;
  const literal = word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return [suffix || !/^\w/.test(word) ? literal : String.raw`\b${literal}`];
}

/** For each word of a pattern that must be there, what one of which the plain text then holds. */
function requiredLiterals(pattern: string): string[][] {
  return tokenize(pattern).flatMap((token) => {
    if (token.endsWith('?') && token.length > 1) return [];
    const literals = literalsOfToken(token);
    return literals === null ? [] : [literals];
  });
}

export function compilePhrase(pattern: string): CompiledPhrase {
  const source = sequence(pattern);
  let regex: RegExp;
  try {
    regex = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${source})(?![\p{L}\p{N}])`, 'giu');
  } catch (error) {
    throw new PhrasePatternError(`"${pattern}": ${(error as Error).message}`);
  }
  if (regex.test('')) throw new PhrasePatternError(`"${pattern}" matches nothing at all, so it would match everywhere`);
  // One alternation per word that must be there: a single search where a phrase offers dozens of words.
  const required = requiredLiterals(pattern).map((literals) => new RegExp(literals.join('|')));
  return { pattern, regex, required };
}

export interface Span {
  start: number;
  end: number;
}

/** Every non-overlapping match of any of the phrases in `text`, in text order. */
let lastText = '';
let lastPlain = '';

export function findPhrases(text: string, phrases: readonly CompiledPhrase[]): Span[] {
  const found: Span[] = [];
  // Callers ask about one turn many times in a row: its plain form is kept for the next call.
  if (text !== lastText) {
    lastText = text;
    lastPlain = plain(text);
  }
  for (const { regex, required } of phrases) {
    if (!required.every((literals) => literals.test(lastPlain))) continue;
    regex.lastIndex = 0;
    for (const m of text.matchAll(regex)) {
      let end = m.index + m[0].length;
      // A trailing gap or hesitation belongs to no word of the phrase.
      while (end > m.index && /[\s,.;:!?…"()£$€₹-]/.test(text[end - 1]!)) end--;
      found.push({ start: m.index, end });
    }
  }
  return withoutOverlaps(found);
}

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
