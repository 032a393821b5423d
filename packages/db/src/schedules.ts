import { and, asc, desc, eq, gt, inArray, lt, ne, sql } from 'drizzle-orm';
import type { ActivityKind } from '@switchboard/contracts';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import {
  agentWorkRules,
  planningGroupQueues,
  planningGroups,
  queues,
  scheduleAcknowledgements,
  scheduleActivities,
  schedules,
  scheduleSettings,
  shiftTemplates,
  workContracts,
  type ScheduleSummary,
} from './schema.ts';
import { withTenant, type Tx } from './tenancy.ts';

/**
 * What scheduling reads and planners edit: planning groups, shift templates, contracts and agents' work rules, and
 * the schedules themselves (drafts edited under a revision check, published versions frozen). Every change is
 * written to `audit_log` in the same transaction.
 */

export type PlanningGroupRow = typeof planningGroups.$inferSelect & { queueIds: string[] };
export type ShiftTemplateRow = typeof shiftTemplates.$inferSelect;
export type ShiftTemplateInput = Omit<ShiftTemplateRow, 'tenantId' | 'id' | 'updatedBy' | 'updatedAt'>;
export type WorkContractRow = typeof workContracts.$inferSelect;
export type WorkContractInput = Omit<WorkContractRow, 'tenantId' | 'id' | 'updatedBy' | 'updatedAt'>;
export type AgentWorkRulesRow = typeof agentWorkRules.$inferSelect;
export type AgentWorkRulesInput = Omit<AgentWorkRulesRow, 'tenantId' | 'updatedBy' | 'updatedAt'>;
export type ScheduleRow = typeof schedules.$inferSelect;
export type ScheduleActivityRow = typeof scheduleActivities.$inferSelect;
export type ScheduleSettingsRow = Omit<typeof scheduleSettings.$inferSelect, 'tenantId' | 'updatedBy' | 'updatedAt'>;

export interface ActivityInput {
  agentId: string;
  kind: ActivityKind;
  startsAt: Date;
  endsAt: Date;
  shiftDate: string;
  templateId: string | null;
}

/** A save made on a revision of a draft that has changed since, or on a schedule that is no longer a draft. */
export class ScheduleConflictError extends Error {
  constructor(
    readonly reason: 'stale_revision' | 'not_a_draft',
    message: string,
  ) {
    super(message);
  }
}

// ── planning groups ──────────────────────────────────────────────────────────

export function listPlanningGroups(db: Db, tenantId: string): Promise<PlanningGroupRow[]> {
  return withTenant(db, tenantId, async (tx) => {
    const groups = await tx.select().from(planningGroups).where(eq(planningGroups.tenantId, tenantId)).orderBy(asc(planningGroups.key));
    const links = await tx.select().from(planningGroupQueues).where(eq(planningGroupQueues.tenantId, tenantId));
    return groups.map((g) => ({ ...g, queueIds: links.filter((l) => l.groupId === g.id).map((l) => l.queueId) }));
  });
}

/** Creates or replaces a group by key; its queues move to it from any other group. Null when a queue is not the tenant's. */
export function savePlanningGroup(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { key: string; name: string; queueIds: readonly string[] },
): Promise<PlanningGroupRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    if (input.queueIds.length > 0) {
      const found = await tx
        .select({ id: queues.id })
        .from(queues)
        .where(and(eq(queues.tenantId, tenantId), inArray(queues.id, [...input.queueIds])));
      if (found.length !== new Set(input.queueIds).size) return null;
    }
    const values = { name: input.name, updatedBy: userId, updatedAt: new Date() };
    const [group] = await tx
      .insert(planningGroups)
      .values({ tenantId, key: input.key, ...values })
      .onConflictDoUpdate({ target: [planningGroups.tenantId, planningGroups.key], set: values })
      .returning();
    await tx.delete(planningGroupQueues).where(and(eq(planningGroupQueues.tenantId, tenantId), eq(planningGroupQueues.groupId, group!.id)));
    if (input.queueIds.length > 0) {
      await tx
        .insert(planningGroupQueues)
        .values(input.queueIds.map((queueId) => ({ tenantId, queueId, groupId: group!.id })))
        .onConflictDoUpdate({ target: [planningGroupQueues.tenantId, planningGroupQueues.queueId], set: { groupId: group!.id } });
    }
    await audit(tx, tenantId, userId, 'save', 'planning_group', group!.id);
    return { ...group!, queueIds: [...input.queueIds] };
  });
}

// ── shift templates, contracts and agents' rules ─────────────────────────────

