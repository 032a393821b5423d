'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { AgentConfig, channels, serviceLevelThresholdsS, type CenterList } from '@switchboard/contracts';
import { useState, type FormEvent, type ReactNode } from 'react';
import { SortableTable } from '../../components/sortable-table';
import { describeError } from '../../lib/errors';
import { formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { minutesToTime, timeToMinutes } from '../planning/prepare';
import { formatWeekdays } from '../planning/schedules/setup/prepare';
import { WeekdayPicker } from '../planning/schedules/setup/weekdays';

type Center = inferRouterOutputs<AppRouter>['admin']['center']['list'];
type Row<K extends CenterList> = Center[K][number];
type Saved = inferRouterOutputs<AppRouter>['admin']['center']['save'];

const kinds: { list: CenterList; label: string; noun: string }[] = [
  { list: 'agents', label: 'Agents', noun: 'agent' },
  { list: 'teams', label: 'Teams', noun: 'team' },
  { list: 'skills', label: 'Skills', noun: 'skill' },
  { list: 'queues', label: 'Queues', noun: 'queue' },
  { list: 'bots', label: 'Bots', noun: 'bot' },
  { list: 'intents', label: 'Intents', noun: 'intent' },
];
const nounOf = (list: CenterList) => kinds.find((k) => k.list === list)!.noun;

// The ranges come from the contract the server checks against, so the form offers only what it accepts.
const proficiency = AgentConfig.shape.skills.element.shape.proficiency;
const proficiencies = Array.from({ length: (proficiency.maxValue ?? 5) - (proficiency.minValue ?? 1) + 1 }, (_, i) => (proficiency.minValue ?? 1) + i);
const concurrency = AgentConfig.shape.chat_concurrency;

/** What a problem's field is called on the form. */
const fieldLabels: Record<string, string> = {
  id: 'Id',
  name: 'Name',
  display_name: 'Name',
  team_id: 'Team',
  skills: 'Skills',
  chat_concurrency: 'Chats at once',
  shift: 'Shift',
  contractId: 'Work contract',
  channel: 'Channel',
  skill_id: 'Skill',
  sl_threshold_s: 'Answered within',
  sl_target: 'Target',
  planningGroupId: 'Planning group',
  channels: 'Channels',
  bot_id: 'Bot',
  label: 'Label',
  queue_id: 'Queue',
};

const fieldOf = (path: string) => path.split(/[.[]/)[0] ?? '';

/** `skills[0].proficiency` → "Skills #1 proficiency". */
function describeField(path: string): string {
  const [head = '', ...rest] = path.split(/[.[\]]+/).filter(Boolean);
  const detail = rest.map((p) => (/^\d+$/.test(p) ? `#${Number(p) + 1}` : p.replaceAll('_', ' '))).join(' ');
  const label = fieldLabels[head] ?? head;
  return detail ? `${label} ${detail}` : label;
}

function savedMessage(list: CenterList, saved: Saved): string {
  const what = `${nounOf(list)} ${saved.id}`;
  if (saved.created) return `Added ${what}${saved.changes.length > 0 ? ` (${saved.changes.join('; ')})` : ''}.`;
  return saved.changes.length > 0 ? `Saved ${what}: ${saved.changes.join('; ')}.` : `Saved ${what}: nothing changed.`;
}

/**
 * The center's configuration one item at a time: a table per kind, an Add and an Edit form that
 * the server checks under the import's rules (its problems shown beside the form), and removal
 * of skills, teams, bots and intents that nothing uses.
 */
export function CenterItemsPanel() {
  const trpc = useTRPC();
  const client = useQueryClient();
  const center = useQuery(trpc.admin.center.list.queryOptions());
  const [list, setList] = useState<CenterList>('agents');
  const [editing, setEditing] = useState<{ list: CenterList; id: string | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: trpc.admin.center.list.queryKey() });
    // The download and the people screen's agents and teams read the same configuration.
    await client.invalidateQueries({ queryKey: trpc.admin.exportConfig.queryKey() });
    await client.invalidateQueries({ queryKey: trpc.admin.directory.queryKey() });
  };
  const remove = useMutation(
    trpc.admin.center.remove.mutationOptions({
      onSuccess: async (_, input) => {
        setNotice(`Removed ${nounOf(input.list)} ${input.id}.`);
        await refresh();
      },
    }),
  );
  const open = (id: string | null) => {
    setNotice(null);
    remove.reset();
    setEditing({ list, id });
  };
  const removeButton = (removable: 'skills' | 'teams' | 'bots' | 'intents', id: string) => (
    <button
      type="button"
      className="ghost danger"
      aria-label={`Remove ${nounOf(removable)} ${id}`}
      onClick={() => {
        if (window.confirm(`Remove ${nounOf(removable)} ${id}? This is recorded in the audit trail.`)) {
          setNotice(null);
          remove.mutate({ list: removable, id });
        }
      }}
    >
      Remove
    </button>
  );
  const editButton = (id: string) => (
    <button type="button" className="ghost" aria-label={`Edit ${nounOf(list)} ${id}`} onClick={() => open(id)}>
      Edit
    </button>
  );

  const data = center.data;
  return (
    <section className="panel" aria-labelledby="center-items-heading">
      <h2 id="center-items-heading">Center items</h2>
      <p className="muted small">Add or change one item at a time, under the same rules as an upload; every change is recorded in the audit trail.</p>
      <div role="radiogroup" aria-label="Kind of item" className="segmented view-switch">
        {kinds.map((k) => (
          <button
            key={k.list}
            type="button"
            role="radio"
            aria-checked={list === k.list}
            className={list === k.list ? 'on' : ''}
            onClick={() => {
              setList(k.list);
              setEditing(null);
            }}
          >
            {k.label}
            {data ? ` (${data[k.list].length})` : ''}
          </button>
        ))}
      </div>
      {center.error && (
        <p className="error" role="alert">
          {describeError(center.error)}
        </p>
      )}
      {remove.error && (
        <p className="error" role="alert">
          {describeError(remove.error)}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="center-item-notice">
          {notice}
        </p>
      )}
      {(list === 'agents' || list === 'queues') && (
        <p className="muted small">{list === 'agents' ? 'Agents' : 'Queues'} cannot be removed here: interactions, schedules and evaluations refer to them.</p>
      )}
      {data && editing === null && (
        <p>
          <button type="button" onClick={() => open(null)}>
            Add {nounOf(list)}
          </button>
        </p>
      )}
      {data && editing !== null && (
        <ItemForm
          key={`${editing.list}/${editing.id ?? ''}`}
          center={data}
          list={editing.list}
          id={editing.id}
          onDone={async (message) => {
            setEditing(null);
            if (message) {
              setNotice(message);
              await refresh();
            }
          }}
        />
      )}
      {data && <ItemTable center={data} list={list} edit={editButton} remove={removeButton} />}
    </section>
  );
}

