'use client';

import { useQuery } from '@tanstack/react-query';
import { kindColor, kindLabel } from '../(app)/planning/schedules/activity-kinds';
import { statusColor, statusLabel } from '../(app)/adherence/prepare';
import { formatCount, formatDuration, formatPercent } from '../lib/format';
import { describeError } from '../lib/errors';
import { useTRPC } from '../lib/trpc';
import styles from './desktop.module.css';
import { describeDay, nextActivityText } from './prepare';
import { useNow } from './use-desktop-stream';

/** What is on now and what comes next, counting down every second on the host's clock (no refetch for the count). */
export function NextActivity({ offsetMs, pollMs }: { offsetMs: number; pollMs: number | false }) {
  const trpc = useTRPC();
  const schedule = useQuery(trpc.me.schedule.queryOptions({}, { refetchInterval: pollMs }));
  const now = useNow(offsetMs);
  if (!schedule.data) {
    return (
      <div data-testid="desktop-next-activity">
        <p className="muted">{schedule.error ? describeError(schedule.error) : 'Loading your schedule…'}</p>
      </div>
    );
  }
  const day = describeDay(schedule.data.activities, now, schedule.data.timezone);
  return (
    <div data-testid="desktop-next-activity">
      <p className="muted small">{day.current ? `Now: ${day.current.text}` : 'Nothing scheduled now'}</p>
      {day.next ? (
        <p className={styles.big}>
          <span className={styles.dot} style={{ background: kindColor[day.next.kind] }} aria-hidden="true" />
          <time dateTime={new Date(day.next.startMs).toISOString()}>{nextActivityText(day.next, now)}</time>
        </p>
      ) : (
        <p className={styles.big}>Nothing more scheduled today</p>
      )}
      {day.later && <p className="muted small">Next shift: {day.later}</p>}
      {day.today.length > 0 && (
        <details>
          <summary>Today’s schedule</summary>
          <ol className={styles.today}>
            {day.today.map((r) => (
              <li key={r.from + r.kind} aria-current={r.current ? 'true' : undefined}>
                <span>
                  {r.from}–{r.to}
                </span>
                <span>{kindLabel[r.kind]}</span>
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

/**
 * Adherence now and today. The status follows the agent's state, which is not pushed: it is read every 30 s while
 * the stream is live (every 10 s while polling), and the "out for" time runs between reads.
 */
export function Adherence({ pollMs }: { pollMs: number | false }) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.adherence.mine.queryOptions(undefined, { refetchInterval: pollMs || 30_000 }));
  const now = useNow(0);
  const data = mine.data;
  if (!data) {
    return (
      <div data-testid="desktop-adherence" className={styles.divider}>
        <p className="muted">{mine.error ? describeError(mine.error) : 'Loading your adherence…'}</p>
      </div>
    );
  }
  // The host's time of the answer, moved on by the time since it arrived.
  const serverNow = Date.parse(data.generatedAt) + (now - mine.dataUpdatedAt);
  return (
    <div data-testid="desktop-adherence" data-status={data.status} className={styles.divider}>
      <p className={styles.row}>
        <span>
          <span className={styles.dot} style={{ background: statusColor(data.status, data.severity) }} aria-hidden="true" />
          <strong>{statusLabel[data.status]}</strong>
          {data.outSince && <span className="muted"> for {formatDuration((serverNow - Date.parse(data.outSince)) / 1000)}</span>}
        </span>
        <span className="muted small" title={`${formatCount(data.today.outOfAdherenceMin)} min out of ${formatCount(data.today.scheduledMin)} scheduled`}>
          Today {formatPercent(data.today.adherence)} in adherence
        </span>
      </p>
    </div>
  );
}
