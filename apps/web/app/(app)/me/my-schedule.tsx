'use client';

import { addLocalDays, localDateOf } from '@switchboard/calendar';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { useEffect, useState } from 'react';
import { describeError } from '../../lib/errors';
import { download } from '../../lib/export';
import { useTRPC } from '../../lib/trpc';
import { kindColor, kindLabel } from '../planning/schedules/activity-kinds';
import { formatClock, formatDay } from '../planning/schedules/prepare';
import styles from './me.module.css';

type MyActivity = inferRouterOutputs<AppRouter>['me']['schedule']['activities'][number];

/** The countdown moves on its own; a minute's resolution is all it shows. */
const TICK_MS = 15_000;

/** "12 min", "2 h 5 min", "3 days". */
function formatWait(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return `${min} min`;
  if (min < 24 * 60) return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
  const days = Math.round(min / 1440);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** What is on now and what comes next, in words ("Lunch in 12 min"). */
function describeNext(activities: readonly MyActivity[], now: number, timezone: string): { now: string | null; next: string } {
  const sorted = [...activities].sort((a, b) => a.start.localeCompare(b.start));
  const current = sorted.find((a) => Date.parse(a.start) <= now && now < Date.parse(a.end));
  const next = sorted.find((a) => Date.parse(a.start) > now);
  const nowText = current ? `${kindLabel[current.kind]} until ${formatClock(current.end, timezone)}` : null;
  if (!next) return { now: nowText, next: 'Nothing more is published for these two weeks.' };
  const label = next.kind === 'work' && !current ? 'Your shift starts' : kindLabel[next.kind];
  return { now: nowText, next: `${label} in ${formatWait(Date.parse(next.start) - now)} (${formatClock(next.start, timezone)})` };
}

/** The agent's published schedule, this week and next, day by day on their own clock. */
export function MySchedule() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const schedule = useQuery(trpc.me.schedule.queryOptions({}));
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const acknowledge = useMutation(
    trpc.me.acknowledge.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.me.schedule.queryKey() }) }),
  );
  const exportIcs = useMutation({
    mutationFn: () => queryClient.fetchQuery(trpc.me.ical.queryOptions(undefined, { staleTime: 0 })),
    onSuccess: (ics) => download(new Blob([ics], { type: 'text/calendar;charset=utf-8' }), 'switchboard-schedule.ics'),
  });

  if (!schedule.data) return <p className="panel muted">{schedule.error ? schedule.error.message : 'Loading your schedule…'}</p>;
  const { timezone, weekStart, activities, toAcknowledge } = schedule.data;
  const today = localDateOf(now, timezone);
  const next = describeNext(activities, now, timezone);
  const weeks = [
    { title: 'This week', dates: Array.from({ length: 7 }, (_, d) => addLocalDays(weekStart, d)) },
    { title: 'Next week', dates: Array.from({ length: 7 }, (_, d) => addLocalDays(weekStart, 7 + d)) },
  ];
  return (
    <>
      {toAcknowledge.map((a) => (
        <div key={a.scheduleId} className={`panel ${styles.banner}`} role="status" data-testid="acknowledge-banner">
          <span className="pill warning">New</span>
          <span>
            Your schedule for the week of {formatDay(a.weekStart)} is published.
            {a.acknowledgeBy &&
              ` Please acknowledge by ${formatDay(localDateOf(Date.parse(a.acknowledgeBy), timezone))} ${formatClock(a.acknowledgeBy, timezone)}.`}
          </span>
          <button type="button" onClick={() => acknowledge.mutate({ scheduleId: a.scheduleId })} disabled={acknowledge.isPending}>
            Acknowledge
          </button>
        </div>
      ))}
      {acknowledge.error && (
        <p className="error" role="alert">
          {describeError(acknowledge.error)}
        </p>
      )}
      <div className="panel" data-testid="my-schedule">
        <div className="page-head">
          <h2>My schedule</h2>
          <span className="muted small">Times in {timezone}</span>
        </div>
        {next.now && <p className="muted small">Now: {next.now}</p>}
        <p className={styles.next} data-testid="next-activity" aria-live="polite">
          {next.next}
        </p>
        <p>
          <button type="button" className="ghost small" onClick={() => exportIcs.mutate()} disabled={exportIcs.isPending} data-testid="export-ics">
            Export to calendar (.ics)
          </button>
          {exportIcs.error && <span className="error small"> {exportIcs.error.message}</span>}
        </p>
        {weeks.map((w) => (
          <section key={w.title} aria-label={w.title}>
            <h3 className="sub">{w.title}</h3>
            <ul className={styles.days}>
              {w.dates.map((date) => {
                const mine = activities.filter((a) => a.shiftDate === date).sort((a, b) => a.start.localeCompare(b.start));
                return (
                  <li key={date} className={`${styles.day} ${date === today ? styles.today : ''}`} data-testid="my-day" data-date={date}>
                    <header>
                      <strong>
                        {formatDay(date)}
                        {date === today ? ' · today' : ''}
                      </strong>
                      <span data-testid="my-day-shift">
                        {mine.length === 0 ? (
                          <span className="muted">Day off</span>
                        ) : (
                          `${formatClock(mine[0]!.start, timezone)} – ${formatClock(mine.at(-1)!.end, timezone)}`
                        )}
                      </span>
                    </header>
                    {mine.length > 0 && (
                      <ul className={styles.acts}>
                        {mine.map((a) => (
                          <li key={a.id}>
                            <i className={styles.swatch} style={{ background: kindColor[a.kind] }} />
                            {formatClock(a.start, timezone)}–{formatClock(a.end, timezone)} {kindLabel[a.kind]}
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
