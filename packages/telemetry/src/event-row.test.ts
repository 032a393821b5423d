import { describe, expect, it } from 'vitest';
import { eventExamples, eventTypes, type TelemetryEvent } from '@switchboard/contracts';
import { encodeEventRow, eventColumns, tenantRetention } from './event-row.ts';

const BATCH = '0b1f6c1e-3d7a-4c52-9a57-1f2e3d4c5b6a';

/** Every column written as its own rule says, field by field: an oracle for the planned encoder. */
function encodeByColumn(tenantId: string, event: TelemetryEvent, ingestKey: string, batchId = BATCH): string {
  const e = event as unknown as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : '');
  const cells = eventColumns.map((column) => {
    if (column === 'tenant_id') return text(tenantId);
    if (column === 'ingest_key') return text(ingestKey);
    if (column === 'batch_id') return batchId;
    if (column === 'retention_days' || column === 'transcript_retention_days') return '400';
    if (column === 'skills') {
      const list = (e.skills_matched ?? e.skills) as string[] | undefined;
      return `[${(list ?? []).map((s) => `'${text(s).replace(/'/g, "\\'")}'`).join(',')}]`;
    }
    if (column === 'nps') return typeof e.nps === 'number' ? `${e.nps}` : '-1';
    if (column === 'resolved') return e.resolved === undefined ? '-1' : e.resolved ? '1' : '0';
    const value = e[column];
    if (typeof value === 'number') return `${value}`;
    if (typeof value === 'string') return text(value);
    return /_ms$|^(priority|schema_version|turn_index|confidence|turns|segment_index|csat)$/.test(column) ? '0' : '';
  });
  return `${cells.join('\t')}\n`;
}

describe('encodeEventRow', () => {
  it('writes every column of every example as the column-by-column rule does', () => {
    for (const type of eventTypes) {
      const row = encodeEventRow('tenant\tone', eventExamples[type], "key'\n", BATCH);
      expect(row, type).toBe(encodeByColumn('tenant\tone', eventExamples[type], "key'\n"));
      expect(row.split('\t')).toHaveLength(eventColumns.length);
    }
  });

  it('agrees with it with any one field missing, and with text that needs escaping', () => {
    for (const type of eventTypes) {
      const example = eventExamples[type] as unknown as Record<string, unknown>;
      for (const field of Object.keys(example).filter((k) => k !== 'type')) {
        const { [field]: _dropped, ...rest } = example;
        const event = rest as unknown as TelemetryEvent;
        expect(encodeEventRow('t', event, 'k', BATCH), `${type} without ${field}`).toBe(encodeByColumn('t', event, 'k'));
      }
      const odd = Object.fromEntries(Object.entries(example).map(([k, v]) => [k, typeof v === 'string' && k !== 'type' ? `${v}\\\t'x\n` : v]));
      expect(encodeEventRow('t', odd as unknown as TelemetryEvent, 'k', BATCH)).toBe(encodeByColumn('t', odd as unknown as TelemetryEvent, 'k'));
    }
  });

  it("ends every row with the tenant's retentions of events and transcripts", () => {
    const row = encodeEventRow('t', eventExamples['transcript.segment'], 'k', BATCH, { events: 90, transcripts: 7, rejections: 30 });
    expect(row.endsWith(`\t${BATCH}\t90\t7\n`)).toBe(true);
    expect(tenantRetention({ retentionDays: 45 })).toEqual({ events: 45, transcripts: 45, rejections: 30 });
    expect(tenantRetention({ retentionDays: 10 })).toEqual({ events: 10, transcripts: 10, rejections: 10 });
    expect(tenantRetention({ retentionDays: 400, transcriptRetentionDays: 90, rejectionRetentionDays: 7 })).toEqual({
      events: 400,
      transcripts: 90,
      rejections: 7,
    });
    // Neither words nor rejected lines outlive the events; rejected lines never more than 30 days.
    expect(tenantRetention({ retentionDays: 60, transcriptRetentionDays: 365, rejectionRetentionDays: 90 })).toEqual({
      events: 60,
      transcripts: 60,
      rejections: 30,
    });
  });
});
