'use client';

import { paidMinutesOf } from '@switchboard/planning';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../../lib/trpc';
import { clockOf } from '../prepare';
import {
  describeRefusal,
  formatBreaks,
  formatHours,
  formatWeekdays,
  newBreak,
  toTemplateDraft,
  toTemplateInput,
  type BreakDraft,
  type Setup,
  type TemplateDraft,
} from './prepare';
import styles from './setup.module.css';
import { WeekdayPicker } from './weekdays';
import { EditorActions } from './editor-actions';

const labels = {
  name: 'Name',
  lengthMin: 'Length',
  startStepMin: 'Start step',
  earliestStartMin: 'Earliest start',
  latestStartMin: 'Latest start',
  weekdays: 'Weekdays',
  cost: 'Cost',
  breaks: 'Breaks',
  kind: 'kind',
  earliestOffsetMin: 'earliest offset',
  latestOffsetMin: 'latest offset',
};

/** The shifts planners allow: length, start window and step, weekdays, breaks and lunches with their windows. */
export function ShiftTemplates({ setup, canEdit }: { setup: Setup; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<TemplateDraft | null>(null);
  const save = useMutation(
    trpc.schedules.setup.saveTemplate.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await queryClient.invalidateQueries({ queryKey: trpc.schedules.setup.get.queryKey() });
      },
    }),
  );
  const open = (next: TemplateDraft) => (save.reset(), setDraft(next));
  const taken = draft !== null && setup.templates.some((t) => t.id !== draft.id && t.name === draft.name.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft && !taken) save.mutate(toTemplateInput(draft));
  };

  return (
    <div className="panel" data-testid="setup-templates">
      <h2>Shift templates</h2>
      <p className="muted small">
        Times are the agent&rsquo;s local clock; break windows are minutes from the shift&rsquo;s start. Only active templates are scheduled.
      </p>
      {setup.templates.length === 0 ? (
        <p className="muted">No shift templates yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="compact">
            <caption className="sr-only">Shift templates</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Paid length
                </th>
                <th scope="col">Start window</th>
                <th scope="col" className="num">
                  Step
                </th>
                <th scope="col">Weekdays</th>
                <th scope="col">Breaks</th>
                <th scope="col">Active</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {setup.templates.map((t) => (
                <tr key={t.id} data-testid="setup-template" data-name={t.name}>
                  <td>{t.name}</td>
                  <td className="num" data-testid="template-paid">
                    {formatHours(paidMinutesOf(t))} <span className="muted small">of {formatHours(t.lengthMin)}</span>
                  </td>
                  <td>
                    {clockOf(t.earliestStartMin)}–{clockOf(t.latestStartMin)}
                  </td>
                  <td className="num">{t.startStepMin} min</td>
                  <td>{formatWeekdays(t.weekdays)}</td>
                  <td className="small" data-testid="template-breaks">
                    {formatBreaks(t.breaks)}
                  </td>
                  <td>{t.active ? 'yes' : <span className="muted">no</span>}</td>
                  <td className="num">
                    <button
                      type="button"
                      className="ghost small"
                      onClick={() => open(toTemplateDraft(t))}
                      aria-label={`${canEdit ? 'Edit' : 'View'} ${t.name}`}
                    >
                      {canEdit ? 'Edit' : 'View'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && !draft && (
        <p>
          <button type="button" className="ghost" onClick={() => open(toTemplateDraft(null))}>
            Add a shift template
          </button>
        </p>
      )}
      {draft && (
        <TemplateEditor
          draft={draft}
          onChange={setDraft}
          onSubmit={submit}
          onClose={() => setDraft(null)}
          canEdit={canEdit}
          saving={save.isPending}
          error={taken ? `a shift template named “${draft.name.trim()}” exists` : save.error ? describeRefusal(save.error, labels) : null}
        />
      )}
    </div>
  );
}

function TemplateEditor({
  draft,
  onChange,
  onSubmit,
  onClose,
  canEdit,
  saving,
  error,
}: {
  draft: TemplateDraft;
  onChange: (draft: TemplateDraft) => void;
  onSubmit: (e: FormEvent) => void;
  onClose: () => void;
  canEdit: boolean;
  saving: boolean;
  error: string | null;
}) {
  const set = (fields: Partial<TemplateDraft>) => onChange({ ...draft, ...fields });
  const setBreak = (i: number, fields: Partial<BreakDraft>) => set({ breaks: draft.breaks.map((b, j) => (j === i ? { ...b, ...fields } : b)) });
  const length = Number(draft.lengthMin);
  const breaks = draft.breaks.map((b) => ({ lengthMin: Number(b.lengthMin), paid: b.paid }));
  const unpaid = breaks.filter((b) => !b.paid).reduce((sum, b) => sum + b.lengthMin, 0);
  const paid = draft.lengthMin.trim() === '' ? NaN : paidMinutesOf({ lengthMin: length, breaks });
  return (
    <form className={`panel ${styles.editor}`} aria-label="Shift template" onSubmit={onSubmit}>
      <h3 className="sub">{draft.id ? `Shift template ${draft.name}` : 'New shift template'}</h3>
      <fieldset className={styles.fieldset} disabled={!canEdit}>
        <div className={styles.fields}>
          <label>
            Name
            <input type="text" required maxLength={60} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
          </label>
          <label>
            Length (min)
            <input type="number" required value={draft.lengthMin} onChange={(e) => set({ lengthMin: e.target.value })} />
          </label>
          <label>
            Earliest start
            <input type="time" required value={draft.earliestStart} onChange={(e) => set({ earliestStart: e.target.value })} />
          </label>
          <label>
            Latest start
            <input type="time" required value={draft.latestStart} onChange={(e) => set({ latestStart: e.target.value })} />
          </label>
          <label>
            Start step (min)
            <input type="number" required value={draft.startStepMin} onChange={(e) => set({ startStepMin: e.target.value })} />
          </label>
          <label>
            Cost (empty: paid hours)
            <input type="number" min={0} step="any" placeholder="paid hours" value={draft.cost} onChange={(e) => set({ cost: e.target.value })} />
          </label>
          <label className="check">
            <input type="checkbox" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} />
            Active
          </label>
        </div>
        <WeekdayPicker legend="Weekdays it may start on" value={draft.weekdays} onChange={(weekdays) => set({ weekdays })} />

        <h3 className="sub">Breaks and lunches</h3>
        {draft.breaks.length === 0 ? (
          <p className="muted small">No breaks: the whole shift is on the phone.</p>
        ) : (
          <table className={`compact ${styles.grid}`} data-testid="template-break-rows">
            <caption className="sr-only">Breaks and lunches, offsets in minutes from the shift&rsquo;s start</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Kind</th>
                <th scope="col">Length (min)</th>
                <th scope="col">Earliest offset (min)</th>
                <th scope="col">Latest offset (min)</th>
                <th scope="col">Paid</th>
                {canEdit && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {draft.breaks.map((b, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>
                    <select aria-label={`Break ${i + 1} kind`} value={b.kind} onChange={(e) => setBreak(i, { kind: e.target.value as BreakDraft['kind'] })}>
                      <option value="break">break</option>
                      <option value="lunch">lunch</option>
                    </select>
                  </td>
                  <td>
                    <input
                      type="number"
                      required
                      aria-label={`Break ${i + 1} length (min)`}
                      value={b.lengthMin}
                      onChange={(e) => setBreak(i, { lengthMin: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      required
                      aria-label={`Break ${i + 1} earliest offset (min)`}
                      value={b.earliestOffsetMin}
                      onChange={(e) => setBreak(i, { earliestOffsetMin: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      required
                      aria-label={`Break ${i + 1} latest offset (min)`}
                      value={b.latestOffsetMin}
                      onChange={(e) => setBreak(i, { latestOffsetMin: e.target.value })}
                    />
                  </td>
                  <td>
                    <input type="checkbox" aria-label={`Break ${i + 1} paid`} checked={b.paid} onChange={(e) => setBreak(i, { paid: e.target.checked })} />
                  </td>
                  {canEdit && (
                    <td className="num">
                      <button
                        type="button"
                        className="ghost small"
                        aria-label={`Remove break ${i + 1}`}
                        onClick={() => set({ breaks: draft.breaks.filter((_, j) => j !== i) })}
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canEdit && draft.breaks.length < 6 && (
          <p>
            <button type="button" className="ghost small" onClick={() => set({ breaks: [...draft.breaks, newBreak] })}>
              Add a break
            </button>
          </p>
        )}
      </fieldset>
      <p className={styles.paid} data-testid="template-paid-hours" aria-live="polite">
        Paid {formatHours(paid)} a shift
        <span className="muted small">
          {' '}
          ({formatHours(length)} less {Number.isFinite(unpaid) ? unpaid : '—'} min of unpaid breaks)
        </span>
      </p>
      {error && (
        <p className="error" role="alert" data-testid="template-error">
          {error}
        </p>
      )}
      <EditorActions canEdit={canEdit} saving={saving} label="Save template" onClose={onClose} />
    </form>
  );
}
