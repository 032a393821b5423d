import type { PlannedActivity } from '../schedule/week.ts';
import type { OfferKind } from './offers.ts';

const byStart = (a: PlannedActivity, b: PlannedActivity) => a.start - b.start || a.end - b.end;

/** Sorted, with touching work activities joined and empty ones dropped. */
function normalise(activities: readonly PlannedActivity[]): PlannedActivity[] {
  const out: PlannedActivity[] = [];
  for (const a of [...activities].filter((x) => x.end > x.start).sort(byStart)) {
    const last = out.at(-1);
    if (last && last.kind === 'work' && a.kind === 'work' && a.start === last.end) last.end = a.end;
    else out.push({ ...a });
  }
  return out;
}

/** `kind` over [start, end) in place of work there; a RangeError unless one work activity holds the whole range. */
function carveOutOfWork(activities: readonly PlannedActivity[], kind: PlannedActivity['kind'], start: number, end: number): PlannedActivity[] {
  const i = activities.findIndex((a) => a.kind === 'work' && a.start <= start && end <= a.end);
  if (i < 0) throw new RangeError(`${kind} [${start}, ${end}) is not inside work`);
  const work = activities[i]!;
  const out: PlannedActivity[] = [
    ...activities.slice(0, i),
    { kind: 'work', start: work.start, end: start },
    { kind, start, end },
    { kind: 'work', start: end, end: work.end },
    ...activities.slice(i + 1),
  ];
  return out.filter((a) => a.end > a.start);
}

/**
 * One agent's activities after their breaks move: each moved break becomes work, then takes its new start out of
 * the work there. All are lifted before any is placed, so two breaks may trade places. A RangeError when a move's
 * break is not in the activities or its new place is not work.
 */
export function applyBreakMoves(
  activities: readonly PlannedActivity[],
  moves: readonly { kind: 'break' | 'lunch'; from: number; to: number; lengthMin: number }[],
): PlannedActivity[] {
  let out = activities.map((a) => ({ ...a }));
  for (const move of moves) {
    const found = out.find((a) => a.kind === move.kind && a.start === move.from && a.end === move.from + move.lengthMin);
    if (!found) throw new RangeError(`no ${move.kind} of ${move.lengthMin} min starts at ${move.from}`);
    found.kind = 'work';
  }
  out = normalise(out);
  for (const move of moves) out = normalise(carveOutOfWork(out, move.kind, move.to, move.to + move.lengthMin));
  return out;
}

/**
 * One agent's activities after they take an offer: VTO turns the work over its range into time off (all of it must
 * be work), overtime adds work over a range with nothing in it. A RangeError when the offer does not fit.
 */
export function applyOffer(activities: readonly PlannedActivity[], offer: { kind: OfferKind; start: number; end: number }): PlannedActivity[] {
  const { start, end } = offer;
  if (!(end > start)) throw new RangeError(`an offer must end after it starts, not [${start}, ${end})`);
  const current = normalise(activities);
  if (offer.kind === 'vto') return normalise(carveOutOfWork(current, 'time_off', start, end));
  const clash = current.find((a) => a.start < end && start < a.end);
  if (clash) throw new RangeError(`overtime [${start}, ${end}) overlaps ${clash.kind} [${clash.start}, ${clash.end})`);
  return normalise([...current, { kind: 'work', start, end }]);
}

/** One agent's activities with a coaching session over [start, end) in place of work there; a RangeError unless it is all work. */
export function applySession(activities: readonly PlannedActivity[], slot: { start: number; end: number }): PlannedActivity[] {
  return normalise(carveOutOfWork(normalise(activities), 'coaching', slot.start, slot.end));
}

/** One agent's activities with the coaching session over [start, end) given back to work; a RangeError when there is none there. */
export function releaseSession(activities: readonly PlannedActivity[], slot: { start: number; end: number }): PlannedActivity[] {
  const session = activities.find((a) => a.kind === 'coaching' && a.start === slot.start && a.end === slot.end);
  if (!session) throw new RangeError(`no coaching session [${slot.start}, ${slot.end})`);
  return normalise(activities.map((a) => (a === session ? { ...a, kind: 'work' as const } : a)));
}
