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

const str = (v: unknown): string => (typeof v === 'string' ? escapeTsv(v) : '');
const num = (v: unknown, absent = '0'): string => (typeof v === 'number' ? `${v}` : absent);

/**
 * One validated event as a TSV line of `events`. Field order is `eventColumns`; a field
 * the event's type does not have is written as its column's "absent" value. Joining an
 * array is several times faster here than concatenating ~90 pieces (this is the hot path).
 */
export function encodeEventRow(tenantId: string, event: TelemetryEvent, ingestKey: string): string {
  const e = event as AnyEvent;
  const skills = (e.skills_matched ?? e.skills) as string[] | undefined;
  return (
    [
      escapeTsv(tenantId), e.event_id, e.type, `${e.schema_version}`, e.occurred_at, e.sent_at, e.source,
      str(e.interaction_id), str(e.queue_id), str(e.channel), str(e.agent_id), str(e.intent), str(e.customer_ref),
      num(e.priority), skills ? tsvStringArray(skills) : '[]', str(e.routing_reason), str(e.to_queue_id), str(e.transfer_type),
      num(e.wait_ms), num(e.talk_ms), num(e.hold_ms), num(e.wrapup_ms), str(e.disposition), str(e.state), str(e.reason_code),
      str(e.previous_state), num(e.previous_state_ms), str(e.bot_id), num(e.turn_index), num(e.confidence), str(e.outcome),
      str(e.escalation_reason), num(e.turns), num(e.duration_ms), num(e.segment_index), str(e.speaker), num(e.start_ms),
      num(e.end_ms), str(e.text), num(e.csat), num(e.nps, '-1'), e.resolved === undefined ? '-1' : e.resolved ? '1' : '0',
      escapeTsv(ingestKey),
    ].join('\t') + '\n'
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
