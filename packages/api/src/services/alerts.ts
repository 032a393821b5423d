import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { alertSeverities, alertSubjectKind, type AlertRuleInput, type AlertWebhookData } from '@switchboard/contracts';
import {
  acknowledgeAlertIncident,
  alertIncidentStates,
  deleteAlertRule,
  emitWebhookEvent,
  listAlertIncidents,
  listAlertRules,
  resolveAlertIncident,
  saveAlertRule,
  type AlertIncident,
  type AlertIncidentRow,
  type AlertRule,
  type Directory,
} from '@switchboard/db';
import type { ApiServices } from '../context.ts';
import { notFound, type Access } from '../trpc.ts';
import { webhookStarter } from './webhooks.ts';

/**
 * Alert rules, and the incidents the evaluator (alert-evaluation.ts) opens from them, which
 * people acknowledge and resolve. Queue rules and incidents are tenant-wide, as queue figures
 * are; a supervisor sees the rules and incidents of their own teams only, and rules for every
 * team are an administrator's.
 */

// ── subjects and scope ────────────────────────────────────────────────────────

export const queueSubject = (queueKey: string) => `queue:${queueKey}`;
export const teamSubject = (teamKey: string) => `team:${teamKey}`;

/** The subjects a rule watches now: its queue or team, or every one of its kind. */
export function subjectsOf(rule: Pick<AlertRule, 'queueId' | 'teamId' | 'conditions'>, directory: Directory): string[] {
  if (alertSubjectKind(rule.conditions) === 'team') {
    return directory.teams.filter((t) => rule.teamId === null || t.id === rule.teamId).map((t) => teamSubject(t.key));
  }
  return directory.queues.filter((q) => rule.queueId === null || q.id === rule.queueId).map((q) => queueSubject(q.key));
}

/** A subject as people read it: its kind, key and name (the key again when it is gone from the directory). */
function describeSubject(subject: string, directory: Directory) {
  const [kind, key] = subject.startsWith('team:') ? (['team', subject.slice(5)] as const) : (['queue', subject.slice(6)] as const);
  const name = (kind === 'team' ? directory.teams : directory.queues).find((x) => x.key === key)?.name ?? key;
  return { subjectKind: kind, subjectKey: key, subjectName: name };
}

/** The teams a viewer answers for: null for tenant scope, else the teams of the agents in their scope. */
export function teamsInScope(access: Access): { ids: ReadonlySet<string>; keys: string[] } | null {
  if (access.agentKeys === null) return null;
  const teams = access.directory.agents.filter((a) => access.agentKeys!.has(a.key));
  return { ids: new Set(teams.map((a) => a.teamId)), keys: [...new Set(teams.map((a) => a.teamKey))] };
}

/** Whether a stored rule is within a viewer's scope: queue rules are; team rules of their teams are. */
function ruleInScope(access: Access): (rule: Pick<AlertRule, 'teamId' | 'conditions'>) => boolean {
  const teams = teamsInScope(access);
  return (rule) => teams === null || alertSubjectKind(rule.conditions) === 'queue' || (rule.teamId !== null && teams.ids.has(rule.teamId));
}

// ── rules ─────────────────────────────────────────────────────────────────────

export async function listRules(services: ApiServices, access: Access): Promise<AlertRule[]> {
  const inScope = ruleInScope(access);
  return (await listAlertRules(services.db, access.tenantId)).filter(inScope);
}

export async function saveRule(services: ApiServices, access: Access, userId: string, input: AlertRuleInput): Promise<AlertRule> {
  const teams = teamsInScope(access);
  if (teams !== null && alertSubjectKind(input.conditions) === 'team') {
    if (!input.teamId) throw new TRPCError({ code: 'FORBIDDEN', message: 'a rule for every team is for administrators: choose one of your teams' });
    if (!teams.ids.has(input.teamId)) throw notFound('team');
  }
  const saved = await saveAlertRule(services.db, access.tenantId, userId, input, ruleInScope(access));
  if (!saved) throw notFound(input.id ? 'alert rule' : input.teamId ? 'team' : 'queue');
  return saved;
}

/** Deletes a rule and its history; an incident it still had open is announced as cleared. */
export async function removeRule(services: ApiServices, access: Access, userId: string, id: string): Promise<{ id: string }> {
  const removed = await deleteAlertRule(services.db, access.tenantId, userId, id, ruleInScope(access));
  if (!removed) throw notFound('alert rule');
  if (removed.open.length > 0) {
    const now = services.now();
    services.live.invalidate(access.tenantId);
    for (const incident of removed.open) await emitAlertEvent(services, access.tenantId, 'alert.cleared', { ...incident, clearedAt: now }, removed.rule.name);
  }
  return { id };
}

// ── incidents ─────────────────────────────────────────────────────────────────

const INCIDENT_PAGE = 50;

