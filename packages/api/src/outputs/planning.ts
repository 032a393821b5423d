import { schema } from '@switchboard/db';
import { z } from 'zod';
import { Channel } from './shared.ts';

/** Forecasts, staffing and the settings behind them: queue-level figures, for planners, supervisors and admins. */

export const PlanningOverview = z.object({
  timezone: z.string(),
  queues: z.array(z.object({ key: z.string(), id: z.string(), name: z.string(), channel: Channel, slThresholdS: z.number(), slTarget: z.number() })),
  versions: z.array(
    z.object({
      version_id: z.string(),
      created_at: z.string(),
      train_until: z.string(),
      start_date: z.string(),
      horizon_days: z.number(),
      trigger: z.string(),
      workflow_id: z.string(),
      series: z.number(),
    }),
  ),
  staffingVersions: z.array(
    z.object({
      version_id: z.string(),
      forecast_version_id: z.string(),
      created_at: z.string(),
      trigger: z.string(),
      workflow_id: z.string(),
      params: z.string(),
    }),
  ),
  engine: z.object({ configured: z.boolean(), uiUrl: z.string().nullable(), namespace: z.string().nullable() }),
});

export const QueueForecast = z.object({
  intervals: z.array(
    z.object({
      interval_start: z.string(),
      volume: z.number(),
      volume_lo80: z.number(),
      volume_hi80: z.number(),
      volume_statistical: z.number(),
      aht_s: z.number(),
      overridden: z.number(),
      actual_offered: z.number().nullable(),
      actual_aht_s: z.number().nullable(),
    }),
  ),
  methods: z.array(
    z.object({
      queue_id: z.string(),
      measure: z.string(),
      method: z.string(),
      backtest_wape: z.number().nullable(),
      candidates: z.string(),
      blends: z.string(),
    }),
  ),
});

const Accuracy = z.object({
  key: z.string(),
  intervals: z.number(),
  actual: z.number(),
  forecast: z.number(),
  wape: z.number().nullable(),
  bias: z.number().nullable(),
});
export const ForecastAccuracy = z.object({
  byVersion: z.array(Accuracy),
  byHorizon: z.array(Accuracy),
  byQueue: z.array(Accuracy),
  byInterval: z.array(Accuracy),
});

/** A version's requirements for one queue; the queue's stored policy is JSON (typed loosely by the service) the screen parses. */
export const QueueStaffing = z.object({
  version: z.object({ version_id: z.string(), forecast_version_id: z.string(), created_at: z.string(), trigger: z.string(), workflow_id: z.string() }),
  policy: z.unknown().pipe(z.record(z.string(), z.unknown()).nullable()),
  intervals: z.array(
    z.object({
      interval_start: z.string(),
      calls: z.number(),
      aht_s: z.number(),
      workload_erlangs: z.number(),
      erlang_agents: z.number(),
      capped_agents: z.number(),
      required_fte: z.number(),
      service_level: z.number(),
      asa_s: z.number().nullable(),
      occupancy: z.number(),
      p_abandon: z.number().nullable(),
    }),
  ),
});

export const PlanningRuns = z.array(
  z.object({
    workflowId: z.string(),
    runId: z.string(),
    type: z.string(),
    status: z.string(),
    startedAt: z.string(),
    closedAt: z.string().nullable(),
    progress: z.object({ phase: z.string(), done: z.number(), total: z.number() }).nullable(),
  }),
);

/** Rows as stored. */
const Stored = { tenantId: z.string(), updatedAt: z.date(), updatedBy: z.string().nullable() };

export const SpecialDay = z.object({
  id: z.string(),
  date: z.string(),
  label: z.string(),
  effect: z.enum(schema.specialDayEffects),
  multiplier: z.number().nullable(),
  recursYearly: z.boolean(),
  ...Stored,
});

export const ForecastSettings = z.object({ holidayRegion: z.string().nullable(), holidayMultiplier: z.number(), saved: z.boolean() });

export const Holidays = z.object({ region: z.string().nullable(), holidays: z.array(z.object({ date: z.string(), name: z.string() })) });

export const DetectedDay = z.object({
  tenantId: z.string(),
  queueId: z.string(),
  queueKey: z.string(),
  date: z.string(),
  kind: z.enum(schema.detectedDayKinds),
  total: z.number(),
  expected: z.number(),
  status: z.enum(schema.detectedDayStatuses),
  detectedAt: z.date(),
  decidedBy: z.string().nullable(),
  decidedAt: z.date().nullable(),
});

export const DetectedDayDecision = z.object({ decided: z.number(), specialDay: SpecialDay.nullable() });

export const ForecastOverride = z.object({
  id: z.string(),
  queueId: z.string(),
  label: z.string(),
  kind: z.enum(schema.overrideKinds),
  value: z.number(),
  fromDate: z.string(),
  toDate: z.string(),
  fromMinute: z.number().nullable(),
  toMinute: z.number().nullable(),
  ...Stored,
});

export const StaffingSettings = z.object({
  queueId: z.string(),
  shrinkage: z.number(),
  maxOccupancy: z.number(),
  patienceS: z.number().nullable(),
  plannedAhtS: z.number().nullable(),
  saved: z.boolean(),
});
