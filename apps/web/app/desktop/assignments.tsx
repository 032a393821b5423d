'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatWhen, statusLabel } from '../(app)/coaching/prepare';
import { formatClock } from '../(app)/planning/schedules/prepare';
import { describeError } from '../lib/errors';
import { useTRPC } from '../lib/trpc';
import styles from './desktop.module.css';
import { canAcknowledge, describeAgentOutcome, isClosed, type MyAssignment } from './prepare';

/** The agent's coaching: open assignments in full (the tip, what to do, an example), closed ones folded with how they ended. */
export function Assignments({ timezone, pollMs }: { timezone: string; pollMs: number | false }) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.coaching.mine.queryOptions(undefined, { refetchInterval: pollMs }));
  const open = mine.data?.filter((a) => !isClosed(a.status)) ?? [];
  const closed = mine.data?.filter((a) => isClosed(a.status)) ?? [];
  return (
    <section className={styles.card} data-testid="desktop-assignments" aria-labelledby="desktop-coaching">
      <h2 id="desktop-coaching">Coaching</h2>
      {!mine.data ? (
        <p className="muted">{mine.error ? describeError(mine.error) : 'Loading…'}</p>
      ) : (
        <>
          {open.length === 0 ? (
            <p className="muted">No open coaching.</p>
          ) : (
            <ul className={styles.list}>
              {open.map((a) => (
                <OpenAssignment key={a.id} assignment={a} timezone={timezone} />
              ))}
            </ul>
          )}
          {closed.length > 0 && (
            <details className={styles.closed}>
              <summary>Closed ({closed.length})</summary>
              <ul>
                {closed.map((a) => (
                  <li key={a.id} data-testid="assignment" data-status={a.status}>
                    <strong>{a.tip.headline}</strong> — {describeAgentOutcome(a)}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

function OpenAssignment({ assignment: a, timezone }: { assignment: MyAssignment; timezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const acknowledge = useMutation(
    trpc.coaching.acknowledge.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.coaching.mine.queryFilter()) }),
  );
  const session = a.session;
  return (
    <li className={styles.assignment} data-testid="assignment" data-status={a.status}>
      <header>
        <strong>{a.tip.headline}</strong>
        <span className={`pill ${a.status === 'overdue' ? 'bad' : 'muted'}`}>{statusLabel[a.status]}</span>
      </header>
      <p>{a.tip.body}</p>
      {a.tip.guidance && <p className={styles.guidance}>{a.tip.guidance}</p>}
      {a.tip.ownLines.length > 0 && <OwnLines assignmentId={a.id} />}
      {a.tip.example && (
        <>
          <p className="muted small">An example from another call (anonymised):</p>
          <blockquote className={styles.example}>{a.tip.example}</blockquote>
        </>
      )}
      {a.status === 'session_booked' && session?.start && (
        <p data-testid="assignment-session">
          Session{a.coachName ? ` with ${a.coachName}` : ''}: {formatWhen(session.start, timezone)}
          {session.end ? `–${formatClock(session.end, timezone)}` : ''}
        </p>
      )}
      {a.status === 'slots_proposed' && <p className="muted small">Your coach is picking a time for the session.</p>}
      <p className={`small ${a.status === 'overdue' ? 'bad' : 'muted'}`}>
        {a.status === 'overdue' ? 'Was due' : 'Due'} {formatWhen(a.dueAt, timezone)}
      </p>
      {canAcknowledge(a.status) && (
        <div className={styles.actions}>
          <button type="button" className="small" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate({ id: a.id })}>
            {acknowledge.isPending ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        </div>
      )}
      {acknowledge.error && (
        <p className="error small" role="alert">
          {describeError(acknowledge.error)}
        </p>
      )}
    </li>
  );
}

/** The agent's own words the tip cites, read from the stored calls when shown (never copied into the tip). */
function OwnLines({ assignmentId }: { assignmentId: string }) {
  const trpc = useTRPC();
  const lines = useQuery(trpc.coaching.ownLines.queryOptions({ id: assignmentId }, { staleTime: 5 * 60_000 }));
  if (!lines.data) return lines.error ? <p className="muted small">{describeError(lines.error)}</p> : null;
  return (
    <div data-testid="own-lines">
      <p className="muted small">What you said:</p>
      <ul className={styles.ownLines}>
        {lines.data.map((l) => (
          <li key={`${l.evaluationId}:${l.segmentIndex}`}>
            {l.text === null ? <span className="muted small">(this call is no longer stored)</span> : <q>{l.text}</q>}{' '}
            <a href={`/me/evaluations/${l.evaluationId}`} target="_blank" rel="noreferrer" className="small" title="The evaluation (opens a new tab)">
              evaluation
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
