'use client';

import { addLocalDays } from '@switchboard/calendar';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { describeError } from '../../../lib/errors';
import { useSession } from '../../../lib/session';
import { useTRPC } from '../../../lib/trpc';
import { getRunShare } from '../prepare';
import { formatDay, mondayOf, statusLabel, todayIn, versionsOf, type ScheduleOverview } from './prepare';
import { PendingRequests } from './requests';
import { ScheduleDetail } from './schedule-detail';

// As the planning runs: a generating week is never more than a poll or two behind.
const POLL_MS = 2_000;

const statusClass: Record<string, string> = { draft: 'warning', published: 'good', superseded: 'muted', rejected: 'bad' };

/** What the page waits for after a click: a new version of a group, or a draft leaving the draft state. */
type Watch = { kind: 'generate'; groupId: string; known: string[] } | { kind: 'decide'; scheduleId: string } | null;

/** A week's schedules per planning group: generate, review, edit, approve; compare versions; answer agents' requests. */
export default function SchedulesPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useSession().data;
  const canEdit = me?.role === 'planner' || me?.role === 'admin';
  const [weekStart, setWeekStart] = useState<string | null>(null);
  const [watch, setWatch] = useState<Watch>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const overview = useQuery(
    trpc.schedules.overview.queryOptions(weekStart ? { weekStart } : {}, { refetchInterval: watch ? POLL_MS : false, refetchIntervalInBackground: true }),
  );
  const data = overview.data;
  const week = data?.weekStart ?? '';
  const runs = useQuery(
    trpc.planning.runs.queryOptions(undefined, {
      enabled: data?.engine === true,
      refetchInterval: (q) =>
        watch || q.state.data?.some((r) => r.status === 'RUNNING' && r.workflowId.endsWith(`:${week}`) && r.progress?.phase !== 'awaiting_approval')
          ? POLL_MS
          : false,
      refetchIntervalInBackground: true,
    }),
  );
  const generate = useMutation(
    trpc.schedules.generate.mutationOptions({
      onSuccess: (_, input) => {
        setWatch({ kind: 'generate', groupId: input.groupId, known: data?.schedules.map((s) => s.id) ?? [] });
        void queryClient.invalidateQueries({ queryKey: trpc.planning.runs.queryKey() });
      },
    }),
  );

  useEffect(() => {
    if (!data || !watch) return;
    if (watch.kind === 'generate') {
      const fresh = versionsOf(data, watch.groupId).find((s) => !watch.known.includes(s.id));
      if (fresh) {
        setWatch(null);
        setPicked(fresh.id);
      }
    } else if (data.schedules.find((s) => s.id === watch.scheduleId)?.status !== 'draft') {
      setWatch(null);
    }
  }, [data, watch]);

  const today = data ? todayIn(data.timezone) : '';
  const selected = data ? pickSchedule(data, picked) : null;
  const runOf = (groupId: string) => runs.data?.find((r) => r.workflowId.startsWith('schedule:') && r.workflowId.endsWith(`:${groupId}:${week}`));
  const blocked = !canEdit ? null : data && !data.engine ? 'Workflows are not running: start Switchboard with `npm start` or set TEMPORAL_ADDRESS.' : null;
  const setupMissing = data && (data.templates === 0 || data.contracts === 0) ? 'Add shift templates and work contracts first.' : null;

  return (
    <section>
      <div className="page-head">
        <h1>Schedules</h1>
        <span className="muted small">
          <Link href="/planning">← Forecasts & staffing</Link>
          {data ? ` · Times in ${data.timezone}` : ''}
        </span>
        <Link href="/planning/schedules/setup">Setup →</Link>
        {!canEdit && (
          <span className="pill muted" data-testid="read-only">
            Read-only: planners and admins generate, edit and approve schedules
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
          <form className="inline-form controls" aria-label="Week" onSubmit={(e) => e.preventDefault()}>
            <button type="button" className="ghost" onClick={() => (setWeekStart(addLocalDays(week, -7)), setPicked(null))}>
              ← Previous week
            </button>
            <label>
              Week of
              <input
                type="date"
                value={week}
                onChange={(e) => e.target.value && (setWeekStart(mondayOf(e.target.value)), setPicked(null))}
                aria-describedby="week-span"
              />
            </label>
            <button type="button" className="ghost" onClick={() => (setWeekStart(addLocalDays(week, 7)), setPicked(null))}>
              Next week →
            </button>
            <button type="button" className="ghost" onClick={() => (setWeekStart(mondayOf(today)), setPicked(null))} disabled={mondayOf(today) === week}>
              This week
            </button>
            <span className="muted small" id="week-span" data-testid="week-span">
              {formatDay(week)} – {formatDay(addLocalDays(week, 6))}
            </span>
          </form>

          <div className="panel" data-testid="groups">
            <h2>Planning groups</h2>
            {data.groups.length === 0 ? (
              <p className="muted">No planning groups yet: a planning group gathers the queues one schedule staffs.</p>
            ) : (
              <table className="compact">
                <caption className="sr-only">Planning groups and their versions for the week</caption>
                <thead>
                  <tr>
                    <th scope="col">Group</th>
                    <th scope="col">Queues</th>
                    <th scope="col">Versions</th>
                    <th scope="col">Run</th>
                    <th scope="col" />
                  </tr>
                </thead>
                <tbody>
                  {data.groups.map((g) => {
                    const versions = versionsOf(data, g.id);
                    const run = runOf(g.id);
                    const running = run?.status === 'RUNNING';
                    const share = run ? getRunShare(run) : null;
                    const waiting = watch?.kind === 'generate' && watch.groupId === g.id;
                    return (
                      <tr key={g.id} data-testid="group" data-group={g.key}>
                        <td>{g.name}</td>
                        <td className="muted small">{g.queueKeys.join(', ')}</td>
                        <td>
                          {versions.length === 0 ? (
                            <span className="muted small">none</span>
                          ) : (
                            <span className="button-row" style={{ justifyContent: 'flex-start' }}>
                              {versions.map((v) => (
                                <button
                                  key={v.id}
                                  type="button"
                                  className={`ghost small ${selected?.id === v.id ? 'on' : ''}`}
                                  aria-pressed={selected?.id === v.id}
                                  onClick={() => setPicked(v.id)}
                                  data-testid="version"
                                  data-status={v.status}
                                >
                                  <span className={`pill ${statusClass[v.status] ?? ''}`}>{statusLabel[v.status]}</span> rev {v.revision}
                                </button>
                              ))}
                            </span>
                          )}
                        </td>
                        <td data-testid="group-run">
                          {running ? (
                            <span className="run-progress">
                              <progress value={share ?? undefined} max={1} aria-label={`${g.name} schedule progress`} />
                              <span className="muted small">{run.progress ? run.progress.phase.replaceAll('_', ' ') : 'starting'}</span>
                            </span>
                          ) : waiting ? (
                            <span className="muted small">starting…</span>
                          ) : run ? (
                            <span className="muted small">{run.status.toLowerCase()}</span>
                          ) : null}
                        </td>
                        <td>
                          {canEdit && (
                            <button
                              type="button"
                              disabled={
                                blocked !== null ||
                                setupMissing !== null ||
                                generate.isPending ||
                                waiting ||
                                (running && run.progress?.phase !== 'awaiting_approval')
                              }
                              aria-describedby={blocked || setupMissing ? 'generate-blocked' : undefined}
                              onClick={() => generate.mutate({ groupId: g.id, weekStart: week })}
                              aria-label={`Generate ${g.name}`}
                            >
                              Generate
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            {(blocked ?? setupMissing) && (
              <p className="muted small" id="generate-blocked" data-testid="generate-blocked">
                {blocked ?? setupMissing}
              </p>
            )}
            {generate.error && (
              <p className="error" role="alert">
                {describeError(generate.error)}
              </p>
            )}
            {week < mondayOf(today) && <p className="muted small">This week is over: its versions are kept as they were.</p>}
          </div>

          {selected ? (
            <ScheduleDetail
              key={selected.id}
              scheduleId={selected.id}
              versions={versionsOf(data, selected.groupId)}
              groupName={data.groups.find((g) => g.id === selected.groupId)?.name ?? ''}
              canEdit={canEdit}
              engine={data.engine}
              onDecided={(scheduleId) => setWatch({ kind: 'decide', scheduleId })}
              publishing={watch?.kind === 'decide' && watch.scheduleId === selected.id}
              status={selected.status}
            />
          ) : (
            <p className="panel muted" data-testid="no-schedule">
              No schedule for this week yet{canEdit ? ': generate one for a planning group above.' : '.'}
            </p>
          )}

          {canEdit && <PendingRequests timezone={data.timezone} />}
        </>
      )}
    </section>
  );
}

/** The version picked, else the first group's draft, published or newest version. */
function pickSchedule(data: ScheduleOverview, picked: string | null): ScheduleOverview['schedules'][number] | null {
  const chosen = data.schedules.find((s) => s.id === picked);
  if (chosen) return chosen;
  for (const g of data.groups) {
    const versions = versionsOf(data, g.id);
    const best = versions.find((v) => v.status === 'draft') ?? versions.find((v) => v.status === 'published') ?? versions[0];
    if (best) return best;
  }
  return null;
}
