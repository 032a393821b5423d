'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDecimal, formatPercent } from '../../../lib/format';
import { useTRPC } from '../../../lib/trpc';
import { exampleTranscript, parseTranscript, previewRows, problemsOf, toDefinition, type FormDraft } from './prepare';
import styles from './forms.module.css';

/**
 * The form as it stands in the editor, scored on a pasted transcript: what its rules answer, before anything is saved.
 * The transcript is held by the page, so it stays when a save opens the new version.
 */
export function TryTranscript({ draft, text, onText }: { draft: FormDraft; text: string; onText: (text: string) => void }) {
  const trpc = useTRPC();
  const [refusals, setRefusals] = useState<string[]>([]);
  const preview = useMutation(trpc.quality.forms.preview.mutationOptions());
  // The answers belong to the form as it was tried; later edits show against it until the next try.
  const [tried, setTried] = useState<FormDraft | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    preview.reset();
    const built = toDefinition(draft);
    const pasted = parseTranscript(text);
    const local = [...('problems' in built ? built.problems : []), ...('problem' in pasted ? [pasted.problem] : [])];
    setRefusals(local);
    if (local.length > 0 || !('definition' in built) || !('transcript' in pasted)) return;
    setTried(draft);
    preview.mutate({ definition: built.definition, transcript: pasted.transcript });
  };
  const problems = refusals.length > 0 ? refusals : preview.error ? problemsOf(preview.error, draft) : [];
  const result = preview.data && tried ? { ...preview.data, rows: previewRows(preview.data, tried) } : null;

  return (
    <form className={`panel ${styles.try}`} aria-label="Try on a transcript" onSubmit={submit}>
      <h2>Try on a transcript</h2>
      <label className={styles.block}>
        Transcript (JSON: channel, segments, holds)
        <textarea className={styles.code} rows={8} spellCheck={false} placeholder={exampleTranscript} value={text} onChange={(e) => onText(e.target.value)} />
      </label>
      <p className={styles.tools}>
        <button type="submit" disabled={preview.isPending}>
          {preview.isPending ? 'Scoring…' : 'Try the form'}
        </button>
        <button type="button" className="ghost small" onClick={() => onText(JSON.stringify(JSON.parse(exampleTranscript), null, 2))}>
          Paste an example
        </button>
      </p>
      {problems.length > 0 && (
        <div role="alert" className="error">
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {result && (
        <div data-testid="preview-result" aria-live="polite">
          <p>
            Score <strong className={styles.score}>{formatDecimal(result.score)}</strong>
            {result.failedCritical && <strong className="bad"> · a critical question failed</strong>}
          </p>
          <table className="compact">
            <caption className="sr-only">What the rules answered</caption>
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col">Answer</th>
                <th scope="col" className="num">
                  Sure
                </th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.uid}>
                  <td title={r.text}>{r.label}</td>
                  <td>
                    {r.answer ?? <span className="muted">no rule: an analyst answers</span>}
                    {r.needsReview && <span className="pill warning">needs review</span>}
                  </td>
                  <td className="num">{formatPercent(r.confidence, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
