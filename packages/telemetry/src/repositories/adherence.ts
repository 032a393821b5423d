import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { agentStates, type AgentState } from '@switchboard/contracts';
import { agentFilter, agentScopeParams, type AgentWindow } from './agents.ts';
import { ChDateTime, queryRows, toChDateTime } from './rows.ts';

/**
 * The agents' state changes over a window, as adherence reads them (packages/kpis adherence.ts):
 * agent.state_changed gives the state and reason code; agent.logged_out is `offline`. The change
 * in effect at the window's start is the last one within `lookbackMs` before it. Duplicated
 * events change nothing here (the same state twice at one instant), so no deduplication is needed.
 */

const StateChangeRow = z.object({ agent_id: z.string(), at: ChDateTime, type: z.string(), state: z.string(), reason_code: z.string() });

export interface AgentStateChange {
  at: number;
  state: AgentState;
  reasonCode?: string;
}

/** A day before the window: an agent logged in longer ago without a change counts as offline. */
const DEFAULT_LOOKBACK_MS = 24 * 60 * 60 * 1000;

const known = new Set<string>(agentStates);

export async function getAgentStateChanges(client: ClickHouseClient, params: AgentWindow & { lookbackMs?: number }): Promise<Map<string, AgentStateChange[]>> {
  const since = new Date(params.from.getTime() - (params.lookbackMs ?? DEFAULT_LOOKBACK_MS));
  const rows = await queryRows(
    client,
    StateChangeRow,
    `SELECT agent_id, toString(occurred_at) AS at, type, state, reason_code
       FROM events
      WHERE tenant_id = {tenantId:String}
        AND type IN ('agent.state_changed', 'agent.logged_out')
        AND occurred_at >= {since:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
        AND ${agentFilter}
      ORDER BY agent_id, occurred_at, type`,
    { tenantId: params.tenantId, since: toChDateTime(since), to: toChDateTime(params.to), ...agentScopeParams(params.agentIds) },
  );
  const byAgent = new Map<string, AgentStateChange[]>();
  const from = params.from.getTime();
  for (const row of rows) {
    const state = row.type === 'agent.logged_out' ? 'offline' : row.state;
    if (!known.has(state)) continue;
    const change: AgentStateChange = { at: Date.parse(row.at), state: state as AgentState, ...(row.reason_code ? { reasonCode: row.reason_code } : {}) };
    const list = byAgent.get(row.agent_id) ?? [];
    // Before the window only the last change matters: it is the state the window starts in.
    if (list.length === 1 && list[0]!.at < from && change.at <= from) list[0] = change;
    else list.push(change);
    byAgent.set(row.agent_id, list);
  }
  return byAgent;
}
