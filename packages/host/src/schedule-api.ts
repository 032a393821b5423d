import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Db } from '@switchboard/db';
import { sendJson } from '@switchboard/ingest';
import { getScheduledActivities, type TelemetryStore } from '@switchboard/telemetry';
import { requireKeyScope } from './scoped-key.ts';

export const SCHEDULE_ACTIVITIES_PATH = '/api/v1/schedule/activities';
const SCOPE = 'schedule:read';
const MAX_WINDOW_DAYS = 8;
const MAX_AGENTS = 1000;

const Instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant, e.g. 2026-03-02T00:00:00Z' });

const Query = z
  .strictObject({
    from: Instant,
    to: Instant,
    agent: z
      .array(z.string().min(1).max(128))
      .max(MAX_AGENTS, `at most ${MAX_AGENTS} agents a request`)
      .transform((keys) => (keys.length > 0 ? keys : undefined)),
  })
  .transform(({ from, to, agent }) => ({ from: new Date(from), to: new Date(to), agentKeys: agent }))
  .refine(({ from, to }) => to > from, { path: ['to'], message: 'must be after from' })
  .refine(({ from, to }) => to.getTime() - from.getTime() <= MAX_WINDOW_DAYS * 86_400_000, {
    path: ['to'],
    message: `the window may span at most ${MAX_WINDOW_DAYS} days; ask for a longer period in several requests`,
  });

/** One published activity as the API answers it. */
interface ScheduleActivityAnswer {
  agent: string;
  kind: string;
  start: string;
  end: string;
  shiftDate: string;
}

function parseQuery(url: URL) {
  const params: Record<string, string | string[]> = { agent: url.searchParams.getAll('agent') };
  for (const key of new Set(url.searchParams.keys())) {
    if (key === 'agent') continue;
    const values = url.searchParams.getAll(key);
    // A repeated parameter stays a list, which the schema refuses.
    params[key] = values.length === 1 ? values[0]! : values;
  }
  return Query.safeParse(params);
}

/**
 * `GET /api/v1/schedule/activities?from=&to=[&agent=…]`: the activities of the current
 * published schedules overlapping [from, to) (at most 8 days), of the tenant whose API key
 * is presented, for WFM integrations and the simulator. The key needs the `schedule:read`
 * scope (requireKeyScope: checked on every request, the API is asked a few times an hour).
 */
export async function serveScheduleActivities(req: IncomingMessage, res: ServerResponse, deps: { db: Db; telemetry: TelemetryStore['client'] }): Promise<void> {
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed', message: 'use GET' }, { allow: 'GET' });
  const key = await requireKeyScope(req, res, deps.db, SCOPE, 'read schedules');
  if (!key) return;
  const query = parseQuery(new URL(req.url ?? '/', 'http://host'));
  if (!query.success) {
    const issues = query.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0]!;
    return sendJson(res, 400, { error: 'invalid_request', message: first.path ? `${first.path}: ${first.message}` : first.message, issues });
  }
  const rows = await getScheduledActivities(deps.telemetry, { tenantId: key.tenantId, ...query.data });
  const activities: ScheduleActivityAnswer[] = rows.map((r) => ({ agent: r.agent_id, kind: r.kind, start: r.start, end: r.end, shiftDate: r.shift_date }));
  sendJson(res, 200, { activities });
}
