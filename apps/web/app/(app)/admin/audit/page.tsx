'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import Link from 'next/link';
import { useState } from 'react';
import { ExportButtons } from '../../../components/export-buttons';
import { SortableTable } from '../../../components/sortable-table';
import { describeError } from '../../../lib/errors';
import type { ExportColumn } from '../../../lib/export';
import { useTRPC } from '../../../lib/trpc';

interface Entry {
  id: string;
  at: string;
  userId: string | null;
  userName: string | null;
  action: string;
  objectType: string;
  objectId: string;
}

const DAY_MS = 86_400_000;
const dateInput = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Kinds of action an administrator filters by; any prefix can be typed too. */
const actionKinds = [
  'api_key.',
  'person.',
  'tenant.',
  'center_config.',
  'evaluation',
  'calibration.',
  'schedule',
  'special_day.',
  'read',
  'export.',
  'sign_in',
];

const columns: ColumnDef<Entry, unknown>[] = [
  { header: 'When', accessorKey: 'at', cell: ({ row }) => new Date(row.original.at).toLocaleString() },
  { header: 'Who', id: 'who', accessorFn: (e) => e.userName ?? (e.userId ? e.userId : 'operator / system') },
  { header: 'Action', accessorKey: 'action' },
  { header: 'Object', accessorKey: 'objectType' },
  { header: 'Id', accessorKey: 'objectId' },
];

const exportColumns: ExportColumn<Entry>[] = [
  { header: 'at', kind: 'text', value: (e) => e.at },
  { header: 'user_id', kind: 'text', value: (e) => e.userId ?? '' },
  { header: 'user', kind: 'text', value: (e) => e.userName ?? '' },
  { header: 'action', kind: 'text', value: (e) => e.action },
  { header: 'object_type', kind: 'text', value: (e) => e.objectType },
  { header: 'object_id', kind: 'text', value: (e) => e.objectId },
];

/** The audit trail: who did what to which object and when, filtered, paged, exportable. */
export default function AuditPage() {
  const trpc = useTRPC();
  const people = useQuery(trpc.admin.people.queryOptions());
  const [filter, setFilter] = useState({ from: dateInput(Date.now() - 7 * DAY_MS), to: dateInput(Date.now()), action: '', userId: '', objectType: '' });
  // Whole local days: "to" includes its day.
  const input = {
    from: new Date(`${filter.from}T00:00:00`).toISOString(),
    to: new Date(new Date(`${filter.to}T00:00:00`).getTime() + DAY_MS).toISOString(),
    action: filter.action || undefined,
    userId: filter.userId || undefined,
    objectType: filter.objectType || undefined,
  };
  const valid = filter.from !== '' && filter.to !== '' && input.from < input.to;
  const pages = useInfiniteQuery(
    trpc.admin.audit.infiniteQueryOptions(input, {
      enabled: valid,
      getNextPageParam: (last) => {
        const tail = last.entries.at(-1);
        return last.more && tail ? { at: tail.at, id: tail.id } : undefined;
      },
    }),
  );
  const entries = pages.data?.pages.flatMap((p) => p.entries) ?? [];
  const retention = pages.data?.pages[0]?.retentionDays;
  const set = (key: keyof typeof filter, value: string) => setFilter({ ...filter, [key]: value });

  return (
    <>
      <p>
        <Link href="/admin">← Administration</Link>
      </p>
      <h1>Audit trail</h1>
      <section className="panel" aria-label="Filters">
        <div className="inline-form">
          <label>
            From <input type="date" value={filter.from} onChange={(e) => set('from', e.target.value)} />
          </label>
          <label>
            To <input type="date" value={filter.to} onChange={(e) => set('to', e.target.value)} />
          </label>
          <label>
            Action
            <input list="action-kinds" value={filter.action} onChange={(e) => set('action', e.target.value)} placeholder="any (a prefix: api_key.)" />
            <datalist id="action-kinds">
              {actionKinds.map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
          </label>
          <label>
            Person
            <select value={filter.userId} onChange={(e) => set('userId', e.target.value)}>
              <option value="">anyone</option>
              {people.data?.map((p) => (
                <option key={p.userId} value={p.userId}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Object
            <input value={filter.objectType} onChange={(e) => set('objectType', e.target.value)} placeholder="any (api_key, user…)" />
          </label>
        </div>
        {!valid && (
          <p className="error" role="alert">
            Choose a From date on or before the To date.
          </p>
        )}
      </section>
      <section className="panel" aria-label="Entries">
        {pages.error && (
          <p className="error" role="alert">
            {describeError(pages.error)}
          </p>
        )}
        <p className="muted small">
          {entries.length} entries{pages.hasNextPage ? ' so far' : ''}, newest first. The trail can only be added to; it is kept for {retention ?? '…'} days.{' '}
          <ExportButtons columns={exportColumns} rows={entries} filename={`audit-${filter.from}-${filter.to}`} label="audit trail" />
        </p>
        <SortableTable data={entries} columns={columns} rowKey={(e) => e.id} testId="audit" caption="Audit trail" />
        {pages.hasNextPage && (
          <button type="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
          </button>
        )}
        {retention !== undefined && retention !== null && <RetentionForm days={retention} />}
      </section>
    </>
  );
}

function RetentionForm({ days }: { days: number }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const save = useMutation(
    trpc.admin.setAuditRetention.mutationOptions({ onSuccess: () => client.invalidateQueries({ queryKey: trpc.admin.audit.pathKey() }) }),
  );
  return (
    <form
      className="inline-form"
      aria-label="Audit retention"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ days: Number(new FormData(e.currentTarget).get('days')) });
      }}
    >
      <label>
        Keep entries for <input name="days" type="number" min={90} max={3650} defaultValue={days} /> days
      </label>
      <button type="submit" disabled={save.isPending}>
        Save
      </button>
      {save.error && (
        <span className="error" role="alert">
          {describeError(save.error)}
        </span>
      )}
    </form>
  );
}
