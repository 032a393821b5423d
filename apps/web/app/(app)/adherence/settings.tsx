'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@switchboard/api';
import { useState } from 'react';
import { stateLabel, stateOrder } from '../../components/agent-state';
import { describeError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { kindLabel } from '../planning/schedules/activity-kinds';
import styles from './adherence.module.css';

type Settings = inferRouterOutputs<AppRouter>['adherence']['settings'];
type Mapping = Settings['mapping'];
type Activity = keyof Mapping;
type Allowed = Mapping[Activity][number];

const activities = Object.keys(kindLabel).filter((k) => k !== 'time_off') as Activity[];

/** Reason codes as typed: "lunch, late lunch" → ['lunch', 'late lunch']; none means any reason. */
const parseCodes = (text: string) =>
  text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

/** Which states (and reason codes) do each activity, and the grace at activity edges: the tenant's adherence rules. */
export function AdherenceSettings() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.adherence.settings.queryOptions());
  if (!settings.data) return <p className="muted">{settings.error ? settings.error.message : 'Loading the rules…'}</p>;
  return <SettingsForm key={settings.data.updatedAt ?? 'defaults'} settings={settings.data} />;
}

function SettingsForm({ settings }: { settings: Settings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mapping, setMapping] = useState<Mapping>(settings.mapping);
  const [grace, setGrace] = useState(settings.graceMinutes);
  const [problem, setProblem] = useState('');
  const save = useMutation(
    trpc.adherence.saveSettings.mutationOptions({
      onSuccess: () => {
        setProblem('');
        void queryClient.invalidateQueries({ queryKey: trpc.adherence.pathKey() });
      },
      onError: (e) => setProblem(describeError(e)),
    }),
  );
  const entry = (activity: Activity, state: Allowed['state']) => mapping[activity].find((a) => a.state === state);
  const set = (activity: Activity, state: Allowed['state'], allowed: Allowed | null) =>
    setMapping({ ...mapping, [activity]: [...mapping[activity].filter((a) => a.state !== state), ...(allowed ? [allowed] : [])] });
  return (
    <form
      className="panel"
      aria-label="Adherence rules"
      data-testid="adherence-settings"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ mapping, graceMinutes: grace });
      }}
    >
      <h2>Which states do which activity</h2>
      <p className="muted small">
        A minute is in adherence when the agent&apos;s state is ticked for the activity scheduled then. Reason codes (comma-separated) narrow a state to those
        reasons; empty means any. Time off is never judged.
      </p>
      <div className="table-wrap">
        <table className={styles.matrix}>
          <thead>
            <tr>
              <th scope="col">Scheduled</th>
              {stateOrder.map((s) => (
                <th key={s} scope="col">
                  {stateLabel[s]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {activities.map((activity) => (
              <tr key={activity}>
                <th scope="row">{kindLabel[activity]}</th>
                {stateOrder.map((state) => {
                  const allowed = entry(activity, state);
                  return (
                    <td key={state}>
                      <input
                        type="checkbox"
                        checked={Boolean(allowed)}
                        aria-label={`${stateLabel[state]} does ${kindLabel[activity]}`}
                        onChange={(e) => set(activity, state, e.target.checked ? { state } : null)}
                      />
                      {allowed && state !== 'offline' && (
                        <input
                          type="text"
                          placeholder="any reason"
                          aria-label={`Reason codes for ${stateLabel[state]} as ${kindLabel[activity]}`}
                          defaultValue={allowed.reasonCodes?.join(', ') ?? ''}
                          onBlur={(e) => {
                            const codes = parseCodes(e.target.value);
                            set(activity, state, codes.length ? { state, reasonCodes: codes } : { state });
                          }}
                        />
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="inline-form controls">
        <label>
          Grace at activity edges (minutes)
          <input type="number" min={0} max={30} value={grace} onChange={(e) => setGrace(Number(e.target.value))} />
        </label>
        <button type="submit" disabled={save.isPending}>
          Save rules
        </button>
        <button
          type="button"
          className="ghost"
          onClick={() => {
            setMapping(settings.defaults.mapping);
            setGrace(settings.defaults.graceMinutes);
          }}
        >
          Back to the defaults
        </button>
        {save.isSuccess && !problem && <span className="muted small">Saved: verdicts follow from the next refresh.</span>}
        {problem && (
          <span className="error" role="alert">
            {problem}
          </span>
        )}
      </div>
      <p className="muted small">{settings.updatedAt ? `Last saved ${new Date(settings.updatedAt).toLocaleString('en-GB')}.` : 'The defaults apply.'}</p>
    </form>
  );
}
