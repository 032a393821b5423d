import { schema } from '@switchboard/db';
import { z } from 'zod';
import { AdherenceSettingsInput } from '../services/adherence.ts';
import { ActivityKind, AgentState, Span } from './shared.ts';

/** Adherence for its watchers (supervisors, planners, admins) and each agent's own (minutes, mine, exceptions). */

const NowStatus = z.enum(['out', 'grace', 'exception', 'adherent', 'time_off', 'unscheduled']);
const Severity = z.enum(['ok', 'notice', 'warning', 'critical']);
const Figures = z.object({ adherence: z.number().nullable(), conformance: z.number().nullable(), outOfAdherenceMin: z.number(), scheduledMin: z.number() });
const Sums = z.object({ scheduled_min: z.number(), adherent_min: z.number(), work_scheduled_min: z.number(), productive_min: z.number() });
const Scheduled = z.object({ kind: ActivityKind, start: z.string(), end: z.string() });

export const Realtime = z.object({
  generatedAt: z.string(),
  date: z.string(),
  timezone: z.string(),
  graceMinutes: z.number(),
  criticalAfterS: z.number(),
  teams: z.array(z.object({ key: z.string(), name: z.string() })),
  counts: z.record(NowStatus, z.number()),
  today: Figures,
  agents: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      teamKey: z.string(),
      teamName: z.string(),
      activity: Scheduled.nullable(),
      shiftDate: z.string(),
      next: z.object({ kind: ActivityKind, start: z.string() }).nullable(),
      state: AgentState,
      reasonCode: z.string(),
      stateSince: z.string().nullable(),
      status: NowStatus,
      outSince: z.string().nullable(),
      outForS: z.number().nullable(),
      severity: Severity,
      today: Figures,
    }),
  ),
});

export const Gantt = z.object({
  date: z.string(),
  timezone: z.string(),
  dayStart: z.string(),
  dayEnd: z.string(),
  now: z.string(),
  graceMinutes: z.number(),
  agents: z.array(
    Figures.extend({
      key: z.string(),
      name: z.string(),
      teamName: z.string(),
      shiftDate: z.string(),
      activities: z.array(Scheduled),
      states: z.array(z.object({ state: AgentState, reasonCode: z.string().nullable(), start: z.string(), end: z.string() })),
      out: z.array(Span),
      exceptions: z.array(Span.extend({ id: z.string(), status: z.enum(schema.adherenceExceptionStatuses), reason: z.string() })),
    }),
  ),
});

export const AdherenceReport = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(['agent', 'team', 'day', 'week']),
  timezone: z.string(),
  columns: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      unit: z.enum(['count', 'ratio']),
      better: z.enum(['higher', 'lower', 'neither']),
      formula: z.string(),
      description: z.string(),
    }),
  ),
  rows: z.array(z.object({ key: z.string(), label: z.string(), sums: Sums, kpis: Figures })),
  total: z.object({ sums: Sums, kpis: Figures }),
});

/** One agent's judged day, minute by minute (an agent: their own). */
export const AdherenceMinutes = z.object({
  agent: z.object({ key: z.string(), name: z.string(), teamName: z.string() }),
  date: z.string(),
  timezone: z.string(),
  graceMinutes: z.number(),
  sums: Sums,
  kpis: Figures,
  activities: z.array(Scheduled),
  exceptions: z.array(Span),
  minutes: z.array(
    z.object({
      minute: z.string(),
      activity: ActivityKind.exclude(['time_off']),
      state: AgentState,
      reasonCode: z.string().nullable(),
      verdict: z.enum(['out', 'grace', 'exception', 'adherent']),
    }),
  ),
  events: z.array(z.object({ at: z.string(), state: AgentState, reasonCode: z.string().nullable() })),
});

/** The agent's own widget: where they stand now and today. */
export const MyAdherence = z.object({
  generatedAt: z.string(),
  timezone: z.string(),
  graceMinutes: z.number(),
  state: AgentState,
  stateSince: z.string().nullable(),
  status: NowStatus,
  severity: Severity,
  outSince: z.string().nullable(),
  activity: Scheduled.nullable(),
  next: z.object({ kind: ActivityKind, start: z.string(), inMin: z.number() }).nullable(),
  today: Figures,
});

export const AdherenceSettings = AdherenceSettingsInput.extend({ updatedAt: z.string().nullable(), defaults: AdherenceSettingsInput });

/** An exception; `filedByYou` instead of who filed it, so an agent learns no one's user id. */
export const AdherenceException = z.object({
  id: z.string(),
  agentKey: z.string(),
  agentName: z.string(),
  teamName: z.string(),
  start: z.string(),
  end: z.string(),
  reason: z.string(),
  note: z.string().nullable(),
  status: z.enum(schema.adherenceExceptionStatuses),
  filedByYou: z.boolean(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
