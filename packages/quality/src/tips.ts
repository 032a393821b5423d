import stopwords from 'stopwords-en/stopwords-en.json' with { type: 'json' };
import { endsWithName, findIdentifiers } from './detectors.ts';
import { compilePhrase, matchPhrases, type Span } from './phrases.ts';
import type { Evidence, Speaker } from './transcript.ts';

/**
 * The coaching tip an agent sees for a question they keep failing, written from the evidence: the question and how
 * often it failed, the form's guidance, references to the agent's own lines (never their text, so erasing a person's
 * data reaches the tip too) and an anonymised passing answer from a colleague.
 */

/** One of the agent's own failed answers. */
interface TipFailure {
  evaluationId: string;
  interactionId: string;
  evidence: Evidence[];
}

/** Another agent's passing answer to the same question, with its transcript's segments. */
export interface PassingExample {
  segments: { speaker: Speaker; text: string }[];
  evidence: Evidence[];
}

export interface CoachingTipInput {
  ruleTip: string;
  question: { id: string; text: string; guidance: string };
  /** Null for a critical fail or a manual assignment. */
  failed: { count: number; ofLast: number } | null;
  failures: TipFailure[];
  example: PassingExample | null;
}

interface OwnLine {
  evaluationId: string;
  interactionId: string;
  segmentIndex: number;
  start: number;
  end: number;
}

export interface CoachingTip {
  headline: string;
  body: string;
  guidance: string | null;
  /** At most three, references only: the desktop fetches the text through the access-checked transcript API. */
  ownLines: OwnLine[];
  example: string | null;
}

const maxOwnLines = 3;
// Longer than a sentence or two is a monologue, more likely to carry details nobody thought to detect.
const maxExampleLength = 300;
// An example that is a third identifiers is about the customer's details, not about how to answer.
const maxIdentifierShare = 1 / 3;

export function composeCoachingTip(input: CoachingTipInput): CoachingTip {
  const { question, failed } = input;
  // Ids are lower-case words joined by "_" (form.ts), so they read as a short label: "recording_disclosure" → "Recording disclosure".
  const label = question.id.charAt(0).toUpperCase() + question.id.slice(1).replace(/_/g, ' ');
  const often = !failed ? '' : failed.ofLast === 1 ? ' in your last evaluation' : ` in ${failed.count} of your last ${failed.ofLast} evaluations`;
  const ownLines = input.failures.flatMap((f) =>
    f.evidence.flatMap((e) =>
      'segment_index' in e ? [{ evaluationId: f.evaluationId, interactionId: f.interactionId, segmentIndex: e.segment_index, start: e.start, end: e.end }] : [],
    ),
  );
  return {
    // Without counts (a critical fail, a manual assignment) the headline claims nothing it cannot show.
    headline: failed ? `${label}: "${question.text}" was a "no"${often}` : `${label}: "${question.text}"`,
    body: input.ruleTip.trim(),
    guidance: question.guidance.trim() || null,
    ownLines: ownLines.slice(0, maxOwnLines),
    example: input.example ? anonymiseExample(input.example) : null,
  };
}

/**
 * The sentences of a passing answer's evidence, from agent turns only, with names, identifiers and digits replaced;
 * null when nothing safe is left. It errs towards replacing too much: a company's name becomes "[name]" too.
 */
export function anonymiseExample(example: PassingExample): string | null {
  const bySegment = new Map<number, Span[]>();
  for (const e of example.evidence) {
    if (!('segment_index' in e)) continue;
    const segment = example.segments[e.segment_index];
    if (segment?.speaker !== 'agent' || !(0 <= e.start && e.start <= e.end && e.end <= segment.text.length)) continue;
    bySegment.set(e.segment_index, [...(bySegment.get(e.segment_index) ?? []), sentenceAround(segment.text, e)]);
  }
  const pieces = [...bySegment.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([i, spans]) => merge(spans).map((s) => example.segments[i]!.text.slice(s.start, s.end).trim()))
    .filter((p) => p !== '');
  if (pieces.length === 0 || pieces.join(' ').length > maxExampleLength) return null;
  const redacted = pieces.map(redact);
  const identifiers = redacted.reduce((sum, r) => sum + r.identifierChars, 0);
  const visible = pieces.reduce((sum, p) => sum + p.replace(/\s/g, '').length, 0);
  const text = redacted.map((r) => r.text).join(' ');
  // Placeholders and punctuation alone teach nothing.
  const words = text.replace(/\[(?:name|details|number)\]/g, ' ').match(/\p{L}+/gu) ?? [];
  return identifiers > visible * maxIdentifierShare || words.length < 2 ? null : text;
}

