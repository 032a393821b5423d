import { drillMetrics, reportGrains } from '@switchboard/telemetry';
import { z } from 'zod';
import { reportDimensions } from '../services/reports.ts';
import { Role, Scope } from './shared.ts';

/** Reports and the reads beside them: who is signed in, an agent's day, one interaction, the desktop panel's figures. */

/** Who is signed in (session.me): their own name and ids, the teams they supervise, the agent they are. */
export const SessionMe = z.object({
  userId: z.string(),
  name: z.string(),
  role: Role,
  qualityLead: z.boolean(),
  scope: Scope,
  timezone: z.string(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  agent: z.object({ key: z.string(), name: z.string(), team: z.string() }).nullable(),
});

const Window = z.object({ from: z.string(), to: z.string() });
const Kpis = z.record(z.string(), z.number().nullable());
const ReportRow = z.object({ key: z.string(), label: z.string(), kpis: Kpis, previous: Kpis.optional(), importedIntervals: z.number().optional() });

export const Report = z.object({
  dimension: z.enum(reportDimensions),
  grain: z.enum(reportGrains),
  timezone: z.string(),
  window: Window,
  previousWindow: Window.nullable(),
  columns: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      unit: z.enum(['count', 'ratio', 'seconds']),
      better: z.enum(['higher', 'lower', 'neither']),
      formula: z.string(),
      drill: z.enum(drillMetrics).optional(),
    }),
  ),
  rows: z.array(ReportRow),
  total: ReportRow,
  series: z.array(z.object({ bucket: z.string(), kpis: Kpis, previous: Kpis.optional(), importedIntervals: z.number().optional() })),
});

export const Drill = z.object({
  total: z.number(),
  truncated: z.boolean(),
  rows: z.array(
    z.object({
      eventId: z.string(),
      occurredAt: z.string(),
      type: z.string(),
      interactionId: z.string(),
      queue: z.string(),
      channel: z.string(),
      agent: z.string(),
      waitS: z.number(),
      outcome: z.string(),
      handledBy: z.string(),
      disposition: z.string(),
      handleS: z.number(),
    }),
  ),
});

const BotFigures = z.object({
  sessions: z.number(),
  contained: z.number(),
  escalated: z.number(),
  abandoned: z.number(),
  containment: z.number().nullable(),
  escalationRate: z.number().nullable(),
  abandonRate: z.number().nullable(),
  avgTurns: z.number().nullable(),
});
const EscalationReason = z.object({ reason: z.string(), escalated: z.number() });

export const BotReport = z.object({
  timezone: z.string(),
  window: Window,
  total: BotFigures,
  intents: z.array(BotFigures.extend({ intent: z.string(), label: z.string(), reasons: z.array(EscalationReason) })),
  reasons: z.array(EscalationReason),
  series: z.array(BotFigures.extend({ bucket: z.string() })),
});

/**
 * One interaction's events (an agent reads only interactions they took part in). The columns are named one by one:
 * anything the telemetry read adds later (a customer reference, say) stays behind.
 */
export const Timeline = z.object({
  interactionId: z.string(),
  events: z.array(
    z.object({
      event_id: z.string(),
      type: z.string(),
      occurred_at: z.string(),
      source: z.string(),
      queue_id: z.string(),
      channel: z.string(),
      agent_id: z.string(),
      intent: z.string(),
      routing_reason: z.string(),
      to_queue_id: z.string(),
      transfer_type: z.string(),
      wait_ms: z.number(),
      talk_ms: z.number(),
      hold_ms: z.number(),
      wrapup_ms: z.number(),
      disposition: z.string(),
      state: z.string(),
      bot_id: z.string(),
      turn_index: z.number(),
      confidence: z.number(),
      outcome: z.string(),
      escalation_reason: z.string(),
      turns: z.number(),
      duration_ms: z.number(),
      segment_index: z.number(),
      speaker: z.string(),
      start_ms: z.number(),
      end_ms: z.number(),
      text: z.string(),
      csat: z.number(),
      nps: z.number(),
      resolved: z.number(),
    }),
  ),
  agents: z.record(z.string(), z.string()),
  queues: z.record(z.string(), z.string()),
});

/** One agent's day so far (an agent their own only). */
export const AgentDay = z.object({
  generatedAt: z.string(),
  agent: z.object({ key: z.string(), name: z.string(), team: z.string() }),
  state: z.string(),
  stateSince: z.string().nullable(),
  stateMs: z.partialRecord(z.string(), z.number()),
  kpis: z.object({
    answered: z.number(),
    handled: z.number(),
    ahtS: z.number().nullable(),
    avgTalkS: z.number().nullable(),
    avgHoldS: z.number().nullable(),
    avgWrapupS: z.number().nullable(),
    transferRate: z.number().nullable(),
    occupancy: z.number().nullable(),
    utilisation: z.number().nullable(),
    staffedHours: z.number(),
  }),
});

const DesktopFigures = z.object({
  handled: z.number(),
  aht_s: z.number().nullable(),
  hold_rate: z.number().nullable(),
  transfer_rate: z.number().nullable(),
  csat: z.number().nullable(),
});

/**
 * The desktop panel's figures: the agent's own beside one aggregate of their team, never a colleague's; a team figure
 * with too few colleagues behind it is null (services/desktop.ts).
 */
export const DesktopKpis = z.object({
  since: z.string(),
  teamName: z.string(),
  mine: DesktopFigures,
  team: DesktopFigures.extend({ handled: z.number().nullable(), agents: z.number() }),
});
