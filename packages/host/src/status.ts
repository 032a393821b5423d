import type { IncomingMessage, ServerResponse } from 'node:http';
import { IngestHttpError, sendJson, type IngestService } from '@switchboard/ingest';
import { queueKpis } from '@switchboard/kpis';
import { localDateOf, localDay } from '@switchboard/calendar';
import type { Directory } from '@switchboard/db';
import { countEventsByType, getQueueSums, type TelemetryStore } from '@switchboard/telemetry';

export interface LiveStatus {
  generated_at: string;
  day_start: string;
  rate_series: number[];
  events_per_s: number;
  events_today: number;
  queues: { queue_id: string; channel: string; offered: number; answered: number; abandoned: number; handled: number; asa_s: number | null }[];
}

/**
 * `GET /api/v1/status`: the live event rate and today's per-queue counts of the tenant
 * whose API key is presented. It proves data flows end to end until the signed-in app
 * replaces it.
 */
export function createStatusHandler(deps: {
  telemetry: TelemetryStore;
  ingest: IngestService;
  authenticate: (key: string) => Promise<{ tenantId: string } | null>;
  directory: { get(tenantId: string): Promise<Directory | null> };
}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed', message: 'use GET' }, { allow: 'GET' });
    const authorization = req.headers.authorization ?? '';
    const tenant = authorization.startsWith('Bearer ') ? await deps.authenticate(authorization.slice(7).trim()) : null;
    if (!tenant) {
      const error = new IngestHttpError(401, 'unauthorized', 'send the tenant API key as "Authorization: Bearer <key>"');
      return sendJson(res, error.status, { error: error.code, message: error.message });
    }
    const now = new Date();
    // "Today" is the tenant's local day, as on the wallboard.
    const timezone = (await deps.directory.get(tenant.tenantId))?.timezone ?? 'UTC';
    const { from: dayStart, to: tomorrow } = localDay(localDateOf(now, timezone), timezone);
    const [queues, types] = await Promise.all([
      getQueueSums(deps.telemetry.client, { tenantId: tenant.tenantId, from: dayStart, to: tomorrow }),
      countEventsByType(deps.telemetry.client, { tenantId: tenant.tenantId, from: dayStart, to: tomorrow }),
    ]);
    const series = deps.ingest.liveRate.series(tenant.tenantId, now.getTime());
    // The current second is still filling; the rate is the mean of the ten before it.
    const lastTen = series.slice(-11, -1);
    const body: LiveStatus = {
      generated_at: now.toISOString(),
      day_start: dayStart.toISOString(),
      rate_series: series,
      events_per_s: lastTen.reduce((a, b) => a + b, 0) / lastTen.length,
      events_today: types.reduce((sum, t) => sum + t.events, 0),
      queues: queues.map(({ queue_id, channel, sums }) => ({
        queue_id,
        channel,
        offered: sums.offered,
        answered: sums.answered,
        abandoned: sums.abandoned,
        handled: sums.handled,
        asa_s: queueKpis.asa_s.compute(sums),
      })),
    };
    sendJson(res, 200, body);
  };
}
