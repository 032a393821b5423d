'use client';

import { sortedBreaks } from '@switchboard/planning';
import { allowedStarts, breakOffsets, checkEdit, clockOf, defaultShift, formatDay, type DayEdit, type ScheduleView } from './prepare';
import styles from './schedules.module.css';

/**
 * One agent's day in a draft: the shift template, its start (the starts it allows) and each break's offset (within
 * its window), or a day off. Every change goes straight to the preview; Save sends it.
 */
export function DayEditor({
  view,
  edit,
  original,
  onChange,
  onSave,
  onCancel,
  saving,
  error,
  conflict,
  onReload,
}: {
  view: ScheduleView;
  edit: DayEdit;
  original: DayEdit['shift'];
  onChange: (edit: DayEdit) => void;
  onSave: () => void;
  onCancel: () => void;
  saving: boolean;
  error: string | null;
  conflict: boolean;
  onReload: () => void;
}) {
  const agent = view.agents.find((a) => a.id === edit.agentId);
  const template = edit.shift ? view.templates.find((t) => t.id === edit.shift!.templateId) : undefined;
  const problems = checkEdit(view.templates, edit);
  const unchanged = JSON.stringify(edit.shift) === JSON.stringify(original);
  const setShift = (shift: DayEdit['shift']) => onChange({ ...edit, shift });
  const startOf = (templateId: string) => {
    const t = view.templates.find((x) => x.id === templateId)!;
    const starts = allowedStarts(t, edit.shiftDate);
    const keep = edit.shift && starts.includes(edit.shift.startMin) ? edit.shift.startMin : (starts[0] ?? t.earliestStartMin);
    return defaultShift(t, keep);
  };
  return (
    <div className={`panel ${styles.editor}`} role="group" aria-label="Edit the day" data-testid="day-editor">
      <div className="page-head">
        <h2>
          {agent?.name ?? 'Agent'} · {formatDay(edit.shiftDate)}
        </h2>
        <span className="muted small">Changes show in the chart and figures at once; nothing is saved until Save.</span>
      </div>
      <form
        className="inline-form controls"
        aria-label="Shift of the day"
        onSubmit={(e) => {
          e.preventDefault();
          onSave();
        }}
      >
        <label className="check">
          <input
            type="checkbox"
            checked={edit.shift === null}
            onChange={(e) => setShift(e.target.checked ? null : (original ?? startOf(view.templates[0]!.id)))}
            disabled={view.templates.length === 0}
          />
          Day off
        </label>
        {edit.shift && template && (
          <>
            <label>
              Shift
              <select value={edit.shift.templateId} onChange={(e) => setShift(startOf(e.target.value))}>
                {view.templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Start
              <select value={edit.shift.startMin} onChange={(e) => setShift({ ...edit.shift!, startMin: Number(e.target.value) })}>
                {allowedStarts(template, edit.shiftDate).map((m) => (
                  <option key={m} value={m}>
                    {clockOf(m)}
                  </option>
                ))}
              </select>
            </label>
            {sortedBreaks(template).map((b, i) => (
              <label key={i}>
                {`${b.kind === 'lunch' ? 'Lunch' : 'Break'} ${i + 1} (${b.lengthMin} min)`}
                <select
                  value={edit.shift!.breakOffsetsMin[i]}
                  onChange={(e) =>
                    setShift({ ...edit.shift!, breakOffsetsMin: edit.shift!.breakOffsetsMin.map((o, j) => (j === i ? Number(e.target.value) : o)) })
                  }
                >
                  {breakOffsets(b).map((o) => (
                    <option key={o} value={o}>
                      {clockOf(edit.shift!.startMin + o)} ({o} min in)
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </>
        )}
        <span className="button-row">
          <button type="submit" disabled={saving || unchanged || problems.length > 0 || conflict}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="ghost" onClick={onCancel}>
            Discard
          </button>
        </span>
      </form>
      {problems.length > 0 && (
        <p className="error" role="alert">
          {problems.join('; ')}
        </p>
      )}
      {conflict && (
        <p className="error" role="alert" data-testid="edit-conflict">
          Changed by someone else — reload.{' '}
          <button type="button" className="ghost small" onClick={onReload}>
            Reload the week (keeps this edit)
          </button>
        </p>
      )}
      {error && !conflict && (
        <p className="error" role="alert" data-testid="edit-error">
          {error}
        </p>
      )}
    </div>
  );
}