export function listShiftTemplates(db: Db, tenantId: string): Promise<ShiftTemplateRow[]> {
  return withTenant(db, tenantId, (tx) => tx.select().from(shiftTemplates).where(eq(shiftTemplates.tenantId, tenantId)).orderBy(asc(shiftTemplates.name)));
}

/** Creates (no id) or replaces a template; null when the id is not the tenant's. */
export function saveShiftTemplate(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: ShiftTemplateInput & { id?: string | undefined },
): Promise<ShiftTemplateRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const { id, ...fields } = input;
    const values = { ...fields, updatedBy: userId, updatedAt: new Date() };
    const [row] = id
      ? await tx
          .update(shiftTemplates)
          .set(values)
          .where(and(eq(shiftTemplates.tenantId, tenantId), eq(shiftTemplates.id, id)))
          .returning()
      : await tx
          .insert(shiftTemplates)
          .values({ tenantId, ...values })
          .returning();
    if (row) await audit(tx, tenantId, userId, id ? 'update' : 'create', 'shift_template', row.id);
    return row ?? null;
  });
}

export function listWorkContracts(db: Db, tenantId: string): Promise<WorkContractRow[]> {
  return withTenant(db, tenantId, (tx) => tx.select().from(workContracts).where(eq(workContracts.tenantId, tenantId)).orderBy(asc(workContracts.name)));
}

export function saveWorkContract(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: WorkContractInput & { id?: string | undefined },
): Promise<WorkContractRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const { id, ...fields } = input;
    const values = { ...fields, updatedBy: userId, updatedAt: new Date() };
    const [row] = id
      ? await tx
          .update(workContracts)
          .set(values)
          .where(and(eq(workContracts.tenantId, tenantId), eq(workContracts.id, id)))
          .returning()
      : await tx
          .insert(workContracts)
          .values({ tenantId, ...values })
          .returning();
    if (row) await audit(tx, tenantId, userId, id ? 'update' : 'create', 'work_contract', row.id);
    return row ?? null;
  });
}

export function listAgentWorkRules(db: Db, tenantId: string): Promise<AgentWorkRulesRow[]> {
  return withTenant(db, tenantId, (tx) => tx.select().from(agentWorkRules).where(eq(agentWorkRules.tenantId, tenantId)));
}

export function saveAgentWorkRules(db: Db, tenantId: string, userId: string | null, input: AgentWorkRulesInput): Promise<AgentWorkRulesRow> {
  return withTenant(db, tenantId, async (tx) => {
    const { agentId, ...fields } = input;
    const values = { ...fields, updatedBy: userId, updatedAt: new Date() };
    const [row] = await tx
      .insert(agentWorkRules)
      .values({ tenantId, agentId, ...values })
      .onConflictDoUpdate({ target: [agentWorkRules.tenantId, agentWorkRules.agentId], set: values })
      .returning();
    await audit(tx, tenantId, userId, 'save', 'agent_work_rules', agentId);
    return row!;
  });
}

export function getScheduleSettings(db: Db, tenantId: string): Promise<ScheduleSettingsRow> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ autoApproveSwaps: scheduleSettings.autoApproveSwaps, acknowledgeDays: scheduleSettings.acknowledgeDays })
      .from(scheduleSettings)
      .where(eq(scheduleSettings.tenantId, tenantId));
    return row ?? { autoApproveSwaps: false, acknowledgeDays: 2 };
  });
}

export function saveScheduleSettings(db: Db, tenantId: string, userId: string | null, input: ScheduleSettingsRow): Promise<ScheduleSettingsRow> {
  return withTenant(db, tenantId, async (tx) => {
    const values = { ...input, updatedBy: userId, updatedAt: new Date() };
    await tx
      .insert(scheduleSettings)
      .values({ tenantId, ...values })
      .onConflictDoUpdate({ target: scheduleSettings.tenantId, set: values });
    await audit(tx, tenantId, userId, 'save', 'schedule_settings', tenantId);
    return input;
  });
}

// ── schedules ────────────────────────────────────────────────────────────────

/**
 * Stores a generated week as a draft, once per workflow run: a retried activity finds the draft it wrote and
 * returns it.
 */
export function saveDraftSchedule(
  db: Db,
  tenantId: string,
  input: {
    groupId: string;
    weekStart: string;
    timezone: string;
    summary: ScheduleSummary;
    staffingVersionId: string | null;
    workflowId: string;
    activities: readonly ActivityInput[];
  },
): Promise<ScheduleRow> {
  return withTenant(db, tenantId, async (tx) => {
    const [existing] = await tx
      .select()
      .from(schedules)
      .where(
        and(
          eq(schedules.tenantId, tenantId),
          eq(schedules.workflowId, input.workflowId),
          eq(schedules.groupId, input.groupId),
          eq(schedules.weekStart, input.weekStart),
        ),
      );
    if (existing) return existing;
    const [row] = await tx
      .insert(schedules)
      .values({
        tenantId,
        groupId: input.groupId,
        weekStart: input.weekStart,
        timezone: input.timezone,
        summary: input.summary,
        staffingVersionId: input.staffingVersionId,
        workflowId: input.workflowId,
      })
      .returning();
    await insertActivities(tx, tenantId, row!.id, input.activities);
    await audit(tx, tenantId, null, 'generate', 'schedule', row!.id);
    return row!;
  });
}

