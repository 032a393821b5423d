import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { forecastOverrides, queues, specialDays, staffingSettings } from './schema.ts';
import { withTenant, type Tx } from './tenancy.ts';

/** What planners edit for forecasting and staffing; every function acts inside one tenant. */

export type SpecialDayRow = typeof specialDays.$inferSelect;
export type SpecialDayInput = Pick<SpecialDayRow, 'date' | 'label' | 'effect' | 'multiplier'> & { recursYearly?: boolean };
export type ForecastOverrideRow = typeof forecastOverrides.$inferSelect;
export type ForecastOverrideInput = Pick<ForecastOverrideRow, 'queueId' | 'fromDate' | 'toDate' | 'fromMinute' | 'toMinute' | 'kind' | 'value' | 'label'>;

export interface StaffingSettings {
  queueId: string;
  shrinkage: number;
  maxOccupancy: number;
  patienceS: number | null;
  /** Handle time (s) to plan with where the forecast has none; null: such intervals get nobody. */
  plannedAhtS: number | null;
  /** False when the queue has no row and these are the defaults. */
  saved: boolean;
}

/** Common planning defaults: a third of paid time is not on the phones, occupancy capped at 85%. */
export const DEFAULT_STAFFING = { shrinkage: 0.3, maxOccupancy: 0.85, patienceS: null, plannedAhtS: null } as const;

async function tenantHasQueue(tx: Tx, tenantId: string, queueId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: queues.id })
    .from(queues)
    .where(and(eq(queues.tenantId, tenantId), eq(queues.id, queueId)));
  return row !== undefined;
}

export function listSpecialDays(db: Db, tenantId: string): Promise<SpecialDayRow[]> {
  return withTenant(db, tenantId, (tx) => tx.select().from(specialDays).where(eq(specialDays.tenantId, tenantId)).orderBy(asc(specialDays.date)));
}

/** One special day per date: saving a date again replaces it. */
export function saveSpecialDay(db: Db, tenantId: string, userId: string | null, input: SpecialDayInput): Promise<SpecialDayRow> {
  return withTenant(db, tenantId, async (tx) => {
    const values = { ...input, multiplier: input.effect === 'multiply' ? input.multiplier : null, updatedBy: userId, updatedAt: new Date() };
    const [row] = await tx
      .insert(specialDays)
      .values({ tenantId, ...values })
      .onConflictDoUpdate({ target: [specialDays.tenantId, specialDays.date], set: values })
      .returning();
    if (!row) throw new Error('special day was not stored');
    return row;
  });
}

export function deleteSpecialDay(db: Db, tenantId: string, id: string): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .delete(specialDays)
      .where(and(eq(specialDays.tenantId, tenantId), eq(specialDays.id, id)))
      .returning({ id: specialDays.id });
    return rows.length > 0;
  });
}

export function listForecastOverrides(db: Db, tenantId: string, queueId?: string): Promise<ForecastOverrideRow[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(forecastOverrides)
      .where(and(eq(forecastOverrides.tenantId, tenantId), queueId ? eq(forecastOverrides.queueId, queueId) : undefined))
      .orderBy(asc(forecastOverrides.updatedAt), asc(forecastOverrides.id)),
  );
}

/** Creates (no id) or replaces (id) an override; null when the id or the queue is not the tenant's. */
export function saveForecastOverride(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: ForecastOverrideInput & { id?: string | undefined },
): Promise<ForecastOverrideRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    if (!(await tenantHasQueue(tx, tenantId, input.queueId))) return null;
    const { id, ...fields } = input;
    const values = { ...fields, updatedBy: userId, updatedAt: new Date() };
    const [row] = id
      ? await tx
          .update(forecastOverrides)
          .set(values)
          .where(and(eq(forecastOverrides.tenantId, tenantId), eq(forecastOverrides.id, id)))
          .returning()
      : await tx
          .insert(forecastOverrides)
          .values({ tenantId, ...values })
          .returning();
    return row ?? null;
  });
}

export function deleteForecastOverride(db: Db, tenantId: string, id: string): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .delete(forecastOverrides)
      .where(and(eq(forecastOverrides.tenantId, tenantId), eq(forecastOverrides.id, id)))
      .returning({ id: forecastOverrides.id });
    return rows.length > 0;
  });
}

/** Settings for every queue of the tenant, defaults where none were saved. */
export function listStaffingSettings(db: Db, tenantId: string): Promise<StaffingSettings[]> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select({
        queueId: queues.id,
        shrinkage: staffingSettings.shrinkage,
        maxOccupancy: staffingSettings.maxOccupancy,
        patienceS: staffingSettings.patienceS,
        plannedAhtS: staffingSettings.plannedAhtS,
      })
      .from(queues)
      .leftJoin(staffingSettings, and(eq(staffingSettings.tenantId, queues.tenantId), eq(staffingSettings.queueId, queues.id)))
      .where(eq(queues.tenantId, tenantId))
      .orderBy(asc(queues.key));
    return rows.map((r) =>
      r.shrinkage === null || r.maxOccupancy === null
        ? { queueId: r.queueId, ...DEFAULT_STAFFING, saved: false }
        : { queueId: r.queueId, shrinkage: r.shrinkage, maxOccupancy: r.maxOccupancy, patienceS: r.patienceS, plannedAhtS: r.plannedAhtS, saved: true },
    );
  });
}

/**
 * Null when the queue is not the tenant's. An absent `plannedAhtS` keeps the stored one (the
 * what-if saves the rest), null clears it.
 */
export function saveStaffingSettings(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: Omit<StaffingSettings, 'saved' | 'plannedAhtS'> & { plannedAhtS?: number | null | undefined },
): Promise<StaffingSettings | null> {
  return withTenant(db, tenantId, async (tx) => {
    if (!(await tenantHasQueue(tx, tenantId, input.queueId))) return null;
    const values = {
      shrinkage: input.shrinkage,
      maxOccupancy: input.maxOccupancy,
      patienceS: input.patienceS,
      ...(input.plannedAhtS === undefined ? {} : { plannedAhtS: input.plannedAhtS }),
      updatedBy: userId,
      updatedAt: new Date(),
    };
    const [row] = await tx
      .insert(staffingSettings)
      .values({ tenantId, queueId: input.queueId, ...values })
      .onConflictDoUpdate({ target: [staffingSettings.tenantId, staffingSettings.queueId], set: values })
      .returning({ plannedAhtS: staffingSettings.plannedAhtS });
    return {
      queueId: input.queueId,
      shrinkage: input.shrinkage,
      maxOccupancy: input.maxOccupancy,
      patienceS: input.patienceS,
      plannedAhtS: row!.plannedAhtS,
      saved: true,
    };
  });
}
