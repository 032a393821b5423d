'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../lib/trpc';
import {
  addQuestion,
  addSection,
  keyProblem,
  moveSection,
  problemsOf,
  removeSection,
  toDefinition,
  toDraft,
  updateSection,
  weightsComplete,
  weightsTotal,
  type FormDraft,
  type FormVersion,
  type SectionDraft,
} from './prepare';
import { QuestionFields } from './question-fields';
import { TryTranscript } from './try-transcript';
import styles from './forms.module.css';

/**
 * One form in the editor: its name, sections and questions, the weights' running total, "Save as new version" with
 * the server's problems when it refuses, and a transcript to try the form on before saving.
 */
export function FormEditor({
  source,
  definition,
  copyName,
  savedVersion = null,
  transcript,
  onVersion,
  onSaved,
}: {
  /** The version opened; null for a new form. */
  source: FormVersion | null;
  definition: FormVersion['definition'];
  /** A new form's name (it starts as a copy). */
  copyName?: string;
  /** The version this editor just saved, to confirm it. */
  savedVersion?: number | null;
  /** The transcript pasted to try the form on. */
  transcript: { text: string; onText: (text: string) => void };
  onVersion?: (version: number | undefined) => void;
  onSaved: (saved: { key: string; version: number }) => void;
}) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const [draft, setDraft] = useState<FormDraft>(() => ({ ...toDraft(definition), ...(copyName ? { name: copyName } : {}) }));
  const [newKey, setNewKey] = useState('');
  const [refusals, setRefusals] = useState<string[]>([]);
  // A new form's key must be one no form has yet.
  const forms = useQuery({ ...trpc.quality.forms.list.queryOptions(), enabled: source === null });
  const save = useMutation(
    trpc.quality.forms.save.mutationOptions({
      onSuccess: async (row) => {
        await client.invalidateQueries({ queryKey: trpc.quality.forms.pathKey() });
        onSaved({ key: row.key, version: row.version });
      },
    }),
  );
  const total = weightsTotal(draft);
  const complete = weightsComplete(total);
  const latest = source?.versions[0]?.version;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.reset();
    const key = source ? source.key : newKey.trim();
    const keyRefusal = source ? null : keyProblem(key, forms.data ?? []);
    const built = toDefinition(draft);
    const local = [...(keyRefusal ? [keyRefusal] : []), ...('problems' in built ? built.problems : [])];
    setRefusals(local);
    if (local.length === 0 && 'definition' in built) save.mutate({ key, name: draft.name, definition: built.definition });
  };
  const problems = refusals.length > 0 ? refusals : save.error ? problemsOf(save.error, draft) : [];

  return (
    <div className={styles.layout}>
      <form className={styles.editor} aria-label={source ? `Form ${source.name}` : 'New form'} onSubmit={submit} noValidate>
        <div className="panel">
          <h2>{source ? 'Form' : 'New form'}</h2>
          <div className={styles.fields}>
            <label>
              Name
              <input
                type="text"
                className={styles.wide}
                required
                maxLength={200}
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              />
            </label>
            {source ? (
              <span className={styles.field}>
                Key
                <code className={styles.key}>{source.key}</code>
              </span>
            ) : (
              <label>
                Key (lower-case letters, digits and -)
                <input type="text" required maxLength={64} value={newKey} onChange={(e) => setNewKey(e.target.value)} />
              </label>
            )}
            {source && (
              <label>
                Version
                <select
                  value={source.version}
                  onChange={(e) => onVersion?.(Number(e.target.value) === latest ? undefined : Number(e.target.value))}
                  data-testid="form-version"
                >
                  {source.versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      {v.version}
                      {v.version === latest ? ' (latest)' : ''} · {new Date(v.savedAt).toLocaleString()}
                      {v.used ? ' · in use' : ''}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              Review answers less sure than (0–1)
              <input
                type="number"
                min={0}
                max={1}
                step={0.05}
                value={draft.reviewBelow}
                onChange={(e) => setDraft({ ...draft, reviewBelow: e.target.value })}
              />
            </label>
          </div>
          {source && (
            <p className="muted small">
              {source.builtIn && <span className="pill">built-in template</span>}{' '}
              {source.used ? (
                <span className="pill warning" data-testid="form-used">
                  Version {source.version} is used by evaluations: it stays as it is
                </span>
              ) : (
                <span className="pill muted">Version {source.version} is not used by any evaluation yet</span>
              )}{' '}
              {source.version !== latest && `You are looking at an earlier version; saving makes it version ${latest! + 1}.`}
            </p>
          )}
        </div>

        {draft.sections.map((section, i) => (
          <SectionEditor key={section.uid} draft={draft} section={section} index={i} onChange={setDraft} />
        ))}
        <p>
          <button type="button" className="ghost" onClick={() => setDraft(addSection(draft))}>
            Add a section
          </button>
        </p>

        <div className={styles.saveBar}>
          <span className={complete ? 'good' : 'bad'} data-testid="weights-total" aria-live="polite">
            Weights add up to {total}
            {complete ? '' : ' — they must add up to 100'}
          </span>
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save as new version'}
          </button>
          {savedVersion !== null && savedVersion === source?.version && (
            <span role="status" className="good" data-testid="form-saved">
              Saved as version {savedVersion}.
            </span>
          )}
          {problems.length > 0 && (
            <div role="alert" className={`error ${styles.problems}`} data-testid="form-problems">
              <p>The form was not saved:</p>
              <ul>
                {problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </form>
      <TryTranscript draft={draft} {...transcript} />
    </div>
  );
}

function SectionEditor({ draft, section, index, onChange }: { draft: FormDraft; section: SectionDraft; index: number; onChange: (draft: FormDraft) => void }) {
  const name = section.title || `Section ${index + 1}`;
  return (
    <fieldset className={`panel ${styles.section}`} data-testid={`section-${section.id}`}>
      <legend className="sr-only">Section {index + 1}</legend>
      <div className={styles.sectionHead}>
        <label>
          Section {index + 1} title
          <input
            type="text"
            required
            maxLength={200}
            value={section.title}
            onChange={(e) => onChange(updateSection(draft, section.uid, { title: e.target.value }))}
          />
        </label>
        <span className={styles.tools}>
          <button
            type="button"
            className="ghost small"
            disabled={index === 0}
            aria-label={`Move section ${name} up`}
            onClick={() => onChange(moveSection(draft, section.uid, -1))}
          >
            ↑
          </button>
          <button
            type="button"
            className="ghost small"
            disabled={index === draft.sections.length - 1}
            aria-label={`Move section ${name} down`}
            onClick={() => onChange(moveSection(draft, section.uid, 1))}
          >
            ↓
          </button>
          <button type="button" className="ghost small" onClick={() => onChange(removeSection(draft, section.uid))}>
            Remove section
          </button>
        </span>
      </div>
      {section.questions.length === 0 && <p className="muted small">A section needs at least one question.</p>}
      {section.questions.map((q) => (
        <QuestionFields key={q.uid} draft={draft} question={q} onChange={onChange} />
      ))}
      <button type="button" className="ghost small" onClick={() => onChange(addQuestion(draft, section.uid))}>
        Add a question to {name}
      </button>
    </fieldset>
  );
}
