'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../../lib/errors';
import { formatDecimal } from '../../../lib/format';
import { useTRPC } from '../../../lib/trpc';
import { formatClock, formatDay } from './prepare';

/** Time off and swaps waiting for a planner; a decision may republish a week, so every schedule view refreshes. */
export function PendingRequests({ timezone }: { timezone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const timeOff = useQuery(trpc.schedules.timeOff.pending.queryOptions());
  const swaps = useQuery(trpc.schedules.swaps.pending.queryOptions());
  const [reason, setReason] = useState<Record<string, string>>({});
  const refresh = { onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.schedules.pathKey() }) };
  const decideTimeOff = useMutation(trpc.schedules.timeOff.decide.mutationOptions(refresh));
  const decideSwap = useMutation(trpc.schedules.swaps.decide.mutationOptions(refresh));
  const error = decideTimeOff.error ?? decideSwap.error;
  const when = (startsAt: string | Date, endsAt: string | Date) => {
    const from = new Date(startsAt).toISOString();
    const to = new Date(endsAt).toISOString();
    const date = new Date(startsAt).toLocaleDateString('en-CA', { timeZone: timezone });
    return `${formatDay(date)} ${formatClock(from, timezone)}–${formatClock(to, timezone)}`;
  };
  return (
    <div className="panel" data-testid="pending-requests">
      <h2>Waiting for a planner</h2>
      {error && (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      )}
      <h3 className="sub">Time off</h3>
      {!timeOff.data ? (
        <p className="muted">{timeOff.error ? timeOff.error.message : 'Loading…'}</p>
      ) : timeOff.data.length === 0 ? (
        <p className="muted" data-testid="time-off-none">
          No time-off request waits.
        </p>
      ) : (
        <ul className="plain">
          {timeOff.data.map((r) => (
            <li key={r.id} data-testid="pending-time-off">
              <strong>{r.agent}</strong> · {when(r.startsAt, r.endsAt)} · {formatDecimal(r.paidHours, 1)} paid h
              {r.decisionNote && <span className="muted small"> · {r.decisionNote}</span>}{' '}
              <span className="button-row">
                <button type="button" className="small" disabled={decideTimeOff.isPending} onClick={() => decideTimeOff.mutate({ id: r.id, approve: true })}>
                  Approve
                </button>
                <button
                  type="button"
                  className="ghost small"
                  disabled={decideTimeOff.isPending}
                  onClick={() => decideTimeOff.mutate({ id: r.id, approve: false, note: reason[r.id] || undefined })}
                >
                  Refuse
                </button>
                <input
                  aria-label={`Note for ${r.agent}`}
                  placeholder="note (optional)"
                  value={reason[r.id] ?? ''}
                  onChange={(e) => setReason({ ...reason, [r.id]: e.target.value })}
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="sub">Shift swaps both agents agreed to</h3>
      {!swaps.data ? (
        <p className="muted">{swaps.error ? swaps.error.message : 'Loading…'}</p>
      ) : swaps.data.length === 0 ? (
        <p className="muted" data-testid="swaps-none">
          No swap waits.
        </p>
      ) : (
        <ul className="plain">
          {swaps.data.map((s) => (
            <li key={s.id} data-testid="pending-swap">
              <strong>{s.requester}</strong> ({formatDay(s.requesterDate)}) ⇄ <strong>{s.colleague}</strong> ({formatDay(s.colleagueDate)}){' '}
              <span className="button-row">
                <button
                  type="button"
                  className="small"
                  disabled={decideSwap.isPending}
                  onClick={() => decideSwap.mutate({ id: s.id, approve: true })}
                  aria-label={`Approve the swap of ${s.requester} and ${s.colleague}`}
                >
                  Approve
                </button>
                <button
                  type="button"
                  className="ghost small"
                  disabled={decideSwap.isPending}
                  onClick={() => decideSwap.mutate({ id: s.id, approve: false, reason: reason[s.id] || undefined })}
                  aria-label={`Refuse the swap of ${s.requester} and ${s.colleague}`}
                >
                  Refuse
                </button>
                <input
                  aria-label={`Reason for refusing the swap of ${s.requester}`}
                  placeholder="reason (optional)"
                  value={reason[s.id] ?? ''}
                  onChange={(e) => setReason({ ...reason, [s.id]: e.target.value })}
                />
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
