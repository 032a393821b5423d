import { TupleParam, type ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { INTERVAL_MS } from '../event-row.ts';
import { ChDateTime, Int64, queryRows, toChDateTime, UInt64 } from '../repositories/rows.ts';
import { rollups, type RollupDefinition } from './definitions.ts';

/**
 * Rollups are kept equal to the distinct raw events by reconciling: for a set of source
 * intervals, aggregate the raw events (each event_id once) and the rollup's rows, and
 * write the difference. Writing "raw − rollup as it is now" cannot apply twice — run
 * again after it landed, it finds nothing to write — so a crash at any point is mended
 * by running it again, provided no two reconciles of one tenant run at the same time
 * (the builder serialises them; see RollupBuilder).
 */

/** Which source intervals to reconcile. */
export type RollupScope =
  /** Every interval of [from, to) (15-minute aligned), for some tenants or all. */
  | { from: Date; to: Date; tenantIds?: readonly string[] }
  /** Exactly these (tenant, interval start in epoch ms) pairs. */
  | { pairs: readonly (readonly [string, number])[] };

interface Fragment {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The rows a running rollup builder has not counted yet: those of the requests it still
 * holds (being inserted, or waiting for a step) and every row received from `from` on
 * (engine time, read before the list was taken: a request that began after it). A
 * reconcile beside the builder leaves them to its steps, which count them on top.
 */
export interface Uncounted {
  batches: readonly string[];
  from: string;
}

const uncountedCondition = (uncounted: Uncounted | undefined): Fragment =>
  uncounted
    ? {
        sql: `AND batch_id NOT IN {uncounted:Array(UUID)} AND received_at < {uncountedFrom:DateTime64(3, 'UTC')}`,
        params: { uncounted: uncounted.batches, uncountedFrom: uncounted.from },
      }
    : { sql: '', params: {} };

/** The engine's clock, which stamps received_at. */
export async function engineNow(client: ClickHouseClient): Promise<string> {
  const [row] = await queryRows(client, z.object({ now: ChDateTime }), 'SELECT now64(3) AS now', {});
  return toChDateTime(new Date(row!.now));
}

const chTime = (ms: number) => toChDateTime(new Date(ms));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Conditions on raw events (without the rollup's type filter) and on the rollup's rows. */
function scopeConditions(scope: RollupScope, def: RollupDefinition): { raw: Fragment; rollup: Fragment } {
  const source = def.sourceColumn;
  if ('pairs' in scope) {
    const starts = scope.pairs.map(([, start]) => start);
    const min = Math.min(...starts);
    const max = Math.max(...starts);
    const params = {
      pairs: scope.pairs.map(([tenant, start]) => new TupleParam([tenant, String(Math.floor(start / 1000))])),
      tenants: [...new Set(scope.pairs.map(([tenant]) => tenant))],
      days: [...new Set(starts.map(day))],
      from: chTime(min),
      to: chTime(max + INTERVAL_MS),
    };
    return {
      raw: {
        // The day and range conditions let the primary key skip what the pairs do not touch.
        sql: `tenant_id IN {tenants:Array(String)} AND toDate(occurred_at) IN {days:Array(Date)}
          AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
          AND (tenant_id, toStartOfFifteenMinutes(occurred_at)) IN {pairs:Array(Tuple(String, DateTime('UTC')))}`,
        params,
      },
      rollup: {
        // A row's interval starts before its source interval ends (and is it, for most rollups).
        sql: `tenant_id IN {tenants:Array(String)} AND interval_start < {to:DateTime64(3, 'UTC')}
          ${source === 'interval_start' ? `AND interval_start >= {from:DateTime64(3, 'UTC')}` : ''}
          AND (tenant_id, ${source}) IN {pairs:Array(Tuple(String, DateTime('UTC')))}`,
        params,
      },
    };
  }
  const params = {
    tenants: scope.tenantIds ?? [],
    from: toChDateTime(scope.from),
    to: toChDateTime(scope.to),
  };
  const tenant = scope.tenantIds ? 'tenant_id IN {tenants:Array(String)} AND ' : '';
  return {
    raw: { sql: `${tenant}occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}`, params },
    rollup: {
      sql: `${tenant}${source} >= {from:DateTime64(3, 'UTC')} AND ${source} < {to:DateTime64(3, 'UTC')}
        AND interval_start < {to:DateTime64(3, 'UTC')}`,
      params,
    },
  };
}

/**
 * The distinct events of the scope that `def` reads. A duplicate row of an event (a
 * replay under a new key, a retry past the engine's deduplication window) has the same
 * occurred_at, so it always falls in the same source interval as the original.
 */
function distinctEvents(raw: Fragment, def: RollupDefinition, extra = ''): string {
  return `(SELECT ${['tenant_id', 'event_id', 'occurred_at', ...def.reads].join(', ')} FROM events
    WHERE ${raw.sql} AND ${def.where} ${extra} LIMIT 1 BY tenant_id, event_id)`;
}

function keyColumns(def: RollupDefinition): string[] {
  return ['tenant_id', 'interval_start', ...(def.sourceColumn === 'interval_start' ? [] : [def.sourceColumn]), ...def.dims];
}

/**
 * Raw events whose source interval is still wholly within their tenant's retention, an
 * hour to spare: each row carries the retention its TTL deletes it by (migration 0017),
 * and merges delete expired rows part by part, so an older interval may have lost some of
 * its raw events and not others. Such an interval cannot be judged.
 */
const WITHIN_RETENTION = `toStartOfFifteenMinutes(occurred_at) + toIntervalDay(retention_days) > now() + INTERVAL 1 HOUR`;

/**
 * One row per rollup cell whose value differs from the raw events: `raw_<m>` and
 * `rollup_<m>` for every measure. With `retainedOnly`, source intervals without a single
 * raw event are left out: their raw events are gone (retention), the rollup outlives them;
 * and so are those past their raw events' retention (WITHIN_RETENTION).
 */
function diffQuery(def: RollupDefinition, scope: RollupScope, retainedOnly: boolean, uncounted?: Uncounted): Fragment {
  const { raw, rollup } = scopeConditions(scope, def);
  const leftOut = uncountedCondition(uncounted);
  const keys = keyColumns(def);
  const measures = def.measures.map((m) => `toInt64(${m.name}) AS ${m.name}`).join(', ');
  const compared = def.measures
    .map((m) => `${m.kind}If(${m.name}, side = 1) AS raw_${m.name}, ${m.kind}If(${m.name}, side = 0) AS rollup_${m.name}`)
    .join(',\n    ');
  const retained = retainedOnly
    ? `AND (tenant_id, ${def.sourceColumn}) IN (SELECT DISTINCT tenant_id, toStartOfFifteenMinutes(occurred_at) FROM events WHERE ${raw.sql} AND ${WITHIN_RETENTION})`
    : '';
  const rawRetained = retainedOnly ? `AND ${WITHIN_RETENTION}` : '';
  return {
    sql: `SELECT ${keys.join(', ')},
    ${compared}
  FROM (
    SELECT 1 AS side, ${keys.join(', ')}, ${measures} FROM (${def.aggregate(distinctEvents(raw, def, `${leftOut.sql} ${rawRetained}`))})
    UNION ALL
    SELECT 0 AS side, ${keys.join(', ')}, ${measures} FROM ${def.table} WHERE ${rollup.sql} ${retained}
  )
  GROUP BY ${keys.join(', ')}
  HAVING ${def.measures.map((m) => `raw_${m.name} != rollup_${m.name}`).join(' OR ')}`,
    params: { ...raw.params, ...rollup.params, ...leftOut.params },
  };
}

function correctionInsert(def: RollupDefinition, diff: Fragment): Fragment {
  const keys = keyColumns(def);
  // A sum is corrected by adding the difference; a max by the raw maximum (it can only rise).
  const values = def.measures.map((m) => (m.kind === 'sum' ? `raw_${m.name} - rollup_${m.name}` : `raw_${m.name}`));
  return {
    sql: `INSERT INTO ${def.table} (${[...keys, ...def.measures.map((m) => m.name)].join(', ')})
  SELECT ${[...keys, ...values].join(', ')} FROM (${diff.sql})`,
    params: diff.params,
  };
}

export interface RollupMismatch {
  tenant_id: string;
  rollup: string;
  /** The source interval: where the raw events that should be counted occurred. */
  interval_start: string;
  raw: Record<string, number>;
  rollup_values: Record<string, number>;
}

/**
 * Compare every rollup with the raw events over `scope`, one entry per mismatching
 * (tenant, rollup, source interval) with the measures that differ, summed over the
 * interval's rows. Source intervals without any raw event left, or past their tenant's
 * raw-event retention, are not compared.
 */
export async function checkRollups(client: ClickHouseClient, scope: RollupScope, uncounted?: Uncounted): Promise<RollupMismatch[]> {
  const out: RollupMismatch[] = [];
  for (const def of rollups) {
    const diff = diffQuery(def, scope, true, uncounted);
    // sql-safe: diffQuery writes names and expressions of the rollup definitions (code constants); values are in diff.params.
    const rows = await queryRows(client, z.record(z.string(), z.unknown()), diff.sql, diff.params);
    const byInterval = new Map<string, { entry: RollupMismatch; differing: Set<string> }>();
    for (const row of rows) {
      const tenant = z.string().parse(row.tenant_id);
      const source = ChDateTime.parse(row[def.sourceColumn]);
      const key = `${tenant}|${source}`;
      const found = byInterval.get(key) ?? {
        entry: { tenant_id: tenant, rollup: def.table, interval_start: source, raw: {}, rollup_values: {} },
        differing: new Set<string>(),
      };
      byInterval.set(key, found);
      const { entry, differing } = found;
      for (const m of def.measures) {
        const raw = Int64.parse(row[`raw_${m.name}`]);
        const rolled = Int64.parse(row[`rollup_${m.name}`]);
        if (raw !== rolled) differing.add(m.name);
        const combine = m.kind === 'sum' ? (a: number, b: number) => a + b : Math.max;
        entry.raw[m.name] = combine(entry.raw[m.name] ?? 0, raw);
        entry.rollup_values[m.name] = combine(entry.rollup_values[m.name] ?? 0, rolled);
      }
    }
    const mismatches = [...byInterval.values()].map(({ entry, differing }) => ({
      ...entry,
      raw: pick(entry.raw, differing),
      rollup_values: pick(entry.rollup_values, differing),
    }));
    out.push(...mismatches.sort((a, b) => a.tenant_id.localeCompare(b.tenant_id) || a.interval_start.localeCompare(b.interval_start)));
  }
  return out;
}

/**
 * Write the corrections that make every rollup equal the raw events over `scope`. With
 * `retainedOnly` (operator repairs, start-up checks), source intervals whose raw events
 * are all gone, or past their retention, keep their rollup rows untouched.
 */
export async function reconcileRollups(client: ClickHouseClient, scope: RollupScope, options: { retainedOnly: boolean; uncounted?: Uncounted }): Promise<void> {
  for (const def of rollups) {
    const insert = correctionInsert(def, diffQuery(def, scope, options.retainedOnly, options.uncounted));
    // No priority: the builder has one statement waiting at a time, so a report waits for
    // at most one of them; ahead of reports, a step's statements would pass every report.
    // sql-safe: names and expressions of the rollup definitions (code constants); values are in insert.params.
    await client.command({ query: insert.sql, query_params: insert.params });
  }
}

/**
 * Add the events of the requests `batches` to every rollup, each event once, leaving out
 * those already counted: an event with a row of another request that is counted (not
 * among `uncounted`). The cost is that of the requests' own rows and a probe of the
 * touched intervals' event ids, where a reconcile aggregates the whole intervals.
 *
 * Not idempotent: the builder calls it once per request, after the request's insert
 * returned; a step that fails part-way is mended by reconciling its intervals instead.
 * Only valid when this builder sees every request of the tenants (one process writes
 * them), since another process's pending rows would look counted.
 */
export async function countBatches(
  client: ClickHouseClient,
  pairs: readonly (readonly [string, number])[],
  batches: readonly string[],
  uncounted: Uncounted,
): Promise<void> {
  const leftOut = uncountedCondition(uncounted);
  for (const def of rollups) {
    const { raw } = scopeConditions({ pairs }, def);
    const own = `${raw.sql} AND ${def.where} AND batch_id IN {batches:Array(UUID)}`;
    const counted = `SELECT tenant_id, event_id FROM events
      WHERE ${raw.sql} AND ${def.where} AND batch_id NOT IN {batches:Array(UUID)} ${leftOut.sql}
        AND event_id IN (SELECT event_id FROM events WHERE ${own})`;
    const fresh = distinctEvents(raw, def, `AND batch_id IN {batches:Array(UUID)} AND (tenant_id, event_id) NOT IN (${counted})`);
    const columns = [...keyColumns(def), ...def.measures.map((m) => m.name)].join(', ');
    // sql-safe: names and expressions of the rollup definitions (code constants); values are in query_params.
    await client.command({
      query: `INSERT INTO ${def.table} (${columns}) SELECT ${columns} FROM (${def.aggregate(fresh)})`,
      query_params: { ...raw.params, batches, ...leftOut.params },
    });
  }
}

const pick = (values: Record<string, number>, keys: Set<string>) => Object.fromEntries(Object.entries(values).filter(([k]) => keys.has(k)));

/** Source intervals of the events stored since `since` (by received_at), per tenant: what a restart must reconcile. */
export async function listIntervalsReceivedSince(client: ClickHouseClient, since: Date): Promise<[string, number][]> {
  const rows = await queryRows(
    client,
    z.object({ tenant_id: z.string(), interval_start: ChDateTime }),
    `SELECT DISTINCT tenant_id, toStartOfFifteenMinutes(occurred_at) AS interval_start
       FROM events WHERE received_at >= {since:DateTime64(3, 'UTC')}`,
    { since: toChDateTime(since) },
  );
  return rows.map((r) => [r.tenant_id, Date.parse(r.interval_start)]);
}

/** Raw events per hour (epoch ms) over [from, to), for some tenants or all: how to slice a check. */
export async function countEventsByHour(
  client: ClickHouseClient,
  scope: { from: Date; to: Date; tenantIds?: readonly string[] },
): Promise<{ hour: number; events: number }[]> {
  const rows = await queryRows(
    client,
    z.object({ hour: ChDateTime, events: UInt64 }),
    `SELECT toStartOfHour(occurred_at) AS hour, count() AS events FROM events
      WHERE ${scope.tenantIds ? 'tenant_id IN {tenants:Array(String)} AND ' : ''}
            occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
      GROUP BY hour`,
    { tenants: scope.tenantIds ?? [], from: toChDateTime(scope.from), to: toChDateTime(scope.to) },
  );
  return rows.map((r) => ({ hour: Date.parse(r.hour), events: r.events }));
}
