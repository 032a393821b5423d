import { AlertCondition, alertMetrics, alertSeverities } from '@switchboard/contracts';
import { alertIncidentStates } from '@switchboard/db';
import { z } from 'zod';
import { AgentState } from './shared.ts';

const AlertMetric = z.enum(Object.keys(alertMetrics) as [keyof typeof alertMetrics, ...(keyof typeof alertMetrics)[]]);
const Severity = z.enum(alertSeverities);

/** A stored alert rule. */
export const AlertRule = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  queueId: z.string().nullable(),
  teamId: z.string().nullable(),
  match: z.enum(['all', 'any']),
  conditions: z.array(AlertCondition),
  fireAfterS: z.number(),
  clearAfterS: z.number(),
  severity: Severity,
  enabled: z.boolean(),
  updatedAt: z.date(),
  updatedBy: z.string().nullable(),
});

/** An incident as screens show it (services/alerts.ts incidentView). */
export const Incident = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  match: z.enum(['all', 'any']),
  conditions: z.array(AlertCondition),
  subject: z.string(),
  subjectKind: z.enum(['queue', 'team']),
  subjectKey: z.string(),
  subjectName: z.string(),
  severity: Severity,
  state: z.enum(alertIncidentStates),
  firedAt: z.string(),
  clearedAt: z.string().nullable(),
  values: z.partialRecord(AlertMetric, z.number().nullable()),
  acknowledgedAt: z.string().nullable(),
  acknowledgedByName: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedByName: z.string().nullable(),
  note: z.string().nullable(),
});

export const IncidentPage = z.object({ incidents: z.array(Incident), more: z.boolean(), timezone: z.string() });

const WallboardQueue = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  channel: z.string(),
  slThresholdS: z.number(),
  slTarget: z.number(),
  waiting: z.number(),
  longestWaitS: z.number().nullable(),
  today: z.object({
    offered: z.number(),
    answered: z.number(),
    abandoned: z.number(),
    serviceLevel: z.number().nullable(),
    asaS: z.number().nullable(),
    abandonRate: z.number().nullable(),
    ahtS: z.number().nullable(),
  }),
  last30: z.object({ answered: z.number(), abandoned: z.number(), serviceLevel: z.number().nullable(), asaS: z.number().nullable() }),
  agentsByState: z.partialRecord(AgentState, z.number()),
  alerts: z.array(Incident),
});

export const Wallboard = z.object({
  generatedAt: z.string(),
  dayStart: z.string(),
  timezone: z.string(),
  queues: z.array(WallboardQueue),
  agents: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      team: z.string(),
      state: AgentState,
      stateSince: z.string().nullable(),
      reasonCode: z.string(),
      interactionId: z.string(),
      queueKey: z.string(),
    }),
  ),
  bots: z.array(
    z.object({
      botId: z.string(),
      sessions: z.number(),
      contained: z.number(),
      escalated: z.number(),
      abandoned: z.number(),
      containment: z.number().nullable(),
    }),
  ),
  teams: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })),
  alerts: z.array(Incident),
});
