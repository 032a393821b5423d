'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../../lib/errors';
import { formatDecimal } from '../../../lib/format';
import { useTRPC } from '../../../lib/trpc';
import { parseSettings, toSettingsDraft, type IntradaySettings } from './prepare';

/** The loop's two knobs: how far from zero a gap counts, and how far ahead a proposal must start. Read-only for supervisors. */
export function IntradaySettingsPanel({ settings, canEdit }: { settings: IntradaySettings; canEdit: boolean }) {
  return (
    <div className="panel" data-testid="intraday-settings">
      <h2>Settings</h2>
      {canEdit ? (
        <SettingsForm key={`${settings.gapThreshold}:${settings.leadMinutes}`} settings={settings} />
      ) : (
        <p className="muted">
          A gap counts from {formatDecimal(settings.gapThreshold)} agents short or over; proposals start at least {settings.leadMinutes} minutes ahead. Planners
          and admins change these.
        </p>
      )}
    </div>
  );
}

function SettingsForm({ settings }: { settings: IntradaySettings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(() => toSettingsDraft(settings));
  const [problem, setProblem] = useState('');
  const save = useMutation(
    trpc.intraday.saveSettings.mutationOptions({
      onSuccess: () => {
        setProblem('');
        void queryClient.invalidateQueries({ queryKey: trpc.intraday.pathKey() });
      },
      onError: (e) => setProblem(describeError(e)),
    }),
  );
  return (
    <form
      className="inline-form controls"
      aria-label="Intraday settings"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseSettings(draft);
        if ('error' in parsed) setProblem(parsed.error);
        else save.mutate(parsed.settings);
      }}
    >
      <label>
        Gap threshold (agents)
        <input
          type="number"
          min={0.1}
          max={50}
          step="any"
          required
          value={draft.gapThreshold}
          onChange={(e) => setDraft({ ...draft, gapThreshold: e.target.value })}
          aria-describedby="intraday-threshold-help"
        />
      </label>
      <label>
        Lead time (minutes)
        <input
          type="number"
          min={0}
          max={240}
          step={1}
          required
          value={draft.leadMinutes}
          onChange={(e) => setDraft({ ...draft, leadMinutes: e.target.value })}
          aria-describedby="intraday-lead-help"
        />
      </label>
      <button type="submit" disabled={save.isPending}>
        Save settings
      </button>
      {save.isSuccess && !problem && <span className="muted small">Saved: the next run uses them.</span>}
      {problem && (
        <span className="error" role="alert">
          {problem}
        </span>
      )}
      <p className="muted small" style={{ flexBasis: '100%', margin: 0 }}>
        <span id="intraday-threshold-help">An interval at least this many agents short or over is a gap: it is marked, and the loop proposes for it. </span>
        <span id="intraday-lead-help">Proposals start at least this long after the run, so agents have time to react.</span>
      </p>
    </form>
  );
}
