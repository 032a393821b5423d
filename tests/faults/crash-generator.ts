/**
 * The crash test's client (R1, R2), a process of its own so that killing the host kills nothing of it. It sends the
 * first `events` events of the seeded simulation in batches with Idempotency-Keys at a fixed rate; once a batch is
 * acknowledged (2xx) its event ids go to the ledger, fsynced, before anything else happens — the ledger is what the
 * harness holds the host to. A batch not acknowledged (connection refused or reset, 429, 503) is sent again with the
 * same key and bytes until it is. Meanwhile a duplicate storm replays acknowledged batches: 1–3 more times each, with
 * their own keys, concurrently and out of order, some long after (past restarts and ClickHouse's deduplication window),
 * and a few under new keys, as a client that lost its key would. The last line of stdout is a JSON summary.
 */
import { spawn } from 'node:child_process';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createSeededRandom } from '@switchboard/planning';
import { demoCenter, simulate } from '@switchboard/simulator';

export const GeneratorConfig = z.object({
  url: z.string(),
  apiKey: z.string(),
  events: z.number().int().positive(),
  batch: z.number().int().positive(),
  /** Events a second the batches are started at (a batch waits for its slot). */
  rate: z.number().positive(),
  concurrency: z.number().int().positive(),
  ledger: z.string(),
  seed: z.number().int(),
  /** The simulation's window (epoch ms): the harness simulates the same one to know what was sent. */
  start: z.number(),
  end: z.number(),
  /** Share of acknowledged batches replayed 1–3 times under their own key. */
  replayShare: z.number().min(0).max(1),
  /** Share of acknowledged batches sent once more under a fresh key. */
  rekeyShare: z.number().min(0).max(1),
});
export type GeneratorConfig = z.infer<typeof GeneratorConfig>;

export const GeneratorSummary = z.object({
  batches: z.number(),
  acknowledged_events: z.number(),
  requests: z.number(),
  resends: z.number(),
  replays: z.number(),
  /** Replays under the batch's own key that were not answered as replays of it (must be 0). */
  replays_not_recognised: z.number(),
  /** The batches sent once more under a fresh key: stored twice raw, by design, so every reader must count them once. */
  rekeyed: z.array(z.number()),
  /** Answer statuses, connection errors as "connection". */
  statuses: z.record(z.string(), z.number()),
  /** Answers other than 2xx, 429 or 503 with Retry-After, and connection errors: each a failure of the host. */
  unexpected: z.array(z.string()),
  duration_ms: z.number(),
});
export type GeneratorSummary = z.infer<typeof GeneratorSummary>;

/** The events the generator sends: the harness calls it with the same config to know them. */
export function generatorEvents(config: Pick<GeneratorConfig, 'seed' | 'start' | 'end' | 'events'>) {
  const events = [];
  for (const e of simulate({ config: demoCenter, seed: config.seed, start: config.start, end: config.end })) {
    events.push(e);
    if (events.length === config.events) break;
  }
  if (events.length < config.events) throw new Error(`the window holds ${events.length} events, fewer than the ${config.events} asked for`);
  return events;
}

/** Ledger lines: `<batch>\t<acknowledged at, epoch ms>\t<event ids, comma-separated>`. */
export function parseLedger(text: string): { batch: number; at: number; ids: string[] }[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [batch, at, ids] = line.split('\t');
      return { batch: Number(batch), at: Number(at), ids: ids!.split(',') };
    });
}

