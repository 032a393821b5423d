'use client';

import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ExportButtons } from '../../components/export-buttons';
import { Figure } from '../../components/figure';
import { SortableTable } from '../../components/sortable-table';
import { chartAxis, chartGridStroke, chartTooltipStyle } from '../../lib/chart-theme';
import { describeError } from '../../lib/errors';
import type { ExportColumn } from '../../lib/export';
import { formatCount, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import {
  describeTarget,
  formatChange,
  formatInterval,
  getEffectUnit,
  groupEffects,
  isImprovement,
  unitSuffix,
  type EffectGroup,
  type EffectRow,
} from './prepare';
import styles from './coaching.module.css';

const GOOD = '#3fb950';
const BAD = '#f85149';
const BAR_HEIGHT = 30;

type By = 'rule' | 'coach';
type Row = EffectRow & { id: string };

const exportColumns = (by: By): ExportColumn<Row>[] => [
  { header: by, kind: 'text', value: (r) => r.label },
  { header: 'target', kind: 'text', value: (r) => describeTarget(r.target) },
  { header: 'assignments', kind: 'number', value: (r) => r.assignments },
  { header: 'improved', kind: 'number', value: (r) => r.improved },
  { header: 'share_improved', kind: 'number', value: (r) => r.shareImproved },
  // In the target's stored unit: seconds for AHT, ratios for rates and pass rates.
  { header: 'mean_effect', kind: 'number', value: (r) => r.meanEffect },
  { header: 'low', kind: 'number', value: (r) => r.low },
  { header: 'high', kind: 'number', value: (r) => r.high },
];

/** Which coaching works: closed, measured assignments by rule or by coach, per target, with the mean effect and its interval. */
export function EffectsView() {
  const trpc = useTRPC();
  const effects = useQuery(trpc.coaching.effects.queryOptions());
  const [by, setBy] = useState<By>('rule');
  const data = effects.data;
  if (!data) return <p className={effects.error ? 'error' : 'muted'}>{effects.error ? describeError(effects.error) : 'Loading the effects…'}</p>;
  const rows: Row[] = (by === 'rule' ? data.byRule : data.byCoach).map((r) => ({ ...r, id: `${r.label}|${describeTarget(r.target)}` }));
  const groups = groupEffects(rows);
  const columns: ColumnDef<Row, unknown>[] = [
    { accessorKey: 'label', header: by === 'rule' ? 'Rule' : 'Coach' },
    { id: 'target', header: 'Target', accessorFn: (r) => describeTarget(r.target) },
    { accessorKey: 'assignments', header: 'Assignments', meta: { numeric: true }, cell: ({ row }) => formatCount(row.original.assignments) },
    {
      accessorKey: 'shareImproved',
      header: 'Improved',
      meta: { numeric: true },
      cell: ({ row }) => `${formatCount(row.original.improved)} (${formatPercent(row.original.shareImproved, 0)})`,
    },
    {
      accessorKey: 'meanEffect',
      header: 'Mean effect',
      meta: { numeric: true },
      cell: ({ row }) => {
        const unit = getEffectUnit(row.original.target);
        const improving = isImprovement(unit, row.original.meanEffect);
        return <span className={improving ? styles.good : undefined}>{formatChange(unit.unit, row.original.meanEffect)}</span>;
      },
    },
    {
      id: 'interval',
      header: '90% interval',
      accessorFn: (r) => r.low,
      meta: { numeric: true },
      cell: ({ row }) => formatInterval(getEffectUnit(row.original.target).unit, row.original.low, row.original.high),
    },
    {
      id: 'better',
      header: 'Better is',
      enableSorting: false,
      cell: ({ row }) => <span className="muted small">{getEffectUnit(row.original.target).lowerIsBetter ? 'lower' : 'higher'}</span>,
    },
  ];
  return (
    <>
      <div className="tiles totals">
        <Figure label="Measured" value={formatCount(data.measured)} testId="coaching-measured" />
        <Figure label="Not measured" value={formatCount(data.notMeasured)} testId="coaching-not-measured" />
      </div>
      <div className="panel">
        <div className="page-head">
          <h2>Effect by {by}</h2>
          <div className="segmented" role="radiogroup" aria-label="Group the effects by">
            {(['rule', 'coach'] as const).map((b) => (
              <button key={b} type="button" role="radio" aria-checked={by === b} className={by === b ? 'on' : ''} onClick={() => setBy(b)}>
                By {b}
              </button>
            ))}
          </div>
          <span className="muted small">
            {formatCount(data.measured)} measured, {formatCount(data.notMeasured)} not measured (too little data before or after)
          </span>
          <span style={{ flex: 1 }} />
          <ExportButtons columns={exportColumns(by)} rows={rows} filename={`coaching-effects-by-${by}`} label={`coaching effects by ${by}`} />
        </div>
        <p className="muted small">
          Per target, as a mean only means something in one unit: AHT in seconds, rates and question pass rates in percentage points. Each assignment&apos;s
          effect is the agent&apos;s change minus that of comparable agents nobody coached.
        </p>
        {rows.length === 0 ? (
          <p className="muted" data-testid="coaching-effects-empty">
            No coaching has been measured yet: an assignment is measured over its weeks after the session or the acknowledgement.
          </p>
        ) : (
          <>
            <SortableTable data={rows} columns={columns} rowKey={(r) => r.id} testId="coaching-effects" caption={`Effect of coaching by ${by} and target`} />
            <div className="two-col even">
              {groups.map((g) => (
                <EffectChart key={g.target} group={g} by={by} />
              ))}
            </div>
          </>
        )}
      </div>
    </>
  );
}

/** Mean effect per rule or coach as horizontal bars from 0, with the interval as whiskers; green where it improves, red where it worsens. */
function EffectChart({ group, by }: { group: EffectGroup; by: By }) {
  const suffix = unitSuffix(group.unit.unit);
  const format = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}${suffix ? ` ${suffix}` : ''}`;
  return (
    <div className={`chart ${styles.chart}`} role="img" aria-label={`Mean effect on ${group.target} by ${by}, with 90% intervals`}>
      <h3>
        {group.target} <span className="muted small">({suffix === 'pp' ? 'percentage points' : suffix === 's' ? 'seconds' : 'change'})</span>
      </h3>
      <ResponsiveContainer width="100%" height={40 + BAR_HEIGHT * group.points.length}>
        <BarChart data={group.points} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={chartGridStroke} horizontal={false} />
          <XAxis type="number" domain={group.domain} tickFormatter={format} {...chartAxis} />
          <YAxis type="category" dataKey="label" width={130} {...chartAxis} />
          <Tooltip
            contentStyle={chartTooltipStyle}
            cursor={{ fill: '#ffffff0d' }}
            formatter={(_, __, item) => {
              const p = item.payload as EffectGroup['points'][number];
              return [`${format(p.mean)} (${format(p.low)} to ${format(p.high)}), ${p.improved} of ${p.assignments} improved`, 'Mean effect'];
            }}
          />
          <ReferenceLine x={0} stroke="#8b9bab" />
          <Bar dataKey="mean" name="Mean effect" barSize={12} isAnimationActive={false}>
            {group.points.map((p) => (
              // Faint where the interval takes in 0: no clear effect either way.
              <Cell key={p.label} fill={p.improving ? GOOD : BAD} fillOpacity={p.low <= 0 && p.high >= 0 ? 0.35 : 0.85} />
            ))}
            <ErrorBar dataKey="error" width={5} stroke="#e6edf3" strokeWidth={1.5} isAnimationActive={false} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
