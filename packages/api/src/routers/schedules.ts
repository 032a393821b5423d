import { TRPCError } from '@trpc/server';
import {
  getSchedule,
  getScheduleSettings,
  listAgentWorkRules,
  listPlanningGroups,
  listSchedules,
  listShiftTemplates,
  listSwaps,
  listTimeOff,
  listWorkContracts,
  rejectSchedule,
  saveAgentWorkRules,
  savePlanningGroup,
  saveScheduleSettings,
  saveShiftTemplate,
  saveWorkContract,
  updateSwap,
} from '@switchboard/db';
import { activityKinds } from '@switchboard/contracts';
import { addLocalDays, isTimeZone, localDateOf, localWeekStart } from '@switchboard/calendar';
import { paidMinutesOf } from '@switchboard/planning';
import { z } from 'zod';
import { policies } from '../policy.ts';
import { approveSwap, decideTimeOffRequest, editShiftDay, getScheduleView, scheduleDiff } from '../services/schedules.ts';
import { authorized, canSeeAgent, notFound, router } from '../trpc.ts';
import { requireEngine } from '../planning-runner.ts';
import {
  AgentWorkRules,
  PendingSwaps,
  PendingTimeOff,
  PlanningGroup,
  ScheduleDecided,
  ScheduleDiff,
  ScheduleOverview,
  ScheduleSettings,
  ScheduleSetup,
  ScheduleView,
  ShiftEdited,
  ShiftTemplateRow,
  SwapDecision,
  WorkContract,
} from '../outputs/schedules.ts';
import { PlannerTimeOff, WorkflowRun } from '../outputs/shared.ts';

const IsoDate = z.iso.date({ error: 'a date as YYYY-MM-DD' });
const Minute = z.int().min(0).max(1439);
const Weekdays = z.array(z.int().min(0).max(6)).max(7);

const TemplateInput = z
  .object({
    id: z.uuid().optional(),
    name: z.string().trim().min(1).max(60),
    lengthMin: z.int().min(15).max(1440).multipleOf(15, 'the length is whole quarter hours'),
    startStepMin: z.int().min(15).max(720).multipleOf(15, 'starts are on quarter hours'),
    earliestStartMin: Minute.multipleOf(15, 'starts are on quarter hours'),
    latestStartMin: Minute,
    weekdays: Weekdays.min(1, 'pick at least one weekday'),
    cost: z.number().min(0).max(10_000).nullable(),
    breaks: z
      .array(
        z.object({
          kind: z.enum(['break', 'lunch']),
          lengthMin: z.int().min(5).max(240).multipleOf(15, 'breaks are whole quarter hours'),
          earliestOffsetMin: z.int().min(0).max(1440).multipleOf(15),
          latestOffsetMin: z.int().min(0).max(1440).multipleOf(15),
          paid: z.boolean(),
        }),
      )
      .max(6),
    active: z.boolean().default(true),
  })
  .refine((t) => t.earliestStartMin <= t.latestStartMin, { message: 'the latest start is before the earliest', path: ['latestStartMin'] })
  .refine((t) => t.breaks.every((b) => b.earliestOffsetMin <= b.latestOffsetMin && b.latestOffsetMin + b.lengthMin <= t.lengthMin), {
    message: 'each break’s window must lie inside the shift, earliest before latest',
    path: ['breaks'],
  });

const ContractInput = z
  .object({
    id: z.uuid().optional(),
    name: z.string().trim().min(1).max(60),
    minHours: z.number().min(0).max(168),
    maxHours: z.number().min(0).max(168),
    minRestMin: z.int().min(0).max(1440),
    maxConsecutiveDays: z.int().min(1).max(14),
    daysOffPerWeek: z.int().min(0).max(7),
    fixedDaysOff: Weekdays,
  })
  .refine((c) => c.minHours <= c.maxHours, { message: 'the minimum hours exceed the maximum', path: ['minHours'] })
  .refine((c) => c.fixedDaysOff.length <= c.daysOffPerWeek || c.daysOffPerWeek === 0, {
    message: 'more fixed days off than days off a week',
    path: ['fixedDaysOff'],
  });

const RulesInput = z
  .object({
    agentId: z.uuid(),
    contractId: z.uuid(),
    timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin').nullable(),
    availability: z
      .array(z.object({ from: z.int().min(0).max(1440), to: z.int().min(0).max(2880) }).nullable())
      .length(7, 'one entry per weekday, Sunday first')
      .nullable(),
    preferredStartFrom: Minute.nullable(),
    preferredStartTo: Minute.nullable(),
    preferredDaysOff: Weekdays,
  })
  .refine((r) => (r.preferredStartFrom === null) === (r.preferredStartTo === null), {
    message: 'give both ends of the preferred start',
    path: ['preferredStartTo'],
  });

