import { and, desc, eq, exists, gte, inArray, isNotNull, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { AlertSeverity } from '@switchboard/contracts';
import type { AlertIncident, AlertRule } from './alert-rules.ts';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { alertIncidents, alertRules, alertStates, tenants, users } from './schema.ts';
import { withTenant } from './tenancy.ts';

/**
 * What the alert evaluator remembers between runs (alert_states: since when a rule breaches or
 * recovers for a subject) and the incidents it opens and ends, which people acknowledge and
 * resolve. Subjects are `queue:<queue key>` or `team:<team key>`.
 */

type AlertStateRow = typeof alertStates.$inferSelect;

export interface AlertMemory {
  rules: AlertRule[];
  states: AlertStateRow[];
  open: AlertIncident[];
}

/**
 * The tenants the evaluator visits: those with an enabled rule, or an incident still open (of a
 * rule disabled since). Run outside any tenant, as the lookups that find tenants are.
 */
export async function listTenantsWithAlerts(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(
      and(
        isNull(tenants.disabledAt),
        or(
          exists(
            db
              .select({ one: sql`1` })
              .from(alertRules)
              .where(and(eq(alertRules.tenantId, tenants.id), eq(alertRules.enabled, true))),
          ),
          exists(
            db
              .select({ one: sql`1` })
              .from(alertIncidents)
              .where(and(eq(alertIncidents.tenantId, tenants.id), isNull(alertIncidents.clearedAt))),
          ),
        ),
      ),
    );
  return rows.map((r) => r.id);
}

/** The tenant's rules, hysteresis states and open incidents, read together. */
export function getAlertMemory(db: Db, tenantId: string): Promise<AlertMemory> {
  return withTenant(
    db,
    tenantId,
    async (tx) => ({
      rules: await tx.select().from(alertRules).where(eq(alertRules.tenantId, tenantId)),
      states: await tx.select().from(alertStates).where(eq(alertStates.tenantId, tenantId)),
      open: await tx
        .select()
        .from(alertIncidents)
        .where(and(eq(alertIncidents.tenantId, tenantId), isNull(alertIncidents.clearedAt))),
    }),
    { accessMode: 'read only' },
  );
}

export interface AlertChanges {
  /** Every state that is not idle; the tenant's other states are removed. */
  states: { ruleId: string; subject: string; breachingSince: Date | null; recoveringSince: Date | null }[];
  fire: { ruleId: string; subject: string; severity: AlertSeverity; values: AlertIncident['values']; firedAt: Date }[];
  clear: { id: string; clearedAt: Date }[];
}

/**
 * Writes one evaluation. An incident is opened only where none is open for its rule and
 * subject (the partial unique index), and ended only if still open, so two evaluations racing
 * each other open and end each incident once; what this call opened and ended is returned.
 * Changes of rules deleted since they were read are dropped.
 */
export function applyAlertChanges(db: Db, tenantId: string, changes: AlertChanges): Promise<{ fired: AlertIncident[]; cleared: AlertIncident[] }> {
  return withTenant(db, tenantId, async (tx) => {
    const ruleIds = [...new Set([...changes.states, ...changes.fire].map((c) => c.ruleId))];
    const existing =
      ruleIds.length === 0
        ? new Set<string>()
        : new Set(
            (
              await tx
                .select({ id: alertRules.id })
                .from(alertRules)
                .where(and(eq(alertRules.tenantId, tenantId), inArray(alertRules.id, ruleIds)))
                .for('share')
            ).map((r) => r.id),
          );
    await tx.delete(alertStates).where(eq(alertStates.tenantId, tenantId));
    const states = changes.states.filter((s) => existing.has(s.ruleId));
    if (states.length > 0) {
      await tx
        .insert(alertStates)
        .values(states.map((s) => ({ tenantId, ...s, updatedAt: new Date() })))
        .onConflictDoNothing();
    }
    const fire = changes.fire.filter((f) => existing.has(f.ruleId));
    const fired =
      fire.length === 0
        ? []
        : await tx
            .insert(alertIncidents)
            .values(fire.map((f) => ({ tenantId, ...f })))
            .onConflictDoNothing({ target: [alertIncidents.tenantId, alertIncidents.ruleId, alertIncidents.subject], where: sql`cleared_at is null` })
            .returning();
    const cleared: AlertIncident[] = [];
    for (const c of changes.clear) {
      const [row] = await tx
        .update(alertIncidents)
        .set({ clearedAt: c.clearedAt })
        .where(and(eq(alertIncidents.tenantId, tenantId), eq(alertIncidents.id, c.id), isNull(alertIncidents.clearedAt)))
        .returning();
      if (row) cleared.push(row);
    }
    return { fired, cleared };
  });
}

// ── the history people work through ──────────────────────────────────────────

export const alertIncidentStates = ['open', 'cleared', 'resolved'] as const;

export interface AlertIncidentFilter {
  /** One incident. */
  id?: string | undefined;
  /** open: firing now; cleared: ended, not resolved; resolved. */
  state?: (typeof alertIncidentStates)[number] | undefined;
  severity?: AlertSeverity | undefined;
  /** Incidents open at some moment of [from, to). */
  from?: Date | undefined;
  to?: Date | undefined;
  /** The team keys whose incidents the viewer sees (queue incidents are tenant-wide); null: all. */
  teamKeys: readonly string[] | null;
  /** The last incident of the previous page. */
  after?: { open: boolean; firedAt: Date; id: string } | undefined;
  limit: number;
}

export type AlertIncidentRow = AlertIncident & {
  ruleName: string;
  conditions: AlertRule['conditions'];
  match: AlertRule['match'];
  acknowledgedByName: string | null;
  resolvedByName: string | null;
};

function visibleSubjects(teamKeys: readonly string[] | null): SQL | undefined {
  if (teamKeys === null) return undefined;
  return or(
    like(alertIncidents.subject, 'queue:%'),
    inArray(
      alertIncidents.subject,
      teamKeys.map((k) => `team:${k}`),
    ),
  );
}

/** Open incidents first, then the rest, newest first, a page at a time, with their rule and who acknowledged and resolved them. */
export async function listAlertIncidents(db: Db, tenantId: string, filter: AlertIncidentFilter): Promise<AlertIncidentRow[]> {
  const open = sql<boolean>`(${alertIncidents.clearedAt} is null)`;
  const rows = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select({ incident: alertIncidents, ruleName: alertRules.name, conditions: alertRules.conditions, match: alertRules.match })
        .from(alertIncidents)
        .innerJoin(alertRules, and(eq(alertRules.tenantId, alertIncidents.tenantId), eq(alertRules.id, alertIncidents.ruleId)))
        .where(
          and(
            eq(alertIncidents.tenantId, tenantId),
            filter.id ? eq(alertIncidents.id, filter.id) : undefined,
            visibleSubjects(filter.teamKeys),
            filter.state === 'open' ? isNull(alertIncidents.clearedAt) : undefined,
            filter.state === 'cleared' ? and(isNotNull(alertIncidents.clearedAt), isNull(alertIncidents.resolvedAt)) : undefined,
            filter.state === 'resolved' ? isNotNull(alertIncidents.resolvedAt) : undefined,
            filter.severity ? eq(alertIncidents.severity, filter.severity) : undefined,
            filter.to ? lt(alertIncidents.firedAt, filter.to) : undefined,
            filter.from ? or(isNull(alertIncidents.clearedAt), gte(alertIncidents.clearedAt, filter.from)) : undefined,
            filter.after
              ? sql`(${open}, ${alertIncidents.firedAt}, ${alertIncidents.id}) < (${filter.after.open}, ${filter.after.firedAt}, ${filter.after.id})`
              : undefined,
          ),
        )
        .orderBy(desc(open), desc(alertIncidents.firedAt), desc(alertIncidents.id))
        .limit(filter.limit),
    { accessMode: 'read only' },
  );
  const userIds = [...new Set(rows.flatMap((r) => [r.incident.acknowledgedBy, r.incident.resolvedBy]).filter((id): id is string => id !== null))];
  // Users are not a tenant's rows: their names are read as the audit trail reads them.
  const names = new Map(
    userIds.length > 0 ? (await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds))).map((u) => [u.id, u.name]) : [],
  );
  return rows.map((r) => ({
    ...r.incident,
    ruleName: r.ruleName,
    conditions: r.conditions,
    match: r.match,
    acknowledgedByName: r.incident.acknowledgedBy ? (names.get(r.incident.acknowledgedBy) ?? null) : null,
    resolvedByName: r.incident.resolvedBy ? (names.get(r.incident.resolvedBy) ?? null) : null,
  }));
}

