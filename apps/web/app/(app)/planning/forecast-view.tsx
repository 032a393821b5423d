'use client';

import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { ExportButtons } from '../../components/export-buttons';
import { Figure } from '../../components/figure';
import { SortableTable } from '../../components/sortable-table';
import type { ExportColumn } from '../../lib/export';
import { DASH, formatCount, formatDecimal, formatDuration, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import {
  formatDate,
  formatSlot,
  parseBlends,
  parseCandidates,
  prepareForecastChart,
  prepareHorizonChart,
  summariseForecast,
  type AccuracyRow,
  type ForecastData,
  type ForecastPoint,
  type ForecastRow,
  type Overview,
} from './prepare';
import { chartAxis, chartGridStroke, chartTooltipStyle } from '../../lib/chart-theme';

type Queue = Overview['queues'][number];
type Version = Overview['versions'][number];

const methodLabel: Record<string, string> = {
  'seasonal-naive': 'Seasonal naive (same weekday last week)',
  mean4: 'Mean of the last 4 same weekdays',
  median4: 'Median of the last 4 same weekdays',
  profile: 'Daily total × intraday profile',
  'calendar-profile': 'Daily total with calendar effects × intraday profile',
  'smoothed-profile': 'Smoothed daily level with calendar effects × intraday profile',
  blend: 'Blend of the best methods per weekday',
  'weekday-interval-ratio': 'Handle time per weekday and time of day',
};

const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const signedPercent = (v: number | null) => (v === null ? DASH : `${v > 0 ? '+' : ''}${formatPercent(v)}`);

const intervalExport: ExportColumn<ForecastRow>[] = [
  { header: 'interval_start', kind: 'text', value: (r) => r.interval_start },
  { header: 'volume', kind: 'number', value: (r) => r.volume },
  { header: 'volume_lo80', kind: 'number', value: (r) => r.volume_lo80 },
  { header: 'volume_hi80', kind: 'number', value: (r) => r.volume_hi80 },
  { header: 'volume_statistical', kind: 'number', value: (r) => r.volume_statistical },
  { header: 'overridden', kind: 'number', value: (r) => r.overridden },
  { header: 'actual_offered', kind: 'number', value: (r) => r.actual_offered },
  { header: 'aht_s', kind: 'number', value: (r) => r.aht_s },
  { header: 'actual_aht_s', kind: 'number', value: (r) => r.actual_aht_s },
];

/** One queue's forecast beside its actuals, how the method was chosen, and how accurate versions have been. */
export function ForecastView({ overview, queue, version, date, days }: { overview: Overview; queue: Queue; version: Version; date: string; days: number }) {
  const trpc = useTRPC();
  const input = { versionId: version.version_id, queueKey: queue.key, date, days };
  const forecast = useQuery(trpc.planning.forecast.queryOptions(input, { placeholderData: (previous) => previous }));
  const data = forecast.data;
  return (
    <>
      {forecast.error && (
        <p className="error" role="alert">
          {forecast.error.message}
        </p>
      )}
      {!data ? (
        !forecast.error && <p className="muted">Loading the forecast…</p>
      ) : (
        <ForecastPanels data={data} overview={overview} queue={queue} version={version} date={date} days={days} stale={forecast.isPlaceholderData} />
      )}
      <div className="two-col">
        <MethodPanel data={data} />
        <AccuracyPanel overview={overview} queue={queue} version={version} />
      </div>
    </>
  );
}

function ForecastPanels({
  data,
  overview,
  queue,
  version,
  date,
  days,
  stale,
}: {
  data: ForecastData;
  overview: Overview;
  queue: Queue;
  version: Version;
  date: string;
  days: number;
  stale: boolean;
}) {
  const timezone = overview.timezone;
  const rows = data.intervals;
  const summary = summariseForecast(rows);
  const span = days === 1 ? formatDate(date) : `${formatDate(date)} + ${days - 1} days`;
  if (rows.length === 0) {
    return (
      <div className="panel" data-testid="forecast-empty">
        <h2>Forecast vs actual · {queue.name}</h2>
        <p className="muted">
          This version has no forecast for {queue.name} on {span}: it covers {version.horizon_days} days from {formatDate(version.start_date)}. Pick a day in
          that range, or run a new forecast.
        </p>
      </div>
    );
  }
  const columns: ColumnDef<ForecastRow, unknown>[] = [
    { accessorKey: 'interval_start', header: 'Interval', cell: ({ row }) => formatSlot(row.original.interval_start, timezone, days > 1) },
    { accessorKey: 'volume', header: 'Forecast', cell: ({ row }) => formatDecimal(row.original.volume), meta: { numeric: true } },
    {
      id: 'band',
      accessorFn: (r) => r.volume_hi80 - r.volume_lo80,
      header: () => <abbr title="80% prediction interval: the actual should fall inside 4 times in 5">80% band</abbr>,
      cell: ({ row }) => `${formatDecimal(row.original.volume_lo80)} – ${formatDecimal(row.original.volume_hi80)}`,
      meta: { numeric: true },
    },
    {
      accessorKey: 'actual_offered',
      header: 'Actual',
      cell: ({ row }) => (row.original.actual_offered === null ? DASH : String(row.original.actual_offered)),
      meta: { numeric: true },
    },
    {
      id: 'error',
      accessorFn: (r) => (r.actual_offered === null ? -Infinity : r.volume - r.actual_offered),
      header: () => <abbr title="Forecast − actual: positive means over-forecast">Error</abbr>,
      cell: ({ row }) => (row.original.actual_offered === null ? DASH : formatDecimal(row.original.volume - row.original.actual_offered)),
      meta: { numeric: true },
    },
    { accessorKey: 'aht_s', header: 'AHT', cell: ({ row }) => formatDuration(row.original.aht_s || null), meta: { numeric: true } },
    { accessorKey: 'actual_aht_s', header: 'Actual AHT', cell: ({ row }) => formatDuration(row.original.actual_aht_s), meta: { numeric: true } },
    {
      accessorKey: 'overridden',
      header: 'Override',
      cell: ({ row }) =>
        row.original.overridden ? <span title={`Statistical forecast ${formatDecimal(row.original.volume_statistical)}`}>overridden</span> : '',
    },
  ];
  return (
    <div className={stale ? 'stale' : ''}>
      <div className="tiles totals">
        <Figure label="Forecast contacts" value={formatDecimal(summary.forecast, 0)} testId="forecast-total" />
        <Figure
          label={`Actual (${summary.comparedIntervals} intervals so far)`}
          value={summary.comparedIntervals ? formatCount(summary.actual) : DASH}
          testId="actual-total"
        />
        <Figure label="Forecast, same intervals" value={summary.comparedIntervals ? formatDecimal(summary.comparedForecast, 0) : DASH} />
        <Figure label="WAPE so far" value={formatPercent(summary.wape)} testId="forecast-wape" />
        <Figure label="Bias so far" value={signedPercent(summary.bias)} testId="forecast-bias" />
      </div>
      <div className="panel">
        <div className="page-head">
          <h2>Forecast vs actual · {queue.name}</h2>
          <span className="muted small">
            {span} · contacts offered per 15 minutes{summary.overridden ? ` · ${summary.overridden} intervals set by planner overrides` : ''}
          </span>
        </div>
        <ForecastChart points={prepareForecastChart(rows, timezone, days > 1)} queueName={queue.name} />
      </div>
      <div className="panel">
        <div className="page-head">
          <h2>By interval</h2>
          <span style={{ flex: 1 }} />
          <ExportButtons columns={intervalExport} rows={rows} filename={`forecast-${queue.key}-${date}`} label="forecast by interval" />
        </div>
        <div className="scroll-box">
          <SortableTable
            data={rows}
            columns={columns}
            rowKey={(r) => r.interval_start}
            testId="forecast-rows"
            caption={`Forecast and actual for ${queue.name}`}
          />
        </div>
      </div>
    </div>
  );
}

/** Visualise: the 80% band as an area, the forecast as a line, actuals as bars, overrides as dots. */
function ForecastChart({ points, queueName }: { points: ForecastPoint[]; queueName: string }) {
  return (
    <div className="chart tall" role="img" aria-label={`Forecast with its 80% band and actual contacts for ${queueName}`} data-testid="forecast-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={chartGridStroke} vertical={false} />
          <XAxis dataKey="label" {...chartAxis} minTickGap={24} />
          <YAxis {...chartAxis} width={40} allowDecimals={false} />
          <Tooltip
            contentStyle={chartTooltipStyle}
            formatter={(v, name) => [
              Array.isArray(v) ? `${formatDecimal(v[0] as number)} – ${formatDecimal(v[1] as number)}` : formatDecimal(v as number),
              String(name),
            ]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area dataKey="band" name="80% band" stroke="none" fill="#4cc2ff" fillOpacity={0.18} isAnimationActive={false} />
          <Bar dataKey="actual" name="Actual" fill="#3fb95099" isAnimationActive={false} />
          <Line dataKey="forecast" name="Forecast" stroke="#4cc2ff" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Scatter dataKey="overridden" name="Overridden" fill="#d29922" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

function MethodPanel({ data }: { data: ForecastData | undefined }) {
  // Volume first: it is what the backtest chooses between.
  const methods = [...(data?.methods ?? [])].sort((a, b) => (a.measure === 'volume' ? -1 : b.measure === 'volume' ? 1 : 0));
  return (
    <div className="panel" data-testid="methods">
      <h2>Method</h2>
      {methods.length === 0 ? (
        <p className="muted">{data ? 'This version stored no method for this queue.' : 'Loading…'}</p>
      ) : (
        methods.map((m) => {
          const blends = parseBlends(m.blends);
          const candidates = parseCandidates(m.candidates, new Set(blends.length > 0 ? blends.flatMap((b) => b.members.map((x) => x.method)) : [m.method]));
          return (
            <div key={m.measure} className="method">
              <p>
                <span className="label">{m.measure === 'volume' ? 'Volume' : 'Handle time'}</span>{' '}
                <strong data-testid={`method-${m.measure}`}>{methodLabel[m.method] ?? m.method}</strong>
                {m.backtest_wape !== null ? (
                  <>
                    <span className="muted"> · backtest WAPE </span>
                    <span data-testid={`method-${m.measure}-wape`}>{formatPercent(m.backtest_wape)}</span>
                  </>
                ) : (
                  <span className="muted" data-testid={`method-${m.measure}-wape`}>
                    {' '}
                    · {m.measure === 'volume' ? 'not backtested: the history is shorter than about three weeks plus the horizon' : 'not backtested'}
                  </span>
                )}
              </p>
              {blends.length > 0 && (
                <table className="compact" data-testid={`blend-${m.measure}`}>
                  <caption className="sr-only">Methods blended for each weekday, with their weights</caption>
                  <thead>
                    <tr>
                      <th scope="col">Weekday</th>
                      <th scope="col">Blend (weights from the weekday&rsquo;s backtest)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {blends.map((b) => (
                      <tr key={b.weekday} data-testid="blend-row">
                        <td>{weekdayNames[b.weekday]}</td>
                        <td>{b.members.map((member) => `${methodLabel[member.method] ?? member.method} ${formatPercent(member.weight, 0)}`).join(' + ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {candidates.length > 0 && (
                <table className="compact">
                  <caption className="sr-only">Candidate methods for {m.measure}, by backtest WAPE</caption>
                  <thead>
                    <tr>
                      <th scope="col">Candidate</th>
                      <th scope="col" className="num">
                        <abbr title="Weighted absolute percentage error in the rolling-origin backtest: Σ|forecast − actual| / Σ actual">Backtest WAPE</abbr>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {candidates.map((c) => (
                      <tr key={c.method} className={c.chosen ? 'chosen' : undefined}>
                        <td>
                          {methodLabel[c.method] ?? c.method}
                          {c.chosen && <span className="muted"> · {blends.length > 0 ? 'in the blend' : 'chosen'}</span>}
                        </td>
                        <td className="num">{formatPercent(c.wape)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          );
        })
      )}
    </div>
  );
}

function AccuracyTable({ rows, keyHeader, label, testId }: { rows: AccuracyRow[]; keyHeader: string; label: (key: string) => string; testId: string }) {
  return (
    <table className="compact" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{keyHeader}</th>
          <th scope="col" className="num">
            Intervals
          </th>
          <th scope="col" className="num">
            Actual
          </th>
          <th scope="col" className="num">
            Forecast
          </th>
          <th scope="col" className="num">
            WAPE
          </th>
          <th scope="col" className="num">
            <abbr title="(Σ forecast − Σ actual) / Σ actual: positive means over-forecast">Bias</abbr>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{label(r.key)}</td>
            <td className="num">{r.intervals}</td>
            <td className="num">{formatDecimal(r.actual, 0)}</td>
            <td className="num">{formatDecimal(r.forecast, 0)}</td>
            <td className="num">{formatPercent(r.wape)}</td>
            <td className="num">{signedPercent(r.bias)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The accuracy ledger of this version so far: by horizon day for the queue, and by queue. */
function AccuracyPanel({ overview, queue, version }: { overview: Overview; queue: Queue; version: Version }) {
  const trpc = useTRPC();
  const forQueue = useQuery(trpc.planning.accuracy.queryOptions({ versionId: version.version_id, queueKey: queue.key }));
  const allQueues = useQuery(trpc.planning.accuracy.queryOptions({ versionId: version.version_id }));
  const names = new Map(overview.queues.map((q) => [q.key, q.name]));
  const horizon = forQueue.data?.byHorizon ?? [];
  const error = forQueue.error ?? allQueues.error;
  return (
    <div className="panel" data-testid="accuracy">
      <h2>Accuracy of this version so far</h2>
      {error ? (
        <p className="error" role="alert">
          {error.message}
        </p>
      ) : !forQueue.data || !allQueues.data ? (
        <p className="muted">Loading…</p>
      ) : allQueues.data.byQueue.length === 0 ? (
        <p className="muted" data-testid="accuracy-empty">
          No actuals yet for the days this version covers (from {formatDate(version.start_date)}): it is scored as contacts arrive.
        </p>
      ) : (
        <>
          <h3 className="sub">By horizon day · {queue.name}</h3>
          {horizon.length === 0 ? (
            <p className="muted">No actuals for {queue.name} yet.</p>
          ) : (
            <>
              <div className="chart short" role="img" aria-label={`WAPE and bias by horizon day for ${queue.name}`}>
                <ResponsiveContainer width="100%" height="100%">
                  <ComposedChart data={prepareHorizonChart(horizon)} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                    <CartesianGrid stroke={chartGridStroke} vertical={false} />
                    <XAxis dataKey="label" {...chartAxis} />
                    <YAxis {...chartAxis} width={44} tickFormatter={(v: number) => formatPercent(v, 0)} />
                    <Tooltip
                      contentStyle={chartTooltipStyle}
                      formatter={(v, name) => [name === 'Bias' ? signedPercent(v as number) : formatPercent(v as number), String(name)]}
                    />
                    <Legend wrapperStyle={{ fontSize: 12 }} />
                    <Bar dataKey="wape" name="WAPE" fill="#4cc2ff88" isAnimationActive={false} />
                    <Line dataKey="bias" name="Bias" stroke="#d29922" isAnimationActive={false} />
                  </ComposedChart>
                </ResponsiveContainer>
              </div>
              <AccuracyTable rows={horizon} keyHeader="Horizon day" label={(k) => `Day ${k}`} testId="accuracy-horizon" />
            </>
          )}
          <h3 className="sub">By queue · all horizon days</h3>
          <AccuracyTable rows={allQueues.data.byQueue} keyHeader="Queue" label={(k) => names.get(k) ?? k} testId="accuracy-queues" />
        </>
      )}
    </div>
  );
}
