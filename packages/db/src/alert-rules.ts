import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { alertRules, queues } from './schema.ts';
import { withTenant } from './tenancy.ts';

export type AlertRule = typeof alertRules.$inferSelect;
export type AlertRuleInput = Pick<AlertRule, 'queueId' | 'metric' | 'comparator' | 'threshold' | 'severity'>;

export function listAlertRules(db: Db, tenantId: string): Promise<AlertRule[]> {
  return withTenant(db, tenantId, (tx) =>
    tx.select().from(alertRules).where(eq(alertRules.tenantId, tenantId)).orderBy(asc(alertRules.metric), asc(alertRules.id)),
  );
}

/** Creates (no id) or replaces (id) a rule; null when the id or the queue is not the tenant's. */
export function saveAlertRule(db: Db, tenantId: string, userId: string | null, input: AlertRuleInput & { id?: string | undefined }): Promise<AlertRule | null> {
  return withTenant(db, tenantId, async (tx) => {
    if (input.queueId) {
      const [queue] = await tx
        .select({ id: queues.id })
        .from(queues)
        .where(and(eq(queues.tenantId, tenantId), eq(queues.id, input.queueId)));
      if (!queue) return null;
    }
    const values = {
      queueId: input.queueId,
      metric: input.metric,
      comparator: input.comparator,
      threshold: input.threshold,
      severity: input.severity,
      updatedBy: userId,
      updatedAt: new Date(),
    };
    if (input.id) {
      const [row] = await tx
        .update(alertRules)
        .set(values)
        .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, input.id)))
        .returning();
      return row ?? null;
    }
    const [row] = await tx
      .insert(alertRules)
      .values({ tenantId, ...values })
      .returning();
    return row ?? null;
  });
}

export function deleteAlertRule(db: Db, tenantId: string, id: string): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .delete(alertRules)
      .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)))
      .returning({ id: alertRules.id });
    return rows.length > 0;
  });
}