export async function insertActivities(tx: Tx, tenantId: string, scheduleId: string, activities: readonly ActivityInput[]) {
  // Postgres takes at most 65,535 bound values a statement: 7 a row.
  for (let i = 0; i < activities.length; i += 5000) {
    await tx.insert(scheduleActivities).values(activities.slice(i, i + 5000).map((a) => ({ tenantId, scheduleId, ...a })));
  }
}

export function listSchedules(db: Db, tenantId: string, filter: { weekStart?: string; groupId?: string } = {}): Promise<ScheduleRow[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(schedules)
      .where(
        and(
          eq(schedules.tenantId, tenantId),
          filter.weekStart ? eq(schedules.weekStart, filter.weekStart) : undefined,
          filter.groupId ? eq(schedules.groupId, filter.groupId) : undefined,
        ),
      )
      .orderBy(desc(schedules.weekStart), desc(schedules.createdAt)),
  );
}

/** A schedule and its activities (of the given agents only, when given); null when it is not the tenant's. */
export function getSchedule(
  db: Db,
  tenantId: string,
  scheduleId: string,
  agentIds?: readonly string[],
): Promise<{ schedule: ScheduleRow; activities: ScheduleActivityRow[] } | null> {
  return withTenant(
    db,
    tenantId,
    async (tx) => {
      const [schedule] = await tx
        .select()
        .from(schedules)
        .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, scheduleId)));
      if (!schedule) return null;
      const activities =
        agentIds && agentIds.length === 0
          ? []
          : await tx
              .select()
              .from(scheduleActivities)
              .where(
                and(
                  eq(scheduleActivities.tenantId, tenantId),
                  eq(scheduleActivities.scheduleId, scheduleId),
                  agentIds ? inArray(scheduleActivities.agentId, [...agentIds]) : undefined,
                ),
              )
              .orderBy(asc(scheduleActivities.agentId), asc(scheduleActivities.startsAt));
      return { schedule, activities };
    },
    { accessMode: 'read only' },
  );
}

/**
 * Replaces one agent's activities of one shift day in a draft, if the draft is still at `expectedRevision`
 * (another planner's save in between is refused, not overwritten). Returns the new revision.
 */
export function editDraftDay(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: {
    scheduleId: string;
    expectedRevision: number;
    agentId: string;
    shiftDate: string;
    activities: readonly Omit<ActivityInput, 'agentId' | 'shiftDate'>[];
    summary: ScheduleSummary;
  },
): Promise<number> {
  return withTenant(db, tenantId, async (tx) => {
    const [bumped] = await tx
      .update(schedules)
      .set({ revision: sql`${schedules.revision} + 1`, summary: input.summary })
      .where(
        and(
          eq(schedules.tenantId, tenantId),
          eq(schedules.id, input.scheduleId),
          eq(schedules.status, 'draft'),
          eq(schedules.revision, input.expectedRevision),
        ),
      )
      .returning({ revision: schedules.revision });
    if (!bumped) {
      const [current] = await tx
        .select({ status: schedules.status, revision: schedules.revision })
        .from(schedules)
        .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, input.scheduleId)));
      if (current && current.status !== 'draft') throw new ScheduleConflictError('not_a_draft', `the schedule is ${current.status}: only drafts can be edited`);
      throw new ScheduleConflictError(
        'stale_revision',
        current
          ? `the draft changed since you opened it (revision ${current.revision}, yours ${input.expectedRevision}): reload it and edit again`
          : 'no such schedule',
      );
    }
    await tx
      .delete(scheduleActivities)
      .where(
        and(
          eq(scheduleActivities.tenantId, tenantId),
          eq(scheduleActivities.scheduleId, input.scheduleId),
          eq(scheduleActivities.agentId, input.agentId),
          eq(scheduleActivities.shiftDate, input.shiftDate),
        ),
      );
    await insertActivities(
      tx,
      tenantId,
      input.scheduleId,
      input.activities.map((a) => ({ ...a, agentId: input.agentId, shiftDate: input.shiftDate })),
    );
    await audit(tx, tenantId, userId, 'edit_day', 'schedule', input.scheduleId);
    return bumped.revision;
  });
}

