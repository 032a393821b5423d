'use client';

import { localDateOf } from '@switchboard/calendar';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { StatePill, type AgentStateName } from '../../components/agent-state';
import { formatCount, formatDuration, formatPercent } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { ExceptionList, FileException } from '../adherence/exceptions';
import { formatIn, statusColor, statusLabel } from '../adherence/prepare';
import styles from '../adherence/adherence.module.css';
import { kindLabel } from '../planning/schedules/activity-kinds';
import { formatClock } from '../planning/schedules/prepare';

/** The standing moves between polls on the agent's own clock; a minute's resolution is what it shows. */
const POLL_MS = 10_000;

/** The agent's own adherence: what they are scheduled for now and next, whether their state fits, today so far; exceptions to ask for. */
export function MyAdherence() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.adherence.mine.queryOptions(undefined, { refetchInterval: POLL_MS }));
  const agentKey = useSession().data?.agent?.key;
  const [now, setNow] = useState(() => Date.now());
  const [filing, setFiling] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const data = mine.data;
  if (!data) return <div className="panel muted">{mine.error ? mine.error.message : 'Loading your adherence…'}</div>;
  const serverNow = Date.parse(data.generatedAt) + (now - mine.dataUpdatedAt);
  const clock = (iso: string) => formatClock(iso, data.timezone);
  const next = data.next;
  return (
    <div className="panel" data-testid="my-adherence">
      <div className="page-head">
        <h2>My adherence</h2>
        <button type="button" className="ghost small" onClick={() => setFiling((f) => !f)} aria-expanded={filing}>
          {filing ? 'Hide exceptions' : 'Ask for an exception'}
        </button>
      </div>
      <div className={styles.widget}>
        <span className={styles.status}>
          <i className={styles.dot} style={{ background: statusColor(data.status, data.severity) }} aria-hidden="true" />
          <strong data-testid="my-adherence-status">{statusLabel[data.status]}</strong>
          {data.outSince && <span className="muted">for {formatDuration((serverNow - Date.parse(data.outSince)) / 1000)}</span>}
        </span>
        <span>
          {data.activity ? (
            <>
              Scheduled: {kindLabel[data.activity.kind]} until {clock(data.activity.end)}
            </>
          ) : (
            'Nothing scheduled now'
          )}{' '}
          · you are <StatePill state={data.state as AgentStateName} />
        </span>
        <span className={styles.big} data-testid="my-adherence-next">
          {next
            ? `You are scheduled for ${kindLabel[next.kind].toLowerCase()} at ${clock(next.start)}, ${formatIn(Date.parse(next.start) - serverNow)}`
            : 'Nothing more is scheduled today'}
        </span>
        <span data-testid="my-adherence-today">
          Today: {formatPercent(data.today.adherence)} in adherence · {formatCount(data.today.outOfAdherenceMin)} min out of{' '}
          {formatCount(data.today.scheduledMin)}
        </span>
      </div>
      {filing && (
        <>
          <p className="muted small">
            Something kept you from your schedule (a system outage, coaching that ran over…)? Ask your supervisor to excuse that time.
          </p>
          <FileException timezone={data.timezone} today={localDateOf(serverNow, data.timezone)} agentKey={agentKey} />
          <ExceptionList timezone={data.timezone} canDecide={false} />
        </>
      )}
    </div>
  );
}
