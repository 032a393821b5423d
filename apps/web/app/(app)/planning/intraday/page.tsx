'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { describeError } from '../../../lib/errors';
import { DASH, formatDecimal } from '../../../lib/format';
import { useTRPC } from '../../../lib/trpc';
import { formatDay, todayIn } from '../schedules/prepare';
import { AgentsChart, ContactsChart } from './charts';
import { GapCell, IntervalTable } from './intervals';
import { describeAccuracy, describeLastRun, labelAt, prepareIntradayChart, type IntradayChartModel, type IntradayDay } from './prepare';
import { Proposals } from './proposals';
import { IntradaySettingsPanel } from './settings';
import styles from './intraday.module.css';

// The loop runs every 15 minutes; half a minute keeps the view within a poll of it without loading the server.
const POLL_MS = 30_000;
// After "Run now", how often its run's status is asked for, until it ends.
const WATCH_POLL_MS = 3_000;
const WATCH_GIVE_UP_MS = 3 * 60_000;
const TICK_MS = 15_000;

/** "Run now" watches its workflow run until it ends (measured and proposed), then shows the day it wrote. */
type Watch = { workflowId: string; runId: string; since: number } | null;

/** The planner's day: forecast, reforecast and actual contacts, required against available agents, the gap, and the loop's proposals. */
export default function IntradayPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [date, setDate] = useState('');
  const [groupId, setGroupId] = useState('');
  const [watch, setWatch] = useState<Watch>(null);
  const [gaveUp, setGaveUp] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const day = useQuery(
    trpc.intraday.day.queryOptions(
      { date: date || undefined, groupId: groupId || undefined },
      { refetchInterval: POLL_MS, placeholderData: (previous) => previous },
    ),
  );
  const data = day.data;
  // The server's clock, moved on by the time since the answer (the "3 min ago" keeps counting between polls).
  const serverNow = data ? Date.parse(data.now) + Math.max(0, now - day.dataUpdatedAt) : now;
  const run = useMutation(
    trpc.intraday.run.mutationOptions({
      onSuccess: (started) => {
        // The loop runs on today: show today, where its answer lands.
        setDate('');
        setGaveUp(false);
        setWatch({ ...started, since: Date.now() });
      },
    }),
  );
  const runs = useQuery(trpc.planning.runs.queryOptions(undefined, { enabled: watch !== null, refetchInterval: WATCH_POLL_MS }));
  useEffect(() => {
    if (!watch) return;
    const mine = runs.data?.find((r) => r.workflowId === watch.workflowId && r.runId === watch.runId);
    if (mine && mine.status !== 'RUNNING') {
      setWatch(null);
      void queryClient.invalidateQueries({ queryKey: trpc.intraday.day.queryKey() });
    } else if (now - watch.since > WATCH_GIVE_UP_MS) {
      setWatch(null);
      setGaveUp(true);
    }
  }, [runs.data, watch, now, queryClient, trpc]);

  const today = data ? todayIn(data.timezone) : '';
  const group = data?.groups.find((g) => g.id === data.groupId);

  return (
    <section>
      <div className="page-head">
        <h1>Intraday</h1>
        <span className="muted small">
          <Link href="/planning">← Forecasts & staffing</Link> · <Link href="/planning/schedules">Schedules</Link>
          {data ? ` · Times in ${data.timezone}` : ''}
        </span>
        {data && !data.canDecide && (
          <span className="pill muted" data-testid="read-only" id="intraday-read-only">
            Read-only: planners and admins run the loop and decide proposals
          </span>
        )}
      </div>
      {day.error && (
        <p className="error" role="alert">
          {describeError(day.error)}
        </p>
      )}
      {!data ? (
        !day.error && <p className="muted">Loading the day…</p>
      ) : (
        <>
          <form className="inline-form controls" aria-label="Day and planning group" onSubmit={(e) => e.preventDefault()}>
            <label>
              Day
              <input type="date" value={data.date} onChange={(e) => e.target.value && setDate(e.target.value)} />
            </label>
            <button type="button" className="ghost" onClick={() => setDate('')} disabled={data.date === today}>
              Today
            </button>
            <label>
              Planning group
              <select value={data.groupId ?? ''} onChange={(e) => setGroupId(e.target.value)} disabled={data.groups.length === 0}>
                {data.groups.length === 0 && <option value="">none yet</option>}
                {data.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            </label>
            <span className={`freshness ${day.isError ? 'stale' : ''}`} data-testid="intraday-last-run" aria-live="polite">
              {day.isError ? 'connection lost, retrying · ' : ''}
              {describeLastRun(data, serverNow)}
            </span>
            <button
              type="button"
              onClick={() => run.mutate()}
              disabled={!data.canDecide || run.isPending || watch !== null}
              aria-describedby={data.canDecide ? undefined : 'intraday-read-only'}
              data-testid="intraday-run"
            >
              {watch ? 'Running…' : 'Run now'}
            </button>
            {run.error && (
              <span className="error small" role="alert">
                {describeError(run.error)}
              </span>
            )}
            {gaveUp && <span className="muted small">The run has not reported back yet: the view picks it up when it does.</span>}
          </form>
          {data.groups.length === 0 ? (
            <p className="panel muted">No planning groups yet: a planning group gathers the queues one schedule staffs. Add one under Schedules → Setup.</p>
          ) : data.intervals.length === 0 ? (
            <p className="panel muted" data-testid="intraday-empty">
              Nothing to show for {group?.name ?? 'this group'} on {formatDay(data.date)}: no forecast or published schedule covers the day.
            </p>
          ) : (
            <Day data={data} groupName={group?.name ?? ''} />
          )}
          <IntradaySettingsPanel settings={data.settings} canEdit={data.canDecide} />
        </>
      )}
    </section>
  );
}

