'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../../lib/trpc';
import { describeRefusal, formatWeekdays, toContractDraft, toContractInput, type ContractDraft, type Setup } from './prepare';
import styles from './setup.module.css';
import { WeekdayPicker } from './weekdays';
import { EditorActions } from './editor-actions';

const labels = {
  name: 'Name',
  minHours: 'Minimum paid hours',
  maxHours: 'Maximum paid hours',
  minRestMin: 'Rest between shifts',
  maxConsecutiveDays: 'Consecutive days',
  daysOffPerWeek: 'Days off a week',
  fixedDaysOff: 'Fixed days off',
};

/** The work rules agents are scheduled under: paid hours a week, rest, consecutive days, days off. */
export function Contracts({ setup, canEdit }: { setup: Setup; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ContractDraft | null>(null);
  const save = useMutation(
    trpc.schedules.setup.saveContract.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await queryClient.invalidateQueries({ queryKey: trpc.schedules.setup.get.queryKey() });
      },
    }),
  );
  const agentsOn = (contractId: string) => setup.rules.filter((r) => r.contractId === contractId).length;
  const open = (next: ContractDraft) => (save.reset(), setDraft(next));
  const taken = draft !== null && setup.contracts.some((c) => c.id !== draft.id && c.name === draft.name.trim());
  const set = (fields: Partial<ContractDraft>) => draft && setDraft({ ...draft, ...fields });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft && !taken) save.mutate(toContractInput(draft));
  };
  const error = taken && draft ? `a contract named “${draft.name.trim()}” exists` : save.error ? describeRefusal(save.error, labels) : null;

  return (
    <div className="panel" data-testid="setup-contracts">
      <h2>Contracts</h2>
      <p className="muted small">A week&rsquo;s paid hours count every shift less its unpaid breaks, and paid time off.</p>
      {setup.contracts.length === 0 ? (
        <p className="muted">No contracts yet.</p>
      ) : (
        <table className="compact">
          <caption className="sr-only">Contracts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Paid hours a week
              </th>
              <th scope="col" className="num">
                Rest between shifts
              </th>
              <th scope="col" className="num">
                Consecutive days
              </th>
              <th scope="col" className="num">
                Days off a week
              </th>
              <th scope="col">Fixed days off</th>
              <th scope="col" className="num">
                Agents
              </th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {setup.contracts.map((c) => (
              <tr key={c.id} data-testid="setup-contract" data-name={c.name}>
                <td>{c.name}</td>
                <td className="num">
                  {c.minHours}–{c.maxHours} h
                </td>
                <td className="num">at least {Number((c.minRestMin / 60).toFixed(2))} h</td>
                <td className="num">at most {c.maxConsecutiveDays}</td>
                <td className="num">{c.daysOffPerWeek}</td>
                <td>{c.fixedDaysOff.length === 0 ? <span className="muted">rotating</span> : formatWeekdays(c.fixedDaysOff)}</td>
                <td className="num">{agentsOn(c.id)}</td>
                <td className="num">
                  <button type="button" className="ghost small" onClick={() => open(toContractDraft(c))} aria-label={`${canEdit ? 'Edit' : 'View'} ${c.name}`}>
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
          <button type="button" className="ghost" onClick={() => open(toContractDraft(null))}>
            Add a contract
          </button>
        </p>
      )}
      {draft && (
        <form className={`panel ${styles.editor}`} aria-label="Contract" onSubmit={submit}>
          <h3 className="sub">{draft.id ? `Contract ${draft.name}` : 'New contract'}</h3>
          <fieldset className={styles.fieldset} disabled={!canEdit}>
            <div className={styles.fields}>
              <label>
                Name
                <input type="text" required maxLength={60} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
              </label>
              <label>
                Min paid hours a week
                <input type="number" required step="any" value={draft.minHours} onChange={(e) => set({ minHours: e.target.value })} />
              </label>
              <label>
                Max paid hours a week
                <input type="number" required step="any" value={draft.maxHours} onChange={(e) => set({ maxHours: e.target.value })} />
              </label>
              <label>
                Min rest between shifts (h)
                <input type="number" required step="any" value={draft.minRestHours} onChange={(e) => set({ minRestHours: e.target.value })} />
              </label>
              <label>
                Max consecutive days
                <input type="number" required value={draft.maxConsecutiveDays} onChange={(e) => set({ maxConsecutiveDays: e.target.value })} />
              </label>
              <label>
                Days off a week
                <input type="number" required value={draft.daysOffPerWeek} onChange={(e) => set({ daysOffPerWeek: e.target.value })} />
              </label>
            </div>
            <WeekdayPicker legend="Fixed days off (none: they rotate)" value={draft.fixedDaysOff} onChange={(fixedDaysOff) => set({ fixedDaysOff })} />
          </fieldset>
          {error && (
            <p className="error" role="alert" data-testid="contract-error">
              {error}
            </p>
          )}
          <EditorActions canEdit={canEdit} saving={save.isPending} label="Save contract" onClose={() => setDraft(null)} />
        </form>
      )}
    </div>
  );
}
