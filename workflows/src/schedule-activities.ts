import { Context } from '@temporalio/activity';
import { z } from 'zod';
import {
  emitWebhookEvent,
  getDirectory,
  getSchedule,
  getScheduleSettings,
  listAgentWorkRules,
  listPlanningGroups,
  listPublishedActivities,
  listSchedules,
  listShiftTemplates,
  listTimeOff,
  listWorkContracts,
  publishSchedule,
  rejectSchedule,
  saveDraftSchedule,
  type Db,
} from '@switchboard/db';
import { getStaffingIntervals, listForecastVersions, listStaffingVersions, writeScheduleSnapshot, type StaffingVersion } from '@switchboard/telemetry';
import { addLocalDays, daysBetween, isLocalDate, localDateOf, localWeekStart } from '@switchboard/calendar';
import { buildWeekProblem, groupRequirement, toActivityRows, weekTimeline } from '@switchboard/planning';
import type { PlanningDeps } from './activities.ts';
import { parseInput, permanent } from './activity-input.ts';
import { heartbeating } from './heartbeat.ts';
import { startWebhookDeliveries } from './webhooks.ts';

/**
 * The schedule workflow's activities: generate a planning group's week into a draft, publish it (Postgres and the
 * ClickHouse snapshot), or expire it. Arguments are ids and dates only; each is safe to retry (the draft is keyed
 * on the run's workflow id, publishing twice changes nothing, the snapshot is written once).
 */

export interface GenerateScheduleInput {
  tenantId: string;
  groupId: string;
  weekStart: string;
  workflowId: string;
}

export interface GenerateScheduleResult {
  scheduleId: string;
  shifts: number;
  gap: number;
  shortfall: number;
  violations: number;
}

const Uuid = z.uuid();
const WeekStart = z.string().refine(isLocalDate, 'a date YYYY-MM-DD');
const GenerateInput: z.ZodType<GenerateScheduleInput> = z.object({ tenantId: Uuid, groupId: Uuid, weekStart: WeekStart, workflowId: z.string().min(1) });
const PublishInput = z.object({ tenantId: Uuid, scheduleId: Uuid, userId: z.string().min(1).nullable() });
const ExpireInput = z.object({ tenantId: Uuid, scheduleId: Uuid });

/** The newest staffing version whose forecast covers most of the week (all of it, if any does). */
async function pickStaffingVersion(deps: PlanningDeps, tenantId: string, weekStart: string): Promise<{ version: StaffingVersion; days: number } | null> {
  const [staffing, forecasts] = await Promise.all([listStaffingVersions(deps.telemetry, tenantId), listForecastVersions(deps.telemetry, tenantId, 500)]);
  const forecastById = new Map(forecasts.map((f) => [f.version_id, f]));
  let best: { version: StaffingVersion; days: number } | null = null;
  for (const version of staffing) {
    const forecast = forecastById.get(version.forecast_version_id);
    if (!forecast) continue;
    const first = Math.max(0, daysBetween(weekStart, forecast.start_date));
    const last = Math.min(7, daysBetween(weekStart, addLocalDays(forecast.start_date, forecast.horizon_days)));
    const days = Math.max(0, last - first);
    // Newest first: a later version replaces only by covering more days.
    if (days > (best?.days ?? 0)) best = { version, days };
  }
  return best;
}

