'use client';

import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ExportButtons } from '../../components/export-buttons';
import { SortableTable } from '../../components/sortable-table';
import type { ExportColumn } from '../../lib/export';
import { chartAxis, chartGridStroke, chartTooltipStyle } from '../../lib/chart-theme';
import { formatCount, formatDecimal, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { Calibration } from './calibration';
import { Plans } from './plans';
import { agreementClass, answerLabel, questionName, reviewReasons, statusLabels, type EvaluationSummary, type Trends } from './prepare';
import styles from './quality.module.css';

const views = [
  { id: 'queue', label: 'Review queue' },
  { id: 'evaluations', label: 'Evaluations' },
  { id: 'trends', label: 'Trends' },
  { id: 'disputes', label: 'Disputes' },
  { id: 'calibration', label: 'Calibration' },
  { id: 'plans', label: 'Plans' },
] as const;
type View = (typeof views)[number]['id'];

/** What the evaluations list is filtered by, kept in the address so a drill can be linked and reloaded. */
const filterKeys = ['status', 'agentKey', 'teamKey', 'queueKey', 'question', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof filterKeys)[number], string>>;

/** Quality for analysts: the review queue, every evaluation with filters, and trends that drill to evaluations. */
export default function QualityPage() {
  return (
    <section>
      <Suspense fallback={<p className="muted">Loading…</p>}>
        <Quality />
      </Suspense>
    </section>
  );
}

function Quality() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view = (views.find((v) => v.id === params.get('view'))?.id ?? 'queue') as View;
  const filters: Filters = Object.fromEntries(filterKeys.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
  const go = (next: View, nextFilters: Filters = {}) => {
    const query = new URLSearchParams({ view: next, ...Object.fromEntries(Object.entries(nextFilters).filter(([, v]) => v)) });
    router.replace(`${pathname}?${query.toString()}`);
  };
  return (
    <>
      <div className="page-head">
        <h1>Quality</h1>
        <span className="muted small">Every ended interaction is scored automatically; unsure answers and sampled evaluations wait for an analyst.</span>
        <Link href="/quality/forms">Form designer</Link>
      </div>
      <div role="radiogroup" aria-label="View" className="segmented view-switch">
        {views.map((v) => (
          <button key={v.id} type="button" role="radio" aria-checked={view === v.id} className={view === v.id ? 'on' : ''} onClick={() => go(v.id)}>
            {v.label}
          </button>
        ))}
      </div>
      {view === 'queue' && <ReviewQueue />}
      {view === 'evaluations' && <Evaluations filters={filters} onChange={(f) => go('evaluations', f)} />}
      {view === 'trends' && <TrendsView onDrill={(f) => go('evaluations', f)} />}
      {view === 'disputes' && <Disputes />}
      {view === 'calibration' && <Calibration />}
      {view === 'plans' && <Plans />}
    </>
  );
}

const columns: ColumnDef<EvaluationSummary, unknown>[] = [
  {
    accessorKey: 'endedAt',
    header: 'Ended',
    cell: (c) => <Link href={`/quality/evaluations/${c.row.original.id}`}>{new Date(c.getValue() as string).toLocaleString()}</Link>,
  },
  { accessorKey: 'agent', header: 'Agent' },
  { accessorKey: 'team', header: 'Team' },
  { accessorKey: 'queue', header: 'Queue' },
  { accessorKey: 'channel', header: 'Channel' },
  { accessorKey: 'status', header: 'Status', cell: (c) => statusLabels[c.getValue() as EvaluationSummary['status']] },
  { accessorKey: 'reviewReason', header: 'Why', cell: (c) => (c.getValue() ? (reviewReasons[c.getValue() as string] ?? String(c.getValue())) : '—') },
  { accessorKey: 'open', header: 'To answer', meta: { numeric: true } },
  {
    accessorKey: 'score',
    header: 'Score',
    meta: { numeric: true },
    cell: (c) => (
      <>
        {formatDecimal(c.getValue() as number | null)}
        {c.row.original.failedCritical && <span className="bad"> ✕ critical</span>}
      </>
    ),
  },
];

const exportColumns: ExportColumn<EvaluationSummary>[] = [
  { header: 'evaluation_id', kind: 'text', value: (r) => r.id },
  { header: 'interaction_id', kind: 'text', value: (r) => r.interactionId },
  { header: 'ended_at', kind: 'text', value: (r) => r.endedAt },
  { header: 'agent', kind: 'text', value: (r) => r.agent },
  { header: 'team', kind: 'text', value: (r) => r.team },
  { header: 'queue', kind: 'text', value: (r) => r.queue },
  { header: 'channel', kind: 'text', value: (r) => r.channel },
  { header: 'status', kind: 'text', value: (r) => r.status },
  { header: 'review_reason', kind: 'text', value: (r) => r.reviewReason },
  { header: 'score', kind: 'number', value: (r) => r.score },
  { header: 'failed_critical', kind: 'text', value: (r) => String(r.failedCritical) },
];

function EvaluationTable({ rows, testId, empty }: { rows: EvaluationSummary[]; testId: string; empty: string }) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <>
      <ExportButtons columns={exportColumns} rows={rows} filename={testId} label="evaluations" />
      <SortableTable data={rows} columns={columns} rowKey={(r) => r.id} testId={testId} caption="Evaluations" />
    </>
  );
}

