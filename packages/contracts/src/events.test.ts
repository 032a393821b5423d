import { describe, expect, it } from 'vitest';
import { eventExamples } from './examples.ts';
import { eventSchemas, eventTypes, familyOf, type EventType } from './events.ts';
import { validateEvent } from './validate.ts';

/** Fields whose absence must be refused, per type (beyond the envelope). */
const requiredFields: Record<EventType, string[]> = {
  'interaction.offered': ['interaction_id', 'queue_id', 'channel'],
  'interaction.queued': ['interaction_id', 'queue_id', 'channel'],
  'interaction.routed': ['agent_id', 'skills_matched', 'routing_reason'],
  'interaction.answered': ['agent_id', 'wait_ms'],
  'interaction.held': ['agent_id'],
  'interaction.resumed': ['hold_ms'],
  'interaction.transferred': ['to_queue_id', 'transfer_type'],
  'interaction.abandoned': ['wait_ms'],
  'interaction.ended': ['talk_ms', 'hold_ms', 'disposition'],
  'interaction.wrapup_ended': ['wrapup_ms'],
  'agent.state_changed': ['agent_id', 'state'],
  'agent.logged_in': ['agent_id'],
  'agent.logged_out': ['agent_id'],
  'bot.session_started': ['bot_id', 'channel'],
  'bot.turn': ['intent', 'confidence', 'turn_index'],
  'bot.session_ended': ['outcome', 'turns', 'duration_ms'],
  'transcript.segment': ['speaker', 'text', 'start_ms', 'end_ms'],
  'survey.response': ['interaction_id'],
};

describe('open event schema', () => {
  it('has an example and a required-field list for every type, and every example is valid', () => {
    expect(Object.keys(eventExamples).sort()).toEqual([...eventTypes].sort());
    expect(Object.keys(requiredFields).sort()).toEqual([...eventTypes].sort());
    for (const type of eventTypes) {
      const result = validateEvent(eventExamples[type]);
      expect(result, type).toEqual({ ok: true, event: eventExamples[type] });
      expect(eventSchemas[type].safeParse(eventExamples[type]).success).toBe(true);
    }
  });

  describe.each(eventTypes)('%s', (type) => {
    const example = eventExamples[type] as Record<string, unknown>;

    it.each(['event_id', 'occurred_at', 'sent_at', 'source', 'schema_version', ...requiredFields[type]])('refuses it without %s', (field) => {
      const { [field]: _removed, ...rest } = example;
      const result = validateEvent(rest);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).toBe('invalid_fields');
        expect(result.path).toBe(field);
      }
    });

    it('refuses unknown fields, a bad uuid, a timestamp without offset and another schema version', () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ ...example, tenant_id: 'someone-else' }, ''],
        [{ ...example, event_id: 'not-a-uuid' }, 'event_id'],
        [{ ...example, occurred_at: '2026-11-23 14:00:00' }, 'occurred_at'],
        [{ ...example, schema_version: 2 }, 'schema_version'],
        [{ ...example, source: 'fax' }, 'source'],
      ];
      for (const [value, path] of cases) {
        const result = validateEvent(value);
        expect(result.ok, JSON.stringify(value)).toBe(false);
        if (!result.ok) expect(result.path).toBe(path);
      }
    });

    it('belongs to the family named by its prefix', () => {
      expect(type.startsWith(`${familyOf(type)}.`)).toBe(true);
    });
  });

  it('refuses values outside their ranges and broken cross-field rules', () => {
    const bad: [EventType, Record<string, unknown>, string][] = [
      ['interaction.answered', { wait_ms: -1 }, 'wait_ms'],
      ['interaction.answered', { wait_ms: 1.5 }, 'wait_ms'],
      ['interaction.offered', { channel: 'fax' }, 'channel'],
      ['interaction.offered', { queue_id: '' }, 'queue_id'],
      ['interaction.offered', { queue_id: 'q'.repeat(129) }, 'queue_id'],
      ['agent.state_changed', { state: 'asleep' }, 'state'],
      ['bot.turn', { confidence: 1.2 }, 'confidence'],
      ['bot.session_ended', { outcome: 'contained' }, 'escalation_reason'],
      ['bot.session_ended', { escalation_reason: undefined }, 'escalation_reason'],
      ['transcript.segment', { start_ms: 9000, end_ms: 100 }, 'end_ms'],
      ['transcript.segment', { text: 'x'.repeat(4001) }, 'text'],
      ['survey.response', { csat: 6 }, 'csat'],
      ['survey.response', { csat: undefined, resolved: undefined }, ''],
    ];
    for (const [type, change, path] of bad) {
      const result = validateEvent({ ...eventExamples[type], ...change });
      expect(result.ok, `${type} ${JSON.stringify(change)}`).toBe(false);
      if (!result.ok) expect(result.path).toBe(path);
    }
  });

  it('explains what is wrong with something that is not an event at all', () => {
    expect(validateEvent([1, 2])).toMatchObject({ ok: false, reason: 'not_an_object' });
    expect(validateEvent(null)).toMatchObject({ ok: false, reason: 'not_an_object' });
    const unknown = validateEvent({ ...eventExamples['interaction.offered'], type: 'interaction.vanished' });
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown_type', path: 'type' });
    if (!unknown.ok) expect(unknown.message).toContain('interaction.offered');
  });
});