function ItemTable({
  center,
  list,
  edit,
  remove,
}: {
  center: Center;
  list: CenterList;
  edit: (id: string) => ReactNode;
  remove: (list: 'skills' | 'teams' | 'bots' | 'intents', id: string) => ReactNode;
}) {
  const actions = <T extends { id: string }>(extra?: (row: T) => ReactNode): ColumnDef<T, unknown> => ({
    header: '',
    id: 'actions',
    enableSorting: false,
    cell: ({ row }) => (
      <span className="actions">
        {edit(row.original.id)}
        {extra?.(row.original)}
      </span>
    ),
  });
  const id = { header: 'Id', accessorKey: 'id' };
  const common = { rowKey: (row: { id: string }) => row.id, testId: `center-${list}`, caption: kinds.find((k) => k.list === list)!.label };
  switch (list) {
    case 'skills': {
      const columns: ColumnDef<Row<'skills'>, unknown>[] = [
        id,
        { header: 'Name', accessorKey: 'name' },
        { header: 'Agents', accessorKey: 'agents', meta: { numeric: true } },
        { header: 'Queues', accessorKey: 'queues', meta: { numeric: true } },
        actions((s) => s.agents === 0 && s.queues === 0 && remove('skills', s.id)),
      ];
      return <SortableTable data={center.skills} columns={columns} {...common} />;
    }
    case 'teams': {
      const columns: ColumnDef<Row<'teams'>, unknown>[] = [
        id,
        { header: 'Name', accessorKey: 'name' },
        { header: 'Agents', accessorKey: 'agents', meta: { numeric: true } },
        actions((tm) => tm.agents === 0 && remove('teams', tm.id)),
      ];
      return <SortableTable data={center.teams} columns={columns} {...common} />;
    }
    case 'agents': {
      const columns: ColumnDef<Row<'agents'>, unknown>[] = [
        id,
        { header: 'Name', accessorKey: 'display_name' },
        { header: 'Team', accessorKey: 'teamName' },
        { header: 'Skills', id: 'skills', accessorFn: (a) => a.skills.map((s) => `${s.skill_id} ${s.proficiency}`).join(', ') },
        { header: 'Chats', accessorKey: 'chat_concurrency', meta: { numeric: true } },
        {
          header: 'Shift',
          id: 'shift',
          accessorFn: (a) => a.shift.start_minute,
          cell: ({ row }) => {
            const { shift } = row.original;
            return `${minutesToTime(shift.start_minute)} + ${shift.length_minutes} min, ${formatWeekdays(shift.weekdays)}`;
          },
        },
        { header: 'Work contract', id: 'contract', accessorFn: (a) => a.contractName ?? '—' },
        actions(),
      ];
      return <SortableTable data={center.agents} columns={columns} {...common} />;
    }
    case 'queues': {
      const columns: ColumnDef<Row<'queues'>, unknown>[] = [
        id,
        { header: 'Name', accessorKey: 'name' },
        { header: 'Channel', accessorKey: 'channel' },
        { header: 'Skill', accessorKey: 'skill_id' },
        { header: 'Answered within', accessorKey: 'sl_threshold_s', meta: { numeric: true }, cell: ({ row }) => `${row.original.sl_threshold_s} s` },
        { header: 'Target', accessorKey: 'sl_target', meta: { numeric: true }, cell: ({ row }) => formatPercent(row.original.sl_target, 0) },
        { header: 'Planning group', id: 'group', accessorFn: (q) => q.planningGroupName ?? '—' },
        actions(),
      ];
      return <SortableTable data={center.queues} columns={columns} {...common} />;
    }
    case 'bots': {
      const columns: ColumnDef<Row<'bots'>, unknown>[] = [
        id,
        { header: 'Name', accessorKey: 'name' },
        { header: 'Channels', id: 'channels', accessorFn: (b) => b.channels.join(', ') },
        { header: 'Intents', accessorKey: 'intents', meta: { numeric: true } },
        actions((b) => b.intents === 0 && remove('bots', b.id)),
      ];
      return <SortableTable data={center.bots} columns={columns} {...common} />;
    }
    case 'intents': {
      const columns: ColumnDef<Row<'intents'>, unknown>[] = [
        id,
        { header: 'Label', accessorKey: 'label' },
        { header: 'Bot', accessorKey: 'bot_id' },
        { header: 'Escalates to queue', accessorKey: 'queue_id' },
        actions((i) => remove('intents', i.id)),
      ];
      return <SortableTable data={center.intents} columns={columns} {...common} />;
    }
  }
}

