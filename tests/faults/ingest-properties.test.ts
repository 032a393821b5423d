import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import {
  DateMillisecond,
  Field,
  Float64,
  Int64,
  List,
  Struct,
  Table,
  tableToIPC,
  TimestampMillisecond,
  TimestampSecond,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
  eventExamples,
  eventTypes,
  FUTURE_SKEW_MS,
  IngestErrorCode,
  IngestResult,
  LATE_EVENT_HORIZON_DAYS,
  validateEvent,
  type TelemetryEvent,
} from '@switchboard/contracts';
import { eventColumns, rejectionColumns, type TelemetryStore } from '@switchboard/telemetry';
import { IngestService, redactPii } from '@switchboard/ingest';
import { recordFaultFigures } from '../support/faults.ts';

/**
 * Seeded property tests over what a request body goes through in IngestService: prepareBatch (decode, validateEvent, horizon,
 * redactPii, TSV rows). They run the service itself (its handle()) on a store that keeps the TSV it is given, so the
 * path is the one production takes, minus the socket and ClickHouse.
 */

const DAY_MS = 86_400_000;
const SEED = 20_260_117;
let cases = 0;
let longerThanSent = 0;

const inserted: { table: string; body: string }[] = [];
const stored: TelemetryEvent[] = [];
const store = {
  kind: 'chdb',
  client: undefined,
  insertTsv: async ({ table, body }: { table: string; body: Buffer }) => void inserted.push({ table, body: body.toString('utf8') }),
  close: async () => {},
} as unknown as TelemetryStore;
// flushRows 0: every request is written at once instead of lingering for company. Cases alternate between a service that
// prepares JSON bodies on the event loop (as the host does small ones) and one that sends every body to its threads.
const services = [{}, { inlineBytes: 0 }].map(
  (options) =>
    new IngestService({
      store,
      authenticate: async () => ({ tenantId: 'tenant-fuzz' }),
      writer: { flushRows: 0 },
      onStored: (_tenant, events) => void stored.push(...events),
      ...options,
    }),
);

