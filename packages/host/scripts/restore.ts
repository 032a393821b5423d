/**
 * npm run -s restore -- DIR [--force] [--json]
 *
 * Brings back a backup made by `npm run backup` into the installation this environment names (SWITCHBOARD_DATA_DIR, or
 * CLICKHOUSE_URL and DATABASE_URL): only while no host runs on it, into an empty data directory (--force replaces the
 * one there) or new, empty databases. Postgres comes back from its tarball or pg_restore; ClickHouse's tables are
 * recreated by the backup's migrations and filled from its files, then this version's newer ClickHouse migrations run
 * (the rollups' repair reads the current schema; the host's next start applies Postgres's, as for any older data
 * directory); the rollups are repaired where they lag the restored events; every table's row count is checked against
 * the manifest. One line of summary (--json: one JSON object). Exit code 2 for bad options or a damaged backup, 1 when refused.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkMigrationLevels,
  DATA_DIR_FILES,
  DataDirLockedError,
  loadHostEnv,
  lockDataDir,
  readManifest,
  readOperatorFile,
  restoreClickHouse,
  restorePostgres,
  restoreRollups,
  RestoreRefused,
  TEMPORAL_DB,
  verifyChecksums,
  type BackupManifest,
  type HostEnv,
} from '@switchboard/host';
import { createTelemetryStore } from '@switchboard/telemetry';

const usage = 'usage: restore DIR [--force] [--json]   (DIR: a backup made by npm run backup)';

function fail(message: string, code: number): never {
  console.error(`restore: ${message}`);
  process.exit(code);
}

/** What an embedded installation keeps in its data directory, which a restore fills (and --force removes first). */
const installed = (dataDir: string) =>
  ['clickhouse', 'pglite', TEMPORAL_DB, `${TEMPORAL_DB}-wal`, `${TEMPORAL_DB}-shm`, ...DATA_DIR_FILES].filter((f) => existsSync(path.join(dataDir, f)));

/** A host whose operator address answers is running on the data directory, whatever its lock file says. */
async function hostAnswers(dataDir: string): Promise<string | undefined> {
  const operator = readOperatorFile(dataDir);
  if (!operator) return undefined;
  try {
    await fetch(`${operator.url}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return operator.url;
  } catch {
    return undefined;
  }
}

async function restore(env: HostEnv, dir: string, manifest: BackupManifest, force: boolean) {
  if (env.embedded) {
    const existing = installed(env.dataDir);
    if (existing.length > 0 && !force)
      throw new RestoreRefused(
        `${env.dataDir} already holds an installation (${existing.join(', ')}): restore into a new directory, or add --force to replace it`,
      );
    for (const f of existing) rmSync(path.join(env.dataDir, f), { recursive: true, force: true });
  }
  // Postgres first: a database that is not empty is refused before anything is written.
  await restorePostgres(dir, manifest, { dataDir: env.dataDir, databaseUrl: env.DATABASE_URL });
  const telemetry = createTelemetryStore({ url: env.CLICKHOUSE_URL, dataDir: env.dataDir });
  let tables;
  let repaired;
  try {
    tables = await restoreClickHouse(telemetry, dir, manifest);
    repaired = await restoreRollups(telemetry.client);
  } finally {
    await telemetry.close();
  }
  // With servers, Temporal is a cluster of its own (TEMPORAL_ADDRESS), and secrets come from the environment.
  const temporal = env.embedded && manifest.temporal !== null;
  if (temporal) copyFileSync(path.join(dir, manifest.temporal!.file), path.join(env.dataDir, TEMPORAL_DB));
  const files = env.embedded ? manifest.files : [];
  for (const f of files) copyFileSync(path.join(dir, 'files', f), path.join(env.dataDir, f));
  return { tables, repaired, temporal, files };
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { force: { type: 'boolean' }, json: { type: 'boolean' } } });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`, 2);
  }
  if (parsed.positionals.length !== 1) fail(usage, 2);
  const dir = path.resolve(parsed.positionals[0]!);
  const started = performance.now();
  const env = loadHostEnv();
  if (!env.embedded && parsed.values.force)
    fail('--force replaces an embedded data directory; with servers, restore into a new ClickHouse database and a new PostgreSQL database', 2);
  // Whatever the backup, never beside a running host.
  const running = env.embedded ? await hostAnswers(env.dataDir) : undefined;
  if (running) fail(`a Switchboard host is running on ${env.dataDir} (${running}): stop it first`, 1);
  const manifest = readManifest(dir);
  if (typeof manifest === 'string') fail(manifest, 2);
  const damaged = await verifyChecksums(dir, manifest);
  if (damaged.length > 0) fail(`the backup in ${dir} is damaged: ${damaged.join(', ')} missing or changed`, 2);
  const level = checkMigrationLevels(manifest);
  if (level) fail(level, 2);
  let release: () => void = () => undefined;
  if (env.embedded) {
    mkdirSync(env.dataDir, { recursive: true });
    try {
      release = lockDataDir(env.dataDir);
    } catch (error) {
      if (error instanceof DataDirLockedError) fail(error.message, 1);
      throw error;
    }
  }
  const result = await restore(env, dir, manifest, parsed.values.force ?? false)
    .finally(release)
    .catch((error: unknown) => {
      if (error instanceof RestoreRefused) fail(error.message, 1);
      throw error;
    });
  const differing = manifest.clickhouse.tables.filter((t) => result.tables.find((r) => r.name === t.name)?.rows !== t.rows);
  if (differing.length > 0)
    fail(
      `restored row counts differ from the backup's: ${differing.map((t) => `${t.name} ${result.tables.find((r) => r.name === t.name)?.rows ?? 0} of ${t.rows}`).join(', ')}`,
      1,
    );
  const rows = result.tables.reduce((n, t) => n + t.rows, 0);
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const target = env.embedded ? env.dataDir : 'CLICKHOUSE_URL and DATABASE_URL';
  if (parsed.values.json) {
    console.log(
      JSON.stringify({
        target,
        backup: dir,
        created_at: manifest.created_at,
        tables: result.tables,
        rows,
        postgres: manifest.postgres.kind,
        temporal: result.temporal,
        files: result.files,
        rollup_intervals_repaired: result.repaired.length,
        seconds,
      }),
    );
  } else {
    console.log(
      `restored the backup of ${manifest.created_at} into ${target}: ${result.tables.length} ClickHouse tables (${rows} rows, as many as backed up), ` +
        `Postgres (${manifest.postgres.kind})${result.temporal ? ', Temporal' : ''}, ${result.files.length} files; ${result.repaired.length} rollup intervals repaired, in ${seconds} s`,
    );
  }
  // Nothing is left to wait for (an idle connection would hold the process a few seconds).
  process.exit(0);
}

await main();
