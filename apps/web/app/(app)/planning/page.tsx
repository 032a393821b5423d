'use client';

import { addLocalDays, localDateOf } from '@switchboard/calendar';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useSession } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { Adjustments } from './adjustments';
import { ForecastView } from './forecast-view';
import { formatDateTime, getDefaultDate, type Overview } from './prepare';
import { Runs } from './runs';
import { StaffingView } from './staffing-view';

const views = [
  { id: 'forecast', label: 'Forecast vs actual' },
  { id: 'staffing', label: 'Staffing & what-if' },
  { id: 'adjustments', label: 'Special days & overrides' },
] as const;
type View = (typeof views)[number]['id'];

/** Forecasts against actuals, staffing requirements and what-ifs per queue, and the runs that make them. */
export default function PlanningPage() {
  const trpc = useTRPC();
  const me = useSession().data;
  const overview = useQuery(trpc.planning.overview.queryOptions());
  const canEdit = me?.role === 'planner' || me?.role === 'admin';
  const [view, setView] = useState<View>('forecast');
  const data = overview.data;
  return (
    <section>
      <div className="page-head">
        <h1>Planning</h1>
        <span className="muted small">{data ? `Times in ${data.timezone}` : ''}</span>
        <Link href="/planning/schedules">Schedules →</Link>
        {!canEdit && (
          <span className="pill muted" data-testid="read-only">
            Read-only: planners and admins change forecasts
          </span>
        )}
      </div>
      {overview.error && (
        <p className="error" role="alert">
          {overview.error.message}
        </p>
      )}
      {!data ? (
        !overview.error && <p className="muted">Loading…</p>
      ) : (
        <>
          <Runs overview={data} canEdit={canEdit} />
          <div role="radiogroup" aria-label="View" className="segmented view-switch">
            {views.map((v) => (
              <button key={v.id} type="button" role="radio" aria-checked={view === v.id} className={view === v.id ? 'on' : ''} onClick={() => setView(v.id)}>
                {v.label}
              </button>
            ))}
          </div>
          {view === 'adjustments' ? <Adjustments overview={data} canEdit={canEdit} /> : <QueueViews overview={data} view={view} canEdit={canEdit} />}
        </>
      )}
    </section>
  );
}

/** The queue, version and days the forecast and staffing views look at. */
function QueueViews({ overview, view, canEdit }: { overview: Overview; view: 'forecast' | 'staffing'; canEdit: boolean }) {
  const [queueKey, setQueueKey] = useState(overview.queues[0]?.key ?? '');
  // Null follows the newest version, so a run that completes while the page is open shows at once.
  const [pickedVersion, setPickedVersion] = useState<string | null>(null);
  const [pickedDate, setPickedDate] = useState<string | null>(null);
  const [days, setDays] = useState(1);
  const version = overview.versions.find((v) => v.version_id === pickedVersion) ?? overview.versions[0];
  const date = pickedDate ?? getDefaultDate(version, localDateOf(new Date(), overview.timezone));
  const queue = overview.queues.find((q) => q.key === queueKey);

  if (overview.queues.length === 0) {
    return <p className="panel muted">This tenant has no queues yet: add them to the center configuration, then run a forecast.</p>;
  }
  if (!version) {
    return (
      <div className="panel" data-testid="no-forecast">
        <h2>No forecast yet</h2>
        <p className="muted">
          A forecast run reads each queue&rsquo;s 15-minute history, picks the method that backtests best, publishes a version and computes its staffing
          requirements. Start one with &ldquo;Run forecast now&rdquo; above (planners and admins), or wait for the daily run at 02:00.
        </p>
      </div>
    );
  }
  const latest = version.version_id === overview.versions[0]?.version_id;
  return (
    <>
      <form className="inline-form controls" aria-label="Queue and period" onSubmit={(e) => e.preventDefault()}>
        <label>
          Queue
          <select value={queueKey} onChange={(e) => setQueueKey(e.target.value)}>
            {overview.queues.map((q) => (
              <option key={q.key} value={q.key}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Version
          <select
            value={version.version_id}
            onChange={(e) => (setPickedVersion(e.target.value === overview.versions[0]?.version_id ? null : e.target.value), setPickedDate(null))}
          >
            {overview.versions.map((v, i) => (
              <option key={v.version_id} value={v.version_id}>
                {i === 0 ? 'Latest · ' : ''}from {v.start_date}, {v.horizon_days} days · made {formatDateTime(v.created_at, overview.timezone)} ({v.trigger})
              </option>
            ))}
          </select>
        </label>
        <label>
          Day
          <input
            type="date"
            value={date}
            min={version.start_date}
            max={addLocalDays(version.start_date, version.horizon_days - 1)}
            onChange={(e) => e.target.value && setPickedDate(e.target.value)}
          />
        </label>
        {view === 'forecast' && (
          <label>
            Days
            <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {[1, 2, 3, 7, 14].map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
      </form>
      {queue &&
        (view === 'forecast' ? (
          <ForecastView overview={overview} queue={queue} version={version} date={date} days={days} />
        ) : (
          <StaffingView overview={overview} queue={queue} date={date} latest={latest} canEdit={canEdit} onShowLatest={() => setPickedVersion(null)} />
        ))}
    </>
  );
}