export function createScheduleActivities(deps: PlanningDeps & { db: Db }) {
  const now = deps.now ?? (() => new Date());

  return {
    // The solve blocks a math pool thread for up to a minute, not this one: the activity beats from start to end.
    generateSchedule: heartbeating('generating', async (raw: GenerateScheduleInput): Promise<GenerateScheduleResult> => {
      const input = parseInput('generateSchedule', GenerateInput, raw);
      const directory = await getDirectory(deps.db, input.tenantId);
      if (!directory) throw permanent('TenantNotFound', `tenant ${input.tenantId} does not exist`);
      const existing = (await listSchedules(deps.db, input.tenantId, { weekStart: input.weekStart, groupId: input.groupId })).find(
        (s) => s.workflowId === input.workflowId,
      );
      if (existing) {
        const f = existing.summary.figures;
        return { scheduleId: existing.id, shifts: f.shifts ?? 0, gap: f.gap ?? 0, shortfall: f.shortfall ?? 0, violations: f.violations ?? 0 };
      }
      const groups = await listPlanningGroups(deps.db, input.tenantId);
      const group = groups.find((g) => g.id === input.groupId);
      if (!group) throw permanent('PlanningGroupNotFound', `planning group ${input.groupId} is not in tenant ${input.tenantId}`);

      const timezone = directory.timezone;
      const { origin, intervals, dayStarts } = weekTimeline(input.weekStart, timezone);
      const weekEnd = new Date(origin.getTime() + dayStarts[7]! * 60_000);
      const picked = await pickStaffingVersion(deps, input.tenantId, input.weekStart);
      if (!picked)
        throw permanent(
          'NoStaffingRequirement',
          `no published staffing requirement covers the week of ${input.weekStart}: run a forecast that reaches it first (Planning → Run forecast)`,
        );
      const queues = directory.queues.filter((q) => group.queueIds.includes(q.id));
      const rows = [];
      for (const queue of queues) {
        rows.push(
          ...(await getStaffingIntervals(deps.telemetry, {
            tenantId: input.tenantId,
            versionId: picked.version.version_id,
            queueId: queue.key,
            from: origin,
            to: weekEnd,
          })),
        );
      }
      const { required, covered } = groupRequirement(intervals, origin, rows);

      const [templates, contracts, rules, timeOff, previous] = await Promise.all([
        listShiftTemplates(deps.db, input.tenantId),
        listWorkContracts(deps.db, input.tenantId),
        listAgentWorkRules(deps.db, input.tenantId),
        listTimeOff(deps.db, input.tenantId, { from: origin, to: weekEnd, statuses: ['approved'] }),
        listPublishedActivities(deps.db, input.tenantId, { from: new Date(origin.getTime() - 7 * 86_400_000), to: origin }),
      ]);
      const { problem, notes, agentIds } = buildWeekProblem({
        tenantTimezone: timezone,
        weekStart: input.weekStart,
        groupId: input.groupId,
        directory,
        groups,
        templates,
        contracts,
        rules,
        timeOff,
        previous,
        required,
      });
      if (queues.length === 0) notes.push('the planning group has no queues: its requirement is empty');
      const uncovered = dayStarts.slice(0, 7).filter((start, d) => !covered.slice(start / 15, dayStarts[d + 1]! / 15).some(Boolean)).length;
      if (uncovered > 0 && queues.length > 0)
        notes.push(`${uncovered} day(s) of the week have no requirement in staffing version ${picked.version.version_id}`);

      const solved = await deps.math.scheduleWeek({ ...problem, timeLimitS: 60 });
      if ('refused' in solved) throw permanent('ScheduleRulesInvalid', solved.refused);
      const { plan } = solved;
      if (plan.status === 'time_limit') notes.push('the coverage solve stopped at its time limit: the gap shown is what it reached');

      const figures = {
        ...plan.figures,
        penalty: plan.penalty,
        shifts: plan.shifts.length,
        agents: agentIds.length,
        violations: plan.violations.length,
        unassigned: plan.unassigned,
        extra: plan.extra,
        fairnessSpread: plan.fairnessSpread,
        preferenceMetMean: plan.preferenceMet.mean,
        solveSeconds: plan.seconds.total,
      };
      const draft = await saveDraftSchedule(deps.db, input.tenantId, {
        groupId: input.groupId,
        weekStart: input.weekStart,
        timezone,
        summary: { figures, required, scheduled: plan.coverage[0]?.scheduled ?? [], dayStarts: plan.dayStarts, notes },
        staffingVersionId: picked.version.version_id,
        workflowId: input.workflowId,
        activities: toActivityRows(plan.shifts, input.weekStart, timezone),
      });
      return { scheduleId: draft.id, shifts: plan.shifts.length, gap: plan.figures.gap, shortfall: plan.figures.shortfall, violations: plan.violations.length };
    }),

    /** Publishes the draft as it is now (planners may have edited it) and writes its snapshot; returns the agents notified. */
    publishSchedule: heartbeating('publishing', async (raw: { tenantId: string; scheduleId: string; userId: string | null }): Promise<{ agents: number }> => {
      const input = parseInput('publishSchedule', PublishInput, raw);
      const settings = await getScheduleSettings(deps.db, input.tenantId);
      const at = now();
      const published = await publishSchedule(
        deps.db,
        input.tenantId,
        input.userId,
        input.scheduleId,
        at,
        new Date(at.getTime() + settings.acknowledgeDays * 86_400_000),
      );
      if (!published) throw permanent('ScheduleNotFound', `schedule ${input.scheduleId} is not in tenant ${input.tenantId}`);
      const agents = await snapshotSchedule(deps, input.tenantId, input.scheduleId);
      // A retried publish emits the same event (its id comes from the version's): recorded once.
      const publishedAt = published.publishedAt ?? at;
      // The client is read only when a subscription needs a delivery started (a mock activity context has none).
      const context = Context.current();
      await emitWebhookEvent(
        deps.db,
        input.tenantId,
        {
          kind: 'schedule.published',
          subjectId: published.id,
          occurredAt: publishedAt,
          data: {
            scheduleId: published.id,
            planningGroupId: published.groupId,
            weekStart: published.weekStart,
            publishedAt: publishedAt.toISOString(),
            agents,
          },
        },
        (deliveries) => startWebhookDeliveries(context.client, deliveries, context.info.taskQueue),
      );
      return { agents };
    }),

    /** Next week (tenant-local, from Monday) and the planning groups without a published schedule for it. */
    planNextWeek: heartbeating('planning', async (raw: { tenantId: string }): Promise<{ weekStart: string; groupIds: string[] }> => {
      const input = parseInput('planNextWeek', z.object({ tenantId: Uuid }), raw);
      const directory = await getDirectory(deps.db, input.tenantId);
      if (!directory) throw permanent('TenantNotFound', `tenant ${input.tenantId} does not exist`);
      const weekStart = localWeekStart(addLocalDays(localDateOf(now(), directory.timezone), 7), 1);
      const [groups, schedules] = await Promise.all([listPlanningGroups(deps.db, input.tenantId), listSchedules(deps.db, input.tenantId, { weekStart })]);
      const published = new Set(schedules.filter((s) => s.status === 'published').map((s) => s.groupId));
      return { weekStart, groupIds: groups.filter((g) => !published.has(g.id)).map((g) => g.id) };
    }),

    /** A draft nobody approved in time is set aside (rejected with that reason). */
    expireSchedule: heartbeating('expiring', async (raw: { tenantId: string; scheduleId: string }): Promise<boolean> => {
      const input = parseInput('expireSchedule', ExpireInput, raw);
      return (await rejectSchedule(deps.db, input.tenantId, null, input.scheduleId, 'not approved before the approval window closed')) !== null;
    }),
  };
}