// The service answers an untyped throw with 503 store_unavailable and logs it: that log is how one is seen here.
let logged: MockInstance<typeof console.error>;
beforeAll(() => {
  logged = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterAll(() => {
  logged.mockRestore();
  console.log(`ingest fuzz: ${cases} cases; ${longerThanSent} stored segments longer than the 4000 characters sent`);
  recordFaultFigures('ingest-properties', { fuzz_cases: cases, extra: { stored_longer_than_sent: longerThanSent } });
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
  events: string[];
  rejections: string[];
  stored: TelemetryEvent[];
  before: number;
  after: number;
}

async function post(body: Buffer, contentType: string): Promise<Answer> {
  inserted.length = 0;
  stored.length = 0;
  logged.mockClear();
  const req = Object.assign(Readable.from([body]), { method: 'POST', headers: { authorization: 'Bearer fuzz', 'content-type': contentType } });
  let status = 0;
  let payload = '';
  const res = {
    writeHead: (code: number) => void (status = code),
    end: (text: string) => void (payload = text),
  };
  const before = Date.now();
  await services[cases % 2]!.handle(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  const after = Date.now();
  cases++;
  const lines = (table: string) =>
    inserted
      .filter((i) => i.table === table)
      .flatMap((i) => i.body.split('\n'))
      .filter((l) => l !== '');
  return {
    status,
    body: JSON.parse(payload) as Record<string, unknown>,
    events: lines('events'),
    rejections: lines('ingest_rejections'),
    stored: [...stored],
    before,
    after,
  };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Property 1: a typed answer, never an untyped throw turned into a 503. */
function expectTyped(answer: Answer): void {
  expect(logged, 'an untyped error escaped the pipeline').not.toHaveBeenCalled();
  expect([200, 207, 400, 413]).toContain(answer.status);
  if (answer.status >= 400) {
    expect(IngestErrorCode.safeParse(answer.body.error).success).toBe(true);
    expect(typeof answer.body.message).toBe('string');
  } else {
    expect(IngestResult.safeParse(answer.body).success).toBe(true);
  }
}

/** Property 3: what is stored is a valid event, in well-formed UTF-16, inside the time window, one TSV row each. */
function expectStorable(answer: Answer, sent?: Buffer): void {
  if (answer.status >= 300) {
    expect(answer.events).toEqual([]);
    expect(answer.rejections).toEqual([]);
    return;
  }
  const { accepted, rejected } = answer.body as { accepted: number; rejected: number };
  expect(answer.stored).toHaveLength(accepted);
  expect(answer.events).toHaveLength(accepted);
  expect(answer.rejections).toHaveLength(rejected);
  for (const row of answer.events) expect(row.split('\t')).toHaveLength(eventColumns.length);
  for (const row of answer.rejections) expect(row.split('\t')).toHaveLength(rejectionColumns.length);
  // UTF-8 has no lone surrogates: Buffer.from writes U+FFFD for one. In stored events that would be a change the sender never
  // sent; in rejection rows only a sender's own surrogate escape may come out so (their raw JSON keeps it escaped).
  const decoded = sent?.toString('utf8') ?? '\ufffd';
  if (!decoded.includes('\ufffd')) {
    expect(answer.events.join('\n')).not.toContain('\ufffd');
    if (!/\\u[dD][89a-fA-F]/.test(decoded)) expect(answer.rejections.join('\n')).not.toContain('\ufffd');
  }
  for (const event of answer.stored) {
    // The 4000-character limit is on the text as sent: a placeholder can be longer than what it replaces ("cvc 123" becomes
    // "cvc [cvv]"), and no limit on stored text is documented, so a longer one stands in for itself in the rest of the check.
    const long = event.type === 'transcript.segment' && event.text.length > 4_000;
    if (long) longerThanSent++;
    const again = validateEvent(long ? { ...event, text: 'x' } : event);
    expect(again.ok, JSON.stringify(again)).toBe(true);
    for (const value of Object.values(event)) {
      for (const s of [value].flat()) if (typeof s === 'string') expect(LONE_SURROGATE.test(s), JSON.stringify(s)).toBe(false);
    }
    const occurred = Date.parse(event.occurred_at);
    expect(occurred).toBeGreaterThanOrEqual(answer.before - LATE_EVENT_HORIZON_DAYS * DAY_MS);
    expect(occurred).toBeLessThanOrEqual(answer.after + FUTURE_SKEW_MS);
  }
}

// Property 2: parsing JSON with __proto__ / constructor / prototype keys must leave the prototypes alone.
const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const pristine = prototypes.map((p) => Object.getOwnPropertyDescriptors(p));
afterEach(() => expectNoPollution());
function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const changed = prototypes.flatMap((p, i) => {
    const now = Object.getOwnPropertyDescriptors(p);
    const keys = new Set([...Reflect.ownKeys(now), ...Reflect.ownKeys(pristine[i]!)]);
    return [...keys].filter((key) => {
      const [a, b] = [now[key as string], pristine[i]![key as string]];
      return a?.value !== b?.value || a?.get !== b?.get || a?.set !== b?.set;
    });
  });
  expect(changed.map(String)).toEqual([]);
}

// ---- Generators -------------------------------------------------------------------------------------------------

const awkwardChars = [
  '\ud800',
  '\udfff',
  '\udbff\u0041',
  '\u0041\udc00',
  '😀',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u200f',
  '\u202e',
  '\u2066',
  '\u061c',
  'שלום',
  'مرحبا',
  'e\u0301',
  '\u0000',
  '\t',
  '\n',
  '\r',
  '\\',
  '"',
  "'",
  '\u2028',
  '\u2029',
  '\ufffd',
];
const awkwardString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.oneof(fc.constantFrom(...awkwardChars), fc.string({ maxLength: 4 })), { maxLength: 20 }).map((parts) => parts.join('')),
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '-0',
    '9007199254740993',
    '123456789012345678901234567890',
    '0x1F',
    '١٢٣',
    '__proto__',
    'constructor',
  ),
  fc.integer({ min: 4_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
  // Surrogate pairs across where a rejected event's id (64 units) and raw text (16 KiB) are cut, at either parity.
  fc.tuple(fc.nat({ max: 70 }), fc.constantFrom(8, 8_200)).map(([n, m]) => 'x'.repeat(n) + '😀'.repeat(m)),
);
const awkwardNumber = fc.oneof(
  fc.constantFrom(1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, -0, 0, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e21, 0.1, -1, 100_001),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

const now = Date.now();
/** Instants from far past to far future, and the edges of the accepted window. */
const instant = fc.oneof(
  fc.integer({ min: now - 40 * DAY_MS, max: now + 4 * 60_000 }),
  fc.constantFrom(now - LATE_EVENT_HORIZON_DAYS * DAY_MS - 60_000, now + FUTURE_SKEW_MS + 60_000, 0, -1, -62_167_219_200_000, 253_402_300_799_999),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
);
const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, '0');
/** ISO-8601-ish text: valid, odd-but-valid offsets and precisions, and near misses (no offset, bad day, hour 24, leap second). */
const timestamp = fc.oneof(
  instant.map((ms) => new Date(ms).toISOString()),
  fc
    .record({
      ms: fc.integer({ min: now - 40 * DAY_MS, max: now }),
      offsetMin: fc.integer({ min: -18 * 60, max: 18 * 60 }),
      fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 12 }),
      form: fc.constantFrom('+HH:MM', '+HHMM', '+HH', 'Z', 'z', ''),
      sep: fc.constantFrom('T', 't', ' '),
    })
    .map(({ ms, offsetMin, fraction, form, sep }) => {
      const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19).replace('T', sep);
      const sign = offsetMin < 0 ? '-' : '+';
      const [hh, mm] = [pad(Math.trunc(offsetMin / 60), 2), pad(offsetMin % 60, 2)];
      const offset = { '+HH:MM': `${sign}${hh}:${mm}`, '+HHMM': `${sign}${hh}${mm}`, '+HH': `${sign}${hh}`, Z: 'Z', z: 'z', '': '' }[form];
      return `${local}${fraction ? `.${fraction}` : ''}${offset}`;
    }),
  fc
    .record({
      y: fc.integer({ min: 0, max: 9999 }),
      mo: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 32 }),
      h: fc.integer({ min: 0, max: 25 }),
      mi: fc.integer({ min: 0, max: 60 }),
      s: fc.integer({ min: 0, max: 61 }),
    })
    .map(({ y, mo, d, h, mi, s }) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}Z`),
  // Epochs, in seconds and in milliseconds, as numbers and as text.
  instant.chain((ms) => fc.constantFrom<unknown>(ms, Math.floor(ms / 1000), String(ms), String(Math.floor(ms / 1000)))),
);

const keys = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'hasOwnProperty', 'type', 'text', 'occurred_at', 'event_id'),
  fc.constantFrom(...new Set(eventTypes.flatMap((t) => Object.keys(eventExamples[t])))),
  fc.string({ maxLength: 10 }),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: awkwardString, weight: 3 },
  { arbitrary: awkwardNumber, weight: 2 },
  { arbitrary: timestamp, weight: 2 },
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant({ polluted: 'yes' }),
  fc.constant({ prototype: { polluted: 'yes' } }),
);

/** A valid event of any type, inside the window, with a fresh id (so redaction has text to work on, some with PII). */
const validEvent = fc
  .record({
    type: fc.constantFrom(...eventTypes),
    id: fc.uuid({ version: 4 }),
    at: fc.integer({ min: now - 40 * DAY_MS, max: now }),
    text: fc.oneof(
      fc.string({ minLength: 1, maxLength: 200 }),
      fc.constantFrom('card 4242 4242 4242 4242 exp 04/27 cvv 123', 'mail me at a.b@example.com or call +1 212 555 0123', 'ssn 123-45-6789'),
      // As much PII as 4000 characters hold: placeholders longer than what they replace.
      fc
        .tuple(
          fc.constantFrom('visa ', 'card ', ''),
          fc.constantFrom('1/27;', 'cvc 123', 'a@b.cc ', 'exp 1/27 ', '4242 4242 4242 4242 '),
          fc.integer({ min: 1, max: 4_000 }),
        )
        .map(([intro, pii, n]) => (intro + pii.repeat(Math.ceil(n / pii.length))).slice(0, 4_000)),
    ),
  })
  .map(({ type, id, at, text }) => {
    const event: Record<string, unknown> = {
      ...eventExamples[type],
      event_id: id,
      occurred_at: new Date(at).toISOString(),
      sent_at: new Date(now).toISOString(),
    };
    if (type === 'transcript.segment') event.text = text;
    return event;
  });

/** A valid event with one field replaced, removed or added. */
const mutatedEvent = fc
  .record({ event: validEvent, key: keys, value: fc.option(anyValue, { nil: undefined, freq: 6 }), timestampOnly: fc.boolean() })
  .map(({ event, key, value, timestampOnly }) => {
    const copy: Record<string, unknown> = { ...event };
    const field = timestampOnly ? 'occurred_at' : key;
    // defineProperty: a plain assignment of '__proto__' would set the prototype instead of making a field.
    if (value === undefined) delete copy[field];
    else Object.defineProperty(copy, field, { value, enumerable: true, writable: true, configurable: true });
    return copy;
  });

// Past the depth where a recursive JSON.stringify overflows the stack (about 5,000 here), well inside the 64 KiB line limit.
const nesting = fc.integer({ min: 1_000, max: 12_000 });
/** JSON text the generators above cannot make: deep nesting, duplicate keys, raw number literals, proto keys in the text. */
const deep = fc.oneof(
  nesting.map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  nesting.map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.tuple(validEvent, nesting, keys).map(([e, n, k]) => `${JSON.stringify(e).slice(0, -1)},${JSON.stringify(k)}:${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.tuple(validEvent, nesting).map(([e, n]) => JSON.stringify({ ...e, type: '§' }).replace('"§"', `${'['.repeat(n)}"x"${']'.repeat(n)}`)),
);
const rawLine = fc.oneof(
  deep,
  // Duplicate keys: the last one wins in JSON.parse, whichever of the two is the valid one.
  fc.tuple(validEvent, fc.constantFrom('type', 'event_id', 'occurred_at', 'text', 'schema_version'), anyValue, fc.boolean()).map(([e, k, v, first]) => {
    const dup = `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`;
    const text = JSON.stringify(e);
    return first ? `{${dup},${text.slice(1)}` : `${text.slice(0, -1)},${dup}}`;
  }),
  fc.tuple(validEvent, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean()).map(([e, k, first]) => {
    const evil = `${JSON.stringify(k)}:{"polluted":"yes","prototype":{"polluted":"yes"},"__proto__":{"polluted":"yes"}}`;
    const text = JSON.stringify(e);
    return first ? `{${evil},${text.slice(1)}` : `${text.slice(0, -1)},${evil}}`;
  }),
  // Number literals JSON.parse rounds: overflow to Infinity, -0, beyond 2^53, tiny.
  fc
    .tuple(validEvent, fc.constantFrom('1e400', '-1e400', '-0', '-0.0', '9007199254740993', '123456789012345678901234567890', '1e-400', '0.1e1', '4.0', '1E2'))
    .map(([e, literal]) =>
      JSON.stringify(e).replace(/("(?:wait_ms|hold_ms|talk_ms|priority|segment_index|start_ms|end_ms|turns|csat|confidence)":)[^,}]+/, `$1${literal}`),
    ),
  // Truncated and otherwise broken lines.
  fc.tuple(validEvent, fc.nat()).map(([e, cut]) => JSON.stringify(e).slice(0, cut % 200)),
  fc.string({ maxLength: 60 }),
);