type Draft = Record<string, string | string[]>;
type SkillDraft = { skill_id: string; proficiency: string };
type BreakDraft = { kind: 'break' | 'lunch'; offset_minutes: string; minutes: string };

/** Text as typed, so a refused save keeps what the person entered. */
function draftOf(center: Center, list: CenterList, id: string | null) {
  const agent = list === 'agents' ? center.agents.find((a) => a.id === id) : undefined;
  const queue = list === 'queues' ? center.queues.find((q) => q.id === id) : undefined;
  const bot = list === 'bots' ? center.bots.find((b) => b.id === id) : undefined;
  const intent = list === 'intents' ? center.intents.find((i) => i.id === id) : undefined;
  const named = list === 'skills' ? center.skills.find((s) => s.id === id) : list === 'teams' ? center.teams.find((tm) => tm.id === id) : undefined;
  const fields: Draft = {
    id: id ?? '',
    name: named?.name ?? queue?.name ?? bot?.name ?? '',
    display_name: agent?.display_name ?? '',
    team_id: agent?.team_id ?? center.teams[0]?.id ?? '',
    chat_concurrency: String(agent?.chat_concurrency ?? concurrency.minValue ?? 1),
    start: minutesToTime(agent?.shift.start_minute ?? 9 * 60),
    length_minutes: String(agent?.shift.length_minutes ?? 8 * 60),
    contractId: agent?.contractId ?? '',
    channel: queue?.channel ?? 'voice',
    skill_id: queue?.skill_id ?? center.skills[0]?.id ?? '',
    sl_threshold_s: String(queue?.sl_threshold_s ?? 20),
    sl_target: queue ? String(Math.round(queue.sl_target * 1000) / 10) : '80',
    planningGroupId: queue?.planningGroupId ?? '',
    channels: bot?.channels ?? ['chat'],
    bot_id: intent?.bot_id ?? center.bots[0]?.id ?? '',
    label: intent?.label ?? '',
    queue_id: intent?.queue_id ?? center.queues[0]?.id ?? '',
  };
  return {
    fields,
    skills: agent?.skills.map((s) => ({ skill_id: s.skill_id, proficiency: String(s.proficiency) })) ?? [],
    weekdays: agent?.shift.weekdays ?? [1, 2, 3, 4, 5],
    breaks: agent?.shift.breaks.map((b) => ({ kind: b.kind, offset_minutes: String(b.offset_minutes), minutes: String(b.minutes) })) ?? [],
  };
}

