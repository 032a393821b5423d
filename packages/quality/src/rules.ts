import { z } from 'zod';
import { endsWithName, findIdentifiers, findProfanityIn, negativeWords } from './detectors.ts';
import { compilePhrase, findPhrases, isNegated, matchPhrases, PhrasePatternError, withoutOverlaps, type CompiledPhrase, type Span } from './phrases.ts';
import { speakers, type Evidence, type ScoringInput, type Speaker } from './transcript.ts';

/**
 * Rules that answer a form's question from a transcript and its metadata, as data a form carries (and an analyst
 * edits). A **signal** is something found in the transcript — phrases, personal details given, a negative turn,
 * profanity — with where it was found; an **expectation** says what must be there for "yes": a signal present
 * (before another one, after another, answered by the other side), absent, at every hold, or a metadata bound.
 * Every answer comes with its evidence and a confidence.
 */

export type Signal =
  | {
      kind: 'phrases';
      speakers: Speaker[];
      phrases: string[];
      /** Only within the first (or last) so many turns of these speakers. */
      firstTurns?: number;
      lastTurns?: number;
      /** A negated match ("this call is not recorded") does not count; true unless said otherwise. */
      negatable?: boolean;
      /** The match's last word must be a name (a word that is not common English: "this is Priya", not "this is about"). */
      name?: boolean;
    }
  | { kind: 'identifier'; speakers: Speaker[] }
  | { kind: 'negative'; speakers: Speaker[]; atMost: number; phrases?: string[] }
  | { kind: 'profanity'; speakers: Speaker[] }
  | { kind: 'any'; of: Signal[] };

type Expectation =
  | {
      kind: 'present';
      signal: Signal;
      /** It must come before the first of these (when that happens at all; words later in its own sentence qualify it)… */
      before?: Signal;
      /** …and after the first of these: in its turn (on other words) or a later one. */
      after?: Signal;
      /** The other side must answer it: a turn of these speakers next, with no refusal in it or in the asker's next turn. */
      answered?: { speakers: Speaker[]; refusals: string[] };
    }
  | { kind: 'absent'; signal: Signal }
  | { kind: 'all'; of: Expectation[] }
  | { kind: 'any'; of: Expectation[] }
  | { kind: 'each_hold'; signal: Signal; turnsBefore: number }
  | { kind: 'metadata'; metric: 'holds' | 'longest_hold_s' | 'talk_s' | 'wrap_up_s' | 'transfers' | 'silence_s'; atMost?: number; atLeast?: number };

export interface AutoRule {
  /** Not applicable unless the interaction is on one of these channels, has holds, and shows this signal. */
  appliesWhen?: { channels?: ScoringInput['channel'][]; holds?: boolean; signal?: Signal };
  expect: Expectation;
}

const SpeakerList = z.array(z.enum(speakers)).min(1, 'name at least one speaker');
const TurnCount = z.int().min(1).max(50);

const SignalSchema: z.ZodType<Signal> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('phrases'),
      speakers: SpeakerList,
      phrases: z.array(z.string().trim().min(1).max(2000)).min(1, 'a phrase set needs at least one phrase').max(500),
      firstTurns: TurnCount.optional(),
      lastTurns: TurnCount.optional(),
      negatable: z.boolean().optional(),
      name: z.boolean().optional(),
    }),
    z.object({ kind: z.literal('identifier'), speakers: SpeakerList }),
    z.object({
      kind: z.literal('negative'),
      speakers: SpeakerList,
      atMost: z.number().max(-1).min(-20),
      phrases: z.array(z.string().trim().min(1).max(2000)).max(500).optional(),
    }),
    z.object({ kind: z.literal('profanity'), speakers: SpeakerList }),
    z.object({ kind: z.literal('any'), of: z.array(SignalSchema).min(1) }),
  ]),
);

