import type { agentStates } from '@switchboard/contracts';
import { applyServiceLevelThreshold, botKpis, computeQueueKpis, emptyQueueSums, queueKpis, type QueueSums } from '@switchboard/kpis';
import { listAlertIncidents, type Directory } from '@switchboard/db';
import { getAgentCurrentStates, getBotSums, getLiveBase, getQueueSums, getQueueWaiting, getRecentQueueSums, type LiveBase } from '@switchboard/telemetry';
import type { ApiServices } from '../context.ts';
import type { Access } from '../trpc.ts';
import { incidentView, queueSubject, teamsInScope, type IncidentView } from './alerts.ts';
import { localDayStartOf } from '@switchboard/calendar';

const LIVE_WINDOW_MS = 24 * 3_600_000;
const RECENT_WINDOW_MS = 30 * 60_000;

type AgentStateName = (typeof agentStates)[number];

export interface WallboardQueue {
  id: string;
  key: string;
  name: string;
  channel: string;
  slThresholdS: number;
  slTarget: number;
  waiting: number;
  longestWaitS: number | null;
  today: {
    offered: number;
    answered: number;
    abandoned: number;
    serviceLevel: number | null;
    asaS: number | null;
    abandonRate: number | null;
    ahtS: number | null;
  };
  last30: { answered: number; abandoned: number; serviceLevel: number | null; asaS: number | null };
  /** Logged-in agents with the queue's skill, by state. */
  agentsByState: Partial<Record<AgentStateName, number>>;
  /** The queue's open incidents, critical first. */
  alerts: IncidentView[];
}

export interface WallboardAgent {
  key: string;
  name: string;
  team: string;
  state: AgentStateName;
  stateSince: string | null;
  reasonCode: string;
  interactionId: string;
  queueKey: string;
}

export interface Wallboard {
  generatedAt: string;
  dayStart: string;
  timezone: string;
  queues: WallboardQueue[];
  agents: WallboardAgent[];
  bots: { botId: string; sessions: number; contained: number; escalated: number; abandoned: number; containment: number | null }[];
  /** The teams in the viewer's scope (alert rules can watch them). */
  teams: { id: string; key: string; name: string }[];
  /** Open incidents of queues and of the viewer's teams, critical first, then the newest. */
  alerts: IncidentView[];
}

/**
 * Who waits and what agents do is read from a day of raw events, split at a cut (see
 * LiveBase): the part before it is read once per cut and tenant. The cut moves every five
 * minutes and stays at least ten minutes back, so an event that arrives up to ten minutes
 * late still lands after it; a later one counts from the next cut on. Every refresh reads
 * the events after the cut: the lag is most of a refresh's cost.
 */
export const LIVE_CUT_STEP_MS = 5 * 60_000;
const LIVE_CUT_LAG_MS = 10 * 60_000;

/** The tenant's live base for `now`, read once per cut (also for one agent's day). */
export function getSharedLiveBase(services: ApiServices, tenantId: string, now: Date): Promise<LiveBase> {
  const cut = Math.floor((now.getTime() - LIVE_CUT_LAG_MS) / LIVE_CUT_STEP_MS) * LIVE_CUT_STEP_MS;
  const since = new Date(cut + LIVE_CUT_LAG_MS - LIVE_WINDOW_MS);
  return services.liveBase.get(`${tenantId}:${cut}`, () => getLiveBase(services.telemetry, { tenantId, since, cut: new Date(cut) }));
}

/** Open incidents a wallboard shows at most: more than any screen can list. */
const MAX_OPEN_INCIDENTS = 1_000;

/** Everything the wallboard reads for a tenant at one moment, whoever is looking. */
async function loadLive(services: ApiServices, tenantId: string, timezone: string) {
  const now = services.now();
  const dayStart = localDayStartOf(now, timezone);
  const client = services.telemetry;
  const base = getSharedLiveBase(services, tenantId, now);
  const [today, recent, waiting, states, bots, incidents] = await Promise.all([
    getQueueSums(client, { tenantId, from: dayStart, to: now }),
    getRecentQueueSums(client, { tenantId, from: new Date(now.getTime() - RECENT_WINDOW_MS), to: now }),
    base.then((b) => getQueueWaiting(client, { tenantId, now, base: b })),
    base.then((b) => getAgentCurrentStates(client, { tenantId, now, base: b })),
    getBotSums(client, { tenantId, from: dayStart, to: now }),
    listAlertIncidents(services.db, tenantId, { state: 'open', teamKeys: null, limit: MAX_OPEN_INCIDENTS }),
  ]);
  return { now, dayStart, today, recent, waiting, states, bots, incidents };
}

type Live = Awaited<ReturnType<typeof loadLive>>;

/** The tenant's live data from the loader every viewer and the alert evaluator share. */
function getLive(services: ApiServices, tenantId: string, directory: Directory): Promise<Live> {
  return services.live.get(tenantId, () => loadLive(services, tenantId, directory.timezone));
}

function sumsByQueue(rows: { queue_id: string; sums: QueueSums }[]): Map<string, QueueSums> {
  return new Map(rows.map((r) => [r.queue_id, r.sums]));
}