/**
 * Writes a published version to ClickHouse (`schedule_activities`) unless it is there; returns how many agents it
 * schedules. The workflow calls it on publishing, the API after a swap or time off republishes a week, and the
 * host at start for any published version a crash left without its snapshot.
 */
async function snapshotSchedule(deps: Pick<PlanningDeps, 'db' | 'telemetry'>, tenantId: string, scheduleId: string): Promise<number> {
  const [stored, directory, groups] = await Promise.all([
    getSchedule(deps.db, tenantId, scheduleId),
    getDirectory(deps.db, tenantId),
    listPlanningGroups(deps.db, tenantId),
  ]);
  if (!stored || !directory || stored.schedule.status === 'draft' || stored.schedule.status === 'rejected') return 0;
  const keyOf = new Map(directory.agents.map((a) => [a.id, a.key]));
  await writeScheduleSnapshot(deps.telemetry, {
    tenantId,
    scheduleId,
    groupKey: groups.find((g) => g.id === stored.schedule.groupId)?.key ?? stored.schedule.groupId,
    weekStart: stored.schedule.weekStart,
    publishedAt: stored.schedule.publishedAt ?? stored.schedule.createdAt,
    activities: stored.activities.map((a) => ({
      agentKey: keyOf.get(a.agentId) ?? a.agentId,
      kind: a.kind,
      start: a.startsAt,
      end: a.endsAt,
      shiftDate: a.shiftDate,
    })),
  });
  return new Set(stored.activities.map((a) => a.agentId)).size;
}

/** Snapshots every published schedule of the tenant that lacks one (see snapshotSchedule). */
export async function syncScheduleSnapshots(deps: Pick<PlanningDeps, 'db' | 'telemetry'>, tenantId: string): Promise<void> {
  for (const schedule of await listSchedules(deps.db, tenantId)) {
    if (schedule.status === 'published') await snapshotSchedule(deps, tenantId, schedule.id);
  }
}