function ItemForm({ center, list, id, onDone }: { center: Center; list: CenterList; id: string | null; onDone: (message: string | null) => Promise<void> }) {
  const trpc = useTRPC();
  const initial = draftOf(center, list, id);
  const [fields, setFields] = useState(initial.fields);
  const [skills, setSkills] = useState<SkillDraft[]>(initial.skills);
  const [weekdays, setWeekdays] = useState<number[]>(initial.weekdays);
  const [breaks, setBreaks] = useState<BreakDraft[]>(initial.breaks);
  const save = useMutation(trpc.admin.center.save.mutationOptions({ onSuccess: (saved) => onDone(savedMessage(list, saved)) }));
  const issues = save.error?.data?.issues ?? [];
  const invalid = (field: string) => issues.some((i) => fieldOf(i.path) === field) || undefined;
  const text = (field: string) => String(fields[field] ?? '');
  const set = (field: string) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [field]: e.target.value }));
  const noun = nounOf(list);
  const agent = list === 'agents' ? center.agents.find((a) => a.id === id) : undefined;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const create = id === null;
    const base = { id: text('id').trim() };
    switch (list) {
      case 'skills':
      case 'teams':
        return save.mutate({ list, create, item: { ...base, name: text('name').trim() } });
      case 'agents': {
        const item = {
          ...base,
          display_name: text('display_name').trim(),
          team_id: text('team_id'),
          skills: skills.map((s) => ({ skill_id: s.skill_id, proficiency: Number(s.proficiency) })),
          chat_concurrency: Number(text('chat_concurrency')),
          shift: {
            start_minute: timeToMinutes(text('start')),
            length_minutes: Number(text('length_minutes')),
            weekdays,
            breaks: breaks.map((b) => ({ kind: b.kind, offset_minutes: Number(b.offset_minutes), minutes: Number(b.minutes) })),
          },
        };
        return save.mutate({ list, create, item, contractId: text('contractId') || undefined });
      }
      case 'queues': {
        const item = {
          ...base,
          name: text('name').trim(),
          channel: text('channel'),
          skill_id: text('skill_id'),
          sl_threshold_s: Number(text('sl_threshold_s')),
          sl_target: Number(text('sl_target')) / 100,
        };
        return save.mutate({ list, create, item, planningGroupId: text('planningGroupId') || null });
      }
      case 'bots':
        return save.mutate({ list, create, item: { ...base, name: text('name').trim(), channels: fields.channels as string[] } });
      case 'intents':
        return save.mutate({ list, create, item: { ...base, bot_id: text('bot_id'), label: text('label').trim(), queue_id: text('queue_id') } });
    }
  };

  const input = (field: string, label: string, props: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input name={field} value={text(field)} onChange={set(field)} aria-invalid={invalid(field)} {...props} />
    </label>
  );
  const select = (field: string, label: string, options: { value: string; label: string }[], none?: string) => (
    <label>
      {label}
      <select name={field} value={text(field)} onChange={set(field)} aria-invalid={invalid(field)}>
        {none !== undefined && <option value="">{none}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  const skillOptions = center.skills.map((s) => ({ value: s.id, label: `${s.name} (${s.id})` }));

  return (
    <form className="center-item" aria-label={id ? `Edit ${noun} ${id}` : `Add ${noun}`} onSubmit={submit} noValidate>
      <h3>{id ? `Edit ${noun} ${id}` : `Add ${noun}`}</h3>
      {id === null ? (
        input('id', 'Id', { required: true, maxLength: 63, autoFocus: true, placeholder: 'lowercase letters, digits, - and _', autoComplete: 'off' })
      ) : (
        <p className="small">
          Id <code>{id}</code> <span className="muted">(what events and uploads refer to it by; it does not change)</span>
        </p>
      )}
      {(list === 'skills' || list === 'teams' || list === 'queues' || list === 'bots') &&
        input('name', 'Name', { required: true, maxLength: 100, autoFocus: id !== null })}
      {list === 'agents' && (
        <>
          {input('display_name', 'Name', { required: true, maxLength: 100, autoFocus: id !== null })}
          {select(
            'team_id',
            'Team',
            center.teams.map((tm) => ({ value: tm.id, label: tm.name })),
          )}
          {input('chat_concurrency', 'Chats at once', { type: 'number', min: concurrency.minValue, max: concurrency.maxValue, step: 1 })}
          {select(
            'contractId',
            'Work contract (scheduling)',
            center.contracts.map((c) => ({ value: c.id, label: c.name })),
            // Rules once set are the planners' (availability, preferences): changed here, not removed.
            agent?.contractId ? undefined : '— none yet —',
          )}
          <fieldset className="wide" aria-invalid={invalid('skills')}>
            <legend>
              Skills and proficiency ({proficiencies[0]} lowest, {proficiencies.at(-1)} highest)
            </legend>
            {skills.map((s, i) => (
              <span key={i} className="actions">
                <select
                  aria-label={`Skill ${i + 1}`}
                  value={s.skill_id}
                  onChange={(e) => setSkills((all) => all.map((x, j) => (j === i ? { ...x, skill_id: e.target.value } : x)))}
                >
                  {skillOptions.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
                <select
                  aria-label={`Proficiency in skill ${i + 1}`}
                  value={s.proficiency}
                  onChange={(e) => setSkills((all) => all.map((x, j) => (j === i ? { ...x, proficiency: e.target.value } : x)))}
                >
                  {proficiencies.map((p) => (
                    <option key={p} value={String(p)}>
                      {p}
                    </option>
                  ))}
                </select>
                <button type="button" className="ghost" aria-label={`Remove skill ${i + 1}`} onClick={() => setSkills((all) => all.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </span>
            ))}
            <button
              type="button"
              className="ghost"
              onClick={() => setSkills((all) => [...all, { skill_id: center.skills[0]?.id ?? '', proficiency: String(proficiencies.at(-1)) }])}
            >
              Add a skill
            </button>
          </fieldset>
          <fieldset className="wide" aria-invalid={invalid('shift')}>
            <legend>Weekly shift</legend>
            <span className="actions">
              {input('start', 'Starts at', { type: 'time', required: true })}
              {input('length_minutes', 'Length (minutes)', { type: 'number', min: 30, step: 15 })}
            </span>
            <WeekdayPicker legend="Works on" value={weekdays} onChange={setWeekdays} />
            {breaks.map((b, i) => (
              <span key={i} className="actions">
                <select
                  aria-label={`Break ${i + 1} kind`}
                  value={b.kind}
                  onChange={(e) => setBreaks((all) => all.map((x, j) => (j === i ? { ...x, kind: e.target.value as BreakDraft['kind'] } : x)))}
                >
                  <option value="break">break</option>
                  <option value="lunch">lunch</option>
                </select>
                <label>
                  minutes after the start
                  <input
                    type="number"
                    min={0}
                    value={b.offset_minutes}
                    onChange={(e) => setBreaks((all) => all.map((x, j) => (j === i ? { ...x, offset_minutes: e.target.value } : x)))}
                  />
                </label>
                <label>
                  for minutes
                  <input
                    type="number"
                    min={1}
                    value={b.minutes}
                    onChange={(e) => setBreaks((all) => all.map((x, j) => (j === i ? { ...x, minutes: e.target.value } : x)))}
                  />
                </label>
                <button type="button" className="ghost" aria-label={`Remove break ${i + 1}`} onClick={() => setBreaks((all) => all.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </span>
            ))}
            <button type="button" className="ghost" onClick={() => setBreaks((all) => [...all, { kind: 'break', offset_minutes: '120', minutes: '15' }])}>
              Add a break
            </button>
          </fieldset>
        </>
      )}
      {list === 'queues' && (
        <>
          {select(
            'channel',
            'Channel',
            channels.map((c) => ({ value: c, label: c })),
          )}
          {select('skill_id', 'Skill', skillOptions)}
          {select(
            'sl_threshold_s',
            'Answered within (seconds)',
            serviceLevelThresholdsS.map((s) => ({ value: String(s), label: `${s} s` })),
          )}
          {input('sl_target', 'Target (% answered within)', { type: 'number', min: 1, max: 100, step: 0.1 })}
          {select(
            'planningGroupId',
            'Planning group',
            center.planningGroups.map((g) => ({ value: g.id, label: g.name })),
            '— none —',
          )}
        </>
      )}
      {list === 'bots' && (
        <fieldset className="wide" aria-invalid={invalid('channels')}>
          <legend>Channels</legend>
          <span className="actions">
            {channels.map((c) => (
              <label key={c} className="inline">
                <input
                  type="checkbox"
                  checked={(fields.channels as string[]).includes(c)}
                  onChange={(e) =>
                    setFields((f) => ({ ...f, channels: channels.filter((x) => (x === c ? e.target.checked : (f.channels as string[]).includes(x))) }))
                  }
                />
                {c}
              </label>
            ))}
          </span>
        </fieldset>
      )}
      {list === 'intents' && (
        <>
          {select(
            'bot_id',
            'Bot',
            center.bots.map((b) => ({ value: b.id, label: b.name })),
          )}
          {input('label', 'Label', { required: true, maxLength: 100 })}
          {select(
            'queue_id',
            'Escalates to queue',
            center.queues.map((q) => ({ value: q.id, label: `${q.name} (${q.id})` })),
          )}
        </>
      )}
      {issues.length > 0 ? (
        <div className="wide error" role="alert" data-testid="center-item-problems">
          <p>Not saved: {issues.length === 1 ? 'one thing' : `${issues.length} things`} to fix.</p>
          <ul>
            {issues.map((i) => (
              <li key={`${i.path}: ${i.message}`}>
                {i.path ? `${describeField(i.path)}: ` : ''}
                {i.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        save.error && (
          <p className="wide error" role="alert">
            {describeError(save.error)}
          </p>
        )
      )}
      <span className="wide actions">
        <button type="submit" disabled={save.isPending}>
          {id ? 'Save' : `Add ${noun}`}
        </button>
        <button type="button" className="ghost" onClick={() => void onDone(null)}>
          Cancel
        </button>
      </span>
    </form>
  );
}
