'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../../lib/errors';
import { useTRPC } from '../../../lib/trpc';
import { describeGain, describeMove, describeProposal, describeRefusal, splitProposals, statusClass, statusLabel, type Proposal } from './prepare';
import styles from './intraday.module.css';

/** What accepting does, said before the click. */
const acceptMeans: Record<Proposal['kind'], string> = {
  break_moves: 'Accepting moves these breaks in a new version of the published schedule.',
  vto: 'Accepting offers it to the eligible agents; the first to take it from My day get it.',
  overtime: 'Accepting offers it to the eligible agents; the first to take it from My day get it.',
};

/** The loop's proposals for the day: waiting ones first with Accept and Reject for planners, then the rest. */
export function Proposals({ proposals, timezone, canDecide }: { proposals: Proposal[]; timezone: string; canDecide: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [showPast, setShowPast] = useState(false);
  const decide = useMutation(
    trpc.intraday.decide.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.intraday.pathKey() }),
    }),
  );
  const { current, past } = splitProposals(proposals);
  const waiting = current.filter((p) => p.status === 'proposed').length;
  return (
    <div className="panel" data-testid="intraday-proposals">
      <div className="page-head">
        <h2>Proposals</h2>
        <span className="muted small">{waiting === 0 ? 'Nothing waiting for a decision' : `${waiting} waiting for a decision`}</span>
      </div>
      {decide.error && (
        <p className="error" role="alert">
          {describeError(decide.error)}
        </p>
      )}
      {current.length === 0 ? (
        <p className="muted">No proposals: the gap stays within the threshold, or nothing can close it.</p>
      ) : (
        <ul className={styles.proposals}>
          {current.map((p) => (
            <ProposalItem
              key={p.id}
              proposal={p}
              timezone={timezone}
              canDecide={canDecide}
              pending={decide.isPending && decide.variables.id === p.id}
              onDecide={(approve) => decide.mutate({ id: p.id, approve })}
            />
          ))}
        </ul>
      )}
      {past.length > 0 && (
        <>
          <button type="button" className="ghost small" aria-expanded={showPast} onClick={() => setShowPast((s) => !s)}>
            {showPast ? 'Hide' : 'Show'} {past.length} earlier ({[...new Set(past.map((p) => statusLabel[p.status].toLowerCase()))].join(', ')})
          </button>
          {showPast && (
            <ul className={styles.proposals}>
              {past.map((p) => (
                <ProposalItem key={p.id} proposal={p} timezone={timezone} canDecide={false} pending={false} onDecide={() => undefined} />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function ProposalItem({
  proposal: p,
  timezone,
  canDecide,
  pending,
  onDecide,
}: {
  proposal: Proposal;
  timezone: string;
  canDecide: boolean;
  pending: boolean;
  onDecide: (approve: boolean) => void;
}) {
  const title = describeProposal(p, timezone);
  const offer = p.kind !== 'break_moves';
  return (
    <li data-testid="proposal" data-kind={p.kind} data-status={p.status}>
      <div className={styles.head}>
        <strong data-testid="proposal-title">{title}</strong>
        <span className={`pill ${statusClass[p.status]}`} data-testid="proposal-status">
          {statusLabel[p.status]}
        </span>
        <span className="muted small">
          <abbr title="Short or over agent-intervals of the gap this closes">gain</abbr> {describeGain(p.gain)}
        </span>
        {offer && (p.status === 'open' || p.status === 'filled') && (
          <span className="small" data-testid="proposal-taken">
            {p.taken} of {p.agents} taken
          </span>
        )}
        {canDecide && p.status === 'proposed' && (
          <span className="button-row">
            <button type="button" className="small" disabled={pending} onClick={() => onDecide(true)} aria-label={`Accept: ${title}`}>
              Accept
            </button>
            <button type="button" className="ghost small" disabled={pending} onClick={() => onDecide(false)} aria-label={`Reject: ${title}`}>
              Reject
            </button>
          </span>
        )}
      </div>
      {p.kind === 'break_moves' ? (
        <ul className={`small ${styles.details}`} aria-label="Moves">
          {p.moves.map((m) => (
            <li key={`${m.agentName}-${m.from}`}>{describeMove(m, timezone)}</li>
          ))}
        </ul>
      ) : (
        <details className={`small ${styles.details}`}>
          <summary>
            {p.eligible.length} eligible{p.refused.length > 0 ? `, ${p.refused.length} not` : ''}
          </summary>
          <p>
            <span className="muted">Eligible: </span>
            {p.eligible.length ? p.eligible.join(', ') : 'nobody'}
          </p>
          {p.refused.length > 0 && (
            <ul aria-label="Not eligible">
              {p.refused.map((r) => (
                <li key={r.agentName}>{describeRefusal(r)}</li>
              ))}
            </ul>
          )}
        </details>
      )}
      {canDecide && p.status === 'proposed' && <p className="muted small">{acceptMeans[p.kind]}</p>}
    </li>
  );
}
