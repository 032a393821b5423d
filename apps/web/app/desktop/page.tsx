'use client';

import Link from 'next/link';
import { homeOf, useSession } from '../lib/session';
import { AgentPanel } from './agent-panel';
import styles from './desktop.module.css';

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
