import {
  decideDetectedDay,
  deleteForecastOverride,
  deleteSpecialDay,
  getForecastSettings,
  listDetectedDays,
  listForecastOverrides,
  listSpecialDays,
  listStaffingSettings,
  saveForecastOverride,
  saveForecastSettings,
  saveSpecialDay,
  saveStaffingSettings,
  schema,
} from '@switchboard/db';
import { HolidayRegionCode, listPublicHolidays } from '@switchboard/planning';
import { addLocalDays } from '@switchboard/calendar';
import { z } from 'zod';
import { policies } from '../policy.ts';
import { getForecastAccuracy, getPlanningOverview, getQueueForecast, getQueueStaffing } from '../services/planning.ts';
import { authorized, notFound, router, type Access } from '../trpc.ts';
import { requireEngine } from '../planning-runner.ts';
import {
  DetectedDay,
  DetectedDayDecision,
  ForecastAccuracy,
  ForecastOverride,
  ForecastSettings,
  Holidays,
  PlanningOverview,
  PlanningRuns,
  QueueForecast,
  QueueStaffing,
  SpecialDay,
  StaffingSettings,
} from '../outputs/planning.ts';
import { IdOnly, WorkflowRun } from '../outputs/shared.ts';

const IsoDate = z.iso.date({ error: 'a date as YYYY-MM-DD' });
const QueueKey = z.string().min(1).max(200);

const SpecialDayInput = z
  .object({
    date: IsoDate,
    label: z.string().trim().min(1).max(200),
    effect: z.enum(schema.specialDayEffects),
    multiplier: z.number().finite().min(0).max(10).nullable(),
    recursYearly: z.boolean().default(false),
  })
  .refine((d) => d.effect !== 'multiply' || d.multiplier !== null, {
    message: 'a multiply day needs a multiplier (0.5 for half the usual volume)',
    path: ['multiplier'],
  });

const OverrideInput = z
  .object({
    id: z.uuid().optional(),
    queueId: z.uuid(),
    fromDate: IsoDate,
    toDate: IsoDate,
    fromMinute: z.number().int().min(0).max(1439).nullable(),
    toMinute: z.number().int().min(1).max(1440).nullable(),
    kind: z.enum(schema.overrideKinds),
    value: z.number().finite().min(0).max(100_000),
    label: z.string().trim().min(1).max(200),
  })
  .refine((o) => o.fromDate <= o.toDate, { message: 'the override ends before it starts', path: ['toDate'] })
  .refine((o) => (o.fromMinute ?? 0) < (o.toMinute ?? 1440), { message: 'the time range is empty', path: ['toMinute'] });

const SettingsInput = z.object({
  queueId: z.uuid(),
  shrinkage: z.number().min(0, 'shrinkage is a fraction in [0, 1), e.g. 0.3').lt(1, 'shrinkage is a fraction in [0, 1), e.g. 0.3'),
  maxOccupancy: z.number().gt(0, 'the occupancy cap is a fraction in (0, 1], e.g. 0.85').max(1, 'the occupancy cap is a fraction in (0, 1], e.g. 0.85'),
  patienceS: z.number().positive().max(86_400).nullable(),
  // Absent: keep the stored one (the what-if saves the other settings without it).
  plannedAhtS: z.number().positive('the planned AHT is in seconds, more than 0').max(86_400).nullable().optional(),
});

const ForecastSettingsInput = z.object({
  holidayRegion: HolidayRegionCode.nullable(),
  holidayMultiplier: z.number().finite().min(0, 'a multiplier of 0 (closed) or more, e.g. 0.4 for 40% of a normal day').max(10),
});

function requireQueue(access: Access, queueKey: string): void {
  if (!access.directory.queues.some((q) => q.key === queueKey)) throw notFound('queue');
}

