'use client';

import { addLocalDays, localDateOf } from '@switchboard/calendar';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors';
import { formatDecimal } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { formatClock, formatDay } from '../planning/schedules/prepare';
import { timeToMinutes } from '../planning/prepare';
import styles from './me.module.css';

const statusClass: Record<string, string> = { approved: 'good', pending: 'warning', refused: 'bad', cancelled: 'muted' };

/** Asking for a whole or part day off, what became of each request, and the year's balance. */
export function TimeOff({ timezone }: { timezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.me.timeOff.list.queryOptions());
  const [date, setDate] = useState(() => addLocalDays(localDateOf(new Date(), timezone), 1));
  const [wholeDay, setWholeDay] = useState(true);
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('13:00');
  // A request changes the published week when approved at once: the schedule above refreshes too.
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.me.pathKey() });
  const request = useMutation(trpc.me.timeOff.request.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.me.timeOff.cancel.mutationOptions({ onSuccess: refresh }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate({ date, fromMin: wholeDay ? null : timeToMinutes(from), toMin: wholeDay ? null : timeToMinutes(to) });
  };
  const answer = request.data?.request;
  const now = Date.now();
  return (
    <div className="panel" data-testid="time-off">
      <h2>Time off</h2>
      {list.data && (
        <p className="small" data-testid="time-off-balance">
          {list.data.balance.year}: {formatDecimal(list.data.balance.allowance, 1)} h allowance · {formatDecimal(list.data.balance.approved, 1)} h approved ·{' '}
          {formatDecimal(list.data.balance.pending, 1)} h pending ·{' '}
          <strong>
            {list.data.balance.allowance === null
              ? 'no allowance set'
              : `${formatDecimal(list.data.balance.allowance - list.data.balance.approved - list.data.balance.pending, 1)} h left`}
          </strong>
        </p>
      )}
      <form className={`inline-form ${styles.form}`} aria-label="Request time off" onSubmit={submit}>
        <label>
          Date
          <input type="date" value={date} required onChange={(e) => e.target.value && setDate(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={wholeDay} onChange={(e) => setWholeDay(e.target.checked)} />
          Whole day
        </label>
        {!wholeDay && (
          <>
            <label>
              From
              <input type="time" value={from} required step={900} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label>
              To
              <input type="time" value={to} required step={900} onChange={(e) => setTo(e.target.value)} />
            </label>
          </>
        )}
        <button type="submit" disabled={request.isPending}>
          {request.isPending ? 'Asking…' : 'Request time off'}
        </button>
      </form>
      {request.error && (
        <p className="error" role="alert">
          {describeError(request.error)}
        </p>
      )}
      {answer && (
        <p role="status" data-testid="time-off-answer" data-status={answer.status}>
          <span className={`pill ${statusClass[answer.status] ?? ''}`}>{answer.status}</span> {answer.decisionNote}
        </p>
      )}
      {!list.data ? (
        <p className="muted">{list.error ? list.error.message : 'Loading…'}</p>
      ) : list.data.requests.length === 0 ? (
        <p className="muted">No requests yet.</p>
      ) : (
        <ul className={styles.rows}>
          {[...list.data.requests]
            .sort((a, b) => new Date(b.startsAt).getTime() - new Date(a.startsAt).getTime())
            .map((r) => {
              const starts = new Date(r.startsAt).toISOString();
              const ends = new Date(r.endsAt).toISOString();
              const day = localDateOf(Date.parse(starts), timezone);
              const whole = formatClock(starts, timezone) === '00:00' && localDateOf(Date.parse(ends), timezone) === addLocalDays(day, 1);
              return (
                <li key={r.id} data-testid="time-off-request" data-id={r.id} data-status={r.status}>
                  <strong>{formatDay(day)}</strong> {whole ? 'whole day' : `${formatClock(starts, timezone)}–${formatClock(ends, timezone)}`} ·{' '}
                  {formatDecimal(r.paidHours, 1)} h <span className={`pill ${statusClass[r.status] ?? ''}`}>{r.status}</span>
                  {r.decisionNote && <div className="muted small">{r.decisionNote}</div>}
                  {(r.status === 'pending' || r.status === 'approved') && Date.parse(starts) > now && (
                    <button type="button" className="ghost small" onClick={() => cancel.mutate({ id: r.id })} disabled={cancel.isPending}>
                      Cancel
                    </button>
                  )}
                </li>
              );
            })}
        </ul>
      )}
      {cancel.error && (
        <p className="error" role="alert">
          {describeError(cancel.error)}
        </p>
      )}
    </div>
  );
}
