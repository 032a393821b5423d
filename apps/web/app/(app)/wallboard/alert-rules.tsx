'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WallboardQueue } from '@switchboard/api';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../lib/trpc';

export const metricLabel = {
  service_level_30m: 'SL last 30 min',
  service_level_today: 'SL today',
  longest_wait_s: 'Longest wait',
  waiting: 'Waiting',
  abandon_rate_today: 'Abandonment today',
} as const;
type Metric = keyof typeof metricLabel;

/** Rates are stored as fractions and edited as percentages; waits in seconds; waiting as a count. */
const isRate = (m: Metric) => m.startsWith('service_level') || m.startsWith('abandon_rate');

interface Draft {
  id?: string;
  queueId: string;
  metric: Metric;
  comparator: 'below' | 'above';
  threshold: string;
  severity: 'warning' | 'critical';
}

const blank: Draft = { queueId: '', metric: 'service_level_30m', comparator: 'below', threshold: '80', severity: 'warning' };

/** Threshold rules per queue (or for all queues), editable by supervisors and admins. */
export function AlertRules({ queues }: { queues: WallboardQueue[] }) {
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
  const names = new Map(queues.map((q) => [q.id, q.name]));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = Number(draft.threshold);
    save.mutate({
      id: draft.id,
      queueId: draft.queueId || null,
      metric: draft.metric,
      comparator: draft.comparator,
      severity: draft.severity,
      threshold: isRate(draft.metric) ? value / 100 : value,
    });
  };
  const unit = isRate(draft.metric) ? '%' : draft.metric === 'longest_wait_s' ? 's' : 'contacts';

  return (
    <div className="panel" data-testid="alert-rules">
      <h2>Alert rules</h2>
      <form className="inline-form" onSubmit={submit} aria-label={draft.id ? 'Edit alert rule' : 'New alert rule'}>
        <select aria-label="Queue" value={draft.queueId} onChange={(e) => setDraft({ ...draft, queueId: e.target.value })}>
          <option value="">All queues</option>
          {queues.map((q) => (
            <option key={q.id} value={q.id}>
              {q.name}
            </option>
          ))}
        </select>
        <select aria-label="Metric" value={draft.metric} onChange={(e) => setDraft({ ...draft, metric: e.target.value as Metric })}>
          {(Object.keys(metricLabel) as Metric[]).map((m) => (
            <option key={m} value={m}>
              {metricLabel[m]}
            </option>
          ))}
        </select>
        <select aria-label="Comparator" value={draft.comparator} onChange={(e) => setDraft({ ...draft, comparator: e.target.value as Draft['comparator'] })}>
          <option value="below">below</option>
          <option value="above">above</option>
        </select>
        <input
          aria-label={`Threshold (${unit})`}
          type="number"
          step="any"
          min="0"
          required
          value={draft.threshold}
          onChange={(e) => setDraft({ ...draft, threshold: e.target.value })}
        />
        <span className="muted small">{unit}</span>
        <select aria-label="Severity" value={draft.severity} onChange={(e) => setDraft({ ...draft, severity: e.target.value as Draft['severity'] })}>
          <option value="warning">warning</option>
          <option value="critical">critical</option>
        </select>
        <button type="submit" disabled={save.isPending}>
          {draft.id ? 'Save rule' : 'Add rule'}
        </button>
        {draft.id && (
          <button type="button" className="ghost" onClick={() => setDraft(blank)}>
            Cancel
          </button>
        )}
      </form>
      {save.error && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">Rule</th>
            <th scope="col">Severity</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(rules.data ?? []).map((r) => (
            <tr key={r.id}>
              <td>{r.queueId ? (names.get(r.queueId) ?? r.queueId) : 'All queues'}</td>
              <td>
                {metricLabel[r.metric]} {r.comparator} {isRate(r.metric) ? `${Math.round(r.threshold * 1000) / 10}%` : r.threshold}
                {r.metric === 'longest_wait_s' ? ' s' : ''}
              </td>
              <td className={r.severity}>{r.severity}</td>
              <td className="actions">
                <button
                  type="button"
                  className="ghost"
                  onClick={() =>
                    setDraft({
                      id: r.id,
                      queueId: r.queueId ?? '',
                      metric: r.metric,
                      comparator: r.comparator,
                      severity: r.severity,
                      threshold: String(isRate(r.metric) ? Math.round(r.threshold * 1000) / 10 : r.threshold),
                    })
                  }
                >
                  Edit
                </button>
                <button type="button" className="ghost" onClick={() => remove.mutate({ id: r.id })}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
