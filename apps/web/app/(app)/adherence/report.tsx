'use client';

import { addLocalDays, localWeekStart } from '@switchboard/calendar';
import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { useState } from 'react';
import { DateRange } from '../../components/date-range';
import { ExportButtons } from '../../components/export-buttons';
import { SortableTable } from '../../components/sortable-table';
import type { ExportColumn } from '../../lib/export';
import { describeError } from '../../lib/errors';
import { formatCount, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

type ReportInput = inferRouterInputs<AppRouter>['adherence']['report'];
type Report = inferRouterOutputs<AppRouter>['adherence']['report'];
type Row = Report['rows'][number];
type By = ReportInput['by'];

const dimensions: { id: By; label: string }[] = [
  { id: 'agent', label: 'Agent' },
  { id: 'team', label: 'Team' },
  { id: 'day', label: 'Day' },
  { id: 'week', label: 'Week' },
];

/** A report level: the query, and what it is called in the breadcrumbs. */
interface Level {
  input: ReportInput;
  title: string;
}

const exportColumns: ExportColumn<Row>[] = [
  { header: 'key', kind: 'text', value: (r) => r.key },
  { header: 'label', kind: 'text', value: (r) => r.label },
  { header: 'adherence', kind: 'number', value: (r) => r.kpis.adherence },
  { header: 'conformance', kind: 'number', value: (r) => r.kpis.conformance },
  { header: 'out_of_adherence_min', kind: 'number', value: (r) => r.kpis.outOfAdherenceMin },
  { header: 'scheduled_min', kind: 'number', value: (r) => r.sums.scheduled_min },
  { header: 'adherent_min', kind: 'number', value: (r) => r.sums.adherent_min },
  { header: 'work_scheduled_min', kind: 'number', value: (r) => r.sums.work_scheduled_min },
  { header: 'productive_min', kind: 'number', value: (r) => r.sums.productive_min },
];

/** The level a row opens: an agent's days, a day's agents, a team's agents, a week's days; an agent's day opens its minutes. */
function drillFrom(level: Level, row: Row): Level | { agentKey: string; date: string } {
  const { input } = level;
  if (input.by === 'agent') {
    return input.from === input.to
      ? { agentKey: row.key, date: input.from }
      : { input: { ...input, by: 'day', agentKey: row.key, teamKey: undefined }, title: row.label };
  }
  if (input.by === 'day') {
    return input.agentKey ? { agentKey: input.agentKey, date: row.key } : { input: { ...input, by: 'agent', from: row.key, to: row.key }, title: row.label };
  }
  if (input.by === 'team') return { input: { ...input, by: 'agent', teamKey: row.key }, title: row.label };
  const weekEnd = addLocalDays(row.key, 6);
  return { input: { ...input, by: 'day', from: row.key > input.from ? row.key : input.from, to: weekEnd < input.to ? weekEnd : input.to }, title: row.label };
}

/**
 * Adherence, conformance and minutes out over a date range by agent, team, day or week; every
 * row opens the rows behind it, down to one agent's day minute by minute.
 */
export function AdherenceReport({ today, teamKey, onMinutes }: { today: string; teamKey: string; onMinutes: (agentKey: string, date: string) => void }) {
  const trpc = useTRPC();
  const [range, setRange] = useState({ from: addLocalDays(today, -6), to: today });
  const [by, setBy] = useState<By>('agent');
  const [drill, setDrill] = useState<Level[]>([]);
  const top: Level = { input: { ...range, by, teamKey: teamKey || undefined }, title: 'All' };
  const levels = [top, ...drill];
  const level = levels.at(-1)!;
  const report = useQuery(trpc.adherence.report.queryOptions(level.input, { placeholderData: (previous) => previous }));
  const data = report.data;
  const open = (row: Row) => {
    const next = drillFrom(level, row);
    if ('agentKey' in next) onMinutes(next.agentKey, next.date);
    else setDrill([...drill, next]);
  };
  const columns: ColumnDef<Row, unknown>[] = [
    {
      accessorKey: 'label',
      header: dimensions.find((d) => d.id === level.input.by)!.label,
      cell: ({ row }) => (
        <button type="button" className="link" onClick={() => open(row.original)}>
          {row.original.label}
        </button>
      ),
    },
    {
      id: 'adherence',
      header: 'Adherence',
      accessorFn: (r) => r.kpis.adherence ?? -1,
      cell: ({ row }) => formatPercent(row.original.kpis.adherence),
      meta: { numeric: true },
    },
    {
      id: 'conformance',
      header: 'Conformance',
      accessorFn: (r) => r.kpis.conformance ?? -1,
      cell: ({ row }) => formatPercent(row.original.kpis.conformance),
      meta: { numeric: true },
    },
    {
      id: 'out',
      header: 'Min out',
      accessorFn: (r) => r.kpis.outOfAdherenceMin,
      cell: ({ row }) => formatCount(row.original.kpis.outOfAdherenceMin),
      meta: { numeric: true },
    },
    {
      id: 'scheduled',
      header: 'Scheduled min',
      accessorFn: (r) => r.sums.scheduled_min,
      cell: ({ row }) => formatCount(row.original.sums.scheduled_min),
      meta: { numeric: true },
    },
  ];
  return (
    <div className="panel" data-testid="adherence-report">
      <form className="inline-form controls" aria-label="Report range and rows" onSubmit={(e) => e.preventDefault()}>
        <DateRange
          from={range.from}
          to={range.to}
          onChange={(r) => {
            setRange(r);
            setDrill([]);
          }}
        />
        <span className="segmented" role="group" aria-label="Rows by">
          {dimensions.map((d) => (
            <button
              key={d.id}
              type="button"
              className={by === d.id ? 'on' : ''}
              aria-pressed={by === d.id}
              onClick={() => {
                setBy(d.id);
                setDrill([]);
              }}
            >
              {d.label}
            </button>
          ))}
        </span>
        {data && (
          <ExportButtons
            columns={exportColumns}
            rows={data.rows}
            filename={`adherence-${level.input.by}-${level.input.from}-${level.input.to}`}
            label="adherence report"
          />
        )}
      </form>
      {levels.length > 1 && (
        <nav aria-label="Drill path" className="small">
          {levels.map((l, i) => (
            <span key={i}>
              {i > 0 && ' › '}
              {i < levels.length - 1 ? (
                <button type="button" className="link" onClick={() => setDrill(drill.slice(0, i))}>
                  {l.title}
                </button>
              ) : (
                <strong>{l.title}</strong>
              )}
            </span>
          ))}
        </nav>
      )}
      {!data ? (
        <p className="muted">{report.error ? describeError(report.error) : 'Judging the minutes…'}</p>
      ) : (
        <>
          {report.error && <p className="error">{describeError(report.error)}</p>}
          <SortableTable
            data={data.rows}
            columns={columns}
            rowKey={(r) => r.key}
            testId="adherence-report-table"
            caption="Adherence by the chosen rows"
            footer={
              <tr>
                <th scope="row">Total</th>
                <td className="num" data-testid="report-total-adherence">
                  {formatPercent(data.total.kpis.adherence)}
                </td>
                <td className="num">{formatPercent(data.total.kpis.conformance)}</td>
                <td className="num">{formatCount(data.total.kpis.outOfAdherenceMin)}</td>
                <td className="num">{formatCount(data.total.sums.scheduled_min)}</td>
              </tr>
            }
          />
          <p className="muted small">
            {data.columns.map((c) => `${c.label}: ${c.formula}.`).join(' ')} Totals are the KPIs of the summed minutes. Weeks start on Monday (
            {localWeekStart(today, 1)} this week); times in {data.timezone}.
          </p>
        </>
      )}
    </div>
  );
}
