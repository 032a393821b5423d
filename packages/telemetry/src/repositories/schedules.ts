import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { toChDateTimeText } from './planning.ts';
import { ChDateTime, queryRows, UInt64 } from './rows.ts';

/**
 * Published schedules in ClickHouse (migrations/clickhouse/0015), for adherence and reports to join with agent
 * states by agent and minute.
 */

export interface ScheduleSnapshot {
  tenantId: string;
  scheduleId: string;
  groupKey: string;
  weekStart: string;
  publishedAt: Date;
  activities: readonly { agentKey: string; kind: string; start: Date; end: Date; shiftDate: string }[];
}

/** Writes a published version's activities once: a retry finds them and writes nothing. */
export async function writeScheduleSnapshot(client: ClickHouseClient, snapshot: ScheduleSnapshot): Promise<boolean> {
  const [stored] = await queryRows(
    client,
    z.object({ n: UInt64 }),
    'SELECT count() AS n FROM schedule_activities WHERE tenant_id = {tenantId:String} AND schedule_id = {scheduleId:UUID}',
    { tenantId: snapshot.tenantId, scheduleId: snapshot.scheduleId },
  );
  if ((stored?.n ?? 0) > 0 || snapshot.activities.length === 0) return false;
  const base = {
    tenant_id: snapshot.tenantId,
    schedule_id: snapshot.scheduleId,
    group_id: snapshot.groupKey,
    week_start: snapshot.weekStart,
    published_at: snapshot.publishedAt.toISOString().slice(0, 23).replace('T', ' '),
  };
  // One insert: a part is stored whole or not at all, so a version is never half there.
  await client.insert({
    table: 'schedule_activities',
    values: snapshot.activities.map((a) => ({
      ...base,
      agent_id: a.agentKey,
      kind: a.kind,
      start: toChDateTimeText(a.start),
      end: toChDateTimeText(a.end),
      shift_date: a.shiftDate,
    })),
    format: 'JSONEachRow',
  });
  return true;
}

export const ScheduledActivity = z.object({
  agent_id: z.string(),
  kind: z.string(),
  start: ChDateTime,
  end: ChDateTime,
  shift_date: z.string(),
  schedule_id: z.string(),
});
export type ScheduledActivity = z.infer<typeof ScheduledActivity>;

/** Activities of the current published versions overlapping [from, to), per agent in time order. */
export function getScheduledActivities(
  client: ClickHouseClient,
  params: { tenantId: string; from: Date; to: Date; agentKeys?: readonly string[] },
): Promise<ScheduledActivity[]> {
  return queryRows(
    client,
    ScheduledActivity,
    `SELECT agent_id, kind, start, end, toString(shift_date) AS shift_date, toString(schedule_id) AS schedule_id
       FROM schedule_activities FINAL
      WHERE tenant_id = {tenantId:String} AND start < {to:DateTime('UTC')} AND end > {from:DateTime('UTC')}
        ${params.agentKeys ? 'AND agent_id IN {agentKeys:Array(String)}' : ''}
        AND (group_id, week_start, published_at) IN (
              SELECT group_id, week_start, max(published_at) FROM schedule_activities
               WHERE tenant_id = {tenantId:String} GROUP BY group_id, week_start)
      ORDER BY agent_id, start, kind`,
    { tenantId: params.tenantId, from: toChDateTimeText(params.from), to: toChDateTimeText(params.to), agentKeys: params.agentKeys },
  );
}
