'use client';

import { Area, Bar, CartesianGrid, Cell, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartAxis, chartGridStroke, chartTooltipStyle } from '../../../lib/chart-theme';
import { formatDecimal } from '../../../lib/format';
import { formatInterval, getDayTicks, prepareCoverage, type Week } from './prepare';

const UNDER = '#f85149';
const OVER = '#d29922';

/** Day boundaries; Recharts wants them as direct children of the chart. */
function dayLines(week: Week) {
  return getDayTicks(week).map((d) => <ReferenceLine key={d.t} x={d.t} stroke={chartGridStroke} strokeDasharray="3 3" />);
}

function xAxisProps(week: Week) {
  const ticks = getDayTicks(week);
  const labels = new Map(ticks.map((d) => [d.t, d.label]));
  return {
    dataKey: 't',
    type: 'number' as const,
    domain: [0, week.intervals] as [number, number],
    ticks: ticks.map((d) => d.t),
    tickFormatter: (t: number) => labels.get(t) ?? '',
    ...chartAxis,
  };
}

/** Required against scheduled agents per 15-minute interval of the week; the gap between them shaded by its sign. */
export function CoverageChart({ week, required, scheduled, preview }: { week: Week; required: number[]; scheduled: number[]; preview: boolean }) {
  const points = prepareCoverage(required, scheduled);
  return (
    <div
      className="chart tall"
      role="img"
      aria-label={`Required and scheduled agents per 15 minutes, ${week.dates[0]} to ${week.dates[6]} (${week.timezone})${preview ? ', with the unsaved edit' : ''}`}
      data-testid="coverage-chart"
      data-coverage-key={scheduled.reduce((sum, s, t) => sum + s * (t + 1), 0)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={chartGridStroke} vertical={false} />
          <XAxis {...xAxisProps(week)} />
          <YAxis {...chartAxis} width={40} allowDecimals={false} />
          <Tooltip
            contentStyle={chartTooltipStyle}
            labelFormatter={(t) => formatInterval(week, Number(t))}
            formatter={(v, name) => (Array.isArray(v) ? [formatDecimal(Number(v[1]) - Number(v[0]), 0), String(name)] : [String(v), String(name)])}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {dayLines(week)}
          <Area dataKey="under" name="Short" type="stepAfter" stroke="none" fill={UNDER} fillOpacity={0.45} isAnimationActive={false} />
          <Area dataKey="over" name="Over" type="stepAfter" stroke="none" fill={OVER} fillOpacity={0.3} isAnimationActive={false} />
          <Line dataKey="required" name="Required" type="stepAfter" stroke="#e6edf3" dot={false} strokeWidth={1} isAnimationActive={false} />
          <Line dataKey="scheduled" name="Scheduled" type="stepAfter" stroke="#4cc2ff" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Scheduled agents gained (up) or lost (down) per interval between two versions. */
export function DeltaChart({ week, intervals }: { week: Week; intervals: number[] }) {
  const points = intervals.map((delta, t) => ({ t, delta }));
  return (
    <div className="chart" role="img" aria-label="Change in scheduled agents per 15 minutes" data-testid="delta-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={chartGridStroke} vertical={false} />
          <XAxis {...xAxisProps(week)} />
          <YAxis {...chartAxis} width={40} allowDecimals={false} />
          <Tooltip contentStyle={chartTooltipStyle} labelFormatter={(t) => formatInterval(week, Number(t))} />
          {dayLines(week)}
          <ReferenceLine y={0} stroke="#8b9bab" />
          <Bar dataKey="delta" name="Scheduled agents, change" isAnimationActive={false}>
            {points.map((p) => (
              <Cell key={p.t} fill={p.delta < 0 ? UNDER : '#3fb950'} />
            ))}
          </Bar>
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
