'use client';

import { isTimeZone } from '@switchboard/calendar';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTRPC } from '../../../../lib/trpc';
import {
  describeRefusal,
  formatStartBand,
  formatWeekdays,
  summariseAvailability,
  toRulesDraft,
  toRulesInput,
  weekdayNames,
  type DayWindowDraft,
  type RulesDraft,
  type Setup,
} from './prepare';
import styles from './setup.module.css';
import { WeekdayPicker } from './weekdays';
import { EditorActions } from './editor-actions';

const labels = {
  contractId: 'Contract',
  timezone: 'Time zone',
  availability: 'Availability',
  from: 'from',
  to: 'to',
  preferredStartFrom: 'Preferred start from',
  preferredStartTo: 'Preferred start to',
  preferredDaysOff: 'Preferred days off',
};

type Agent = Setup['agents'][number];

/**
 * Each agent's rules: a filterable table (↓ from the filter into the rows, ↑/↓ between rows, Enter opens) and a side
 * panel editing one agent's contract, time zone, availability and preferences (Escape closes it).
 */
export function AgentRules({ setup, timezone, canEdit }: { setup: Setup; timezone: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<{ agent: Agent; draft: RulesDraft } | null>(null);
  const rows = useRef<HTMLTableSectionElement>(null);
  const save = useMutation(
    trpc.schedules.setup.saveRules.mutationOptions({
      onSuccess: async (_, input) => {
        close(input.agentId);
        await queryClient.invalidateQueries({ queryKey: trpc.schedules.setup.get.queryKey() });
      },
    }),
  );
  const rulesOf = new Map(setup.rules.map((r) => [r.agentId, r]));
  const contractName = new Map(setup.contracts.map((c) => [c.id, c.name]));
  const needle = filter.trim().toLowerCase();
  const agents = setup.agents
    .filter((a) => {
      const contract = contractName.get(rulesOf.get(a.id)?.contractId ?? '') ?? '';
      return needle === '' || [a.name, a.key, a.teamName, contract].some((s) => s.toLowerCase().includes(needle));
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  const rowButtons = () => [...(rows.current?.querySelectorAll<HTMLButtonElement>('button[data-agent]') ?? [])];
  const open = (agent: Agent) => {
    save.reset();
    setEditing({ agent, draft: toRulesDraft(rulesOf.get(agent.id) ?? null, setup.contracts[0]?.id ?? '') });
  };
  // Back to the agent's row, so the keyboard carries on where it left.
  function close(agentId: string) {
    setEditing(null);
    requestAnimationFrame(() =>
      rowButtons()
        .find((b) => b.dataset.agent === agentId)
        ?.focus(),
    );
  }
  const onFilterKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      rowButtons()[0]?.focus();
    } else if (e.key === 'Enter' && agents[0]) {
      e.preventDefault();
      open(agents[0]);
    }
  };
  const onRowsKey = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = rowButtons();
    const at = buttons.indexOf(e.target as HTMLButtonElement);
    if (at < 0) return;
    e.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  };

  return (
    <div className={styles.split}>
      <div className="panel scroll-box" data-testid="setup-rules">
        <h2>Agents&rsquo; rules</h2>
        <div className="inline-form">
          <input
            type="search"
            className={styles.filter}
            aria-label="Filter agents"
            placeholder="Filter by name, team or contract"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={onFilterKey}
          />
          <span className="muted small" data-testid="rules-count">
            {agents.length} of {setup.agents.length} agents
          </span>
        </div>
        <div className="table-wrap">
          <table className="compact">
            <caption className="sr-only">Agents and their scheduling rules</caption>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Contract</th>
                <th scope="col">Time zone</th>
                <th scope="col">Preferred start</th>
                <th scope="col">Preferred days off</th>
                <th scope="col">Availability</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody ref={rows} onKeyDown={onRowsKey}>
              {agents.map((a) => {
                const r = rulesOf.get(a.id);
                return (
                  <tr key={a.id} data-testid="agent-rules" data-agent={a.key} className={editing?.agent.id === a.id ? 'chosen' : undefined}>
                    <td>
                      {a.name} <span className="muted small">{a.teamName}</span>
                    </td>
                    {r ? (
                      <>
                        <td>{contractName.get(r.contractId) ?? ''}</td>
                        <td className="small">{r.timezone ?? <span className="muted">tenant’s</span>}</td>
                        <td data-testid="agent-start-band">{formatStartBand(r.preferredStartFrom, r.preferredStartTo)}</td>
                        <td>{r.preferredDaysOff.length === 0 ? <span className="muted">—</span> : formatWeekdays(r.preferredDaysOff)}</td>
                        <td className="small">{summariseAvailability(r.availability)}</td>
                      </>
                    ) : (
                      <td colSpan={5} className="muted">
                        No rules yet: not scheduled
                      </td>
                    )}
                    <td className="num">
                      <button
                        type="button"
                        className="ghost small"
                        data-agent={a.id}
                        onClick={() => open(a)}
                        aria-label={`${canEdit ? 'Edit' : 'View'} the rules of ${a.name}`}
                      >
                        {canEdit ? 'Edit' : 'View'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
      {editing && (
        <RulesEditor
          key={editing.agent.id}
          setup={setup}
          agent={editing.agent}
          draft={editing.draft}
          timezone={timezone}
          onChange={(draft) => setEditing({ ...editing, draft })}
          onSubmit={() => save.mutate(toRulesInput(editing.agent.id, editing.draft))}
          onClose={() => close(editing.agent.id)}
          canEdit={canEdit}
          saving={save.isPending}
          error={save.error ? describeRefusal(save.error, labels) : null}
        />
      )}
    </div>
  );
}

function RulesEditor({
  setup,
  agent,
  draft,
  timezone,
  onChange,
  onSubmit,
  onClose,
  canEdit,
  saving,
  error,
}: {
  setup: Setup;
  agent: Agent;
  draft: RulesDraft;
  timezone: string;
  onChange: (draft: RulesDraft) => void;
  onSubmit: () => void;
  onClose: () => void;
  canEdit: boolean;
  saving: boolean;
  error: string | null;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const set = (fields: Partial<RulesDraft>) => onChange({ ...draft, ...fields });
  const setDay = (d: number, fields: Partial<DayWindowDraft>) => set({ days: draft.days.map((w, i) => (i === d ? { ...w, ...fields } : w)) });
  const zone = draft.timezone.trim();
  const badZone = zone !== '' && !isTimeZone(zone);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!badZone) onSubmit();
  };
  return (
    <form
      className={`panel ${styles.editor} ${styles.side}`}
      aria-label={`Rules of ${agent.name}`}
      onSubmit={submit}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
      data-testid="rules-editor"
    >
      <div className="page-head">
        <h2 ref={heading} tabIndex={-1}>
          {agent.name}
        </h2>
        <span className="muted small">{agent.teamName}</span>
      </div>
      <fieldset className={styles.fieldset} disabled={!canEdit}>
        <div className={styles.fields}>
          <label>
            Contract
            <select required value={draft.contractId} onChange={(e) => set({ contractId: e.target.value })}>
              {setup.contracts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.minHours}–{c.maxHours} h)
                </option>
              ))}
            </select>
          </label>
          <label>
            Time zone (empty: {timezone})
            <input
              type="text"
              placeholder={timezone}
              value={draft.timezone}
              aria-invalid={badZone}
              aria-describedby={badZone ? 'rules-zone-error' : undefined}
              onChange={(e) => set({ timezone: e.target.value })}
            />
          </label>
        </div>
        {badZone && (
          <p className="error small" id="rules-zone-error">
            &ldquo;{zone}&rdquo; is not an IANA time zone such as Europe/Berlin
          </p>
        )}

        <h3 className="sub">Availability (local clock; an end at or before the start is the next day)</h3>
        <label className="check small">
          <input type="checkbox" checked={draft.anyTime} onChange={(e) => set({ anyTime: e.target.checked })} /> Available any time, every day
        </label>
        {!draft.anyTime && (
          <table className={`compact ${styles.grid}`} data-testid="rules-availability">
            <caption className="sr-only">Availability per weekday</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Works</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
              </tr>
            </thead>
            <tbody>
              {weekdayNames.map((name, d) => {
                const day = draft.days[d]!;
                return (
                  <tr key={name}>
                    <th scope="row" title={name}>
                      {name.slice(0, 3)}
                    </th>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Works on ${name}`}
                        checked={day.available}
                        onChange={(e) => setDay(d, { available: e.target.checked })}
                      />
                    </td>
                    <td>
                      <input
                        type="time"
                        required={day.available}
                        disabled={!day.available}
                        aria-label={`${name} from`}
                        value={day.from}
                        onChange={(e) => setDay(d, { from: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        type="time"
                        required={day.available}
                        disabled={!day.available}
                        aria-label={`${name} to`}
                        value={day.to}
                        onChange={(e) => setDay(d, { to: e.target.value })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}

        <h3 className="sub">Preferences</h3>
        <div className={styles.fields}>
          <label>
            Preferred start from
            <input type="time" value={draft.preferredFrom} onChange={(e) => set({ preferredFrom: e.target.value })} />
          </label>
          <label>
            Preferred start to
            <input type="time" value={draft.preferredTo} onChange={(e) => set({ preferredTo: e.target.value })} />
          </label>
        </div>
        <WeekdayPicker legend="Preferred days off" value={draft.preferredDaysOff} onChange={(preferredDaysOff) => set({ preferredDaysOff })} />
      </fieldset>
      {setup.contracts.length === 0 && <p className="muted small">Add a contract first: every agent is scheduled under one.</p>}
      {error && (
        <p className="error" role="alert" data-testid="rules-error">
          {error}
        </p>
      )}
      <EditorActions canEdit={canEdit} saving={saving} disabled={badZone || setup.contracts.length === 0} label="Save rules" onClose={onClose} />
    </form>
  );
}
