import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { SpecialDayRow } from './planning.ts';
import { auditLog, detectedDays, forecastSettings, queues, specialDays } from './schema.ts';
import { withTenant } from './tenancy.ts';

/** What the forecaster finds and how a tenant's holidays are treated; every function acts inside one tenant. */

export interface ForecastSettings {
  /** A date-holidays region code (`US`, `DE-BY`), or null for no holiday calendar. */
  holidayRegion: string | null;
  /** Multiplier of a holiday when history has no holiday to learn from (0: closed). */
  holidayMultiplier: number;
  /** False when the tenant has no row and these are the defaults. */
  saved: boolean;
}

export type DetectedDayRow = typeof detectedDays.$inferSelect & { queueKey: string };
export type DetectedDayFinding = Pick<DetectedDayRow, 'date' | 'kind' | 'total' | 'expected'>;

/** What a planner does with a detected date: make it a special day (once or every year), or call it normal. */
export type DetectedDayDecision = 'confirm' | 'recurring' | 'reject';

export function getForecastSettings(db: Db, tenantId: string): Promise<ForecastSettings> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx.select().from(forecastSettings).where(eq(forecastSettings.tenantId, tenantId));
    return row
      ? { holidayRegion: row.holidayRegion, holidayMultiplier: row.holidayMultiplier, saved: true }
      : { holidayRegion: null, holidayMultiplier: 0, saved: false };
  });
}

export function saveForecastSettings(db: Db, tenantId: string, userId: string | null, input: Omit<ForecastSettings, 'saved'>): Promise<ForecastSettings> {
  return withTenant(db, tenantId, async (tx) => {
    const values = { ...input, updatedBy: userId, updatedAt: new Date() };
    await tx
      .insert(forecastSettings)
      .values({ tenantId, ...values })
      .onConflictDoUpdate({ target: forecastSettings.tenantId, set: values });
    await tx.insert(auditLog).values({ tenantId, userId, action: 'forecast_settings.save', objectType: 'forecast_settings', objectId: tenantId });
    return { ...input, saved: true };
  });
}

/** Detected days of every queue (or one), newest date first, with the queue's key. */
export function listDetectedDays(db: Db, tenantId: string, queueId?: string): Promise<DetectedDayRow[]> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select({ day: detectedDays, queueKey: queues.key })
      .from(detectedDays)
      .innerJoin(queues, and(eq(queues.tenantId, detectedDays.tenantId), eq(queues.id, detectedDays.queueId)))
      .where(and(eq(detectedDays.tenantId, tenantId), queueId ? eq(detectedDays.queueId, queueId) : undefined))
      .orderBy(desc(detectedDays.date), asc(queues.key));
    return rows.map((r) => ({ ...r.day, queueKey: r.queueKey }));
  });
}

/**
 * Records one forecast run's findings for a queue: they replace the queue's pending
 * detections (a day no longer found is no longer shown), while days a planner decided keep
 * their decision.
 */
export function recordDetectedDays(db: Db, tenantId: string, queueId: string, found: readonly DetectedDayFinding[], detectedAt: Date): Promise<void> {
  return withTenant(db, tenantId, async (tx) => {
    await tx.delete(detectedDays).where(and(eq(detectedDays.tenantId, tenantId), eq(detectedDays.queueId, queueId), eq(detectedDays.status, 'pending')));
    if (found.length === 0) return;
    await tx
      .insert(detectedDays)
      .values(found.map((d) => ({ tenantId, queueId, ...d, detectedAt })))
      .onConflictDoNothing();
  });
}

/**
 * Decides a detected date for every queue it was found in, in one transaction: `confirm` and
 * `recurring` save a special day (closed at 0 for a closure, else left out of history),
 * `recurring` on that month and day every year; `reject` marks the day normal. Null when
 * nothing was detected on that date.
 */
export function decideDetectedDay(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { date: string; decision: DetectedDayDecision },
): Promise<{ decided: number; specialDay: SpecialDayRow | null } | null> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select()
      .from(detectedDays)
      .where(and(eq(detectedDays.tenantId, tenantId), eq(detectedDays.date, input.date)));
    if (rows.length === 0) return null;
    let specialDay: SpecialDayRow | null = null;
    if (input.decision !== 'reject') {
      const closed = rows.some((r) => r.kind === 'closed');
      const values = {
        label: closed ? 'Closed (detected)' : 'Unusual day (detected)',
        effect: closed ? ('multiply' as const) : ('exclude' as const),
        multiplier: closed ? 0 : null,
        recursYearly: input.decision === 'recurring',
        updatedBy: userId,
        updatedAt: new Date(),
      };
      const [saved] = await tx
        .insert(specialDays)
        .values({ tenantId, date: input.date, ...values })
        .onConflictDoUpdate({ target: [specialDays.tenantId, specialDays.date], set: values })
        .returning();
      specialDay = saved!;
      await tx.insert(auditLog).values({ tenantId, userId, action: 'special_day.save', objectType: 'special_day', objectId: specialDay.id });
    }
    await tx
      .update(detectedDays)
      .set({ status: input.decision === 'reject' ? 'rejected' : 'confirmed', decidedBy: userId, decidedAt: new Date() })
      .where(and(eq(detectedDays.tenantId, tenantId), eq(detectedDays.date, input.date)));
    await tx.insert(auditLog).values({ tenantId, userId, action: `detected_day.${input.decision}`, objectType: 'detected_day', objectId: input.date });
    return { decided: rows.length, specialDay };
  });
}