const line = fc.oneof(
  { arbitrary: validEvent.map((e) => JSON.stringify(e)), weight: 3 },
  { arbitrary: mutatedEvent.map((e) => JSON.stringify(e)), weight: 5 },
  { arbitrary: rawLine, weight: 3 },
  { arbitrary: anyValue.map((v) => JSON.stringify(v) ?? ''), weight: 1 },
);
const batch = fc.array(line, { minLength: 1, maxLength: 6 });

const timeFields = new Set(['occurred_at', 'sent_at']);
const timeTypes: Record<string, () => DataType> = { ms: () => new TimestampMillisecond(), s: () => new TimestampSecond(), date: () => new DateMillisecond() };

/** One column per field, typed as a sender's Arrow writer would type it: timestamps as Arrow timestamps or text, numbers as 64-bit. */
function column(rows: Record<string, unknown>[], field: string, time: string, far: number | undefined, int64: boolean): Vector {
  const values = rows.map((r) => (Object.hasOwn(r, field) ? r[field] : null));
  if (timeFields.has(field) && time !== 'utf8') {
    const ms = values.map((v, i) => (i === 0 && far !== undefined ? far : typeof v === 'string' ? Date.parse(v) : NaN));
    // Whole units: the builders refuse fractions.
    const unit = time === 's' ? 1000 : 1;
    return vectorFromArray(
      ms.map((v) => (Number.isNaN(v) ? null : Math.trunc(v / unit) * unit)),
      timeTypes[time]!(),
    );
  }
  if (values.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))) {
    const numbers = values as (number | null)[];
    return int64 && numbers.every((v) => v === null || Number.isSafeInteger(v))
      ? vectorFromArray(
          numbers.map((v) => (v === null ? null : BigInt(v))),
          new Int64(),
        )
      : vectorFromArray(numbers, new Float64());
  }
  if (values.every((v) => v === null || (Array.isArray(v) && v.every((x) => typeof x === 'string')))) {
    return vectorFromArray(values as (string[] | null)[], new List(new Field('item', new Utf8(), true)));
  }
  return vectorFromArray(
    values.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))),
    new Utf8(),
  );
}

