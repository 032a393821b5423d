import { and, asc, eq, gt, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { audit } from './audit.ts';
import { scheduleAcknowledgements, scheduleActivities, schedules, shiftSwaps, timeOffAllowances, timeOffRequests, type ScheduleSummary } from './schema.ts';
import { insertActivities, ScheduleConflictError, type ActivityInput } from './schedules.ts';
import { withTenant, type Tx } from './tenancy.ts';

/** Agents' time off (requests, decisions, yearly allowances) and shift swaps; every change audited. */

export type TimeOffRow = typeof timeOffRequests.$inferSelect;
export type SwapRow = typeof shiftSwaps.$inferSelect;
export type TimeOffStatus = TimeOffRow['status'];

/** Requests overlapping [from, to) (any time when not given) of some agents (all when not given), in any of `statuses` (all when not given). */
export function listTimeOff(
  db: Db,
  tenantId: string,
  filter: { from?: Date; to?: Date; agentIds?: readonly string[]; statuses?: readonly TimeOffStatus[] },
): Promise<TimeOffRow[]> {
  return withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select()
        .from(timeOffRequests)
        .where(
          and(
            eq(timeOffRequests.tenantId, tenantId),
            filter.to ? lt(timeOffRequests.startsAt, filter.to) : undefined,
            filter.from ? gt(timeOffRequests.endsAt, filter.from) : undefined,
            filter.agentIds ? inArray(timeOffRequests.agentId, [...filter.agentIds]) : undefined,
            filter.statuses ? inArray(timeOffRequests.status, [...filter.statuses]) : undefined,
          ),
        )
        .orderBy(asc(timeOffRequests.startsAt)),
    { accessMode: 'read only' },
  );
}

/** Stores a request already decided by the caller's coverage check (`approved`) or left to a planner (`pending`). */
export function createTimeOff(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { agentId: string; startsAt: Date; endsAt: Date; paidHours: number; status: 'approved' | 'pending'; decisionNote: string },
  change?: Republish,
): Promise<TimeOffRow> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .insert(timeOffRequests)
      .values({ tenantId, ...input, ...(input.status === 'approved' ? { decidedAt: new Date() } : {}) })
      .returning();
    await audit(tx, tenantId, userId, input.status === 'approved' ? 'request_auto_approved' : 'request', 'time_off', row!.id);
    if (change) await republish(tx, tenantId, userId, change);
    return row!;
  });
}

/**
 * A planner's decision on a pending request, or the agent cancelling their own; null when no such pending/approved
 * request. An approval inside a published week republishes it with the time off (`change`).
 */
export function decideTimeOff(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { id: string; status: 'approved' | 'refused' | 'cancelled'; note?: string | undefined; agentId?: string | undefined },
  change?: Republish,
): Promise<TimeOffRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .update(timeOffRequests)
      .set({ status: input.status, decidedBy: userId, decidedAt: new Date(), ...(input.note ? { decisionNote: input.note } : {}) })
      .where(
        and(
          eq(timeOffRequests.tenantId, tenantId),
          eq(timeOffRequests.id, input.id),
          input.agentId ? eq(timeOffRequests.agentId, input.agentId) : undefined,
          input.status === 'cancelled' ? inArray(timeOffRequests.status, ['pending', 'approved']) : eq(timeOffRequests.status, 'pending'),
        ),
      )
      .returning();
    if (!row) return null;
    await audit(tx, tenantId, userId, input.status, 'time_off', row.id);
    if (change) await republish(tx, tenantId, userId, change);
    return row;
  });
}

/** Paid hours allowed and taken (approved and pending) in a calendar year, per agent. */
export function getTimeOffBalance(
  db: Db,
  tenantId: string,
  agentId: string,
  year: number,
  yearRange: { from: Date; to: Date },
): Promise<{ allowance: number | null; approved: number; pending: number }> {
  return withTenant(
    db,
    tenantId,
    async (tx) => {
      const [allowance] = await tx
        .select({ hours: timeOffAllowances.hours })
        .from(timeOffAllowances)
        .where(and(eq(timeOffAllowances.tenantId, tenantId), eq(timeOffAllowances.agentId, agentId), eq(timeOffAllowances.year, year)));
      const taken = await tx
        .select({ status: timeOffRequests.status, hours: sql<number>`coalesce(sum(${timeOffRequests.paidHours}), 0)`.mapWith(Number) })
        .from(timeOffRequests)
        .where(
          and(
            eq(timeOffRequests.tenantId, tenantId),
            eq(timeOffRequests.agentId, agentId),
            gte(timeOffRequests.startsAt, yearRange.from),
            lt(timeOffRequests.startsAt, yearRange.to),
            inArray(timeOffRequests.status, ['approved', 'pending']),
          ),
        )
        .groupBy(timeOffRequests.status);
      return {
        allowance: allowance?.hours ?? null,
        approved: taken.find((t) => t.status === 'approved')?.hours ?? 0,
        pending: taken.find((t) => t.status === 'pending')?.hours ?? 0,
      };
    },
    { accessMode: 'read only' },
  );
}

export function setTimeOffAllowance(db: Db, tenantId: string, userId: string | null, input: { agentId: string; year: number; hours: number }): Promise<void> {
  return withTenant(db, tenantId, async (tx) => {
    await tx
      .insert(timeOffAllowances)
      .values({ tenantId, ...input })
      .onConflictDoUpdate({ target: [timeOffAllowances.tenantId, timeOffAllowances.agentId, timeOffAllowances.year], set: { hours: input.hours } });
    await audit(tx, tenantId, userId, 'set_allowance', 'time_off', input.agentId);
  });
}

