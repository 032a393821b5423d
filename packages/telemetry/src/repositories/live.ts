import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { agentFilter, agentScopeParams } from './agents.ts';
import { liveRead } from '../client.ts';
import { queryRows, toChDateTime, UInt64 } from './rows.ts';

/**
 * What the wallboard shows as "now", read from raw events: who is waiting, what every
 * agent is doing. `since` bounds the scan (a contact or a state older than that is not live).
 * Each figure holds when a duplicate is not merged yet: latest times, not counts of events.
 */

/** Sorts rows by a string key, as ORDER BY on it would. */
const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

export interface QueueWaiting {
  queue_id: string;
  waiting: number;
  oldest_queued_at: string;
}

/**
 * The live reads scan a day of raw events, most of it long settled. They are split at a
 * `cut`: the part before it (`LiveBase`) is read once and reused while the cut stays, and
 * each refresh reads only the events after it, then combines the two in the same way one
 * read of the whole window would. An event that arrives after its base was read with a
 * time before the cut is counted when the cut next moves (see the API's LIVE_CUT_STEP_MS).
 */
export interface LiveBase {
  /** The base covers [since, cut). */
  since: Date;
  cut: Date;
  /** Contacts waiting at the cut. */
  waiting: WaitingContact[];
  /** Each agent's latest state, interaction and answer before the cut. */
  agents: AgentLatest[];
}

/** A base with nothing in it: the next read covers the whole window [since, now]. */
export function emptyLiveBase(since: Date): LiveBase {
  return { since, cut: since, waiting: [], agents: [] };
}

const EpochMs = UInt64;

/** The end of a half-open window that includes `now` (times are whole milliseconds). */
const justAfter = (now: Date) => new Date(now.getTime() + 1);

const WaitingContact = z.object({ queue_id: z.string(), interaction_id: z.string(), queued_ms: EpochMs });
type WaitingContact = z.infer<typeof WaitingContact>;

/**
 * Per contact and queue over [from, to): the latest queue time and the latest answer or
 * abandon time (all from the router's clock); a contact waits when the first is later, so
 * one queued again after an answer waits again. Latest times rather than counts of
 * distinct event ids: the same answer when a duplicate is not merged yet.
 */
const contactTimesSql = `
  SELECT queue_id, interaction_id,
         toUnixTimestamp64Milli(maxIf(occurred_at, type = 'interaction.queued')) AS queued_ms,
         toUnixTimestamp64Milli(maxIf(occurred_at, type != 'interaction.queued')) AS done_ms
    FROM events
   WHERE tenant_id = {tenantId:String}
     AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
     AND type IN ('interaction.queued', 'interaction.answered', 'interaction.abandoned')
   GROUP BY queue_id, interaction_id`;

/** The contacts waiting at the end of [from, to), one row each: a base. */
function getWaitingContacts(client: ClickHouseClient, params: { tenantId: string; from: Date; to: Date }): Promise<WaitingContact[]> {
  return queryRows(
    client,
    WaitingContact,
    `SELECT queue_id, interaction_id, queued_ms FROM (${contactTimesSql}) WHERE queued_ms > done_ms`,
    { tenantId: params.tenantId, from: toChDateTime(params.from), to: toChDateTime(params.to) },
    liveRead,
  );
}

const RecentWaiting = z.object({
  queue_id: z.string(),
  /** '' for the queue's contacts the base does not hold, counted together. */
  contact_id: z.string(),
  waiting: UInt64,
  oldest_ms: EpochMs,
});
type RecentWaiting = z.infer<typeof RecentWaiting>;

/**
 * Contacts waiting at the end of [from, to) per queue, counted in SQL, except those of
 * `baseIds` (waiting at `from`), which come one row each whether waiting or not: any
 * answer or abandon in the window ends the base's wait.
 */
