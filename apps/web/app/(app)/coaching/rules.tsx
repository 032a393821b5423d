'use client';

import { coachingKpiMetrics, type CoachingKpiMetric } from '@switchboard/contracts';
import { getCoachingKpi } from '@switchboard/kpis';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { describeError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import {
  blankRule,
  checkRuleDraft,
  conditionKindLabel,
  describeCondition,
  describeDue,
  describeMeasure,
  describeSession,
  draftOfRule,
  thresholdUnit,
  withMetric,
  type ConditionKind,
  type Rule,
  type RuleDraft,
} from './prepare';
import styles from './coaching.module.css';

/** The tenant's coaching rules, and the form that makes or changes one. */
export function RulesView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.coaching.rules.queryOptions());
  const [draft, setDraft] = useState<RuleDraft>(blankRule);
  const [saved, setSaved] = useState('');
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.coaching.rules.queryKey() });
  const remove = useMutation(
    trpc.coaching.deleteRule.mutationOptions({
      onSuccess: async (_, { id }) => {
        setConfirmDelete(null);
        if (draft.id === id) setDraft(blankRule);
        await refresh();
      },
    }),
  );
  const edit = (rule: Rule) => {
    setSaved('');
    setDraft(draftOfRule(rule));
    form.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    form.current?.querySelector('input')?.focus({ preventScroll: true });
  };
  return (
    <>
      <div className="panel">
        <h2>Rules</h2>
        <p className="muted small">Enabled rules are checked every hour (or with “Check rules now”); an agent gets one open assignment per target at most.</p>
        {rules.error && (
          <p className="error" role="alert">
            {describeError(rules.error)}
          </p>
        )}
        {remove.error && (
          <p className="error" role="alert">
            {describeError(remove.error)}
          </p>
        )}
        {!rules.data ? (
          !rules.error && <p className="muted">Loading the rules…</p>
        ) : rules.data.length === 0 ? (
          <p className="muted" data-testid="coaching-rules">
            No rules yet: make the first one below.
          </p>
        ) : (
          <div className="table-wrap">
            <table data-testid="coaching-rules">
              <caption className="sr-only">Coaching rules</caption>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Enabled</th>
                  <th scope="col">When</th>
                  <th scope="col">Session</th>
                  <th scope="col">Due</th>
                  <th scope="col">Measured over</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rules.data.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>{r.enabled ? 'yes' : <span className="muted">no</span>}</td>
                    <td>{describeCondition(r.condition)}</td>
                    <td>{describeSession(r.session)}</td>
                    <td>{describeDue(r.dueDays)}</td>
                    <td>{describeMeasure(r.measureWeeks)}</td>
                    <td className="actions">
                      {confirmDelete === r.id ? (
                        <>
                          <span className="small">Delete?</span>
                          <button
                            type="button"
                            className="small"
                            onClick={() => remove.mutate({ id: r.id })}
                            disabled={remove.isPending}
                            aria-label={`Yes, delete ${r.name}`}
                          >
                            Yes, delete
                          </button>
                          <button type="button" className="ghost small" onClick={() => setConfirmDelete(null)} aria-label={`Keep ${r.name}`}>
                            Keep
                          </button>
                        </>
                      ) : (
                        <>
                          <button type="button" className="ghost small" onClick={() => edit(r)} aria-label={`Edit ${r.name}`}>
                            Edit
                          </button>
                          <button type="button" className="ghost small" onClick={() => setConfirmDelete(r.id)} aria-label={`Delete ${r.name}`}>
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <RuleForm
        key={draft.id ?? 'new'}
        formRef={form}
        draft={draft}
        saved={saved}
        onChange={(next) => (setSaved(''), setDraft(next))}
        onSaved={async (name) => {
          setSaved(`Saved “${name}”.`);
          setDraft(blankRule);
          await refresh();
        }}
      />
    </>
  );
}

/** Paths the form shows beside a field; any other problem is listed under the form. */
const fieldPaths = [
  'name',
  'tip',
  'dueDays',
  'measureWeeks',
  'session',
  'session.minutes',
  'condition.questionId',
  'condition.failedAtLeast',
  'condition.ofLast',
  'condition.withinDays',
  'condition.metric',
  'condition.comparator',
  'condition.threshold.value',
  'condition.threshold.percentile',
  'condition.forWeeks',
];

const problemId = (path: string) => `coaching-rule-problem-${path.replaceAll('.', '-')}`;

/** The rule being made or edited; its problems show once a save was tried (the form is remounted per rule). */
function RuleForm({
  draft,
  saved,
  onChange,
  onSaved,
  formRef,
}: {
  draft: RuleDraft;
  saved: string;
  onChange: (draft: RuleDraft) => void;
  onSaved: (name: string) => Promise<unknown>;
  formRef: RefObject<HTMLFormElement | null>;
}) {
  const trpc = useTRPC();
  const [tried, setTried] = useState(false);
  const save = useMutation(
    trpc.coaching.saveRule.mutationOptions({
      onSuccess: (rule) => {
        setTried(false);
        return onSaved(rule.name);
      },
    }),
  );
  const checked = checkRuleDraft(draft);
  // Problems show once a save was tried, then follow the typing.
  const problems = tried && !checked.ok ? checked.problems : {};
  const set = (patch: Partial<RuleDraft>) => onChange({ ...draft, ...patch });
  const invalid = (path: string) => ({
    'aria-invalid': path in problems ? ('true' as const) : undefined,
    'aria-describedby': path in problems ? problemId(path) : undefined,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (checked.ok) save.mutate(checked.rule);
  };
  const others = Object.entries(problems).filter(([path]) => !fieldPaths.includes(path));
  const c = draft.kind;
  return (
    <form ref={formRef} className="panel" onSubmit={submit} noValidate aria-labelledby="coaching-rule-form-title" data-testid="coaching-rule-form">
      <h2 id="coaching-rule-form-title">{draft.id ? 'Edit rule' : 'New rule'}</h2>
      <div className={styles.form}>
        <Field label="Name" path="name" problems={problems}>
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} maxLength={100} {...invalid('name')} />
        </Field>
        <label className={styles.check}>
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
        </label>
        <fieldset className={styles.wide}>
          <legend>When</legend>
          <label>
            Condition
            <select value={c} onChange={(e) => set({ kind: e.target.value as ConditionKind })}>
              {(Object.keys(conditionKindLabel) as ConditionKind[]).map((k) => (
                <option key={k} value={k}>
                  {conditionKindLabel[k]}
                </option>
              ))}
            </select>
          </label>
          {c === 'quality_question' && (
            <>
              <Field label="Question id" path="condition.questionId" problems={problems}>
                <input
                  value={draft.questionId}
                  onChange={(e) => set({ questionId: e.target.value })}
                  placeholder="recording_disclosure"
                  {...invalid('condition.questionId')}
                />
              </Field>
              <Field label="Failed at least (evaluations)" path="condition.failedAtLeast" problems={problems}>
                <input
                  type="number"
                  min={1}
                  step={1}
                  value={draft.failedAtLeast}
                  onChange={(e) => set({ failedAtLeast: e.target.value })}
                  {...invalid('condition.failedAtLeast')}
                />
              </Field>
              <Field label="Of the last (evaluations)" path="condition.ofLast" problems={problems}>
                <input
                  type="number"
                  min={1}
                  max={50}
                  step={1}
                  value={draft.ofLast}
                  onChange={(e) => set({ ofLast: e.target.value })}
                  {...invalid('condition.ofLast')}
                />
              </Field>
            </>
          )}
          {c === 'critical_fail' && (
            <Field label="Within the last (days)" path="condition.withinDays" problems={problems}>
              <input
                type="number"
                min={1}
                max={90}
                step={1}
                value={draft.withinDays}
                onChange={(e) => set({ withinDays: e.target.value })}
                {...invalid('condition.withinDays')}
              />
            </Field>
          )}
          {c === 'kpi' && (
            <>
              <Field label="KPI" path="condition.metric" problems={problems}>
                <select
                  value={draft.metric}
                  onChange={(e) => onChange(withMetric(draft, e.target.value as CoachingKpiMetric))}
                  {...invalid('condition.metric')}
                >
                  {coachingKpiMetrics.map((m) => (
                    <option key={m} value={m}>
                      {getCoachingKpi(m).label}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Is" path="condition.comparator" problems={problems}>
                <select value={draft.comparator} onChange={(e) => set({ comparator: e.target.value as RuleDraft['comparator'] })}>
                  <option value="above">above</option>
                  <option value="below">below</option>
                </select>
              </Field>
              <label>
                Threshold
                <select value={draft.thresholdType} onChange={(e) => set({ thresholdType: e.target.value as RuleDraft['thresholdType'] })}>
                  <option value="team_percentile">a team percentile</option>
                  <option value="value">a fixed value</option>
                </select>
              </label>
              {draft.thresholdType === 'value' ? (
                <Field
                  label={`Value${thresholdUnit(draft.metric) ? ` (${thresholdUnit(draft.metric)})` : ''}`}
                  path="condition.threshold.value"
                  problems={problems}
                >
                  <input
                    type="number"
                    min={0}
                    step="any"
                    value={draft.thresholdValue}
                    onChange={(e) => set({ thresholdValue: e.target.value })}
                    {...invalid('condition.threshold.value')}
                  />
                </Field>
              ) : (
                <Field label="Worse than this share of the team" path="condition.threshold.percentile" problems={problems}>
                  <select value={draft.percentile} onChange={(e) => set({ percentile: e.target.value as RuleDraft['percentile'] })}>
                    <option value="75">75% ({draft.comparator === 'above' ? '75th' : '25th'} percentile)</option>
                    <option value="90">90% ({draft.comparator === 'above' ? '90th' : '10th'} percentile)</option>
                  </select>
                </Field>
              )}
              <Field label="For (weeks running)" path="condition.forWeeks" problems={problems}>
                <input
                  type="number"
                  min={1}
                  max={8}
                  step={1}
                  value={draft.forWeeks}
                  onChange={(e) => set({ forWeeks: e.target.value })}
                  {...invalid('condition.forWeeks')}
                />
              </Field>
            </>
          )}
          {c === 'manual' && <p className="muted small">A manual rule never fires by itself: it is a template a person assigns by hand.</p>}
        </fieldset>
        <Field label="Tip for the agent" path="tip" problems={problems} wide>
          <textarea value={draft.tip} onChange={(e) => set({ tip: e.target.value })} maxLength={2000} {...invalid('tip')} />
        </Field>
        <Field label="Session" path="session.minutes" problems={problems}>
          <select
            value={draft.sessionMinutes}
            onChange={(e) => set({ sessionMinutes: e.target.value as RuleDraft['sessionMinutes'] })}
            {...invalid('session.minutes')}
          >
            <option value="">none</option>
            {['15', '30', '45', '60'].map((m) => (
              <option key={m} value={m}>
                {m} minutes
              </option>
            ))}
          </select>
        </Field>
        <Field label="Due after (days)" path="dueDays" problems={problems}>
          <input type="number" min={1} max={60} step={1} value={draft.dueDays} onChange={(e) => set({ dueDays: e.target.value })} {...invalid('dueDays')} />
        </Field>
        <Field label="Measure over (weeks)" path="measureWeeks" problems={problems}>
          <input
            type="number"
            min={1}
            max={12}
            step={1}
            value={draft.measureWeeks}
            onChange={(e) => set({ measureWeeks: e.target.value })}
            {...invalid('measureWeeks')}
          />
        </Field>
        {checked.ok && <p className={`muted small ${styles.wide}`}>Fires when: {describeCondition(checked.rule.condition)}.</p>}
        <div className={styles.buttons}>
          <button type="submit" disabled={save.isPending}>
            {draft.id ? 'Save rule' : 'Add rule'}
          </button>
          {draft.id && (
            <button type="button" className="ghost" onClick={() => onChange(blankRule)}>
              New rule instead
            </button>
          )}
          <span className="small" aria-live="polite">
            {saved}
          </span>
          {others.length > 0 && (
            <span className="error small" role="alert">
              {others.map(([path, message]) => `${path}: ${message}`).join('; ')}
            </span>
          )}
          {save.error && (
            <span className="error small" role="alert">
              {describeError(save.error)}
            </span>
          )}
        </div>
      </div>
    </form>
  );
}

/** A labelled field with its problem under it (space kept, so a message does not push the form about). */
function Field({
  label,
  path,
  problems,
  wide,
  children,
}: {
  label: string;
  path: string;
  problems: Record<string, string>;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`${styles.field} ${wide ? styles.wide : ''}`}>
      <label>
        {label}
        {children}
      </label>
      <span className={styles.problem} id={problemId(path)}>
        {problems[path] ?? ''}
      </span>
    </div>
  );
}
