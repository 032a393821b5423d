'use client';

import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { formatDuration } from '../lib/format';
import type { ExportColumn } from '../lib/export';
import { useTRPC } from '../lib/trpc';
import { ExportButtons } from './export-buttons';
import { SortableTable } from './sortable-table';

export type DrillRequest = inferRouterInputs<AppRouter>['reports']['drill'] & { title: string };
type DrillRow = inferRouterOutputs<AppRouter>['reports']['drill']['rows'][number];

const eventLabel: Record<string, string> = {
  'interaction.offered': 'offered',
  'interaction.answered': 'answered',
  'interaction.abandoned': 'abandoned',
  'interaction.ended': 'handled',
  'interaction.transferred': 'transferred',
  'interaction.held': 'held',
  'bot.session_ended': 'bot session',
};

const exportColumns: ExportColumn<DrillRow>[] = [
  { header: 'occurred_at', kind: 'text', value: (r) => r.occurredAt },
  { header: 'event', kind: 'text', value: (r) => r.type },
  { header: 'interaction_id', kind: 'text', value: (r) => r.interactionId },
  { header: 'queue', kind: 'text', value: (r) => r.queue },
  { header: 'channel', kind: 'text', value: (r) => r.channel },
  { header: 'agent', kind: 'text', value: (r) => r.agent },
  { header: 'wait_s', kind: 'number', value: (r) => r.waitS },
  { header: 'outcome', kind: 'text', value: (r) => r.outcome },
  { header: 'handled_by', kind: 'text', value: (r) => r.handledBy },
  { header: 'disposition', kind: 'text', value: (r) => r.disposition },
  { header: 'handle_s', kind: 'number', value: (r) => r.handleS },
];

/** The interactions behind one number: a sortable list, each opening its timeline. */
export function DrillPanel({ request, timezone, onClose }: { request: DrillRequest; timezone: string; onClose: () => void }) {
  const trpc = useTRPC();
  const { title, ...input } = request;
  const drill = useQuery(trpc.reports.drill.queryOptions({ ...input, limit: 5_000 }));
  const panel = useRef<HTMLDivElement>(null);
  // The list opens under the report: bring it into view, and focus it for keyboard users.
  useEffect(() => {
    panel.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    panel.current?.focus({ preventScroll: true });
  }, []);
  const columns: ColumnDef<DrillRow, unknown>[] = [
    {
      accessorKey: 'occurredAt',
      header: 'Time',
      cell: ({ row }) => new Date(row.original.occurredAt).toLocaleString('en-US', { timeZone: timezone, hour12: false }),
    },
    { accessorKey: 'type', header: 'Event', cell: ({ row }) => eventLabel[row.original.type] ?? row.original.type },
    {
      accessorKey: 'interactionId',
      header: 'Interaction',
      cell: ({ row }) => (
        <Link href={`/interactions/${encodeURIComponent(row.original.interactionId)}?at=${encodeURIComponent(row.original.occurredAt)}`} className="mono">
          {row.original.interactionId.slice(0, 8)}…
        </Link>
      ),
    },
    { accessorKey: 'queue', header: 'Queue' },
    { accessorKey: 'agent', header: 'Agent' },
    { accessorKey: 'waitS', header: 'Wait', cell: ({ row }) => formatDuration(row.original.waitS), meta: { numeric: true } },
    { accessorKey: 'outcome', header: 'Outcome' },
    { accessorKey: 'handledBy', header: 'Handled by' },
    { accessorKey: 'disposition', header: 'Disposition' },
    { accessorKey: 'handleS', header: 'Handle', cell: ({ row }) => formatDuration(row.original.handleS || null), meta: { numeric: true } },
  ];
  return (
    <div className="panel drill" data-testid="drill" aria-live="polite" ref={panel} tabIndex={-1}>
      <div className="page-head">
        <h2>{title}</h2>
        {drill.data && (
          <span className="muted small" data-testid="drill-total">
            {drill.data.total} {drill.data.total === 1 ? 'event' : 'events'}
            {drill.data.truncated ? `, newest ${drill.data.rows.length} shown` : ''}
          </span>
        )}
        <span style={{ flex: 1 }} />
        {drill.data && <ExportButtons columns={exportColumns} rows={drill.data.rows} filename="interactions" label="interactions" />}
        <button type="button" className="ghost" onClick={onClose}>
          Close
        </button>
      </div>
      {!drill.data ? (
        <p className="muted">{drill.error ? drill.error.message : 'Loading…'}</p>
      ) : (
        <SortableTable data={drill.data.rows} columns={columns} rowKey={(r) => r.eventId} testId="drill-rows" caption={title} />
      )}
    </div>
  );
}
