'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { formatDecimal } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { statusLabels } from '../quality/prepare';

/** The agent's released quality evaluations, newest first, with what still needs their attention. */
export function MyEvaluations() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.quality.mine.queryOptions({}));
  return (
    <div className="panel">
      <h2>My quality evaluations</h2>
      {mine.error && (
        <p className="error" role="alert">
          {mine.error.message}
        </p>
      )}
      {mine.data &&
        (mine.data.length === 0 ? (
          <p className="muted">No evaluation has been released to you yet.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="my-evaluations">
              <thead>
                <tr>
                  <th scope="col">Interaction ended</th>
                  <th scope="col">Queue</th>
                  <th scope="col" className="num">
                    Score
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {mine.data.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <Link href={`/me/evaluations/${e.id}`}>{new Date(e.endedAt).toLocaleString()}</Link>
                    </td>
                    <td>{e.queue}</td>
                    <td className="num">
                      {formatDecimal(e.score)}
                      {e.failedCritical && <span className="bad"> ✕ critical</span>}
                    </td>
                    <td>{statusLabels[e.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </div>
  );
}
