import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import {
  getForecastSettings,
  listDetectedDays,
  listForecastOverrides,
  listSpecialDays,
  listStaffingSettings,
  recordDetectedDays,
  type Db,
} from '@switchboard/db';
import { expandYearly, listPublicHolidays } from '@switchboard/planning';
import {
  getForecastWithActuals,
  getQueueIntervalActuals,
  listForecastVersions,
  publishForecastVersion,
  writeForecastSeries,
  writeStaffingVersion,
  type StaffingIntervalRow,
} from '@switchboard/telemetry';
import { addLocalDays, isTimeZone, localDateOf, localDays, localDayStart } from '@switchboard/calendar';
import type { MathPool } from './math/pool.ts';
import { parseInput, permanent } from './activity-input.ts';
import { heartbeating } from './heartbeat.ts';
import { createQualityActivities } from './quality-activities.ts';
import { createScheduleActivities } from './schedule-activities.ts';
import { createErasureActivities } from './erasure-activities.ts';
import { createAgentErasureActivities } from './erasure-agent-activities.ts';
import { createWebhookActivities, type WebhookTransport } from './webhook-activities.ts';
import { directoryOf, staffingPolicyOf } from './directory.ts';
import { createIntradayActivities } from './intraday-activities.ts';
import { createCoachingActivities } from './coaching-activities.ts';

/**
 * The planning activities: each reads and writes the stores through packages/ and is safe
 * to retry (writes are keyed on the version id the workflow chose). Arguments carry ids
 * only, never names or other personal data, and are validated on arrival.
 *
 * Failures that no retry can mend (see `permanent`) are non-retryable; anything else thrown
 * here (a store unavailable, a timeout, the math pool losing a thread) is retried by the
 * workflow's activity retry policy.
 */

export interface PlanningDeps {
  telemetry: ClickHouseClient;
  db: Db;
  math: MathPool;
  now?: () => Date;
  /** Signs and sends webhook deliveries; a worker without it cannot deliver them (they are retried, for a worker that can). */
  webhooks?: WebhookTransport;
  /** Tells an agent's open desktop panels that their coaching or schedule changed (a worker in the host's process; panels also re-read on their own). */
  notifyAgent?: (tenantId: string, agentId: string, what: 'coaching' | 'schedule') => void;
}

/** Six months of 15-minute history: enough for weekday profiles and backtests, cheap to read. */
const HISTORY_DAYS = 182;

export interface ForecastPlan {
  timezone: string;
  startDate: string;
  /** ISO instant: history strictly before it is used (local midnight of startDate). */
  trainUntil: string;
  queues: { queueId: string; channel: string }[];
}

export interface ForecastQueueInput {
  tenantId: string;
  versionId: string;
  queueId: string;
  channel: string;
  timezone: string;
  startDate: string;
  horizonDays: number;
  trainUntil: string;
}

export interface ForecastQueueResult {
  queueId: string;
  method: string;
  backtestWape: number | null;
  intervals: number;
  written: boolean;
}

export interface PublishForecastInput {
  tenantId: string;
  versionId: string;
  plan: ForecastPlan;
  horizonDays: number;
  trigger: 'schedule' | 'manual';
  workflowId: string;
}

export interface StaffingInput {
  tenantId: string;
  versionId: string;
  forecastVersionId: string;
  trigger: 'forecast' | 'manual';
  workflowId: string;
}

// Tenant and version ids are uuids (a malformed one would otherwise reach PostgreSQL and be retried as its error).
const Uuid = z.uuid();
const IsoDate = z.iso.date();
const TimeZone = z.string().refine(isTimeZone, 'an IANA time zone');
const QueueKey = z.string().min(1).max(200);
// The API offers up to 28 days; a year bounds what any caller (a schedule, the CLI) can ask for.
const HorizonDays = z.int().min(1).max(366);

