import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { appliedMigrationCount, dumpPglite, loadPglite, prepareRestoreTarget, type DbHandle } from '@switchboard/db';
import {
  ChDateTime,
  listIntervalsReceivedSince,
  migrateTelemetry,
  queryRows,
  RollupBuilder,
  UInt64,
  type RollupMismatch,
  type TelemetryStore,
} from '@switchboard/telemetry';
import { clickhouseMigrations } from './operator-client.ts';
import type { OperatorAnswer } from './provisioning.ts';
import { invalidInput } from './provisioning.ts';

/**
 * Backups of an installation's stores (`npm run -s backup`, `restore`): every ClickHouse table as a Native file, Postgres
 * as PGlite's data directory tarball or a pg_dump archive, the Temporal dev server's SQLite file, and the data
 * directory's secrets, described by manifest.json (written last: a directory without it is not a backup).
 */
export const BACKUP_FORMAT = 1;

const postgresJournal = path.resolve(import.meta.dirname, '../../../migrations/postgres/meta/_journal.json');

/** chDB writes zstd itself (it picks the codec from the name); a server's stream is written as it comes. */
const NATIVE_SUFFIX = { chdb: '.native.zst', server: '.native' } as const;
/** Rebuilt by the migrations at restore, to the level the manifest records. */
const SKIPPED_TABLES = new Set(['schema_migrations']);
/**
 * Exported first: its rollup checkpoints say which events the rollups exported after it already count, so a restore
 * repairs only the intervals of the events received since (restoreRollups). `events` goes last, so that it holds
 * every event a rollup counts, and every event acknowledged before the backup began.
 */
const FIRST_TABLE = 'rollup_state';
const LAST_TABLE = 'events';
/** The files of the data directory a restored installation needs: the cookie (and two-factor) secret, the demo's state. */
export const DATA_DIR_FILES = ['auth-secret', 'demo-api-key', 'demo-timezone', 'demo-users.json', 'demo-backfill.done', 'demo-planning.done'];
export const TEMPORAL_DB = 'temporal.db';

const Column = z.object({ name: z.string(), type: z.string() });
const TableBackup = z.object({ name: z.string(), file: z.string(), rows: z.number().int().min(0), columns: z.array(Column) });
const Migration = z.object({ name: z.string(), checksum: z.string() });

/** What the process holding the stores writes: ClickHouse and Postgres. */
export const StoresBackup = z.object({
  started_at: z.iso.datetime(),
  clickhouse: z.object({ kind: z.enum(['chdb', 'server']), migrations: z.array(Migration), tables: z.array(TableBackup) }),
  postgres: z.object({ kind: z.enum(['pglite', 'postgres']), file: z.string(), migrations: z.number().int().min(0) }),
});
export type StoresBackup = z.infer<typeof StoresBackup>;

