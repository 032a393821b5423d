'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { homeOf, useSession } from '../lib/session';
import { useTRPC } from '../lib/trpc';
import { Assignments } from './assignments';
import styles from './desktop.module.css';
import { Evaluations } from './evaluations';
import { Kpis } from './kpis';
import { Adherence, NextActivity } from './next-activity';
import { ConnectionIndicator, Nudges } from './nudges';
import { connectionPlan } from './prepare';
import { useDesktopStream } from './use-desktop-stream';

const SIGN_IN = '/sign-in?next=/desktop';

/** The agent desktop panel: a narrow window beside the phone or CRM, with nudges pushed during calls on top. */
export default function DesktopPage() {
  const me = useSession();
  if (!me.data) {
    const signedOut = me.error?.data?.httpStatus === 401;
    return (
      <main className={styles.desktop}>
        {signedOut ? (
          <p className={styles.card} data-testid="desktop-signed-out">
            You are signed out. <Link href={SIGN_IN}>Sign in</Link> to open your desktop panel.
          </p>
        ) : (
          <p className="muted">{me.error ? me.error.message : 'Loading…'}</p>
        )}
      </main>
    );
  }
  if (me.data.role !== 'agent' || !me.data.agent) {
    return (
      <main className={styles.desktop}>
        <p className={styles.card} data-testid="desktop-not-for-role">
          The desktop panel is for agents: you are signed in as {me.data.name} ({me.data.role}), and only an agent member has one.{' '}
          <Link href={homeOf[me.data.role]}>Go to your start page</Link>.
        </p>
      </main>
    );
  }
  return <AgentPanel name={me.data.agent.name} tenantTimezone={me.data.timezone} />;
}

function AgentPanel({ name, tenantTimezone }: { name: string; tenantTimezone: string }) {
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
