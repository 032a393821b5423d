'use client';

import { addLocalDays, localDateOf } from '@switchboard/calendar';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTRPC } from '../../lib/trpc';
import { formatDateTime, getRunShare, getRunUrl, runTypeLabel, type Overview } from './prepare';

// As the wallboard: a run's progress on screen is never more than a poll or two behind.
const POLL_MS = 2_000;

const statusClass: Record<string, string> = { RUNNING: 'running', COMPLETED: 'good', FAILED: 'bad', TERMINATED: 'bad', TIMED_OUT: 'bad', CANCELED: 'warning' };

/** Starting forecast and staffing runs, and following them to the end. */
export function Runs({ overview, canEdit }: { overview: Overview; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [startDate, setStartDate] = useState(() => addLocalDays(localDateOf(new Date(), overview.timezone), 1));
  const [horizonDays, setHorizonDays] = useState('14');
  // A run just started here: polled for until it shows up, as the run list lags a start a little.
  const [started, setStarted] = useState<{ workflowId: string; runId: string } | null>(null);
  const runs = useQuery(
    trpc.planning.runs.queryOptions(undefined, {
      refetchInterval: (query) => (started || query.state.data?.some((r) => r.status === 'RUNNING') ? POLL_MS : false),
      refetchIntervalInBackground: true,
    }),
  );
  const seenRunning = useRef(new Set<string>());

  useEffect(() => {
    if (!runs.data) return;
    let finished = false;
    for (const r of runs.data) {
      const key = `${r.workflowId}/${r.runId}`;
      if (r.status === 'RUNNING') seenRunning.current.add(key);
      else if (seenRunning.current.delete(key)) finished = true;
    }
    // A joined run (no run id) counts once seen running: an older closed run may share its workflow id.
    const mine =
      started && runs.data.find((r) => r.workflowId === started.workflowId && (r.runId === started.runId || (started.runId === '' && r.status === 'RUNNING')));
    if (mine) {
      if (mine.status !== 'RUNNING') finished = true;
      setStarted(null);
    }
    // New versions, their staffing and accuracy: everything the planner screens show.
    if (finished) void queryClient.invalidateQueries({ queryKey: trpc.planning.pathKey() });
  }, [runs.data, started, queryClient, trpc]);

  const afterStart = {
    onSuccess: (run: { workflowId: string; runId: string }) => (setStarted(run), queryClient.invalidateQueries({ queryKey: trpc.planning.runs.queryKey() })),
  };
  const runForecast = useMutation(trpc.planning.runForecast.mutationOptions(afterStart));
  const runStaffing = useMutation(trpc.planning.runStaffing.mutationOptions(afterStart));
  const latest = overview.versions[0];
  const engine = overview.engine;
  const blocked = !canEdit
    ? 'Only planners and admins start runs.'
    : !engine.configured
      ? 'Workflows are not running: start Switchboard with `npm start` (it starts the Temporal dev server) or set TEMPORAL_ADDRESS, then reload.'
      : null;
  const running = runs.data?.some((r) => r.status === 'RUNNING') ?? false;
  const error = runForecast.error ?? runStaffing.error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    runForecast.mutate({ startDate, horizonDays: Number(horizonDays) });
  };

  return (
    <div className="panel" data-testid="runs">
      <div className="page-head">
        <h2>Runs</h2>
        <span className="muted small">A forecast run also computes staffing. Changes to special days, overrides and settings apply from the next run.</span>
      </div>
      <form className="inline-form controls" aria-label="Run a forecast" onSubmit={submit}>
        <label>
          Forecast from
          <input type="date" value={startDate} required onChange={(e) => e.target.value && setStartDate(e.target.value)} disabled={blocked !== null} />
        </label>
        <label>
          for
          <input
            type="number"
            min={1}
            max={28}
            step={1}
            required
            value={horizonDays}
            onChange={(e) => setHorizonDays(e.target.value)}
            disabled={blocked !== null}
            aria-label="Horizon (days)"
          />
          days
        </label>
        <button type="submit" disabled={blocked !== null || runForecast.isPending} aria-describedby={blocked ? 'run-blocked' : undefined}>
          {runForecast.isPending ? 'Starting…' : 'Run forecast now'}
        </button>
        {latest && (
          <button
            type="button"
            className="ghost"
            disabled={blocked !== null || runStaffing.isPending}
            onClick={() => runStaffing.mutate({ forecastVersionId: latest.version_id })}
            title="Staffing for the latest forecast under the queues' current settings"
            aria-describedby={blocked ? 'run-blocked' : undefined}
          >
            Recompute staffing
          </button>
        )}
        {blocked && (
          <span className="muted small" id="run-blocked" data-testid="run-blocked">
            {blocked}
          </span>
        )}
      </form>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {runs.error ? (
        <p className="error" role="alert">
          Runs could not be listed: {runs.error.message}
        </p>
      ) : !runs.data ? (
        <p className="muted">Loading runs…</p>
      ) : runs.data.length === 0 ? (
        <p className="muted" data-testid="runs-empty">
          {engine.configured
            ? 'No runs yet: the daily forecast runs at 02:00, or start one now.'
            : 'No runs listed: workflows are not running in this installation.'}
        </p>
      ) : (
        <table className="compact" data-testid="run-list">
          <caption className="sr-only">Recent planning runs{running ? ', updating every 2 seconds' : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Started</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Workflow</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.slice(0, 8).map((r) => {
              const share = getRunShare(r);
              const url = getRunUrl(engine, r.workflowId);
              return (
                <tr key={`${r.workflowId}/${r.runId}`} data-testid="run">
                  <td>{runTypeLabel[r.type] ?? r.type}</td>
                  <td>
                    {formatDateTime(r.startedAt, overview.timezone)}
                    {r.closedAt && <span className="muted small"> → {formatDateTime(r.closedAt, overview.timezone)}</span>}
                  </td>
                  <td>
                    <span className={`pill ${statusClass[r.status] ?? ''}`} data-testid="run-status">
                      {r.status.toLowerCase().replaceAll('_', ' ')}
                    </span>
                  </td>
                  <td>
                    {r.status === 'RUNNING' ? (
                      <span className="run-progress">
                        <progress value={share ?? undefined} max={1} aria-label={`${runTypeLabel[r.type] ?? r.type} progress`} />
                        <span className="muted small">{r.progress ? `${r.progress.phase} ${r.progress.done}/${r.progress.total}` : 'starting'}</span>
                      </span>
                    ) : r.status === 'COMPLETED' ? (
                      <progress value={1} max={1} aria-label="complete" />
                    ) : null}
                  </td>
                  <td>
                    {url ? (
                      <a href={url} target="_blank" rel="noreferrer" className="mono" title="Open in the Temporal Web UI">
                        {r.workflowId.replace(/:[0-9a-f-]{36}/, '')}
                      </a>
                    ) : (
                      <span className="mono" title={r.workflowId}>
                        {r.workflowId.replace(/:[0-9a-f-]{36}/, '')}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
