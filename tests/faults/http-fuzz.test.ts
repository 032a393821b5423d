import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Bool, Field, Float64, Int32, List, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { quantile } from 'simple-statistics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestResult, type TelemetryEvent } from '@switchboard/contracts';
import { IngestService } from '@switchboard/ingest';
import { createSeededRandom } from '@switchboard/planning';
import type { TelemetryStore } from '@switchboard/telemetry';
import { ndjson, sampleInteraction } from '../support/events.ts';
import { byTier, recordFaultFigures } from '../support/faults.ts';
import { repoRoot, tempDataDir } from '../support/host.ts';
import { freePort, spawnHost, stopHost, waitReady, type SpawnedHost } from '../support/spawn-host.ts';

/**
 * HTTP-level fuzzing of POST /api/v1/events on the real host process, over raw sockets where fetch cannot say it:
 * truncated bodies, Content-Length against the body, chunked with Content-Length, broken chunked encoding, slowloris,
 * invalid UTF-8, the body size limit and one byte more, a 1 MB field, 10,000-event batches and corrupted Arrow streams.
 * Meanwhile a well-formed stream (small batches, one at a time) measures its acknowledgement latency, first alone, then
 * under the fuzz. Asserted: never a 5xx, the host never exits, its RSS stays under RSS_CAP_MB, every well-formed batch
 * is acknowledged, nothing hangs (the slow connections must be cut off by the host itself). Latency is recorded only.
 */
let dataDir = '';
let host: SpawnedHost;
let apiKey = '';
let port = 0;

/** packages/ingest service.ts's defaults, which the host uses. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const MAX_EVENT_BYTES = 64 * 1024;
/** The host idles near 1 GB (chDB, PGlite, Node); a 32 MB body, gunzip to 128 MB and two Arrow threads of 512 MB heap each fit. */
const RSS_CAP_MB = 3_072;
/** A request or connection unanswered for this long hangs: counted as "timeout", which fails the test. */
const HANG_MS = 30_000;
/** The host cuts slow senders off after 20 s (headers, idle) or 10 s plus their bytes at 1 KB/s (bodies); still open after this, it did not. */
const SLOW_HANG_MS = 60_000;
const SLOWLORIS = { headers: byTier(20, 60), body: byTier(20, 60), idle: byTier(10, 30) };
const CORRUPT_ARROW = byTier(150, 2_000);
const BIG_BATCHES = byTier(1, 5);
const BASELINE_MS = byTier(15_000, 60_000);
const random = createSeededRandom(20_260_117);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const recentEvents = (interactions: number): TelemetryEvent[] =>
  Array.from({ length: interactions }, (_, i) => sampleInteraction(new Date(Date.now() - 3_600_000 + i))).flat();

/** One Arrow column per field any event has, typed by its values (as bench/ingest.ts sends them). */
function toArrow(events: readonly unknown[]): Buffer {
  const rows = events as Record<string, unknown>[];
  const columns: Record<string, Vector> = {};
  for (const field of new Set(rows.flatMap((e) => Object.keys(e)))) {
    const values = rows.map((e) => e[field] ?? null);
    const sample = values.find((v) => v !== null);
    const type =
      typeof sample === 'string'
        ? new Utf8()
        : typeof sample === 'boolean'
          ? new Bool()
          : Array.isArray(sample)
            ? new List(new Field('item', new Utf8(), true))
            : values.every((v) => v === null || Number.isInteger(v))
              ? new Int32()
              : new Float64();
    columns[field] = vectorFromArray(values, type);
  }
  return Buffer.from(tableToIPC(new Table(columns), 'stream'));
}

// ---- What came back ---------------------------------------------------------------------------------------------

const table: Record<string, Record<string, number>> = {};
let cases = 0;
function tally(name: string, statuses: readonly string[]): void {
  cases++;
  const row = (table[name] ??= {});
  for (const status of statuses) row[status] = (row[status] ?? 0) + 1;
}
const fiveXx = () => Object.values(table).reduce((n, row) => n + Object.entries(row).reduce((m, [s, c]) => m + (s.startsWith('5') ? c : 0), 0), 0);

interface Step {
  write?: string | Buffer;
  waitMs?: number;
  /** Half-close: the request ends here. */
  end?: true;
  /** Reset: the connection goes. */
  destroy?: true;
}

/**
 * One connection: the steps in order, then whatever the host answers until it closes the connection. Returns each
 * answer's status, or "closed" (no answer), "reset", "timeout" (still open after `guardMs`).
 */
