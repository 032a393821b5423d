'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ChangeEvent, type InputHTMLAttributes } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Figure } from '../../components/figure';
import { formatDecimal, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { getWhatIfDefaults, parseWhatIf, recomputeDay, toWhatIfDraft, type Overview, type StaffingRow, type StoredPolicy, type WhatIfDraft } from './prepare';
import { chartAxis, chartGridStroke, chartTooltipStyle } from '../../lib/chart-theme';

/**
 * Required FTE for every interval of the day under changed assumptions, recomputed in the
 * browser on every keystroke (the same Erlang code as the staffing run, no server call).
 */
export function WhatIfPanel({
  rows,
  policy,
  queue,
  timezone,
  canEdit,
}: {
  rows: StaffingRow[];
  policy: StoredPolicy;
  queue: Overview['queues'][number];
  timezone: string;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stored = useMemo(() => toWhatIfDraft(getWhatIfDefaults(policy)), [policy]);
  const [draft, setDraft] = useState<WhatIfDraft>(stored);
  const parsed = parseWhatIf(draft);
  const whatIf = 'whatIf' in parsed ? parsed.whatIf : null;
  const day = whatIf ? recomputeDay(rows, policy, whatIf, timezone) : null;
  const save = useMutation(
    trpc.planning.settings.save.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.planning.settings.list.queryKey() }) }),
  );
  const set = (field: keyof WhatIfDraft) => (e: ChangeEvent<HTMLInputElement>) => {
    save.reset();
    setDraft({ ...draft, [field]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  };
  const change = day && day.storedHours > 0 ? day.whatIfHours / day.storedHours - 1 : null;
  const field = (name: keyof WhatIfDraft, label: string, unit: string, props: InputHTMLAttributes<HTMLInputElement>) => (
    <label>
      {label}
      <input type="number" value={draft[name] as string} onChange={set(name)} aria-label={`${label} (${unit})`} {...props} />
      <span className="muted small">{unit}</span>
    </label>
  );

  return (
    <div className="panel" data-testid="what-if">
      <div className="page-head">
        <h2>What-if · {queue.name}</h2>
        <span className="muted small">Recomputed here for every interval of the day; nothing is saved unless you save the settings.</span>
      </div>
      <form className="inline-form controls" aria-label="What-if assumptions" onSubmit={(e) => e.preventDefault()}>
        {field('serviceLevelPct', 'Service level', '%', { min: 1, max: 99.9, step: 1 })}
        {field('thresholdS', 'within', 's', { min: 0, step: 5 })}
        {field('ahtChangePct', 'AHT change', '%', { min: -99, max: 500, step: 5 })}
        {field('shrinkagePct', 'Shrinkage', '%', { min: 0, max: 99, step: 1 })}
        {field('maxOccupancyPct', 'Occupancy cap', '%', { min: 1, max: 100, step: 1 })}
        <label className="check">
          <input type="checkbox" checked={draft.erlangA} onChange={set('erlangA')} /> Erlang A (abandons)
        </label>
        {draft.erlangA && field('patienceS', 'mean patience', 's', { min: 1, step: 10 })}
        <button type="button" className="ghost" onClick={() => (save.reset(), setDraft(stored))} disabled={draft === stored}>
          Reset to stored policy
        </button>
      </form>
      {'error' in parsed && (
        <p className="error" role="alert">
          {parsed.error}
        </p>
      )}
      {day && (
        <>
          <div className="tiles totals">
            <Figure label="Stored staff hours" value={formatDecimal(day.storedHours)} testId="whatif-stored-hours" />
            <Figure label="What-if staff hours" value={formatDecimal(day.whatIfHours)} testId="whatif-hours" />
            <Figure label="Change" value={change === null ? '—' : `${change > 0 ? '+' : ''}${formatPercent(change)}`} testId="whatif-change" />
            <Figure label="Peak FTE stored → what-if" value={`${formatDecimal(day.storedPeak, 1)} → ${formatDecimal(day.whatIfPeak, 1)}`} />
          </div>
          <div className="chart tall" role="img" aria-label="Stored and what-if required FTE per interval" data-testid="what-if-chart">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={day.points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid stroke={chartGridStroke} vertical={false} />
                <XAxis dataKey="label" {...chartAxis} minTickGap={24} />
                <YAxis {...chartAxis} width={40} />
                <Tooltip contentStyle={chartTooltipStyle} formatter={(v, name) => [formatDecimal(v as number, 2), String(name)]} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Line
                  dataKey="stored"
                  name="Stored requirement"
                  stroke="#8b9bab"
                  strokeDasharray="4 3"
                  dot={false}
                  type="stepAfter"
                  isAnimationActive={false}
                />
                <Line dataKey="whatIf" name="What-if" stroke="#4cc2ff" strokeWidth={2} dot={false} type="stepAfter" isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </>
      )}
      {canEdit && whatIf && (
        <div className="inline-form save-settings">
          <button
            type="button"
            className="ghost"
            disabled={save.isPending}
            onClick={() => save.mutate({ queueId: queue.id, shrinkage: whatIf.shrinkage, maxOccupancy: whatIf.maxOccupancy, patienceS: whatIf.patienceS })}
          >
            Save shrinkage, occupancy cap and patience for {queue.name}
          </button>
          <span className="muted small">
            {save.isSuccess
              ? 'Saved: the next staffing run uses them.'
              : 'Used by the next staffing run. The service level target and threshold come from the queue’s configuration; the AHT change is only a what-if.'}
          </span>
        </div>
      )}
      {save.error && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
    </div>
  );
}