export const BackupManifest = StoresBackup.extend({
  format: z.literal(BACKUP_FORMAT),
  created_at: z.iso.datetime(),
  /** The commit of the code that made it, when it ran from a git checkout. */
  app: z.object({ commit: z.string().nullable() }),
  temporal: z.object({ file: z.string() }).nullable(),
  files: z.array(z.string()),
  /** sha256 of every file of the backup, by its path in it. */
  checksums: z.record(z.string(), z.string()),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

export interface BackupStores {
  telemetry: TelemetryStore;
  db: DbHandle;
  /** The PostgreSQL server's URL when `db` is one (pg_dump reads it). */
  databaseUrl?: string | undefined;
}

/** A backup target: an absolute path that is an empty directory or does not exist yet. */
const BackupTarget = z.object({
  dir: z
    .string()
    .min(1)
    .max(4096)
    .refine((dir) => path.isAbsolute(dir), 'must be an absolute path'),
});

/** Why `dir` cannot take a backup, or undefined when it can (it is created, for this process's user only). */
export function prepareBackupDir(dir: string): string | undefined {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    if (readdirSync(dir).length > 0) return `${dir} is not empty: back up into a new or empty directory`;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return undefined;
}

/** The operator action of a running host: its own stores, written into the directory named in the body. */
export async function backupAction(stores: BackupStores, body: unknown): Promise<OperatorAnswer> {
  const target = BackupTarget.safeParse(body);
  if (!target.success) return invalidInput(target.error);
  const refused = prepareBackupDir(target.data.dir);
  if (refused) return { status: 409, body: { error: 'target_not_empty', message: refused } };
  try {
    return { status: 200, body: await backupStores(stores, target.data.dir) };
  } catch (error) {
    return { status: 500, body: { error: 'backup_failed', message: `the backup failed: ${(error as Error).message}` } };
  }
}

/**
 * Writes every table of the current ClickHouse database (but the migrations' own record) and Postgres into `dir`.
 * Every event stored before the call is in it: the events table is read after everything else began.
 */
export async function backupStores(stores: BackupStores, dir: string): Promise<StoresBackup> {
  const startedAt = new Date().toISOString();
  const client = stores.telemetry.client;
  mkdirSync(path.join(dir, 'clickhouse'), { recursive: true, mode: 0o700 });
  const migrations = await queryRows(client, Migration, 'SELECT name, checksum FROM schema_migrations FINAL ORDER BY name', {});
  const columns = await queryRows(
    client,
    z.object({ table: z.string(), name: z.string(), type: z.string() }),
    `SELECT c.table AS table, c.name AS name, c.type AS type FROM system.columns AS c
       JOIN system.tables AS t ON t.database = c.database AND t.name = c.table
      WHERE c.database = currentDatabase() AND t.engine NOT LIKE '%View' AND NOT t.is_temporary
      ORDER BY c.table, c.position`,
    {},
  );
  const names = [...new Set(columns.map((c) => c.table))].filter((t) => !SKIPPED_TABLES.has(t));
  const rank = (t: string) => (t === FIRST_TABLE ? 0 : t === LAST_TABLE ? 2 : 1);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const tables: StoresBackup['clickhouse']['tables'] = [];
  for (const name of names) {
    const file = `clickhouse/${name}${NATIVE_SUFFIX[stores.telemetry.kind]}`;
    const own = columns.filter((c) => c.table === name).map(({ name, type }) => ({ name, type }));
    tables.push({ name, file, rows: await exportTable(stores.telemetry, name, own, path.join(dir, file)), columns: own });
  }
  const postgres = await backupPostgres(stores, dir);
  return { started_at: startedAt, clickhouse: { kind: stores.telemetry.kind, migrations, tables }, postgres };
}

/** One table into a Native file; answers its rows. */
async function exportTable(store: TelemetryStore, table: string, columns: z.infer<typeof Column>[], file: string): Promise<number> {
  const client = store.client;
  if (store.kind === 'chdb') {
    // The engine writes the file itself, streaming, and reads it back for the count (with the table's structure: an
    // empty file has none of its own).
    await client.command({ query: 'INSERT INTO FUNCTION file({file:String}, Native) SELECT * FROM {table:Identifier}', query_params: { file, table } });
    const structure = columns.map((c) => `\`${c.name.replaceAll('`', '\\`')}\` ${c.type}`).join(', ');
    const [counted] = await queryRows(client, z.object({ rows: UInt64 }), 'SELECT count() AS rows FROM file({file:String}, Native, {structure:String})', {
      file,
      structure,
    });
    return counted!.rows;
  }
  // A server streams it here; waiting for the end of the query makes its summary header count the rows sent.
  const result = await client.exec({
    query: 'SELECT * FROM {table:Identifier} FORMAT Native',
    query_params: { table },
    clickhouse_settings: { wait_end_of_query: 1 },
  });
  await pipeline(result.stream, createWriteStream(file, { mode: 0o600 }));
  return Number(result.summary?.result_rows ?? result.summary?.read_rows ?? 0);
}

async function backupPostgres(stores: BackupStores, dir: string): Promise<StoresBackup['postgres']> {
  mkdirSync(path.join(dir, 'postgres'), { recursive: true, mode: 0o700 });
  const migrations = await appliedMigrationCount(stores.db);
  if (stores.db.kind === 'pglite') {
    const file = 'postgres/pglite.tar.gz';
    writeFileSync(path.join(dir, file), await dumpPglite(stores.db), { mode: 0o600 });
    return { kind: 'pglite', file, migrations };
  }
  if (!stores.databaseUrl) throw new Error('backing up PostgreSQL needs its DATABASE_URL');
  const file = 'postgres/database.dump';
  // One transaction's snapshot, the custom format pg_restore reads.
  await runPgTool('pg_dump', ['--format=custom', `--file=${path.join(dir, file)}`], stores.databaseUrl);
  return { kind: 'postgres', file, migrations };
}

/** pg_dump or pg_restore against a URL, the password in the environment rather than on the command line. */
async function runPgTool(tool: string, args: string[], databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  await new Promise<void>((resolve, reject) => {
    const child = spawn(tool, [...args, '--no-password', `--dbname=${url.toString()}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => reject(new Error(`${tool} could not run (install PostgreSQL's client programs): ${error.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} failed (exit ${code}): ${stderr.trim().slice(-2000)}`))));
  });
}

const MANIFEST = 'manifest.json';

/** Written last, and whole (renamed into place): a directory holding it is a complete backup. */
export function writeManifest(dir: string, manifest: BackupManifest): void {
  const temporary = path.join(dir, `.${MANIFEST}.partial`);
  writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path.join(dir, MANIFEST));
}

/** The backup's manifest, or why `dir` holds none this version can read. */
export function readManifest(dir: string): BackupManifest | string {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) return `${dir} is not a Switchboard backup (no ${MANIFEST}; an interrupted backup leaves none)`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return `${file} is not JSON: ${(error as Error).message}`;
  }
  const format = z.object({ format: z.number() }).safeParse(json);
  if (format.success && format.data.format !== BACKUP_FORMAT)
    return `${file} has backup format ${format.data.format}; this version reads format ${BACKUP_FORMAT}`;
  const manifest = BackupManifest.safeParse(json);
  return manifest.success
    ? manifest.data
    : `${file} is not a backup manifest: ${manifest.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
}

/** sha256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** The manifest's files whose checksum does not match, or that are missing. */
export async function verifyChecksums(dir: string, manifest: BackupManifest): Promise<string[]> {
  const wrong: string[] = [];
  for (const [file, checksum] of Object.entries(manifest.checksums)) {
    const full = path.join(dir, file);
    if (!existsSync(full) || (await sha256File(full)) !== checksum) wrong.push(file);
  }
  return wrong;
}

/** The backup's ClickHouse migrations must be a prefix of this code's: a newer backup cannot be restored by older code. */
export function checkMigrationLevels(manifest: BackupManifest): string | undefined {
  const known = readdirSync(clickhouseMigrations)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  for (const [i, m] of manifest.clickhouse.migrations.entries()) {
    if (known[i] !== m.name) return `the backup has ClickHouse migration ${m.name}, which this version does not know: restore it with the version that made it`;
    const checksum = createHash('sha256')
      .update(readFileSync(path.join(clickhouseMigrations, m.name), 'utf8'))
      .digest('hex');
    if (checksum !== m.checksum) return `ClickHouse migration ${m.name} differs from the one the backup was made with`;
  }
  const journal = z.object({ entries: z.array(z.unknown()) }).parse(JSON.parse(readFileSync(postgresJournal, 'utf8')));
  if (manifest.postgres.migrations > journal.entries.length)
    return `the backup's Postgres has ${manifest.postgres.migrations} migrations applied, this version knows ${journal.entries.length}: restore it with the version that made it`;
  return undefined;
}

export interface RestoredTable {
  name: string;
  rows: number;
}

/**
 * Recreates the tables as the backup's version had them (its migrations, no more), fills them from the files with merges
 * stopped (so the counts can be checked: ReplacingMergeTree and AggregatingMergeTree fold rows as they merge), then
 * applies this version's newer migrations, as a start of it on the old data directory would.
 */
export async function restoreClickHouse(store: TelemetryStore, dir: string, manifest: BackupManifest): Promise<RestoredTable[]> {
  const client = store.client;
  const existing = await queryRows(client, z.object({ name: z.string() }), 'SELECT name FROM system.tables WHERE database = currentDatabase()', {});
  if (existing.length > 0)
    throw new RestoreRefused(`the ClickHouse database already has tables (${existing.map((t) => t.name).join(', ')}): restore into a new one`);
  const levelDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-restore-'));
  try {
    for (const m of manifest.clickhouse.migrations) symlinkSync(path.join(clickhouseMigrations, m.name), path.join(levelDir, m.name));
    await migrateTelemetry(client, levelDir);
  } finally {
    rmSync(levelDir, { recursive: true, force: true });
  }
  const restored: RestoredTable[] = [];
  await client.command({ query: 'SYSTEM STOP MERGES' });
  try {
    for (const table of manifest.clickhouse.tables) {
      const columns = await queryRows(
        client,
        Column,
        'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
        {
          table: table.name,
        },
      );
      if (JSON.stringify(columns) !== JSON.stringify(table.columns))
        throw new Error(`ClickHouse table ${table.name} has other columns after the backup's migrations than in the backup`);
      // What the migrations seeded (a rebuild request in rollup_state) gives way to the backup's rows.
      await client.command({ query: 'TRUNCATE TABLE {table:Identifier}', query_params: { table: table.name } });
      await importTable(store, table.name, path.join(dir, table.file));
      const [counted] = await queryRows(client, z.object({ rows: UInt64 }), 'SELECT count() AS rows FROM {table:Identifier}', { table: table.name });
      restored.push({ name: table.name, rows: counted!.rows });
    }
  } finally {
    await client.command({ query: 'SYSTEM START MERGES' });
  }
  await migrateTelemetry(client, clickhouseMigrations);
  return restored;
}

/** Rows go in as they were exported: no folding of a block's duplicates on the way. */
async function importTable(store: TelemetryStore, table: string, file: string): Promise<void> {
  if (store.kind === 'chdb') {
    await store.client.command({
      query: 'INSERT INTO {table:Identifier} SELECT * FROM file({file:String}, Native)',
      query_params: { table, file },
      clickhouse_settings: { optimize_on_insert: 0 },
    });
    return;
  }
  // The server decompresses what chDB compressed.
  await store.client.exec({
    query: 'INSERT INTO {table:Identifier} FORMAT Native',
    query_params: { table },
    values: createReadStream(file),
    clickhouse_settings: { optimize_on_insert: 0 },
    ...(file.endsWith('.zst') ? { http_headers: { 'content-encoding': 'zstd' } } : {}),
  });
}

/**
 * Makes the rollups agree with the restored raw events. The rollups were exported after the checkpoints in rollup_state
 * and before the events: every event they count is in the backup, and every event in it they do not count was received
 * after the earliest checkpoint. So only the intervals of those events are checked and rebuilt; without a checkpoint,
 * every interval of the restored events.
 */
export async function restoreRollups(client: TelemetryStore['client']): Promise<RollupMismatch[]> {
  const [checkpoint] = await queryRows(
    client,
    z.object({ at: ChDateTime, checkpoints: UInt64 }),
    `SELECT min(at) AS at, count() AS checkpoints FROM rollup_state FINAL WHERE startsWith(key, 'checkpoint:')`,
    {},
  );
  const since = checkpoint && checkpoint.checkpoints > 0 ? new Date(checkpoint.at) : new Date(0);
  const pairs = await listIntervalsReceivedSince(client, since);
  const builder = new RollupBuilder({ client, instance: 'restore', log: () => undefined });
  const found: RollupMismatch[] = [];
  try {
    for (let i = 0; i < pairs.length; i += 2_000) found.push(...(await builder.repair({ pairs: pairs.slice(i, i + 2_000) })));
  } finally {
    await builder.stop();
  }
  return found;
}

/** A restore that would overwrite something, or that cannot run now: exit code 1. */
export class RestoreRefused extends Error {}

/** PGlite's data directory from its tarball, or the dump into an empty PostgreSQL database. */
export async function restorePostgres(dir: string, manifest: BackupManifest, target: { dataDir: string; databaseUrl?: string | undefined }): Promise<void> {
  const file = path.join(dir, manifest.postgres.file);
  if (manifest.postgres.kind === 'pglite') {
    if (target.databaseUrl) throw new RestoreRefused('the backup holds PGlite (embedded Postgres): restore it without DATABASE_URL');
    await loadPglite(target.dataDir, readFileSync(file));
    return;
  }
  if (!target.databaseUrl) throw new RestoreRefused('the backup holds a PostgreSQL dump: set DATABASE_URL to a new, empty database to restore it into');
  if (!(await prepareRestoreTarget(target.databaseUrl)))
    throw new RestoreRefused('the PostgreSQL database of DATABASE_URL already has tables: restore into a new, empty one');
  await runPgTool('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', file], target.databaseUrl);
}
