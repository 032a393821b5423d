'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../../lib/trpc';
import type { Overview } from '../../prepare';
import { describeRefusal, type Setup } from './prepare';
import styles from './setup.module.css';
import { EditorActions } from './editor-actions';

interface GroupDraft {
  /** A saved group keeps its key: the API saves by key, so a new key would make a second group. */
  existing: boolean;
  key: string;
  name: string;
  queueIds: string[];
}

const labels = { key: 'Key', name: 'Name', queueIds: 'Queues' };

/** Planning groups: the queues one schedule staffs together. */
export function PlanningGroups({ setup, queues, canEdit }: { setup: Setup; queues: Overview['queues']; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<GroupDraft | null>(null);
  const save = useMutation(
    trpc.schedules.setup.saveGroup.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await queryClient.invalidateQueries({ queryKey: trpc.schedules.setup.get.queryKey() });
        // The schedules page lists the groups too.
        await queryClient.invalidateQueries({ queryKey: trpc.schedules.overview.queryKey() });
      },
    }),
  );
  const queueName = new Map(queues.map((q) => [q.id, q.name]));
  const groupOf = new Map(setup.groups.flatMap((g) => g.queueIds.map((q) => [q, g] as const)));
  const open = (next: GroupDraft) => (save.reset(), setDraft(next));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate({ key: draft.key.trim(), name: draft.name, queueIds: draft.queueIds });
  };

  return (
    <div className="panel" data-testid="setup-groups">
      <h2>Planning groups</h2>
      <p className="muted small">A planning group gathers the queues one schedule staffs: their requirements add up, and its agents cover them together.</p>
      {setup.groups.length === 0 ? (
        <p className="muted">No planning groups yet.</p>
      ) : (
        <table className="compact">
          <caption className="sr-only">Planning groups</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Name</th>
              <th scope="col">Queues</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {setup.groups.map((g) => (
              <tr key={g.id} data-testid="setup-group" data-key={g.key}>
                <td className="mono">{g.key}</td>
                <td>{g.name}</td>
                <td className="small">{g.queueIds.map((q) => queueName.get(q) ?? q).join(', ') || <span className="muted">none</span>}</td>
                <td className="num">
                  <button
                    type="button"
                    className="ghost small"
                    onClick={() => open({ existing: true, key: g.key, name: g.name, queueIds: [...g.queueIds] })}
                    aria-label={`${canEdit ? 'Edit' : 'View'} ${g.name}`}
                  >
                    {canEdit ? 'Edit' : 'View'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && !draft && (
        <p>
          <button type="button" className="ghost" onClick={() => open({ existing: false, key: '', name: '', queueIds: [] })}>
            Add a planning group
          </button>
        </p>
      )}
      {draft && (
        <form className={`panel ${styles.editor}`} aria-label="Planning group" onSubmit={submit}>
          <h3 className="sub">{draft.existing ? `Planning group ${draft.name}` : 'New planning group'}</h3>
          <fieldset className={styles.fieldset} disabled={!canEdit}>
            <div className={styles.fields}>
              <label>
                Key
                <input type="text" required value={draft.key} disabled={draft.existing} onChange={(e) => setDraft({ ...draft, key: e.target.value })} />
              </label>
              <label>
                Name
                <input type="text" required maxLength={100} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
              </label>
            </div>
            <fieldset className={styles.days}>
              <legend>Queues (a queue is in one group at most: ticking one of another group moves it here)</legend>
              {queues.map((q) => {
                const other = groupOf.get(q.id);
                const elsewhere = other && other.key !== draft.key ? other : null;
                return (
                  <label key={q.id}>
                    <input
                      type="checkbox"
                      checked={draft.queueIds.includes(q.id)}
                      onChange={(e) =>
                        setDraft({ ...draft, queueIds: e.target.checked ? [...draft.queueIds, q.id] : draft.queueIds.filter((id) => id !== q.id) })
                      }
                    />
                    {q.name}
                    {elsewhere && <span className="muted small">(in {elsewhere.name})</span>}
                  </label>
                );
              })}
            </fieldset>
          </fieldset>
          {save.error && (
            <p className="error" role="alert" data-testid="group-error">
              {describeRefusal(save.error, labels)}
            </p>
          )}
          <EditorActions canEdit={canEdit} saving={save.isPending} label="Save group" onClose={() => setDraft(null)} />
        </form>
      )}
    </div>
  );
}