function getRecentWaiting(client: ClickHouseClient, params: { tenantId: string; from: Date; to: Date; baseIds: readonly string[] }): Promise<RecentWaiting[]> {
  return queryRows(
    client,
    RecentWaiting,
    `SELECT queue_id, if(in_base, interaction_id, '') AS contact_id, countIf(queued_ms > done_ms) AS waiting,
            minIf(queued_ms, queued_ms > done_ms) AS oldest_ms
       FROM (SELECT *, interaction_id IN {baseIds:Array(String)} AS in_base FROM (${contactTimesSql}))
      WHERE queued_ms > done_ms OR in_base
      GROUP BY queue_id, contact_id
      ORDER BY queue_id, contact_id`,
    { tenantId: params.tenantId, from: toChDateTime(params.from), to: toChDateTime(params.to), baseIds: params.baseIds },
    liveRead,
  );
}

/**
 * Who waits now: the contacts counted after the cut, and those waiting at the cut that
 * were neither answered, abandoned nor queued anew in the same queue since.
 */
function combineWaiting(base: readonly WaitingContact[], recent: readonly RecentWaiting[]): QueueWaiting[] {
  const key = (queueId: string, interactionId: string) => `${queueId}\u0000${interactionId}`;
  const byQueue = new Map<string, { waiting: number; oldest: number }>();
  const add = (queueId: string, waiting: number, oldest: number) => {
    if (waiting === 0) return;
    const q = byQueue.get(queueId) ?? { waiting: 0, oldest: Infinity };
    byQueue.set(queueId, { waiting: q.waiting + waiting, oldest: Math.min(q.oldest, oldest) });
  };
  const seenAgain = new Set<string>();
  for (const r of recent) {
    if (r.contact_id !== '') seenAgain.add(key(r.queue_id, r.contact_id));
    add(r.queue_id, r.waiting, r.oldest_ms);
  }
  for (const c of base) if (!seenAgain.has(key(c.queue_id, c.interaction_id))) add(c.queue_id, 1, c.queued_ms);
  return [...byQueue]
    .sort(byKey(([queueId]) => queueId))
    .map(([queue_id, q]) => ({ queue_id, waiting: q.waiting, oldest_queued_at: new Date(q.oldest).toISOString() }));
}

/**
 * Past this many contacts waiting at the cut (a router that stopped sending answers), the
 * base's ids would make every refresh's query large: the whole window is read instead.
 */
const BASE_WAITING_MAX = 2_000;

/** Contacts waiting per queue now, with the oldest one's queue time. */
export async function getQueueWaiting(client: ClickHouseClient, params: { tenantId: string; now: Date; base: LiveBase }): Promise<QueueWaiting[]> {
  const base = params.base.waiting.length > BASE_WAITING_MAX ? emptyLiveBase(params.base.since) : params.base;
  const recent = await getRecentWaiting(client, {
    tenantId: params.tenantId,
    from: base.cut,
    to: justAfter(params.now),
    baseIds: base.waiting.map((c) => c.interaction_id),
  });
  return combineWaiting(base.waiting, recent);
}

const AgentLatest = z.object({
  agent_id: z.string(),
  state: z.string(),
  /** Time of the latest state event (state changed or logged out); 0 when none. */
  state_ms: EpochMs,
  reason_code: z.string(),
  interaction_id: z.string(),
  /** Time of the latest state change, which carries the interaction. */
  changed_ms: EpochMs,
  last_queue_id: z.string(),
  last_channel: z.string(),
  /** Time of the latest answer, which carries the queue and channel. */
  answered_ms: EpochMs,
});
type AgentLatest = z.infer<typeof AgentLatest>;

