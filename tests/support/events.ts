import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { expect } from 'vitest';
import type { TelemetryEvent } from '@switchboard/contracts';
import { createTelemetryStore, queryRows, UInt64 } from '@switchboard/telemetry';
import { z } from 'zod';

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

export function post(url: string, apiKey: string | undefined, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
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

/**
 * Posts events and fails the test unless every one was accepted; returns once the rollups count them. As a client
 * must, the batch is sent again with the same key and bytes when the host is at capacity (429 or 503 with
 * Retry-After) or the connection broke before an answer (a kept-alive socket the host closed as it was reused).
 */
export async function postAll(url: string, apiKey: string, events: readonly TelemetryEvent[]): Promise<void> {
  const key = randomUUID();
  const payload = ndjson(events);
  const send = async (): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await post(url, apiKey, payload, { 'idempotency-key': key });
      } catch (error) {
        if (attempt >= 4) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  let res = await send();
  for (let attempt = 0; (res.status === 429 || res.status === 503) && attempt < 60; attempt++) {
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    res = await send();
  }
  const body = (await res.json()) as { accepted: number; errors: unknown[] };
  expect(res.status, JSON.stringify(body.errors?.slice(0, 3))).toBe(200);
  expect(body.accepted).toBe(events.length);
  await waitForRollups(url);
}

/**
 * Returns once the host's rollups count every event it had acknowledged when called
 * (they follow the raw events within about a second, not with the 2xx).
 */
export async function waitForRollups(url: string): Promise<void> {
  const read = async () => ((await (await fetch(`${url}/api/health`)).json()) as { rollups: { stored_seq: number; reconciled_seq: number } }).rollups;
  const target = (await read()).stored_seq;
  for (let i = 0; i < 3_000; i++) {
    if ((await read()).reconciled_seq >= target) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the rollups did not catch up with the acknowledged events within a minute');
}

/** Stored rows and distinct event ids of one tenant: equal unless something was stored twice. */
export async function countStoredEvents(client: ClickHouseClient, params: { tenantId: string }): Promise<{ rows: number; distinct: number }> {
  const [row] = await queryRows(
    client,
    z.object({ rows: UInt64, distinct: UInt64 }),
    `SELECT count() AS rows, uniqExact(event_id) AS distinct FROM events WHERE tenant_id = {tenantId:String}`,
    { tenantId: params.tenantId },
  );
  return row ?? { rows: 0, distinct: 0 };
}

/**
 * Rows and distinct event ids stored under Idempotency-Keys starting with `prefix`, read from the data directory of a
 * host that has stopped (chDB: one process at a time). Equal unless a batch was stored twice.
 */
export async function storedUnderKeys(dataDir: string, prefix: string): Promise<{ rows: number; distinct: number }> {
  const store = createTelemetryStore({ dataDir });
  try {
    const [row] = await queryRows(
      store.client,
      z.object({ rows: UInt64, distinct: UInt64 }),
      'SELECT count() AS rows, uniqExact(event_id) AS distinct FROM events WHERE startsWith(ingest_key, {prefix:String})',
      { prefix },
    );
    return row ?? { rows: 0, distinct: 0 };
  } finally {
    await store.close();
  }
}
