import type { ClickHouseClient } from '@clickhouse/client';
import { Context } from '@temporalio/activity';
import { getDirectory, listForecastOverrides, listSpecialDays, listStaffingSettings, type Db, type Directory } from '@switchboard/db';
import type { SpecialDay } from '@switchboard/planning';
import {
  getForecastWithActuals,
  getQueueIntervalActuals,
  listForecastVersions,
  publishForecastVersion,
  writeForecastSeries,
  writeStaffingVersion,
  type StaffingIntervalRow,
} from '@switchboard/telemetry';
import { dateRange, fromLocalSlot, SLOT_MINUTES, toLocalSlot } from './math/local-grid.ts';
import type { MathPool } from './math/pool.ts';
import { getQueueConcurrency } from './math/staff-queue.ts';

/**
 * The planning activities: each reads and writes the stores through packages/ and is safe
 * to retry (writes are keyed on the version id the workflow chose). Arguments carry ids
 * only, never names or other personal data.
 */

export interface PlanningDeps {
  telemetry: ClickHouseClient;
  db: Db;
  math: MathPool;
  now?: () => Date;
}

/** Six months of 15-minute history: enough for weekday profiles and backtests, cheap to read. */
export const HISTORY_DAYS = 182;

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

export interface StaffingInput {
  tenantId: string;
  versionId: string;
  forecastVersionId: string;
  trigger: string;
  workflowId: string;
}

async function directoryOf(db: Db, tenantId: string): Promise<Directory> {
  const directory = await getDirectory(db, tenantId);
  if (!directory) throw new Error(`tenant ${tenantId} does not exist`);
  return directory;
}

const nextDay = (date: string) => dateRange(date, 2)[1]!;

export function createPlanningActivities(deps: PlanningDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    /** Which series to forecast and from when: tomorrow in the tenant's time zone unless given. */
    async planForecast(input: { tenantId: string; startDate?: string }): Promise<ForecastPlan> {
      const directory = await directoryOf(deps.db, input.tenantId);
      const startDate = input.startDate ?? nextDay(toLocalSlot(now(), directory.timezone).date);
      const trainUntil = fromLocalSlot(startDate, 0, directory.timezone);
      if (!trainUntil) throw new Error(`no local midnight on ${startDate} in ${directory.timezone}`);
      return {
        timezone: directory.timezone,
        startDate,
        trainUntil: trainUntil.toISOString(),
        queues: directory.queues.map((q) => ({ queueId: q.key, channel: q.channel })),
      };
    },

    async forecastQueue(input: ForecastQueueInput): Promise<ForecastQueueResult> {
      const directory = await directoryOf(deps.db, input.tenantId);
      const queue = directory.queues.find((q) => q.key === input.queueId);
      if (!queue) throw new Error(`queue ${input.queueId} is not in tenant ${input.tenantId}`);
      const trainUntil = new Date(input.trainUntil);
      const [history, specialDays, overrides] = await Promise.all([
        getQueueIntervalActuals(deps.telemetry, {
          tenantId: input.tenantId,
          queueId: input.queueId,
          from: new Date(trainUntil.getTime() - HISTORY_DAYS * 86_400_000),
          to: trainUntil,
        }),
        listSpecialDays(deps.db, input.tenantId),
        listForecastOverrides(deps.db, input.tenantId, queue.id),
      ]);
      Context.current().heartbeat('fitting');
      const result = await deps.math.forecastQueue({
        queueId: input.queueId,
        channel: input.channel,
        timezone: input.timezone,
        history,
        startDate: input.startDate,
        horizonDays: input.horizonDays,
        specialDays: specialDays.map(
          (d): SpecialDay =>
            d.effect === 'multiply' ? { date: d.date, label: d.label, effect: 'multiply', multiplier: d.multiplier ?? 1 } : { date: d.date, label: d.label, effect: 'exclude' },
        ),
        overrides,
      });
      const written = await writeForecastSeries(deps.telemetry, {
        tenantId: input.tenantId,
        versionId: input.versionId,
        queueId: input.queueId,
        intervals: result.intervals,
        methods: result.methods,
      });
      const volume = result.methods.find((m) => m.measure === 'volume');
      return { queueId: input.queueId, method: volume?.method ?? 'none', backtestWape: volume?.backtest_wape ?? null, intervals: result.intervals.length, written };
    },

    async publishForecast(input: {
      tenantId: string;
      versionId: string;
      plan: ForecastPlan;
      horizonDays: number;
      trigger: string;
      workflowId: string;
    }): Promise<boolean> {
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
    },

    /** Requirements for every interval of a published forecast, under each queue's targets and settings. */
    async computeStaffing(input: StaffingInput): Promise<{ versionId: string; intervals: number; written: boolean }> {
      const directory = await directoryOf(deps.db, input.tenantId);
      const versions = await listForecastVersions(deps.telemetry, input.tenantId, 500);
      const version = versions.find((v) => v.version_id === input.forecastVersionId);
      if (!version) throw new Error(`forecast version ${input.forecastVersionId} is not published`);
      const settings = new Map((await listStaffingSettings(deps.db, input.tenantId)).map((s) => [s.queueId, s]));
      const from = new Date(version.train_until);
      const to = new Date(from.getTime() + (version.horizon_days + 1) * 86_400_000);
      const rows: StaffingIntervalRow[] = [];
      const params: Record<string, unknown> = {};
      for (const queue of directory.queues) {
        const setting = settings.get(queue.id);
        const policy = {
          interval_s: SLOT_MINUTES * 60,
          sl_threshold_s: queue.slThresholdS,
          target: { kind: 'service_level' as const, service_level: queue.slTarget },
          max_occupancy: setting?.maxOccupancy ?? 1,
          shrinkage: setting?.shrinkage ?? 0,
          concurrency: getQueueConcurrency(queue, directory.agents),
          ...(setting?.patienceS ? { patience_s: setting.patienceS } : {}),
        };
        params[queue.key] = policy;
        const forecast = await getForecastWithActuals(deps.telemetry, {
          tenantId: input.tenantId,
          versionId: input.forecastVersionId,
          queueId: queue.key,
          from,
          to,
          now: from,
        });
        rows.push(...(await deps.math.staffQueue({ queueId: queue.key, policy, plannedAhtS: setting?.plannedAhtS, intervals: forecast })));
        Context.current().heartbeat(queue.key);
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
    },
  };
}

export type PlanningActivities = ReturnType<typeof createPlanningActivities>;
