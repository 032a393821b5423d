import { LRUCache } from 'lru-cache';
import type { IngestResult } from '@switchboard/contracts';

interface Entry {
  bodyHash: string | undefined;
  result?: { status: number; body: IngestResult };
  pending?: Promise<{ status: number; body: IngestResult }>;
}

export type IdempotencyLookup =
  | { kind: 'new' }
  | { kind: 'mismatch' }
  | { kind: 'done'; status: number; body: IngestResult }
  | { kind: 'pending'; wait: Promise<{ status: number; body: IngestResult }> };

/**
 * Idempotency keys of the last `ttlMs`, per tenant. It lives in the one process that
 * ingests for a store; at start it is refilled from the keys stored with the events
 * themselves, so a batch retried across a crash is recognised. Bounded by `maxKeys`
 * (least recently used first out); a retry older than that is stored again and collapses
 * on event_id.
 */
export class IdempotencyKeys {
  readonly #entries: LRUCache<string, Entry>;

  constructor(ttlMs = 24 * 3600_000, maxKeys = 1_000_000) {
    this.#entries = new LRUCache({
      // A size of 1 an entry bounds the count without `max`, which allocates room for all of
      // them up front: a million keys' worth in every process that ingests.
      maxSize: maxKeys,
      sizeCalculation: () => 1,
      ttl: ttlMs,
      // Read now, not at import as lru-cache's default is, so that fake timers apply.
      perf: performance,
    });
  }

  lookup(tenantId: string, key: string, bodyHash: string): IdempotencyLookup {
    const entry = this.#entries.get(`${tenantId}\u0000${key}`);
    if (!entry) return { kind: 'new' };
    if (entry.bodyHash !== undefined && entry.bodyHash !== bodyHash) return { kind: 'mismatch' };
    if (entry.result) return { kind: 'done', ...entry.result };
    return { kind: 'pending', wait: entry.pending! };
  }

  begin(tenantId: string, key: string, bodyHash: string, pending: Promise<{ status: number; body: IngestResult }>): void {
    const id = `${tenantId}\u0000${key}`;
    this.#entries.set(id, { bodyHash, pending });
    pending.then(
      (result) => this.#entries.set(id, { bodyHash, result }),
      // Nothing was stored, so the same key must be free for the retry.
      () => this.#entries.delete(id),
    );
  }

  /** A key found among stored events after a restart: its body hash is not known. */
  restore(tenantId: string, key: string, accepted: number): void {
    this.#entries.set(`${tenantId}\u0000${key}`, {
      bodyHash: undefined,
      result: { status: 200, body: { accepted, rejected: 0, replayed: true, errors: [] } },
    });
  }

  get size(): number {
    return this.#entries.size;
  }
}
