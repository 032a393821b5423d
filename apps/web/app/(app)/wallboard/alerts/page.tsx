'use client';

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { IncidentView } from '@switchboard/api';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ExportButtons } from '../../../components/export-buttons';
import { describeError } from '../../../lib/errors';
import type { ExportColumn } from '../../../lib/export';
import { formatDuration } from '../../../lib/format';
import { useTRPC } from '../../../lib/trpc';
import { describeConditions, incidentFigures } from '../alert-rules';

const DAY_MS = 86_400_000;
const dateInput = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const exportColumns: ExportColumn<IncidentView>[] = [
  { header: 'incident_id', kind: 'text', value: (i) => i.id },
  { header: 'fired_at', kind: 'text', value: (i) => i.firedAt },
  { header: 'cleared_at', kind: 'text', value: (i) => i.clearedAt },
  { header: 'state', kind: 'text', value: (i) => i.state },
  { header: 'severity', kind: 'text', value: (i) => i.severity },
  { header: 'rule_id', kind: 'text', value: (i) => i.ruleId },
  { header: 'rule', kind: 'text', value: (i) => i.ruleName },
  { header: 'subject', kind: 'text', value: (i) => i.subject },
  { header: 'figures', kind: 'text', value: (i) => JSON.stringify(i.values) },
  { header: 'acknowledged_at', kind: 'text', value: (i) => i.acknowledgedAt },
  { header: 'acknowledged_by', kind: 'text', value: (i) => i.acknowledgedByName },
  { header: 'resolved_at', kind: 'text', value: (i) => i.resolvedAt },
  { header: 'resolved_by', kind: 'text', value: (i) => i.resolvedByName },
  { header: 'note', kind: 'text', value: (i) => i.note },
];

/**
 * The alert history: what the rules fired, open incidents first, then the rest newest first,
 * filtered by state, severity and dates, paged and exportable. Incidents are acknowledged
 * ("someone is on it") and resolved with a note; resolving one still firing ends it.
 */
