'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { useState } from 'react';
import { SortableTable } from '../../components/sortable-table';
import { describeError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { formatClock } from '../planning/schedules/prepare';
import { localClockToInstant, reasonLabel } from './prepare';

type Exception = inferRouterOutputs<AppRouter>['adherence']['exceptions']['list'][number];
type Reason = inferRouterInputs<AppRouter>['adherence']['exceptions']['file']['reason'];
type StatusFilter = inferRouterInputs<AppRouter>['adherence']['exceptions']['list']['status'];

const reasons = Object.keys(reasonLabel) as Reason[];

/** Everything that shows adherence reads exceptions: refresh it all after a change. */
function useRefreshAdherence() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.adherence.pathKey() });
}

/**
 * Files an exception for a time range of one local day: a supervisor for an agent of their
 * teams (`agents`), an agent for themselves (no `agents`).
 */
export function FileException({
  timezone,
  today,
  agents,
  agentKey,
}: {
  timezone: string;
  today: string;
  agents?: { key: string; name: string }[];
  agentKey?: string;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshAdherence();
  const [form, setForm] = useState({
    agentKey: agentKey ?? agents?.[0]?.key ?? '',
    date: today,
    from: '',
    to: '',
    reason: 'system_outage' as Reason,
    note: '',
  });
  const [problem, setProblem] = useState('');
  const file = useMutation(
    trpc.adherence.exceptions.file.mutationOptions({
      onSuccess: () => {
        setForm({ ...form, from: '', to: '', note: '' });
        void refresh();
      },
      onError: (e) => setProblem(describeError(e)),
    }),
  );
  const submit = () => {
    const start = localClockToInstant(form.date, form.from, timezone);
    const end = localClockToInstant(form.date, form.to, timezone);
    if (!start || !end) return setProblem(`give both times as HH:MM that exist on ${form.date} in ${timezone}`);
    setProblem('');
    file.mutate({ agentKey: form.agentKey, start: start.toISOString(), end: end.toISOString(), reason: form.reason, note: form.note || undefined });
  };
  return (
    <form
      className="inline-form controls"
      aria-label="File an exception"
      data-testid="file-exception"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {agents && (
        <label>
          Agent
          <select value={form.agentKey} aria-label="Agent" onChange={(e) => setForm({ ...form, agentKey: e.target.value })}>
            {agents.map((a) => (
              <option key={a.key} value={a.key}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Day <input type="date" value={form.date} onChange={(e) => e.target.value && setForm({ ...form, date: e.target.value })} />
      </label>
      <label>
        From <input type="time" value={form.from} required onChange={(e) => setForm({ ...form, from: e.target.value })} />
      </label>
      <label>
        To <input type="time" value={form.to} required onChange={(e) => setForm({ ...form, to: e.target.value })} />
      </label>
      <label>
        Reason
        <select value={form.reason} aria-label="Reason" onChange={(e) => setForm({ ...form, reason: e.target.value as Reason })}>
          {reasons.map((r) => (
            <option key={r} value={r}>
              {reasonLabel[r]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Note <input type="text" value={form.note} maxLength={500} onChange={(e) => setForm({ ...form, note: e.target.value })} />
      </label>
      <button type="submit" disabled={file.isPending || !form.agentKey}>
        File exception
      </button>
      {problem && (
        <span className="error" role="alert">
          {problem}
        </span>
      )}
      {file.isSuccess && !problem && <span className="muted small">Filed: waiting for a supervisor.</span>}
    </form>
  );
}

/** Exceptions in scope, with approve and reject for those who decide (a supervisor of the agent's team, an admin). */
export function ExceptionList({ timezone, canDecide }: { timezone: string; canDecide: boolean }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdherence();
  const [status, setStatus] = useState<StatusFilter>('pending');
  const list = useQuery(trpc.adherence.exceptions.list.queryOptions({ status }));
  const [problem, setProblem] = useState('');
  const decide = useMutation(
    trpc.adherence.exceptions.decide.mutationOptions({
      onSuccess: () => {
        setProblem('');
        void refresh();
      },
      onError: (e) => setProblem(describeError(e)),
    }),
  );
  const when = (e: Exception) =>
    `${new Date(e.start).toLocaleDateString('en-CA', { timeZone: timezone })} ${formatClock(e.start, timezone)}–${formatClock(e.end, timezone)}`;
  const columns: ColumnDef<Exception, unknown>[] = [
    { accessorKey: 'agentName', header: 'Agent' },
    { accessorKey: 'teamName', header: 'Team' },
    { accessorKey: 'start', header: 'When', cell: ({ row }) => when(row.original) },
    { accessorKey: 'reason', header: 'Reason', cell: ({ row }) => reasonLabel[row.original.reason] ?? row.original.reason },
    { accessorKey: 'note', header: 'Note', cell: ({ row }) => row.original.note ?? '' },
    { accessorKey: 'status', header: 'Status' },
    {
      id: 'actions',
      header: '',
      enableSorting: false,
      cell: ({ row }) =>
        canDecide && row.original.status === 'pending' ? (
          <span className="export">
            <button
              type="button"
              className="small"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ id: row.original.id, approve: true })}
              aria-label={`Approve the exception of ${row.original.agentName}, ${when(row.original)}`}
            >
              Approve
            </button>
            <button
              type="button"
              className="ghost small"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ id: row.original.id, approve: false })}
              aria-label={`Reject the exception of ${row.original.agentName}, ${when(row.original)}`}
            >
              Reject
            </button>
          </span>
        ) : null,
    },
  ];
  return (
    <div data-testid="exception-list">
      <div className="inline-form controls">
        <label>
          Show
          <select value={status ?? ''} onChange={(e) => setStatus((e.target.value || undefined) as StatusFilter)} aria-label="Exceptions by status">
            <option value="pending">pending</option>
            <option value="approved">approved</option>
            <option value="rejected">rejected</option>
            <option value="">all</option>
          </select>
        </label>
        <span className="muted small">the last two weeks</span>
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {!list.data ? (
        <p className="muted">{list.error ? list.error.message : 'Loading exceptions…'}</p>
      ) : list.data.length === 0 ? (
        <p className="muted">No {status ?? ''} exceptions.</p>
      ) : (
        <SortableTable data={list.data} columns={columns} rowKey={(e) => e.id} testId="exceptions" caption="Adherence exceptions" />
      )}
    </div>
  );
}
