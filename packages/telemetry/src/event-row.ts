import type { TelemetryEvent } from '@switchboard/contracts';
import { escapeTsv, tsvStringArray } from './tsv.ts';

/** Columns of `events` that ingest writes; received_at is filled by the insert itself. */
export const eventColumns = [
  'tenant_id', 'event_id', 'type', 'schema_version', 'occurred_at', 'sent_at', 'source',
  'interaction_id', 'queue_id', 'channel', 'agent_id', 'intent', 'customer_ref', 'priority', 'skills',
  'routing_reason', 'to_queue_id', 'transfer_type', 'wait_ms', 'talk_ms', 'hold_ms', 'wrapup_ms',
  'disposition', 'state', 'reason_code', 'previous_state', 'previous_state_ms', 'bot_id', 'turn_index',
  'confidence', 'outcome', 'escalation_reason', 'turns', 'duration_ms', 'segment_index', 'speaker',
  'start_ms', 'end_ms', 'text', 'csat', 'nps', 'resolved', 'ingest_key',
] as const;

type AnyEvent = Partial<Record<string, unknown>> & TelemetryEvent;

const s = (v: unknown): string => (typeof v === 'string' ? escapeTsv(v) : '');
const n = (v: unknown, absent = 0): string => (typeof v === 'number' ? String(v) : String(absent));

/**
 * One validated event as a TSV line of `events`. Field order is `eventColumns`; a field
 * the event's type does not have is written as its column's "absent" value.
 */
export function encodeEventRow(tenantId: string, event: TelemetryEvent, ingestKey: string): string {
  const e = event as AnyEvent;
  const resolved = e.resolved === undefined ? '-1' : e.resolved ? '1' : '0';
  const skills = Array.isArray(e.skills_matched) ? e.skills_matched : Array.isArray(e.skills) ? e.skills : [];
  return (
    escapeTsv(tenantId) + '\t' + e.event_id + '\t' + e.type + '\t' + e.schema_version + '\t' +
    e.occurred_at + '\t' + e.sent_at + '\t' + e.source + '\t' +
    s(e.interaction_id) + '\t' + s(e.queue_id) + '\t' + s(e.channel) + '\t' + s(e.agent_id) + '\t' +
    s(e.intent) + '\t' + s(e.customer_ref) + '\t' + n(e.priority) + '\t' + tsvStringArray(skills as string[]) + '\t' +
    s(e.routing_reason) + '\t' + s(e.to_queue_id) + '\t' + s(e.transfer_type) + '\t' +
    n(e.wait_ms) + '\t' + n(e.talk_ms) + '\t' + n(e.hold_ms) + '\t' + n(e.wrapup_ms) + '\t' +
    s(e.disposition) + '\t' + s(e.state) + '\t' + s(e.reason_code) + '\t' + s(e.previous_state) + '\t' +
    n(e.previous_state_ms) + '\t' + s(e.bot_id) + '\t' + n(e.turn_index) + '\t' + n(e.confidence) + '\t' +
    s(e.outcome) + '\t' + s(e.escalation_reason) + '\t' + n(e.turns) + '\t' + n(e.duration_ms) + '\t' +
    n(e.segment_index) + '\t' + s(e.speaker) + '\t' + n(e.start_ms) + '\t' + n(e.end_ms) + '\t' + s(e.text) + '\t' +
    n(e.csat) + '\t' + n(e.nps, -1) + '\t' + resolved + '\t' + escapeTsv(ingestKey) + '\n'
  );
}

export const rejectionColumns = ['tenant_id', 'batch_ref', 'event_index', 'event_id', 'reason', 'message', 'raw'] as const;

export function encodeRejectionRow(row: {
  tenantId: string;
  batchRef: string;
  index: number;
  eventId: string;
  reason: string;
  message: string;
  raw: string;
}): string {
  return (
    escapeTsv(row.tenantId) + '\t' + escapeTsv(row.batchRef) + '\t' + row.index + '\t' + escapeTsv(row.eventId) + '\t' +
    escapeTsv(row.reason) + '\t' + escapeTsv(row.message) + '\t' + escapeTsv(row.raw) + '\n'
  );
}
