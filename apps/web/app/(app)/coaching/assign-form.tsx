'use client';

import { coachingKpiMetrics, type CoachingKpiMetric } from '@switchboard/contracts';
import { getCoachingKpi } from '@switchboard/kpis';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { questionName } from '../quality/prepare';
import styles from './coaching.module.css';

interface Draft {
  agentKey: string;
  targetType: 'metric' | 'question';
  metric: CoachingKpiMetric;
  questionId: string;
  tip: string;
  sessionMinutes: '' | '15' | '30' | '45' | '60';
  dueDays: string;
  measureWeeks: string;
}

const blank: Draft = { agentKey: '', targetType: 'metric', metric: 'aht_s', questionId: '', tip: '', sessionMinutes: '30', dueDays: '7', measureWeeks: '4' };

/** A supervisor or analyst assigns coaching by hand: they become its coach, and its run starts at once. */
export function AssignForm({
  agents,
  questions,
  onAssigned,
}: {
  agents: { key: string; name: string }[];
  questions: string[];
  onAssigned: (id: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(blank);
  const [done, setDone] = useState('');
  const assign = useMutation(
    trpc.coaching.assign.mutationOptions({
      onSuccess: async (made) => {
        setDone(`Assigned to ${made.agentName}.`);
        setDraft({ ...blank, agentKey: draft.agentKey });
        onAssigned(made.id);
        await queryClient.invalidateQueries({ queryKey: trpc.coaching.pathKey() });
      },
    }),
  );
  const set = (patch: Partial<Draft>) => {
    setDone('');
    setDraft({ ...draft, ...patch });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    assign.mutate({
      agentKey: draft.agentKey,
      target: draft.targetType === 'metric' ? { type: 'metric', metric: draft.metric } : { type: 'question', questionId: draft.questionId.trim() },
      tip: draft.tip,
      sessionMinutes: draft.sessionMinutes ? (Number(draft.sessionMinutes) as 15 | 30 | 45 | 60) : null,
      dueDays: Number(draft.dueDays),
      measureWeeks: Number(draft.measureWeeks),
    });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="coaching-assign-title" data-testid="coaching-assign-form">
      <h2 id="coaching-assign-title">Assign by hand</h2>
      <div className={styles.form}>
        <label>
          Agent
          <select value={draft.agentKey} onChange={(e) => set({ agentKey: e.target.value })} required>
            <option value="">pick an agent</option>
            {agents.map((a) => (
              <option key={a.key} value={a.key}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Coaching on
          <select value={draft.targetType} onChange={(e) => set({ targetType: e.target.value as Draft['targetType'] })}>
            <option value="metric">a KPI</option>
            <option value="question">a quality question</option>
          </select>
        </label>
        {draft.targetType === 'metric' ? (
          <label>
            KPI
            <select value={draft.metric} onChange={(e) => set({ metric: e.target.value as CoachingKpiMetric })}>
              {coachingKpiMetrics.map((m) => (
                <option key={m} value={m}>
                  {getCoachingKpi(m).label}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            Question id
            <input
              value={draft.questionId}
              onChange={(e) => set({ questionId: e.target.value })}
              list="coaching-question-ids"
              required
              pattern="[a-z][a-z0-9_]{0,63}"
              title="lower-case letters, digits and _, starting with a letter"
              placeholder="recording_disclosure"
            />
            <datalist id="coaching-question-ids">
              {questions.map((q) => (
                <option key={q} value={q}>
                  {questionName(q)}
                </option>
              ))}
            </datalist>
          </label>
        )}
        <label className={styles.wide}>
          Tip for the agent
          <textarea value={draft.tip} onChange={(e) => set({ tip: e.target.value })} required maxLength={2000} />
        </label>
        <label>
          Session
          <select value={draft.sessionMinutes} onChange={(e) => set({ sessionMinutes: e.target.value as Draft['sessionMinutes'] })}>
            <option value="">none</option>
            {['15', '30', '45', '60'].map((m) => (
              <option key={m} value={m}>
                {m} minutes
              </option>
            ))}
          </select>
        </label>
        <label>
          Due after (days)
          <input type="number" min={1} max={60} step={1} value={draft.dueDays} onChange={(e) => set({ dueDays: e.target.value })} required />
        </label>
        <label>
          Measure over (weeks)
          <input type="number" min={1} max={12} step={1} value={draft.measureWeeks} onChange={(e) => set({ measureWeeks: e.target.value })} required />
        </label>
        <div className={styles.buttons}>
          <button type="submit" disabled={assign.isPending}>
            {assign.isPending ? 'Assigning…' : 'Assign'}
          </button>
          <span className="small" aria-live="polite">
            {done}
          </span>
          {assign.error && (
            <span className="error small" role="alert">
              {describeError(assign.error)}
            </span>
          )}
        </div>
      </div>
    </form>
  );
}
