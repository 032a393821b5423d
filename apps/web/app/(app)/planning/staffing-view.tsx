'use client';

import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useRef, useState, type RefObject } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ExportButtons } from '../../components/export-buttons';
import { Figure } from '../../components/figure';
import { SortableTable } from '../../components/sortable-table';
import type { ExportColumn } from '../../lib/export';
import { formatDecimal, formatDuration, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import {
  countIntervalsWithoutAht,
  formatDate,
  formatSlot,
  getIntervalWaterfall,
  parseStoredPolicy,
  stepLabel,
  type Overview,
  type StaffingRow,
  type StoredPolicy,
} from './prepare';
import { WhatIfPanel } from './what-if';
import { chartAxis, chartGridStroke, chartTooltipStyle } from '../../lib/chart-theme';

type Queue = Overview['queues'][number];

const staffingExport: ExportColumn<StaffingRow>[] = [
  { header: 'interval_start', kind: 'text', value: (r) => r.interval_start },
  { header: 'calls', kind: 'number', value: (r) => r.calls },
  { header: 'aht_s', kind: 'number', value: (r) => r.aht_s },
  { header: 'workload_erlangs', kind: 'number', value: (r) => r.workload_erlangs },
  { header: 'erlang_agents', kind: 'number', value: (r) => r.erlang_agents },
  { header: 'capped_agents', kind: 'number', value: (r) => r.capped_agents },
  { header: 'required_fte', kind: 'number', value: (r) => r.required_fte },
  { header: 'service_level', kind: 'number', value: (r) => r.service_level },
  { header: 'asa_s', kind: 'number', value: (r) => r.asa_s },
  { header: 'occupancy', kind: 'number', value: (r) => r.occupancy },
  { header: 'p_abandon', kind: 'number', value: (r) => r.p_abandon },
];

/** How a stored policy reads: "80% in 20 s · Erlang C · 30% shrinkage · occupancy ≤ 85%". */
function describePolicy(policy: StoredPolicy): string {
  const target =
    policy.target.kind === 'service_level'
      ? `${formatPercent(policy.target.service_level, 0)} answered within ${policy.sl_threshold_s} s`
      : `ASA ≤ ${policy.target.asa_s} s`;
  const model = policy.patience_s === undefined ? 'Erlang C' : `Erlang A, mean patience ${policy.patience_s} s`;
  return `${target} · ${model} · ${formatPercent(policy.shrinkage, 0)} shrinkage · occupancy ≤ ${formatPercent(policy.max_occupancy, 0)}`;
}

/** The latest staffing version's requirements for one queue-day, each explained step by step, and a what-if. */
export function StaffingView({
  overview,
  queue,
  date,
  latest,
  canEdit,
  onShowLatest,
}: {
  overview: Overview;
  queue: Queue;
  date: string;
  latest: boolean;
  canEdit: boolean;
  onShowLatest: () => void;
}) {
  const trpc = useTRPC();
  const version = overview.staffingVersions[0];
  const staffing = useQuery(
    trpc.planning.staffing.queryOptions(
      { versionId: version?.version_id ?? '', queueKey: queue.key, date, days: 1 },
      { enabled: latest && version !== undefined },
    ),
  );
  if (!latest) {
    return (
      <div className="panel">
        <h2>Staffing requirements</h2>
        <p className="muted">
          Requirements are shown for the latest forecast version.{' '}
          <button type="button" className="link" onClick={onShowLatest}>
            Show the latest version
          </button>
        </p>
      </div>
    );
  }
  if (!version) {
    return (
      <div className="panel" data-testid="no-staffing">
        <h2>Staffing requirements</h2>
        <p className="muted">
          The latest forecast has no staffing requirements yet: they are computed when its run finishes, or with &ldquo;Recompute staffing&rdquo; above.
        </p>
      </div>
    );
  }
  if (staffing.error) {
    return (
      <p className="error" role="alert">
        {staffing.error.message}
      </p>
    );
  }
  if (!staffing.data) return <p className="muted">Loading the staffing requirements…</p>;
  const policy = parseStoredPolicy(staffing.data.policy);
  if (!policy) {
    return (
      <div className="panel">
        <h2>Staffing requirements · {queue.name}</h2>
        <p className="muted">
          This staffing version holds no policy for {queue.name} (the queue was added after it was computed): recompute staffing to include it.
        </p>
      </div>
    );
  }
  if (staffing.data.intervals.length === 0) {
    return (
      <div className="panel">
        <h2>Staffing requirements · {queue.name}</h2>
        <p className="muted">No requirements for {formatDate(date)}: pick a day the latest forecast covers.</p>
      </div>
    );
  }
  return (
    <Requirements
      key={`${queue.key}:${date}:${version.version_id}`}
      rows={staffing.data.intervals}
      policy={policy}
      queue={queue}
      date={date}
      timezone={overview.timezone}
      canEdit={canEdit}
    />
  );
}

function Requirements({
  rows,
  policy,
  queue,
  date,
  timezone,
  canEdit,
}: {
  rows: StaffingRow[];
  policy: StoredPolicy;
  queue: Queue;
  date: string;
  timezone: string;
  canEdit: boolean;
}) {
  const busiest = rows.reduce((best, r) => (r.required_fte > best.required_fte ? r : best), rows[0]!);
  const [selected, setSelected] = useState(busiest.interval_start);
  const waterfall = useRef<HTMLDivElement>(null);
  const row = rows.find((r) => r.interval_start === selected) ?? busiest;
  const hours = (rows.reduce((s, r) => s + r.required_fte, 0) * policy.interval_s) / 3600;
  const explain = (r: StaffingRow, text: string) => (
    <button
      type="button"
      className="link"
      // The table is below the waterfall: bring the explanation into view.
      onClick={() => (setSelected(r.interval_start), waterfall.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' }))}
      title="Explain this number step by step"
      aria-pressed={r.interval_start === row.interval_start}
    >
      {text}
    </button>
  );
  const columns: ColumnDef<StaffingRow, unknown>[] = [
    { accessorKey: 'interval_start', header: 'Interval', cell: ({ row: r }) => formatSlot(r.original.interval_start, timezone, false) },
    { accessorKey: 'calls', header: 'Contacts', cell: ({ row: r }) => formatDecimal(r.original.calls), meta: { numeric: true } },
    { accessorKey: 'aht_s', header: 'AHT', cell: ({ row: r }) => formatDuration(r.original.aht_s || null), meta: { numeric: true } },
    {
      accessorKey: 'workload_erlangs',
      header: () => <abbr title="Contacts × AHT ÷ interval length">Workload</abbr>,
      cell: ({ row: r }) => formatDecimal(r.original.workload_erlangs, 2),
      meta: { numeric: true },
    },
    { accessorKey: 'erlang_agents', header: 'Erlang agents', meta: { numeric: true } },
    { accessorKey: 'capped_agents', header: () => <abbr title="After the occupancy cap">Agents</abbr>, meta: { numeric: true } },
    {
      accessorKey: 'required_fte',
      header: () => <abbr title="Agents ÷ (1 − shrinkage). Click a number for its waterfall.">Required FTE</abbr>,
      cell: ({ row: r }) => explain(r.original, formatDecimal(r.original.required_fte, 2)),
      meta: { numeric: true },
    },
    { accessorKey: 'service_level', header: 'SL', cell: ({ row: r }) => formatPercent(r.original.service_level), meta: { numeric: true } },
    {
      accessorKey: 'asa_s',
      header: 'ASA',
      cell: ({ row: r }) => (r.original.asa_s === null ? '∞' : formatDuration(r.original.asa_s)),
      meta: { numeric: true },
    },
    { accessorKey: 'occupancy', header: 'Occupancy', cell: ({ row: r }) => formatPercent(r.original.occupancy), meta: { numeric: true } },
    ...(policy.patience_s === undefined
      ? []
      : [
          {
            accessorKey: 'p_abandon',
            header: 'Abandon',
            cell: ({ row: r }) => formatPercent(r.original.p_abandon),
            meta: { numeric: true },
          } satisfies ColumnDef<StaffingRow, unknown>,
        ]),
  ];
  const points = rows.map((r) => ({
    interval_start: r.interval_start,
    label: formatSlot(r.interval_start, timezone, false),
    fte: r.required_fte,
    agents: r.capped_agents,
  }));
  const withoutAht = countIntervalsWithoutAht(rows);
  return (
    <>
      {withoutAht > 0 && (
        <p className="warning" role="status" data-testid="staffing-no-aht">
          {withoutAht} interval{withoutAht === 1 ? ' has' : 's have'} contacts but no handle time to plan with, so nobody is planned there: set a planned AHT
          for {queue.name} under &ldquo;Special days &amp; overrides&rdquo; and recompute staffing.
        </p>
      )}
      <div className="tiles totals">
        <Figure label="Staff hours needed" value={formatDecimal(hours)} testId="staffing-hours" />
        <Figure label="Peak FTE" value={formatDecimal(busiest.required_fte, 2)} />
        <Figure
          label="Contacts"
          value={formatDecimal(
            rows.reduce((s, r) => s + r.calls, 0),
            0,
          )}
        />
      </div>
      <div className="panel">
        <div className="page-head">
          <h2>Required FTE · {queue.name}</h2>
          <span className="muted small" data-testid="staffing-policy">
            {formatDate(date)} · {describePolicy(policy)}
          </span>
        </div>
        <div className="chart tall" role="img" aria-label={`Required FTE and agents per interval for ${queue.name}`} data-testid="staffing-chart">
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart
              data={points}
              margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
              onClick={(state) => {
                const point = state?.activeTooltipIndex == null ? undefined : points[Number(state.activeTooltipIndex)];
                if (point) setSelected(point.interval_start);
              }}
            >
              <CartesianGrid stroke={chartGridStroke} vertical={false} />
              <XAxis dataKey="label" {...chartAxis} minTickGap={24} />
              <YAxis {...chartAxis} width={40} />
              <Tooltip contentStyle={chartTooltipStyle} formatter={(v, name) => [formatDecimal(v as number, 2), String(name)]} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar dataKey="fte" name="Required FTE" fill="#4cc2ff88" isAnimationActive={false} />
              <Line dataKey="agents" name="Agents on contacts" stroke="#3fb950" dot={false} type="stepAfter" isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      </div>
      <Waterfall row={row} policy={policy} timezone={timezone} panel={waterfall} />
      <div className="panel">
        <div className="page-head">
          <h2>By interval</h2>
          <span className="muted small">Click a required FTE, or a bar of the chart, for its waterfall.</span>
          <span style={{ flex: 1 }} />
          <ExportButtons columns={staffingExport} rows={rows} filename={`staffing-${queue.key}-${date}`} label="staffing by interval" />
        </div>
        <div className="scroll-box">
          <SortableTable
            data={rows}
            columns={columns}
            rowKey={(r) => r.interval_start}
            testId="staffing-rows"
            caption={`Staffing requirements for ${queue.name}`}
          />
        </div>
      </div>
      <WhatIfPanel rows={rows} policy={policy} queue={queue} timezone={timezone} canEdit={canEdit} />
    </>
  );
}

const stepDigits = { contacts: 1, erlangs: 2, agents: 0, fte: 2 } as const;
const stepUnit = { contacts: 'contacts', erlangs: 'Erlangs', agents: 'agents', fte: 'FTE' } as const;

/**
 * From volume to required FTE for one interval, recomputed in the browser by the function the
 * staffing workflow ran, with the stored policy; it is checked against the stored number.
 */
function Waterfall({ row, policy, timezone, panel }: { row: StaffingRow; policy: StoredPolicy; timezone: string; panel: RefObject<HTMLDivElement | null> }) {
  const waterfall = getIntervalWaterfall(policy, row);
  const when = formatSlot(row.interval_start, timezone, false);
  if (!waterfall) {
    return (
      <div className="panel" data-testid="waterfall" ref={panel}>
        <h2>Waterfall · {when}</h2>
        <p className="muted">No contacts are forecast in this interval, so nobody is needed.</p>
      </div>
    );
  }
  const agrees = Math.abs(waterfall.required_fte - row.required_fte) <= 1e-9 * Math.max(1, row.required_fte);
  // Steps after the volume are all in people (busy agents, agents, FTE), so they share one scale.
  const scale = Math.max(...waterfall.steps.filter((s) => s.unit !== 'contacts').map((s) => s.value), 1e-9);
  let previous = 0;
  return (
    <div className="panel" data-testid="waterfall" aria-live="polite" ref={panel}>
      <h2>
        Waterfall · <span data-testid="waterfall-interval">{when}</span>
      </h2>
      <table className="compact waterfall">
        <caption className="sr-only">How the required FTE at {when} follows from the forecast volume</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col">Why</th>
            <th scope="col" className="wf-col">
              <span className="sr-only">Change</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {waterfall.steps.map((s) => {
            const from = s.unit === 'contacts' ? 0 : Math.min(previous, s.value);
            const to = s.unit === 'contacts' ? 0 : Math.max(previous, s.value);
            if (s.unit !== 'contacts') previous = s.value;
            return (
              <tr key={s.step} data-testid={`step-${s.step}`}>
                <th scope="row">{stepLabel[s.step]}</th>
                <td className="num">
                  <span data-testid={`step-${s.step}-value`}>{formatDecimal(s.value, stepDigits[s.unit])}</span>{' '}
                  <span className="muted small">{stepUnit[s.unit]}</span>
                </td>
                <td className="small">{s.label}</td>
                <td className="wf-col">
                  {s.unit !== 'contacts' && (
                    <span className="wf-track" aria-hidden="true">
                      <span className="wf-base" style={{ width: `${(100 * from) / scale}%` }} />
                      <span className="wf-step" style={{ width: `${(100 * (to - from)) / scale}%` }} />
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="small">
        At {waterfall.agents} agents: service level {formatPercent(waterfall.achieved.service_level)}, ASA{' '}
        {Number.isFinite(waterfall.achieved.asa_s) ? formatDuration(waterfall.achieved.asa_s) : '∞'}, occupancy {formatPercent(waterfall.achieved.occupancy)}
        {waterfall.achieved.p_abandon === null ? '' : `, abandons ${formatPercent(waterfall.achieved.p_abandon)}`}.
      </p>
      <p className={agrees ? 'small good' : 'small bad'} data-testid="waterfall-check">
        {agrees
          ? `Stored requirement ${formatDecimal(row.required_fte, 2)} FTE: the same.`
          : `The stored requirement is ${formatDecimal(row.required_fte, 2)} FTE: it was computed by another version of the staffing code; recompute staffing to refresh it.`}
      </p>
    </div>
  );
}
