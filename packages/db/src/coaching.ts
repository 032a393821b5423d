import type { CoachingRule } from '@switchboard/contracts';
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { coachingAssignments, coachingEvents, coachingRules, type CoachingStatus } from './schema.ts';
import { withTenant, type Tx } from './tenancy.ts';
import { republish, type Republish } from './time-off.ts';

/**
 * Coaching rules and assignments. An assignment moves delivered → acknowledged (or overdue, then acknowledged) →
 * session booked (or slots proposed, then booked) → measuring → closed, or is cancelled; each move is one
 * conditional update with its timeline event, so a retried activity moves it once. Rule edits, acknowledgements,
 * bookings and cancellations are audited.
 */

export type CoachingRuleRow = CoachingRule & { id: string; updatedAt: Date };

function toRule(row: typeof coachingRules.$inferSelect): CoachingRuleRow {
  return { ...row.definition, id: row.id, name: row.name, enabled: row.enabled, updatedAt: row.updatedAt };
}

export async function listCoachingRules(db: Db, tenantId: string): Promise<CoachingRuleRow[]> {
  const rows = await withTenant(
    db,
    tenantId,
    (tx) => tx.select().from(coachingRules).where(eq(coachingRules.tenantId, tenantId)).orderBy(asc(coachingRules.name)),
    {
      accessMode: 'read only',
    },
  );
  return rows.map(toRule);
}

/** Creates the rule (no id) or replaces it; null when the id is not the tenant's. */
export function saveCoachingRule(db: Db, tenantId: string, userId: string | null, rule: CoachingRule): Promise<CoachingRuleRow | null> {
  const { id, name, enabled, ...definition } = rule;
  return withTenant(db, tenantId, async (tx) => {
    const values = { name, enabled, definition, updatedBy: userId, updatedAt: new Date() };
    const [row] = id
      ? await tx
          .update(coachingRules)
          .set(values)
          .where(and(eq(coachingRules.tenantId, tenantId), eq(coachingRules.id, id)))
          .returning()
      : await tx
          .insert(coachingRules)
          .values({ tenantId, ...values })
          .returning();
    if (!row) return null;
    await audit(tx, tenantId, userId, id ? 'coaching_rule.update' : 'coaching_rule.create', 'coaching_rule', row.id);
    return toRule(row);
  });
}

export function deleteCoachingRule(db: Db, tenantId: string, userId: string | null, id: string): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const deleted = await tx
      .delete(coachingRules)
      .where(and(eq(coachingRules.tenantId, tenantId), eq(coachingRules.id, id)))
      .returning({ id: coachingRules.id });
    if (deleted.length) await audit(tx, tenantId, userId, 'coaching_rule.delete', 'coaching_rule', id);
    return deleted.length > 0;
  });
}

export type CoachingTarget = { type: 'question'; questionId: string } | { type: 'metric'; metric: string };

export type CoachingAssignmentRow = Omit<typeof coachingAssignments.$inferSelect, 'status' | 'target'> & { status: CoachingStatus; target: CoachingTarget };

export interface NewCoachingAssignment {
  agentId: string;
  ruleId: string | null;
  ruleName: string;
  target: CoachingTarget;
  evidence: unknown;
  tip: unknown;
  sessionMinutes: number | null;
  measureWeeks: number;
  coachUserId: string | null;
  dueAt: Date;
}

/** One open assignment per agent and target: the key the unique index holds. */
function coachingTargetKey(target: CoachingTarget): string {
  return target.type === 'question' ? `question:${target.questionId}` : `metric:${target.metric}`;
}

async function addEvent(tx: Tx, tenantId: string, assignmentId: string, at: Date, kind: string, actorUserId: string | null, detail: object = {}) {
  await tx.insert(coachingEvents).values({ tenantId, assignmentId, at, kind, actorUserId, detail });
}

/**
 * Stores new assignments; one for an agent and target that already has an open one is skipped (a retried check
 * makes nothing twice). Returns those made.
 */
export function createCoachingAssignments(
  db: Db,
  tenantId: string,
  userId: string | null,
  items: readonly NewCoachingAssignment[],
  now: Date,
): Promise<CoachingAssignmentRow[]> {
  if (items.length === 0) return Promise.resolve([]);
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .insert(coachingAssignments)
      .values(items.map((i) => ({ tenantId, ...i, targetKey: coachingTargetKey(i.target), createdBy: userId, createdAt: now })))
      .onConflictDoNothing()
      .returning();
    for (const row of rows) {
      await addEvent(tx, tenantId, row.id, now, 'created', userId, { rule: row.ruleName });
      if (userId) await audit(tx, tenantId, userId, 'coaching_assignment.create', 'coaching_assignment', row.id);
    }
    return rows as CoachingAssignmentRow[];
  });
}

