'use client';

import type { ColumnDef } from '@tanstack/react-table';
import { ExportButtons } from '../../../components/export-buttons';
import { SortableTable } from '../../../components/sortable-table';
import type { ExportColumn } from '../../../lib/export';
import { DASH, formatDecimal } from '../../../lib/format';
import { formatClock } from '../schedules/prepare';
import { formatGap, markGap, type GapMark, type IntradayInterval } from './prepare';

const markWords: Record<GapMark, string> = { short: 'short, beyond the threshold', over: 'over, beyond the threshold', ok: '' };

/** A gap with its sign, red or green with an arrow when it is beyond the threshold (the words for screen readers). */
export function GapCell({ gap, threshold }: { gap: number; threshold: number }) {
  const mark = markGap(gap, threshold);
  return (
    <span className={mark === 'short' ? 'bad' : mark === 'over' ? 'good' : undefined} data-mark={mark}>
      {mark !== 'ok' && <span aria-hidden="true">{mark === 'short' ? '▼ ' : '▲ '}</span>}
      {formatGap(gap)}
      {mark !== 'ok' && <span className="sr-only"> ({markWords[mark]})</span>}
    </span>
  );
}

const num = (value: number | null) => (value === null ? DASH : formatDecimal(value));

/** Every interval of the day with the numbers both charts draw, sortable, exportable. */
export function IntervalTable({
  intervals,
  timezone,
  threshold,
  filename,
  groupName,
}: {
  intervals: IntradayInterval[];
  timezone: string;
  threshold: number;
  filename: string;
  groupName: string;
}) {
  const exportColumns: ExportColumn<IntradayInterval>[] = [
    { header: 'interval_start', kind: 'text', value: (r) => r.start },
    { header: 'forecast', kind: 'number', value: (r) => r.forecast },
    { header: 'reforecast', kind: 'number', value: (r) => r.reforecast },
    { header: 'actual', kind: 'number', value: (r) => r.actual },
    { header: 'required', kind: 'number', value: (r) => r.required },
    { header: 'scheduled', kind: 'number', value: (r) => r.scheduled },
    { header: 'excepted', kind: 'number', value: (r) => r.excepted },
    { header: 'absent', kind: 'number', value: (r) => r.absent },
    { header: 'net', kind: 'number', value: (r) => r.net },
    { header: 'gap', kind: 'number', value: (r) => r.gap },
    { header: 'beyond_threshold', kind: 'text', value: (r) => (markGap(r.gap, threshold) === 'ok' ? '' : markGap(r.gap, threshold)) },
  ];
  const columns: ColumnDef<IntradayInterval, unknown>[] = [
    { accessorKey: 'start', header: 'Interval', cell: ({ row }) => formatClock(row.original.start, timezone) },
    { accessorKey: 'forecast', header: 'Forecast', cell: ({ row }) => num(row.original.forecast), meta: { numeric: true } },
    { accessorKey: 'reforecast', header: 'Reforecast', cell: ({ row }) => num(row.original.reforecast), meta: { numeric: true } },
    {
      id: 'actual',
      accessorFn: (r) => r.actual ?? -Infinity,
      header: 'Actual',
      cell: ({ row }) => (row.original.actual === null ? DASH : String(row.original.actual)),
      meta: { numeric: true },
    },
    { accessorKey: 'required', header: 'Required', cell: ({ row }) => num(row.original.required), meta: { numeric: true } },
    { accessorKey: 'scheduled', header: 'Scheduled', cell: ({ row }) => num(row.original.scheduled), meta: { numeric: true } },
    {
      accessorKey: 'excepted',
      header: () => <abbr title="Scheduled agents on an approved adherence exception">Excepted</abbr>,
      cell: ({ row }) => num(row.original.excepted),
      meta: { numeric: true },
    },
    {
      accessorKey: 'absent',
      header: () => <abbr title="Scheduled to work now but not logged in, from now on">Absent</abbr>,
      cell: ({ row }) => num(row.original.absent),
      meta: { numeric: true },
    },
    {
      accessorKey: 'net',
      header: () => <abbr title="Scheduled − excepted − absent">Net</abbr>,
      cell: ({ row }) => num(row.original.net),
      meta: { numeric: true },
    },
    {
      accessorKey: 'gap',
      header: () => <abbr title={`Net − required; marked when at least ${formatDecimal(threshold)} agents short or over`}>Gap</abbr>,
      cell: ({ row }) => <GapCell gap={row.original.gap} threshold={threshold} />,
      meta: { numeric: true },
    },
  ];
  return (
    <div className="panel">
      <div className="page-head">
        <h2>By interval</h2>
        <span className="muted small">Agents are fractions where someone works part of the 15 minutes.</span>
        <span style={{ flex: 1 }} />
        <ExportButtons columns={exportColumns} rows={intervals} filename={filename} label="intraday by interval" />
      </div>
      <div className="scroll-box">
        <SortableTable data={intervals} columns={columns} rowKey={(r) => r.start} testId="intraday-rows" caption={`The day by interval for ${groupName}`} />
      </div>
    </div>
  );
}
