'use client';

import { Area, Bar, CartesianGrid, Cell, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartAxis, chartGridStroke, chartTooltipStyle } from '../../../lib/chart-theme';
import { DASH, formatDecimal } from '../../../lib/format';
import { formatGap, labelAt, type IntradayChartModel } from './prepare';

const SHORT = '#f85149';
const OVER = '#3fb950';
const NOW = '#e6edf3';

/** The interval axis both charts share: whole local hours as ticks, a tooltip title per interval. */
function xAxisProps(model: IntradayChartModel) {
  const labels = new Map(model.ticks.map((t) => [t.x, t.label]));
  return {
    dataKey: 'x',
    type: 'number' as const,
    domain: model.domain,
    ticks: model.ticks.map((t) => t.x),
    tickFormatter: (x: number) => labels.get(x) ?? '',
    ...chartAxis,
  };
}

function nowLine(model: IntradayChartModel) {
  return (
    model.now !== null && (
      <ReferenceLine x={model.now} stroke={NOW} strokeDasharray="2 3" label={{ value: 'now', position: 'insideTopRight', fill: NOW, fontSize: 11 }} />
    )
  );
}

/** Picks the interval under a click on a chart (the breakdown below shows its numbers). */
function clickHandler(model: IntradayChartModel, onPick: (start: string) => void) {
  return (state: { activeTooltipIndex?: number | string | null } | null) => {
    const point = state?.activeTooltipIndex == null ? undefined : model.points[Number(state.activeTooltipIndex)];
    if (point) onPick(point.start);
  };
}

/** Contacts per interval: the morning forecast, the latest reforecast of the rest of the day, and what came in. */
export function ContactsChart({ model, groupName, onPick }: { model: IntradayChartModel; groupName: string; onPick: (start: string) => void }) {
  return (
    <div
      className="chart tall"
      role="img"
      aria-label={`Forecast, reforecast and actual contacts per 15 minutes for ${groupName}`}
      data-testid="intraday-contacts-chart"
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={model.points} margin={{ top: 12, right: 12, bottom: 0, left: 0 }} onClick={clickHandler(model, onPick)}>
          <CartesianGrid stroke={chartGridStroke} vertical={false} />
          <XAxis {...xAxisProps(model)} />
          <YAxis {...chartAxis} width={40} allowDecimals={false} />
          <Tooltip
            contentStyle={chartTooltipStyle}
            labelFormatter={(x) => labelAt(model, Number(x))}
            formatter={(v, name) => [v === null || v === undefined ? DASH : formatDecimal(Number(v)), String(name)]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="actual" name="Actual" fill="#3fb95099" isAnimationActive={false} />
          <Line dataKey="forecast" name="Morning forecast" stroke="#4cc2ff" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line dataKey="reforecast" name="Reforecast" stroke="#d29922" strokeWidth={2} strokeDasharray="6 4" dot={false} isAnimationActive={false} />
          {nowLine(model)}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * Agents per interval: required and scheduled as lines, the productive agents left after exceptions and absences
 * as an area, and the gap (net − required) as bars, red short and green over, faint while within the threshold.
 */
export function AgentsChart({
  model,
  threshold,
  groupName,
  onPick,
}: {
  model: IntradayChartModel;
  threshold: number;
  groupName: string;
  onPick: (start: string) => void;
}) {
  return (
    <div
      className="chart tall"
      role="img"
      aria-label={`Required, scheduled and available agents and the staffing gap per 15 minutes for ${groupName}`}
      data-testid="intraday-agents-chart"
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={model.points} margin={{ top: 12, right: 12, bottom: 0, left: 0 }} onClick={clickHandler(model, onPick)}>
          <CartesianGrid stroke={chartGridStroke} vertical={false} />
          <XAxis {...xAxisProps(model)} />
          <YAxis {...chartAxis} width={40} />
          <Tooltip
            contentStyle={chartTooltipStyle}
            labelFormatter={(x) => labelAt(model, Number(x))}
            formatter={(v, name) => [name === 'Gap' ? formatGap(Number(v)) : formatDecimal(Number(v)), String(name)]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine y={0} stroke="#8b9bab" />
          <ReferenceLine y={threshold} stroke={OVER} strokeDasharray="4 4" />
          <ReferenceLine y={-threshold} stroke={SHORT} strokeDasharray="4 4" />
          <Area dataKey="net" name="Net available" type="step" stroke="#4cc2ff" strokeWidth={1} fill="#4cc2ff" fillOpacity={0.18} isAnimationActive={false} />
          <Bar dataKey="gap" name="Gap" fill="#8b9bab" isAnimationActive={false}>
            {model.points.map((p) => (
              <Cell key={p.start} fill={p.gap < 0 ? SHORT : OVER} fillOpacity={p.mark === 'ok' ? 0.35 : 0.9} />
            ))}
          </Bar>
          <Line dataKey="required" name="Required" type="step" stroke="#e6edf3" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          <Line dataKey="scheduled" name="Scheduled" type="step" stroke="#a371f7" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          {nowLine(model)}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
