import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TelemetryEvent } from '@switchboard/contracts';

/** A small, valid interaction (offered → answered → ended → wrap-up) at `at`. */
export function sampleInteraction(at: Date, overrides: { queue_id?: string; wait_ms?: number } = {}): TelemetryEvent[] {
  const interaction_id = randomUUID();
  const queue_id = overrides.queue_id ?? 'billing';
  const ts = (offsetMs: number) => new Date(at.getTime() + offsetMs).toISOString();
  const base = (offsetMs: number) => ({
    event_id: randomUUID(),
    schema_version: 1 as const,
    occurred_at: ts(offsetMs),
    sent_at: ts(offsetMs),
    source: 'routing' as const,
    interaction_id,
    queue_id,
    channel: 'voice' as const,
  });
  const wait = overrides.wait_ms ?? 12_000;
  return [
    { ...base(0), type: 'interaction.offered' },
    { ...base(wait), type: 'interaction.answered', agent_id: 'a-1', wait_ms: wait },
    { ...base(wait + 180_000), type: 'interaction.ended', agent_id: 'a-1', talk_ms: 170_000, hold_ms: 10_000, disposition: 'resolved' },
    { ...base(wait + 200_000), type: 'interaction.wrapup_ended', agent_id: 'a-1', wrapup_ms: 20_000 },
  ];
}

export const ndjson = (events: readonly unknown[]): string => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

export function post(
  url: string,
  apiKey: string | undefined,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-ndjson',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...headers,
    },
    body,
  });
}

/** Posts events and fails the test unless every one was accepted. */
export async function postAll(url: string, apiKey: string, events: readonly TelemetryEvent[]): Promise<void> {
  const res = await post(url, apiKey, ndjson(events));
  const body = (await res.json()) as { accepted: number; errors: unknown[] };
  expect(res.status, JSON.stringify(body.errors?.slice(0, 3))).toBe(200);
  expect(body.accepted).toBe(events.length);
}