export default function AlertHistoryPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState({ state: '', severity: '', from: dateInput(Date.now() - 7 * DAY_MS), to: dateInput(Date.now()) });
  const [resolving, setResolving] = useState<{ id: string; note: string } | null>(null);
  // Whole local days: "to" includes its day.
  const input = {
    state: (filter.state || undefined) as 'open' | 'cleared' | 'resolved' | undefined,
    severity: (filter.severity || undefined) as 'warning' | 'critical' | undefined,
    from: filter.from ? new Date(`${filter.from}T00:00:00`).toISOString() : undefined,
    to: filter.to ? new Date(new Date(`${filter.to}T00:00:00`).getTime() + DAY_MS).toISOString() : undefined,
  };
  const valid = !input.from || !input.to || input.from < input.to;
  const pages = useInfiniteQuery(
    trpc.wallboard.incidents.list.infiniteQueryOptions(input, {
      enabled: valid,
      getNextPageParam: (last) => {
        const tail = last.incidents.at(-1);
        return last.more && tail ? { open: tail.state === 'open', firedAt: tail.firedAt, id: tail.id } : undefined;
      },
    }),
  );
  const incidents = pages.data?.pages.flatMap((p) => p.incidents) ?? [];
  const timezone = pages.data?.pages[0]?.timezone;
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.wallboard.incidents.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.wallboard.snapshot.queryKey() }),
    ]);
  const acknowledge = useMutation(trpc.wallboard.incidents.acknowledge.mutationOptions({ onSuccess: refresh }));
  const resolve = useMutation(trpc.wallboard.incidents.resolve.mutationOptions({ onSuccess: async () => (setResolving(null), await refresh()) }));
  const set = (key: keyof typeof filter, value: string) => setFilter({ ...filter, [key]: value });
  const time = (iso: string | null) =>
    iso
      ? new Date(iso).toLocaleString('en-GB', { timeZone: timezone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      : '—';
  const submitResolve = (e: FormEvent) => {
    e.preventDefault();
    if (resolving) resolve.mutate({ id: resolving.id, note: resolving.note || undefined });
  };

  return (
    <section>
      <p>
        <Link href="/wallboard">← Wallboard</Link>
      </p>
      <h1>Alert history</h1>
      <section className="panel" aria-label="Filters">
        <div className="inline-form">
          <label>
            State{' '}
            <select value={filter.state} onChange={(e) => set('state', e.target.value)}>
              <option value="">any</option>
              <option value="open">firing</option>
              <option value="cleared">cleared, not resolved</option>
              <option value="resolved">resolved</option>
            </select>
          </label>
          <label>
            Severity{' '}
            <select value={filter.severity} onChange={(e) => set('severity', e.target.value)}>
              <option value="">any</option>
              <option value="critical">critical</option>
              <option value="warning">warning</option>
            </select>
          </label>
          <label>
            From <input type="date" value={filter.from} onChange={(e) => set('from', e.target.value)} />
          </label>
          <label>
            To <input type="date" value={filter.to} onChange={(e) => set('to', e.target.value)} />
          </label>
        </div>
        {!valid && (
          <p className="error" role="alert">
            Choose a From date on or before the To date.
          </p>
        )}
      </section>
      <section className="panel" aria-label="Incidents">
        {(pages.error ?? acknowledge.error ?? resolve.error) && (
          <p className="error" role="alert">
            {describeError((pages.error ?? acknowledge.error ?? resolve.error)!)}
          </p>
        )}
        <p className="muted small">
          {incidents.length} incidents{pages.hasNextPage ? ' so far' : ''}, firing ones first, then the newest; times in {timezone ?? '…'}.{' '}
          <ExportButtons columns={exportColumns} rows={incidents} filename={`alerts-${filter.from}-${filter.to}`} label="alert history" />
        </p>
        <div className="table-wrap">
          <table data-testid="incidents">
            <caption className="sr-only">Alert incidents</caption>
            <thead>
              <tr>
                <th scope="col">Fired</th>
                <th scope="col">Lasted</th>
                <th scope="col">Severity</th>
                <th scope="col">Rule</th>
                <th scope="col">Where</th>
                <th scope="col">Figures when fired</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((i) => (
                <tr key={i.id} data-testid={`incident-${i.id}`} data-state={i.state}>
                  <td>{time(i.firedAt)}</td>
                  <td>{i.clearedAt ? formatDuration((Date.parse(i.clearedAt) - Date.parse(i.firedAt)) / 1000) : 'firing'}</td>
                  <td className={i.severity}>{i.severity}</td>
                  <td title={describeConditions(i.match, i.conditions)}>{i.ruleName}</td>
                  <td>
                    {i.subjectName} <span className="muted small">({i.subjectKind})</span>
                  </td>
                  <td>{incidentFigures(i.values)}</td>
                  <td className="small">
                    {i.state === 'open' ? <strong className={i.severity}>firing</strong> : i.state}
                    {i.acknowledgedAt && (
                      <div className="muted">
                        acknowledged by {i.acknowledgedByName ?? 'someone'} at {time(i.acknowledgedAt)}
                      </div>
                    )}
                    {i.resolvedAt && (
                      <div className="muted">
                        resolved by {i.resolvedByName ?? 'someone'} at {time(i.resolvedAt)}
                        {i.note ? `: ${i.note}` : ''}
                      </div>
                    )}
                  </td>
                  <td>
                    {!i.acknowledgedAt && !i.resolvedAt && (
                      <button type="button" className="ghost" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate({ id: i.id })}>
                        Acknowledge
                      </button>
                    )}
                    {!i.resolvedAt &&
                      (resolving?.id === i.id ? (
                        <form className="inline-form" onSubmit={submitResolve} aria-label="Resolve incident">
                          <input
                            aria-label="Note"
                            className="wide-input"
                            maxLength={1000}
                            placeholder="What was done (optional)"
                            value={resolving.note}
                            onChange={(e) => setResolving({ id: i.id, note: e.target.value })}
                          />
                          <button type="submit" disabled={resolve.isPending}>
                            Resolve
                          </button>
                          <button type="button" className="ghost" onClick={() => setResolving(null)}>
                            Cancel
                          </button>
                        </form>
                      ) : (
                        <button type="button" className="ghost" onClick={() => setResolving({ id: i.id, note: '' })}>
                          Resolve…
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {incidents.length === 0 && !pages.isLoading && <p className="muted">No incident in this selection.</p>}
        {pages.hasNextPage && (
          <button type="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? 'Loading…' : 'Load older incidents'}
          </button>
        )}
      </section>
    </section>
  );
}
