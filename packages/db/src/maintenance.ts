import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite runs no autovacuum, so its planner statistics are those of the last VACUUM or ANALYZE — for a table that
 * has grown since, the planner still sees it nearly empty. Foreign-key checks then keep a plan that scans the whole
 * referenced table for every row inserted: storing evaluations went from 1 ms to 18 ms an evaluation as the table
 * grew. This does what autovacuum would: every table grown by a fifth (by its size on disk, as PGlite keeps no
 * activity counters) since it was last vacuumed is vacuumed and analysed. Returns the tables it did.
 */
export async function vacuumGrownTables(client: PGlite): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname = 'public'
        and pg_relation_size(c.oid) / current_setting('block_size')::int > greatest(c.relpages, 0) * 1.2 + 8`,
  );
  // sql-safe: names come from the catalogue, quoted by format(%I); VACUUM takes no bound parameters.
  for (const { name } of rows) await client.exec(`vacuum (analyze) ${name}`);
  return rows.map((r) => r.name);
}

/**
 * How often an embedded database looks for grown tables (about 6 ms when none has): a table that starts empty and
 * fills fast (a backlog of evaluations) runs on its empty-table plans until the next look, each insert slower than
 * the one before — 30 s of that cost the quality bench a fifth of its throughput.
 */
export const VACUUM_EVERY_MS = 5_000;
