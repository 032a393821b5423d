/**
 * npm run -s backup -- DIR [--json]
 *
 * A consistent copy of the installation's data into DIR (new or empty): every ClickHouse table, Postgres (PGlite's
 * data directory, or pg_dump with DATABASE_URL), the Temporal dev server's SQLite file when the data directory has one,
 * and the data directory's secrets, described by DIR/manifest.json. Every event acknowledged before the command began is
 * in it; ingest goes on meanwhile. Through the running host when there is one (it holds the stores); otherwise it opens
 * them itself, taking the host's lock in embedded mode. Exit code 2 for bad options or an unusable DIR, 1 when refused.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { createDb } from '@switchboard/db';
import {
  BACKUP_FORMAT,
  backupStores,
  callOperator,
  DATA_DIR_FILES,
  DataDirLockedError,
  loadHostEnv,
  lockDataDir,
  prepareBackupDir,
  sha256File,
  StoresBackup,
  TEMPORAL_DB,
  writeManifest,
  type BackupManifest,
  type HostEnv,
} from '@switchboard/host';
import { createTelemetryStore } from '@switchboard/telemetry';

const usage = 'usage: backup DIR [--json]   (DIR: a new or empty directory)';
const run = promisify(execFile);

/** Ends the command with an exit code, after main has removed what it wrote. */
class Failure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function fail(message: string, code: number): never {
  throw new Failure(message, code);
}

async function viaHost(env: HostEnv, dir: string): Promise<StoresBackup | undefined> {
  const answer = await callOperator(env.dataDir, 'backup', { dir });
  if (!answer) return undefined;
  if (answer.status !== 200) fail(String(answer.body.message ?? `the host answered ${answer.status}`), answer.status === 400 || answer.status === 409 ? 2 : 1);
  return StoresBackup.parse(answer.body);
}

async function direct(env: HostEnv, dir: string): Promise<StoresBackup> {
  if (env.embedded && !existsSync(path.join(env.dataDir, 'clickhouse'))) fail(`${env.dataDir} holds no Switchboard data (SWITCHBOARD_DATA_DIR)`, 2);
  // The stores belong to one process: take the host's lock so no host starts meanwhile.
  const release = env.embedded ? lockDataDir(env.dataDir) : () => undefined;
  try {
    const telemetry = createTelemetryStore({ url: env.CLICKHOUSE_URL, dataDir: env.dataDir });
    try {
      const db = await createDb({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
      try {
        return await backupStores({ telemetry, db, databaseUrl: env.DATABASE_URL }, dir);
      } finally {
        await db.close();
      }
    } finally {
      await telemetry.close();
    }
  } finally {
    release();
  }
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { json: { type: 'boolean' } } });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`, 2);
  }
  if (parsed.positionals.length !== 1) fail(usage, 2);
  const dir = path.resolve(parsed.positionals[0]!);
  const env = loadHostEnv();
  const started = performance.now();
  const existed = existsSync(dir);
  const refused = prepareBackupDir(dir);
  if (refused) fail(refused, 2);
  try {
    await backup(env, dir, parsed.values.json ?? false, started);
  } catch (error) {
    // A directory without manifest.json is no backup: leave nothing that looks like one.
    if (existed) for (const entry of readdirSync(dir)) rmSync(path.join(dir, entry), { recursive: true, force: true });
    else rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function backup(env: HostEnv, dir: string, json: boolean, started: number): Promise<void> {
  let stores: StoresBackup;
  try {
    stores = (env.embedded ? await viaHost(env, dir) : undefined) ?? (await direct(env, dir));
  } catch (error) {
    if (error instanceof DataDirLockedError) fail(`${error.message} (its operator address in operator.json did not answer)`, 1);
    throw error;
  }
  // The Temporal dev server's state (npm start) beside the host's: SQLite's online backup, a consistent copy while it runs.
  const temporalDb = path.join(env.dataDir, TEMPORAL_DB);
  let temporal: BackupManifest['temporal'] = null;
  if (env.embedded && existsSync(temporalDb)) {
    await run('sqlite3', ['-bail', '-cmd', '.timeout 30000', temporalDb, `.backup ${TEMPORAL_DB}`], { cwd: dir }).catch((error: Error) =>
      fail(`could not copy ${temporalDb} with sqlite3 (apt-get install sqlite3): ${error.message}`, 1),
    );
    temporal = { file: TEMPORAL_DB };
  }
  const files = env.embedded ? DATA_DIR_FILES.filter((f) => existsSync(path.join(env.dataDir, f))) : [];
  mkdirSync(path.join(dir, 'files'), { mode: 0o700 });
  for (const f of files) copyFileSync(path.join(env.dataDir, f), path.join(dir, 'files', f));
  const checksums: Record<string, string> = {};
  for (const file of filesUnder(dir)) checksums[file] = await sha256File(path.join(dir, file));
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    created_at: new Date().toISOString(),
    app: {
      commit: await run('git', ['rev-parse', 'HEAD'], { cwd: import.meta.dirname }).then(
        (r) => r.stdout.trim(),
        () => null,
      ),
    },
    ...stores,
    temporal,
    files,
    checksums,
  };
  writeManifest(dir, manifest);
  const bytes = Object.keys(checksums).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
  const rows = stores.clickhouse.tables.reduce((n, t) => n + t.rows, 0);
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  if (json) {
    console.log(
      JSON.stringify({
        dir,
        started_at: stores.started_at,
        tables: stores.clickhouse.tables.length,
        rows,
        postgres: stores.postgres.kind,
        temporal: temporal !== null,
        files,
        bytes,
        seconds,
      }),
    );
  } else {
    console.log(
      `backed up ${stores.clickhouse.tables.length} ClickHouse tables (${rows} rows), Postgres (${stores.postgres.kind})${temporal ? ', Temporal' : ''} and ${files.length} files to ${dir}: ${(bytes / 1e6).toFixed(1)} MB in ${seconds} s`,
    );
  }
}

await main().then(
  // Nothing is left to wait for (the host's idle connection would hold the process a few seconds).
  () => process.exit(0),
  (error: unknown) => {
    if (!(error instanceof Failure)) throw error;
    console.error(`backup: ${error.message}`);
    process.exit(error.code);
  },
);
