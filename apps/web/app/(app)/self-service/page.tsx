'use client';

import { addLocalDays, localDateOf } from '@switchboard/calendar';
import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DateRange } from '../../components/date-range';
import { DrillPanel, type DrillRequest } from '../../components/drill-panel';
import { ExportButtons } from '../../components/export-buttons';
import { Figure } from '../../components/figure';
import { SortableTable } from '../../components/sortable-table';
import type { ExportColumn } from '../../lib/export';
import { formatBucket, formatCount, formatPercent } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { chartGridStroke, chartTooltipStyle } from '../../lib/chart-theme';

type BotReport = inferRouterOutputs<AppRouter>['reports']['bots'];
type IntentRow = BotReport['intents'][number];

const metricTitle = { bot_sessions: 'Sessions', bot_contained: 'Contained', bot_escalated: 'Escalated', bot_abandoned: 'Abandoned in bot' } as Record<
  DrillRequest['metric'],
  string
>;

const intentExport: ExportColumn<IntentRow>[] = [
  { header: 'intent', kind: 'text', value: (r) => r.intent },
  { header: 'label', kind: 'text', value: (r) => r.label },
  { header: 'sessions', kind: 'number', value: (r) => r.sessions },
  { header: 'contained', kind: 'number', value: (r) => r.contained },
  { header: 'escalated', kind: 'number', value: (r) => r.escalated },
  { header: 'abandoned', kind: 'number', value: (r) => r.abandoned },
  { header: 'containment', kind: 'number', value: (r) => r.containment },
  { header: 'escalation_rate', kind: 'number', value: (r) => r.escalationRate },
  { header: 'abandon_rate', kind: 'number', value: (r) => r.abandonRate },
  { header: 'avg_turns', kind: 'number', value: (r) => r.avgTurns },
];

/** Self-service analytics: containment, escalation reasons and abandonment by intent, with trend. */
export default function SelfServicePage() {
  const trpc = useTRPC();
  // The layout renders pages only once the session is known; ranges are the tenant's days.
  const timezone = useSession().data?.timezone ?? 'UTC';
  const [to, setTo] = useState(() => localDateOf(new Date(), timezone));
  const [from, setFrom] = useState(() => addLocalDays(to, -13));
  const report = useQuery(trpc.reports.bots.queryOptions({ from, to, grain: 'day' }, { placeholderData: (previous) => previous }));
  const data = report.data;
  const [drill, setDrill] = useState<DrillRequest | null>(null);
  /** A number of the table, clickable through to the sessions behind it. */
  const drillable = (text: string, metric: DrillRequest['metric'], row: IntentRow) =>
    data ? (
      <button
        type="button"
        className="link"
        onClick={() => setDrill({ ...data.window, metric, dimension: 'intent', keys: [row.intent], title: `${metricTitle[metric]}: ${row.label}` })}
      >
        {text}
      </button>
    ) : (
      text
    );
  const columns: ColumnDef<IntentRow, unknown>[] = [
    { accessorKey: 'label', header: 'Intent' },
    {
      accessorKey: 'sessions',
      header: 'Sessions',
      cell: ({ row }) => drillable(formatCount(row.original.sessions), 'bot_sessions', row.original),
      meta: { numeric: true },
    },
    {
      accessorKey: 'containment',
      header: 'Containment',
      cell: ({ row }) => drillable(formatPercent(row.original.containment), 'bot_contained', row.original),
      meta: { numeric: true },
    },
    {
      accessorKey: 'escalationRate',
      header: 'Escalated',
      cell: ({ row }) => drillable(formatPercent(row.original.escalationRate), 'bot_escalated', row.original),
      meta: { numeric: true },
    },
    {
      accessorKey: 'abandonRate',
      header: 'Abandoned',
      cell: ({ row }) => drillable(formatPercent(row.original.abandonRate), 'bot_abandoned', row.original),
      meta: { numeric: true },
    },
    { accessorKey: 'avgTurns', header: 'Avg turns', cell: ({ row }) => row.original.avgTurns?.toFixed(1) ?? '—', meta: { numeric: true } },
    {
      id: 'reason',
      header: 'Top escalation reason',
      accessorFn: (r) => r.reasons[0]?.reason ?? '',
      cell: ({ row }) => {
        const top = row.original.reasons[0];
        return top ? `${top.reason.replaceAll('_', ' ')} (${formatPercent(top.escalated / Math.max(1, row.original.escalated), 0)})` : '—';
      },
    },
  ];
  return (
    <section>
      <div className="page-head">
        <h1>Self-service</h1>
        <form className="inline-form" aria-label="Period" onSubmit={(e) => e.preventDefault()}>
          <DateRange from={from} to={to} onChange={(r) => (setFrom(r.from), setTo(r.to))} />
        </form>
      </div>
      {!data ? (
        <p className="muted">{report.error ? report.error.message : 'Loading…'}</p>
      ) : (
        <>
          <div className="tiles">
            <Figure label="Sessions" value={formatCount(data.total.sessions)} />
            <Figure label="Containment" value={formatPercent(data.total.containment)} testId="bot-containment" />
            <Figure label="Escalated" value={formatPercent(data.total.escalationRate)} />
            <Figure label="Abandoned in bot" value={formatPercent(data.total.abandonRate)} />
          </div>
          <div className="panel">
            <h2>Trend</h2>
            <div className="chart tall" role="img" aria-label="Containment, escalation and abandonment by day">
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={data.series.map((p) => ({ ...p, label: formatBucket(p.bucket, 'day', data.timezone) }))}>
                  <CartesianGrid stroke={chartGridStroke} vertical={false} />
                  <XAxis dataKey="label" stroke="#8b9bab" fontSize={11} />
                  <YAxis stroke="#8b9bab" fontSize={11} tickFormatter={(v: number) => formatPercent(v, 0)} domain={[0, 1]} />
                  <Tooltip contentStyle={chartTooltipStyle} formatter={(v) => formatPercent(v as number)} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Line dataKey="containment" name="Containment" stroke="#3fb950" dot={false} isAnimationActive={false} />
                  <Line dataKey="escalationRate" name="Escalated" stroke="#d29922" dot={false} isAnimationActive={false} />
                  <Line dataKey="abandonRate" name="Abandoned" stroke="#f85149" dot={false} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            </div>
          </div>
          <div className="two-col">
            <div className="panel">
              <div className="page-head">
                <h2>By intent</h2>
                <span style={{ flex: 1 }} />
                <ExportButtons columns={intentExport} rows={data.intents} filename="self-service-by-intent" label="self-service by intent" />
              </div>
              <SortableTable data={data.intents} columns={columns} rowKey={(r) => r.intent} testId="intents" initialSort={[{ id: 'sessions', desc: true }]} />
            </div>
            <div className="panel">
              <h2>Why sessions escalate</h2>
              <ul className="bars">
                {data.reasons.map((r) => (
                  <li key={r.reason}>
                    <span>{r.reason.replaceAll('_', ' ')}</span>
                    <span className="bar" style={{ width: `${(100 * r.escalated) / Math.max(1, data.reasons[0]!.escalated)}%` }} />
                    <span className="num">{formatCount(r.escalated)}</span>
                  </li>
                ))}
              </ul>
            </div>
          </div>
          {drill && <DrillPanel key={JSON.stringify(drill)} request={drill} timezone={data.timezone} onClose={() => setDrill(null)} />}
        </>
      )}
    </section>
  );
}
