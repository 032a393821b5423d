import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { IngestHttpError } from './errors.ts';

export interface BodyLimits {
  /** Bytes on the wire (compressed, if gzip). */
  maxBodyBytes: number;
  /** Bytes after decompression. */
  maxDecodedBytes: number;
}

const DISCARD_FACTOR = 4;
/**
 * A body must keep coming at MIN_BODY_RATE bytes per second on average once BODY_GRACE_MS have passed (Apache's
 * mod_reqtimeout rule), so a sender trickling a byte a second holds its connection seconds, not the minutes Node's
 * requestTimeout allows, while one on a slow link is never cut off.
 */
const BODY_GRACE_MS = 10_000;
const MIN_BODY_RATE = 1024;

const tooLarge = (what: string, limit: number) =>
  new IngestHttpError(413, 'payload_too_large', `${what} exceeds ${limit} bytes; split the batch into smaller requests`);

/**
 * Read the request body, gunzipping when `content-encoding: gzip`, and stop reading the
 * moment a limit is passed, so an oversize or zip-bomb body costs at most the limit.
 * Returns the bytes as received (for the idempotency hash) and decoded.
 */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<{ received: Buffer; decoded: Buffer }> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > DISCARD_FACTOR * limits.maxBodyBytes) throw tooLarge('the body', limits.maxBodyBytes);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new IngestHttpError(415, 'unsupported_media_type', `content-encoding ${encoding} is not supported; send gzip or no encoding`);
  }

  const chunks: Buffer[] = [];
  let size = 0;
  // A declared size over the limit is refused too, once the body is read: answered while the client still sends, the
  // 413 would be lost in the connection's reset.
  let over = Number.isFinite(declared) && declared > limits.maxBodyBytes;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const tooSlow = new Promise<'slow'>((resolve) => {
    const check = () => {
      const wait = started + BODY_GRACE_MS + (size / MIN_BODY_RATE) * 1000 - Date.now();
      timer = wait > 0 ? setTimeout(check, wait) : void resolve('slow');
    };
    check();
  });
  const chunksOf = (req as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([chunksOf.next(), tooSlow]);
      if (next === 'slow') {
        throw new IngestHttpError(408, 'malformed_body', `the body arrived slower than ${MIN_BODY_RATE} bytes a second; send it at once`, {
          connection: 'close',
        });
      }
      if (next.done) break;
      const chunk = next.value;
      size += chunk.length;
      if (size > limits.maxBodyBytes) over = true;
      // Past the limit the rest is read and dropped, so the client still gets its 413
      // instead of a reset connection; a sender that keeps going is cut off.
      if (over) {
        if (size > DISCARD_FACTOR * limits.maxBodyBytes) {
          await chunksOf.return?.();
          break;
        }
        continue;
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof IngestHttpError) throw error;
    // The sender closed the connection mid-body: there is no one to answer, and nothing to log.
    throw new IngestHttpError(400, 'malformed_body', `the body ended early (${(error as Error).message})`);
  } finally {
    clearTimeout(timer);
  }
  if (over) throw tooLarge('the body', limits.maxBodyBytes);
  const received = Buffer.concat(chunks, size);
  if (encoding === 'identity') {
    if (size > limits.maxDecodedBytes) throw tooLarge('the body', limits.maxDecodedBytes);
    return { received, decoded: received };
  }
  return { received, decoded: await gunzipLimited(received, limits.maxDecodedBytes) };
}

function gunzipLimited(input: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const out: Buffer[] = [];
    let size = 0;
    gunzip.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        gunzip.destroy();
        reject(tooLarge('the decompressed body', limit));
        return;
      }
      out.push(chunk);
    });
    gunzip.on('error', () => reject(new IngestHttpError(400, 'malformed_body', 'the body is not valid gzip although content-encoding says gzip')));
    gunzip.on('end', () => resolve(Buffer.concat(out, size)));
    gunzip.end(input);
  });
}
