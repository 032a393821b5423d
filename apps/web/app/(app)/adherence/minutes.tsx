'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { stateLabel, type AgentStateName } from '../../components/agent-state';
import { ExportButtons } from '../../components/export-buttons';
import { Figure } from '../../components/figure';
import type { ExportColumn } from '../../lib/export';
import { formatCount, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { kindLabel } from '../planning/schedules/activity-kinds';
import { formatClock } from '../planning/schedules/prepare';
import { minuteRuns, verdictColor, verdictLabel, type Minutes } from './prepare';
import styles from './adherence.module.css';

type Minute = Minutes['minutes'][number];

const exportColumns: ExportColumn<Minute>[] = [
  { header: 'minute', kind: 'text', value: (m) => m.minute },
  { header: 'activity', kind: 'text', value: (m) => m.activity },
  { header: 'state', kind: 'text', value: (m) => m.state },
  { header: 'reason_code', kind: 'text', value: (m) => m.reasonCode },
  { header: 'verdict', kind: 'text', value: (m) => m.verdict },
];

/** The minutes behind a figure: one agent's shift day judged minute by minute, and the state events it was judged from. */
export function MinutesPanel({ agentKey, date, onClose }: { agentKey: string; date: string; onClose: () => void }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.adherence.minutes.queryOptions({ agentKey, date }));
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    panel.current?.focus({ preventScroll: true });
  }, [agentKey, date]);
  const data = query.data;
  const clock = (iso: string) => (data ? formatClock(iso, data.timezone) : '');
  return (
    <div className="panel" ref={panel} tabIndex={-1} data-testid="adherence-minutes" aria-label={`Minutes of ${agentKey} on ${date}`}>
      <div className="page-head">
        <h2>{data ? `${data.agent.name}, ${date}` : `Minutes of ${date}`}</h2>
        {data && <ExportButtons columns={exportColumns} rows={data.minutes} filename={`adherence-${agentKey}-${date}`} label="adherence minutes" />}
        <button type="button" className="ghost small" onClick={onClose}>
          Close
        </button>
      </div>
      {!data ? (
        <p className="muted">{query.error ? query.error.message : 'Loading the minutes…'}</p>
      ) : (
        <>
          <div className="tiles">
            <Figure label="Adherence" value={formatPercent(data.kpis.adherence)} testId="minutes-adherence" />
            <Figure label="Conformance" value={formatPercent(data.kpis.conformance)} />
            <Figure label="Minutes out" value={formatCount(data.kpis.outOfAdherenceMin)} testId="minutes-out" />
            <Figure label="Scheduled minutes" value={formatCount(data.kpis.scheduledMin)} />
          </div>
          {data.minutes.length > 0 && (
            <svg
              className={styles.strip}
              viewBox={`0 0 ${data.minutes.length} 1`}
              preserveAspectRatio="none"
              role="img"
              aria-label="Each judged minute coloured by its verdict"
            >
              {data.minutes.map((m, i) => (
                <rect key={m.minute} x={i} width={1} y={0} height={1} fill={verdictColor[m.verdict]} />
              ))}
            </svg>
          )}
          <div className="two-col">
            <div>
              <h3 className="small muted">
                Minutes, {data.minutes.length} judged (grace {data.graceMinutes} min)
              </h3>
              <ul className={styles.runs} data-testid="minute-runs">
                {minuteRuns(data.minutes).map((r) => (
                  <li key={r.start}>
                    <span>
                      {clock(r.start)}–{clock(r.end)}
                    </span>
                    <span className="muted">{r.count} min</span>
                    <span>
                      <i className={styles.dot} style={{ background: verdictColor[r.verdict] }} aria-hidden="true" /> {verdictLabel[r.verdict]}:{' '}
                      {kindLabel[r.activity as keyof typeof kindLabel]} scheduled, {stateLabel[r.state as AgentStateName]}
                      {r.reasonCode ? ` (${r.reasonCode})` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3 className="small muted">State events</h3>
              <ul className={styles.runs} data-testid="minute-events">
                {data.events.map((e) => (
                  <li key={e.at}>
                    <span>{new Date(e.at).toLocaleTimeString('en-GB', { timeZone: data.timezone, hour12: false })}</span>
                    <span />
                    <span>
                      {stateLabel[e.state as AgentStateName]}
                      {e.reasonCode ? ` (${e.reasonCode})` : ''}
                    </span>
                  </li>
                ))}
              </ul>
              {data.exceptions.length > 0 && (
                <p className="muted small">Approved exceptions: {data.exceptions.map((e) => `${clock(e.start)}–${clock(e.end)}`).join(', ')}</p>
              )}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
