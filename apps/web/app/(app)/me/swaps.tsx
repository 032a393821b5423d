'use client';

import { addLocalDays, localDateOf } from '@switchboard/calendar';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { formatDay } from '../planning/schedules/prepare';
import styles from './me.module.css';

const statusText: Record<string, string> = {
  requested: 'waiting for the colleague',
  accepted: 'accepted, waiting for a planner',
  approved: 'approved',
  refused: 'refused',
  cancelled: 'cancelled',
};
const statusClass: Record<string, string> = { approved: 'good', requested: 'warning', accepted: 'warning', refused: 'bad', cancelled: 'muted' };

/** Trading a shift with a teammate: ask, answer what is asked of you, follow each to its end. */
export function Swaps({ timezone }: { timezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const colleagues = useQuery(trpc.me.swaps.colleagues.queryOptions());
  const list = useQuery(trpc.me.swaps.list.queryOptions());
  const tomorrow = addLocalDays(localDateOf(new Date(), timezone), 1);
  const [colleague, setColleague] = useState('');
  const [myDate, setMyDate] = useState(tomorrow);
  const [theirDate, setTheirDate] = useState(tomorrow);
  // An approved swap changes the published week: the schedule above refreshes too.
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.me.pathKey() });
  const request = useMutation(trpc.me.swaps.request.mutationOptions({ onSuccess: refresh }));
  const answer = useMutation(trpc.me.swaps.answer.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.me.swaps.cancel.mutationOptions({ onSuccess: refresh }));
  const colleagueKey = colleague || colleagues.data?.[0]?.key || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate({ colleagueKey, myDate, theirDate });
  };
  const error = answer.error ?? cancel.error;
  const rows = [...(list.data ?? [])].sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime());
  const incoming = rows.filter((s) => !s.mine && s.status === 'requested');
  return (
    <div className="panel" data-testid="swaps">
      <h2>Shift swaps</h2>
      {incoming.length > 0 && (
        <div data-testid="incoming-swaps">
          <h3 className="sub">Asked of you</h3>
          <ul className={styles.rows}>
            {incoming.map((s) => (
              <li key={s.id} data-testid="incoming-swap">
                <strong>{s.requester}</strong> offers their {formatDay(s.requesterDate)} shift for yours of {formatDay(s.colleagueDate)}.{' '}
                <span className="button-row">
                  <button type="button" className="small" onClick={() => answer.mutate({ id: s.id, accept: true })} disabled={answer.isPending}>
                    Accept
                  </button>
                  <button type="button" className="ghost small" onClick={() => answer.mutate({ id: s.id, accept: false })} disabled={answer.isPending}>
                    Decline
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form className={`inline-form ${styles.form}`} aria-label="Ask for a swap" onSubmit={submit}>
        <label>
          Colleague
          <select value={colleagueKey} onChange={(e) => setColleague(e.target.value)} required>
            {(colleagues.data ?? []).map((c) => (
              <option key={c.key} value={c.key}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          My day (I give)
          <input type="date" value={myDate} required onChange={(e) => e.target.value && setMyDate(e.target.value)} />
        </label>
        <label>
          Their day (I take)
          <input type="date" value={theirDate} required onChange={(e) => e.target.value && setTheirDate(e.target.value)} />
        </label>
        <button type="submit" disabled={request.isPending || colleagueKey === ''}>
          {request.isPending ? 'Asking…' : 'Ask for the swap'}
        </button>
      </form>
      {request.error && (
        <p
          className="error"
          role="alert"
          data-testid="swap-refused"
          data-for={request.variables && `${request.variables.myDate}/${request.variables.theirDate}`}
        >
          {describeError(request.error)}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted">No swaps yet.</p>
      ) : (
        <ul className={styles.rows}>
          {rows.map((s) => (
            <li key={s.id} data-testid="swap" data-status={s.status}>
              {s.mine ? (
                <>
                  You give {formatDay(s.requesterDate)} to <strong>{s.colleague}</strong> for {formatDay(s.colleagueDate)}
                </>
              ) : (
                <>
                  <strong>{s.requester}</strong> gives you {formatDay(s.requesterDate)} for your {formatDay(s.colleagueDate)}
                </>
              )}{' '}
              <span className={`pill ${statusClass[s.status] ?? ''}`}>{statusText[s.status] ?? s.status}</span>
              {s.refusal && <div className="small bad">Why: {s.refusal}</div>}
              {s.mine && (s.status === 'requested' || s.status === 'accepted') && (
                <button type="button" className="ghost small" onClick={() => cancel.mutate({ id: s.id })} disabled={cancel.isPending}>
                  Cancel
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
