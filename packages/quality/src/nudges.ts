import type { FormDefinition } from './form.ts';
import { answerByRule, type AutoRule, type Signal } from './rules.ts';
import { standardForm } from './standard-form.ts';
import type { ScoringInput } from './transcript.ts';

/**
 * Real-time nudges for the agent desktop, from what an interaction has so far. Each is a quality question's own rule
 * read while the call is still going: the form's `empathy` and `identity_verified` rules (their signals and the rules
 * engine that finds them, so a phrase added to the form reaches the nudge too) and an open hold's length.
 */

/** One interaction as the desktop has it so far. Segments are appended, never revised: a nudge is anchored at an index. */
export interface LiveInteraction {
  interactionId: string;
  channel: ScoringInput['channel'];
  /** Times in ms from the interaction's start, as in a stored transcript. */
  segments: ScoringInput['segments'];
  /** A hold still going has no end. */
  holds: { start_ms: number; end_ms: number | null }[];
  /** When the interaction started, ms since the epoch. */
  startedAt: number;
}

type NudgeKind = 'empathy' | 'hold_update' | 'verify_identity';

interface Nudge {
  /** The same for the same interaction, kind and anchor on every call, so the desktop shows it once. */
  id: string;
  kind: NudgeKind;
  message: string;
  anchor: { segmentIndex?: number; holdIndex?: number };
  /** When it became due, ms since the epoch: the end of the words that prompted it, or a hold's start plus a minute. */
  firesAt: number;
}

const messages: Record<NudgeKind, string> = {
  empathy: 'The customer sounds frustrated: acknowledge it before moving on.',
  hold_update: 'On hold for over a minute: update the customer.',
  verify_identity: "Verify the customer's identity before discussing the account.",
};

const holdUpdateAfterMs = 60_000;

type Expectation = AutoRule['expect'];

/** What the form's rules give the nudges: the empathy question's rule and trigger, the identity question's deadline. */
interface NudgeRules {
  empathy?: { rule: AutoRule; trigger: Signal };
  identity?: { deadline: Signal; anyTime: AutoRule };
}

/** The signal a rule's expectation must come before: for identity, the account-specific talk. */
function deadlineOf(e: Expectation): Signal | undefined {
  if (e.kind === 'present') return e.before;
  if (e.kind === 'all' || e.kind === 'any') return e.of.map(deadlineOf).find((s) => s !== undefined);
  return undefined;
}

/** The expectation met at any time so far: verifying late still verifies, so the nudge goes once it happens. */
function withoutDeadline(e: Expectation): Expectation {
  if (e.kind === 'present') return { ...e, before: undefined };
  if (e.kind === 'all' || e.kind === 'any') return { ...e, of: e.of.map(withoutDeadline) };
  return e;
}

const rulesByForm = new WeakMap<FormDefinition, NudgeRules>();
function nudgeRules(form: FormDefinition): NudgeRules {
  let out = rulesByForm.get(form);
  if (out) return out;
  const rule = (id: string) => form.sections.flatMap((s) => s.questions).find((q) => q.id === id)?.auto;
  const empathy = rule('empathy');
  const identity = rule('identity_verified');
  const deadline = identity && deadlineOf(identity.expect);
  out = {
    empathy: empathy?.appliesWhen?.signal && { rule: empathy, trigger: empathy.appliesWhen.signal },
    identity: identity && deadline && { deadline, anyTime: { ...identity, expect: withoutDeadline(identity.expect) } },
  };
  rulesByForm.set(form, out);
  return out;
}

const inputOf = (state: LiveInteraction, segments: ScoringInput['segments']): ScoringInput => ({
  interaction_id: state.interactionId,
  channel: state.channel,
  segments,
  holds: state.holds.flatMap((h) => (h.end_ms === null ? [] : [{ start_ms: h.start_ms, end_ms: h.end_ms }])),
  metadata: {},
});

/**
 * The segments a signal is found in, in order, found by the rules engine itself. It reads nothing into a transcript
 * the agent has not spoken in yet (a chat the customer opens), so a wordless agent turn, which no phrase or lexicon
 * word can match, goes last.
 */