/** A struct column holding a whole valid transcript segment in every row (with PII, so redaction copies the event). */
function structColumn(rows: number): Vector {
  const segment: Record<string, unknown> = { ...eventExamples['transcript.segment'], event_id: '00000000-0000-4000-8000-000000000001' };
  segment.occurred_at = new Date(now).toISOString();
  segment.text = 'card 4242 4242 4242 4242';
  const type = new Struct(Object.keys(segment).map((k) => new Field(k, typeof segment[k] === 'number' ? new Float64() : new Utf8(), true)));
  return vectorFromArray(
    Array.from({ length: rows }, () => segment),
    type,
  );
}

const arrowBody = fc
  .record({
    events: fc.array(fc.oneof(validEvent, mutatedEvent), { minLength: 1, maxLength: 4 }),
    time: fc.constantFrom('utf8', 'ms', 's', 'date'),
    // One time cell anywhere a 64-bit column can put it: in the window, far past or future, beyond what Date can hold.
    far: fc.option(fc.oneof(instant, fc.double({ min: -1e22, max: 1e22, noNaN: true })), { nil: undefined }),
    int64: fc.boolean(),
    structAs: fc.option(fc.constantFrom('__proto__', 'constructor', 'payload'), { nil: undefined, freq: 4 }),
  })
  .map(({ events, time, far, int64, structAs }) => {
    const fields = [...new Set(events.flatMap((e) => Object.keys(e)))];
    // No prototype: '__proto__' and 'constructor' are column names like any other.
    const columns = Object.create(null) as Record<string, Vector>;
    for (const field of fields) columns[field] = column(events, field, time, far, int64);
    if (structAs !== undefined) columns[structAs] = structColumn(events.length);
    return Buffer.from(tableToIPC(new Table(columns), 'stream'));
  });

