import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { TelemetryEvent } from '@switchboard/contracts';

const gzip = promisify(gzipCallback);

/** One request body, with the Idempotency-Key that is reused on every retry of it. */
export interface Batch {
  key: string;
  body: Buffer;
  events: number;
  /** occurred_at of the last event, ms. */
  lastAt: number;
}

/**
 * Idempotency keys are `<prefix>-<run>-<n>`: `run` hashes everything that shapes the
 * bytes, so re-running the same command replays the same keys with the same bodies,
 * and a different command never reuses a key for other bytes.
 */
export function createRunId(parts: Record<string, string | number | boolean>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export async function encodeBatch(events: TelemetryEvent[], key: string, compress: boolean): Promise<Batch> {
  let text = '';
  for (const e of events) text += JSON.stringify(e) + '\n';
  const raw = Buffer.from(text);
  return {
    key,
    // gzip runs on the libuv pool, off the thread that generates events.
    body: compress ? await gzip(raw) : raw,
    events: events.length,
    lastAt: events.length > 0 ? Date.parse(events[events.length - 1]!.occurred_at) : 0,
  };
}
