import { agentKpis, emptyQueueSums, queueKpis, type AgentStateSums } from '@switchboard/kpis';
import { getAgentCurrentStates, getAgentStateMs, getAgentWork } from '@switchboard/telemetry';
import type { ApiServices } from '../context.ts';
import { canSeeAgent, notFound, type Access } from '../trpc.ts';
import { localDayStartOf } from '@switchboard/calendar';
import { getSharedLiveBase } from './wallboard.ts';

/**
 * One agent's day so far: current state, time per state, what they handled and the KPIs
 * of it. An agent outside the viewer's scope is answered exactly like an unknown one.
 */
export async function getAgentDay(services: ApiServices, access: Access, agentKey: string) {
  const agent = access.directory.agents.find((a) => a.key === agentKey);
  if (!agent || !canSeeAgent(access, agentKey)) throw notFound('agent');
  const now = services.now();
  const dayStart = localDayStartOf(now, access.directory.timezone);
  const window = { tenantId: access.tenantId, from: dayStart, to: now, agentIds: [agentKey] };
  const [stateRows, workRows, current] = await Promise.all([
    getAgentStateMs(services.telemetry, window),
    getAgentWork(services.telemetry, window),
    getSharedLiveBase(services, access.tenantId, now).then((base) =>
      getAgentCurrentStates(services.telemetry, { tenantId: access.tenantId, now, base, agentIds: [agentKey] }),
    ),
  ]);
  const stateMs: AgentStateSums = Object.fromEntries(stateRows.map((r) => [r.state, r.state_ms]));
  const work = workRows[0];
  const sums = emptyQueueSums();
  if (work) {
    Object.assign(sums, {
      answered: work.answered,
      handled: work.handled,
      talk_ms_sum: work.talk_ms_sum,
      hold_ms_sum: work.hold_ms_sum,
      wrapup_ms_sum: work.wrapup_ms_sum,
      holds: work.holds,
      transferred: work.transferred,
    });
  }
  const state = current[0];
  return {
    generatedAt: now.toISOString(),
    agent: { key: agent.key, name: agent.displayName, team: agent.teamName },
    state: state?.state ?? 'offline',
    stateSince: state?.state_since ?? null,
    stateMs,
    kpis: {
      answered: sums.answered,
      handled: sums.handled,
      ahtS: queueKpis.aht_s.compute(sums),
      avgTalkS: queueKpis.avg_talk_s.compute(sums),
      avgHoldS: queueKpis.avg_hold_s.compute(sums),
      avgWrapupS: queueKpis.avg_wrapup_s.compute(sums),
      transferRate: queueKpis.transfer_rate.compute(sums),
      occupancy: agentKpis.occupancy.compute(stateMs),
      utilisation: agentKpis.utilisation.compute(stateMs),
      staffedHours: agentKpis.staffed_hours.compute(stateMs),
    },
  };
}