export const IncidentsInput = z
  .object({
    state: z.enum(alertIncidentStates).optional(),
    severity: z.enum(alertSeverities).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** The last incident of the previous page (named for tRPC's infinite queries). */
    cursor: z.object({ open: z.boolean(), firedAt: z.iso.datetime({ offset: true }), id: z.uuid() }).nullish(),
  })
  .refine((i) => !i.from || !i.to || Date.parse(i.from) < Date.parse(i.to), { message: 'from must be before to', path: ['to'] });

export const AcknowledgeInput = z.object({ id: z.uuid() });
export const ResolveInput = z.object({ id: z.uuid(), note: z.string().trim().max(1_000).optional() });

/** An incident as screens show it: its rule, its subject named, where it stands. */
export function incidentView(row: AlertIncidentRow, directory: Directory) {
  return {
    id: row.id,
    ruleId: row.ruleId,
    ruleName: row.ruleName,
    match: row.match,
    conditions: row.conditions,
    subject: row.subject,
    ...describeSubject(row.subject, directory),
    severity: row.severity,
    state: row.clearedAt === null ? ('open' as const) : row.resolvedAt === null ? ('cleared' as const) : ('resolved' as const),
    firedAt: row.firedAt.toISOString(),
    clearedAt: row.clearedAt?.toISOString() ?? null,
    values: row.values,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedByName: row.acknowledgedByName,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedByName: row.resolvedByName,
    note: row.note,
  };
}

export type IncidentView = ReturnType<typeof incidentView>;

/** Open incidents first, then the history, newest first, a page at a time. */
export async function listIncidents(services: ApiServices, access: Access, input: z.infer<typeof IncidentsInput>) {
  const rows = await listAlertIncidents(services.db, access.tenantId, {
    state: input.state,
    severity: input.severity,
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? new Date(input.to) : undefined,
    teamKeys: teamsInScope(access)?.keys ?? null,
    after: input.cursor ? { open: input.cursor.open, firedAt: new Date(input.cursor.firedAt), id: input.cursor.id } : undefined,
    limit: INCIDENT_PAGE + 1,
  });
  return {
    incidents: rows.slice(0, INCIDENT_PAGE).map((r) => incidentView(r, access.directory)),
    more: rows.length > INCIDENT_PAGE,
    timezone: access.directory.timezone,
  };
}

/** One incident as the list shows it, after a change. */
async function viewOf(services: ApiServices, access: Access, id: string): Promise<IncidentView> {
  const [row] = await listAlertIncidents(services.db, access.tenantId, { id, teamKeys: null, limit: 1 });
  if (!row) throw notFound('alert incident');
  return incidentView(row, access.directory);
}

export async function acknowledgeIncident(
  services: ApiServices,
  access: Access,
  userId: string,
  input: z.infer<typeof AcknowledgeInput>,
): Promise<IncidentView> {
  const incident = await acknowledgeAlertIncident(services.db, access.tenantId, userId, input.id, teamsInScope(access)?.keys ?? null, services.now());
  if (!incident) throw notFound('alert incident');
  services.live.invalidate(access.tenantId);
  return viewOf(services, access, incident.id);
}

/** Closes an incident; one still firing ends, is announced as cleared and may fire again if its figures still breach. */
export async function resolveIncident(services: ApiServices, access: Access, userId: string, input: z.infer<typeof ResolveInput>): Promise<IncidentView> {
  const resolved = await resolveAlertIncident(
    services.db,
    access.tenantId,
    userId,
    { id: input.id, note: input.note || null },
    teamsInScope(access)?.keys ?? null,
    services.now(),
  );
  if (!resolved) throw notFound('alert incident');
  services.live.invalidate(access.tenantId);
  const view = await viewOf(services, access, resolved.incident.id);
  if (resolved.ended) await emitAlertEvent(services, access.tenantId, 'alert.cleared', resolved.incident, view.ruleName);
  return view;
}

// ── webhooks ──────────────────────────────────────────────────────────────────

/** `alert.fired` or `alert.cleared` to the tenant's subscriptions: ids and figures only. */
export async function emitAlertEvent(
  services: ApiServices,
  tenantId: string,
  kind: 'alert.fired' | 'alert.cleared',
  incident: AlertIncident,
  ruleName: string,
): Promise<void> {
  const data: AlertWebhookData = {
    incidentId: incident.id,
    ruleId: incident.ruleId,
    ruleName,
    subject: incident.subject,
    severity: incident.severity,
    firedAt: incident.firedAt.toISOString(),
    clearedAt: incident.clearedAt?.toISOString() ?? null,
    values: incident.values,
  };
  const occurredAt = kind === 'alert.fired' ? incident.firedAt : (incident.clearedAt ?? services.now());
  await emitWebhookEvent(services.db, tenantId, { kind, subjectId: incident.id, occurredAt, data }, webhookStarter(services));
}
