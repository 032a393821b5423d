import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { validateEvent, type IngestResult } from '@switchboard/contracts';

interface ReceivedRequest {
  key: string | undefined;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** Decides the answer to one request; the default stores every valid event. */
export type Responder = (request: ReceivedRequest, index: number) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/**
 * A stand-in for `POST /api/v1/events` in the CLI's tests: validates NDJSON events with
 * the contracts, honours Idempotency-Key like ingest does, and lets a test script failures.
 */
export async function startFakeIngest(responder: Responder = () => undefined) {
  const requests: ReceivedRequest[] = [];
  const stored = new Map<string, { hash: string; result: IngestResult }>();
  const events: unknown[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { key: req.headers['idempotency-key'] as string | undefined, headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(request);
      const scripted = responder(request, requests.length - 1);
      if (scripted) {
        res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
        res.end(JSON.stringify(scripted.body ?? {}));
        return;
      }
      const hash = request.body.toString('base64');
      const known = request.key ? stored.get(request.key) : undefined;
      if (known) {
        res.writeHead(known.hash === hash ? 200 : 422, { 'content-type': 'application/json' });
        res.end(JSON.stringify(known.hash === hash ? { ...known.result, replayed: true } : { error: 'idempotency_key_reused', message: 'different body' }));
        return;
      }
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(request.body) : request.body).toString();
      const result: IngestResult = { accepted: 0, rejected: 0, replayed: false, errors: [] };
      text
        .split('\n')
        .filter((line) => line.length > 0)
        .forEach((line, index) => {
          const checked = validateEvent(JSON.parse(line));
          if (checked.ok) {
            result.accepted++;
            events.push(checked.event);
          } else {
            result.rejected++;
            result.errors.push({ index, reason: checked.reason, message: checked.message });
          }
        });
      if (request.key) stored.set(request.key, { hash, result });
      res.writeHead(result.rejected > 0 ? 207 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    events,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