const ExpectationSchema: z.ZodType<Expectation> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('present'),
      signal: SignalSchema,
      before: SignalSchema.optional(),
      after: SignalSchema.optional(),
      answered: z.object({ speakers: SpeakerList, refusals: z.array(z.string().trim().min(1).max(2000)).max(200) }).optional(),
    }),
    z.object({ kind: z.literal('absent'), signal: SignalSchema }),
    z.object({ kind: z.literal('all'), of: z.array(ExpectationSchema).min(1) }),
    z.object({ kind: z.literal('any'), of: z.array(ExpectationSchema).min(1) }),
    z.object({ kind: z.literal('each_hold'), signal: SignalSchema, turnsBefore: TurnCount }),
    z.object({
      kind: z.literal('metadata'),
      metric: z.enum(['holds', 'longest_hold_s', 'talk_s', 'wrap_up_s', 'transfers', 'silence_s']),
      atMost: z.number().nonnegative().optional(),
      atLeast: z.number().nonnegative().optional(),
    }),
  ]),
);

export const AutoRuleSchema: z.ZodType<AutoRule> = z.object({
  appliesWhen: z
    .object({
      channels: z
        .array(z.enum(['voice', 'chat', 'email', 'sms', 'social']))
        .min(1)
        .optional(),
      holds: z.boolean().optional(),
      signal: SignalSchema.optional(),
    })
    .optional(),
  expect: ExpectationSchema,
});

/** Why a rule could never answer "yes" (or never find its signal), each problem in words; empty when it can. */
export function checkRule(rule: AutoRule): string[] {
  const problems: string[] = [];
  const signal = (s: Signal, where: string) => {
    if (s.kind === 'phrases' || s.kind === 'negative')
      for (const phrase of s.phrases ?? []) {
        try {
          compilePhrase(phrase);
        } catch (error) {
          if (error instanceof PhrasePatternError) problems.push(`${where}: ${error.message}`);
          else throw error;
        }
      }
    if (s.kind === 'phrases' && s.firstTurns !== undefined && s.lastTurns !== undefined)
      problems.push(`${where}: give firstTurns or lastTurns, not both (a phrase cannot be in both ends at once)`);
    if (s.kind === 'any') s.of.forEach((inner, i) => signal(inner, `${where}, alternative ${i + 1}`));
  };
  const expectation = (e: Expectation, where: string) => {
    if (e.kind === 'present' || e.kind === 'absent' || e.kind === 'each_hold') signal(e.signal, where);
    if (e.kind === 'present') {
      if (e.before) signal(e.before, `${where} (before)`);
      if (e.after) signal(e.after, `${where} (after)`);
      if (e.answered) e.answered.refusals.forEach((p) => signal({ kind: 'phrases', speakers: e.answered!.speakers, phrases: [p] }, `${where} (refusal)`));
    }
    if (e.kind === 'metadata' && e.atMost !== undefined && e.atLeast !== undefined && e.atLeast > e.atMost)
      problems.push(`${where}: ${e.metric} at least ${e.atLeast} and at most ${e.atMost} can never both hold`);
    if (e.kind === 'metadata' && e.atMost === undefined && e.atLeast === undefined) problems.push(`${where}: a metadata rule needs atMost or atLeast`);
    if (e.kind === 'each_hold' && rule.appliesWhen?.holds === false) problems.push(`${where}: checks each hold but applies only without holds`);
    if (e.kind === 'all' || e.kind === 'any') e.of.forEach((inner, i) => expectation(inner, `${where}, part ${i + 1}`));
  };
  if (rule.appliesWhen?.signal) signal(rule.appliesWhen.signal, 'applies when');
  expectation(rule.expect, 'expects');
  return problems;
}

/** Something a signal found: words of a segment, and how strongly they say it (for the confidence). */
interface Occurrence {
  segment: number;
  span: Span;
  strength: number;
}

const order = (a: Occurrence, b: Occurrence) => a.segment - b.segment || a.span.start - b.span.start;

