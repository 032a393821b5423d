import { schema } from '@switchboard/db';
import { z } from 'zod';
import { ActivityKind, ApprovedSwap, PlannerSwap, PlannerTimeOff, Swap, TimeOffRequest } from './shared.ts';

/** Schedules as planners work them and as each agent reads their own (me.*). */

const Weekday = z.literal([0, 1, 2, 3, 4, 5, 6]);
/** Rows as stored (planners' screens, which edit and save them back). */
const Stored = { tenantId: z.string(), updatedAt: z.date(), updatedBy: z.string().nullable() };

/** A published or draft activity; on /me only the agent's own. */
const Activity = z.object({
  id: z.string(),
  agentId: z.string(),
  kind: ActivityKind,
  start: z.string(),
  end: z.string(),
  shiftDate: z.string(),
  templateId: z.string().nullable(),
});

const Summary = z.object({
  figures: z.record(z.string(), z.number()),
  required: z.array(z.number()),
  scheduled: z.array(z.number()),
  dayStarts: z.array(z.number()),
  notes: z.array(z.string()),
});

const TemplateBreak = z.object({
  kind: z.enum(['break', 'lunch']),
  lengthMin: z.number(),
  earliestOffsetMin: z.number(),
  latestOffsetMin: z.number(),
  paid: z.boolean(),
});

export const ScheduleOverview = z.object({
  timezone: z.string(),
  weekStart: z.string(),
  engine: z.boolean(),
  groups: z.array(z.object({ id: z.string(), key: z.string(), name: z.string(), queueKeys: z.array(z.string()) })),
  schedules: z.array(
    z.object({
      id: z.string(),
      groupId: z.string(),
      status: z.enum(schema.scheduleStatuses),
      revision: z.number(),
      figures: z.record(z.string(), z.number()),
      notes: z.array(z.string()),
      createdAt: z.string(),
      publishedAt: z.string().nullable(),
      rejectedReason: z.string().nullable(),
    }),
  ),
  templates: z.number(),
  contracts: z.number(),
});

/** A shift template's name and times, in the schedule view and in the template list alike. */
const templateTimes = {
  id: z.string(),
  name: z.string(),
  lengthMin: z.number(),
  startStepMin: z.number(),
  earliestStartMin: z.number(),
  latestStartMin: z.number(),
};

export const ScheduleView = z.object({
  schedule: z.object({
    id: z.string(),
    groupId: z.string(),
    weekStart: z.string(),
    timezone: z.string(),
    status: z.enum(schema.scheduleStatuses),
    revision: z.number(),
    summary: Summary,
    publishedAt: z.string().nullable(),
    acknowledgeBy: z.string().nullable(),
    rejectedReason: z.string().nullable(),
  }),
  agents: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      name: z.string(),
      teamKey: z.string(),
      teamName: z.string(),
      skillIds: z.array(z.string()),
      acknowledgedAt: z.string().nullable(),
    }),
  ),
  skills: z.array(z.object({ id: z.string(), name: z.string() })),
  activities: z.array(Activity),
  templates: z.array(
    z.object({
      ...templateTimes,
      weekdays: z.array(Weekday).readonly(),
      cost: z.number().nullable().optional(),
      breaks: z.array(TemplateBreak).readonly(),
    }),
  ),
});

export const ScheduleDiff = z.object({
  changes: z.array(
    z.object({
      agentId: z.string(),
      agent: z.string(),
      date: z.string(),
      before: z.object({ start: z.string(), end: z.string() }).nullable(),
      after: z.object({ start: z.string(), end: z.string() }).nullable(),
    }),
  ),
  intervals: z.array(z.number()),
  dayStarts: z.array(z.number()),
});

export const ShiftEdited = z.object({ revision: z.number(), figures: z.record(z.string(), z.number()) });
export const ScheduleDecided = z.object({ scheduleId: z.string(), approved: z.boolean() });

export const PlanningGroup = z.object({ id: z.string(), key: z.string(), name: z.string(), queueIds: z.array(z.string()), ...Stored });

export const ShiftTemplateRow = z.object({
  ...templateTimes,
  weekdays: z.array(z.number()),
  cost: z.number().nullable(),
  breaks: z.array(TemplateBreak),
  active: z.boolean(),
  ...Stored,
});

export const WorkContract = z.object({
  id: z.string(),
  name: z.string(),
  minHours: z.number(),
  maxHours: z.number(),
  minRestMin: z.number(),
  maxConsecutiveDays: z.number(),
  daysOffPerWeek: z.number(),
  fixedDaysOff: z.array(z.number()),
  ...Stored,
});

export const AgentWorkRules = z.object({
  agentId: z.string(),
  contractId: z.string(),
  timezone: z.string().nullable(),
  availability: z.array(z.object({ from: z.number(), to: z.number() }).nullable()).nullable(),
  preferredStartFrom: z.number().nullable(),
  preferredStartTo: z.number().nullable(),
  preferredDaysOff: z.array(z.number()),
  ...Stored,
});

export const ScheduleSettings = z.object({ autoApproveSwaps: z.boolean(), acknowledgeDays: z.number() });

export const ScheduleSetup = z.object({
  groups: z.array(PlanningGroup),
  templates: z.array(ShiftTemplateRow),
  contracts: z.array(WorkContract),
  rules: z.array(AgentWorkRules),
  agents: z.array(z.object({ id: z.string(), key: z.string(), name: z.string(), teamName: z.string() })),
  settings: ScheduleSettings,
  activityKinds: z.array(ActivityKind).readonly(),
});

export const PendingTimeOff = z.array(PlannerTimeOff.extend({ agent: z.string() }));
export const PendingSwaps = z.array(PlannerSwap.extend({ requester: z.string(), colleague: z.string() }));
export const SwapDecision = z.union([ApprovedSwap, PlannerSwap]).nullable();

// ── the agent's own (me.*): their activities, requests and swaps only ──────────

export const MySchedule = z.object({
  timezone: z.string(),
  weekStart: z.string(),
  activities: z.array(Activity),
  toAcknowledge: z.array(z.object({ scheduleId: z.string(), weekStart: z.string(), acknowledgeBy: z.string().nullable() })),
});

export const Acknowledged = z.object({ scheduleId: z.string() });

export const MyTimeOff = z.object({
  requests: z.array(TimeOffRequest),
  balance: z.object({ year: z.number(), allowance: z.number().nullable(), approved: z.number(), pending: z.number() }),
});

export const TimeOffAsked = z.object({ request: TimeOffRequest, shortIntervals: z.number() });

/** The agent's swaps: the colleague by name, whether the agent asked it. */
export const MySwaps = z.array(Swap.extend({ mine: z.boolean(), requester: z.string(), colleague: z.string() }));

/** Colleagues of the agent's own team, to offer a swap to. */
export const Colleagues = z.array(z.object({ key: z.string(), name: z.string() }));

export const SwapAnswered = z.union([ApprovedSwap, Swap]);
