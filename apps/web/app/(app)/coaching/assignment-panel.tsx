'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../lib/errors';
import { formatCount, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import {
  describeEvent,
  describeTarget,
  formatChange,
  formatDate,
  formatInterval,
  formatWhen,
  getEffectUnit,
  isOpen,
  orderTimeline,
  readOutcome,
  statusLabel,
  summariseEvidence,
  verdictLabel,
  type AssignmentDetail,
  type EffectUnit,
  type Outcome,
} from './prepare';
import styles from './coaching.module.css';

/** One assignment: the tip, why it was made, what happened when and by whom, the outcome, and what a coach can do. */
export function AssignmentPanel({ id, timezone, onClose }: { id: string; timezone: string; onClose: () => void }) {
  const trpc = useTRPC();
  const assignment = useQuery(trpc.coaching.assignment.queryOptions({ id }));
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from the table: keyboard and screen-reader users land on it.
  useEffect(() => heading.current?.focus({ preventScroll: true }), [id]);
  const a = assignment.data;
  return (
    <div className={`panel ${styles.assignment}`} data-testid="coaching-assignment" aria-busy={assignment.isFetching}>
      <div className="page-head">
        <h2 ref={heading} tabIndex={-1}>
          {a ? `${a.agentName} · ${a.targetLabel}` : 'Assignment'}
        </h2>
        <span style={{ flex: 1 }} />
        <button type="button" className="ghost small" onClick={onClose} aria-label="Close the assignment">
          Close
        </button>
      </div>
      {!a ? (
        <p className={assignment.error ? 'error' : 'muted'} role={assignment.error ? 'alert' : undefined}>
          {assignment.error ? describeError(assignment.error) : 'Loading the assignment…'}
        </p>
      ) : (
        <Detail key={a.id} a={a} timezone={timezone} />
      )}
    </div>
  );
}

function Detail({ a, timezone }: { a: AssignmentDetail; timezone: string }) {
  const unit = getEffectUnit(a.target);
  const evidence = summariseEvidence(a.evidence, a.target);
  const outcome = readOutcome(a.outcome);
  return (
    <>
      <p className="small">
        <span className="pill">{statusLabel[a.status]}</span> {a.teamName ?? 'no team'} · {a.ruleName} · coach {a.coachName ?? 'none'} · due{' '}
        {formatDate(a.dueAt, timezone)}
        {a.session && ` · session ${a.session.minutes} min${a.session.start ? ` ${formatWhen(a.session.start, timezone)}` : ''}`}
      </p>
      <h3>Tip</h3>
      <div className={styles.tip}>
        <p>
          <strong>{a.tip.headline}</strong>
        </p>
        <p>{a.tip.body}</p>
        {a.tip.guidance && <p className="muted small">Guidance: {a.tip.guidance}</p>}
        {a.tip.example && (
          <blockquote className="small">
            A colleague&apos;s passing answer: <q>{a.tip.example}</q>
          </blockquote>
        )}
      </div>
      <h3>Evidence</h3>
      <p className="small">{evidence.text}</p>
      {evidence.evaluationIds.length > 0 && (
        <p className="small">
          {evidence.evaluationIds.map((e, i) => (
            <span key={e}>
              {i > 0 && ', '}
              <Link href={`/quality/evaluations/${e}`} className="mono">
                evaluation {e.slice(0, 8)}
              </Link>
            </span>
          ))}
        </p>
      )}
      {evidence.weeks.length > 0 && (
        <table className="compact">
          <caption className="sr-only">Weeks beyond the threshold</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col" className="num">
                {describeTarget(a.target)}
              </th>
              <th scope="col" className="num">
                Threshold
              </th>
            </tr>
          </thead>
          <tbody>
            {evidence.weeks.map((w) => (
              <tr key={w.weekStart}>
                <td>{w.weekStart}</td>
                <td className="num">{w.value}</td>
                <td className="num">{w.threshold}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Timeline</h3>
      <ol className={styles.timeline} data-testid="coaching-timeline">
        {orderTimeline(a.timeline).map((e, i) => (
          <li key={`${e.at}-${e.kind}-${i}`}>
            <time dateTime={e.at}>{formatWhen(e.at, timezone)}</time>
            <span>
              {describeEvent(e, timezone)} <span className="muted">· {e.by ?? 'the coaching run'}</span>
            </span>
          </li>
        ))}
      </ol>
      {a.status === 'measuring' && a.measure && <p className="small muted">Measuring until {formatDate(a.measure.until, timezone)}.</p>}
      {a.status === 'closed' && <OutcomeView outcome={outcome} unit={unit} />}
      <Actions a={a} timezone={timezone} />
    </>
  );
}

function OutcomeView({ outcome, unit }: { outcome: Outcome | null; unit: EffectUnit }) {
  if (!outcome || outcome.kind === 'not_measured')
    return (
      <>
        <h3>Outcome</h3>
        <p className="small" data-testid="coaching-outcome">
          Not measured: {outcome?.reason ?? 'no outcome was recorded'}.
        </p>
      </>
    );
  const verdictClass = outcome.outcome === 'improved' ? styles.good : outcome.outcome === 'worse' ? styles.bad : undefined;
  return (
    <>
      <h3>
        Outcome: <span className={verdictClass}>{verdictLabel[outcome.outcome]}</span>
      </h3>
      <dl className={styles.outcome} data-testid="coaching-outcome">
        <dt>Effect on {unit.of}</dt>
        <dd>{formatChange(unit.unit, outcome.estimate)}</dd>
        <dt>{formatPercent(outcome.confidence, 0)} interval</dt>
        <dd>{formatInterval(unit.unit, outcome.low, outcome.high)}</dd>
        <dt>Agent&apos;s change</dt>
        <dd>{formatChange(unit.unit, outcome.coachedChange)}</dd>
        <dt>Comparison change</dt>
        <dd>{formatChange(unit.unit, outcome.comparisonChange)}</dd>
        <dt>Comparison agents</dt>
        <dd>{formatCount(outcome.comparisonAgents)}</dd>
      </dl>
      <p className="muted small">
        The effect is the agent&apos;s change after coaching minus the change of comparable agents nobody coached; {unit.lowerIsBetter ? 'lower' : 'higher'} is
        better.
      </p>
    </>
  );
}

/** Book one of the proposed session slots, or cancel (asked twice). */
function Actions({ a, timezone }: { a: AssignmentDetail; timezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.coaching.pathKey() });
  const cancel = useMutation(trpc.coaching.cancel.mutationOptions({ onSuccess: () => (setConfirming(false), refresh()) }));
  const book = useMutation(trpc.coaching.bookSlot.mutationOptions({ onSuccess: refresh }));
  if (!isOpen(a.status)) return null;
  const error = cancel.error ?? book.error;
  return (
    <>
      {a.status === 'slots_proposed' && (
        <>
          <h3>No free slot was found: pick one</h3>
          <div className={styles.actions} role="group" aria-label="Proposed session slots">
            {a.proposedSlots.length === 0 && <span className="muted small">No slot could be proposed.</span>}
            {a.proposedSlots.map((s) => (
              <button key={s.start} type="button" className="ghost small" disabled={book.isPending} onClick={() => book.mutate({ id: a.id, start: s.start })}>
                Book {formatWhen(s.start, timezone)}
              </button>
            ))}
          </div>
          {book.isSuccess && (
            <p className="small muted" aria-live="polite">
              Booking asked for: the session appears in the timeline once it is in the agent&apos;s schedule.
            </p>
          )}
        </>
      )}
      <div className={styles.actions}>
        {confirming ? (
          <>
            <span className="small">Cancel this coaching for {a.agentName}?</span>
            <button type="button" className="small" onClick={() => cancel.mutate({ id: a.id })} disabled={cancel.isPending}>
              Yes, cancel it
            </button>
            <button type="button" className="ghost small" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="ghost small" onClick={() => setConfirming(true)}>
            Cancel
          </button>
        )}
      </div>
      {error && (
        <p className="error small" role="alert">
          {describeError(error)}
        </p>
      )}
    </>
  );
}
