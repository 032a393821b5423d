import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';

const MIGRATION_NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

class MigrationError extends Error {}

/** Statements are separated by a `;` that ends a line; `--` comment lines are dropped. */
function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const AppliedRow = z.object({ name: z.string(), checksum: z.string() });

/**
 * Apply `NNNN_verb_object.sql` files in order, once each, recording them in
 * `schema_migrations`. Safe at every start: applied files are skipped, and a file that
 * changed after it was applied, or one applied that this version lacks, stops the start
 * instead of drifting silently.
 */
export async function migrateTelemetry(client: ClickHouseClient, dir: string): Promise<{ applied: string[] }> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations
      (name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ReplacingMergeTree ORDER BY name`,
  });
  const result = await client.query({ query: 'SELECT name, checksum FROM schema_migrations FINAL', format: 'JSONEachRow' });
  const applied = new Map(
    z
      .array(AppliedRow)
      .parse(await result.json())
      .map((r) => [r.name, r.checksum]),
  );

  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  // Data migrated by a newer version: running on a schema this code does not know could corrupt it (and no migration
  // was ever removed, so an unknown name means newer).
  const unknown = [...applied.keys()].filter((name) => !files.includes(name)).sort();
  if (unknown.length > 0) {
    throw new MigrationError(
      `ClickHouse was migrated by a newer version of Switchboard (migrations ${unknown.join(', ')} are unknown to this one): start that version or a newer one`,
    );
  }
  const done: string[] = [];
  for (const file of files) {
    if (!MIGRATION_NAME.test(file)) throw new MigrationError(`migration file ${file} must be named NNNN_verb_object.sql`);
    const sql = readFileSync(path.join(dir, file), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    const previous = applied.get(file);
    if (previous !== undefined) {
      if (previous !== checksum) {
        throw new MigrationError(`ClickHouse migration ${file} changed after it was applied; add a new migration instead of editing it`);
      }
      continue;
    }
    // sql-safe: the statements of this repository's migration files, not input.
    for (const statement of splitStatements(sql)) await client.command({ query: statement });
    await client.insert({ table: 'schema_migrations', values: [{ name: file, checksum }], format: 'JSONEachRow' });
    done.push(file);
  }
  return { applied: done };
}