function Day({ data, groupName }: { data: IntradayDay; groupName: string }) {
  const model = prepareIntradayChart(data);
  const [picked, setPicked] = useState<string | null>(null);
  const threshold = data.settings.gapThreshold;
  return (
    <>
      <div className="panel">
        <div className="page-head">
          <h2>Contacts · {groupName}</h2>
          <span className="muted small">{formatDay(data.date)} · per 15 minutes</span>
        </div>
        <ContactsChart model={model} groupName={groupName} onPick={setPicked} />
        <p className="small" data-testid="intraday-accuracy">
          {describeAccuracy(data.accuracy)}
        </p>
      </div>
      <div className="panel">
        <div className="page-head">
          <h2>Agents · {groupName}</h2>
          <span className="muted small">
            Gap bars red where short, green where over; dashed lines at ±{formatDecimal(threshold)} agents, the threshold. Click an interval for its numbers.
          </span>
        </div>
        <AgentsChart model={model} threshold={threshold} groupName={groupName} onPick={setPicked} />
        <Breakdown data={data} model={model} picked={picked} />
      </div>
      <Proposals proposals={data.proposals} timezone={data.timezone} canDecide={data.canDecide} />
      <IntervalTable
        intervals={data.intervals}
        timezone={data.timezone}
        threshold={threshold}
        filename={`intraday-${groupName.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}-${data.date}`}
        groupName={groupName}
      />
    </>
  );
}

/** One interval's gap taken apart: from scheduled to net, against required. The picked one, else the one now, else the first. */
function Breakdown({ data, model, picked }: { data: IntradayDay; model: IntradayChartModel; picked: string | null }) {
  const k = Math.max(
    0,
    data.intervals.findIndex((i) => i.start === picked),
  );
  const index = picked === null && model.now !== null ? Math.min(data.intervals.length - 1, Math.floor(model.now)) : k;
  const i = data.intervals[index]!;
  return (
    <p className={`small ${styles.breakdown}`} data-testid="intraday-breakdown" aria-live="polite">
      <strong>{labelAt(model, index)}</strong>: contacts forecast {formatDecimal(i.forecast)}, reforecast {formatDecimal(i.reforecast)}, actual{' '}
      {i.actual === null ? DASH : i.actual} · scheduled {formatDecimal(i.scheduled)} − excepted {formatDecimal(i.excepted)} − absent {formatDecimal(i.absent)} ={' '}
      net {formatDecimal(i.net)}, required {formatDecimal(i.required)} → gap <GapCell gap={i.gap} threshold={data.settings.gapThreshold} />
    </p>
  );
}
