import { recordAudit } from '@switchboard/db';
import { drillMetrics, getDrillDown, getInteractionEvents } from '@switchboard/telemetry';
import { z } from 'zod';
import type { ApiServices } from '../context.ts';
import { canSeeAgent, notFound, type Access } from '../trpc.ts';
import { reportDimensions } from './reports.ts';

const DRILL_LIMIT = 5_000;

export const DrillInput = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    metric: z.enum(drillMetrics),
    /** A report dimension, or intent for self-service figures. */
    dimension: z.enum([...reportDimensions, 'intent']),
    /** The row's key, or the report's key filter for its total; absent: everything in scope. */
    keys: z.array(z.string().min(1).max(64)).min(1).max(1000).optional(),
    limit: z.number().int().min(1).max(DRILL_LIMIT).default(1_000),
  })
  .refine((d) => d.from < d.to, { message: 'from must be before to', path: ['to'] })
  .refine((d) => Date.parse(d.to) - Date.parse(d.from) <= 400 * 86_400_000, { message: 'at most 400 days', path: ['from'] });
export type DrillInput = z.infer<typeof DrillInput>;

/** The agents (telemetry keys) a drill-down by agent or team may list; NOT_FOUND for keys outside the scope. */
function agentsFor(access: Access, dimension: DrillInput['dimension'], keys: string[] | undefined): string[] | undefined {
  const inScope = access.directory.agents.filter((a) => canSeeAgent(access, a.key));
  if (!keys) return access.agentKeys === null ? undefined : inScope.map((a) => a.key);
  if (dimension === 'agent') {
    if (keys.some((k) => !inScope.some((a) => a.key === k))) throw notFound('agent');
    return keys;
  }
  const agents = inScope.filter((a) => keys.includes(a.teamKey));
  if (keys.some((k) => !agents.some((a) => a.teamKey === k))) throw notFound('team');
  return agents.map((a) => a.key);
}

/** The events behind a reported number, with their interactions. */
export async function getInteractionsBehind(services: ApiServices, access: Access, input: DrillInput) {
  const filters = {
    queue: () => ({ queueIds: input.keys }),
    channel: () => ({ channels: input.keys }),
    intent: () => ({ intents: input.keys }),
    agent: () => ({ agentIds: agentsFor(access, input.dimension, input.keys) }),
    team: () => ({ agentIds: agentsFor(access, input.dimension, input.keys) }),
  }[input.dimension]();
  const queues = access.directory.queues;
  const result = await getDrillDown(services.telemetry, {
    tenantId: access.tenantId,
    from: new Date(input.from),
    to: new Date(input.to),
    metric: input.metric,
    ...filters,
    slQueueIds: queues.map((q) => q.key),
    slThresholdsMs: queues.map((q) => q.slThresholdS * 1000),
    limit: input.limit,
  });
  const agentNames = new Map(access.directory.agents.map((a) => [a.key, a.displayName]));
  const queueNames = new Map(queues.map((q) => [q.key, q.name]));
  return {
    total: result.total,
    truncated: result.total > result.rows.length,
    rows: result.rows.map((r) => ({
      eventId: r.event_id,
      occurredAt: r.occurred_at,
      type: r.type,
      interactionId: r.interaction_id,
      queue: queueNames.get(r.queue_id) ?? r.queue_id,
      channel: r.channel,
      agent: r.agent_id ? (agentNames.get(r.agent_id) ?? r.agent_id) : '',
      waitS: r.wait_ms / 1000,
      outcome: r.outcome,
      handledBy: r.handled_by ? (agentNames.get(r.handled_by) ?? r.handled_by) : '',
      disposition: r.disposition,
      handleS: r.handle_ms / 1000,
    })),
  };
}

/** Events stamped in the same millisecond are told in the order they happen in a contact's life. */
const lifecycle = [
  'bot.session_started',
  'bot.turn',
  'bot.session_ended',
  'interaction.offered',
  'interaction.queued',
  'interaction.routed',
  'interaction.answered',
  'agent.state_changed',
  'interaction.held',
  'interaction.resumed',
  'transcript.segment',
  'interaction.transferred',
  'interaction.abandoned',
  'interaction.ended',
  'interaction.wrapup_ended',
  'survey.response',
];
const rank = (type: string) => {
  const i = lifecycle.indexOf(type);
  return i === -1 ? lifecycle.length : i;
};

export const TimelineInput = z.object({
  interactionId: z.string().min(1).max(128),
  /** When the interaction happened (any of its events); events within two days of it are shown. */
  around: z.iso.datetime(),
});

/**
 * One interaction as a timeline of its events: bot turns, queueing, routing, talk, holds,
 * transfers, wrap-up, transcript (stored redacted) and survey. An agent sees only
 * interactions they took part in, and of those their own part; reading a transcript is
 * written to the audit log.
 */
export async function getInteractionTimeline(services: ApiServices, access: Access, viewerId: string, input: z.infer<typeof TimelineInput>) {
  const events = (
    await getInteractionEvents(services.telemetry, {
      tenantId: access.tenantId,
      interactionId: input.interactionId,
      around: new Date(input.around),
    })
  ).sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || rank(a.type) - rank(b.type) || a.segment_index - b.segment_index);
  if (events.length === 0) throw notFound('interaction');
  if (access.agentKeys !== null && !events.some((e) => e.agent_id && access.agentKeys!.has(e.agent_id))) throw notFound('interaction');
  // An agent reads their own part of a call: a colleague's events in it (their handling figures, their states) stay out.
  const shown = access.agentKeys === null ? events : events.filter((e) => !e.agent_id || access.agentKeys!.has(e.agent_id));
  if (shown.some((e) => e.type === 'transcript.segment')) {
    await recordAudit(services.db, {
      tenantId: access.tenantId,
      userId: viewerId,
      action: 'read_transcript',
      objectType: 'interaction',
      objectId: input.interactionId,
    });
  }
  const agentNames = Object.fromEntries(access.directory.agents.map((a) => [a.key, a.displayName]));
  const queueNames = Object.fromEntries(access.directory.queues.map((q) => [q.key, q.name]));
  const involved = <T>(names: Record<string, T>, keys: string[]) => Object.fromEntries(keys.filter((k) => k in names).map((k) => [k, names[k]!]));
  return {
    interactionId: input.interactionId,
    events: shown,
    agents: involved(
      agentNames,
      shown.map((e) => e.agent_id),
    ),
    queues: involved(
      queueNames,
      shown.flatMap((e) => [e.queue_id, e.to_queue_id]),
    ),
  };
}
