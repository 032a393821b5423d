'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Figure } from '../../../components/figure';
import { describeError } from '../../../lib/errors';
import { useTRPC } from '../../../lib/trpc';
import { kindLabel } from './activity-kinds';
import { CompareVersions } from './compare';
import { CoverageChart } from './coverage-chart';
import { DayEditor } from './day-editor';
import { Gantt } from './gantt';
import { formatClock, formatDay, getFigureTiles, getWeek, previewEdit, readShift, statusLabel, type DayEdit, type ScheduleOverview } from './prepare';
import styles from './schedules.module.css';

/** One version of a group's week: figures, coverage, the agents' Gantt, the draft's editor and decision, acknowledgements. */
export function ScheduleDetail({
  scheduleId,
  versions,
  groupName,
  canEdit,
  engine,
  onDecided,
  publishing,
  status,
}: {
  scheduleId: string;
  /** The status the week's overview reports: when it moves on (published, superseded), the version is read again. */
  status: string;
  versions: ScheduleOverview['schedules'];
  groupName: string;
  canEdit: boolean;
  engine: boolean;
  onDecided: (scheduleId: string) => void;
  publishing: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const get = useQuery(trpc.schedules.get.queryOptions({ scheduleId }));
  const [edit, setEdit] = useState<DayEdit | null>(null);
  const [original, setOriginal] = useState<DayEdit['shift']>(null);
  const [conflict, setConflict] = useState(false);
  const [shown, setShown] = useState<{ agentId: string; shiftDate: string } | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.schedules.pathKey() });
  const save = useMutation(
    trpc.schedules.editDay.mutationOptions({
      onSuccess: () => (setEdit(null), refresh()),
      onError: (error) => setConflict(error.data?.code === 'CONFLICT'),
    }),
  );
  const loadedStatus = get.data?.schedule.status;
  const refetch = get.refetch;
  useEffect(() => {
    if (loadedStatus && loadedStatus !== status) void refetch();
  }, [loadedStatus, status, refetch]);
  const decide = useMutation(trpc.schedules.decide.mutationOptions({ onSuccess: (_, input) => (onDecided(input.scheduleId), refresh()) }));

  if (!get.data) return <p className="panel muted">{get.error ? get.error.message : 'Loading the schedule…'}</p>;
  const view = get.data;
  const s = view.schedule;
  const week = getWeek(s.weekStart, s.timezone);
  const editable = canEdit && s.status === 'draft';
  const preview = edit ? previewEdit(view, week, edit) : null;
  const figures = preview?.figures ?? s.summary.figures;
  const activities = preview?.activities ?? view.activities;
  const unacknowledged = s.status === 'published' ? view.agents.filter((a) => !a.acknowledgedAt) : [];

  const pick = (agentId: string, shiftDate: string) => {
    if (!editable) return setShown({ agentId, shiftDate });
    const current = readShift(view, s.timezone, agentId, shiftDate);
    setOriginal(current);
    setEdit({ agentId, shiftDate, shift: current });
    setConflict(false);
    save.reset();
  };
  const shownActivities = shown ? view.activities.filter((a) => a.agentId === shown.agentId && a.shiftDate === shown.shiftDate) : [];

  return (
    <>
      <div className="panel" data-testid="schedule" data-status={s.status} data-revision={s.revision}>
        <div className="page-head">
          <h2>
            {groupName} · week of {formatDay(s.weekStart)}
          </h2>
          <span className="pill" data-testid="schedule-status">
            {statusLabel[s.status]}
          </span>
          <span className="muted small">revision {s.revision}</span>
          {preview && (
            <span className={`pill ${styles.preview}`} data-testid="preview-badge">
              Preview of an unsaved edit
            </span>
          )}
          <span style={{ flex: 1 }} />
          {editable && !rejecting && (
            <span className="button-row">
              <button
                type="button"
                onClick={() => decide.mutate({ scheduleId, approve: true })}
                disabled={decide.isPending || publishing || edit !== null || !engine}
                title={edit ? 'Save or discard the edit first' : undefined}
              >
                {publishing ? 'Publishing…' : 'Approve and publish'}
              </button>
              <button type="button" className="ghost" onClick={() => setRejecting(true)} disabled={decide.isPending || publishing}>
                Reject…
              </button>
            </span>
          )}
        </div>
        {rejecting && (
          <form
            className="inline-form"
            aria-label="Reject the draft"
            onSubmit={(e) => {
              e.preventDefault();
              decide.mutate({ scheduleId, approve: false, reason });
            }}
          >
            <input
              className="wide-input"
              aria-label="Why it is rejected"
              placeholder="why, for the record"
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <button type="submit" disabled={reason.trim() === '' || decide.isPending}>
              Reject
            </button>
            <button type="button" className="ghost" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </form>
        )}
        {decide.error && (
          <p className="error" role="alert">
            {describeError(decide.error)}
          </p>
        )}
        {s.rejectedReason && <p className="muted">Rejected: {s.rejectedReason}</p>}
        <div className="tiles" data-testid="figures">
          {getFigureTiles(figures).map((t) => (
            <Figure key={t.key} label={t.label} value={t.value} testId={`figure-${t.key}`} />
          ))}
        </div>
        {s.summary.notes.length > 0 && (
          <ul className="muted small" data-testid="notes">
            {s.summary.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        <CoverageChart week={week} required={s.summary.required} scheduled={preview?.scheduled ?? s.summary.scheduled} preview={preview !== null} />
      </div>

      {s.status === 'published' && (
        <div className="panel" data-testid="acknowledgements">
          <h2>Acknowledgements</h2>
          <p className="muted small">
            {view.agents.length - unacknowledged.length} of {view.agents.length} agents acknowledged
            {s.acknowledgeBy
              ? `; due by ${formatDay(new Date(s.acknowledgeBy).toLocaleDateString('en-CA', { timeZone: s.timezone }))} ${formatClock(s.acknowledgeBy, s.timezone)}`
              : ''}
            .
          </p>
          {unacknowledged.length > 0 && (
            <p className="small" data-testid="unacknowledged">
              Not yet: {unacknowledged.map((a) => a.name).join(', ')}
            </p>
          )}
        </div>
      )}

      {edit && (
        <DayEditor
          view={view}
          edit={edit}
          original={original}
          onChange={(next) => (setEdit(next), save.reset())}
          onSave={() => save.mutate({ scheduleId, expectedRevision: s.revision, ...edit })}
          onCancel={() => (setEdit(null), setConflict(false))}
          saving={save.isPending}
          error={save.error ? describeError(save.error) : null}
          conflict={conflict}
          onReload={() => void get.refetch().then(() => (setConflict(false), save.reset()))}
        />
      )}
      {shown && (
        <div className="panel" data-testid="day-detail">
          <strong>{view.agents.find((a) => a.id === shown.agentId)?.name}</strong> · {formatDay(shown.shiftDate)}:{' '}
          {shownActivities.length === 0
            ? 'day off'
            : shownActivities
                .sort((a, b) => a.start.localeCompare(b.start))
                .map((a) => `${kindLabel[a.kind]} ${formatClock(a.start, s.timezone)}–${formatClock(a.end, s.timezone)}`)
                .join(' · ')}
        </div>
      )}

      <Gantt view={view} activities={activities} week={week} selected={edit ?? shown} onPick={pick} actionLabel={editable ? 'Edit' : 'Show'} />
      {versions.length > 1 && <CompareVersions versions={versions} toId={scheduleId} week={week} />}
    </>
  );
}
