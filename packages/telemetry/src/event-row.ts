import { eventSchemas, eventTypes, type EventType, type TelemetryEvent } from '@switchboard/contracts';
import { escapeTsv, tsvStringArray } from './tsv.ts';

/** The rollups' source interval: ingest tells the builder which of them each insert touched. */
export const INTERVAL_MS = 900_000;

/** Columns of `events` that ingest writes; received_at is filled by the insert itself. */
export const eventColumns = [
  'tenant_id',
  'event_id',
  'type',
  'schema_version',
  'occurred_at',
  'sent_at',
  'source',
  'interaction_id',
  'queue_id',
  'channel',
  'agent_id',
  'intent',
  'customer_ref',
  'priority',
  'skills',
  'routing_reason',
  'to_queue_id',
  'transfer_type',
  'wait_ms',
  'talk_ms',
  'hold_ms',
  'wrapup_ms',
  'disposition',
  'state',
  'reason_code',
  'previous_state',
  'previous_state_ms',
  'bot_id',
  'turn_index',
  'confidence',
  'outcome',
  'escalation_reason',
  'turns',
  'duration_ms',
  'segment_index',
  'speaker',
  'start_ms',
  'end_ms',
  'text',
  'csat',
  'nps',
  'resolved',
  'ingest_key',
  'batch_id',
  'retention_days',
  'transcript_retention_days',
] as const;

/**
 * How long a tenant's telemetry is kept, in days (ClickHouse TTLs: migration 0017). Every
 * row carries it, since a TTL cannot look up the tenant; `applyTenantRetention` rewrites
 * stored rows when it changes.
 */
export interface TenantRetention {
  /** Raw events (`events` rows). Rollups and imported history are kept longer. */
  events: number;
  /** The words of transcript segments (`events.text`, reset to ''). */
  transcripts: number;
  /** Rejected events with their raw text (`ingest_rejections`). */
  rejections: number;
}

/** Rejected events are kept for their tenant's retention, at most this long. */
export const MAX_REJECTION_RETENTION_DAYS = 30;

/** A tenant's retention settings as stored (`tenants`). */
export interface RetentionSettings {
  retentionDays: number;
  /** null: as long as the raw events. */
  transcriptRetentionDays?: number | null;
  rejectionRetentionDays?: number;
}

const days = (n: number) => Math.max(1, Math.min(65_535, Math.floor(n)));

/**
 * A tenant's retention from its settings: transcripts' words and rejected events never
 * outlive the raw events (the words are in the event rows), rejected events at most 30 days.
 */
export function tenantRetention(settings: RetentionSettings): TenantRetention {
  const events = days(settings.retentionDays);
  return {
    events,
    transcripts: Math.min(events, days(settings.transcriptRetentionDays ?? events)),
    rejections: Math.min(events, days(settings.rejectionRetentionDays ?? MAX_REJECTION_RETENTION_DAYS), MAX_REJECTION_RETENTION_DAYS),
  };
}

/** The columns' defaults: rows stored without a tenant's setting. */
export const defaultRetention: TenantRetention = tenantRetention({ retentionDays: 400 });

type Field = (value: unknown) => string;
const str: Field = (v) => (typeof v === 'string' ? escapeTsv(v) : '');
const num =
  (absent: string): Field =>
  (v) =>
    typeof v === 'number' ? `${v}` : absent;
const skills: Field = (v) => (Array.isArray(v) ? tsvStringArray(v as string[]) : '[]');
const resolved: Field = (v) => (v === undefined ? '-1' : v ? '1' : '0');

/**
 * How each column of an event is written: the event field it comes from and its TSV
 * text, which for an absent field is the column's "absent" value (0, '' — or -1 for nps
 * and resolved, where 0 is an answer). tenant_id, ingest_key, batch_id and the retentions come
 * from the request.
 */
const requestColumns = new Set<string>(['tenant_id', 'ingest_key', 'batch_id', 'retention_days', 'transcript_retention_days']);
const columnFormats: Partial<Record<(typeof eventColumns)[number], { fields: string[]; format: Field }>> = {};
for (const column of eventColumns) {
  if (requestColumns.has(column)) continue;
  const numeric = /_ms$|^(priority|schema_version|turn_index|confidence|turns|segment_index|csat)$/.test(column);
  columnFormats[column] =
    // The skills a route matched, or the skills an agent logged in with.
    column === 'skills'
      ? { fields: ['skills_matched', 'skills'], format: skills }
      : column === 'nps'
        ? { fields: ['nps'], format: num('-1') }
        : column === 'resolved'
          ? { fields: ['resolved'], format: resolved }
          : { fields: [column], format: numeric ? num('0') : str };
}

/**
 * Per event type, the row as a list of parts: fixed text (the tabs, and the absent
 * values of every column its type never has, run together) and the fields it may have.
 * An event is then written with a handful of appends instead of 43 formatted fields:
 * this is the hot path of ingest.
 */
type Part = string | { field: string; format: Field };
const plans = new Map<string, Part[]>(
  eventTypes.map((type: EventType) => {
    const fields = new Set(Object.keys(eventSchemas[type].shape));
    const parts: Part[] = [];
    let fixed = '';
    for (const column of eventColumns.slice(1, -4)) {
      const { fields: names, format } = columnFormats[column]!;
      const field = names.find((name) => fields.has(name));
      if (field) {
        if (fixed) parts.push(fixed);
        parts.push({ field, format });
        fixed = '\t';
      } else {
        fixed += `${format(undefined)}\t`;
      }
    }
    parts.push(fixed);
    return [type, parts];
  }),
);

/**
 * One validated event as a TSV line of `events`, in the order of `eventColumns`.
 * `batchId` is a UUID naming the request (see the rollup builder), the zero UUID for none;
 * `retention` is the tenant's (the columns' defaults when not given).
 */
export function encodeEventRow(tenantId: string, event: TelemetryEvent, ingestKey: string, batchId: string, retention = defaultRetention): string {
  const e = event as unknown as Record<string, unknown>;
  let line = `${escapeTsv(tenantId)}\t`;
  for (const part of plans.get(event.type)!) line += typeof part === 'string' ? part : part.format(e[part.field]);
  return `${line}${escapeTsv(ingestKey)}\t${batchId}\t${retention.events}\t${retention.transcripts}\n`;
}

export const rejectionColumns = ['tenant_id', 'batch_ref', 'event_index', 'event_id', 'reason', 'message', 'raw', 'retention_days'] as const;

export function encodeRejectionRow(row: {
  tenantId: string;
  batchRef: string;
  index: number;
  eventId: string;
  reason: string;
  message: string;
  raw: string;
  /** The tenant's retention of rejected events, in days. */
  retentionDays?: number;
}): string {
  return (
    escapeTsv(row.tenantId) +
    '\t' +
    escapeTsv(row.batchRef) +
    '\t' +
    row.index +
    '\t' +
    escapeTsv(row.eventId) +
    '\t' +
    escapeTsv(row.reason) +
    '\t' +
    escapeTsv(row.message) +
    '\t' +
    escapeTsv(row.raw) +
    '\t' +
    (row.retentionDays ?? defaultRetention.rejections) +
    '\n'
  );
}
