'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../lib/errors';
import { useSession } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { describeTargets, type Plan } from './prepare';
import styles from './quality.module.css';

const blank: Omit<Plan, 'queues' | 'teams' | 'updatedAt'> = {
  key: '',
  name: '',
  formKey: 'standard',
  queueIds: [],
  teamIds: [],
  reviewPercent: 2,
  minReviewsPerAgentWeek: 1,
  targets: { transfer: true, ahtAboveP90: true, csatAtMost: 2, endedOnHold: true },
  active: true,
};

/** Evaluation plans: which interactions each form scores, and which go to an analyst. */
export function Plans() {
  const trpc = useTRPC();
  const role = useSession().data?.role;
  const canEdit = role === 'admin' || role === 'analyst';
  const plans = useQuery(trpc.quality.plans.list.queryOptions());
  const [editing, setEditing] = useState<typeof blank | null>(null);
  return (
    <>
      <div className="panel">
        <h2>Evaluation plans</h2>
        <p className="muted small">
          Every ended interaction a plan covers is scored automatically. An analyst sees the unsure ones, the targeted ones, each agent’s weekly minimum and a
          random share.
        </p>
        {plans.error && (
          <p className="error" role="alert">
            {plans.error.message}
          </p>
        )}
        {plans.data && (
          <div className="table-wrap">
            <table data-testid="plans">
              <thead>
                <tr>
                  <th scope="col">Plan</th>
                  <th scope="col">Form</th>
                  <th scope="col">Covers</th>
                  <th scope="col" className="num">
                    Random share
                  </th>
                  <th scope="col" className="num">
                    Minimum a week
                  </th>
                  <th scope="col">Targets</th>
                  <th scope="col">Active</th>
                  {canEdit && <th scope="col" />}
                </tr>
              </thead>
              <tbody>
                {plans.data.map((p) => (
                  <tr key={p.key}>
                    <td>{p.name}</td>
                    <td>{p.formKey}</td>
                    <td>{[p.queues.length > 0 ? p.queues.join(', ') : 'all queues', p.teams.length > 0 ? p.teams.join(', ') : 'all teams'].join(' · ')}</td>
                    <td className="num">{p.reviewPercent}%</td>
                    <td className="num">{p.minReviewsPerAgentWeek}</td>
                    <td>{describeTargets(p.targets)}</td>
                    <td>{p.active ? 'yes' : 'no'}</td>
                    {canEdit && (
                      <td>
                        <button type="button" className="ghost" onClick={() => setEditing(p)}>
                          Edit
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canEdit && !editing && (
          <button type="button" onClick={() => setEditing(blank)}>
            New plan
          </button>
        )}
      </div>
      {editing && <PlanEditor plan={editing} onDone={() => setEditing(null)} />}
    </>
  );
}

function PlanEditor({ plan, onDone }: { plan: typeof blank; onDone: () => void }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const trends = useQuery(trpc.quality.trends.queryOptions({ weeks: 1, by: 'team' }));
  const [draft, setDraft] = useState(plan);
  const save = useMutation(
    trpc.quality.plans.save.mutationOptions({
      onSuccess: async () => {
        await client.invalidateQueries({ queryKey: trpc.quality.plans.pathKey() });
        onDone();
      },
    }),
  );
  const queues = trends.data?.scope.queues ?? [];
  const teams = trends.data?.scope.teams ?? [];
  const set = <K extends keyof typeof blank>(key: K, value: (typeof blank)[K]) => setDraft({ ...draft, [key]: value });
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  const target = <K extends keyof typeof blank.targets>(key: K, value: (typeof blank.targets)[K]) => set('targets', { ...draft.targets, [key]: value });
  return (
    <form
      className="panel"
      aria-label="Evaluation plan"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(draft);
      }}
    >
      <h2>{plan.key ? `Plan “${plan.name}”` : 'New plan'}</h2>
      <div className={styles.filters}>
        <label>
          Key
          <input value={draft.key} onChange={(e) => set('key', e.target.value)} required disabled={plan.key !== ''} pattern="[a-z][a-z0-9-]*" />
        </label>
        <label>
          Name
          <input value={draft.name} onChange={(e) => set('name', e.target.value)} required maxLength={120} />
        </label>
        <label>
          Form
          <input value={draft.formKey} onChange={(e) => set('formKey', e.target.value)} required />
        </label>
        <label>
          Random share (%)
          <input type="number" min={0} max={100} step={0.5} value={draft.reviewPercent} onChange={(e) => set('reviewPercent', Number(e.target.value))} />
        </label>
        <label>
          Minimum per agent a week
          <input type="number" min={0} max={50} value={draft.minReviewsPerAgentWeek} onChange={(e) => set('minReviewsPerAgentWeek', Number(e.target.value))} />
        </label>
      </div>
      <fieldset className="check">
        <legend>Targets: an analyst sees every interaction that…</legend>
        <label>
          <input type="checkbox" checked={draft.targets.transfer === true} onChange={(e) => target('transfer', e.target.checked)} /> was transferred
        </label>
        <label>
          <input type="checkbox" checked={draft.targets.hold === true} onChange={(e) => target('hold', e.target.checked)} /> had a hold
        </label>
        <label>
          <input type="checkbox" checked={draft.targets.endedOnHold === true} onChange={(e) => target('endedOnHold', e.target.checked)} /> ended with the
          customer on hold
        </label>
        <label>
          <input type="checkbox" checked={draft.targets.ahtAboveP90 === true} onChange={(e) => target('ahtAboveP90', e.target.checked)} /> took longer than 90%
          of its queue’s
        </label>
        <label>
          <input type="checkbox" checked={draft.targets.csatAtMost !== undefined} onChange={(e) => target('csatAtMost', e.target.checked ? 2 : undefined)} />{' '}
          got a survey CSAT of at most{' '}
          <input
            type="number"
            aria-label="CSAT at most"
            min={1}
            max={5}
            value={draft.targets.csatAtMost ?? 2}
            disabled={draft.targets.csatAtMost === undefined}
            onChange={(e) => target('csatAtMost', Number(e.target.value))}
          />
        </label>
      </fieldset>
      <div className="two-col">
        <fieldset>
          <legend>Queues (none picked: all)</legend>
          <ul className={styles.pickList}>
            {queues.map((q) => (
              <li key={q.id}>
                <label>
                  <input type="checkbox" checked={draft.queueIds.includes(q.id)} onChange={() => set('queueIds', toggle(draft.queueIds, q.id))} /> {q.name}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset>
          <legend>Teams (none picked: all)</legend>
          <ul className={styles.pickList}>
            {teams.map((t) => (
              <li key={t.id}>
                <label>
                  <input type="checkbox" checked={draft.teamIds.includes(t.id)} onChange={() => set('teamIds', toggle(draft.teamIds, t.id))} /> {t.name}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.active} onChange={(e) => set('active', e.target.checked)} /> Active
      </label>
      <div className="inline-form">
        <button type="submit" disabled={save.isPending}>
          Save plan
        </button>
        <button type="button" className="ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
      {save.error && (
        <p className="error" role="alert">
          {describeError(save.error)}
        </p>
      )}
    </form>
  );
}
