'use client';

import { useQuery } from '@tanstack/react-query';
import { StatePill, stateLabel, stateOrder, stateColor, type AgentStateName } from '../../components/agent-state';
import { Figure } from '../../components/figure';
import { formatCount, formatDuration, formatPercent } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { MyAdherence } from './my-adherence';
import { MyEvaluations } from './my-evaluations';
import { MyOffers } from './my-offers';
import { MySchedule } from './my-schedule';
import { Swaps } from './swaps';
import { TimeOff } from './time-off';

/** The desktop panel in a small window of its own beside the phone; the plain link opens it where pop-ups are blocked. */
function DesktopLink() {
  return (
    <a
      href="/desktop"
      target="switchboard-desktop"
      data-testid="open-desktop"
      onClick={(e) => {
        // A modified click (new tab, new window) is the person's choice: the link does what it always does.
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        const panel = window.open('/desktop', 'switchboard-desktop', 'width=400,height=800');
        if (panel) {
          e.preventDefault();
          panel.focus();
        }
      }}
    >
      Open the desktop panel
    </a>
  );
}

/** An agent's own day (state now, what they handled, how their time was spent), then their schedule, time off and swaps. */
export default function MyDay() {
  const trpc = useTRPC();
  const isAgent = useSession().data?.role === 'agent';
  const day = useQuery(trpc.agents.day.queryOptions({}, { refetchInterval: 10_000 }));
  // The schedule's clock is the agent's own (their time zone, else the tenant's): time off and swaps read dates on it.
  const schedule = useQuery(trpc.me.schedule.queryOptions({}, { enabled: isAgent }));
  const mine = isAgent && (
    <>
      {!day.data && (
        <p>
          <DesktopLink />
        </p>
      )}
      <MyAdherence />
      <MyOffers />
      <MySchedule />
      <MyEvaluations />
      {schedule.data && (
        <>
          <TimeOff timezone={schedule.data.timezone} />
          <Swaps timezone={schedule.data.timezone} />
        </>
      )}
    </>
  );
  if (!day.data)
    return (
      <section>
        <p className="muted">{day.error ? day.error.message : 'Loading your day…'}</p>
        {mine}
      </section>
    );
  const d = day.data;
  const totalMs = stateOrder.reduce((sum, s) => sum + (s === 'offline' ? 0 : (d.stateMs[s] ?? 0)), 0);
  return (
    <section>
      <div className="page-head">
        <h1>{d.agent.name}</h1>
        <span className="muted">{d.agent.team}</span>
        <StatePill state={d.state as AgentStateName} />
        {isAgent && <DesktopLink />}
      </div>
      <div className="tiles">
        <Figure label="Handled today" value={formatCount(d.kpis.handled)} testId="my-handled" />
        <Figure label="AHT" value={formatDuration(d.kpis.ahtS)} />
        <Figure label="Avg talk" value={formatDuration(d.kpis.avgTalkS)} />
        <Figure label="Avg hold" value={formatDuration(d.kpis.avgHoldS)} />
        <Figure label="Avg wrap-up" value={formatDuration(d.kpis.avgWrapupS)} />
        <Figure label="Occupancy" value={formatPercent(d.kpis.occupancy)} />
        <Figure label="Transfer rate" value={formatPercent(d.kpis.transferRate)} />
      </div>
      <div className="panel">
        <h2>Time by state today</h2>
        {totalMs === 0 ? (
          <p className="muted">No logged-in time yet today.</p>
        ) : (
          <ul className="state-times">
            {stateOrder
              .filter((s) => s !== 'offline' && (d.stateMs[s] ?? 0) > 0)
              .map((s) => (
                <li key={s}>
                  <span className="swatch" style={{ background: stateColor[s] }} />
                  {stateLabel[s]}: {formatDuration((d.stateMs[s] ?? 0) / 1000)} ({formatPercent((d.stateMs[s] ?? 0) / totalMs, 0)})
                </li>
              ))}
          </ul>
        )}
      </div>
      {mine}
    </section>
  );
}