/** The ledger as written so far ([] before the generator made it). */
export function readLedger(file: string): ReturnType<typeof parseLedger> {
  try {
    return parseLedger(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/** Starts the generator as a process of its own (a harness's side): its exit code, and its output so far. */
export function spawnGenerator(config: GeneratorConfig, cwd: string): { exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'crash-generator.ts'), JSON.stringify(config)], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return { exited: new Promise((resolve) => child.on('exit', resolve)), output: () => output };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(config: GeneratorConfig): Promise<GeneratorSummary> {
  const random = createSeededRandom(config.seed);
  const events = generatorEvents(config);
  const batches = Array.from({ length: Math.ceil(events.length / config.batch) }, (_, b) => {
    const slice = events.slice(b * config.batch, (b + 1) * config.batch);
    return { key: `crash-${config.seed}-${b}`, body: slice.map((e) => JSON.stringify(e)).join('\n') + '\n', ids: slice.map((e) => e.event_id) };
  });
  const summary: GeneratorSummary = {
    batches: batches.length,
    acknowledged_events: 0,
    requests: 0,
    resends: 0,
    replays: 0,
    replays_not_recognised: 0,
    rekeyed: [],
    statuses: {},
    unexpected: [],
    duration_ms: 0,
  };
  const count = (status: string) => (summary.statuses[status] = (summary.statuses[status] ?? 0) + 1);
  const ledger = openSync(config.ledger, 'a');

  /** Sends until the host gives an answer that is not "come back later"; returns it. */
  const deliver = async (key: string, body: string): Promise<{ status: number; json: { accepted?: number; replayed?: boolean } }> => {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) summary.resends++;
      summary.requests++;
      try {
        const res = await fetch(`${config.url}/api/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${config.apiKey}`, 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        count(String(res.status));
        if (res.status === 429 || res.status === 503) {
          if (!res.headers.get('retry-after')) summary.unexpected.push(`${res.status} without Retry-After`);
          await sleep(100);
          continue;
        }
        if (res.status !== 200) summary.unexpected.push(`${res.status}: ${text.slice(0, 200)}`);
        return { status: res.status, json: JSON.parse(text) as { accepted?: number; replayed?: boolean } };
      } catch (error) {
        // The host is down (refused) or died with the request in flight (reset): the same batch again. A timeout is
        // a hang, which the host must not do.
        if ((error as Error).name === 'TimeoutError') summary.unexpected.push('request hung past 60 s');
        count('connection');
        await sleep(50);
      }
    }
  };

  const replays: Promise<void>[] = [];
  const replay = (b: number) => {
    const batch = batches[b]!;
    const times = 1 + Math.floor(random() * 3);
    for (let i = 0; i < times; i++) {
      // Some right away (concurrently with the original's neighbours), some much later, in any order.
      const delay = random() < 0.5 ? random() * 200 : (random() * (batches.length * config.batch * 1000)) / config.rate;
      replays.push(
        sleep(delay).then(async () => {
          summary.replays++;
          const answer = await deliver(batch.key, batch.body);
          if (answer.status !== 200 || answer.json.replayed !== true || answer.json.accepted !== batch.ids.length) summary.replays_not_recognised++;
        }),
      );
    }
  };
  const rekey = (b: number) => {
    const batch = batches[b]!;
    replays.push(
      sleep(random() * 1000).then(async () => {
        summary.rekeyed.push(b);
        await deliver(`${batch.key}-again`, batch.body);
      }),
    );
  };

  const started = Date.now();
  let next = 0;
  const sender = async () => {
    while (next < batches.length) {
      const b = next++;
      const batch = batches[b]!;
      // A fixed rate: batch b starts no earlier than its slot.
      const slot = started + (b * batch.ids.length * 1000) / config.rate;
      if (slot > Date.now()) await sleep(slot - Date.now());
      const answer = await deliver(batch.key, batch.body);
      if (answer.status !== 200) continue;
      // Acknowledged: on disk before anything else may happen (this process is not killed, but the ledger is the record).
      writeSync(ledger, `${b}\t${Date.now()}\t${batch.ids.join(',')}\n`);
      fsyncSync(ledger);
      summary.acknowledged_events += answer.json.accepted ?? 0;
      if (random() < config.replayShare) replay(b);
      if (random() < config.rekeyShare) rekey(b);
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, sender));
  await Promise.all(replays);
  closeSync(ledger);
  summary.duration_ms = Date.now() - started;
  return summary;
}

if (import.meta.filename === process.argv[1]) {
  main(GeneratorConfig.parse(JSON.parse(process.argv[2]!))).then(
    (summary) => console.log(JSON.stringify(summary)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
