'use client';

import { addLocalDays, localDateOf } from '@switchboard/calendar';
import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { Report, ReportColumn, ReportDimension, ReportPoint, ReportRow } from '@switchboard/api';
import { useState } from 'react';
import { DateRange } from '../../components/date-range';
import { DrillPanel, type DrillRequest } from '../../components/drill-panel';
import { ExportButtons } from '../../components/export-buttons';
import { prepareChart, ReportChart } from '../../components/report-chart';
import { SortableTable } from '../../components/sortable-table';
import type { ExportColumn } from '../../lib/export';
import { formatBucket, formatKpi } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';

const dimensions: { id: ReportDimension; label: string }[] = [
  { id: 'queue', label: 'Queue' },
  { id: 'channel', label: 'Channel' },
  { id: 'team', label: 'Team' },
  { id: 'agent', label: 'Agent' },
];
const grains = [
  { id: '15m', label: '15 min' },
  { id: '30m', label: '30 min' },
  { id: '60m', label: 'Hour' },
  { id: 'day', label: 'Day' },
  { id: 'week', label: 'Week' },
] as const;
type Grain = (typeof grains)[number]['id'];

/** Last week's figure and which way it moved, coloured by whether that is good. */
function Delta({ column, now, before }: { column: ReportColumn; now: number | null; before: number | null | undefined }) {
  if (before === undefined || before === null || now === null) return null;
  const diff = now - before;
  const good = column.better === 'neither' || diff === 0 ? '' : diff > 0 === (column.better === 'higher') ? 'good' : 'bad';
  return (
    <span className={`delta ${good}`} title={`Same days last week: ${formatKpi(column.unit, before)}`}>
      {diff > 0 ? '▲' : diff < 0 ? '▼' : '='} {formatKpi(column.unit, before)}
    </span>
  );
}

