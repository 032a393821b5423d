import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { localDateOf, localDaySlots } from '@switchboard/calendar';
import { parseHistoryCsv, type LocalClock } from '@switchboard/contracts';
import { getCenterConfig, recordAudit } from '@switchboard/db';
import { getFirstLiveIntervals, writeImportedHistory, type TelemetryStore } from '@switchboard/telemetry';
import type { EventWriter } from './rejections.ts';
import { invalidInput, resolveTenant, TenantRef, tenantNotFound, type OperatorAnswer, type ProvisioningStores } from './provisioning.ts';

/**
 * `npm run -s admin -- history import`: a new center's interval history from its previous
 * system (docs/center-import.md, "Importing history"), so forecasts have weeks to learn from on
 * day one. The CLI reads the file; the host only sees its contents.
 */

/** The stores of the admin actions: ClickHouse too for the actions that read or write telemetry. */
export interface AdminStores extends ProvisioningStores {
  telemetry?: TelemetryStore['client'];
  /** Writes events as ingest does (the host's writer, or the CLI's own on stopped stores): the rejection replay. */
  eventWriter?: EventWriter;
}

/** The tenant's clock for parseHistoryCsv: each local day's 15-minute slots from the calendar, worked out once per date. */
export function tenantClock(timezone: string): LocalClock {
  const days = new Map<string, Map<number, { start: Date; occurrences: number }>>();
  return {
    timezone,
    at(date, minute) {
      let slots = days.get(date);
      if (!slots) {
        slots = new Map();
        // In a repeated hour a slot comes twice, the first occurrence first.
        for (const { slot, start } of localDaySlots(date, timezone, 15)) {
          const seen = slots.get(slot);
          if (seen) seen.occurrences++;
          else slots.set(slot, { start, occurrences: 1 });
        }
        days.set(date, slots);
      }
      return slots.get(minute / 15) ?? null;
    },
  };
}

const HistoryImportRequest = TenantRef.extend({
  csv: z.string().max(200_000_000),
  /** The file's name, for the problems (`history.csv, row 4, offered: …`). */
  file: z.string().min(1).max(200).default('history.csv'),
  dryRun: z.boolean().default(false),
});

/** What an import holds for one queue, as the CLI prints it. */
export interface ImportedQueue {
  queue: string;
  intervalMinutes: number;
  rows: number;
  /** 15-minute intervals. */
  intervals: number;
  /** Local dates of the first and last row. */
  fromDate: string;
  toDate: string;
  offered: number;
  repeatedLocalTimes: number;
  /** The queue's first live interval, when it has one by the end of the import. */
  liveFrom: string | null;
  /** Imported 15-minute intervals from `liveFrom` on: kept, but never read (live data wins). */
  unused: number;
}

/**
 * Checks a history CSV as a whole against the tenant's queues and clock (every problem by row
 * and column, nothing stored while there is one), says per queue what it holds and how much of
 * it live data supersedes, and unless a dry run stores it, replacing intervals imported before.
 */
async function importHistory(stores: AdminStores, body: unknown): Promise<OperatorAnswer> {
  const request = HistoryImportRequest.safeParse(body);
  if (!request.success) return invalidInput(request.error);
  const { tenant: name, csv, file, dryRun } = request.data;
  const tenant = await resolveTenant(stores.db, name);
  if (!tenant) return tenantNotFound(name);
  if (!stores.telemetry) throw new Error('history/import needs the telemetry store: the CLI opens it for telemetryActions');
  const config = (await getCenterConfig(stores.db, tenant.id))!;
  const parsed = parseHistoryCsv(csv, { knownQueues: new Set(config.queues.map((q) => q.id)), clock: tenantClock(config.timezone), file });
  if ('problems' in parsed) {
    const message = `the import was refused: ${parsed.problems.length} problem(s), nothing was stored`;
    return { status: 422, body: { error: 'invalid_import', message, problems: parsed.problems } };
  }
  const until = parsed.intervals.reduce((last, i) => (i.interval_start > last ? i.interval_start : last), '');
  const firstLive = await getFirstLiveIntervals(stores.telemetry, {
    tenantId: tenant.id,
    queueIds: parsed.queues.map((q) => q.queue_id),
    until: new Date(until),
  });
  const queues = parsed.queues.map((q): ImportedQueue => {
    const liveFrom = firstLive.get(q.queue_id) ?? null;
    return {
      queue: q.queue_id,
      intervalMinutes: q.interval_minutes,
      rows: q.rows,
      intervals: q.intervals,
      fromDate: localDateOf(new Date(q.first), config.timezone),
      toDate: localDateOf(new Date(q.last), config.timezone),
      offered: q.offered,
      repeatedLocalTimes: q.repeated_local_times,
      liveFrom,
      unused: liveFrom ? parsed.intervals.filter((i) => i.queue_id === q.queue_id && i.interval_start >= liveFrom).length : 0,
    };
  });
  if (dryRun) return { status: 200, body: { applied: false, timezone: config.timezone, queues } };
  const importId = randomUUID();
  await writeImportedHistory(stores.telemetry, { tenantId: tenant.id, importId, importedAt: new Date(), intervals: parsed.intervals });
  // An operator's command: no user. The import id is what the imported rows carry.
  await recordAudit(stores.db, { tenantId: tenant.id, userId: null, action: 'history.import', objectType: 'history_import', objectId: importId });
  return { status: 200, body: { applied: true, importId, timezone: config.timezone, queues } };
}

export const historyActions: Record<string, (stores: AdminStores, body: unknown) => Promise<OperatorAnswer>> = {
  'history/import': importHistory,
};
