import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { validateEvent, type TelemetryEvent } from '@switchboard/contracts';
import type { RefusedRow, WriteJob } from '@switchboard/ingest';
import { ChDateTime, defaultRetention, encodeEventRow, INTERVAL_MS, queryRows } from '@switchboard/telemetry';
import type { AdminStores } from './history-import.ts';
import { invalidInput, resolveTenant, TenantRef, tenantNotFound, type OperatorAnswer } from './provisioning.ts';

/**
 * `npm run -s admin -- rejections list|replay`: events that were valid but refused by the
 * event store (reason `store_rejected`, kept whole in ingest_rejections) are sent again once
 * the store takes them. Exactly once: an event already in the store (replayed before, or sent
 * again by its source) is left alone, so a replay can be repeated or resumed after a crash.
 * Through the running host the replay goes through its ingest writer (the rollups count it at
 * once); on stopped stores through a writer of the CLI's own, and the host's start-up recovery
 * counts what was received meanwhile.
 */

/** What writes events: the host's ingest writer, or one over the stores the CLI opened. */
export interface EventWriter {
  submit(job: WriteJob): Promise<RefusedRow[]>;
}

const RejectionsRequest = TenantRef.extend({
  /** Only this batch (its Idempotency-Key, or the request id the 207 named). */
  batch: z.string().min(1).max(200).optional(),
  dryRun: z.boolean().default(false),
});

const StoredRejection = z.object({
  batch_ref: z.string(),
  event_index: z.coerce.number(),
  event_id: z.string(),
  received_at: ChDateTime,
  message: z.string(),
  raw: z.string(),
});

/** At most this many rejections are replayed in one insert. */
const REPLAY_CHUNK = 5_000;

async function storeRejections(stores: AdminStores, tenantId: string, batch: string | undefined) {
  return queryRows(
    stores.telemetry!,
    StoredRejection,
    `SELECT batch_ref, event_index, event_id, received_at, message, raw FROM ingest_rejections FINAL
      WHERE tenant_id = {tenant:String} AND reason = 'store_rejected' AND ({batch:String} = '' OR batch_ref = {batch:String})
      ORDER BY received_at, batch_ref, event_index`,
    { tenant: tenantId, batch: batch ?? '' },
  );
}

/** The ids among `ids` the store holds for the tenant. */
async function storedIds(stores: AdminStores, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += REPLAY_CHUNK) {
    // Not aliased `event_id`: WHERE would then compare the text, not the column.
    const rows = await queryRows(
      stores.telemetry!,
      z.object({ id: z.string() }),
      `SELECT DISTINCT toString(event_id) AS id FROM events WHERE tenant_id = {tenant:String} AND event_id IN {ids:Array(UUID)}`,
      { tenant: tenantId, ids: ids.slice(i, i + REPLAY_CHUNK) },
    );
    for (const r of rows) found.add(r.id);
  }
  return found;
}

interface Candidate {
  batch_ref: string;
  event_index: number;
  event_id: string;
  event: TelemetryEvent | null;
}

async function candidates(stores: AdminStores, tenantId: string, batch: string | undefined): Promise<{ list: Candidate[]; stored: Set<string> }> {
  const list = (await storeRejections(stores, tenantId, batch)).map((r) => {
    let event: TelemetryEvent | null = null;
    try {
      const checked = validateEvent(JSON.parse(r.raw));
      if (checked.ok) event = checked.event;
    } catch {
      // Unreadable (cut short, say): reported, never sent.
    }
    return { batch_ref: r.batch_ref, event_index: r.event_index, event_id: event?.event_id ?? r.event_id, event };
  });
  const ids = list.filter((c) => c.event).map((c) => c.event!.event_id);
  return { list, stored: await storedIds(stores, tenantId, ids) };
}

