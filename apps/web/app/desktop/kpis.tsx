'use client';

import { useQuery } from '@tanstack/react-query';
import { formatClock } from '../(app)/planning/schedules/prepare';
import { describeError } from '../lib/errors';
import { useTRPC } from '../lib/trpc';
import styles from './desktop.module.css';
import { kpiRows } from './prepare';

/** Calls are not pushed: today's figures are read once a minute. */
const KPI_REFRESH_MS = 60_000;

/** The agent's figures today beside their team's aggregate (the API gives the team's sum only, never a colleague's). */
export function Kpis({ timezone }: { timezone: string }) {
  const trpc = useTRPC();
  const kpis = useQuery(trpc.desktop.kpis.queryOptions(undefined, { refetchInterval: KPI_REFRESH_MS }));
  const data = kpis.data;
  return (
    <section className={styles.card} data-testid="desktop-kpis" aria-labelledby="desktop-kpis-title">
      <h2 id="desktop-kpis-title">Today{data ? ` since ${formatClock(data.since, timezone)}` : ''}</h2>
      {!data ? (
        <p className="muted">{kpis.error ? describeError(kpis.error) : 'Loading…'}</p>
      ) : (
        <table className={styles.kpis}>
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Figure</span>
              </th>
              <th scope="col">You</th>
              <th scope="col" title={`${data.team.agents} agents`}>
                {data.teamName ?? 'Team'}
              </th>
            </tr>
          </thead>
          <tbody>
            {kpiRows(data).map((r) => (
              <tr key={r.id} data-kpi={r.id}>
                <th scope="row">{r.label}</th>
                <td>{r.mine}</td>
                <td className="muted">{r.team}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