export const planningRouter = router({
  /** Queues, recent forecast versions, the latest version's staffing versions and the workflow engine. */
  overview: authorized(policies.planningViewers)
    .output(PlanningOverview)
    .query(({ ctx }) => getPlanningOverview(ctx.services, ctx.access)),

  /** One queue's forecast of a version beside its actuals, with the method chosen and its backtest. */
  forecast: authorized(policies.planningViewers)
    .input(z.object({ versionId: z.uuid(), queueKey: QueueKey, date: IsoDate, days: z.number().int().min(1).max(28) }))
    .output(QueueForecast)
    .query(({ ctx, input }) => {
      requireQueue(ctx.access, input.queueKey);
      return getQueueForecast(ctx.services, ctx.access, input);
    }),

  /** The accuracy ledger: every published version scored against the actuals so far. */
  accuracy: authorized(policies.planningViewers)
    .input(z.object({ versionId: z.uuid().optional(), queueKey: QueueKey.optional() }))
    .output(ForecastAccuracy)
    .query(({ ctx, input }) => {
      if (input.queueKey) requireQueue(ctx.access, input.queueKey);
      return getForecastAccuracy(ctx.services, ctx.access, input);
    }),

  /** Staffing requirements of a version for one queue, with the policy that produced them. */
  staffing: authorized(policies.planningViewers)
    .input(z.object({ versionId: z.uuid(), queueKey: QueueKey, date: IsoDate, days: z.number().int().min(1).max(28) }))
    .output(QueueStaffing)
    .query(async ({ ctx, input }) => {
      requireQueue(ctx.access, input.queueKey);
      const staffing = await getQueueStaffing(ctx.services, ctx.access, input);
      if (!staffing) throw notFound('staffing version');
      return staffing;
    }),

  runs: authorized(policies.planningViewers)
    .output(PlanningRuns)
    .query(async ({ ctx }) => (ctx.services.planning ? ctx.services.planning.listRuns(ctx.access.tenantId) : [])),

  runForecast: authorized(policies.planners)
    .input(z.object({ startDate: IsoDate, horizonDays: z.number().int().min(1).max(28).optional() }))
    .output(WorkflowRun)
    .mutation(({ ctx, input }) => requireEngine(ctx.services).startForecast({ tenantId: ctx.access.tenantId, ...input })),

  runStaffing: authorized(policies.planners)
    .input(z.object({ forecastVersionId: z.uuid() }))
    .output(WorkflowRun)
    .mutation(({ ctx, input }) => requireEngine(ctx.services).startStaffing({ tenantId: ctx.access.tenantId, ...input })),

  specialDays: router({
    list: authorized(policies.planningViewers)
      .output(z.array(SpecialDay))
      .query(({ ctx }) => listSpecialDays(ctx.services.db, ctx.access.tenantId)),
    save: authorized(policies.planners)
      .input(SpecialDayInput)
      .output(SpecialDay)
      .mutation(({ ctx, input }) => saveSpecialDay(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input)),
    remove: authorized(policies.planners)
      .input(z.object({ id: z.uuid() }))
      .output(IdOnly)
      .mutation(async ({ ctx, input }) => {
        if (!(await deleteSpecialDay(ctx.services.db, ctx.access.tenantId, input.id))) throw notFound('special day');
        return { id: input.id };
      }),
  }),

  /** How public holidays enter forecasts: the tenant's region and the multiplier for a holiday never seen. */
  forecastSettings: router({
    get: authorized(policies.planningViewers)
      .output(ForecastSettings)
      .query(({ ctx }) => getForecastSettings(ctx.services.db, ctx.access.tenantId)),
    save: authorized(policies.planners)
      .input(ForecastSettingsInput)
      .output(ForecastSettings)
      .mutation(({ ctx, input }) => saveForecastSettings(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input)),
  }),

  /** Public holidays of a region (the tenant's when none is given) over the next `days` days, for the planner to check. */
  holidays: authorized(policies.planningViewers)
    .input(z.object({ region: HolidayRegionCode.optional(), from: IsoDate, days: z.number().int().min(1).max(731).default(366) }))
    .output(Holidays)
    .query(async ({ ctx, input }) => {
      const region = input.region ?? (await getForecastSettings(ctx.services.db, ctx.access.tenantId)).holidayRegion;
      if (!region) return { region: null, holidays: [] };
      return { region, holidays: listPublicHolidays(region, input.from, addLocalDays(input.from, input.days - 1)) };
    }),

  /** Closures and unusual days forecast runs found in history, per queue, and what planners decided. */
  detectedDays: router({
    list: authorized(policies.planningViewers)
      .output(z.array(DetectedDay))
      .query(({ ctx }) => listDetectedDays(ctx.services.db, ctx.access.tenantId)),
    decide: authorized(policies.planners)
      .input(z.object({ date: IsoDate, decision: z.enum(['confirm', 'recurring', 'reject']) }))
      .output(DetectedDayDecision)
      .mutation(async ({ ctx, input }) => {
        const decided = await decideDetectedDay(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input);
        if (!decided) throw notFound('detected day');
        return decided;
      }),
  }),

  overrides: router({
    list: authorized(policies.planningViewers)
      .input(z.object({ queueId: z.uuid().optional() }))
      .output(z.array(ForecastOverride))
      .query(({ ctx, input }) => listForecastOverrides(ctx.services.db, ctx.access.tenantId, input.queueId)),
    save: authorized(policies.planners)
      .input(OverrideInput)
      .output(ForecastOverride)
      .mutation(async ({ ctx, input }) => {
        const saved = await saveForecastOverride(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input);
        if (!saved) throw notFound(input.id ? 'override' : 'queue');
        return saved;
      }),
    remove: authorized(policies.planners)
      .input(z.object({ id: z.uuid() }))
      .output(IdOnly)
      .mutation(async ({ ctx, input }) => {
        if (!(await deleteForecastOverride(ctx.services.db, ctx.access.tenantId, input.id))) throw notFound('override');
        return { id: input.id };
      }),
  }),

  settings: router({
    list: authorized(policies.planningViewers)
      .output(z.array(StaffingSettings))
      .query(({ ctx }) => listStaffingSettings(ctx.services.db, ctx.access.tenantId)),
    save: authorized(policies.planners)
      .input(SettingsInput)
      .output(StaffingSettings)
      .mutation(async ({ ctx, input }) => {
        const saved = await saveStaffingSettings(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, input);
        if (!saved) throw notFound('queue');
        return saved;
      }),
  }),
});