// ── swaps ────────────────────────────────────────────────────────────────────

export function listSwaps(db: Db, tenantId: string, filter: { agentId?: string; statuses?: readonly SwapRow['status'][] } = {}): Promise<SwapRow[]> {
  return withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select()
        .from(shiftSwaps)
        .where(
          and(
            eq(shiftSwaps.tenantId, tenantId),
            filter.agentId ? or(eq(shiftSwaps.requesterId, filter.agentId), eq(shiftSwaps.colleagueId, filter.agentId)) : undefined,
            filter.statuses ? inArray(shiftSwaps.status, [...filter.statuses]) : undefined,
          ),
        )
        .orderBy(asc(shiftSwaps.createdAt)),
    { accessMode: 'read only' },
  );
}

export function createSwap(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { weekStart: string; requesterId: string; requesterDate: string; colleagueId: string; colleagueDate: string },
): Promise<SwapRow> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .insert(shiftSwaps)
      .values({ tenantId, ...input })
      .returning();
    await audit(tx, tenantId, userId, 'request', 'shift_swap', row!.id);
    return row!;
  });
}

/** Moves a swap from one status to the next (`from` guards against a decision made twice); null when it was not in `from`. */
export function updateSwap(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { id: string; from: readonly SwapRow['status'][]; to: SwapRow['status']; refusal?: string | undefined },
): Promise<SwapRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .update(shiftSwaps)
      .set({ status: input.to, decidedAt: new Date(), decidedBy: userId, ...(input.refusal ? { refusal: input.refusal } : {}) })
      .where(and(eq(shiftSwaps.tenantId, tenantId), eq(shiftSwaps.id, input.id), inArray(shiftSwaps.status, [...input.from])))
      .returning();
    if (row) await audit(tx, tenantId, userId, input.to, 'shift_swap', row.id);
    return row ?? null;
  });
}

/** A published week changed by an approved swap or time off: the new activities of the whole week, its coverage, and when. */
export interface Republish {
  scheduleId: string;
  activities: readonly ActivityInput[];
  summary: ScheduleSummary;
  at: Date;
}

/** An agent's activities as one comparable string. */
function signatureOf(activities: readonly Pick<ActivityInput, 'agentId' | 'kind' | 'startsAt' | 'endsAt'>[], agentId: string): string {
  return activities
    .filter((a) => a.agentId === agentId)
    .map((a) => `${a.kind}@${a.startsAt.getTime()}-${a.endsAt.getTime()}`)
    .sort()
    .join(',');
}

/**
 * Published versions never change: the week is copied into a new published version holding `activities`, and the
 * old one is superseded, inside the caller's transaction. Returns the new version's id.
 */
export async function republish(tx: Tx, tenantId: string, userId: string | null, change: Republish): Promise<string> {
  const [old] = await tx
    .update(schedules)
    .set({ status: 'superseded' })
    .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, change.scheduleId), eq(schedules.status, 'published')))
    .returning();
  if (!old) throw new ScheduleConflictError('not_a_draft', 'the week was published again meanwhile: reload it and try again');
  const [next] = await tx
    .insert(schedules)
    .values({
      tenantId,
      groupId: old.groupId,
      weekStart: old.weekStart,
      timezone: old.timezone,
      summary: change.summary,
      staffingVersionId: old.staffingVersionId,
      acknowledgeBy: old.acknowledgeBy,
    })
    .returning({ id: schedules.id });
  await insertActivities(tx, tenantId, next!.id, change.activities);
  // Agents whose week did not change keep their acknowledgement: a swap between two agents asks only them again.
  const before = await tx
    .select()
    .from(scheduleActivities)
    .where(and(eq(scheduleActivities.tenantId, tenantId), eq(scheduleActivities.scheduleId, old.id)));
  const acknowledged = await tx
    .select()
    .from(scheduleAcknowledgements)
    .where(and(eq(scheduleAcknowledgements.tenantId, tenantId), eq(scheduleAcknowledgements.scheduleId, old.id)));
  const kept = acknowledged.filter((a) => signatureOf(before, a.agentId) === signatureOf(change.activities, a.agentId));
  if (kept.length > 0) await tx.insert(scheduleAcknowledgements).values(kept.map((a) => ({ ...a, scheduleId: next!.id })));
  await tx
    .update(schedules)
    .set({ status: 'published', publishedAt: change.at, decidedBy: userId })
    .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, next!.id)));
  await audit(tx, tenantId, userId, 'republish', 'schedule', next!.id);
  return next!.id;
}

/**
 * Carries out an approved swap in one transaction with its approval: the week is republished with the two agents'
 * shift days exchanged. Returns the new version's id, or null when the swap was no longer accepted.
 */
export function applySwap(db: Db, tenantId: string, userId: string | null, input: { swapId: string } & Republish): Promise<string | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [swap] = await tx
      .update(shiftSwaps)
      .set({ status: 'approved', decidedAt: input.at, decidedBy: userId })
      .where(and(eq(shiftSwaps.tenantId, tenantId), eq(shiftSwaps.id, input.swapId), eq(shiftSwaps.status, 'accepted')))
      .returning();
    if (!swap) return null;
    await audit(tx, tenantId, userId, 'approved', 'shift_swap', swap.id);
    return republish(tx, tenantId, userId, input);
  });
}
