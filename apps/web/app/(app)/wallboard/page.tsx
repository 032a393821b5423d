'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { Wallboard, WallboardAgent, WallboardQueue } from '@switchboard/api';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { StateBar, StatePill, stateLabel, stateOrder, type AgentStateName } from '../../components/agent-state';
import { SortableTable } from '../../components/sortable-table';
import { Figure } from '../../components/figure';
import { formatCount, formatDuration, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { AlertRules, incidentFigures } from './alert-rules';

const channelOrder = ['voice', 'chat', 'email', 'sms', 'social'];

// Polling every 2 s keeps what is on screen under the 5 s freshness budget with room for one missed poll.
const POLL_MS = 2_000;

/** Ticks once a second so times in state and "updated … ago" move between polls. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export default function WallboardPage() {
  const trpc = useTRPC();
  const snapshot = useQuery(trpc.wallboard.snapshot.queryOptions(undefined, { refetchInterval: POLL_MS, refetchIntervalInBackground: true }));
  const now = useNow();
  const [showRules, setShowRules] = useState(false);
  const data = snapshot.data;
  if (!data) return <p className="muted">{snapshot.error ? snapshot.error.message : 'Loading the wallboard…'}</p>;
  // Server time at this moment: the snapshot's time plus what has passed since it arrived.
  const serverNow = Date.parse(data.generatedAt) + (now - snapshot.dataUpdatedAt);
  const ageS = (now - snapshot.dataUpdatedAt) / 1000;
  return (
    <section>
      <div className="page-head">
        <h1>Wallboard</h1>
        <span className={`freshness ${ageS > 5 ? 'stale' : ''}`} data-testid="freshness" aria-live="polite">
          {snapshot.isError ? 'connection lost, retrying · ' : ''}updated {new Date(data.generatedAt).toLocaleTimeString('en-US', { timeZone: data.timezone })}{' '}
          ({Math.max(0, Math.round(ageS))} s ago) · times in {data.timezone}
        </span>
        <button type="button" className="ghost" onClick={() => setShowRules((v) => !v)} aria-expanded={showRules}>
          {showRules ? 'Hide alert rules' : 'Alert rules'}
        </button>
      </div>
      {showRules && <AlertRules queues={data.queues} teams={data.teams} />}
      <Totals data={data} />
      <div className="wb-grid">
        <div className="queue-tiles" data-testid="queue-tiles">
          {[...data.queues]
            .sort((a, b) => channelOrder.indexOf(a.channel) - channelOrder.indexOf(b.channel) || a.name.localeCompare(b.name))
            .map((q) => (
              <QueueTile key={q.id} queue={q} />
            ))}
        </div>
        <aside className="side">
          <AlertList data={data} serverNow={serverNow} />
          <Bots data={data} />
        </aside>
      </div>
      <AgentGrid agents={data.agents} serverNow={serverNow} />
    </section>
  );
}

function Totals({ data }: { data: Wallboard }) {
  const waiting = data.queues.reduce((s, q) => s + q.waiting, 0);
  const offered = data.queues.reduce((s, q) => s + q.today.offered, 0);
  const answered = data.queues.reduce((s, q) => s + q.today.answered, 0);
  const longest = Math.max(0, ...data.queues.map((q) => q.longestWaitS ?? 0));
  const states: Partial<Record<AgentStateName, number>> = {};
  for (const a of data.agents) states[a.state] = (states[a.state] ?? 0) + 1;
  return (
    <div className="tiles totals">
      <Figure label="Waiting now" value={formatCount(waiting)} testId="total-waiting" />
      <Figure label="Longest wait" value={longest > 0 ? formatDuration(longest) : '—'} testId="total-longest" />
      <Figure label="Offered today" value={formatCount(offered)} testId="total-offered" />
      <Figure label="Answered today" value={formatCount(answered)} testId="total-answered" />
      <div className="tile">
        <div className="label">Your agents</div>
        <StateBar counts={states} />
        <div className="muted small">
          {stateOrder
            .filter((s) => s !== 'offline' && states[s])
            .map((s) => `${states[s]} ${stateLabel[s].toLowerCase()}`)
            .join(' · ') || 'none logged in'}
        </div>
      </div>
    </div>
  );
}

function QueueTile({ queue: q }: { queue: WallboardQueue }) {
  const severity = q.alerts[0]?.severity;
  const slClass = (sl: number | null) => (sl === null ? '' : sl >= q.slTarget ? 'good' : 'bad');
  return (
    <article
      className={`queue-tile ${severity ? `alert-${severity}` : ''}`}
      data-testid={`queue-${q.key}`}
      aria-label={`${q.name} (${q.channel})${severity ? `, ${severity} alert` : ''}`}
    >
      <header>
        <span className="qname">{q.name}</span>
        <span className="channel">{q.channel}</span>
      </header>
      <div className="qmain">
        <div>
          <div className="label">Waiting</div>
          <div className="big" data-testid="waiting">
            {formatCount(q.waiting)}
          </div>
        </div>
        <div>
          <div className="label">Longest</div>
          <div className="big" data-testid="longest-wait">
            {q.longestWaitS === null ? '—' : formatDuration(q.longestWaitS)}
          </div>
        </div>
        <div>
          <div className="label">
            SL 30 min{' '}
            <span className="muted">
              ({Math.round(q.slTarget * 100)}/{q.slThresholdS}s)
            </span>
          </div>
          <div className={`big ${slClass(q.last30.serviceLevel)}`} data-testid="sl-30m">
            {formatPercent(q.last30.serviceLevel, 0)}
          </div>
        </div>
      </div>
      <dl className="qstats">
        <div>
          <dt>SL today</dt>
          <dd className={slClass(q.today.serviceLevel)} data-testid="sl-today">
            {formatPercent(q.today.serviceLevel)}
          </dd>
        </div>
        <div>
          <dt>ASA</dt>
          <dd>{formatDuration(q.today.asaS)}</dd>
        </div>
        <div>
          <dt>Abandoned</dt>
          <dd>{formatPercent(q.today.abandonRate)}</dd>
        </div>
        <div>
          <dt>Offered / answered</dt>
          <dd data-testid="offered-answered">
            {formatCount(q.today.offered)} / {formatCount(q.today.answered)}
          </dd>
        </div>
      </dl>
      <StateBar counts={q.agentsByState} />
    </article>
  );
}

/** The open incidents the server's evaluator fired, the same for every viewer; each can be acknowledged here. */
function AlertList({ data, serverNow }: { data: Wallboard; serverNow: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const acknowledge = useMutation(
    trpc.wallboard.incidents.acknowledge.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.wallboard.snapshot.queryKey() }) }),
  );
  return (
    <div className="panel" data-testid="alerts">
      <h2>
        Alerts <span className="count">{data.alerts.length}</span> <Link href="/wallboard/alerts">history</Link>
      </h2>
      {data.alerts.length === 0 ? (
        <p className="muted">No alert firing.</p>
      ) : (
        <ul className="alerts">
          {data.alerts.map((a) => (
            <li key={a.id} className={a.severity} data-testid={`alert-${a.id}`}>
              <strong>{a.subjectName}</strong> ({a.subjectKind}): {a.ruleName} — {incidentFigures(a.values)}
              <div className="muted small">
                for {formatDuration((serverNow - Date.parse(a.firedAt)) / 1000)}
                {a.acknowledgedAt ? (
                  ` · acknowledged by ${a.acknowledgedByName ?? 'someone'}`
                ) : (
                  <>
                    {' · '}
                    <button type="button" className="ghost small" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate({ id: a.id })}>
                      Acknowledge
                    </button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Bots({ data }: { data: Wallboard }) {
  return (
    <div className="panel" data-testid="bots">
      <h2>Self-service today</h2>
      {data.bots.length === 0 ? (
        <p className="muted">No bot sessions yet today.</p>
      ) : (
        data.bots.map((b) => (
          <div key={b.botId} className="bot">
            <div className="label">{b.botId}</div>
            <div className="big" data-testid={`containment-${b.botId}`}>
              {formatPercent(b.containment)}
            </div>
            <div className="muted small">
              contained {formatCount(b.contained)} of {formatCount(b.sessions)} · escalated {formatCount(b.escalated)} · abandoned {formatCount(b.abandoned)}
            </div>
          </div>
        ))
      )}
    </div>
  );
}

function AgentGrid({ agents, serverNow }: { agents: WallboardAgent[]; serverNow: number }) {
  const [filter, setFilter] = useState<AgentStateName | 'all'>('all');
  const rows = agents
    .filter((a) => (filter === 'all' ? a.state !== 'offline' : a.state === filter))
    .map((a) => ({ ...a, inStateS: a.stateSince ? (serverNow - Date.parse(a.stateSince)) / 1000 : null }));
  const columns: ColumnDef<(typeof rows)[number], unknown>[] = [
    { accessorKey: 'name', header: 'Agent' },
    { accessorKey: 'team', header: 'Team' },
    {
      accessorKey: 'state',
      header: 'State',
      sortingFn: (a, b) => stateOrder.indexOf(a.original.state) - stateOrder.indexOf(b.original.state),
      cell: ({ row }) => <StatePill state={row.original.state} />,
    },
    { accessorKey: 'inStateS', header: 'In state', cell: ({ row }) => formatDuration(row.original.inStateS), meta: { numeric: true } },
    { accessorKey: 'reasonCode', header: 'Reason' },
    { accessorKey: 'queueKey', header: 'Queue' },
    { accessorKey: 'interactionId', header: 'Interaction', cell: ({ row }) => <code className="small">{row.original.interactionId.slice(0, 12)}</code> },
  ];
  return (
    <div className="panel">
      <div className="page-head">
        <h2>Agents</h2>
        <label className="muted small">
          Show{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as AgentStateName | 'all')} aria-label="Filter agents by state">
            <option value="all">logged in</option>
            {stateOrder.map((s) => (
              <option key={s} value={s}>
                {stateLabel[s]}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">{rows.length} shown</span>
      </div>
      <SortableTable
        data={rows}
        columns={columns}
        rowKey={(r) => r.key}
        testId="agent-grid"
        caption="Agents and their current state"
        initialSort={[{ id: 'state', desc: false }]}
      />
    </div>
  );
}