export default function ReportsPage() {
  const trpc = useTRPC();
  const [dimension, setDimension] = useState<ReportDimension>('queue');
  // The layout renders pages only once the session is known; ranges are the tenant's days.
  const timezone = useSession().data?.timezone ?? 'UTC';
  const [to, setTo] = useState(() => localDateOf(new Date(), timezone));
  const [from, setFrom] = useState(() => addLocalDays(to, -6));
  const [grain, setGrain] = useState<Grain>('day');
  const [compare, setCompare] = useState(true);
  const [chartKpi, setChartKpi] = useState<string>('');
  const [drill, setDrill] = useState<DrillRequest | null>(null);
  const report = useQuery(trpc.reports.run.queryOptions({ from, to, grain, dimension, compare }, { placeholderData: (previous) => previous }));
  const data = report.data;

  const openDrill = (column: ReportColumn, window: { from: string; to: string }, keys: string[] | undefined, what: string) => {
    if (!column.drill) return;
    setDrill({ from: window.from, to: window.to, metric: column.drill, dimension, keys, title: `${column.label}: ${what}` });
  };

  return (
    <section>
      <div className="page-head">
        <h1>Reports</h1>
        <span className="muted small">{data ? `Days in ${data.timezone}` : ''}</span>
      </div>
      <form className="inline-form controls" aria-label="Report settings" onSubmit={(e) => e.preventDefault()}>
        <div role="radiogroup" aria-label="Report by" className="segmented">
          {dimensions.map((d) => (
            <button
              key={d.id}
              type="button"
              role="radio"
              aria-checked={dimension === d.id}
              className={dimension === d.id ? 'on' : ''}
              onClick={() => (setDimension(d.id), setDrill(null), setChartKpi(''))}
            >
              {d.label}
            </button>
          ))}
        </div>
        <DateRange from={from} to={to} onChange={(r) => (setFrom(r.from), setTo(r.to))} />
        <label>
          By{' '}
          <select value={grain} onChange={(e) => setGrain(e.target.value as Grain)}>
            {grains.map((g) => (
              <option key={g.id} value={g.id}>
                {g.label}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} /> vs same days last week
        </label>
      </form>
      {report.error && (
        <p className="error" role="alert">
          {report.error.message}
        </p>
      )}
      {!data ? (
        !report.error && <p className="muted">Loading…</p>
      ) : (
        <ReportView data={data} chartKpi={chartKpi} setChartKpi={setChartKpi} onDrill={openDrill} stale={report.isPlaceholderData} />
      )}
      {drill && data && <DrillPanel key={JSON.stringify(drill)} request={drill} timezone={data.timezone} onClose={() => setDrill(null)} />}
    </section>
  );
}

type OnDrill = (column: ReportColumn, window: { from: string; to: string }, keys: string[] | undefined, what: string) => void;

/** Imported history counts in offered, answered and abandoned but has no events to drill into: say where a figure holds some. */
function Imported({ intervals }: { intervals: number | undefined }) {
  if (!intervals) return null;
  return (
    <span className="pill muted" title={`${intervals} quarter-hours of history imported from the previous system: volumes only, no interactions behind them`}>
      imported
    </span>
  );
}

function kpiCell(column: ReportColumn, kpis: Record<string, number | null>, previous: Record<string, number | null> | undefined, drill: (() => void) | null) {
  const value = kpis[column.id] ?? null;
  const text = formatKpi(column.unit, value);
  return (
    <>
      {drill && value !== null ? (
        <button type="button" className="link" onClick={drill} title={`List what is behind ${column.label} (${column.formula})`}>
          {text}
        </button>
      ) : (
        text
      )}
      {previous && <Delta column={column} now={value} before={previous[column.id]} />}
    </>
  );
}

function ReportView({
  data,
  chartKpi,
  setChartKpi,
  onDrill,
  stale,
}: {
  data: Report;
  chartKpi: string;
  setChartKpi: (id: string) => void;
  onDrill: OnDrill;
  stale: boolean;
}) {
  const volume = data.columns.find((c) => c.id === 'offered') ?? data.columns.find((c) => c.id === 'handled')!;
  const ratioColumns = data.columns.filter((c) => c.unit !== 'count' || c.id === 'staffed_hours');
  const kpi = data.columns.find((c) => c.id === chartKpi) ?? ratioColumns[0]!;
  const label = (key: string) => data.rows.find((r) => r.key === key)?.label ?? key;
  const dimensionLabel = dimensions.find((d) => d.id === data.dimension)?.label ?? '';

  const rowColumns: ColumnDef<ReportRow, unknown>[] = [
    {
      accessorKey: 'label',
      header: dimensionLabel,
      cell: ({ row }) => (
        <>
          {row.original.label} <Imported intervals={row.original.importedIntervals} />
        </>
      ),
    },
    ...data.columns.map((c): ColumnDef<ReportRow, unknown> => ({
      id: c.id,
      accessorFn: (r) => r.kpis[c.id] ?? -Infinity,
      header: () => <abbr title={c.formula}>{c.label}</abbr>,
      meta: { numeric: true },
      cell: ({ row }) =>
        kpiCell(c, row.original.kpis, row.original.previous, c.drill ? () => onDrill(c, data.window, [row.original.key], row.original.label) : null),
    })),
  ];
  const buckets = data.series.map((p, i) => ({ ...p, to: data.series[i + 1]?.bucket ?? data.window.to }));
  const intervalColumns: ColumnDef<(typeof buckets)[number], unknown>[] = [
    {
      accessorKey: 'bucket',
      header: 'Interval',
      cell: ({ row }) => (
        <>
          {formatBucket(row.original.bucket, data.grain, data.timezone)} <Imported intervals={row.original.importedIntervals} />
        </>
      ),
    },
    ...data.columns.map((c): ColumnDef<(typeof buckets)[number], unknown> => ({
      id: c.id,
      accessorFn: (r) => r.kpis[c.id] ?? -Infinity,
      header: () => <abbr title={c.formula}>{c.label}</abbr>,
      meta: { numeric: true },
      cell: ({ row }) =>
        kpiCell(
          c,
          row.original.kpis,
          row.original.previous,
          c.drill
            ? () => onDrill(c, { from: row.original.bucket, to: row.original.to }, undefined, formatBucket(row.original.bucket, data.grain, data.timezone))
            : null,
        ),
    })),
  ];
  const rowExport: ExportColumn<ReportRow>[] = [
    { header: data.dimension, kind: 'text', value: (r) => r.key },
    { header: 'label', kind: 'text', value: (r) => r.label },
    ...data.columns.map((c): ExportColumn<ReportRow> => ({ header: c.id, kind: 'number', value: (r) => r.kpis[c.id] ?? null })),
  ];
  const intervalExport: ExportColumn<ReportPoint>[] = [
    { header: 'interval_start', kind: 'text', value: (r) => r.bucket },
    ...data.columns.map((c): ExportColumn<ReportPoint> => ({ header: c.id, kind: 'number', value: (r) => r.kpis[c.id] ?? null })),
  ];

  return (
    <div className={stale ? 'stale' : ''}>
      <div className="panel">
        <div className="page-head">
          <h2>Trend</h2>
          <label className="muted small">
            Line{' '}
            <select value={kpi.id} onChange={(e) => setChartKpi(e.target.value)} aria-label="KPI on the chart">
              {ratioColumns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ReportChart
          points={prepareChart(data.series, volume.id, kpi.id, data.grain, data.timezone)}
          volume={volume}
          kpi={kpi}
          compare={data.previousWindow !== null}
        />
      </div>
      <div className="panel">
        <div className="page-head">
          <h2>By {dimensionLabel.toLowerCase()}</h2>
          <span className="muted small">
            Click a number for the interactions behind it{data.previousWindow ? '; ▲▼ compare with the same days last week' : ''}.
          </span>
          <span style={{ flex: 1 }} />
          <ExportButtons columns={rowExport} rows={[...data.rows, data.total]} filename={`report-by-${data.dimension}`} label={`report by ${data.dimension}`} />
        </div>
        <SortableTable
          data={data.rows}
          columns={rowColumns}
          rowKey={(r) => r.key}
          testId="report-rows"
          caption={`Report by ${dimensionLabel}`}
          footer={
            <tr data-testid="report-total">
              <th scope="row">Total</th>
              {data.columns.map((c) => (
                <td key={c.id} className="num">
                  {kpiCell(c, data.total.kpis, data.total.previous, c.drill ? () => onDrill(c, data.window, undefined, 'all') : null)}
                </td>
              ))}
            </tr>
          }
        />
      </div>
      <div className="panel">
        <div className="page-head">
          <h2>By interval</h2>
          <span className="muted small">{data.rows.length === 1 ? label(data.rows[0]!.key) : `all ${data.rows.length} ${dimensionLabel.toLowerCase()}s`}</span>
          <span style={{ flex: 1 }} />
          <ExportButtons columns={intervalExport} rows={data.series} filename={`report-by-${data.grain}`} label="report by interval" />
        </div>
        <SortableTable data={buckets} columns={intervalColumns} rowKey={(r) => r.bucket} testId="report-intervals" caption="Report by interval" />
      </div>
    </div>
  );
}
