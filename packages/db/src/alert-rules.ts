import { and, asc, eq, isNull } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { alertIncidents, alertRules, alertStates, queues, teams } from './schema.ts';
import { withTenant } from './tenancy.ts';

export type AlertRule = typeof alertRules.$inferSelect;
export type AlertRuleValues = Pick<AlertRule, 'name' | 'queueId' | 'teamId' | 'match' | 'conditions' | 'fireAfterS' | 'clearAfterS' | 'severity' | 'enabled'>;
export type AlertIncident = typeof alertIncidents.$inferSelect;

/** Whether the one saving or deleting may touch a stored rule (a supervisor: not another team's). */
type RuleInScope = (rule: AlertRule) => boolean;

export function listAlertRules(db: Db, tenantId: string): Promise<AlertRule[]> {
  return withTenant(
    db,
    tenantId,
    (tx) => tx.select().from(alertRules).where(eq(alertRules.tenantId, tenantId)).orderBy(asc(alertRules.name), asc(alertRules.id)),
    {
      accessMode: 'read only',
    },
  );
}

/**
 * Creates (no id) or replaces (id) a rule, audited; null when the id, the queue or the team is
 * not the tenant's, or the stored rule is not in the caller's scope. A changed rule starts its
 * hysteresis afresh (its conditions may be others); incidents already open stay open until the
 * evaluator finds them recovered under the new conditions.
 */
export function saveAlertRule(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: AlertRuleValues & { id?: string | undefined },
  inScope: RuleInScope = () => true,
): Promise<AlertRule | null> {
  return withTenant(db, tenantId, async (tx) => {
    if (input.queueId) {
      const [queue] = await tx
        .select({ id: queues.id })
        .from(queues)
        .where(and(eq(queues.tenantId, tenantId), eq(queues.id, input.queueId)));
      if (!queue) return null;
    }
    if (input.teamId) {
      const [team] = await tx
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(teams.tenantId, tenantId), eq(teams.id, input.teamId)));
      if (!team) return null;
    }
    const values = {
      name: input.name,
      queueId: input.queueId,
      teamId: input.teamId,
      match: input.match,
      conditions: input.conditions,
      fireAfterS: input.fireAfterS,
      clearAfterS: input.clearAfterS,
      severity: input.severity,
      enabled: input.enabled,
      updatedBy: userId,
      updatedAt: new Date(),
    };
    if (input.id) {
      const [stored] = await tx
        .select()
        .from(alertRules)
        .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, input.id)))
        .for('update');
      if (!stored || !inScope(stored)) return null;
      const [row] = await tx
        .update(alertRules)
        .set(values)
        .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, input.id)))
        .returning();
      await tx.delete(alertStates).where(and(eq(alertStates.tenantId, tenantId), eq(alertStates.ruleId, input.id)));
      await audit(tx, tenantId, userId, 'alert_rule.update', 'alert_rule', input.id);
      return row ?? null;
    }
    const [row] = await tx
      .insert(alertRules)
      .values({ tenantId, ...values })
      .returning();
    if (row) await audit(tx, tenantId, userId, 'alert_rule.create', 'alert_rule', row.id);
    return row ?? null;
  });
}

/**
 * Deletes a rule with its history (incidents go with their rule; disabling keeps them), audited.
 * Null when there is no such rule in scope; otherwise the incidents that were still open, whose
 * end the caller announces.
 */
export function deleteAlertRule(
  db: Db,
  tenantId: string,
  userId: string | null,
  id: string,
  inScope: RuleInScope = () => true,
): Promise<{ rule: AlertRule; open: AlertIncident[] } | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [rule] = await tx
      .select()
      .from(alertRules)
      .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)))
      .for('update');
    if (!rule || !inScope(rule)) return null;
    const open = await tx
      .select()
      .from(alertIncidents)
      .where(and(eq(alertIncidents.tenantId, tenantId), eq(alertIncidents.ruleId, id), isNull(alertIncidents.clearedAt)));
    await tx.delete(alertRules).where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)));
    await audit(tx, tenantId, userId, 'alert_rule.delete', 'alert_rule', id);
    return { rule, open };
  });
}