/**
 * Publishes a draft: the week's previous published version of the group becomes `superseded`, this one
 * `published` (its activities frozen from here). Publishing a published schedule again changes nothing.
 */
export function publishSchedule(
  db: Db,
  tenantId: string,
  userId: string | null,
  scheduleId: string,
  at: Date,
  acknowledgeBy: Date,
): Promise<ScheduleRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [draft] = await tx
      .select()
      .from(schedules)
      .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, scheduleId)))
      .for('update');
    if (!draft) return null;
    if (draft.status === 'published') return draft;
    if (draft.status !== 'draft') throw new ScheduleConflictError('not_a_draft', `the schedule is ${draft.status}: only a draft can be published`);
    await tx
      .update(schedules)
      .set({ status: 'superseded' })
      .where(
        and(
          eq(schedules.tenantId, tenantId),
          eq(schedules.groupId, draft.groupId),
          eq(schedules.weekStart, draft.weekStart),
          eq(schedules.status, 'published'),
          ne(schedules.id, scheduleId),
        ),
      );
    const [row] = await tx
      .update(schedules)
      .set({ status: 'published', publishedAt: at, decidedBy: userId, acknowledgeBy })
      .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, scheduleId)))
      .returning();
    await audit(tx, tenantId, userId, 'publish', 'schedule', scheduleId);
    return row!;
  });
}

export function rejectSchedule(db: Db, tenantId: string, userId: string | null, scheduleId: string, reason: string): Promise<ScheduleRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .update(schedules)
      .set({ status: 'rejected', decidedBy: userId, rejectedReason: reason })
      .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, scheduleId), eq(schedules.status, 'draft')))
      .returning();
    if (row) await audit(tx, tenantId, userId, 'reject', 'schedule', scheduleId);
    return row ?? null;
  });
}

/** Published activities overlapping [from, to), of some agents (all when not given), in time order. */
export function listPublishedActivities(
  db: Db,
  tenantId: string,
  range: { from: Date; to: Date; agentIds?: readonly string[] },
): Promise<(ScheduleActivityRow & { weekStart: string; groupId: string })[]> {
  return withTenant(
    db,
    tenantId,
    async (tx) => {
      const rows = await tx
        .select({ activity: scheduleActivities, weekStart: schedules.weekStart, groupId: schedules.groupId })
        .from(scheduleActivities)
        .innerJoin(schedules, and(eq(schedules.tenantId, scheduleActivities.tenantId), eq(schedules.id, scheduleActivities.scheduleId)))
        .where(
          and(
            eq(scheduleActivities.tenantId, tenantId),
            eq(schedules.status, 'published'),
            lt(scheduleActivities.startsAt, range.to),
            gt(scheduleActivities.endsAt, range.from),
            range.agentIds ? inArray(scheduleActivities.agentId, [...range.agentIds]) : undefined,
          ),
        )
        .orderBy(asc(scheduleActivities.agentId), asc(scheduleActivities.startsAt));
      return rows.map((r) => ({ ...r.activity, weekStart: r.weekStart, groupId: r.groupId }));
    },
    { accessMode: 'read only' },
  );
}

/** The agent saw the schedule (a published one holding some of their activities); repeating it keeps the first time. */
export function acknowledgeSchedule(db: Db, tenantId: string, scheduleId: string, agentId: string, at: Date): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const [schedule] = await tx
      .select({ status: schedules.status })
      .from(schedules)
      .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, scheduleId)));
    if (schedule?.status !== 'published') return false;
    await tx.insert(scheduleAcknowledgements).values({ tenantId, scheduleId, agentId, at }).onConflictDoNothing();
    return true;
  });
}

/** Agents with activities in a published schedule, and when each acknowledged it (null: not yet). */
export function listAcknowledgements(db: Db, tenantId: string, scheduleId: string): Promise<{ agentId: string; at: Date | null }[]> {
  return withTenant(
    db,
    tenantId,
    async (tx) => {
      const rows = await tx
        .selectDistinct({ agentId: scheduleActivities.agentId, at: scheduleAcknowledgements.at })
        .from(scheduleActivities)
        .leftJoin(
          scheduleAcknowledgements,
          and(
            eq(scheduleAcknowledgements.tenantId, scheduleActivities.tenantId),
            eq(scheduleAcknowledgements.scheduleId, scheduleActivities.scheduleId),
            eq(scheduleAcknowledgements.agentId, scheduleActivities.agentId),
          ),
        )
        .where(and(eq(scheduleActivities.tenantId, tenantId), eq(scheduleActivities.scheduleId, scheduleId)));
      return rows;
    },
    { accessMode: 'read only' },
  );
}