const PlanForecastInput = z.object({ tenantId: Uuid, startDate: IsoDate.optional() });
const ForecastPlanSchema: z.ZodType<ForecastPlan> = z.object({
  timezone: TimeZone,
  startDate: IsoDate,
  trainUntil: z.iso.datetime(),
  queues: z.array(z.object({ queueId: QueueKey, channel: z.string().min(1) })),
});
const ForecastQueueInputSchema: z.ZodType<ForecastQueueInput> = z.object({
  tenantId: Uuid,
  versionId: Uuid,
  queueId: QueueKey,
  channel: z.string().min(1),
  timezone: TimeZone,
  startDate: IsoDate,
  horizonDays: HorizonDays,
  trainUntil: z.iso.datetime(),
});
const PublishForecastInputSchema: z.ZodType<PublishForecastInput> = z.object({
  tenantId: Uuid,
  versionId: Uuid,
  plan: ForecastPlanSchema,
  horizonDays: HorizonDays,
  trigger: z.enum(['schedule', 'manual']),
  workflowId: z.string().min(1),
});
const StaffingInputSchema: z.ZodType<StaffingInput> = z.object({
  tenantId: Uuid,
  versionId: Uuid,
  forecastVersionId: Uuid,
  trigger: z.enum(['forecast', 'manual']),
  workflowId: z.string().min(1),
});