/** Each agent's latest state, state change and answer over [from, to). `agentIds` narrows to a scope. */
function getAgentLatest(
  client: ClickHouseClient,
  params: { tenantId: string; from: Date; to: Date; agentIds?: readonly string[] | undefined },
): Promise<AgentLatest[]> {
  return queryRows(
    client,
    AgentLatest,
    `SELECT agent_id,
            argMaxIf(if(type = 'agent.logged_out', 'offline', toString(state)), occurred_at, type != 'interaction.answered') AS state,
            toUnixTimestamp64Milli(maxIf(occurred_at, type != 'interaction.answered')) AS state_ms,
            argMaxIf(reason_code, occurred_at, type != 'interaction.answered') AS reason_code,
            argMaxIf(interaction_id, occurred_at, type = 'agent.state_changed') AS interaction_id,
            toUnixTimestamp64Milli(maxIf(occurred_at, type = 'agent.state_changed')) AS changed_ms,
            argMaxIf(queue_id, occurred_at, type = 'interaction.answered') AS last_queue_id,
            argMaxIf(channel, occurred_at, type = 'interaction.answered') AS last_channel,
            toUnixTimestamp64Milli(maxIf(occurred_at, type = 'interaction.answered')) AS answered_ms
       FROM events
      WHERE tenant_id = {tenantId:String}
        AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
        AND type IN ('agent.state_changed', 'agent.logged_out', 'interaction.answered')
        AND ${agentFilter}
      GROUP BY agent_id`,
    {
      tenantId: params.tenantId,
      from: toChDateTime(params.from),
      to: toChDateTime(params.to),
      ...agentScopeParams(params.agentIds),
    },
    liveRead,
  );
}

export interface AgentCurrentState {
  agent_id: string;
  state: string;
  state_since: string;
  reason_code: string;
  interaction_id: string;
  last_queue_id: string;
  last_channel: string;
}

/**
 * Each agent's latest of each kind from the base and from the events since its cut (the
 * later one wins, the base's on a tie it cannot have: the windows do not overlap); agents
 * with no state event in either are not live.
 */
function combineAgentStates(base: readonly AgentLatest[], recent: readonly AgentLatest[]): AgentCurrentState[] {
  const merged = new Map(base.map((a) => [a.agent_id, a]));
  for (const r of recent) {
    const b = merged.get(r.agent_id);
    if (!b) {
      merged.set(r.agent_id, r);
      continue;
    }
    const state = r.state_ms > b.state_ms ? r : b;
    const changed = r.changed_ms > b.changed_ms ? r : b;
    const answered = r.answered_ms > b.answered_ms ? r : b;
    merged.set(r.agent_id, {
      agent_id: r.agent_id,
      state: state.state,
      state_ms: state.state_ms,
      reason_code: state.reason_code,
      interaction_id: changed.interaction_id,
      changed_ms: changed.changed_ms,
      last_queue_id: answered.last_queue_id,
      last_channel: answered.last_channel,
      answered_ms: answered.answered_ms,
    });
  }
  return [...merged.values()]
    .filter((a) => a.state_ms > 0)
    .sort(byKey((a) => a.agent_id))
    .map((a) => ({
      agent_id: a.agent_id,
      state: a.state,
      state_since: new Date(a.state_ms).toISOString(),
      reason_code: a.reason_code,
      interaction_id: a.interaction_id,
      last_queue_id: a.last_queue_id,
      last_channel: a.last_channel,
    }));
}

/**
 * Each agent's latest state (logged out → offline), when it began, and the interaction
 * it concerns. `agentIds` narrows to a scope (of the base too, which may hold every agent);
 * absent means every agent of the tenant.
 */
export async function getAgentCurrentStates(
  client: ClickHouseClient,
  params: { tenantId: string; now: Date; base: LiveBase; agentIds?: readonly string[] | undefined },
): Promise<AgentCurrentState[]> {
  const { agentIds } = params;
  const recent = await getAgentLatest(client, { tenantId: params.tenantId, from: params.base.cut, to: justAfter(params.now), agentIds });
  const base = agentIds ? params.base.agents.filter((a) => agentIds.includes(a.agent_id)) : params.base.agents;
  return combineAgentStates(base, recent);
}

/** Reads the live reads' base over [since, cut) for every agent and queue of a tenant. */
export async function getLiveBase(client: ClickHouseClient, params: { tenantId: string; since: Date; cut: Date }): Promise<LiveBase> {
  const window = { tenantId: params.tenantId, from: params.since, to: params.cut };
  const [waiting, agents] = await Promise.all([getWaitingContacts(client, window), getAgentLatest(client, window)]);
  return { since: params.since, cut: params.cut, waiting, agents };
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
