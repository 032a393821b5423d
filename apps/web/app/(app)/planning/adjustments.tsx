'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors';
import { formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { DetectedDays, HolidayCalendar } from './detected-days';
import { formatDate, minutesToTime, timeToMinutes, type Overview, type StaffingSetting } from './prepare';

const NEXT_RUN = 'Changes apply to the next forecast run; versions already published keep their numbers.';

/** What planners tell the forecast: unusual days for every queue, and corrections per queue. */
export function Adjustments({ overview, canEdit }: { overview: Overview; canEdit: boolean }) {
  return (
    <>
      <p className="muted" data-testid="next-run-note">
        {NEXT_RUN}
      </p>
      <div className="two-col even">
        <SpecialDays canEdit={canEdit} />
        <DetectedDays overview={overview} canEdit={canEdit} />
      </div>
      <div className="two-col even">
        <HolidayCalendar overview={overview} canEdit={canEdit} />
        <Settings overview={overview} canEdit={canEdit} />
      </div>
      <Overrides overview={overview} canEdit={canEdit} />
    </>
  );
}

interface DayDraft {
  date: string;
  label: string;
  effect: 'exclude' | 'multiply';
  multiplier: string;
  recursYearly: boolean;
}
const blankDay: DayDraft = { date: '', label: '', effect: 'multiply', multiplier: '0.5', recursYearly: false };

function SpecialDays({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const days = useQuery(trpc.planning.specialDays.list.queryOptions());
  const [draft, setDraft] = useState<DayDraft>(blankDay);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.planning.specialDays.list.queryKey() });
  const save = useMutation(trpc.planning.specialDays.save.mutationOptions({ onSuccess: async () => (setDraft(blankDay), await refresh()) }));
  const remove = useMutation(trpc.planning.specialDays.remove.mutationOptions({ onSuccess: refresh }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      date: draft.date,
      label: draft.label,
      effect: draft.effect,
      multiplier: draft.effect === 'multiply' ? Number(draft.multiplier) : null,
      recursYearly: draft.recursYearly,
    });
  };
  const error = save.error ?? remove.error ?? days.error;
  return (
    <div className="panel" data-testid="special-days">
      <h2>Special days</h2>
      <p className="muted small">
        For every queue. <em>Scale</em>: the day&rsquo;s forecast is multiplied (0.4 for a holiday, 0 when closed), and in the history it is scaled back to an
        ordinary day. <em>Exclude</em>: an unusual past day (an outage) is left out of the history forecasts learn from.
      </p>
      {canEdit && (
        <form className="inline-form" aria-label="Add a special day" onSubmit={submit}>
          <input type="date" aria-label="Date" required value={draft.date} onChange={(e) => setDraft({ ...draft, date: e.target.value })} />
          <input
            aria-label="Label"
            placeholder="Label, e.g. Boxing Day"
            required
            maxLength={200}
            value={draft.label}
            onChange={(e) => setDraft({ ...draft, label: e.target.value })}
            className="wide-input"
          />
          <select aria-label="Effect" value={draft.effect} onChange={(e) => setDraft({ ...draft, effect: e.target.value as DayDraft['effect'] })}>
            <option value="multiply">scale volume by</option>
            <option value="exclude">exclude from history</option>
          </select>
          {draft.effect === 'multiply' && (
            <input
              type="number"
              aria-label="Multiplier"
              min={0}
              max={10}
              step="any"
              required
              value={draft.multiplier}
              onChange={(e) => setDraft({ ...draft, multiplier: e.target.value })}
            />
          )}
          <label className="small">
            <input type="checkbox" checked={draft.recursYearly} onChange={(e) => setDraft({ ...draft, recursYearly: e.target.checked })} /> every year
          </label>
          <button type="submit" disabled={save.isPending}>
            Add day
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      )}
      {days.data && days.data.length === 0 ? (
        <p className="muted" data-testid="special-days-empty">
          No special days. {canEdit ? 'Add holidays and outages above; a date saved again replaces its entry.' : ''}
        </p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Label</th>
              <th scope="col">Effect</th>
              {canEdit && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {(days.data ?? []).map((d) => (
              <tr key={d.id} data-testid="special-day">
                <td>
                  {formatDate(d.date)}
                  {d.recursYearly && <span className="muted small"> · every year</span>}
                </td>
                <td>{d.label}</td>
                <td>{d.effect === 'multiply' ? `volume × ${d.multiplier}` : 'excluded from history'}</td>
                {canEdit && (
                  <td className="num">
                    <button type="button" className="ghost" onClick={() => remove.mutate({ id: d.id })} aria-label={`Remove ${d.label} on ${d.date}`}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

interface OverrideDraft {
  queueId: string;
  fromDate: string;
  toDate: string;
  fromTime: string;
  toTime: string;
  kind: 'set' | 'multiply';
  value: string;
  label: string;
}

function Overrides({ overview, canEdit }: { overview: Overview; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overrides = useQuery(trpc.planning.overrides.list.queryOptions({}));
  const blank: OverrideDraft = {
    queueId: overview.queues[0]?.id ?? '',
    fromDate: '',
    toDate: '',
    fromTime: '',
    toTime: '',
    kind: 'multiply',
    value: '1.2',
    label: '',
  };
  const [draft, setDraft] = useState<OverrideDraft>(blank);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.planning.overrides.list.queryKey() });
  const save = useMutation(trpc.planning.overrides.save.mutationOptions({ onSuccess: async () => (setDraft(blank), await refresh()) }));
  const remove = useMutation(trpc.planning.overrides.remove.mutationOptions({ onSuccess: refresh }));
  const names = new Map(overview.queues.map((q) => [q.id, q.name]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      queueId: draft.queueId,
      fromDate: draft.fromDate,
      toDate: draft.toDate || draft.fromDate,
      fromMinute: timeToMinutes(draft.fromTime),
      // An empty end means the end of the day, which a time input cannot hold (24:00).
      toMinute: timeToMinutes(draft.toTime),
      kind: draft.kind,
      value: Number(draft.value),
      label: draft.label,
    });
  };
  const error = save.error ?? remove.error ?? overrides.error;
  return (
    <div className="panel" data-testid="overrides">
      <h2>Forecast overrides</h2>
      <p className="muted small">
        Corrections on top of the statistical forecast of one queue, in {overview.timezone} time: set each 15-minute interval to a number of contacts (a
        mailing), or multiply it (a campaign). Leave the times empty for whole days. {NEXT_RUN}
      </p>
      {canEdit && (
        <form className="inline-form override-form" aria-label="Add a forecast override" onSubmit={submit}>
          <select aria-label="Queue" value={draft.queueId} onChange={(e) => setDraft({ ...draft, queueId: e.target.value })}>
            {overview.queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
          <label>
            from
            <input type="date" aria-label="From date" required value={draft.fromDate} onChange={(e) => setDraft({ ...draft, fromDate: e.target.value })} />
          </label>
          <label>
            to
            <input
              type="date"
              aria-label="To date (empty: one day)"
              min={draft.fromDate || undefined}
              value={draft.toDate}
              onChange={(e) => setDraft({ ...draft, toDate: e.target.value })}
            />
          </label>
          <label>
            between
            <input
              type="time"
              aria-label="From time (empty: start of day)"
              step={900}
              value={draft.fromTime}
              onChange={(e) => setDraft({ ...draft, fromTime: e.target.value })}
            />
          </label>
          <label>
            and
            <input
              type="time"
              aria-label="To time (empty: end of day)"
              step={900}
              value={draft.toTime}
              onChange={(e) => setDraft({ ...draft, toTime: e.target.value })}
            />
          </label>
          <select aria-label="Kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as OverrideDraft['kind'] })}>
            <option value="multiply">multiply by</option>
            <option value="set">set to (contacts per interval)</option>
          </select>
          <input
            type="number"
            aria-label="Value"
            min={0}
            step="any"
            required
            value={draft.value}
            onChange={(e) => setDraft({ ...draft, value: e.target.value })}
          />
          <input
            aria-label="Label"
            placeholder="Label, e.g. spring mailing"
            required
            maxLength={200}
            value={draft.label}
            onChange={(e) => setDraft({ ...draft, label: e.target.value })}
            className="wide-input"
          />
          <button type="submit" disabled={save.isPending}>
            Add override
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      )}
      {overrides.data && overrides.data.length === 0 ? (
        <p className="muted" data-testid="overrides-empty">
          No overrides: every queue is forecast from its history alone.
        </p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Dates</th>
              <th scope="col">Times</th>
              <th scope="col">Change</th>
              <th scope="col">Label</th>
              {canEdit && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {(overrides.data ?? []).map((o) => (
              <tr key={o.id} data-testid="override">
                <td>{names.get(o.queueId) ?? o.queueId}</td>
                <td>{o.fromDate === o.toDate ? formatDate(o.fromDate) : `${formatDate(o.fromDate)} – ${formatDate(o.toDate)}`}</td>
                <td>{o.fromMinute === null && o.toMinute === null ? 'all day' : `${minutesToTime(o.fromMinute ?? 0)}–${minutesToTime(o.toMinute ?? 1440)}`}</td>
                <td>{o.kind === 'set' ? `set to ${o.value} per interval` : `× ${o.value}`}</td>
                <td>{o.label}</td>
                {canEdit && (
                  <td className="num">
                    <button type="button" className="ghost" onClick={() => remove.mutate({ id: o.id })} aria-label={`Remove override ${o.label}`}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * A queue's planned AHT: the handle time staffing uses where the forecast has none (a new
 * queue). Empty clears it. Saved with the queue's other settings as they are.
 */
function PlannedAht({ setting, queueName, canEdit }: { setting: StaffingSetting; queueName: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stored = setting.plannedAhtS === null ? '' : String(setting.plannedAhtS);
  const [draft, setDraft] = useState(stored);
  const save = useMutation(
    trpc.planning.settings.save.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.planning.settings.list.queryKey() }) }),
  );
  if (!canEdit) return <>{setting.plannedAhtS === null ? '—' : `${setting.plannedAhtS} s`}</>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { queueId, shrinkage, maxOccupancy, patienceS } = setting;
    save.mutate({ queueId, shrinkage, maxOccupancy, patienceS, plannedAhtS: draft.trim() === '' ? null : Number(draft) });
  };
  return (
    <form className="inline-form planned-aht" aria-label={`Planned AHT of ${queueName}`} onSubmit={submit}>
      <input
        type="number"
        aria-label={`Planned AHT of ${queueName} in seconds`}
        min={1}
        max={86_400}
        step="any"
        placeholder="none"
        value={draft}
        onChange={(e) => (save.reset(), setDraft(e.target.value))}
      />
      <button type="submit" className="ghost" disabled={save.isPending || draft === stored}>
        Save
      </button>
      {save.error && (
        <span className="error small" role="alert">
          {describeError(save.error)}
        </span>
      )}
    </form>
  );
}

/** Per-queue staffing assumptions; they are changed from the what-if on the staffing view. */
function Settings({ overview, canEdit }: { overview: Overview; canEdit: boolean }) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.planning.settings.list.queryOptions());
  const names = new Map(overview.queues.map((q) => [q.id, q]));
  return (
    <div className="panel" data-testid="settings">
      <h2>Staffing settings</h2>
      <p className="muted small">
        Used by the next staffing run. Try changes in the what-if on &ldquo;Staffing &amp; what-if&rdquo;{canEdit ? ', and save them from there' : ''}. The
        planned AHT is used where the forecast has no handle time (a queue that has handled nothing yet).
      </p>
      {settings.error ? (
        <p className="error" role="alert">
          {settings.error.message}
        </p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col" className="num">
                Target
              </th>
              <th scope="col" className="num">
                Shrinkage
              </th>
              <th scope="col" className="num">
                Occupancy cap
              </th>
              <th scope="col" className="num">
                Patience
              </th>
              <th scope="col" className="num">
                Planned AHT
              </th>
            </tr>
          </thead>
          <tbody>
            {(settings.data ?? []).map((s) => {
              const queue = names.get(s.queueId);
              return (
                <tr key={s.queueId}>
                  <td>
                    {queue?.name ?? s.queueId}
                    {!s.saved && <span className="muted small"> · defaults</span>}
                  </td>
                  <td className="num">{queue ? `${formatPercent(queue.slTarget, 0)} in ${queue.slThresholdS} s` : ''}</td>
                  <td className="num">{formatPercent(s.shrinkage, 0)}</td>
                  <td className="num">{formatPercent(s.maxOccupancy, 0)}</td>
                  <td className="num">{s.patienceS === null ? 'Erlang C' : `${s.patienceS} s`}</td>
                  <td className="num">
                    <PlannedAht key={`${s.queueId}:${s.plannedAhtS}`} setting={s} queueName={queue?.name ?? s.queueId} canEdit={canEdit} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
