import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { agentFilter, agentScopeParams } from './agents.ts';
import { liveRead } from '../client.ts';
import { ChDateTime, queryRows, toChDateTime, UInt64 } from './rows.ts';

/**
 * What the wallboard shows as "now", read from raw events: who is waiting, what every
 * agent is doing. `since` bounds the scan (a contact or a state older than that is not live).
 * Each figure holds when a duplicate is not merged yet: latest times, not counts of events.
 */

export const QueueWaiting = z.object({
  queue_id: z.string(),
  waiting: UInt64,
  oldest_queued_at: ChDateTime,
});
export type QueueWaiting = z.infer<typeof QueueWaiting>;

/**
 * Contacts waiting per queue, with the oldest one's queue time: queued in the queue later
 * than they were last answered or abandoned there (all three come from the router's clock),
 * so a contact queued again after an answer waits again. Latest times rather than counts of
 * distinct event ids: half the cost over a busy day, the wallboard's costliest read.
 */
export function getQueueWaiting(
  client: ClickHouseClient,
  params: { tenantId: string; since: Date; now: Date },
): Promise<QueueWaiting[]> {
  return queryRows(
    client,
    QueueWaiting,
    `SELECT queue_id, count() AS waiting, min(queued_at) AS oldest_queued_at
       FROM (
         SELECT queue_id, interaction_id,
                maxIf(occurred_at, type = 'interaction.queued') AS queued_at,
                maxIf(occurred_at, type != 'interaction.queued') AS done_at
           FROM events
          WHERE tenant_id = {tenantId:String}
            AND occurred_at >= {since:DateTime64(3, 'UTC')} AND occurred_at <= {now:DateTime64(3, 'UTC')}
            AND type IN ('interaction.queued', 'interaction.answered', 'interaction.abandoned')
          GROUP BY queue_id, interaction_id
         HAVING queued_at > done_at
       )
      GROUP BY queue_id
      ORDER BY queue_id`,
    { tenantId: params.tenantId, since: toChDateTime(params.since), now: toChDateTime(params.now) },
    liveRead,
  );
}

export const AgentCurrentState = z.object({
  agent_id: z.string(),
  state: z.string(),
  state_since: ChDateTime,
  reason_code: z.string(),
  interaction_id: z.string(),
  last_queue_id: z.string(),
  last_channel: z.string(),
});
export type AgentCurrentState = z.infer<typeof AgentCurrentState>;

/**
 * Each agent's latest state (logged out → offline), when it began, and the interaction
 * it concerns. `agentIds` narrows to a scope; absent means every agent of the tenant.
 */
export function getAgentCurrentStates(
  client: ClickHouseClient,
  params: { tenantId: string; since: Date; now: Date; agentIds?: readonly string[] | undefined },
): Promise<AgentCurrentState[]> {
  return queryRows(
    client,
    AgentCurrentState,
    `SELECT agent_id,
            argMaxIf(if(type = 'agent.logged_out', 'offline', toString(state)), occurred_at, type != 'interaction.answered') AS state,
            maxIf(occurred_at, type != 'interaction.answered') AS state_since,
            argMaxIf(reason_code, occurred_at, type != 'interaction.answered') AS reason_code,
            argMaxIf(interaction_id, occurred_at, type = 'agent.state_changed') AS interaction_id,
            argMaxIf(queue_id, occurred_at, type = 'interaction.answered') AS last_queue_id,
            argMaxIf(channel, occurred_at, type = 'interaction.answered') AS last_channel
       FROM events
      WHERE tenant_id = {tenantId:String}
        AND occurred_at >= {since:DateTime64(3, 'UTC')} AND occurred_at <= {now:DateTime64(3, 'UTC')}
        AND type IN ('agent.state_changed', 'agent.logged_out', 'interaction.answered')
        AND ${agentFilter}
      GROUP BY agent_id
     HAVING countIf(type != 'interaction.answered') > 0
      ORDER BY agent_id`,
    { tenantId: params.tenantId, since: toChDateTime(params.since), now: toChDateTime(params.now), ...agentScopeParams(params.agentIds) },
    liveRead,
  );
}

/** The self-service sums of bot_intent_interval_15m, as read by every bot query. */
export const botSumsShape = {
  sessions: UInt64,
  contained: UInt64,
  escalated: UInt64,
  abandoned: UInt64,
  turns_sum: UInt64,
  duration_ms_sum: UInt64,
};
export const botSumsSql = Object.keys(botSumsShape)
  .map((c) => `sum(${c}) AS ${c}`)
  .join(', ');

export const BotSumsRow = z.object({ bot_id: z.string(), ...botSumsShape });
export type BotSumsRow = z.infer<typeof BotSumsRow>;

/** Self-service sums per bot over [from, to), from the 15-minute rollup. */
export function getBotSums(client: ClickHouseClient, params: { tenantId: string; from: Date; to: Date }): Promise<BotSumsRow[]> {
  return queryRows(
    client,
    BotSumsRow,
    `SELECT bot_id, ${botSumsSql}
       FROM bot_intent_interval_15m
      WHERE tenant_id = {tenantId:String}
        AND interval_start >= {from:DateTime64(3, 'UTC')} AND interval_start < {to:DateTime64(3, 'UTC')}
      GROUP BY bot_id
      ORDER BY bot_id`,
    { tenantId: params.tenantId, from: toChDateTime(params.from), to: toChDateTime(params.to) },
    liveRead,
  );
}
