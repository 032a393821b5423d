import { TRPCError } from '@trpc/server';
import { getSchedule, ScheduleConflictError, type ActivityInput, type Republish, type ScheduleActivityRow } from '@switchboard/db';
import { summaryAfter, type PlannedActivity } from '@switchboard/planning';
import type { ApiServices } from '../context.ts';

/**
 * Changing a published week after the fact — break moves and offers of the intraday loop, a coaching session given
 * back — as one recipe: the week is rebuilt from its current version and republished (a new version); when another
 * change published it meanwhile, again from the newer one.
 */

const MIN_MS = 60_000;
/** Tries at republishing when another change published the week in between (each recomputes from the new version). */
const REPUBLISH_TRIES = 3;

/**
 * The week with one agent's activities around [from, to) replaced by `change` applied to them on a minute timeline:
 * the shift(s) touching the range, or a new shift on `date` when the agent has none there.
 */
export function changeAgent(
  activities: readonly ActivityInput[],
  agentId: string,
  range: { from: Date; to: Date; date: string },
  change: (own: PlannedActivity[]) => PlannedActivity[],
): ActivityInput[] {
  const origin = range.from.getTime();
  const touches = (a: ActivityInput) => a.agentId === agentId && a.startsAt.getTime() <= range.to.getTime() && a.endsAt.getTime() >= range.from.getTime();
  const own = activities.filter(touches);
  const shiftDate = own[0]?.shiftDate ?? range.date;
  const templateId = own[0]?.templateId ?? null;
  const changed = change(own.map((a) => ({ kind: a.kind, start: (a.startsAt.getTime() - origin) / MIN_MS, end: (a.endsAt.getTime() - origin) / MIN_MS })));
  return [
    ...activities.filter((a) => !touches(a)),
    ...changed.map((a) => ({
      agentId,
      kind: a.kind,
      startsAt: new Date(origin + a.start * MIN_MS),
      endsAt: new Date(origin + a.end * MIN_MS),
      shiftDate,
      templateId,
    })),
  ];
}

/**
 * Republishes a week with `build`'s activities, again from the newer version when another change published it
 * meanwhile. A week gone, or one `build` cannot apply to (a RangeError), is a CONFLICT that ends with `whatToDo`.
 */
export async function withRepublish<T>(
  services: ApiServices,
  tenantId: string,
  whatToDo: string,
  scheduleIdOf: () => Promise<string | null>,
  build: (activities: readonly ScheduleActivityRow[]) => ActivityInput[],
  commit: (change: Republish) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const scheduleId = await scheduleIdOf();
    if (!scheduleId) throw new TRPCError({ code: 'CONFLICT', message: `no published schedule holds that day any more: ${whatToDo}` });
    const stored = (await getSchedule(services.db, tenantId, scheduleId))!;
    let activities: ActivityInput[];
    try {
      activities = build(stored.activities);
    } catch (error) {
      if (error instanceof RangeError) throw new TRPCError({ code: 'CONFLICT', message: `the schedule changed meanwhile (${error.message}): ${whatToDo}` });
      throw error;
    }
    try {
      return await commit({ scheduleId, activities, summary: summaryAfter(stored.schedule, activities), at: services.now() });
    } catch (error) {
      if (!(error instanceof ScheduleConflictError) || attempt >= REPUBLISH_TRIES) throw error;
    }
  }
}
