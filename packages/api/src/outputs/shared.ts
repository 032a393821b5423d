import { activityKinds, AgentState, Channel } from '@switchboard/contracts';
import { coachingStatuses, schema } from '@switchboard/db';
import { z } from 'zod';
import { roles } from '../policy.ts';

/**
 * What procedures answer, declared with `.output(...)` on each one (tests/authorization.test.ts fails a procedure
 * without). tRPC parses every answer with it before it leaves, and `z.object` drops keys it does not name: a service
 * returning more than a procedure's callers should see (a stored row's tenant, who decided, another agent's ids)
 * loses it here. Shapes used by several procedures are defined once, in these files.
 */

export const Role = z.enum(roles);
export const Scope = z.enum(['tenant', 'teams', 'self']);
export { AgentState, Channel };
export const ActivityKind = z.enum(activityKinds);
export const CoachingStatus = z.enum(coachingStatuses);
const TimeOffStatus = z.enum(schema.timeOffStatuses);
const SwapStatus = z.enum(schema.swapStatuses);

/** A started workflow run. */
export const WorkflowRun = z.object({ workflowId: z.string(), runId: z.string() });

/** An id echoed back by a change or a removal. */
export const IdOnly = z.object({ id: z.string() });
export const Ok = z.object({ ok: z.boolean() });

export const Span = z.object({ start: z.string(), end: z.string() });

/** What an answer cites in a transcript: a span of a segment, a hold, or an event. */
export const Evidence = z.union([
  z.object({ segment_index: z.number(), start: z.number(), end: z.number() }),
  z.object({ hold_index: z.number() }),
  z.object({ event: z.string() }),
]);

/** A stored transcript as the evaluation and calibration screens read it. */
export const Transcript = z.object({
  transcript: z.array(z.object({ speaker: z.enum(['agent', 'customer', 'bot']), start_ms: z.number(), end_ms: z.number(), text: z.string() })),
  holds: z.array(z.object({ start_ms: z.number(), end_ms: z.number() })),
  transferred: z.boolean(),
});

/** A time-off request as its agent sees it: no tenant, no user id of whoever decided. */
export const TimeOffRequest = z.object({
  id: z.string(),
  agentId: z.string(),
  startsAt: z.date(),
  endsAt: z.date(),
  paidHours: z.number(),
  status: TimeOffStatus,
  decisionNote: z.string().nullable(),
  decidedAt: z.date().nullable(),
  createdAt: z.date(),
});

/** A shift swap as the agents in it see it: dates and status, not the other agent's internal id nor who decided. */
export const Swap = z.object({
  id: z.string(),
  weekStart: z.string(),
  requesterDate: z.string(),
  colleagueDate: z.string(),
  status: SwapStatus,
  refusal: z.string().nullable(),
  createdAt: z.date(),
  decidedAt: z.date().nullable(),
});

/** The stored rows as planners (who decide them) read them. */
const Decided = { tenantId: z.string(), decidedBy: z.string().nullable() };
export const PlannerTimeOff = TimeOffRequest.extend(Decided);
export const PlannerSwap = Swap.extend({ ...Decided, requesterId: z.string(), colleagueId: z.string() });

/** A swap carried out at once: the published version it made. */
export const ApprovedSwap = z.object({ approvedVersion: z.string() });
