import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { adherenceExceptions, adherenceSettings, type adherenceExceptionStatuses } from './schema.ts';
import { withTenant } from './tenancy.ts';

/**
 * How a tenant judges schedule adherence, and the exceptions that excuse an agent from their
 * schedule for a while. Every change is audited in its own transaction. Who may file or decide
 * for which agent is the API's rule (its access scope); here `agentIds` only narrows.
 */

export interface AdherenceSettingsRow {
  /** The stored AdherenceMapping (packages/kpis), as the API saved it. */
  mapping: unknown;
  graceMinutes: number;
  updatedBy: string | null;
  updatedAt: Date;
}

/** The tenant's saved settings, or null when it has none (the API then applies the defaults). */
export async function getAdherenceSettings(db: Db, tenantId: string): Promise<AdherenceSettingsRow | null> {
  const [row] = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select({
          mapping: adherenceSettings.mapping,
          graceMinutes: adherenceSettings.graceMinutes,
          updatedBy: adherenceSettings.updatedBy,
          updatedAt: adherenceSettings.updatedAt,
        })
        .from(adherenceSettings)
        .where(eq(adherenceSettings.tenantId, tenantId)),
    { accessMode: 'read only' },
  );
  return row ?? null;
}

export function saveAdherenceSettings(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { mapping: unknown; graceMinutes: number },
): Promise<AdherenceSettingsRow> {
  return withTenant(db, tenantId, async (tx) => {
    const values = { mapping: input.mapping, graceMinutes: input.graceMinutes, updatedBy: userId, updatedAt: new Date() };
    const [row] = await tx
      .insert(adherenceSettings)
      .values({ tenantId, ...values })
      .onConflictDoUpdate({ target: adherenceSettings.tenantId, set: values })
      .returning({
        mapping: adherenceSettings.mapping,
        graceMinutes: adherenceSettings.graceMinutes,
        updatedBy: adherenceSettings.updatedBy,
        updatedAt: adherenceSettings.updatedAt,
      });
    await audit(tx, tenantId, userId, 'adherence_settings.save', 'adherence_settings', tenantId);
    return row!;
  });
}

export type AdherenceExceptionStatus = (typeof adherenceExceptionStatuses)[number];
export type AdherenceExceptionRow = Omit<typeof adherenceExceptions.$inferSelect, 'status'> & { status: AdherenceExceptionStatus };

/** Stores a request to excuse an agent for [startsAt, endsAt), pending a supervisor's decision. */
export function fileAdherenceException(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { agentId: string; startsAt: Date; endsAt: Date; reason: string; note: string | null },
): Promise<AdherenceExceptionRow> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .insert(adherenceExceptions)
      .values({ tenantId, ...input, status: 'pending', requestedBy: userId })
      .returning();
    await audit(tx, tenantId, userId, 'adherence_exception.file', 'adherence_exception', row!.id);
    return row as AdherenceExceptionRow;
  });
}

/** Exceptions overlapping [from, to) (any time when not given) of some agents (all when not given), in any of `statuses` (all when not given). */
export async function listAdherenceExceptions(
  db: Db,
  tenantId: string,
  filter: { from?: Date; to?: Date; agentIds?: readonly string[]; statuses?: readonly AdherenceExceptionStatus[] },
): Promise<AdherenceExceptionRow[]> {
  if (filter.agentIds?.length === 0) return [];
  const rows = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select()
        .from(adherenceExceptions)
        .where(
          and(
            eq(adherenceExceptions.tenantId, tenantId),
            filter.to ? lt(adherenceExceptions.startsAt, filter.to) : undefined,
            filter.from ? gt(adherenceExceptions.endsAt, filter.from) : undefined,
            filter.agentIds ? inArray(adherenceExceptions.agentId, [...filter.agentIds]) : undefined,
            filter.statuses ? inArray(adherenceExceptions.status, [...filter.statuses]) : undefined,
          ),
        )
        .orderBy(asc(adherenceExceptions.startsAt), asc(adherenceExceptions.id)),
    { accessMode: 'read only' },
  );
  return rows as AdherenceExceptionRow[];
}

/**
 * What adherence judging reads from Postgres (packages/telemetry judgeAdherenceDays' readers): the tenant's rules, read
 * once per set of readers so every chunk of one judgement uses the same ones, and its approved exceptions.
 */
export function adherenceReaders(db: Db, tenantId: string) {
  let settings: Promise<AdherenceSettingsRow | null> | undefined;
  return {
    settings: () => (settings ??= getAdherenceSettings(db, tenantId)),
    approvedExceptions: (filter: { from: Date; to: Date; agentIds?: readonly string[] }) =>
      listAdherenceExceptions(db, tenantId, { ...filter, statuses: ['approved'] }),
  };
}

/**
 * Approves or rejects a pending exception of one of `agentIds` (any agent when not given);
 * null when there is no such pending exception (decided already, or outside the scope).
 */
export function decideAdherenceException(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { id: string; approve: boolean; agentIds?: readonly string[] },
): Promise<AdherenceExceptionRow | null> {
  if (input.agentIds?.length === 0) return Promise.resolve(null);
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .update(adherenceExceptions)
      .set({ status: input.approve ? 'approved' : 'rejected', decidedBy: userId, decidedAt: new Date() })
      .where(
        and(
          eq(adherenceExceptions.tenantId, tenantId),
          eq(adherenceExceptions.id, input.id),
          eq(adherenceExceptions.status, 'pending'),
          input.agentIds ? inArray(adherenceExceptions.agentId, [...input.agentIds]) : undefined,
        ),
      )
      .returning();
    if (!row) return null;
    await audit(tx, tenantId, userId, input.approve ? 'adherence_exception.approve' : 'adherence_exception.reject', 'adherence_exception', row.id);
    return row as AdherenceExceptionRow;
  });
}
