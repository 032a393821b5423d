'use client';

import {
  answerValuesOf,
  changeType,
  moveQuestion,
  questionLabel,
  questionTypes,
  removeQuestion,
  updateQuestion,
  valueLabel,
  type FormDraft,
  type OptionDraft,
  type QuestionDraft,
  type QuestionType,
} from './prepare';
import styles from './forms.module.css';

/** Everything about one question: its words, type and answers, weight, when it is shown, guidance and rule. */
export function QuestionFields({ draft, question: q, onChange }: { draft: FormDraft; question: QuestionDraft; onChange: (draft: FormDraft) => void }) {
  const set = (fields: Partial<Omit<QuestionDraft, 'uid'>>) => onChange(updateQuestion(draft, q.uid, fields));
  const setOption = (i: number, fields: Partial<OptionDraft>) => set({ options: q.options.map((o, j) => (j === i ? { ...o, ...fields } : o)) });
  const label = questionLabel(draft, q);
  const all = draft.sections.flatMap((s) => s.questions);
  const position = all.findIndex((o) => o.uid === q.uid);
  const others = all.filter((o) => o.uid !== q.uid);
  const condition = q.showWhen ? all.find((o) => o.id === q.showWhen!.question) : undefined;
  const toggleValue = (value: string, on: boolean) =>
    q.showWhen && set({ showWhen: { ...q.showWhen, equals: on ? [...q.showWhen.equals, value] : q.showWhen.equals.filter((v) => v !== value) } });
  const yesNo = q.type === 'yes_no';

  return (
    <fieldset className={styles.question} data-testid={`question-${q.id}`}>
      <legend>{label}</legend>
      <div className={styles.fields}>
        <label className={styles.grow}>
          Question
          <textarea rows={2} required maxLength={500} value={q.text} onChange={(e) => set({ text: e.target.value })} />
        </label>
      </div>
      <div className={styles.fields}>
        <label>
          Id (answers and reports use it)
          <input type="text" required maxLength={64} value={q.id} onChange={(e) => set({ id: e.target.value })} />
        </label>
        <label>
          Type
          <select value={q.type} onChange={(e) => onChange(changeType(draft, q.uid, e.target.value as QuestionType))}>
            {questionTypes.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Weight
          <input type="number" min={0} max={100} step="any" required value={q.weight} onChange={(e) => set({ weight: e.target.value })} />
        </label>
        {yesNo && (
          <>
            <label className="check">
              <input type="checkbox" checked={q.critical} onChange={(e) => set({ critical: e.target.checked })} />
              Critical (a “no” fails the evaluation)
            </label>
            <label className="check">
              <input type="checkbox" checked={q.allowNa} onChange={(e) => set({ allowNa: e.target.checked })} />
              N/A allowed
            </label>
          </>
        )}
        {q.type === 'scale' && (
          <>
            <label>
              Lowest point
              <input type="number" step={1} value={q.scaleMin} onChange={(e) => set({ scaleMin: e.target.value })} />
            </label>
            <label>
              Highest point
              <input type="number" step={1} value={q.scaleMax} onChange={(e) => set({ scaleMax: e.target.value })} />
            </label>
          </>
        )}
      </div>

      {q.type === 'choice' && (
        <table className={`compact ${styles.options}`}>
          <caption className="sr-only">Answers of {label}</caption>
          <thead>
            <tr>
              <th scope="col">Value</th>
              <th scope="col">Label</th>
              <th scope="col">Points (0–1)</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {q.options.map((o, i) => (
              <tr key={i}>
                <td>
                  <input aria-label={`Answer ${i + 1} value`} value={o.value} onChange={(e) => setOption(i, { value: e.target.value })} />
                </td>
                <td>
                  <input aria-label={`Answer ${i + 1} label`} value={o.label} onChange={(e) => setOption(i, { label: e.target.value })} />
                </td>
                <td>
                  <input
                    aria-label={`Answer ${i + 1} points`}
                    type="number"
                    min={0}
                    max={1}
                    step="any"
                    value={o.points}
                    onChange={(e) => setOption(i, { points: e.target.value })}
                  />
                </td>
                <td>
                  <button type="button" className="ghost small" onClick={() => set({ options: q.options.filter((_, j) => j !== i) })}>
                    Remove answer {i + 1}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={4}>
                <button type="button" className="ghost small" onClick={() => set({ options: [...q.options, { value: '', label: '', points: '0' }] })}>
                  Add an answer
                </button>
              </td>
            </tr>
          </tfoot>
        </table>
      )}

      <div className={styles.fields}>
        <label>
          Shown
          <select
            value={q.showWhen?.question ?? ''}
            onChange={(e) => set({ showWhen: e.target.value ? { question: e.target.value, equals: [] } : null })}
            data-testid="show-when"
          >
            <option value="">always</option>
            {others.map((o) => (
              <option key={o.uid} value={o.id}>
                when {questionLabel(draft, o)} is…
              </option>
            ))}
            {q.showWhen && !condition && <option value={q.showWhen.question}>when {q.showWhen.question} (not a question of this form) is…</option>}
          </select>
        </label>
        {q.showWhen && (
          <fieldset className={styles.values}>
            <legend>…one of</legend>
            {condition && answerValuesOf(condition).length === 0 && <span className="muted small">that question has no answers yet</span>}
            {(condition ? answerValuesOf(condition) : q.showWhen.equals).map((v) => (
              <label key={v}>
                <input type="checkbox" checked={q.showWhen!.equals.includes(v)} onChange={(e) => toggleValue(v, e.target.checked)} />
                {condition ? valueLabel(condition, v) : v}
              </label>
            ))}
          </fieldset>
        )}
      </div>

      <label className={styles.block}>
        Guidance for the analyst
        <textarea rows={2} maxLength={4000} value={q.guidance} onChange={(e) => set({ guidance: e.target.value })} />
      </label>

      {(yesNo || q.auto.trim() !== '') && (
        <details className={styles.auto} open={!yesNo}>
          <summary>Automatic rule (JSON, for advanced users){q.auto.trim() === '' ? ': none' : ''}</summary>
          <p className="muted small">
            {yesNo
              ? 'Answers the question from the transcript: {"appliesWhen"?, "expect"}. Leave empty to have an analyst answer it.'
              : 'Rules answer yes/no questions only: empty this or make the question yes/no.'}
          </p>
          <textarea
            aria-label={`Automatic rule of ${label}`}
            className={styles.code}
            rows={10}
            spellCheck={false}
            value={q.auto}
            onChange={(e) => set({ auto: e.target.value })}
          />
        </details>
      )}

      <div className={styles.tools}>
        <button
          type="button"
          className="ghost small"
          disabled={position === 0}
          aria-label={`Move ${label} up`}
          onClick={() => onChange(moveQuestion(draft, q.uid, -1))}
        >
          ↑ Move up
        </button>
        <button
          type="button"
          className="ghost small"
          disabled={position === all.length - 1}
          aria-label={`Move ${label} down`}
          onClick={() => onChange(moveQuestion(draft, q.uid, 1))}
        >
          ↓ Move down
        </button>
        <button type="button" className="ghost small" onClick={() => onChange(removeQuestion(draft, q.uid))}>
          Remove {label}
        </button>
      </div>
    </fieldset>
  );
}
