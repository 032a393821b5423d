import { randomUUID } from 'node:crypto';
import type { TelemetryEvent } from '@switchboard/contracts';
import { demoCenter } from '@switchboard/simulator';

/** A live call's events as a routing and voice platform send them: the answer, then turns five seconds apart. */

export const FRUSTRATED_CUSTOMER = 'This is ridiculous, my card has been blocked for a week and nobody has called me back.';

const iso = (ms: number) => new Date(ms).toISOString();

export function answeredEvent(interactionId: string, agentKey: string, answeredAt: number): TelemetryEvent {
  return {
    event_id: randomUUID(),
    type: 'interaction.answered',
    schema_version: 1,
    occurred_at: iso(answeredAt),
    sent_at: iso(answeredAt),
    source: 'routing',
    interaction_id: interactionId,
    queue_id: demoCenter.queues[0]!.id,
    channel: 'voice',
    agent_id: agentKey,
    wait_ms: 1000,
  } as TelemetryEvent;
}

/** Turn `index` of the call (four seconds long, from 5 s × index after the answer), stored when it ends. */
export function segmentEvent(
  interactionId: string,
  agentKey: string,
  answeredAt: number,
  index: number,
  speaker: 'agent' | 'customer',
  text: string,
): TelemetryEvent {
  return {
    event_id: randomUUID(),
    type: 'transcript.segment',
    schema_version: 1,
    occurred_at: iso(answeredAt + (index + 1) * 5000),
    sent_at: iso(answeredAt + (index + 1) * 5000),
    source: 'voice',
    interaction_id: interactionId,
    segment_index: index,
    speaker,
    ...(speaker === 'agent' ? { agent_id: agentKey } : {}),
    start_ms: index * 5000,
    end_ms: index * 5000 + 4000,
    text,
  } as TelemetryEvent;
}
