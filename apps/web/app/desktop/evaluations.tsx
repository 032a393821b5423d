'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { formatWhen } from '../(app)/coaching/prepare';
import { statusLabels } from '../(app)/quality/prepare';
import { describeError } from '../lib/errors';
import { formatDecimal } from '../lib/format';
import { useTRPC } from '../lib/trpc';
import styles from './desktop.module.css';

/** Releases are not pushed and are rare: read every two minutes. */
const EVALUATIONS_REFRESH_MS = 120_000;
const SHOWN = 3;

/** The latest released evaluations with their score; acknowledge here, open one (to read or dispute it) in the main window. */
export function Evaluations({ timezone }: { timezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.quality.mine.queryOptions({}, { refetchInterval: EVALUATIONS_REFRESH_MS }));
  const acknowledge = useMutation(
    trpc.quality.acknowledge.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.quality.mine.queryFilter()) }),
  );
  const latest = [...(mine.data ?? [])].sort((a, b) => Date.parse(b.endedAt) - Date.parse(a.endedAt)).slice(0, SHOWN);
  return (
    <section className={styles.card} data-testid="desktop-evaluations" aria-labelledby="desktop-evaluations-title">
      <h2 id="desktop-evaluations-title">Quality</h2>
      {!mine.data ? (
        <p className="muted">{mine.error ? describeError(mine.error) : 'Loading…'}</p>
      ) : latest.length === 0 ? (
        <p className="muted">No evaluation has been released to you yet.</p>
      ) : (
        <ul className={styles.list}>
          {latest.map((e) => (
            <li key={e.id} className={styles.evaluation} data-testid="desktop-evaluation" data-status={e.status}>
              <span className={styles.row}>
                <span>
                  <strong className={styles.big}>{formatDecimal(e.score)}</strong>
                  {e.failedCritical && <span className="bad"> ✕ critical</span>}
                </span>
                <span className="muted small">{statusLabels[e.status]}</span>
              </span>
              <span className="muted small">
                {e.queue} · {formatWhen(e.endedAt, timezone)}
              </span>
              <span className={styles.actions}>
                {e.acknowledgedAt ? (
                  <span className="good small">Acknowledged</span>
                ) : (
                  <button
                    type="button"
                    className="small"
                    disabled={acknowledge.isPending && acknowledge.variables?.evaluationId === e.id}
                    onClick={() => acknowledge.mutate({ evaluationId: e.id })}
                  >
                    Acknowledge
                  </button>
                )}
                <Link href={`/me/evaluations/${e.id}`} target="_blank" className="small" title="Read the evaluation and dispute an answer (opens a new tab)">
                  Dispute
                </Link>
              </span>
            </li>
          ))}
        </ul>
      )}
      {acknowledge.error && (
        <p className="error small" role="alert">
          {describeError(acknowledge.error)}
        </p>
      )}
    </section>
  );
}
