'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../lib/trpc';
import { Assignments } from './assignments';
import styles from './desktop.module.css';
import { Evaluations } from './evaluations';
import { Kpis } from './kpis';
import { Adherence, NextActivity } from './next-activity';
import { ConnectionIndicator, Nudges } from './nudges';
import { connectionPlan } from './prepare';
import { useDesktopStream } from './use-desktop-stream';

/** The signed-in agent's panel, on /desktop (session cookie) and embedded in another app (/desktop/embed, panel token). */
export function AgentPanel({ name, tenantTimezone }: { name: string; tenantTimezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refetchCoaching = () => void queryClient.invalidateQueries(trpc.coaching.mine.queryFilter());
  const refetchSchedule = () => {
    void queryClient.invalidateQueries(trpc.me.schedule.queryFilter());
    void queryClient.invalidateQueries(trpc.adherence.mine.queryFilter());
  };
  const stream = useDesktopStream({
    coaching: refetchCoaching,
    schedule: refetchSchedule,
    resync: () => {
      refetchCoaching();
      refetchSchedule();
    },
  });
  const { pollMs } = connectionPlan(stream.connection);
  // Dates read on the agent's own clock (their schedule's), the tenant's until that has loaded.
  const agentTimezone = useQuery(trpc.me.schedule.queryOptions({}, { refetchInterval: pollMs, select: (s) => s.timezone })).data;
  const timezone = agentTimezone ?? tenantTimezone;
  return (
    <main className={styles.desktop} data-testid="desktop-panel">
      <div className={styles.top}>
        <header className={styles.header}>
          <strong title={name}>{name}</strong>
          <ConnectionIndicator connection={stream.connection} />
        </header>
        <Nudges nudges={stream.nudges} onDismiss={stream.dismiss} />
      </div>
      <section className={styles.card} aria-label="Your schedule and adherence">
        <NextActivity offsetMs={stream.offsetMs} pollMs={pollMs} />
        <Adherence pollMs={pollMs} />
      </section>
      <Assignments timezone={timezone} pollMs={pollMs} />
      <Kpis timezone={timezone} />
      <Evaluations timezone={timezone} />
    </main>
  );
}