/** Compiling each phrase once per process, and each list once: forms are few, interactions many. */
const compiled = new Map<string, CompiledPhrase>();
const lists = new WeakMap<readonly string[], CompiledPhrase[]>();
const phrases = (list: readonly string[]): CompiledPhrase[] => {
  let out = lists.get(list);
  if (!out) {
    out = list.map((p) => {
      let c = compiled.get(p);
      if (!c) compiled.set(p, (c = compilePhrase(p)));
      return c;
    });
    lists.set(list, out);
  }
  return out;
};

/** Indices of the segments by these speakers, narrowed to their first or last turns. */
function turnsOf(input: ScoringInput, who: readonly Speaker[], scope: { firstTurns?: number; lastTurns?: number } = {}): number[] {
  const all = input.segments.flatMap((s, i) => (who.includes(s.speaker) && s.text.trim() !== '' ? [i] : []));
  if (scope.firstTurns !== undefined) return all.slice(0, scope.firstTurns);
  if (scope.lastTurns !== undefined) return all.slice(-scope.lastTurns);
  return all;
}

/** Looks for signals in one interaction, each once: a rule may ask for the same one several times. */
function signalFinder(input: ScoringInput): (signal: Signal) => Occurrence[] {
  const seen = new Map<Signal, Occurrence[]>();
  const find = (signal: Signal): Occurrence[] => {
    let out = seen.get(signal);
    if (!out) seen.set(signal, (out = signal.kind === 'any' ? signal.of.flatMap(find).sort(order) : findSignal(input, signal)));
    return out;
  };
  return find;
}

function findSignal(input: ScoringInput, signal: Exclude<Signal, { kind: 'any' }>): Occurrence[] {
  const segments = turnsOf(input, signal.speakers, signal.kind === 'phrases' ? signal : {});
  const out: Occurrence[] = [];
  if (signal.kind === 'profanity') {
    findProfanityIn(segments.map((i) => input.segments[i]!.text)).forEach((spans, n) => {
      for (const span of spans) out.push({ segment: segments[n]!, span, strength: 1 });
    });
    return out;
  }
  for (const i of segments) {
    const text = input.segments[i]!.text;
    if (signal.kind === 'phrases') {
      // Each phrase's matches are judged (negation, name) before overlapping ones are merged, so a match that fails
      // its test cannot hide one that passes ("Hi, this" is no name; "this is Melissa" is).
      const kept = matchPhrases(text, phrases(signal.phrases)).filter(
        (span) => (signal.negatable === false || !isNegated(text, span)) && (!signal.name || endsWithName(text, span)),
      );
      for (const span of withoutOverlaps(kept)) out.push({ segment: i, span, strength: 1 });
    } else if (signal.kind === 'identifier') {
      for (const span of findIdentifiers(text)) out.push({ segment: i, span, strength: 1 });
    } else {
      const extra = findPhrases(text, phrases(signal.phrases ?? [])).filter((span) => !isNegated(text, span));
      for (const span of extra) out.push({ segment: i, span, strength: 1 });
      const { score, spans } = negativeWords(text);
      // A turn at the threshold is a weaker sign than one well past it.
      if (score <= signal.atMost) for (const span of spans) out.push({ segment: i, span, strength: score <= signal.atMost - 1 ? 0.9 : 0.6 });
    }
  }
  return out.sort(order);
}

export interface AutoAnswer {
  answer: 'yes' | 'no' | 'na';
  confidence: number;
  evidence: Evidence[];
}

const cite = (o: Occurrence): Evidence => ({ segment_index: o.segment, start: o.span.start, end: o.span.end });
const wholeTurn = (input: ScoringInput, i: number): Evidence => ({ segment_index: i, start: 0, end: input.segments[i]!.text.length });
const isBefore = (a: Occurrence, b: Occurrence) => order(a, b) < 0;
/**
 * `b` is in `a`'s turn or a later one, on other words: within one turn order does not matter ("thanks for calling,
 * anything else?"), but the words `a` was found in cannot be `b` as well.
 */
