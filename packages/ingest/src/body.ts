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

const tooLarge = (what: string, limit: number) =>
  new IngestHttpError(413, 'payload_too_large', `${what} exceeds ${limit} bytes; split the batch into smaller requests`);

/**
 * Read the request body, gunzipping when `content-encoding: gzip`, and stop reading the
 * moment a limit is passed, so an oversize or zip-bomb body costs at most the limit.
 * Returns the bytes as received (for the idempotency hash) and decoded.
 */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<{ received: Buffer; decoded: Buffer }> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) throw tooLarge('the body', limits.maxBodyBytes);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new IngestHttpError(415, 'unsupported_media_type', `content-encoding ${encoding} is not supported; send gzip or no encoding`);
  }

  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limits.maxBodyBytes) over = true;
    // Past the limit the rest is read and dropped, so the client still gets its 413
    // instead of a reset connection; a sender that keeps going is cut off.
    if (over) {
      if (size > DISCARD_FACTOR * limits.maxBodyBytes) break;
      continue;
    }
    chunks.push(chunk);
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
