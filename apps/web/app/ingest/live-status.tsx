'use client';

import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LiveStatus as Status } from '@switchboard/host';
import { Figure } from '../components/figure';

const KEY_STORAGE = 'switchboard.apiKey';
const queryClient = new QueryClient();

/**
 * The tenant API key arrives in the URL fragment (`/#key=…`, never sent to a server or
 * written to a log) or is typed in, and is kept for this browser tab only.
 */
function useApiKey(): [string | null, (key: string | null) => void] {
  const [key, setKey] = useState<string | null>(null);
  useEffect(() => {
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('key');
    if (fromHash) {
      sessionStorage.setItem(KEY_STORAGE, fromHash);
      history.replaceState(null, '', window.location.pathname);
    }
    setKey(fromHash ?? sessionStorage.getItem(KEY_STORAGE));
  }, []);
  const update = (next: string | null) => {
    if (next) sessionStorage.setItem(KEY_STORAGE, next);
    else sessionStorage.removeItem(KEY_STORAGE);
    setKey(next);
  };
  return [key, update];
}

export function LiveStatus() {
  return (
    <QueryClientProvider client={queryClient}>
      <StatusPanel />
    </QueryClientProvider>
  );
}

class UnauthorizedError extends Error {}

function StatusPanel() {
  const [apiKey, setApiKey] = useApiKey();
  const status = useQuery({
    queryKey: ['status', apiKey],
    enabled: apiKey !== null,
    refetchInterval: 2_000,
    retry: (count, error) => !(error instanceof UnauthorizedError) && count < 3,
    queryFn: async (): Promise<Status> => {
      const res = await fetch('/api/v1/status', { headers: { authorization: `Bearer ${apiKey}` } });
      if (res.status === 401) throw new UnauthorizedError('that API key is not valid');
      if (!res.ok) throw new Error(`status request failed (${res.status})`);
      return (await res.json()) as Status;
    },
  });

  if (apiKey === null || status.error instanceof UnauthorizedError) {
    return <KeyForm onKey={setApiKey} error={status.error?.message} />;
  }
  if (!status.data) return <p className="muted">{status.error ? status.error.message : 'Loading…'}</p>;
  return <StatusView data={status.data} stale={status.isError} />;
}

function KeyForm({ onKey, error }: { onKey: (key: string) => void; error: string | undefined }) {
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = new FormData(e.currentTarget).get('key');
    if (typeof value === 'string' && value.trim()) onKey(value.trim());
  };
  return (
    <>
      <form onSubmit={submit} aria-label="API key">
        <input name="key" placeholder="Tenant API key (npm start prints it; also in .data/demo-api-key)" autoComplete="off" />
        <button type="submit">Show live data</button>
      </form>
      {error && <p className="error">{error}</p>}
    </>
  );
}

const number = new Intl.NumberFormat('en-US');
// A real center sends a few events a second; whole numbers would show most of them as 0.
const rate = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function StatusView({ data, stale }: { data: Status; stale: boolean }) {
  const totals = data.queues.reduce((t, q) => ({ offered: t.offered + q.offered, answered: t.answered + q.answered, abandoned: t.abandoned + q.abandoned }), {
    offered: 0,
    answered: 0,
    abandoned: 0,
  });
  const now = Date.parse(data.generated_at);
  const series = data.rate_series.map((events, i) => ({ t: -(data.rate_series.length - 1 - i), events }));
  return (
    <>
      <div className="tiles">
        <Figure
          label="Events / s (last 10 s)"
          value={data.events_per_s < 100 ? rate.format(data.events_per_s) : number.format(Math.round(data.events_per_s))}
          testId="events-per-s"
        />
        <Figure label="Events today" value={number.format(data.events_today)} testId="events-today" />
        <Figure label="Contacts offered today" value={number.format(totals.offered)} testId="offered-today" />
        <Figure label="Answered / abandoned" value={`${number.format(totals.answered)} / ${number.format(totals.abandoned)}`} testId="answered-today" />
      </div>
      <div className="chart" aria-label="Events per second, last minute">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={series} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <XAxis dataKey="t" tickFormatter={(t: number) => `${t}s`} stroke="#8b9bab" fontSize={11} />
            <YAxis stroke="#8b9bab" fontSize={11} width={48} allowDecimals={false} />
            <Tooltip labelFormatter={(t) => `${String(t)} s`} formatter={(v) => [String(v), 'events']} />
            <Area type="stepAfter" dataKey="events" stroke="#4cc2ff" fill="#4cc2ff33" isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <h2 style={{ fontSize: 16, marginTop: 24 }}>Today per queue</h2>
      <table data-testid="queues">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">Channel</th>
            <th scope="col">Offered</th>
            <th scope="col">Answered</th>
            <th scope="col">Abandoned</th>
            <th scope="col">Handled</th>
            <th scope="col">ASA</th>
          </tr>
        </thead>
        <tbody>
          {data.queues.map((q) => (
            <tr key={`${q.queue_id}/${q.channel}`}>
              <td>{q.queue_id}</td>
              <td>{q.channel}</td>
              <td>{number.format(q.offered)}</td>
              <td>{number.format(q.answered)}</td>
              <td>{number.format(q.abandoned)}</td>
              <td>{number.format(q.handled)}</td>
              <td>{q.asa_s === null ? '–' : `${q.asa_s.toFixed(1)} s`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Day starts {new Date(data.day_start).toUTCString()} · updated {new Date(now).toLocaleTimeString()}
        {stale ? ' · connection lost, retrying' : ''}
      </p>
    </>
  );
}