/** Whether the viewer sees an incident of this subject. */
const sees = (teamKeys: readonly string[] | null, subject: string) =>
  teamKeys === null || subject.startsWith('queue:') || teamKeys.includes(subject.slice('team:'.length));

/** Marks an incident seen by someone, once (audited); null when there is no such incident in the viewer's scope. */
export function acknowledgeAlertIncident(
  db: Db,
  tenantId: string,
  userId: string,
  id: string,
  teamKeys: readonly string[] | null,
  now: Date,
): Promise<AlertIncident | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [incident] = await tx
      .select()
      .from(alertIncidents)
      .where(and(eq(alertIncidents.tenantId, tenantId), eq(alertIncidents.id, id)))
      .for('update');
    if (!incident || !sees(teamKeys, incident.subject)) return null;
    if (incident.acknowledgedAt) return incident;
    const [row] = await tx
      .update(alertIncidents)
      .set({ acknowledgedBy: userId, acknowledgedAt: now })
      .where(and(eq(alertIncidents.tenantId, tenantId), eq(alertIncidents.id, id)))
      .returning();
    await audit(tx, tenantId, userId, 'alert_incident.acknowledge', 'alert_incident', id);
    return row ?? null;
  });
}

/**
 * Closes an incident with an optional note (audited). One still firing ends here, and its rule
 * starts afresh for the subject: if the figures still breach, it fires again after its delay.
 * `ended` says whether this call ended it. Null when there is no such incident in scope.
 */
export function resolveAlertIncident(
  db: Db,
  tenantId: string,
  userId: string,
  input: { id: string; note: string | null },
  teamKeys: readonly string[] | null,
  now: Date,
): Promise<{ incident: AlertIncident; ended: boolean } | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [incident] = await tx
      .select()
      .from(alertIncidents)
      .where(and(eq(alertIncidents.tenantId, tenantId), eq(alertIncidents.id, input.id)))
      .for('update');
    if (!incident || !sees(teamKeys, incident.subject)) return null;
    if (incident.resolvedAt) return { incident, ended: false };
    const ended = incident.clearedAt === null;
    const [row] = await tx
      .update(alertIncidents)
      .set({ resolvedBy: userId, resolvedAt: now, note: input.note, clearedAt: incident.clearedAt ?? now })
      .where(and(eq(alertIncidents.tenantId, tenantId), eq(alertIncidents.id, input.id)))
      .returning();
    if (ended) {
      await tx
        .delete(alertStates)
        .where(and(eq(alertStates.tenantId, tenantId), eq(alertStates.ruleId, incident.ruleId), eq(alertStates.subject, incident.subject)));
    }
    await audit(tx, tenantId, userId, 'alert_incident.resolve', 'alert_incident', input.id);
    return { incident: row!, ended };
  });
}
