'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../../lib/trpc';
import { describeRefusal, type Setup } from './prepare';
import styles from './setup.module.css';

/** The tenant's scheduling settings: whether agreed swaps need a planner, and how long agents have to acknowledge. */
export function ScheduleSettings({ setup, canEdit }: { setup: Setup; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stored = { autoApproveSwaps: setup.settings.autoApproveSwaps, acknowledgeDays: String(setup.settings.acknowledgeDays) };
  const [draft, setDraft] = useState<typeof stored | null>(null);
  const value = draft ?? stored;
  const save = useMutation(
    trpc.schedules.setup.saveSettings.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await queryClient.invalidateQueries({ queryKey: trpc.schedules.setup.get.queryKey() });
      },
    }),
  );
  const change = (next: typeof stored) => (save.reset(), setDraft(next));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ autoApproveSwaps: value.autoApproveSwaps, acknowledgeDays: value.acknowledgeDays.trim() === '' ? NaN : Number(value.acknowledgeDays) });
  };
  return (
    <form className={`panel ${styles.block}`} aria-label="Schedule settings" onSubmit={submit} data-testid="setup-settings">
      <h2>Settings</h2>
      <fieldset className={styles.fieldset} disabled={!canEdit}>
        <div className={styles.fields}>
          <label className="check">
            <input type="checkbox" checked={value.autoApproveSwaps} onChange={(e) => change({ ...value, autoApproveSwaps: e.target.checked })} />
            Approve swaps both agents agreed to without a planner (both contracts are still checked)
          </label>
        </div>
        <div className={styles.fields}>
          <label>
            Days agents have to acknowledge a published schedule
            <input type="number" required value={value.acknowledgeDays} onChange={(e) => change({ ...value, acknowledgeDays: e.target.value })} />
          </label>
        </div>
      </fieldset>
      {save.error && (
        <p className="error" role="alert" data-testid="settings-error">
          {describeRefusal(save.error, { autoApproveSwaps: 'Auto-approve swaps', acknowledgeDays: 'Days to acknowledge' })}
        </p>
      )}
      {canEdit && (
        <div className={styles.actions}>
          <button type="submit" disabled={save.isPending || draft === null}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      )}
    </form>
  );
}
