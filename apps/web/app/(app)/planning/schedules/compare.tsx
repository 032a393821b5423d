'use client';

import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { ExportButtons } from '../../../components/export-buttons';
import { SortableTable } from '../../../components/sortable-table';
import type { ExportColumn } from '../../../lib/export';
import { useTRPC } from '../../../lib/trpc';
import { DeltaChart } from './coverage-chart';
import { formatClock, formatDay, statusLabel, type ScheduleDiff, type ScheduleOverview, type Week } from './prepare';

type Change = ScheduleDiff['changes'][number];

/** Two versions of a group's week side by side: who works when differently, and what that does per interval. */
export function CompareVersions({ versions, toId, week }: { versions: ScheduleOverview['schedules']; toId: string; week: Week }) {
  const trpc = useTRPC();
  const others = versions.filter((v) => v.id !== toId && v.status !== 'rejected');
  const [picked, setPicked] = useState<string | null>(null);
  const fromId = picked ?? others[0]?.id ?? null;
  const diff = useQuery(trpc.schedules.diff.queryOptions({ fromId: fromId ?? '', toId }, { enabled: fromId !== null }));
  const label = (v: ScheduleOverview['schedules'][number]) =>
    `${statusLabel[v.status]} · rev ${v.revision} · ${new Date(v.publishedAt ?? v.createdAt).toLocaleString('en-GB', { timeZone: week.timezone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}`;
  const span = (s: Change['before']) => (s ? `${formatClock(s.start, week.timezone)}–${formatClock(s.end, week.timezone)}` : 'off');
  const columns: ColumnDef<Change, unknown>[] = [
    { accessorKey: 'agent', header: 'Agent' },
    { accessorKey: 'date', header: 'Day', cell: ({ row }) => formatDay(row.original.date) },
    { id: 'before', header: 'Before', accessorFn: (r) => r.before?.start ?? '', cell: ({ row }) => span(row.original.before) },
    { id: 'after', header: 'After', accessorFn: (r) => r.after?.start ?? '', cell: ({ row }) => span(row.original.after) },
  ];
  const exportColumns: ExportColumn<Change>[] = [
    { header: 'agent', kind: 'text', value: (r) => r.agent },
    { header: 'date', kind: 'text', value: (r) => r.date },
    { header: 'before_start', kind: 'text', value: (r) => r.before?.start ?? null },
    { header: 'before_end', kind: 'text', value: (r) => r.before?.end ?? null },
    { header: 'after_start', kind: 'text', value: (r) => r.after?.start ?? null },
    { header: 'after_end', kind: 'text', value: (r) => r.after?.end ?? null },
  ];
  const current = versions.find((v) => v.id === toId);
  return (
    <div className="panel" data-testid="compare">
      <div className="page-head">
        <h2>Compare versions</h2>
        {others.length > 0 && (
          <label className="small">
            Compare{' '}
            <select aria-label="Compare from version" value={fromId ?? ''} onChange={(e) => setPicked(e.target.value)}>
              {others.map((v) => (
                <option key={v.id} value={v.id}>
                  {label(v)}
                </option>
              ))}
            </select>{' '}
            with {current ? label(current) : 'this version'}
          </label>
        )}
        <span style={{ flex: 1 }} />
        {diff.data && <ExportButtons columns={exportColumns} rows={diff.data.changes} filename="schedule-changes" label="schedule changes" />}
      </div>
      {others.length === 0 ? (
        <p className="muted">This is the week&rsquo;s only version: nothing to compare with yet.</p>
      ) : diff.error ? (
        <p className="error">{diff.error.message}</p>
      ) : !diff.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="muted small" data-testid="compare-summary">
            {diff.data.changes.length} agent-day{diff.data.changes.length === 1 ? '' : 's'} changed · {diff.data.intervals.filter((d) => d !== 0).length}{' '}
            intervals with a different number of agents
          </p>
          <DeltaChart week={week} intervals={diff.data.intervals} />
          {diff.data.changes.length > 0 && (
            <SortableTable
              data={diff.data.changes}
              columns={columns}
              rowKey={(r) => `${r.agentId}/${r.date}`}
              testId="compare-changes"
              caption="Changed agent-days"
            />
          )}
        </>
      )}
    </div>
  );
}
