'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { alertMetrics, alertSubjectKind, type AlertCondition, type AlertMetric, type AlertSeverity, type AlertSubjectKind } from '@switchboard/contracts';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors';
import { formatCount, formatDuration, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

/** A figure in its metric's unit: rates as percentages, waits as durations, counts. */
function formatAlertValue(metric: AlertMetric, value: number | null | undefined): string {
  const unit = alertMetrics[metric].unit;
  if (unit === 'fraction') return formatPercent(value, 0);
  if (unit === 'seconds') return formatDuration(value);
  return formatCount(value);
}

/** "SL last 30 min below 80% (clears at 85%) and Waiting above 5 (clears at 3)". */
export function describeConditions(match: 'all' | 'any', conditions: readonly AlertCondition[]): string {
  return conditions
    .map((c) => {
      const clears = c.clearThreshold === c.threshold ? '' : ` (clears at ${formatAlertValue(c.metric, c.clearThreshold)})`;
      return `${alertMetrics[c.metric].label} ${c.comparator} ${formatAlertValue(c.metric, c.threshold)}${clears}`;
    })
    .join(match === 'all' ? ' and ' : ' or ');
}

/** "Waiting 4, Longest wait 2:10": the figures that fired an incident. */
export function incidentFigures(values: Partial<Record<AlertMetric, number | null>>): string {
  return (Object.entries(values) as [AlertMetric, number | null][]).map(([m, v]) => `${alertMetrics[m].label} ${formatAlertValue(m, v)}`).join(', ');
}

const metricsOf = (kind: AlertSubjectKind) => (Object.keys(alertMetrics) as AlertMetric[]).filter((m) => alertMetrics[m].subject === kind);
/** Rates are stored as fractions and edited as percentages. */
const isRate = (m: AlertMetric) => alertMetrics[m].unit === 'fraction';
const unitOf = (m: AlertMetric) => ({ fraction: '%', seconds: 's', count: '' })[alertMetrics[m].unit];
const toInput = (m: AlertMetric, v: number) => String(isRate(m) ? Math.round(v * 1000) / 10 : v);
const fromInput = (m: AlertMetric, v: string) => (isRate(m) ? Number(v) / 100 : Number(v));

interface ConditionDraft {
  metric: AlertMetric;
  comparator: 'below' | 'above';
  threshold: string;
  clearThreshold: string;
}

interface Draft {
  id?: string;
  name: string;
  /** `queue:` (every queue), `queue:<id>`, `team:` (every team) or `team:<id>`. */
  scope: string;
  match: 'all' | 'any';
  conditions: ConditionDraft[];
  fireAfterS: string;
  clearAfterS: string;
  severity: AlertSeverity;
  enabled: boolean;
}

const firstCondition = (kind: AlertSubjectKind): ConditionDraft =>
  kind === 'queue'
    ? { metric: 'service_level_30m', comparator: 'below', threshold: '80', clearThreshold: '85' }
    : { metric: 'agents_out_of_adherence', comparator: 'above', threshold: '2', clearThreshold: '1' };

const blank: Draft = {
  name: '',
  scope: 'queue:',
  match: 'all',
  conditions: [firstCondition('queue')],
  fireAfterS: '60',
  clearAfterS: '120',
  severity: 'warning',
  enabled: true,
};

const MAX_CONDITIONS = 5;

interface Rule {
  id: string;
  name: string;
  queueId: string | null;
  teamId: string | null;
  match: 'all' | 'any';
  conditions: AlertCondition[];
  fireAfterS: number;
  clearAfterS: number;
  severity: AlertSeverity;
  enabled: boolean;
}

function draftOf(r: Rule): Draft {
  const kind = alertSubjectKind(r.conditions);
  return {
    id: r.id,
    name: r.name,
    scope: `${kind}:${(kind === 'team' ? r.teamId : r.queueId) ?? ''}`,
    match: r.match,
    conditions: r.conditions.map((c) => ({ ...c, threshold: toInput(c.metric, c.threshold), clearThreshold: toInput(c.metric, c.clearThreshold) })),
    fireAfterS: String(r.fireAfterS),
    clearAfterS: String(r.clearAfterS),
    severity: r.severity,
    enabled: r.enabled,
  };
}

/**
 * Rules for a queue, a team, every queue or every team: one to five conditions, all or any of
 * them, each with the threshold that fires and the one that clears, how long a breach must last
 * before it fires and a recovery before it clears. Supervisors and admins edit them.
 */
export function AlertRules({ queues, teams }: { queues: { id: string; name: string }[]; teams: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.wallboard.alertRules.list.queryOptions());
  const [draft, setDraft] = useState<Draft>(blank);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.wallboard.alertRules.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.wallboard.snapshot.queryKey() }),
    ]);
  const save = useMutation(trpc.wallboard.alertRules.save.mutationOptions({ onSuccess: async () => (setDraft(blank), await refresh()) }));
  const remove = useMutation(trpc.wallboard.alertRules.remove.mutationOptions({ onSuccess: refresh }));
  const queueNames = new Map(queues.map((q) => [q.id, q.name]));
  const teamNames = new Map(teams.map((t) => [t.id, t.name]));
  const kind: AlertSubjectKind = draft.scope.startsWith('team:') ? 'team' : 'queue';

  const setScope = (scope: string) => {
    const next = scope.startsWith('team:') ? 'team' : 'queue';
    setDraft({ ...draft, scope, conditions: next === kind ? draft.conditions : [firstCondition(next)] });
  };
  const setCondition = (i: number, patch: Partial<ConditionDraft>) =>
    setDraft({ ...draft, conditions: draft.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const target = draft.scope.slice(kind.length + 1) || null;
    save.mutate({
      id: draft.id,
      name: draft.name,
      queueId: kind === 'queue' ? target : null,
      teamId: kind === 'team' ? target : null,
      match: draft.match,
      conditions: draft.conditions.map((c) => ({
        metric: c.metric,
        comparator: c.comparator,
        threshold: fromInput(c.metric, c.threshold),
        clearThreshold: fromInput(c.metric, c.clearThreshold),
      })),
      fireAfterS: Number(draft.fireAfterS),
      clearAfterS: Number(draft.clearAfterS),
      severity: draft.severity,
      enabled: draft.enabled,
    });
  };

  return (
    <div className="panel" data-testid="alert-rules">
      <h2>Alert rules</h2>
      <form className="alert-rule" onSubmit={submit} aria-label={draft.id ? 'Edit alert rule' : 'New alert rule'} data-testid="alert-rule-form">
        <div className="inline-form">
          <input
            aria-label="Rule name"
            className="wide-input"
            placeholder="Name"
            required
            maxLength={100}
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
          <select aria-label="Applies to" value={draft.scope} onChange={(e) => setScope(e.target.value)}>
            <option value="queue:">Every queue</option>
            {queues.map((q) => (
              <option key={q.id} value={`queue:${q.id}`}>
                Queue: {q.name}
              </option>
            ))}
            <option value="team:">Every team</option>
            {teams.map((t) => (
              <option key={t.id} value={`team:${t.id}`}>
                Team: {t.name}
              </option>
            ))}
          </select>
          <select aria-label="Severity" value={draft.severity} onChange={(e) => setDraft({ ...draft, severity: e.target.value as AlertSeverity })}>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
          <label>
            <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} /> enabled
          </label>
        </div>
        <div className="inline-form">
          <span className="muted small">Fires when</span>
          <select aria-label="Match" value={draft.match} onChange={(e) => setDraft({ ...draft, match: e.target.value as Draft['match'] })}>
            <option value="all">all conditions hold</option>
            <option value="any">any condition holds</option>
          </select>
        </div>
        {draft.conditions.map((c, i) => (
          <fieldset key={i} className="inline-form" aria-label={`Condition ${i + 1}`} data-testid={`condition-${i + 1}`}>
            <select aria-label="Metric" value={c.metric} onChange={(e) => setCondition(i, { metric: e.target.value as AlertMetric })}>
              {metricsOf(kind).map((m) => (
                <option key={m} value={m}>
                  {alertMetrics[m].label}
                </option>
              ))}
            </select>
            <select
              aria-label="Comparator"
              value={c.comparator}
              onChange={(e) => setCondition(i, { comparator: e.target.value as ConditionDraft['comparator'] })}
            >
              <option value="below">below</option>
              <option value="above">above</option>
            </select>
            <input
              aria-label={`Threshold${unitOf(c.metric) ? ` (${unitOf(c.metric)})` : ''}`}
              type="number"
              step="any"
              min="0"
              required
              value={c.threshold}
              onChange={(e) => setCondition(i, { threshold: e.target.value })}
            />
            <span className="muted small">clears at</span>
            <input
              aria-label={`Clear threshold${unitOf(c.metric) ? ` (${unitOf(c.metric)})` : ''}`}
              type="number"
              step="any"
              min="0"
              required
              value={c.clearThreshold}
              onChange={(e) => setCondition(i, { clearThreshold: e.target.value })}
            />
            <span className="muted small">{unitOf(c.metric)}</span>
            {draft.conditions.length > 1 && (
              <button type="button" className="ghost" onClick={() => setDraft({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}>
                Remove condition
              </button>
            )}
          </fieldset>
        ))}
        <div className="inline-form">
          {draft.conditions.length < MAX_CONDITIONS && (
            <button type="button" className="ghost" onClick={() => setDraft({ ...draft, conditions: [...draft.conditions, firstCondition(kind)] })}>
              Add condition
            </button>
          )}
          <label>
            Fire after{' '}
            <input
              aria-label="Fire after (s)"
              type="number"
              min="0"
              max="3600"
              step="1"
              required
              value={draft.fireAfterS}
              onChange={(e) => setDraft({ ...draft, fireAfterS: e.target.value })}
            />{' '}
            s
          </label>
          <label>
            clear after{' '}
            <input
              aria-label="Clear after (s)"
              type="number"
              min="0"
              max="3600"
              step="1"
              required
              value={draft.clearAfterS}
              onChange={(e) => setDraft({ ...draft, clearAfterS: e.target.value })}
            />{' '}
            s
          </label>
          <button type="submit" disabled={save.isPending}>
            {draft.id ? 'Save rule' : 'Add rule'}
          </button>
          {draft.id && (
            <button type="button" className="ghost" onClick={() => setDraft(blank)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {save.error && (
        <p className="error" role="alert">
          {describeError(save.error)}
        </p>
      )}
      <table data-testid="alert-rule-list">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Applies to</th>
            <th scope="col">Conditions</th>
            <th scope="col">Timing</th>
            <th scope="col">Severity</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(rules.data ?? []).map((r) => {
            const ruleKind = alertSubjectKind(r.conditions);
            const appliesTo =
              ruleKind === 'team'
                ? r.teamId
                  ? `Team: ${teamNames.get(r.teamId) ?? r.teamId}`
                  : 'Every team'
                : r.queueId
                  ? `Queue: ${queueNames.get(r.queueId) ?? r.queueId}`
                  : 'Every queue';
            return (
              <tr key={r.id} className={r.enabled ? '' : 'muted'}>
                <td>
                  {r.name}
                  {r.enabled ? '' : ' (off)'}
                </td>
                <td>{appliesTo}</td>
                <td>{describeConditions(r.match, r.conditions)}</td>
                <td className="small">
                  fires after {formatDuration(r.fireAfterS)}, clears after {formatDuration(r.clearAfterS)}
                </td>
                <td className={r.severity}>{r.severity}</td>
                <td className="actions">
                  <button type="button" className="ghost" onClick={() => setDraft(draftOf(r))}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="ghost"
                    onClick={() => {
                      if (window.confirm(`Delete "${r.name}" and its alert history? Switch it off instead to keep the history.`)) remove.mutate({ id: r.id });
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {remove.error && (
        <p className="error" role="alert">
          {describeError(remove.error)}
        </p>
      )}
    </div>
  );
}