/** Every queue's figures now, tenant-wide: the wallboard's tiles and what queue alert rules watch. */
function queueFigures(live: Live, directory: Directory): Omit<WallboardQueue, 'alerts'>[] {
  const { now, today, recent, waiting, states } = live;
  const todayByQueue = sumsByQueue(today);
  const recentByQueue = sumsByQueue(recent);
  const waitingByQueue = new Map(waiting.map((w) => [w.queue_id, w]));
  const stateByAgent = new Map(states.map((s) => [s.agent_id, s]));
  return directory.queues.map((q) => {
    const todayKpis = computeQueueKpis(applyServiceLevelThreshold(todayByQueue.get(q.key) ?? emptyQueueSums(), q.slThresholdS));
    const recentSums = applyServiceLevelThreshold(recentByQueue.get(q.key) ?? emptyQueueSums(), q.slThresholdS);
    const w = waitingByQueue.get(q.key);
    const agentsByState: WallboardQueue['agentsByState'] = {};
    for (const agent of directory.agents) {
      if (!agent.skillIds.includes(q.skillId)) continue;
      const state = (stateByAgent.get(agent.key)?.state ?? 'offline') as AgentStateName;
      if (state === 'offline') continue;
      agentsByState[state] = (agentsByState[state] ?? 0) + 1;
    }
    return {
      id: q.id,
      key: q.key,
      name: q.name,
      channel: q.channel,
      slThresholdS: q.slThresholdS,
      slTarget: q.slTarget,
      waiting: w?.waiting ?? 0,
      longestWaitS: w ? Math.max(0, (now.getTime() - Date.parse(w.oldest_queued_at)) / 1000) : null,
      today: {
        offered: todayKpis.offered ?? 0,
        answered: todayKpis.answered ?? 0,
        abandoned: todayKpis.abandoned ?? 0,
        serviceLevel: todayKpis.service_level,
        asaS: todayKpis.asa_s,
        abandonRate: todayKpis.abandon_rate,
        ahtS: todayKpis.aht_s,
      },
      last30: {
        answered: recentSums.answered,
        abandoned: recentSums.abandoned,
        serviceLevel: queueKpis.service_level.compute(recentSums),
        asaS: queueKpis.asa_s.compute(recentSums),
      },
      agentsByState,
    };
  });
}

/** Every queue's live figures by queue key, from the wallboard's shared load (the alert evaluator reads them so). */
export async function getLiveQueueFigures(services: ApiServices, tenantId: string, directory: Directory) {
  const live = await getLive(services, tenantId, directory);
  return new Map(queueFigures(live, directory).map((q) => [q.key, q]));
}

const severityRank = { critical: 0, warning: 1 } as const;
const byUrgency = (a: IncidentView, b: IncidentView) => severityRank[a.severity] - severityRank[b.severity] || b.firedAt.localeCompare(a.firedAt);

/**
 * The real-time wallboard: queue tiles (tenant-wide), the agent grid (narrowed to the
 * viewer's scope), self-service containment today and the open incidents of the alert
 * evaluator (of queues, and of the viewer's teams): every viewer sees the same alerts.
 */
export async function getWallboard(services: ApiServices, access: Access): Promise<Wallboard> {
  const { directory, tenantId } = access;
  const live = await getLive(services, tenantId, directory);
  const { now, dayStart, states, bots } = live;
  const stateByAgent = new Map(states.map((s) => [s.agent_id, s]));
  const teams = teamsInScope(access);
  const alerts = live.incidents
    .map((row) => incidentView(row, directory))
    .filter((i) => i.subjectKind === 'queue' || teams === null || teams.keys.includes(i.subjectKey))
    .sort(byUrgency);
  const queues = queueFigures(live, directory).map((q): WallboardQueue => ({ ...q, alerts: alerts.filter((a) => a.subject === queueSubject(q.key)) }));

  const agents = directory.agents
    .filter((a) => access.agentKeys === null || access.agentKeys.has(a.key))
    .map((a): WallboardAgent => {
      const s = stateByAgent.get(a.key);
      return {
        key: a.key,
        name: a.displayName,
        team: a.teamName,
        state: (s?.state ?? 'offline') as AgentStateName,
        stateSince: s?.state_since ?? null,
        reasonCode: s?.reason_code ?? '',
        interactionId: s && (s.state === 'on_interaction' || s.state === 'wrap_up') ? s.interaction_id : '',
        queueKey: s && (s.state === 'on_interaction' || s.state === 'wrap_up') ? s.last_queue_id : '',
      };
    });

  return {
    generatedAt: now.toISOString(),
    dayStart: dayStart.toISOString(),
    timezone: directory.timezone,
    queues,
    agents,
    bots: bots.map((b) => ({
      botId: b.bot_id,
      sessions: b.sessions,
      contained: b.contained,
      escalated: b.escalated,
      abandoned: b.abandoned,
      containment: botKpis.containment.compute(b),
    })),
    teams: directory.teams.filter((team) => teams === null || teams.ids.has(team.id)).map(({ id, key, name }) => ({ id, key, name })),
    alerts,
  };
}