// ---- Properties -------------------------------------------------------------------------------------------------

describe('ingest fuzz: parse → validate → redact, as IngestService runs it', () => {
  it('NDJSON: typed answers only, nothing polluted, every stored event fits the schema', async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (lines) => {
        const body = Buffer.from(lines.join('\n'));
        const answer = await post(body, 'application/x-ndjson');
        expectTyped(answer);
        expectNoPollution();
        expectStorable(answer, body);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('JSON arrays (and single values): typed answers only, nothing polluted, every stored event fits the schema', async () => {
    const body = fc.oneof(
      batch.map((lines) => `[${lines.join(',')}]`),
      line,
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const sent = Buffer.from(text);
        const answer = await post(sent, 'application/json');
        expectTyped(answer);
        expectNoPollution();
        expectStorable(answer, sent);
      }),
      { seed: SEED + 1, numRuns: 2_000 },
    );
  });

  it('Arrow streams: typed answers only, nothing polluted, every stored event fits the schema', async () => {
    await fc.assert(
      fc.asyncProperty(arrowBody, async (body) => {
        const answer = await post(body, 'application/vnd.apache.arrow.stream');
        expectTyped(answer);
        expectNoPollution();
        expectStorable(answer);
      }),
      { seed: SEED + 2, numRuns: 1_000 },
    );
  });
});

