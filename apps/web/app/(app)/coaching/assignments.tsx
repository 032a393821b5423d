'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { ExportButtons } from '../../components/export-buttons';
import { SortableTable } from '../../components/sortable-table';
import { describeError } from '../../lib/errors';
import type { ExportColumn } from '../../lib/export';
import { formatCount } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { AssignForm } from './assign-form';
import { AssignmentPanel } from './assignment-panel';
import {
  agentsOf,
  describeOutcomeShort,
  filterByStatus,
  formatDate,
  formatWhen,
  getEffectUnit,
  readOutcome,
  statuses,
  statusLabel,
  tileStatuses,
  type Assignment,
  type Status,
} from './prepare';
import styles from './coaching.module.css';

type Row = Assignment & { outcomeText: string; estimate: number | null };

const exportColumns: ExportColumn<Row>[] = [
  { header: 'assignment_id', kind: 'text', value: (r) => r.id },
  { header: 'agent_key', kind: 'text', value: (r) => r.agentKey },
  { header: 'agent', kind: 'text', value: (r) => r.agentName },
  { header: 'team', kind: 'text', value: (r) => r.teamName },
  { header: 'target', kind: 'text', value: (r) => r.targetLabel },
  { header: 'rule', kind: 'text', value: (r) => r.ruleName },
  { header: 'coach', kind: 'text', value: (r) => r.coachName },
  { header: 'status', kind: 'text', value: (r) => r.status },
  { header: 'created_at', kind: 'text', value: (r) => r.createdAt },
  { header: 'due_at', kind: 'text', value: (r) => r.dueAt },
  { header: 'session_start', kind: 'text', value: (r) => r.session?.start ?? null },
  { header: 'outcome', kind: 'text', value: (r) => (r.outcomeText === '—' ? null : r.outcomeText) },
  // In the target's stored unit (seconds, or a ratio for rates and pass rates), full precision.
  { header: 'estimate', kind: 'number', value: (r) => r.estimate },
];

