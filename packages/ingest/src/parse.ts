import { IngestHttpError } from './errors.ts';

/** One item of a batch, before validation: its decoded value or why it could not be decoded. */
export type DecodedItem = { index: number; value: unknown; raw?: string } | { index: number; malformed: string; raw: string };

export interface ParseLimits {
  maxEventBytes: number;
  maxEvents: number;
}

const mediaTypes = {
  ndjson: ['application/x-ndjson', 'application/ndjson', 'application/jsonl'],
  json: ['application/json'],
  arrow: ['application/vnd.apache.arrow.stream'],
} as const;

export type BodyFormat = keyof typeof mediaTypes;

export function formatOf(contentType: string | undefined): BodyFormat {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  for (const [format, types] of Object.entries(mediaTypes) as [BodyFormat, readonly string[]][]) {
    if (types.includes(media)) return format;
  }
  throw new IngestHttpError(
    415,
    'unsupported_media_type',
    `content-type ${JSON.stringify(media || '(none)')} is not accepted; send application/x-ndjson, application/json (an array) or application/vnd.apache.arrow.stream`,
  );
}

export const tooMany = (limit: number) =>
  new IngestHttpError(413, 'too_many_events', `a batch may hold at most ${limit} events; split it into smaller requests`);

/**
 * NDJSON: one event per line. A line that is not JSON is rejected on its own; the other
 * lines of the batch are still stored. A line over the event size limit fails the request.
 */
export function decodeNdjson(body: Buffer, limits: ParseLimits): DecodedItem[] {
  const items: DecodedItem[] = [];
  let start = 0;
  let line = 0;
  while (start < body.length) {
    let end = body.indexOf(10, start);
    if (end === -1) end = body.length;
    if (end - start > limits.maxEventBytes) {
      throw new IngestHttpError(413, 'payload_too_large', `line ${line + 1} is larger than the ${limits.maxEventBytes}-byte event limit`);
    }
    const text = body.toString('utf8', start, end).trim();
    if (text.length > 0) {
      if (items.length >= limits.maxEvents) throw tooMany(limits.maxEvents);
      try {
        items.push({ index: line, value: JSON.parse(text) });
      } catch {
        items.push({ index: line, malformed: 'this line is not valid JSON', raw: text });
      }
    }
    start = end + 1;
    line++;
  }
  return items;
}

export function decodeJsonArray(body: Buffer, limits: ParseLimits): DecodedItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new IngestHttpError(400, 'malformed_body', `the body is not valid JSON (${(error as Error).message}); send a JSON array of events`);
  }
  const values = Array.isArray(parsed) ? parsed : [parsed];
  if (values.length > limits.maxEvents) throw tooMany(limits.maxEvents);
  return values.map((value, index) => ({ index, value }));
}
