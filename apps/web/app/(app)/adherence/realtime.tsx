'use client';

import type { ColumnDef } from '@tanstack/react-table';
import { StatePill, type AgentStateName } from '../../components/agent-state';
import { Figure } from '../../components/figure';
import { SortableTable } from '../../components/sortable-table';
import { formatCount, formatDuration, formatPercent } from '../../lib/format';
import { kindLabel } from '../planning/schedules/activity-kinds';
import { formatClock } from '../planning/schedules/prepare';
import { severityColor, statusColor, statusLabel, type Realtime, type RealtimeAgent, type Status } from './prepare';
import styles from './adherence.module.css';

const statusOrder: Status[] = ['out', 'grace', 'exception', 'adherent', 'time_off', 'unscheduled'];

function StatusBadge({ status, severity }: { status: Status; severity: RealtimeAgent['severity'] }) {
  return (
    <span className={styles.status} data-status={status}>
      <i className={styles.dot} style={{ background: statusColor(status, severity) }} aria-hidden="true" />
      {statusLabel[status]}
    </span>
  );
}

/**
 * Every agent in scope, the worst first: scheduled now against actual now, and how long out
 * of adherence. Durations move between polls with the server's clock.
 */
export function RealtimeView({ data, serverNow, onAgent }: { data: Realtime; serverNow: number; onAgent: (agentKey: string, shiftDate: string) => void }) {
  const rows = data.agents.map((a, rank) => ({
    ...a,
    rank,
    inStateS: a.stateSince ? (serverNow - Date.parse(a.stateSince)) / 1000 : null,
    outNowS: a.outSince ? (serverNow - Date.parse(a.outSince)) / 1000 : null,
  }));
  type Row = (typeof rows)[number];
  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: 'severity',
      header: 'Severity',
      accessorFn: (r) => r.rank,
      cell: ({ row }) => <StatusBadge status={row.original.status} severity={row.original.severity} />,
    },
    {
      accessorKey: 'name',
      header: 'Agent',
      cell: ({ row }) => (
        <button
          type="button"
          className="link"
          onClick={() => onAgent(row.original.key, row.original.shiftDate)}
          aria-label={`Minutes of ${row.original.name} today`}
        >
          {row.original.name}
        </button>
      ),
    },
    { accessorKey: 'teamName', header: 'Team' },
    {
      id: 'scheduled',
      header: 'Scheduled now',
      accessorFn: (r) => r.activity?.kind ?? '',
      cell: ({ row }) => {
        const a = row.original.activity;
        return a ? (
          <span>
            {kindLabel[a.kind]} <span className="muted small">until {formatClock(a.end, data.timezone)}</span>
          </span>
        ) : (
          <span className="muted">—</span>
        );
      },
    },
    {
      accessorKey: 'state',
      header: 'Actual now',
      cell: ({ row }) => (
        <span>
          <StatePill state={row.original.state as AgentStateName} /> {row.original.reasonCode && <span className="muted small">{row.original.reasonCode}</span>}
        </span>
      ),
    },
    { accessorKey: 'inStateS', header: 'In state', cell: ({ row }) => formatDuration(row.original.inStateS), meta: { numeric: true } },
    {
      accessorKey: 'outNowS',
      header: 'Out for',
      sortUndefined: 'last',
      cell: ({ row }) => (
        <span style={{ color: row.original.outNowS === null ? undefined : severityColor[row.original.severity] }}>{formatDuration(row.original.outNowS)}</span>
      ),
      meta: { numeric: true },
    },
    {
      id: 'today',
      header: 'Adherence today',
      accessorFn: (r) => r.today.adherence ?? -1,
      cell: ({ row }) => formatPercent(row.original.today.adherence),
      meta: { numeric: true },
    },
    {
      id: 'outToday',
      header: 'Min out today',
      accessorFn: (r) => r.today.outOfAdherenceMin,
      cell: ({ row }) => formatCount(row.original.today.outOfAdherenceMin),
      meta: { numeric: true },
    },
  ];
  return (
    <>
      <div className="tiles totals">
        <Figure label="Out of adherence now" value={formatCount(data.counts.out)} testId="count-out" />
        <Figure label="Within grace" value={formatCount(data.counts.grace)} />
        <Figure label="Excused" value={formatCount(data.counts.exception)} />
        <Figure label="In adherence" value={formatCount(data.counts.adherent)} testId="count-adherent" />
        <Figure label="Adherence today" value={formatPercent(data.today.adherence)} testId="adherence-today" />
        <Figure label="Conformance today" value={formatPercent(data.today.conformance)} />
      </div>
      <div className="panel">
        <div className="page-head">
          <h2>Scheduled now vs actual now</h2>
          <span className="muted small">
            {statusOrder
              .filter((s) => data.counts[s] > 0)
              .map((s) => `${data.counts[s]} ${statusLabel[s].toLowerCase()}`)
              .join(' · ')}{' '}
            · grace {data.graceMinutes} min · critical after {Math.round(data.criticalAfterS / 60)} min out
          </span>
        </div>
        <SortableTable
          data={rows}
          columns={columns}
          rowKey={(r) => r.key}
          testId="adherence-realtime"
          caption="Agents, scheduled activity and actual state now, worst first"
        />
      </div>
    </>
  );
}
