'use client';

import { useQuery } from '@tanstack/react-query';
import { useParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { setPanelToken } from '../../../lib/panel-token';
import { useTRPC } from '../../../lib/trpc';
import { AgentPanel } from '../../agent-panel';
import styles from '../../desktop.module.css';

type Opening = { state: 'opening' } | { state: 'open' } | { state: 'refused'; message: string };

/** One redemption per handshake token, however often the effect runs (React runs it twice in development). */
const redemptions = new Map<string, Promise<Opening>>();

async function redeem(token: string, tenant: string): Promise<Opening> {
  const res = await fetch('/api/desktop/embed/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, tenant }),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string; message?: string };
  if (!res.ok || !body.token) return { state: 'refused', message: body.message ?? `the panel could not open (${res.status})` };
  setPanelToken(body.token);
  return { state: 'open' };
}

/**
 * The desktop panel inside another web app (docs/desktop.md, Embedding): the app's server put a one-time handshake
 * token in this frame's address fragment; it is taken out of the address at once and traded for the panel's token.
 */
export default function EmbeddedDesktopPage() {
  const { tenant } = useParams<{ tenant: string }>();
  const [opening, setOpening] = useState<Opening>({ state: 'opening' });
  useEffect(() => {
    const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
    // Out of the address before anything else: a copied or bookmarked address carries no credential.
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
    if (!token) {
      setOpening({ state: 'refused', message: 'this panel opens from the app it is embedded in, whose link carries a one-time token' });
      return;
    }
    let current = redemptions.get(token);
    if (!current) {
      current = redeem(token, tenant).catch((error: unknown) => ({ state: 'refused' as const, message: (error as Error).message }));
      redemptions.set(token, current);
    }
    void current.then(setOpening);
  }, [tenant]);

  if (opening.state === 'opening') {
    return (
      <main className={styles.desktop}>
        <p className="muted">Opening your panel…</p>
      </main>
    );
  }
  if (opening.state === 'refused') {
    return (
      <main className={styles.desktop}>
        <p className={styles.card} role="alert" data-testid="desktop-embed-refused">
          The panel did not open: {opening.message}.
        </p>
      </main>
    );
  }
  return <EmbeddedPanel />;
}

/** The panel once its token is set; when the token ends (expired, member deactivated) it says how to get a new one. */
function EmbeddedPanel() {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions(undefined, { staleTime: 60_000 }));
  if (!me.data?.agent) {
    const ended = me.error?.data?.httpStatus === 401;
    return (
      <main className={styles.desktop}>
        <p className={ended ? styles.card : 'muted'} role={ended ? 'alert' : undefined} data-testid={ended ? 'desktop-embed-ended' : undefined}>
          {ended ? 'Your panel’s session has ended: reload the page around it to open it again.' : me.error ? me.error.message : 'Loading…'}
        </p>
      </main>
    );
  }
  return <AgentPanel name={me.data.agent.name} tenantTimezone={me.data.timezone} />;
}
