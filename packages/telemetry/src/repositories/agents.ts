import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows, toChDateTime, UInt64 } from './rows.ts';

export interface AgentWindow {
  tenantId: string;
  from: Date;
  to: Date;
  /** Narrow to these agents (telemetry keys); absent: every agent of the tenant. */
  agentIds?: readonly string[] | undefined;
}

export const agentFilter = `({allAgents:UInt8} = 1 OR agent_id IN {agentIds:Array(String)})`;

/** Parameters of `agentFilter`. */
export function agentScopeParams(agentIds: readonly string[] | undefined) {
  return { allAgents: agentIds ? 0 : 1, agentIds: agentIds ?? [] };
}

function windowParams(params: AgentWindow) {
  return { tenantId: params.tenantId, from: toChDateTime(params.from), to: toChDateTime(params.to), ...agentScopeParams(params.agentIds) };
}

export const AgentStateMsRow = z.object({ agent_id: z.string(), state: z.string(), state_ms: UInt64 });
export type AgentStateMsRow = z.infer<typeof AgentStateMsRow>;

/** Time per agent and state over [from, to) (15-minute boundaries), from the rollup. */
export function getAgentStateMs(client: ClickHouseClient, params: AgentWindow): Promise<AgentStateMsRow[]> {
  return queryRows(
    client,
    AgentStateMsRow,
    `SELECT agent_id, state, sum(state_ms) AS state_ms
       FROM agent_state_interval_15m
      WHERE tenant_id = {tenantId:String}
        AND interval_start >= {from:DateTime64(3, 'UTC')} AND interval_start < {to:DateTime64(3, 'UTC')}
        AND ${agentFilter}
      GROUP BY agent_id, state
      ORDER BY agent_id, state`,
    windowParams(params),
  );
}

export const AgentWorkRow = z.object({
  agent_id: z.string(),
  answered: UInt64,
  handled: UInt64,
  talk_ms_sum: UInt64,
  hold_ms_sum: UInt64,
  wrapup_ms_sum: UInt64,
  holds: UInt64,
  transferred: UInt64,
});
export type AgentWorkRow = z.infer<typeof AgentWorkRow>;

/** What each agent handled in [from, to): counts and handle-time parts, from raw events. */
export function getAgentWork(client: ClickHouseClient, params: AgentWindow): Promise<AgentWorkRow[]> {
  return queryRows(
    client,
    AgentWorkRow,
    `SELECT agent_id,
            uniqExactIf(event_id, type = 'interaction.answered') AS answered,
            uniqExactIf(event_id, type = 'interaction.ended') AS handled,
            sumIf(toUInt64(talk_ms), type = 'interaction.ended') AS talk_ms_sum,
            sumIf(toUInt64(hold_ms), type = 'interaction.ended') AS hold_ms_sum,
            sumIf(toUInt64(wrapup_ms), type = 'interaction.wrapup_ended') AS wrapup_ms_sum,
            countIf(type = 'interaction.held') AS holds,
            countIf(type = 'interaction.transferred') AS transferred
       FROM events
      WHERE tenant_id = {tenantId:String}
        AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
        AND type IN ('interaction.answered', 'interaction.ended', 'interaction.wrapup_ended', 'interaction.held', 'interaction.transferred')
        AND ${agentFilter}
      GROUP BY agent_id
      ORDER BY agent_id`,
    windowParams(params),
  );
}