function converse(steps: readonly Step[], guardMs = HANG_MS): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let failure: string | undefined;
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]!);
      if (timedOut) statuses.push('timeout');
      resolve(statuses.length > 0 ? statuses : [failure ?? 'closed']);
    };
    const guard = setTimeout(() => {
      socket.destroy();
      finish(true);
    }, guardMs);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => (failure = error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : (error.code ?? 'error')));
    socket.on('close', () => finish(false));
    void (async () => {
      for (const step of steps) {
        if (socket.destroyed) return;
        if (step.waitMs) await sleep(step.waitMs);
        if (step.write !== undefined) socket.write(step.write);
        if (step.end) socket.end();
        if (step.destroy) socket.destroy();
      }
    })();
  });
}

/** A slow sender: `prefix` at once, then `trickle` one byte a second until the host closes the connection. */
function slowloris(prefix: string, trickle: string): Promise<string[]> {
  const steps: Step[] = [{ write: prefix }];
  for (const byte of trickle) steps.push({ waitMs: 1_000, write: byte });
  return converse(steps, SLOW_HANG_MS);
}

function head(headers: Record<string, string | number>, contentType = 'application/x-ndjson'): string {
  const all: Record<string, string | number> = {
    host: `127.0.0.1:${port}`,
    authorization: `Bearer ${apiKey}`,
    'content-type': contentType,
    connection: 'close',
    ...headers,
  };
  return `POST /api/v1/events HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

const chunked = (...parts: string[]) => parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('') + '0\r\n\r\n';

/** fetch, for the cases it can send: the status, or what broke. */
async function send(body: string | Buffer, contentType: string, headers: Record<string, string> = {}): Promise<string[]> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': contentType, ...headers },
      body,
      signal: AbortSignal.timeout(HANG_MS),
    });
    await res.arrayBuffer();
    return [String(res.status)];
  } catch (error) {
    return [(error as Error).name === 'TimeoutError' ? 'timeout' : 'reset'];
  }
}

// ---- The well-formed stream -------------------------------------------------------------------------------------

const stream = { latencies: [] as number[], batches: 0, acknowledged: 0, retries: 0, failures: [] as string[] };

/** Small valid batches, one at a time with an Idempotency-Key, until `until` says stop; their latencies. */
async function wellFormed(until: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!until()) {
    const events = recentEvents(2);
    const body = ndjson(events);
    const key = randomUUID();
    const started = performance.now();
    stream.batches++;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/x-ndjson', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(HANG_MS),
        });
        const text = await res.text();
        if (res.status === 200 && IngestResult.parse(JSON.parse(text)).accepted === events.length) stream.acknowledged++;
        else stream.failures.push(`${res.status} ${text.slice(0, 200)}`);
        break;
      } catch (error) {
        // A kept-alive connection the host closed just as it was reused: sent again with the same key, as a client would.
        if ((error as Error).name === 'TimeoutError' || attempt >= 2) {
          stream.failures.push(`${(error as Error).name}: ${(error as Error).message}`);
          break;
        }
        stream.retries++;
      }
    }
    latencies.push(performance.now() - started);
  }
  return latencies;
}

// ---- Host watching ----------------------------------------------------------------------------------------------

let maxRssMb = 0;
function sampleRss(): void {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${host.child.pid}/status`, 'utf8'))?.[1];
    if (kb) maxRssMb = Math.max(maxRssMb, Number(kb) / 1024);
  } catch {
    // The process is gone: the exit check reports it.
  }
}

