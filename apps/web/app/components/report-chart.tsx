'use client';

import type { ReportColumn, ReportPoint } from '@switchboard/api';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBucket, formatKpi } from '../lib/format';
import { chartAxis, chartGridStroke, chartTooltipStyle } from '../lib/chart-theme';

export interface ChartPoint {
  label: string;
  volume: number | null;
  value: number | null;
  previous: number | null;
}

/**
 * Prepare (pure): one point per bucket, the volume KPI as bars and the chosen KPI as a line,
 * last week's value beside it. A bucket with no value stays null (a gap), never 0.
 */
export function prepareChart(series: ReportPoint[], volumeId: string, kpiId: string, grain: string, timezone: string): ChartPoint[] {
  return series.map((p) => ({
    label: formatBucket(p.bucket, grain, timezone),
    volume: p.kpis[volumeId] ?? null,
    value: p.kpis[kpiId] ?? null,
    previous: p.previous ? (p.previous[kpiId] ?? null) : null,
  }));
}

/** Visualise: Recharts renders the prepared model and nothing else. */
export function ReportChart({ points, volume, kpi, compare }: { points: ChartPoint[]; volume: ReportColumn; kpi: ReportColumn; compare: boolean }) {
  return (
    <div className="chart tall" role="img" aria-label={`${kpi.label} and ${volume.label} by interval`}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={chartGridStroke} vertical={false} />
          <XAxis dataKey="label" {...chartAxis} minTickGap={24} />
          <YAxis yAxisId="volume" {...chartAxis} width={48} allowDecimals={false} />
          <YAxis yAxisId="kpi" orientation="right" {...chartAxis} width={56} tickFormatter={(v: number) => formatKpi(kpi.unit, v)} />
          <Tooltip
            contentStyle={chartTooltipStyle}
            formatter={(v, name) => [name === volume.label ? formatKpi(volume.unit, v as number) : formatKpi(kpi.unit, v as number), String(name)]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="volume" dataKey="volume" name={volume.label} fill="#4cc2ff44" isAnimationActive={false} />
          <Line yAxisId="kpi" dataKey="value" name={kpi.label} stroke="#3fb950" dot={false} connectNulls={false} isAnimationActive={false} />
          {compare && (
            <Line
              yAxisId="kpi"
              dataKey="previous"
              name={`${kpi.label}, week before`}
              stroke="#8b9bab"
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