const placeholders = ['[card]', '[cvv]', '[expiry]', '[ssn]', '[iban]', '[email]', '[phone]'];
const PLACEHOLDER = /\[(?:card|cvv|expiry|ssn|iban|email|phone)\]/;
const piiCount = (text: string) => text.match(/[\d@]/g)?.length ?? 0;

function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) {
    let sum = 0;
    const digits = body + d;
    for (let i = 0; i < digits.length; i++) {
      const v = Number(digits[digits.length - 1 - i]) * (i % 2 === 1 ? 2 : 1);
      sum += v > 9 ? v - 9 : v;
    }
    if (sum % 10 === 0) return digits;
  }
  throw new Error('unreachable');
}

/** Segment text: identifiers, near misses, the words that introduce them, and characters from other scripts and none. */
const fragment = fc.oneof(
  fc.integer({ min: 12, max: 18 }).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n }).map(luhnCheckDigit)),
  fc.constantFrom('4242 4242 4242 4242', '4242-4242-4242-4242', '378282246310005', '123-45-6789', '123 45 6789', '666-12-3456', '078-05-1120'),
  fc.constantFrom('GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'gb82west12345698765432', 'GB00 WEST 1234 5698 7654 32'),
  fc.constantFrom('a.b@example.com', 'x@y.co', '@', 'me@', '+1 212 555 0123', '(212) 555-0123', '2125550123', '555-0123', '+44 20 7946 0958'),
  fc.constantFrom('card', 'visa', 'cvv', 'cvc 123', 'security code', 'exp', 'expires 04/27', '04/27', '12/2029', '1/27', 'April 2027', 'ssn', 'my social is'),
  fc.constantFrom(...placeholders, '[card', 'card]', '[CARD]'),
  fc.integer({ min: 0, max: 10 ** 12 }).map(String),
  fc.constantFrom(...awkwardChars),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const segmentText = fc
  .array(fc.tuple(fragment, fc.constantFrom(' ', '', '-', ', ', '. ', '/', '\u200b', '\u00a0', '\n')), { maxLength: 14 })
  .map((parts) => parts.map(([f, sep]) => f + sep).join(''));

describe('ingest fuzz: redactPii keeps its documented promises', () => {
  it('is idempotent, leaves text without a digit or an @ alone, only swaps spans for placeholders, and only removes digits and @', () => {
    fc.assert(
      fc.property(segmentText, (text) => {
        cases++;
        const once = redactPii(text);
        // "redacting twice gives what redacting once gave"
        expect(redactPii(once)).toBe(once);
        // "text without a digit or an '@' returns at once"
        if (!/[\d@]/.test(text)) expect(once).toBe(text);
        // "Every change removes digits or an '@'"
        if (once !== text) expect(piiCount(once)).toBeLessThan(piiCount(text));
        // Between placeholders the text is the sender's, in order: nothing is rewritten, moved or split (surrogate pairs included).
        let from = 0;
        for (const kept of once.split(new RegExp(PLACEHOLDER, 'g'))) {
          const at = text.indexOf(kept, from);
          expect(at, JSON.stringify({ text, once, kept })).toBeGreaterThanOrEqual(0);
          from = at + kept.length;
        }
        if (!LONE_SURROGATE.test(text)) expect(LONE_SURROGATE.test(once)).toBe(false);
      }),
      { seed: SEED + 3, numRuns: 10_000 },
    );
  });
});

describe('ingest fuzz: regressions (each once failed)', () => {
  const event = (change: Record<string, unknown>) =>
    JSON.stringify({ ...eventExamples['interaction.offered'], occurred_at: new Date().toISOString(), ...change });
  const ndjson = (...lines: string[]) => post(Buffer.from(lines.join('\n')), 'application/x-ndjson');

  it('answers 207 for an event whose type is nested 10,000 deep (validateEvent printed it: stack overflow, 503)', async () => {
    const answer = await ndjson(event({}), event({ type: '§' }).replace('"§"', `${'['.repeat(10_000)}${']'.repeat(10_000)}`));
    expectTyped(answer);
    expect(answer.body).toMatchObject({ accepted: 1, rejected: 1, errors: [{ index: 1, reason: 'unknown_type' }] });
  });

  it('answers 207 for a line nested 10,000 deep (its rejection row printed it: stack overflow, 503)', async () => {
    const answer = await ndjson(`${'['.repeat(10_000)}${']'.repeat(10_000)}`, event({}));
    expectTyped(answer);
    expect(answer.body).toMatchObject({ accepted: 1, rejected: 1, errors: [{ index: 0, reason: 'not_an_object' }] });
  });

  it('refuses a lone surrogate in a field instead of storing U+FFFD in its place', async () => {
    // JSON.stringify writes them as \ud800 escapes, as a sender's JSON would.
    const sent = Buffer.from(`${event({ interaction_id: 'c-\ud800' })}\n${event({ interaction_id: 'c-\udbff' })}`);
    const answer = await post(sent, 'application/x-ndjson');
    expectStorable(answer, sent);
    expect(answer.body).toMatchObject({ accepted: 0, errors: [{ path: 'interaction_id' }, { path: 'interaction_id' }] });
  });

  it('cuts a rejected event_id and raw text between surrogate pairs, not inside one', async () => {
    // One of each pair is cut inside a surrogate pair, whatever the length of what comes before.
    const segment = (n: number) => JSON.stringify({ ...eventExamples['transcript.segment'], text: `${'x'.repeat(n)}${'😀'.repeat(9_000)}` });
    const sent = Buffer.from([event({ event_id: `${'x'.repeat(63)}😀` }), event({ event_id: `${'x'.repeat(62)}😀` }), segment(201), segment(202)].join('\n'));
    const answer = await post(sent, 'application/x-ndjson');
    expectStorable(answer, sent);
    expect(answer.rejections.join('\n')).not.toContain('\ufffd');
  });

  it('answers 400 for an Arrow timestamp no Date can hold (it threw a RangeError or TypeError: 503)', async () => {
    for (const [unit, ms] of [
      [new TimestampMillisecond(), 1e20],
      [new TimestampSecond(), 1e19],
    ] as const) {
      const answer = await post(
        Buffer.from(tableToIPC(new Table({ occurred_at: vectorFromArray([ms], unit) }), 'stream')),
        'application/vnd.apache.arrow.stream',
      );
      expectTyped(answer);
      expect(answer.body).toMatchObject({ error: 'malformed_body' });
    }
  });

  it("refuses a struct column named __proto__ as not an event (it became the row's prototype: the event passed, then broke its own row: 503)", async () => {
    const columns = Object.create(null) as Record<string, Vector>;
    columns['__proto__'] = structColumn(1);
    const answer = await post(Buffer.from(tableToIPC(new Table(columns), 'stream')), 'application/vnd.apache.arrow.stream');
    expectTyped(answer);
    expect(answer.body).toMatchObject({ accepted: 0, rejected: 1, errors: [{ reason: 'unknown_type' }] });
  });
});
