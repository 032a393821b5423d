'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { localDateOf } from '@switchboard/calendar';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors';
import { formatCount } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { formatDate, groupDetectedDays, type Overview } from './prepare';

const statusLabel = { pending: 'to review', confirmed: 'special day', rejected: 'normal day' } as const;

/**
 * Days forecast runs found unusual without being told, one row per date: the planner makes
 * each a special day (once or every year) or says it was normal, and the next run follows.
 */
export function DetectedDays({ overview, canEdit }: { overview: Overview; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detected = useQuery(trpc.planning.detectedDays.list.queryOptions());
  const [showDecided, setShowDecided] = useState(false);
  const decide = useMutation(
    trpc.planning.detectedDays.decide.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.planning.detectedDays.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.planning.specialDays.list.queryKey() }),
        ]),
    }),
  );
  const names = new Map(overview.queues.map((q) => [q.key, q.name]));
  const dates = groupDetectedDays(detected.data ?? []);
  const shown = dates.filter((d) => showDecided || d.status === 'pending');
  const error = decide.error ?? detected.error;
  return (
    <div className="panel" data-testid="detected-days">
      <h2>Detected days</h2>
      <p className="muted small">
        Found in the history by the last forecast runs and already left out of every method&rsquo;s fit: <em>closed</em> (next to nothing on a normally open
        day) or <em>unusual</em> (far above or below its weekday: an outage, a promotion). Confirm one to keep it as a special day, make it yearly, or say it
        was a normal day to keep it in the history.
      </p>
      <label className="small">
        <input type="checkbox" checked={showDecided} onChange={(e) => setShowDecided(e.target.checked)} /> Show decided days
      </label>
      {error && (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      )}
      {detected.data && shown.length === 0 ? (
        <p className="muted" data-testid="detected-days-empty">
          {dates.length === 0 ? 'Nothing detected yet: runs list what they find here.' : 'Every detected day has been decided.'}
        </p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Found</th>
              <th scope="col">Status</th>
              {canEdit && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.date} data-testid="detected-day" data-date={d.date}>
                <td>{formatDate(d.date)}</td>
                <td>
                  <strong className={d.kind === 'closed' ? 'bad' : undefined}>detected: {d.kind}</strong>
                  <ul className="plain small">
                    {d.queues.map((q) => (
                      <li key={q.queueKey}>
                        {names.get(q.queueKey) ?? q.queueKey}: {formatCount(q.total)} vs {formatCount(q.expected)} expected
                      </li>
                    ))}
                  </ul>
                </td>
                <td data-testid="detected-day-status">{statusLabel[d.status]}</td>
                {canEdit && (
                  <td className="num">
                    {d.status === 'pending' && (
                      <span className="button-row">
                        <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ date: d.date, decision: 'confirm' })}>
                          Confirm
                        </button>
                        <button
                          type="button"
                          className="ghost"
                          disabled={decide.isPending}
                          onClick={() => decide.mutate({ date: d.date, decision: 'recurring' })}
                          title="A special day on this month and day every year"
                        >
                          Every year
                        </button>
                        <button type="button" className="ghost" disabled={decide.isPending} onClick={() => decide.mutate({ date: d.date, decision: 'reject' })}>
                          Normal day
                        </button>
                      </span>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The tenant's public-holiday calendar: which region, the effect of a holiday history cannot teach, and what is coming. */
export function HolidayCalendar({ overview, canEdit }: { overview: Overview; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.planning.forecastSettings.get.queryOptions());
  const today = localDateOf(new Date(), overview.timezone);
  const upcoming = useQuery(trpc.planning.holidays.queryOptions({ from: today, days: 366 }));
  const [draft, setDraft] = useState<{ region: string; multiplier: string } | null>(null);
  const stored = { region: settings.data?.holidayRegion ?? '', multiplier: String(settings.data?.holidayMultiplier ?? 0) };
  const value = draft ?? stored;
  const save = useMutation(
    trpc.planning.forecastSettings.save.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await queryClient.invalidateQueries({ queryKey: trpc.planning.forecastSettings.get.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.planning.holidays.queryKey() });
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ holidayRegion: value.region.trim() === '' ? null : value.region, holidayMultiplier: Number(value.multiplier) });
  };
  return (
    <div className="panel" data-testid="holiday-calendar">
      <h2>Public holidays</h2>
      <p className="muted small">
        Holidays of the region become special days in every forecast: each takes the effect it had in past years, else the effect the other holidays had, else
        the multiplier below (0: closed). The first days back get the after-closure lift the forecast learns.
      </p>
      {canEdit ? (
        <form className="inline-form" aria-label="Holiday calendar" onSubmit={submit}>
          <input
            aria-label="Holiday region"
            placeholder="none, or e.g. US, GB-SCT, DE-BY"
            maxLength={12}
            value={value.region}
            onChange={(e) => (save.reset(), setDraft({ ...value, region: e.target.value }))}
          />
          <label className="small">
            unseen holiday ×
            <input
              type="number"
              aria-label="Multiplier of a holiday never seen"
              min={0}
              max={10}
              step="any"
              required
              value={value.multiplier}
              onChange={(e) => (save.reset(), setDraft({ ...value, multiplier: e.target.value }))}
            />
          </label>
          <button type="submit" disabled={save.isPending || draft === null}>
            Save
          </button>
        </form>
      ) : (
        <p>{stored.region === '' ? 'No holiday calendar.' : `Region ${stored.region}; a holiday never seen × ${stored.multiplier}.`}</p>
      )}
      {(save.error ?? settings.error ?? upcoming.error) && (
        <p className="error" role="alert">
          {describeError((save.error ?? settings.error ?? upcoming.error)!)}
        </p>
      )}
      {upcoming.data?.region && (
        <>
          <h3 className="small">Next twelve months in {upcoming.data.region}</h3>
          {upcoming.data.holidays.length === 0 ? (
            <p className="muted">No public holidays.</p>
          ) : (
            <ul className="plain small" data-testid="upcoming-holidays">
              {upcoming.data.holidays.map((h) => (
                <li key={`${h.date}:${h.name}`}>
                  {formatDate(h.date)} · {h.name}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
