'use client';

import { localDateOf } from '@switchboard/calendar';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { describeError } from '../../lib/errors';
import { useSession } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { ExceptionList, FileException } from './exceptions';
import { AdherenceGantt } from './gantt';
import { MinutesPanel } from './minutes';
import { RealtimeView } from './realtime';
import { AdherenceReport } from './report';
import { AdherenceSettings } from './settings';
import styles from './adherence.module.css';

// As the wallboard: every 2 s keeps the view within the 2 s freshness budget plus one poll.
const POLL_MS = 2_000;
const GANTT_POLL_MS = 30_000;
/** Above this many agents in scope the Gantt starts on one team. */
const GANTT_ALL_AGENTS_MAX = 300;

type Tab = 'now' | 'today' | 'report' | 'exceptions' | 'settings';

/** Ticks once a second so durations move between polls. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Schedule adherence for supervisors, planners and admins: now, today's Gantt, reports, exceptions and the rules. */
export default function AdherencePage() {
  const trpc = useTRPC();
  const role = useSession().data?.role;
  const [tab, setTab] = useState<Tab>('now');
  const [team, setTeam] = useState('');
  const [minutes, setMinutes] = useState<{ agentKey: string; date: string } | null>(null);
  const realtime = useQuery(
    trpc.adherence.realtime.queryOptions(
      { teamKey: team || undefined },
      { refetchInterval: tab === 'now' ? POLL_MS : false, placeholderData: (previous) => previous },
    ),
  );
  const now = useNow();
  const data = realtime.data;
  const [ganttDate, setGanttDate] = useState('');
  const date = ganttDate || data?.date || '';
  const tooMany = !team && (data?.agents.length ?? 0) > GANTT_ALL_AGENTS_MAX;
  const gantt = useQuery(
    trpc.adherence.gantt.queryOptions(
      { date, teamKey: team || undefined },
      { enabled: tab === 'today' && Boolean(date) && !tooMany, refetchInterval: date === data?.date ? GANTT_POLL_MS : false },
    ),
  );
  if (!data) return <p className="muted">{realtime.error ? describeError(realtime.error) : 'Loading adherence…'}</p>;
  const serverNow = Date.parse(data.generatedAt) + (now - realtime.dataUpdatedAt);
  const ageS = (now - realtime.dataUpdatedAt) / 1000;
  const canDecide = role === 'admin' || role === 'supervisor';
  const tabs: { id: Tab; label: string }[] = [
    { id: 'now', label: 'Now' },
    { id: 'today', label: 'Gantt' },
    { id: 'report', label: 'Reports' },
    { id: 'exceptions', label: 'Exceptions' },
    ...(role === 'admin' || role === 'planner' ? [{ id: 'settings' as const, label: 'Rules' }] : []),
  ];
  return (
    <section>
      <div className="page-head">
        <h1>Adherence</h1>
        <span className={`freshness ${ageS > 5 ? 'stale' : ''}`} data-testid="freshness" aria-live="polite">
          {realtime.isError ? 'connection lost, retrying · ' : ''}updated {new Date(data.generatedAt).toLocaleTimeString('en-US', { timeZone: data.timezone })}{' '}
          · times in {data.timezone}
        </span>
        <label className="muted small">
          Team{' '}
          <select value={team} onChange={(e) => setTeam(e.target.value)} aria-label="Show one team">
            <option value="">all in your scope</option>
            {data.teams.map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className={`segmented ${styles.tabs}`} role="tablist" aria-label="Adherence views">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'on' : ''} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'now' && <RealtimeView data={data} serverNow={serverNow} onAgent={(agentKey, date) => setMinutes({ agentKey, date })} />}
      {tab === 'today' && (
        <>
          <div className="inline-form controls">
            <label>
              Day <input type="date" value={date} onChange={(e) => setGanttDate(e.target.value)} />
            </label>
          </div>
          {tooMany ? (
            <p className="muted">{data.agents.length} agents are too many for one chart: pick a team.</p>
          ) : gantt.data ? (
            <AdherenceGantt gantt={gantt.data} onAgent={(agentKey, date) => setMinutes({ agentKey, date })} />
          ) : (
            <p className="muted">{gantt.error ? describeError(gantt.error) : 'Loading the day…'}</p>
          )}
        </>
      )}
      {tab === 'report' && <AdherenceReport today={data.date} teamKey={team} onMinutes={(agentKey, day) => setMinutes({ agentKey, date: day })} />}
      {tab === 'exceptions' && (
        <div className="panel">
          <h2>Exceptions</h2>
          {canDecide && (
            <FileException
              timezone={data.timezone}
              today={localDateOf(serverNow, data.timezone)}
              agents={[...data.agents].sort((a, b) => a.name.localeCompare(b.name)).map((a) => ({ key: a.key, name: a.name }))}
            />
          )}
          <ExceptionList timezone={data.timezone} canDecide={canDecide} />
        </div>
      )}
      {tab === 'settings' && <AdherenceSettings />}
      {minutes && <MinutesPanel agentKey={minutes.agentKey} date={minutes.date} onClose={() => setMinutes(null)} />}
    </section>
  );
}