function segmentsWith(state: LiveInteraction, signal: Signal): number[] {
  const at = state.segments.at(-1)?.end_ms ?? 0;
  const probe = [...state.segments, { speaker: 'agent' as const, start_ms: at, end_ms: at, text: '…' }];
  const { answer, evidence } = answerByRule(inputOf(state, probe), { expect: { kind: 'absent', signal } });
  if (answer !== 'no') return [];
  const found = evidence.flatMap((e) => ('segment_index' in e && e.segment_index < state.segments.length ? [e.segment_index] : []));
  return [...new Set(found)].sort((a, b) => a - b);
}

/**
 * The customer's first distressed turn the agent has not acknowledged since: the empathy rule, read from that turn on,
 * is not met. Later distress before an acknowledgement keeps the same anchor (one nudge); an acknowledgement clears it.
 * An acknowledgement after a turn is after every earlier one too, so the acknowledged turns come first: a binary
 * search finds the anchor in a few readings of the rule however long the call.
 */
function unacknowledgedDistress(state: LiveInteraction, empathy: NonNullable<NudgeRules['empathy']>): number | undefined {
  const distressed = segmentsWith(state, empathy.trigger);
  const acknowledged = (i: number) => answerByRule(inputOf(state, state.segments.slice(i)), empathy.rule).answer === 'yes';
  let [low, high] = [0, distressed.length];
  while (low < high) {
    const mid = (low + high) >> 1;
    if (acknowledged(distressed[mid]!)) low = mid + 1;
    else high = mid;
  }
  return distressed[low];
}

/** Account-specific talk with no verification yet, anywhere in the call so far: the first such turn. */
function unverifiedAccountTalk(state: LiveInteraction, identity: NonNullable<NudgeRules['identity']>): number | undefined {
  const first = segmentsWith(state, identity.deadline)[0];
  if (first === undefined) return undefined;
  return answerByRule(inputOf(state, state.segments), identity.anyTime).answer === 'yes' ? undefined : first;
}

const holdDueAt = (state: LiveInteraction, hold: LiveInteraction['holds'][number]) => state.startedAt + hold.start_ms + holdUpdateAfterMs;

/**
 * The nudges due for an interaction at `now` (ms since the epoch), oldest first. Words prompt theirs as soon as they
 * are in `state`; an open hold's comes a minute after it started. `form`: the tenant's form, whose empathy and
 * identity rules the nudges follow (a form without one of those questions gets no nudge of that kind).
 */
export function nudgesFor(state: LiveInteraction, now: number, form: FormDefinition = standardForm): Nudge[] {
  const rules = nudgeRules(form);
  const out: Nudge[] = [];
  const atSegment = (kind: NudgeKind, segmentIndex: number) =>
    out.push({
      id: `${state.interactionId}:${kind}:segment-${segmentIndex}`,
      kind,
      message: messages[kind],
      anchor: { segmentIndex },
      firesAt: state.startedAt + state.segments[segmentIndex]!.end_ms,
    });
  const distress = rules.empathy && unacknowledgedDistress(state, rules.empathy);
  if (distress !== undefined) atSegment('empathy', distress);
  const accountTalk = rules.identity && unverifiedAccountTalk(state, rules.identity);
  if (accountTalk !== undefined) atSegment('verify_identity', accountTalk);
  state.holds.forEach((hold, holdIndex) => {
    const firesAt = holdDueAt(state, hold);
    if (hold.end_ms === null && now >= firesAt)
      out.push({
        id: `${state.interactionId}:hold_update:hold-${holdIndex}`,
        kind: 'hold_update',
        message: messages.hold_update,
        anchor: { holdIndex },
        firesAt,
      });
  });
  return out.sort((a, b) => a.firesAt - b.firesAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * When `nudgesFor` will next have a nudge that the state alone does not prompt yet (an open hold reaching a minute), or
 * null: the desktop sets one timer for it instead of polling, and calls again on any new segment or hold event.
 */
export function nextNudgeAt(state: LiveInteraction, now: number): number | null {
  const due = state.holds.flatMap((hold) => (hold.end_ms === null && holdDueAt(state, hold) > now ? [holdDueAt(state, hold)] : []));
  return due.length > 0 ? Math.min(...due) : null;
}