/** The sentence(s) a span lies in: from after the last sentence end before it to the first one at or after its end. */
function sentenceAround(text: string, span: Span): Span {
  const before = /^.*[.!?…]\s+/su.exec(text.slice(0, span.start));
  const from = Math.max(span.start, span.end - 1);
  // A full stop followed by a digit ("£642.18") ends no sentence.
  const after = /[.!?…](?=\s|$)/u.exec(text.slice(from));
  return { start: before ? before[0].length : 0, end: after ? from + after.index + 1 : text.length };
}

function merge(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

const introductions = [
  "[my name is|my name's|my names|name is|name's|this is|it's|its|i am|i'm|im|myself|you're speaking [to|with]|you are speaking [to|with]|you're talking [to|with]|you are talking [to|with]|you're through to|you are through to|you've got|speaking with|chatting with] *",
  '* [speaking|here]',
].map(compilePhrase);
// The name word of an introduction match, as endsWithName (detectors.ts) reads it: last, or before "speaking"/"here".
const nameWord = /[\p{L}'’-]+(?=[\s,.-]+(?:speaking|here)$)|[\p{L}'’-]+$/iu;
const common = new Set<string>(stopwords);
// Words a sentence often opens with, capitalised and followed by a comma like a name ("Lovely, let me check").
const openers = new Set(['perfect', 'lovely', 'brilliant', 'absolutely', 'certainly', 'wonderful', 'fantastic', 'excellent', 'great', 'cheers', 'morning']);
// Catches the name after a title where nothing is capitalised ("thanks mrs okafor"); "miss" and "sir" are verbs
// and vocatives too often to be titles.
const honorific = /\b(?:mr|mrs|ms|mx|dr)\.?\s+[\p{L}'’-]+/giu;

type Labelled = Span & { label: 'name' | 'details' };

/** The text with names and identifiers replaced, and how many of its non-space characters were identifiers or digits. */
function redact(text: string): { text: string; identifierChars: number } {
  const spans: Labelled[] = [];
  for (const s of findIdentifiers(text)) {
    // A lead-in ("my postcode is", "born on") is followed by the detail itself, whatever its form: up to the clause's end.
    const leadIn = /(?:\bis|\bwas|it['’]?s|\bon|\bin|spelt|spelled)$/iu.test(text.slice(s.start, s.end));
    const clauseEnd = leadIn ? /[,;.!?]|$/u.exec(text.slice(s.end))!.index : 0;
    spans.push({ start: s.start, end: s.end + clauseEnd, label: 'details' });
  }
  for (const s of matchPhrases(text, introductions).filter((s) => endsWithName(text, s))) {
    const m = nameWord.exec(text.slice(s.start, s.end))!;
    spans.push({ start: s.start + m.index, end: s.start + m.index + m[0].length, label: 'name' });
  }
  for (const m of text.matchAll(honorific)) spans.push({ start: m.index, end: m.index + m[0].length, label: 'name' });
  // A capitalised word that is not common English is a name (a person's, a place's or a company's) — except where
  // a sentence starts, unless it is addressed like one ("Sarah, ...").
  for (const m of text.matchAll(/\p{Lu}[\p{L}'’-]*/gu)) {
    const word = m[0].toLowerCase().replace(/’/g, "'");
    if (common.has(word)) continue;
    const opensSentence = /(?:^|[.!?…]\s*)["'(]*$/u.test(text.slice(0, m.index));
    if (!opensSentence || (text[m.index + m[0].length] === ',' && !openers.has(word)))
      spans.push({ start: m.index, end: m.index + m[0].length, label: 'name' });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  let identifierChars = 0;
  // Whatever is left between the replaced spans: digits become "[number]", a word with "@" in it "[details]".
  const rest = (from: number, to: number) =>
    text.slice(from, to).replace(/[^\s,;!?]*@[^\s,;!?]*|\p{N}+/gu, (m) => {
      identifierChars += m.replace(/\s/g, '').length;
      return m.includes('@') ? '[details]' : '[number]';
    });
  for (const s of spans) {
    // A span overlapping the one before it extends that one's placeholder.
    if (s.start < at) {
      if (s.label === 'details') identifierChars += text.slice(at, s.end).replace(/\s/g, '').length;
      at = Math.max(at, s.end);
      continue;
    }
    out += `${rest(at, s.start)}[${s.label}]`;
    if (s.label === 'details') identifierChars += text.slice(s.start, s.end).replace(/\s/g, '').length;
    at = s.end;
  }
  out += rest(at, text.length);
  // "Priya Sharma" is one name, not two.
  return { text: out.replace(/\[name\](?:[\s-]+\[name\])+/g, '[name]'), identifierChars };
}