export const schedulesRouter = router({
  /** A week: the planning groups, their schedules (every version), the runs and what setup exists. */
  overview: authorized(policies.planningViewers)
    .input(z.object({ weekStart: IsoDate.optional() }))
    .output(ScheduleOverview)
    .query(async ({ ctx, input }) => {
      const timezone = ctx.access.directory.timezone;
      const weekStart = input.weekStart ?? localWeekStart(addLocalDays(localDateOf(ctx.services.now(), timezone), 7), 1);
      const [groups, schedules, templates, contracts] = await Promise.all([
        listPlanningGroups(ctx.services.db, ctx.access.tenantId),
        listSchedules(ctx.services.db, ctx.access.tenantId, { weekStart }),
        listShiftTemplates(ctx.services.db, ctx.access.tenantId),
        listWorkContracts(ctx.services.db, ctx.access.tenantId),
      ]);
      return {
        timezone,
        weekStart,
        engine: ctx.services.planning !== null,
        groups: groups.map((g) => ({
          id: g.id,
          key: g.key,
          name: g.name,
          queueKeys: ctx.access.directory.queues.filter((q) => g.queueIds.includes(q.id)).map((q) => q.key),
        })),
        schedules: schedules.map((s) => ({
          id: s.id,
          groupId: s.groupId,
          status: s.status,
          revision: s.revision,
          figures: s.summary.figures,
          notes: s.summary.notes,
          createdAt: s.createdAt.toISOString(),
          publishedAt: s.publishedAt?.toISOString() ?? null,
          rejectedReason: s.rejectedReason,
        })),
        templates: templates.length,
        contracts: contracts.length,
      };
    }),

  get: authorized(policies.planningViewers)
    .input(z.object({ scheduleId: z.uuid() }))
    .output(ScheduleView)
    .query(({ ctx, input }) => getScheduleView(ctx.services, ctx.access, input.scheduleId)),

  diff: authorized(policies.planningViewers)
    .input(z.object({ fromId: z.uuid(), toId: z.uuid() }))
    .output(ScheduleDiff)
    .query(({ ctx, input }) => scheduleDiff(ctx.services, ctx.access, input.fromId, input.toId)),

  generate: authorized(policies.planners)
    .input(z.object({ groupId: z.uuid(), weekStart: IsoDate }))
    .output(WorkflowRun)
    .mutation(async ({ ctx, input }) => {
      if (!(await listPlanningGroups(ctx.services.db, ctx.access.tenantId)).some((g) => g.id === input.groupId)) throw notFound('planning group');
      return requireEngine(ctx.services).startSchedule({ tenantId: ctx.access.tenantId, ...input, approval: 'planner' });
    }),

  /** Moves or removes one agent's shift of one day in a draft (version-checked). */
  editDay: authorized(policies.planners)
    .input(
      z.object({
        scheduleId: z.uuid(),
        expectedRevision: z.int().positive(),
        agentId: z.uuid(),
        shiftDate: IsoDate,
        shift: z.object({ templateId: z.uuid(), startMin: Minute, breakOffsetsMin: z.array(z.int().min(0).max(1440)).max(6) }).nullable(),
      }),
    )
    .output(ShiftEdited)
    .mutation(({ ctx, input }) => editShiftDay(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** Approve (the waiting run publishes) or reject with a reason (stored here, the run told). */
  decide: authorized(policies.planners)
    .input(
      z.discriminatedUnion('approve', [
        z.object({ scheduleId: z.uuid(), approve: z.literal(true) }),
        z.object({ scheduleId: z.uuid(), approve: z.literal(false), reason: z.string().trim().min(1, 'say why, for the record').max(500) }),
      ]),
    )
    .output(ScheduleDecided)
    .mutation(async ({ ctx, input }) => {
      const schedule = (await getSchedule(ctx.services.db, ctx.access.tenantId, input.scheduleId, []))?.schedule;
      if (!schedule) throw notFound('schedule');
      if (schedule.status !== 'draft') throw new TRPCError({ code: 'CONFLICT', message: `the schedule is ${schedule.status} already` });
      const engine = requireEngine(ctx.services);
      if (!input.approve) await rejectSchedule(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input.scheduleId, input.reason);
      const told = await engine.decideSchedule({
        tenantId: ctx.access.tenantId,
        groupId: schedule.groupId,
        weekStart: schedule.weekStart,
        approve: input.approve,
        userId: ctx.viewer.userId,
      });
      if (!told && input.approve) throw new TRPCError({ code: 'CONFLICT', message: 'no run is waiting to publish this draft: generate the week again' });
      return { scheduleId: input.scheduleId, approved: input.approve };
    }),

  /** What scheduling works from: groups, templates, contracts, agents' rules and settings. */
  setup: router({
    get: authorized(policies.planningViewers)
      .output(ScheduleSetup)
      .query(async ({ ctx }) => {
        const [groups, templates, contracts, rules, settings] = await Promise.all([
          listPlanningGroups(ctx.services.db, ctx.access.tenantId),
          listShiftTemplates(ctx.services.db, ctx.access.tenantId),
          listWorkContracts(ctx.services.db, ctx.access.tenantId),
          listAgentWorkRules(ctx.services.db, ctx.access.tenantId),
          getScheduleSettings(ctx.services.db, ctx.access.tenantId),
        ]);
        const agents = ctx.access.directory.agents
          .filter((a) => canSeeAgent(ctx.access, a.key))
          .map((a) => ({ id: a.id, key: a.key, name: a.displayName, teamName: a.teamName }));
        const visible = new Set(agents.map((a) => a.id));
        // The agents in scope with or without rules yet, so a planner can give a new agent theirs.
        return { groups, templates, contracts, rules: rules.filter((r) => visible.has(r.agentId)), agents, settings, activityKinds };
      }),
    saveGroup: authorized(policies.planners)
      .input(
        z.object({
          key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _'),
          name: z.string().trim().min(1).max(100),
          queueIds: z.array(z.uuid()),
        }),
      )
      .output(PlanningGroup)
      .mutation(async ({ ctx, input }) => {
        const saved = await savePlanningGroup(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input);
        if (!saved) throw notFound('queue');
        return saved;
      }),
    saveTemplate: authorized(policies.planners)
      .input(TemplateInput)
      .output(ShiftTemplateRow)
      .mutation(async ({ ctx, input }) => {
        const saved = await saveShiftTemplate(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input);
        if (!saved) throw notFound('shift template');
        return saved;
      }),
    saveContract: authorized(policies.planners)
      .input(ContractInput)
      .output(WorkContract)
      .mutation(async ({ ctx, input }) => {
        const templates = (await listShiftTemplates(ctx.services.db, ctx.access.tenantId)).filter((t) => t.active);
        const longest = Math.max(0, ...templates.map(paidMinutesOf)) / 60;
        const days = 7 - input.daysOffPerWeek;
        if (input.minHours > days * longest)
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: `minimum hours: ${input.minHours} h cannot be reached in ${days} working days of at most ${longest} paid hours (the longest shift template)`,
          });
        const saved = await saveWorkContract(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input);
        if (!saved) throw notFound('contract');
        return saved;
      }),
    saveRules: authorized(policies.planners)
      .input(RulesInput)
      .output(AgentWorkRules)
      .mutation(async ({ ctx, input }) => {
        if (!ctx.access.directory.agents.some((a) => a.id === input.agentId)) throw notFound('agent');
        if (!(await listWorkContracts(ctx.services.db, ctx.access.tenantId)).some((c) => c.id === input.contractId)) throw notFound('contract');
        return saveAgentWorkRules(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input);
      }),
    saveSettings: authorized(policies.planners)
      .input(z.object({ autoApproveSwaps: z.boolean(), acknowledgeDays: z.int().min(0).max(14) }))
      .output(ScheduleSettings)
      .mutation(({ ctx, input }) => saveScheduleSettings(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input)),
  }),

  timeOff: router({
    /** Requests waiting for a planner, with the agent's name and the note saying what they would leave short. */
    pending: authorized(policies.planners)
      .output(PendingTimeOff)
      .query(async ({ ctx }) => {
        const rows = await listTimeOff(ctx.services.db, ctx.access.tenantId, { statuses: ['pending'] });
        const names = new Map(ctx.access.directory.agents.map((a) => [a.id, a.displayName]));
        return rows.map((r) => ({ ...r, agent: names.get(r.agentId) ?? r.agentId }));
      }),
    decide: authorized(policies.planners)
      .input(z.object({ id: z.uuid(), approve: z.boolean(), note: z.string().trim().max(500).optional() }))
      .output(PlannerTimeOff)
      .mutation(({ ctx, input }) => decideTimeOffRequest(ctx.services, ctx.access, ctx.viewer.userId, input)),
  }),

  swaps: router({
    pending: authorized(policies.planners)
      .output(PendingSwaps)
      .query(async ({ ctx }) => {
        const rows = await listSwaps(ctx.services.db, ctx.access.tenantId, { statuses: ['accepted'] });
        const names = new Map(ctx.access.directory.agents.map((a) => [a.id, a.displayName]));
        return rows.map((r) => ({ ...r, requester: names.get(r.requesterId) ?? '', colleague: names.get(r.colleagueId) ?? '' }));
      }),
    decide: authorized(policies.planners)
      .input(z.object({ id: z.uuid(), approve: z.boolean(), reason: z.string().trim().max(500).optional() }))
      .output(SwapDecision)
      .mutation(async ({ ctx, input }) => {
        const swap = (await listSwaps(ctx.services.db, ctx.access.tenantId, { statuses: ['accepted'] })).find((s) => s.id === input.id);
        if (!swap) throw notFound('swap waiting for approval');
        if (input.approve) return approveSwap(ctx.services, ctx.access, ctx.viewer.userId, swap);
        return updateSwap(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, {
          id: swap.id,
          from: ['accepted'],
          to: 'refused',
          refusal: input.reason ?? 'refused by a planner',
        });
      }),
  }),
});