const follows = (a: Occurrence, b: Occurrence) =>
  b.segment > a.segment || (b.segment === a.segment && (b.span.start >= a.span.end || b.span.end <= a.span.start));
const sentenceEnd = /[.!?…]/;
/** Both in one turn with no sentence's end between them (text with no punctuation is one sentence). */
const sameSentence = (input: ScoringInput, a: Occurrence, b: Occurrence) =>
  a.segment === b.segment && !sentenceEnd.test(input.segments[a.segment]!.text.slice(Math.min(a.span.end, b.span.end), Math.max(a.span.start, b.span.start)));
/** The first sentence, or its first twenty words where speech recognition wrote no full stop to end it. */
const firstSentence = (text: string) =>
  text
    .slice(0, (/[.!?…](?=\s)/.exec(text)?.index ?? text.length) + 1)
    .split(/\s+/)
    .slice(0, 20)
    .join(' ');

interface Outcome {
  pass: boolean;
  confidence: number;
  evidence: Evidence[];
}

function evaluate(input: ScoringInput, e: Expectation, find: (signal: Signal) => Occurrence[]): Outcome {
  switch (e.kind) {
    case 'present': {
      const trigger = e.after ? find(e.after)[0] : undefined;
      const found = find(e.signal).filter((o) => !trigger || follows(trigger, o));
      // Words later in the signal's own sentence qualify it rather than follow it: "can you confirm the postcode it
      // was delivered to?" asks for a postcode; it does not read out the delivery first.
      const anchor = e.before ? find(e.before).find((a) => !found.some((o) => isBefore(o, a) && sameSentence(input, o, a))) : undefined;
      const inTime = found.filter((o) => !anchor || isBefore(o, anchor));
      const answered = (o: Occurrence) => {
        if (!e.answered) return { ok: true, reply: null as number | null };
        const reply = input.segments.findIndex((s, i) => i > o.segment && e.answered!.speakers.includes(s.speaker));
        if (reply < 0 || (anchor && reply > anchor.segment)) return { ok: false, reply: null };
        // A refusal in the reply, or in the first sentence of the asker's next words ("that doesn't match what I
        // have"): what they say after that is about something else ("Thanks, verified. That charge isn't right.").
        const reaction = input.segments.findIndex((s, i) => i > reply && s.speaker === input.segments[o.segment]!.speaker);
        const refusals = phrases(e.answered.refusals);
        const refused =
          findPhrases(input.segments[reply]!.text, refusals).length > 0 ||
          (reaction >= 0 && findPhrases(firstSentence(input.segments[reaction]!.text), refusals).length > 0);
        return { ok: !refused, reply };
      };
      for (const o of inTime) {
        const { ok, reply } = answered(o);
        if (ok) return { pass: true, confidence: 0.9 * o.strength, evidence: [cite(o), ...(reply === null ? [] : [wholeTurn(input, reply)])] };
      }
      if (inTime.length > 0) return { pass: false, confidence: 0.75, evidence: inTime.slice(0, 3).map(cite) };
      // Said too late: the words that came after the point they were due, and that point.
      if (found.length > 0 && anchor) return { pass: false, confidence: 0.85, evidence: [cite(anchor), cite(found[0]!)] };
      // Never said: the turns where it was due.
      const who = e.signal.kind === 'any' ? [...new Set(e.signal.of.flatMap((s) => (s.kind === 'any' ? [] : s.speakers)))] : e.signal.speakers;
      const due = turnsOf(input, who, e.signal.kind === 'phrases' ? e.signal : {}).filter(
        (i) => (!anchor || i <= anchor.segment) && (!trigger || i >= trigger.segment),
      );
      return { pass: false, confidence: 0.8, evidence: (due.length > 0 ? due.slice(0, 3) : []).map((i) => wholeTurn(input, i)) };
    }
    case 'absent': {
      const found = find(e.signal);
      if (found.length > 0) return { pass: false, confidence: 0.95, evidence: found.map(cite) };
      const who = e.signal.kind === 'any' ? [...new Set(e.signal.of.flatMap((s) => (s.kind === 'any' ? [] : s.speakers)))] : e.signal.speakers;
      return { pass: true, confidence: 0.9, evidence: turnsOf(input, who).map((i) => wholeTurn(input, i)) };
    }
    case 'all': {
      const parts = e.of.map((inner) => evaluate(input, inner, find));
      const failed = parts.filter((p) => !p.pass);
      const counted = failed.length > 0 ? failed : parts;
      return { pass: failed.length === 0, confidence: Math.min(...counted.map((p) => p.confidence)), evidence: counted.flatMap((p) => p.evidence) };
    }
    case 'any': {
      const parts = e.of.map((inner) => evaluate(input, inner, find));
      const passed = parts.find((p) => p.pass);
      if (passed) return passed;
      return { pass: false, confidence: Math.min(...parts.map((p) => p.confidence)), evidence: parts.flatMap((p) => p.evidence) };
    }
    case 'each_hold': {
      const evidence: Evidence[] = [];
      let pass = true;
      input.holds.forEach((hold, h) => {
        const before = input.segments.flatMap((s, i) => (s.end_ms <= hold.start_ms ? [i] : []));
        const window = new Set(
          turnsOf(input, e.signal.kind === 'any' ? speakers : e.signal.speakers)
            .filter((i) => before.includes(i))
            .slice(-e.turnsBefore),
        );
        const found = find(e.signal).filter((o) => window.has(o.segment));
        if (found.length > 0) evidence.push(cite(found[0]!), { hold_index: h });
        else {
          pass = false;
          evidence.push({ hold_index: h }, ...[...window].map((i) => wholeTurn(input, i)));
        }
      });
      return { pass, confidence: 0.85, evidence };
    }
    case 'metadata': {
      const value = metric(input, e.metric);
      if (value === null) return { pass: false, confidence: 0, evidence: [] };
      const pass = (e.atMost === undefined || value <= e.atMost) && (e.atLeast === undefined || value >= e.atLeast);
      return {
        pass,
        confidence: 0.95,
        evidence: e.metric === 'holds' || e.metric === 'longest_hold_s' ? input.holds.map((_, h) => ({ hold_index: h })) : [{ event: e.metric }],
      };
    }
  }
}

