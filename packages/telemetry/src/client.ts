import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions, type ClickHouseSettings } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

type TelemetryKind = 'chdb' | 'server';

export interface TelemetryStore {
  kind: TelemetryKind;
  client: ClickHouseClient;
  /** Insert rows already encoded as TabSeparated: the fastest path on both engines. */
  insertTsv(params: { table: string; columns: readonly string[]; body: Buffer; settings?: ClickHouseSettings }): Promise<void>;
  close(): Promise<void>;
}

export interface TelemetryOptions {
  /** A ClickHouse server (`http://user:pass@host:8123/db`); embedded chDB when absent. */
  url?: string | undefined;
  /** Root data directory for embedded mode; chDB keeps its files in `<dataDir>/clickhouse`. */
  dataDir: string;
}

// 64-bit integers come back as strings, as a ClickHouse server sends them, so one zod
// schema parses rows from either engine.
const readSettings: ClickHouseSettings = { output_format_json_quote_64bit_integers: 1 };

const insertSettings: ClickHouseSettings = {
  date_time_input_format: 'best_effort',
  input_format_parallel_parsing: 1,
  // The rollup views dominate the fixed cost of an insert; running them side by side
  // cuts a 6,000-row insert from ~127 to ~83 ms here (bench/ingest.ts measures the rest).
  parallel_view_processing: 1,
  // Don't collapse each block as a merge would (ReplacingMergeTree, AggregatingMergeTree):
  // it only catches duplicates within one flush, so readers dedup or aggregate anyway
  // (uniqExact, FINAL, sum … GROUP BY). ~4% off a 6,000-row insert with its views.
  optimize_on_insert: 0,
};

interface ChdbRawInsert {
  chdb: {
    rawInsert(params: {
      table: string;
      columns: readonly string[];
      values: Buffer;
      format: 'TabSeparated';
      settings?: Record<string, string | number | boolean>;
    }): Promise<unknown>;
  };
}

/** Settings of the wallboard's reads: ClickHouse's `priority` (1 is the most urgent) puts them before reports. */
export const liveRead: ClickHouseSettings = { priority: '1' };

type Connection = NonNullable<ClickHouseClientConfigOptions['connection']>;

/** Past this wait a query goes first whatever its priority: the wallboard's reads cannot starve a report. */
const MAX_PRIORITY_WAIT_MS = 200;

/**
 * chdb binds query parameters process-wide, so it runs bound queries one at a time, in the
 * order they arrive. They wait here instead, ordered by ClickHouse's `priority` setting
 * (1 first, unset last, arrival order within a level): a wallboard read then waits for at
 * most one running query, not behind every report queued before it. Strict priorities
 * would starve the rest while the wallboards keep the engine busy, so a query that has
 * waited MAX_PRIORITY_WAIT_MS counts as most urgent. A server schedules priorities
 * itself; the setting is not passed on to chdb, whose session would keep it.
 */
function scheduleBoundQueries(connection: Connection): Connection {
  const waiting: { rank: number; order: number; queuedAt: number; start: () => Promise<unknown> }[] = [];
  let running = false;
  let order = 0;
  const startNext = () => {
    running = waiting.length > 0;
    if (!running) return;
    const now = performance.now();
    const rank = (w: (typeof waiting)[number]) => (now - w.queuedAt >= MAX_PRIORITY_WAIT_MS ? 0 : w.rank);
    let best = 0;
    for (let i = 1; i < waiting.length; i++) {
      const w = waiting[i]!;
      const b = waiting[best]!;
      if (rank(w) < rank(b) || (rank(w) === rank(b) && w.order < b.order)) best = i;
    }
    const [next] = waiting.splice(best, 1);
    void next!.start().finally(startNext);
  };
  const scheduled =
    <P extends { query_params?: Record<string, unknown>; clickhouse_settings?: ClickHouseSettings }, R>(call: (params: P) => Promise<R>) =>
    (params: P): Promise<R> => {
      const { priority, ...settings } = params.clickhouse_settings ?? {};
      const bound = { ...params, clickhouse_settings: settings };
      if (Object.keys(params.query_params ?? {}).length === 0) return call(bound);
      return new Promise<R>((resolve, reject) => {
        const start = async () => {
          try {
            resolve(await call(bound));
          } catch (error) {
            reject(error as Error);
          }
        };
        waiting.push({ rank: Number(priority) || Infinity, order: order++, queuedAt: performance.now(), start });
        if (!running) startNext();
      });
    };
  return {
    query: scheduled((p) => connection.query(p)),
    exec: scheduled((p) => connection.exec(p)),
    command: scheduled((p) => connection.command(p)),
    insert: scheduled((p) => connection.insert(p)),
    ping: (p) => connection.ping(p),
    close: () => connection.close(),
  };
}

/**
 * One factory for both ways to run: embedded chDB under `<dataDir>/clickhouse`, or a
 * ClickHouse server when `url` is set. Everything else talks to the returned client.
 */
export function createTelemetryStore(options: TelemetryOptions): TelemetryStore {
  if (options.url) {
    const client = createClient({ url: options.url, clickhouse_settings: readSettings, request_timeout: 60_000 });
    return {
      kind: 'server',
      client,
      async insertTsv({ table, columns, body, settings }) {
        await client.insert({
          table,
          columns: columns as [string, ...string[]],
          values: Readable.from([body], { objectMode: false }),
          format: 'TabSeparated',
          clickhouse_settings: { ...insertSettings, ...settings },
        });
      },
      close: () => client.close(),
    };
  }
  const dir = path.resolve(options.dataDir, 'clickhouse');
  mkdirSync(dir, { recursive: true });
  const connection = createChdbConnection({ path: dir });
  // chdb 3.4 types its connection against the deprecated client-common package.
  const client = createClient({ connection: scheduleBoundQueries(connection as unknown as Connection), clickhouse_settings: readSettings });
  const raw = connection as unknown as ChdbRawInsert;
  return {
    kind: 'chdb',
    client,
    async insertTsv({ table, columns, body, settings }) {
      await raw.chdb.rawInsert({
        table,
        columns,
        values: body,
        format: 'TabSeparated',
        settings: { ...insertSettings, ...settings } as Record<string, string | number | boolean>,
      });
    },
    close: () => client.close(),
  };
}