export async function getCoachingAssignment(db: Db, tenantId: string, id: string): Promise<CoachingAssignmentRow | null> {
  const [row] = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select()
        .from(coachingAssignments)
        .where(and(eq(coachingAssignments.tenantId, tenantId), eq(coachingAssignments.id, id))),
    { accessMode: 'read only' },
  );
  return (row as CoachingAssignmentRow | undefined) ?? null;
}

export function listCoachingAssignments(
  db: Db,
  tenantId: string,
  filter: { agentIds?: readonly string[]; statuses?: readonly CoachingStatus[]; since?: Date } = {},
): Promise<CoachingAssignmentRow[]> {
  if (filter.agentIds?.length === 0) return Promise.resolve([]);
  return withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select()
        .from(coachingAssignments)
        .where(
          and(
            eq(coachingAssignments.tenantId, tenantId),
            filter.agentIds ? inArray(coachingAssignments.agentId, [...filter.agentIds]) : undefined,
            filter.statuses ? inArray(coachingAssignments.status, [...filter.statuses]) : undefined,
            filter.since ? gte(coachingAssignments.createdAt, filter.since) : undefined,
          ),
        )
        .orderBy(desc(coachingAssignments.createdAt)),
    { accessMode: 'read only' },
  ) as Promise<CoachingAssignmentRow[]>;
}

export function listCoachingEvents(db: Db, tenantId: string, assignmentId: string) {
  return withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select({ at: coachingEvents.at, kind: coachingEvents.kind, actorUserId: coachingEvents.actorUserId, detail: coachingEvents.detail })
        .from(coachingEvents)
        .where(and(eq(coachingEvents.tenantId, tenantId), eq(coachingEvents.assignmentId, assignmentId)))
        .orderBy(asc(coachingEvents.at), asc(sql`ctid`)),
    { accessMode: 'read only' },
  );
}

type AssignmentPatch = Partial<Omit<typeof coachingAssignments.$inferInsert, 'tenantId' | 'id' | 'agentId'>> & { status?: CoachingStatus };

interface Transition {
  id: string;
  /** Moves only from one of these statuses; null (not moved) otherwise. */
  from: readonly CoachingStatus[];
  set: AssignmentPatch;
  event: { at: Date; kind: string; actorUserId?: string | null; detail?: object };
  /** Moves only an assignment of this agent (an agent acting on their own). */
  agentId?: string;
  /** Republished in the same transaction (a booked session); the new version's id goes to `sessionScheduleId`. */
  change?: Republish;
}

async function moveIn(tx: Tx, tenantId: string, t: Transition): Promise<CoachingAssignmentRow | null> {
  const scheduleId = t.change ? await republish(tx, tenantId, t.event.actorUserId ?? null, t.change) : undefined;
  const [row] = await tx
    .update(coachingAssignments)
    .set({ ...t.set, ...(scheduleId ? { sessionScheduleId: scheduleId } : {}) })
    .where(
      and(
        eq(coachingAssignments.tenantId, tenantId),
        eq(coachingAssignments.id, t.id),
        inArray(coachingAssignments.status, [...t.from]),
        t.agentId ? eq(coachingAssignments.agentId, t.agentId) : undefined,
      ),
    )
    .returning();
  if (!row) return null;
  await addEvent(tx, tenantId, t.id, t.event.at, t.event.kind, t.event.actorUserId ?? null, t.event.detail);
  if (t.event.actorUserId) await audit(tx, tenantId, t.event.actorUserId, `coaching_assignment.${t.event.kind}`, 'coaching_assignment', t.id);
  return row as CoachingAssignmentRow;
}

/**
 * Moves an assignment along, with its timeline event, in one transaction; null when it is not in a `from` status
 * (already moved: a retried activity or a second click changes nothing). A `change` that lost a race to another
 * republish throws ScheduleConflictError and nothing is kept.
 */
export function moveCoachingAssignment(db: Db, tenantId: string, transition: Transition): Promise<CoachingAssignmentRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    if (!transition.change) return moveIn(tx, tenantId, transition);
    // A booking must not republish for an assignment that moved meanwhile: lock it first.
    const [current] = await tx
      .select({ status: coachingAssignments.status })
      .from(coachingAssignments)
      .where(and(eq(coachingAssignments.tenantId, tenantId), eq(coachingAssignments.id, transition.id)))
      .for('update');
    if (!current || !transition.from.includes(current.status as CoachingStatus)) return null;
    return moveIn(tx, tenantId, transition);
  });
}