describe('HTTP fuzz of POST /api/v1/events on the host process', () => {
  beforeAll(async () => {
    dataDir = tempDataDir('http-fuzz');
    port = await freePort();
    host = spawnHost(dataDir, port);
    await waitReady(host);
    apiKey = readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim();
  });
  afterAll(async () => {
    if (host) await stopHost(host);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('never answers 5xx, never exits, keeps its RSS bounded and its well-formed stream acknowledged; cuts slow senders off', async () => {
    const rssTimer = setInterval(sampleRss, 250);
    let exited: number | string | undefined;
    void host.exited.then((code) => (exited = code));

    // Body-level cases, built before the measurement starts: built during it, the 200 MB gzip and the 10,000-event batches
    // held this process's event loop, and the well-formed stream counted the client's stall as the host's latency.
    const bodyCases: [string, () => Promise<string[]>][] = [];
    const sends = (name: string, payload: string | Buffer, contentType: string, headers?: Record<string, string>) =>
      bodyCases.push([name, () => send(payload, contentType, headers)]);
    const event = () => recentEvents(1)[0]!;
    const bytes = (text: string) => Buffer.from(text, 'latin1');
    const invalidUtf8 = ['\xff', '\xc3\x28', '\x80', '\xc0\xaf', '\xed\xa0\x80', '\xf4\x90\x80\x80', '\xf0\x9f\x98'];
    for (const seq of invalidUtf8) {
      const inString = JSON.stringify({ ...event(), queue_id: 'q-§' }).replace('§', '\u0000');
      const [before, after] = inString.split('\u0000') as [string, string];
      const line = Buffer.concat([Buffer.from(before), bytes(seq), Buffer.from(after)]);
      const bare = Buffer.concat([Buffer.from(JSON.stringify(event()).slice(0, -1) + ',"x":'), bytes(seq), Buffer.from('}')]);
      sends('invalid_utf8_ndjson', Buffer.concat([line, Buffer.from('\n'), bare, Buffer.from(`\n${ndjson([event()])}`)]), 'application/x-ndjson');
      sends('invalid_utf8_json', Buffer.concat([Buffer.from('['), line, Buffer.from(`,${JSON.stringify(event())}]`)]), 'application/json');
      sends('invalid_utf8_json', Buffer.concat([Buffer.from('['), bare, Buffer.from(']')]), 'application/json');
    }

    // The size limit: exactly at it (padding lines of blanks, which are skipped) and one byte over.
    const atLimit = (extra: number) => {
      const lead = Buffer.from(ndjson(recentEvents(1)));
      const pad = Buffer.alloc(MAX_BODY_BYTES - lead.length + extra, ' ');
      for (let i = MAX_EVENT_BYTES - 1; i < pad.length; i += MAX_EVENT_BYTES) pad[i] = 10;
      return Buffer.concat([lead, pad]);
    };
    sends('limit_exact', atLimit(0), 'application/x-ndjson');
    sends('limit_plus_one', atLimit(1), 'application/x-ndjson');
    const over = atLimit(1);
    bodyCases.push([
      'limit_plus_one_chunked',
      () => converse([{ write: head({ 'transfer-encoding': 'chunked' }) + `${over.length.toString(16)}\r\n` }, { write: over }, { write: '\r\n0\r\n\r\n' }]),
    ]);
    sends('gzip_bomb', gzipSync(Buffer.alloc(200 * 1024 * 1024, ' ')), 'application/x-ndjson', { 'content-encoding': 'gzip' });

    // A 1 MB string in one field.
    const mb = 'm'.repeat(1024 * 1024);
    const hugeField = [{ ...event(), queue_id: mb }, event()];
    sends('string_1mb_ndjson', ndjson(hugeField), 'application/x-ndjson');
    sends('string_1mb_json', JSON.stringify(hugeField), 'application/json');
    sends('string_1mb_arrow', toArrow(hugeField), 'application/vnd.apache.arrow.stream');

    // 10,000-event batches in each format.
    for (let i = 0; i < BIG_BATCHES; i++) {
      const big = () => recentEvents(2_500);
      sends('batch_10k_ndjson', ndjson(big()), 'application/x-ndjson');
      sends('batch_10k_json', JSON.stringify(big()), 'application/json');
      sends('batch_10k_arrow', toArrow(big()), 'application/vnd.apache.arrow.stream');
    }

    // Arrow streams with a few random bytes changed; the first one once took the host's heap to 4 GB and the process down.
    sends('arrow_corrupt', readFileSync(path.join(repoRoot, 'tests/fixtures/arrow-corrupt-heap.arrow')), 'application/vnd.apache.arrow.stream');
    const arrowBase = toArrow(recentEvents(3));
    for (let i = 0; i < CORRUPT_ARROW; i++) {
      const corrupt = Buffer.from(arrowBase);
      const changes = 1 + Math.floor(random() * 8);
      // Mostly in the schema, where the lengths apache-arrow trusts are.
      for (let c = 0; c < changes; c++) corrupt[Math.floor(random() * (random() < 0.7 ? 3_000 : corrupt.length))] = Math.floor(random() * 256);
      sends('arrow_corrupt', corrupt, 'application/vnd.apache.arrow.stream');
    }

    // Baseline: the well-formed stream alone.
    const baselineEnd = Date.now() + BASELINE_MS;
    const baseline = await wellFormed(() => Date.now() > baselineEnd);

    let fuzzing = true;
    const underFuzz = wellFormed(() => !fuzzing);
    const started = performance.now();

    const body = ndjson(recentEvents(3));
    const len = Buffer.byteLength(body);
    const half = body.slice(0, Math.floor(body.length / 2));

    // The slow senders, all at once, for as long as the host lets them.
    const slow = Promise.all([
      ...Array.from({ length: SLOWLORIS.headers }, () =>
        slowloris('', head({ 'content-length': len, 'x-padding': 'p'.repeat(200) }) + body).then((s) => tally('slowloris_headers', s)),
      ),
      ...Array.from({ length: SLOWLORIS.body }, () =>
        slowloris(head({ 'content-length': 10_000 }), body.repeat(10_000 / len + 1)).then((s) => tally('slowloris_body', s)),
      ),
      ...Array.from({ length: SLOWLORIS.idle }, () => converse([], SLOW_HANG_MS).then((s) => tally('slowloris_idle', s))),
    ]);

    // Connection-level cases.
    const framing: [string, () => Promise<string[]>][] = [
      ['truncated_half_close', () => converse([{ write: head({ 'content-length': len }) + half, end: true }])],
      ['truncated_reset', () => converse([{ write: head({ 'content-length': len }) + half }, { waitMs: 100, destroy: true }])],
      [
        'truncated_chunked',
        () => converse([{ write: head({ 'transfer-encoding': 'chunked' }) + `${len.toString(16)}\r\n${half}` }, { waitMs: 100, end: true }]),
      ],
      // The rest of the declared body never comes: the host's minimum body rate ends it.
      ['content_length_larger', () => converse([{ write: head({ 'content-length': len + 100 }) + body }])],
      // The surplus is read as the next request, which is not HTTP.
      ['content_length_smaller', () => converse([{ write: head({ 'content-length': len - 10, connection: 'keep-alive' }) + body }])],
      ['content_length_invalid', () => converse([{ write: head({ 'content-length': '12abc' }) + body }])],
      [
        'content_length_twice',
        () => converse([{ write: head({ 'content-length': len }).replace('\r\n\r\n', `\r\ncontent-length: ${len + 1}\r\n\r\n`) + body }]),
      ],
      ['chunked_with_content_length', () => converse([{ write: head({ 'transfer-encoding': 'chunked', 'content-length': len }) + chunked(body) }])],
      ['chunked_valid', () => converse([{ write: head({ 'transfer-encoding': 'chunked' }) + chunked(half, body.slice(half.length)) }])],
      ['chunked_bad_size', () => converse([{ write: head({ 'transfer-encoding': 'chunked' }) + `zz\r\n${body}\r\n0\r\n\r\n` }])],
      ['chunked_size_mismatch', () => converse([{ write: head({ 'transfer-encoding': 'chunked' }) + `${(len + 50).toString(16)}\r\n${body}\r\n0\r\n\r\n` }])],
      ['chunked_missing_crlf', () => converse([{ write: head({ 'transfer-encoding': 'chunked' }) + `${len.toString(16)}\r\n${body}0\r\n\r\n` }])],
      ['chunked_huge_size', () => converse([{ write: head({ 'transfer-encoding': 'chunked' }) + `ffffffffffffffff\r\n${body}\r\n0\r\n\r\n` }])],
      [
        'chunked_extension_junk',
        () => converse([{ write: head({ 'transfer-encoding': 'chunked' }) + `${len.toString(16)};\u0001\u0002=\r\n${body}\r\n0\r\n\r\n` }]),
      ],
      ['transfer_encoding_unknown', () => converse([{ write: head({ 'transfer-encoding': 'gzip, chunked, identity' }) + chunked(body) }])],
      ['header_too_large', () => converse([{ write: head({ 'content-length': len, 'x-big': 'h'.repeat(20_000) }) + body }])],
      ['pipelined', () => converse([{ write: head({ 'content-length': len, connection: 'keep-alive' }) + body + head({ 'content-length': len }) + body }])],
    ];
    // Each case a few times, all at once (several wait out the host's 10 s body grace).
    const framingDone = Promise.all(Array.from({ length: byTier(4, 20) }, () => framing.map(async ([name, attempt]) => tally(name, await attempt()))).flat());

    // The body-level cases one at a time (the Arrow ones through the prepare threads, which must not be saturated here).
    for (const [name, attempt] of bodyCases) tally(name, await attempt());

    await framingDone;
    await slow;
    const fuzzSeconds = (performance.now() - started) / 1000;
    fuzzing = false;
    const during = await underFuzz;
    clearInterval(rssTimer);
    sampleRss();

    const p99 = (values: number[]) => Math.round(quantile(values, 0.99) * 10) / 10;
    const figures = {
      fuzz_cases: cases,
      fuzz_5xx: fiveXx(),
      fuzz_table: table,
      extra: {
        well_formed_p99_baseline_ms: p99(baseline),
        well_formed_p99_under_fuzz_ms: p99(during),
        well_formed_batches: stream.batches,
        well_formed_retries: stream.retries,
        max_rss_mb: Math.round(maxRssMb),
        rss_cap_mb: RSS_CAP_MB,
        fuzz_seconds: Math.round(fuzzSeconds),
      },
    };
    console.log(`http fuzz: ${JSON.stringify(figures)}`);

    expect(exited, host.output().slice(-4_000)).toBeUndefined();
    expect(figures.fuzz_5xx, JSON.stringify(table) + host.output().slice(-6_000)).toBe(0);
    for (const [name, row] of Object.entries(table)) expect(Object.keys(row), name).not.toContain('timeout');
    expect(stream.failures).toEqual([]);
    expect(stream.acknowledged).toBe(stream.batches);
    expect(maxRssMb).toBeLessThan(RSS_CAP_MB);
    // Each case got the answer its kind calls for (the slow senders: cut off by the host, with 408 or a closed connection).
    const only = (name: string, allowed: string[]) =>
      expect(
        Object.keys(table[name] ?? { missing: 1 }).filter((s) => !allowed.includes(s)),
        name,
      ).toEqual([]);
    for (const name of ['slowloris_headers', 'slowloris_body', 'slowloris_idle']) only(name, ['408', 'closed', 'reset']);
    only('content_length_larger', ['408']);
    only('chunked_with_content_length', ['400']);
    only('chunked_valid', ['200']);
    only('pipelined', ['200']);
    only('header_too_large', ['431']);
    only('limit_exact', ['200']);
    only('limit_plus_one', ['413']);
    only('limit_plus_one_chunked', ['413']);
    only('gzip_bomb', ['413']);
    only('string_1mb_ndjson', ['413']);
    for (const format of ['ndjson', 'json', 'arrow']) only(`batch_10k_${format}`, ['200']);
    only('arrow_corrupt', ['200', '207', '400', '413']);
    // A connection the sender broke is not logged as the host's failure.
    expect(host.output()).not.toMatch(/unexpected/);
    recordFaultFigures('http-fuzz', figures);
  }, 600_000);
});

describe('Arrow streams prepared off the event loop', () => {
  // A store that keeps nothing: these bodies never get as far as a write.
  const store = { kind: 'chdb', client: undefined, insertTsv: async () => {}, close: async () => {} } as unknown as TelemetryStore;
  const corrupt = readFileSync(path.join(repoRoot, 'tests/fixtures/arrow-corrupt-heap.arrow'));

  async function post(ingest: IngestService, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: unknown }> {
    const req = Object.assign(Readable.from([body]), {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'application/vnd.apache.arrow.stream' },
    });
    const answer = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
    const res = {
      writeHead: (status: number, headers: Record<string, string>) => Object.assign(answer, { status, headers }),
      end: (text: string) => (answer.body = JSON.parse(text)),
    };
    await ingest.handle(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    return answer;
  }

  it('answers 400 for the corrupted stream that took the heap to 4 GB and the host down (decoded in the event loop)', async () => {
    const ingest = new IngestService({ store, authenticate: async () => ({ tenantId: 't' }) });
    try {
      const answer = await post(ingest, corrupt);
      expect(answer).toMatchObject({ status: 400, body: { error: 'malformed_body' } });
      // The prepare threads are still there for a valid stream.
      expect(await post(ingest, toArrow(recentEvents(2)))).toMatchObject({ status: 200, body: { accepted: 8 } });
    } finally {
      await ingest.pool.close();
    }
  }, 60_000);

  it('answers 429 with Retry-After while every prepare thread and queue place is taken, and 400 to the bodies it stopped', async () => {
    const ingest = new IngestService({ store, authenticate: async () => ({ tenantId: 't' }), prepare: { threads: 1, queue: 1 } });
    try {
      // A valid stream first, so the thread is running: one corrupted body decodes, one waits, the third is refused.
      expect(await post(ingest, toArrow(recentEvents(1)))).toMatchObject({ status: 200 });
      const answers = await Promise.all([post(ingest, corrupt), post(ingest, corrupt), post(ingest, corrupt)]);
      expect(answers.map((a) => a.status).sort()).toEqual([400, 400, 429]);
      expect(answers.find((a) => a.status === 429)).toMatchObject({ headers: { 'retry-after': '1' }, body: { error: 'overloaded' } });
      expect(await post(ingest, toArrow(recentEvents(1)))).toMatchObject({ status: 200, body: { accepted: 4 } });
    } finally {
      await ingest.pool.close();
    }
  }, 60_000);
});