function ReviewQueue() {
  const trpc = useTRPC();
  const queue = useQuery(trpc.quality.queue.queryOptions({}, { refetchInterval: 15_000 }));
  return (
    <div className="panel">
      <h2>
        Waiting for review <span className="count">{queue.data ? formatCount(queue.data.length) : ''}</span>
      </h2>
      {queue.error && (
        <p className="error" role="alert">
          {queue.error.message}
        </p>
      )}
      {queue.data && (
        <EvaluationTable rows={queue.data} testId="review-queue" empty="Nothing waits for review: new interactions are scored every 30 seconds." />
      )}
    </div>
  );
}

function Evaluations({ filters, onChange }: { filters: Filters; onChange: (f: Filters) => void }) {
  const trpc = useTRPC();
  const scope = useQuery(trpc.quality.trends.queryOptions({ weeks: 8, by: 'team' }));
  const list = useQuery(trpc.quality.list.queryOptions({ ...filters, status: filters.status as EvaluationSummary['status'] | undefined }));
  const set = (key: keyof Filters, value: string) => onChange({ ...filters, [key]: value || undefined });
  const select = (key: keyof Filters, label: string, options: { key: string; name: string }[]) => (
    <label>
      {label}
      <select value={filters[key] ?? ''} onChange={(e) => set(key, e.target.value)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
  const data = scope.data;
  return (
    <div className="panel">
      <form className={styles.filters} aria-label="Filter evaluations" onSubmit={(e) => e.preventDefault()}>
        {select(
          'status',
          'Status',
          Object.entries(statusLabels).map(([key, name]) => ({ key, name })),
        )}
        {data && select('teamKey', 'Team', data.scope.teams)}
        {data && select('agentKey', 'Agent', data.scope.agents)}
        {data && select('queueKey', 'Queue', data.scope.queues)}
        {data &&
          select(
            'question',
            'Failed question',
            data.questions.map((q) => ({ key: q.id, name: questionName(q.id) })),
          )}
        {(filters.from || filters.to) && (
          <span className="pill muted">
            ended {filters.from ? new Date(filters.from).toLocaleDateString() : '…'} – {filters.to ? new Date(filters.to).toLocaleDateString() : '…'}{' '}
            <button type="button" className="ghost" onClick={() => onChange({ ...filters, from: undefined, to: undefined })}>
              ✕
            </button>
          </span>
        )}
      </form>
      {list.error && (
        <p className="error" role="alert">
          {list.error.message}
        </p>
      )}
      {list.data && <EvaluationTable rows={list.data} testId="evaluations" empty="No evaluation matches these filters." />}
      {list.data && list.data.length === 200 && <p className="muted small">The latest 200 are shown: narrow the filters to see others.</p>}
    </div>
  );
}

function TrendsView({ onDrill }: { onDrill: (f: Filters) => void }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const by = (['team', 'agent', 'queue'] as const).find((b) => b === params.get('by')) ?? 'team';
  const weeks = Number(params.get('weeks') ?? 8);
  const trends = useQuery(trpc.quality.trends.queryOptions({ weeks, by }));
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    next.set(key, value);
    router.replace(`/quality?${next.toString()}`);
  };
  const data = trends.data;
  return (
    <>
      <div className="panel">
        <form className={styles.filters} aria-label="Trend settings" onSubmit={(e) => e.preventDefault()}>
          <label>
            Weeks
            <select value={weeks} onChange={(e) => setParam('weeks', e.target.value)}>
              {[4, 8, 13, 26, 52].map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </label>
          <label>
            By
            <select value={by} onChange={(e) => setParam('by', e.target.value)}>
              <option value="team">Team</option>
              <option value="agent">Agent</option>
              <option value="queue">Queue</option>
            </select>
          </label>
        </form>
        {trends.error && (
          <p className="error" role="alert">
            {trends.error.message}
          </p>
        )}
        {data && <ScoreChart data={data} />}
      </div>
      {data && (
        <div className="two-col">
          <FailedQuestions data={data} onDrill={onDrill} />
          <GroupTable data={data} onDrill={onDrill} />
        </div>
      )}
      <MachineAgreement weeks={weeks} />
    </>
  );
}

/** Machine–human kappa per question, overall and by week: which questions the automatic scorer can be trusted on. */
function MachineAgreement({ weeks }: { weeks: number }) {
  const trpc = useTRPC();
  const agreement = useQuery(trpc.quality.agreement.queryOptions({ weeks }));
  const data = agreement.data;
  return (
    <div className="panel">
      <h2>Can the automatic answers be trusted?</h2>
      <p className="muted small">
        Cohen’s kappa between the automatic answer and the answer a person gave or confirmed, on finalized evaluations. 0.8 and above: the rules can be trusted
        on that question.
      </p>
      {agreement.error && (
        <p className="error" role="alert">
          {agreement.error.message}
        </p>
      )}
      {data &&
        (data.questions.length === 0 ? (
          <p className="muted">No reviewed answers in these weeks yet.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="machine-agreement">
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  <th scope="col" className="num">
                    Kappa
                  </th>
                  <th scope="col" className="num">
                    Agreed
                  </th>
                  {data.weeks.map((w) => (
                    <th key={w} scope="col" className="num">
                      {w.slice(5)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.questions.map((q) => (
                  <tr key={q.id}>
                    <th scope="row">{questionName(q.id)}</th>
                    <td className={`num ${agreementClass(q.kappa, styles)}`}>{formatDecimal(q.kappa, 2)}</td>
                    <td className="num" title={`${q.agreed} of ${q.pairs}`}>
                      {formatPercent(q.pairs > 0 ? q.agreed / q.pairs : null)}
                    </td>
                    {q.weeks.map((w, i) => (
                      <td key={i} className={`num ${agreementClass(w.kappa, styles)}`} title={`${w.agreed} of ${w.pairs} answers agreed`}>
                        {w.pairs === 0 ? '—' : formatDecimal(w.kappa, 2)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </div>
  );
}

/** Open disputes (and those decided lately) for the analysts and leads who decide them. */
function Disputes() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<'open' | 'decided'>('open');
  const disputes = useQuery(trpc.quality.disputes.queryOptions({ status }));
  return (
    <div className="panel">
      <div role="radiogroup" aria-label="Disputes" className="segmented">
        {(['open', 'decided'] as const).map((s) => (
          <button key={s} type="button" role="radio" aria-checked={status === s} className={status === s ? 'on' : ''} onClick={() => setStatus(s)}>
            {s === 'open' ? 'Open' : 'Decided'}
          </button>
        ))}
      </div>
      {disputes.error && (
        <p className="error" role="alert">
          {disputes.error.message}
        </p>
      )}
      {disputes.data &&
        (disputes.data.length === 0 ? (
          <p className="muted">{status === 'open' ? 'No dispute waits for a decision.' : 'No dispute has been decided yet.'}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="disputes">
              <thead>
                <tr>
                  <th scope="col">Raised</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Question</th>
                  <th scope="col">Comment</th>
                  <th scope="col">{status === 'open' ? 'Waiting' : 'Decision'}</th>
                </tr>
              </thead>
              <tbody>
                {disputes.data.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <Link href={`/quality/evaluations/${d.evaluationId}`}>{new Date(d.createdAt).toLocaleString()}</Link>
                    </td>
                    <td>{d.agent}</td>
                    <td>{questionName(d.questionId)}</td>
                    <td>{d.comment}</td>
                    <td>
                      {status === 'decided'
                        ? `${d.status === 'changed' ? `changed to ${answerLabel(d.answerAfter)}` : 'upheld'}: ${d.decisionNote}`
                        : d.escalatedAt
                          ? 'escalated'
                          : d.remindedAt
                            ? 'leads reminded'
                            : 'new'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </div>
  );
}

/** The average score a week (line) over the number of evaluations (bars). */
function ScoreChart({ data }: { data: Trends }) {
  const points = data.weeks.map((w, i) => ({ label: w.start, evaluations: data.overall[i]!.evaluations, score: data.overall[i]!.score }));
  return (
    <div className="chart" role="img" aria-label="Average score and evaluations by week" data-testid="score-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={chartGridStroke} vertical={false} />
          <XAxis dataKey="label" {...chartAxis} />
          <YAxis yAxisId="n" {...chartAxis} width={48} allowDecimals={false} />
          <YAxis yAxisId="score" orientation="right" {...chartAxis} width={40} domain={[0, 100]} />
          <Tooltip contentStyle={chartTooltipStyle} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="n" dataKey="evaluations" name="Evaluations" fill="#4cc2ff44" isAnimationActive={false} />
          <Line yAxisId="score" dataKey="score" name="Average score" stroke="#3fb950" connectNulls={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

function FailedQuestions({ data, onDrill }: { data: Trends; onDrill: (f: Filters) => void }) {
  const from = data.weeks[0]?.from;
  const to = data.weeks.at(-1)?.to;
  return (
    <div className="panel">
      <h2>Questions failed most</h2>
      {data.questions.length === 0 ? (
        <p className="muted">No answers in these weeks.</p>
      ) : (
        <ol className={styles.bars} data-testid="failed-questions">
          {data.questions.map((q) => (
            <li key={q.id}>
              <a
                href="#"
                onClick={(e) => {
                  e.preventDefault();
                  onDrill({ question: q.id, from, to });
                }}
              >
                {questionName(q.id)}
              </a>
              <span className={styles.barCell}>
                <span className={styles.bar} style={{ width: `${Math.max(1, (q.failRate ?? 0) * 100)}%` }} aria-hidden="true" />
                <span className={styles.spark} aria-hidden="true">
                  <ResponsiveContainer width="100%" height="100%">
                    <LineChart data={q.weeks.map((rate, i) => ({ i, rate }))}>
                      <YAxis hide domain={[0, 1]} />
                      <Line dataKey="rate" stroke="#f85149" dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
                    </LineChart>
                  </ResponsiveContainer>
                </span>
              </span>
              <span className="num" title={`${q.failed} of ${q.answered} answers; by week: ${q.weeks.map((w) => formatPercent(w, 0)).join(' · ')}`}>
                {formatPercent(q.failRate)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function GroupTable({ data, onDrill }: { data: Trends; onDrill: (f: Filters) => void }) {
  const filterKey = data.by === 'team' ? 'teamKey' : data.by === 'agent' ? 'agentKey' : 'queueKey';
  return (
    <div className="panel">
      <h2>Average score by {data.by} and week</h2>
      <div className="table-wrap">
        <table data-testid="group-scores">
          <thead>
            <tr>
              <th scope="col">{questionName(data.by)}</th>
              {data.weeks.map((w) => (
                <th key={w.start} scope="col" className="num">
                  {w.start.slice(5)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.groups.map((g) => (
              <tr key={g.key}>
                <th scope="row">{g.name}</th>
                {g.weeks.map((w, i) => (
                  <td key={i} className="num">
                    {w.evaluations === 0 ? (
                      '—'
                    ) : (
                      <a
                        href="#"
                        title={`${w.evaluations} evaluations${w.failedCritical ? `, ${w.failedCritical} failed a critical question` : ''}`}
                        onClick={(e) => {
                          e.preventDefault();
                          onDrill({ [filterKey]: g.key, from: data.weeks[i]!.from, to: data.weeks[i]!.to });
                        }}
                      >
                        {formatDecimal(w.score)}
                      </a>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
