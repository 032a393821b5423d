import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';

/** The `type` of each non-retryable failure: what a failed run's history names. */
type PermanentFailureType =
  | 'InvalidActivityInput'
  | 'TenantNotFound'
  | 'QueueNotFound'
  | 'ForecastVersionNotFound'
  | 'StaffingUnsolvable'
  | 'PlanningGroupNotFound'
  | 'NoStaffingRequirement'
  | 'ScheduleRulesInvalid'
  | 'FormNotFound'
  | 'ScheduleNotFound'
  | 'WebhookUrlRefused';

/**
 * A failure the same input would meet again on every attempt: the run fails at once, its
 * failure carrying `type` (shown in the Temporal UI), instead of after five retries.
 */
export function permanent(type: PermanentFailureType, message: string, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, ...(cause ? { cause } : {}) });
}

export function parseInput<T>(activity: string, schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw permanent('InvalidActivityInput', `${activity}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