function metric(input: ScoringInput, name: Extract<Expectation, { kind: 'metadata' }>['metric']): number | null {
  if (name === 'holds') return input.holds.length;
  if (name === 'longest_hold_s') return Math.max(0, ...input.holds.map((h) => (h.end_ms - h.start_ms) / 1000));
  return input.metadata[name] ?? null;
}

/** A question answered by its rule: N/A when it does not apply, else yes or no, each with evidence and a confidence. */
export function answerByRule(input: ScoringInput, rule: AutoRule): AutoAnswer {
  const applies = rule.appliesWhen;
  if (applies?.channels && !applies.channels.includes(input.channel)) return { answer: 'na', confidence: 0.99, evidence: [] };
  if (applies?.holds !== undefined && applies.holds !== input.holds.length > 0) return { answer: 'na', confidence: 0.99, evidence: [] };
  const find = signalFinder(input);
  let gate = 1;
  if (applies?.signal) {
    const found = find(applies.signal);
    if (found.length === 0) return { answer: 'na', confidence: 0.8, evidence: [] };
    gate = Math.max(...found.map((o) => o.strength));
  }
  if (!input.segments.some((s) => s.speaker === 'agent' && s.text.trim() !== '')) return { answer: 'na', confidence: 0, evidence: [] };
  const outcome = evaluate(input, rule.expect, find);
  return { answer: outcome.pass ? 'yes' : 'no', confidence: Math.min(outcome.confidence, gate === 1 ? 1 : gate + 0.05), evidence: outcome.evidence };
}
