/**
 * Runs ClickHouse statements on a stopped host's data directory, in a process of its own: a test process that opened
 * chDB keeps its engine for life and would not see what a host or an operator command writes there afterwards.
 * `tsx tests/faults/store-statements.ts <data dir> <statement>...`
 */
import path from 'node:path';
import { createTelemetryStore, migrateTelemetry } from '@switchboard/telemetry';

const [dataDir, ...statements] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: store-statements.ts <data dir> <statement>...');
const store = createTelemetryStore({ dataDir });
try {
  await migrateTelemetry(store.client, path.resolve(import.meta.dirname, '../../migrations/clickhouse'));
  // sql-safe: a test's own statements (constraints it adds and drops), run on a throwaway data directory.
  for (const query of statements) await store.client.command({ query });
} finally {
  await store.close();
}
