import { IngestResult, type IngestEventError } from '@switchboard/contracts';
import type { Batch } from './batches.ts';

export interface SenderOptions {
  url: string;
  apiKey: string;
  gzip: boolean;
  /** Network errors and 5xx other than 503: attempts before giving up, with exponential backoff. */
  maxAttempts?: number;
  /** 429/503 are backpressure, not failure: how long to keep honouring Retry-After for one batch. */
  maxBackpressureMs?: number;
  /** Cap of one backoff pause. */
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (batch: Batch, reason: string, waitMs: number) => void;
}

export interface SendResult {
  accepted: number;
  rejected: number;
  replayed: boolean;
  errors: IngestEventError[];
  attempts: number;
}

/** A batch that could not be delivered: the run must stop with this message. */
export class SendError extends Error {
  override readonly name = 'SendError';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After is seconds or an HTTP date; missing or unreadable means one second. */
function retryAfterMs(header: string | null): number {
  if (header === null) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - Date.now());
}

/** An error answer in a line: the API's code and sentence, or the start of whatever came back. */
export async function describeFailure(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: string; message?: string };
    if (body.message) return `${response.status} ${body.error ?? ''}: ${body.message}`.replace(' :', ':');
  } catch {
    // Not the API's JSON error body; show the start of whatever came back.
  }
  return `${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

/**
 * POSTs batches to `/api/v1/events`. A batch is retried with the same key and bytes until
 * ingest acknowledges it (2xx means stored); it is never dropped: when retries run out
 * the SendError says why and the caller stops.
 */
export class EventSender {
  readonly #endpoint: string;
  readonly #options: Required<Omit<SenderOptions, 'onRetry'>> & Pick<SenderOptions, 'onRetry'>;

  constructor(options: SenderOptions) {
    this.#endpoint = `${options.url}/api/v1/events`;
    this.#options = { maxAttempts: 8, maxBackpressureMs: 10 * 60_000, maxBackoffMs: 30_000, sleep, ...options };
  }

  async send(batch: Batch): Promise<SendResult> {
    const { maxBackpressureMs } = this.#options;
    const headers: Record<string, string> = {
      'content-type': 'application/x-ndjson',
      authorization: `Bearer ${this.#options.apiKey}`,
      'idempotency-key': batch.key,
    };
    if (this.#options.gzip) headers['content-encoding'] = 'gzip';
    let failures = 0;
    let backpressureMs = 0;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(this.#endpoint, { method: 'POST', headers, body: batch.body });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        await this.#backoff(batch, ++failures, `network error (${cause?.code ?? cause?.message ?? (error as Error).message})`);
        continue;
      }
      if (response.status === 200 || response.status === 207) {
        const parsed = IngestResult.safeParse(await response.json().catch(() => undefined));
        if (!parsed.success) throw new SendError(`batch ${batch.key}: ingest answered ${response.status} with a body that is not an ingest result`);
        return { ...parsed.data, attempts: attempt };
      }
      if (response.status === 429 || response.status === 503) {
        const wait = retryAfterMs(response.headers.get('retry-after'));
        const reason = await describeFailure(response);
        backpressureMs += wait;
        if (backpressureMs > maxBackpressureMs) {
          throw new SendError(`batch ${batch.key}: ingest kept answering ${reason} for ${Math.round(backpressureMs / 1000)} s; giving up`);
        }
        this.#options.onRetry?.(batch, reason, wait);
        await this.#options.sleep(wait);
        continue;
      }
      const reason = await describeFailure(response);
      if (response.status >= 500) {
        await this.#backoff(batch, ++failures, reason);
        continue;
      }
      // Other 4xx (auth, limits, a reused key) will not pass on a retry.
      throw new SendError(`batch ${batch.key}: ingest refused it with ${reason}`);
    }
  }

  async #backoff(batch: Batch, failures: number, reason: string): Promise<void> {
    const { maxAttempts, maxBackoffMs } = this.#options;
    if (failures >= maxAttempts) throw new SendError(`batch ${batch.key}: ${reason}, ${failures} attempts; giving up`);
    const wait = Math.min(maxBackoffMs, 500 * 2 ** (failures - 1));
    this.#options.onRetry?.(batch, reason, wait);
    await this.#options.sleep(wait);
  }
}