/** The assignments of the agents in scope: counts by status, a filterable table, one assignment opened beside it. */
export function AssignmentsView({ timezone }: { timezone: string }) {
  const trpc = useTRPC();
  const [team, setTeam] = useState('');
  const [status, setStatus] = useState<Status | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  // The quality screens' scope answers which teams, agents and questions the viewer may pick (coaching has the same policy).
  const scope = useQuery(trpc.quality.trends.queryOptions({ weeks: 1, by: 'team' }, { staleTime: 5 * 60_000 }));
  const list = useQuery(trpc.coaching.assignments.queryOptions({ teamKey: team || undefined }, { placeholderData: (previous) => previous }));
  const data = list.data;
  const rows: Row[] = filterByStatus(data?.assignments ?? [], status).map((a) => {
    const outcome = readOutcome(a.outcome);
    return { ...a, outcomeText: describeOutcomeShort(outcome, getEffectUnit(a.target)), estimate: outcome?.kind === 'measured' ? outcome.estimate : null };
  });
  const columns: ColumnDef<Row, unknown>[] = [
    {
      accessorKey: 'agentName',
      header: 'Agent',
      cell: ({ row }) => (
        <button
          type="button"
          className="link"
          onClick={() => setSelected(row.original.id)}
          aria-label={`Open ${row.original.agentName}'s coaching on ${row.original.targetLabel}`}
          aria-pressed={selected === row.original.id}
        >
          {row.original.agentName}
        </button>
      ),
    },
    { accessorKey: 'teamName', header: 'Team', cell: ({ row }) => row.original.teamName ?? '—' },
    { accessorKey: 'targetLabel', header: 'Target' },
    { accessorKey: 'ruleName', header: 'Rule' },
    { accessorKey: 'coachName', header: 'Coach', cell: ({ row }) => row.original.coachName ?? <span className="muted">none</span> },
    { accessorKey: 'status', header: 'Status', cell: ({ row }) => statusLabel[row.original.status] },
    { accessorKey: 'dueAt', header: 'Due', cell: ({ row }) => formatDate(row.original.dueAt, timezone) },
    {
      id: 'sessionStart',
      header: 'Session',
      accessorFn: (r) => r.session?.start ?? '',
      cell: ({ row }) => {
        const session = row.original.session;
        if (!session) return <span className="muted">none</span>;
        return session.start ? formatWhen(session.start, timezone) : <span className="muted">{session.minutes} min, not booked</span>;
      },
    },
    { accessorKey: 'outcomeText', header: 'Outcome' },
  ];
  const teams = scope.data?.scope.teams ?? [];
  const agents = scope.data?.scope.agents ?? agentsOf(data?.assignments ?? []);
  return (
    <>
      <div className={`tiles ${styles.tiles}`} role="group" aria-label="Assignments by status: pick one to list only those">
        {tileStatuses.map((s) => (
          <button key={s} type="button" className={`tile ${styles.tile}`} aria-pressed={status === s} onClick={() => setStatus(status === s ? '' : s)}>
            <span className="label">{statusLabel[s]}</span>
            <span className="value" data-testid={`count-${s}`}>
              {data ? formatCount(data.counts[s]) : '…'}
            </span>
          </button>
        ))}
      </div>
      <div className="two-col">
        <div className="panel">
          <div className="page-head">
            <h2>Assignments</h2>
            <form className="inline-form controls" aria-label="Filter assignments" onSubmit={(e) => e.preventDefault()} style={{ margin: 0 }}>
              <label>
                Team
                <select value={team} onChange={(e) => setTeam(e.target.value)} disabled={teams.length === 0}>
                  <option value="">all in your scope</option>
                  {teams.map((t) => (
                    <option key={t.key} value={t.key}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Status
                <select value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
                  <option value="">any</option>
                  {statuses.map((s) => (
                    <option key={s} value={s}>
                      {statusLabel[s]}
                    </option>
                  ))}
                </select>
              </label>
            </form>
            <span style={{ flex: 1 }} />
            {data && <ExportButtons columns={exportColumns} rows={rows} filename="coaching-assignments" label="coaching assignments" />}
          </div>
          <CheckNow />
          {list.error && (
            <p className="error" role="alert">
              {describeError(list.error)}
            </p>
          )}
          {!data ? (
            !list.error && <p className="muted">Loading assignments…</p>
          ) : rows.length === 0 ? (
            <p className="muted" data-testid="coaching-assignments-empty">
              {data.assignments.length === 0
                ? 'No coaching assigned yet: the rules are checked every hour, or assign by hand.'
                : `No assignment is ${statusLabel[status as Status].toLowerCase()}.`}
            </p>
          ) : (
            <div className={list.isPlaceholderData ? 'stale' : undefined}>
              <SortableTable
                data={rows}
                columns={columns}
                rowKey={(r) => r.id}
                testId="coaching-assignments"
                caption="Coaching assignments: agent, team, target, rule, coach, status, due date, session and outcome"
              />
            </div>
          )}
        </div>
        <div className={styles.side}>
          {selected ? (
            <AssignmentPanel id={selected} timezone={timezone} onClose={() => setSelected(null)} />
          ) : (
            <div className={`panel ${styles.assignment}`}>
              <h2>Assignment</h2>
              <p className="muted">Pick an agent in the table to see the tip, the evidence, what happened and the outcome.</p>
            </div>
          )}
          <AssignForm agents={agents} questions={scope.data?.questions.map((q) => q.id) ?? []} onAssigned={setSelected} />
        </div>
      </div>
    </>
  );
}

/** Checks the rules now instead of at the next hourly check: how many assignments it made, and the rules it could not check. */
function CheckNow() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const check = useMutation(trpc.coaching.checkNow.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.coaching.pathKey() }) }));
  return (
    <div className="inline-form">
      <button type="button" className="ghost" onClick={() => check.mutate()} disabled={check.isPending}>
        {check.isPending ? 'Checking…' : 'Check rules now'}
      </button>
      <div className={styles.result} data-testid="coaching-check-result" aria-live="polite">
        {check.error && (
          <span className="error" role="alert">
            {describeError(check.error)}
          </span>
        )}
        {check.data && (
          <>
            {check.data.assignments === 1 ? '1 assignment made' : `${formatCount(check.data.assignments)} assignments made`}
            {check.data.skipped.length > 0 && (
              <ul>
                {check.data.skipped.map((s) => (
                  <li key={s}>Not checked: {s}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}
