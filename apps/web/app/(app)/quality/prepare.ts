import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';

/** The quality screens' pure half: evidence cut into the transcript's text, answer labels, and the review's state. */

type Quality = inferRouterOutputs<AppRouter>['quality'];
export type EvaluationView = Quality['get'];
export type EvaluationSummary = Quality['list'][number];
export type Trends = Quality['trends'];
export type ViewQuestion = EvaluationView['sections'][number]['questions'][number];
export type CalibrationView = Quality['calibration']['get'];
export type Plan = Quality['plans']['list'][number];
type Evidence = ViewQuestion['evidence'][number];

/** A run of a segment's text, marked when evidence of some question covers it. */
export interface Piece {
  text: string;
  start: number;
  /** Questions whose evidence covers this run. */
  questions: string[];
}

/**
 * A segment's text cut at every evidence boundary (offsets are UTF-16 indices, end exclusive, as the scorer gives
 * them), so that each run knows which questions cite it. Spans outside the text are clipped.
 */
export function piecesOf(text: string, spans: readonly { start: number; end: number; question: string }[]): Piece[] {
  const clipped = spans
    .map((s) => ({ ...s, start: Math.max(0, Math.min(s.start, text.length)), end: Math.max(0, Math.min(s.end, text.length)) }))
    .filter((s) => s.end > s.start);
  const cuts = [...new Set([0, text.length, ...clipped.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i]!, cuts[i + 1]!];
    const questions = [...new Set(clipped.filter((s) => s.start <= start && s.end >= end).map((s) => s.question))];
    pieces.push({ text: text.slice(start, end), start, questions });
  }
  return pieces.length > 0 ? pieces : [{ text, start: 0, questions: [] }];
}

/** Every transcript span each question cites, by segment. */
export function spansBySegment(view: EvaluationView): Map<number, { start: number; end: number; question: string }[]> {
  const out = new Map<number, { start: number; end: number; question: string }[]>();
  for (const q of view.sections.flatMap((s) => s.questions)) {
    for (const e of q.evidence) {
      if (!('segment_index' in e)) continue;
      out.set(e.segment_index, [...(out.get(e.segment_index) ?? []), { start: e.start, end: e.end, question: q.id }]);
    }
  }
  return out;
}

type TranscriptItem = { kind: 'segment'; index: number } | { kind: 'hold'; index: number };

/** Turns and holds in the order they happened: a hold comes before the first turn that starts after it began. */
export function interleave(transcript: readonly { start_ms: number }[], holds: readonly { start_ms: number }[]): TranscriptItem[] {
  const pending = holds.map((h, index) => ({ index, at: h.start_ms })).sort((a, b) => a.at - b.at);
  const out: TranscriptItem[] = [];
  // Turns keep their stored order even when their times tie.
  transcript.forEach((segment, index) => {
    while (pending.length > 0 && pending[0]!.at < segment.start_ms) out.push({ kind: 'hold', index: pending.shift()!.index });
    out.push({ kind: 'segment', index });
  });
  return [...out, ...pending.map((h) => ({ kind: 'hold' as const, index: h.index }))];
}

/** Where in the page an item of evidence is: the segment or hold to scroll to. */
export function evidenceTarget(e: Evidence): string | null {
  if ('segment_index' in e) return `segment-${e.segment_index}`;
  if ('hold_index' in e) return `hold-${e.hold_index}`;
  return null;
}

/** How an item of evidence reads on its chip: the words cited, a hold, or an event. */
export function describeEvidence(e: Evidence, view: Pick<EvaluationView, 'transcript' | 'holds'>): string {
  if ('segment_index' in e) {
    const words = view.transcript[e.segment_index]?.text.slice(e.start, e.end) ?? '';
    return `Turn ${e.segment_index + 1}: “${words.length > 60 ? `${words.slice(0, 57)}…` : words}”`;
  }
  if ('hold_index' in e) {
    const hold = view.holds[e.hold_index];
    return hold ? `Hold ${e.hold_index + 1} (${Math.round((hold.end_ms - hold.start_ms) / 1000)} s)` : `Hold ${e.hold_index + 1}`;
  }
  return `Event: ${e.event}`;
}

const answerLabels: Record<string, string> = { yes: 'Yes', no: 'No', na: 'N/A' };
export const answerLabel = (value: string | null): string => (value === null ? '—' : (answerLabels[value] ?? value));

export const reviewReasons: Record<string, string> = {
  unsure: 'Rules unsure',
  csat: 'Low survey',
  ended_on_hold: 'Hung up on hold',
  transfer: 'Transferred',
  hold: 'Had a hold',
  aht: 'Handle time above p90',
  minimum: 'Weekly minimum',
  random: 'Random sample',
};

export const statusLabels: Record<EvaluationSummary['status'], string> = {
  in_review: 'In review',
  scored: 'Scored',
  finalized: 'Finalized',
  released: 'Released',
  disputed: 'Disputed',
};

/** A question id as a heading ("identity_verified" → "Identity verified"). */
export const questionName = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1).replaceAll('_', ' ');

/** What a question still needs before the evaluation can be finalized. */
export function isOpen(q: ViewQuestion): boolean {
  return q.shown && q.finalAnswer === null;
}

/** An override must say why; accepting the machine's answer or a question no rule answered need not. */
export function needsReason(q: Pick<ViewQuestion, 'machineAnswer'>, answer: string): boolean {
  return q.machineAnswer !== null && q.machineAnswer !== answer;
}

/**
 * How far a kappa can be trusted, as a style: 0.8 and above is the target the automatic scorer and calibrated
 * analysts are held to; 0.6–0.8 is substantial but short of it; below, the answers are not to be relied on.
 */
export function agreementClass(kappa: number | null, styles: Record<string, string>): string {
  if (kappa === null) return '';
  return kappa >= 0.8 ? (styles.agreeGood ?? '') : kappa >= 0.6 ? (styles.agreeWeak ?? '') : (styles.agreeBad ?? '');
}

/** A plan's targeted conditions in words. */
export function describeTargets(targets: Plan['targets']): string {
  const parts = [
    targets.transfer && 'transfers',
    targets.hold && 'holds',
    targets.endedOnHold && 'hung up on hold',
    targets.ahtAboveP90 && 'handle time above p90',
    targets.csatAtMost !== undefined && `CSAT ≤ ${targets.csatAtMost}`,
  ].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join(', ') : 'none';
}