async function listRejections(stores: AdminStores, body: unknown): Promise<OperatorAnswer> {
  const request = RejectionsRequest.safeParse(body);
  if (!request.success) return invalidInput(request.error);
  const tenant = await resolveTenant(stores.db, request.data.tenant);
  if (!tenant) return tenantNotFound(request.data.tenant);
  if (!stores.telemetry) throw new Error('rejections/list needs the telemetry store: the CLI opens it for telemetryActions');
  const rows = await storeRejections(stores, tenant.id, request.data.batch);
  const stored = await storedIds(
    stores,
    tenant.id,
    rows.map((r) => r.event_id).filter((id) => z.uuid().safeParse(id).success),
  );
  return {
    status: 200,
    body: {
      rejections: rows.map((r) => ({
        batch: r.batch_ref,
        index: r.event_index,
        event_id: r.event_id,
        received_at: r.received_at,
        message: r.message,
        status: stored.has(r.event_id) ? 'stored' : 'waiting',
      })),
    },
  };
}

async function replayRejections(stores: AdminStores, body: unknown): Promise<OperatorAnswer> {
  const request = RejectionsRequest.safeParse(body);
  if (!request.success) return invalidInput(request.error);
  const tenant = await resolveTenant(stores.db, request.data.tenant);
  if (!tenant) return tenantNotFound(request.data.tenant);
  if (!stores.telemetry || !stores.eventWriter)
    throw new Error('rejections/replay needs the telemetry store and a writer: the CLI opens them for telemetryActions');
  return replayOnce(tenant.id, () => replay(stores, tenant.id, request.data));
}

async function replay(stores: AdminStores, tenantId: string, request: z.infer<typeof RejectionsRequest>): Promise<OperatorAnswer> {
  const { list, stored } = await candidates(stores, tenantId, request.batch);
  const unreadable = list.filter((c) => !c.event);
  const due = list.filter((c) => c.event && !stored.has(c.event.event_id));
  // One row per event even when a batch was refused, resent and refused again.
  const unique = [...new Map(due.map((c) => [c.event!.event_id, c])).values()];
  const stillRefused: { batch: string; index: number; event_id: string; message: string }[] = [];
  let replayed = 0;
  if (!request.dryRun) {
    for (let i = 0; i < unique.length; i += REPLAY_CHUNK) {
      const chunk = unique.slice(i, i + REPLAY_CHUNK);
      const batchId = randomUUID();
      const intervals = new Set<number>();
      let events = '';
      for (const { event } of chunk) {
        const occurred = Date.parse(event!.occurred_at);
        intervals.add(occurred - (occurred % INTERVAL_MS));
        // No Idempotency-Key: the replay is recognised by the stored event ids, not a sender's key.
        events += encodeEventRow(tenantId, event!, '', batchId, defaultRetention);
      }
      const refused = await stores.eventWriter!.submit({ tenantId, batchId, events, eventCount: chunk.length, intervals, rejections: '' });
      for (const { row, refusal } of refused) {
        const c = chunk[row]!;
        stillRefused.push({ batch: c.batch_ref, index: c.event_index, event_id: c.event_id, message: refusal.message });
      }
      replayed += chunk.length - refused.length;
    }
  }
  return {
    status: 200,
    body: {
      rejections: list.length,
      already_stored: list.length - unreadable.length - due.length,
      due: unique.length,
      replayed,
      still_refused: stillRefused,
      unreadable: unreadable.map((c) => ({ batch: c.batch_ref, index: c.event_index, event_id: c.event_id })),
      dry_run: request.dryRun,
    },
  };
}

/** One replay of a tenant at a time in this process: two at once would both find the same events missing. */
const running = new Map<string, Promise<unknown>>();
async function replayOnce(tenantId: string, work: () => Promise<OperatorAnswer>): Promise<OperatorAnswer> {
  while (running.has(tenantId)) await running.get(tenantId)!.catch(() => undefined);
  const run = work();
  running.set(tenantId, run);
  try {
    return await run;
  } finally {
    running.delete(tenantId);
  }
}

export const rejectionActions: Record<string, (stores: AdminStores, body: unknown) => Promise<OperatorAnswer>> = {
  'rejections/list': listRejections,
  'rejections/replay': replayRejections,
};