export function createPlanningActivities(deps: PlanningDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    ...createScheduleActivities(deps),
    ...createQualityActivities(deps),
    ...createErasureActivities(deps),
    ...createAgentErasureActivities(deps),
    ...createWebhookActivities(deps),
    ...createIntradayActivities(deps),
    ...createCoachingActivities(deps),

    /** Which series to forecast and from when: tomorrow in the tenant's time zone unless given. */
    planForecast: heartbeating('planning', async (raw: { tenantId: string; startDate?: string }): Promise<ForecastPlan> => {
      const input = parseInput('planForecast', PlanForecastInput, raw);
      const directory = await directoryOf(deps.db, input.tenantId);
      const startDate = input.startDate ?? addLocalDays(localDateOf(now(), directory.timezone), 1);
      // The first instant of the day, also where a clock change skips its midnight.
      const trainUntil = localDayStart(startDate, directory.timezone);
      return {
        timezone: directory.timezone,
        startDate,
        trainUntil: trainUntil.toISOString(),
        queues: directory.queues.map((q) => ({ queueId: q.key, channel: q.channel })),
      };
    }),

    // Reading six months of history and writing the series take time as well as the fit: it beats throughout.
    forecastQueue: heartbeating('fitting', async (raw: ForecastQueueInput): Promise<ForecastQueueResult> => {
      const input = parseInput('forecastQueue', ForecastQueueInputSchema, raw);
      const directory = await directoryOf(deps.db, input.tenantId);
      const queue = directory.queues.find((q) => q.key === input.queueId);
      if (!queue) throw permanent('QueueNotFound', `queue ${input.queueId} is not in tenant ${input.tenantId}`);
      const trainUntil = new Date(input.trainUntil);
      const historyFrom = new Date(trainUntil.getTime() - HISTORY_DAYS * 86_400_000);
      const [history, specialDays, overrides, settings, detected] = await Promise.all([
        getQueueIntervalActuals(deps.telemetry, { tenantId: input.tenantId, queueId: input.queueId, from: historyFrom, to: trainUntil }),
        listSpecialDays(deps.db, input.tenantId),
        listForecastOverrides(deps.db, input.tenantId, queue.id),
        getForecastSettings(deps.db, input.tenantId),
        listDetectedDays(deps.db, input.tenantId, queue.id),
      ]);
      // Dates only: the holiday calendar and yearly special days are expanded over history and targets.
      const firstDate = localDateOf(historyFrom, input.timezone);
      const lastDate = addLocalDays(input.startDate, input.horizonDays);
      const result = await deps.math.forecastQueue({
        queueId: input.queueId,
        channel: input.channel,
        timezone: input.timezone,
        history,
        startDate: input.startDate,
        horizonDays: input.horizonDays,
        specialDays: expandYearly(
          specialDays.map((d) =>
            d.effect === 'multiply'
              ? { date: d.date, label: d.label, effect: 'multiply', multiplier: d.multiplier ?? 1, recursYearly: d.recursYearly }
              : { date: d.date, label: d.label, effect: 'exclude', recursYearly: d.recursYearly },
          ),
          firstDate,
          lastDate,
        ),
        holidays: settings.holidayRegion ? listPublicHolidays(settings.holidayRegion, firstDate, lastDate) : [],
        holidayDefault: settings.holidayMultiplier,
        normalDays: detected.filter((d) => d.status === 'rejected').map((d) => d.date),
        overrides,
      });
      await recordDetectedDays(
        deps.db,
        input.tenantId,
        queue.id,
        result.detected.map((d) => ({ date: d.date, kind: d.kind, total: d.total, expected: d.expected })),
        now(),
      );
      const written = await writeForecastSeries(deps.telemetry, {
        tenantId: input.tenantId,
        versionId: input.versionId,
        queueId: input.queueId,
        intervals: result.intervals,
        methods: result.methods,
      });
      const volume = result.methods.find((m) => m.measure === 'volume');
      return {
        queueId: input.queueId,
        method: volume?.method ?? 'none',
        backtestWape: volume?.backtest_wape ?? null,
        intervals: result.intervals.length,
        written,
      };
    }),

    publishForecast: heartbeating('publishing', async (raw: PublishForecastInput): Promise<boolean> => {
      const input = parseInput('publishForecast', PublishForecastInputSchema, raw);
      return publishForecastVersion(deps.telemetry, {
        tenantId: input.tenantId,
        versionId: input.versionId,
        createdAt: now(),
        trainUntil: new Date(input.plan.trainUntil),
        startDate: input.plan.startDate,
        horizonDays: input.horizonDays,
        trigger: input.trigger,
        workflowId: input.workflowId,
        series: input.plan.queues.length,
      });
    }),

    /** Requirements for every interval of a published forecast, under each queue's targets and settings. */
    computeStaffing: heartbeating('staffing', async (raw: StaffingInput): Promise<{ versionId: string; intervals: number; written: boolean }> => {
      const input = parseInput('computeStaffing', StaffingInputSchema, raw);
      const directory = await directoryOf(deps.db, input.tenantId);
      const versions = await listForecastVersions(deps.telemetry, input.tenantId, 500);
      const version = versions.find((v) => v.version_id === input.forecastVersionId);
      // The forecast workflow staffs a version only after publishing it, so a missing one is a wrong id, not a lag.
      if (!version) throw permanent('ForecastVersionNotFound', `forecast version ${input.forecastVersionId} is not published for tenant ${input.tenantId}`);
      const settings = new Map((await listStaffingSettings(deps.db, input.tenantId)).map((s) => [s.queueId, s]));
      const { from, to } = localDays(version.start_date, version.horizon_days, directory.timezone);
      const rows: StaffingIntervalRow[] = [];
      const params: Record<string, unknown> = {};
      for (const queue of directory.queues) {
        const setting = settings.get(queue.id);
        const policy = staffingPolicyOf(queue, setting, directory.agents);
        params[queue.key] = policy;
        const forecast = await getForecastWithActuals(deps.telemetry, {
          tenantId: input.tenantId,
          versionId: input.forecastVersionId,
          queueId: queue.key,
          from,
          to,
          now: from,
        });
        const requirements = await deps.math
          .staffQueue({ queueId: queue.key, policy, plannedAhtS: setting?.plannedAhtS, intervals: forecast })
          .catch((error: unknown) => {
            // The staffing math is pure: its RangeError (Erlang A past its queue-state bound) comes back for
            // the same settings on every attempt. The pool's own failures (a thread lost) are plain Errors.
            throw error instanceof RangeError ? permanent('StaffingUnsolvable', `queue ${queue.key}: ${error.message}`, error) : error;
          });
        rows.push(...requirements);
      }
      const written = await writeStaffingVersion(deps.telemetry, {
        tenantId: input.tenantId,
        versionId: input.versionId,
        forecastVersionId: input.forecastVersionId,
        createdAt: now(),
        trigger: input.trigger,
        workflowId: input.workflowId,
        params,
        intervals: rows,
      });
      return { versionId: input.versionId, intervals: rows.length, written };
    }),
  };
}

export type PlanningActivities = ReturnType<typeof createPlanningActivities>;
