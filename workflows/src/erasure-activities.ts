import type { ClickHouseClient } from '@clickhouse/client';
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import { recordErasureCertificate, type Db } from '@switchboard/db';
import { queryRows, UInt64 } from '@switchboard/telemetry';
import { parseInput } from './activity-input.ts';

/**
 * The erasure workflow's activities: a customer's personal data scrubbed in place, table by table.
 *
 * The customer is named by `refHash` only, the hex SHA-256 of `{tenant id}:{customer_ref}` (see `customerRefHash` in
 * erasure.ts): workflow arguments, ids and histories never hold the reference itself. ClickHouse finds the rows by
 * computing the same hash in SQL, so the reference never has to travel either. The hash is salted with the tenant, not
 * keyed with a secret: it is a pseudonym, and someone who can read workflow histories and guess a reference could
 * confirm it; it is not a way back from the hash.
 *
 * Raw events are updated in place, never deleted: rollups are derived from them, and a source interval whose events
 * changed in number would be "corrected" (ARCHITECTURE.md, Rollups). The columns erased are in no sorting key (which
 * ALTER … UPDATE may not change), so a mutation rewrites the parts that hold them and the ReplacingMergeTree's
 * duplicates stay duplicates. Inserting a replacing row instead would not do: `events` has no version column, a
 * replacing row would be counted by the rollup builder as a new request's event until a merge (batch_id is in the
 * key, so it would never collapse at all), and the old row stays readable until then. `mutations_sync = 2` makes each
 * statement return once every replica has rewritten its parts, so "done" means done.
 *
 * Every statement leaves out rows already erased, so a retried activity, or a second erasure of the same customer,
 * finds nothing left and changes nothing. Rollups (counts and durations) are not touched.
 *
 * Postgres holds no customer reference and no transcript words: evaluation evidence is segment indexes and offsets
 * into the stored transcript (packages/db schema, evaluation_answers), which now point into '[erased]'.
 */

/** What one erasure replaces a transcript's words and a rejected event's raw text with. */
const ERASED_TEXT = '[erased]';

/** The tables and columns an erasure scrubs, in order: the customer_ref last, as it leads to the interactions. */
export type ErasureTarget = 'events.text' | 'ingest_rejections.raw' | 'events.customer_ref';

const ErasureInput = z.object({
  tenantId: z.uuid(),
  refHash: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
  target: z.enum(['events.text', 'ingest_rejections.raw', 'events.customer_ref']),
});

const CertificateInput = z.object({
  tenantId: z.uuid(),
  refHash: z.string().regex(/^[0-9a-f]{64}$/),
  startedAt: z.iso.datetime({ offset: true }),
  counts: z.record(z.string(), z.int().nonnegative()),
});

/** The stable, non-reversible stand-in for an erased customer_ref (≤ 128 characters, as the schema allows). */
const erasedRef = (refHash: string) => `erased:${refHash}`;

// The customer's rows: by the hash of the reference, or by the token an earlier (interrupted) erasure left.
const CUSTOMER = `customer_ref != '' AND (lower(hex(SHA256(concat(tenant_id, ':', customer_ref)))) = {refHash:String} OR customer_ref = {token:String})`;

/** Each target: how many rows it would change, and the mutation that changes them (same condition). */
const statements: Record<ErasureTarget, { where: string; update: string; table: string }> = {
  'events.text': {
    table: 'events',
    // Transcript segments (and any other event with words) of the customer's interactions.
    where: `tenant_id = {tenantId:String} AND interaction_id IN {interactions:Array(String)} AND text != '' AND text != {erased:String}`,
    update: `text = {erased:String}`,
  },
  'ingest_rejections.raw': {
    table: 'ingest_rejections',
    // A rejected line keeps its (redacted) raw text for 30 days: the customer's lines lose it now.
    where: `tenant_id = {tenantId:String} AND raw != {erased:String} AND (lower(hex(SHA256(concat(tenant_id, ':', JSONExtractString(raw, 'customer_ref'))))) = {refHash:String} OR (JSONExtractString(raw, 'interaction_id') != '' AND JSONExtractString(raw, 'interaction_id') IN {interactions:Array(String)}))`,
    update: `raw = {erased:String}`,
  },
  'events.customer_ref': {
    table: 'events',
    where: `tenant_id = {tenantId:String} AND customer_ref != '' AND lower(hex(SHA256(concat(tenant_id, ':', customer_ref)))) = {refHash:String}`,
    update: `customer_ref = {token:String}`,
  },
};

const HEARTBEAT_MS = 10_000;

export function createErasureActivities(deps: { db: Db; telemetry: ClickHouseClient }) {
  return {
    /** Scrubs one table's column of the customer's data; answers the rows it changed (0 when already erased). */
    async eraseCustomerData(raw: { tenantId: string; refHash: string; target: ErasureTarget }): Promise<{ target: ErasureTarget; rows: number }> {
      const input = parseInput('eraseCustomerData', ErasureInput, raw);
      const token = erasedRef(input.refHash);
      // A mutation waits for its parts to be rewritten: the heartbeat says the activity is alive meanwhile.
      const beat = setInterval(() => Context.current().heartbeat({ target: input.target }), HEARTBEAT_MS);
      try {
        Context.current().heartbeat({ target: input.target });
        const interactions = (
          await queryRows(
            deps.telemetry,
            z.object({ interaction_id: z.string() }),
            `SELECT DISTINCT interaction_id FROM events WHERE tenant_id = {tenantId:String} AND ${CUSTOMER} AND interaction_id != ''`,
            { tenantId: input.tenantId, refHash: input.refHash, token },
          )
        ).map((r) => r.interaction_id);
        const statement = statements[input.target];
        const params = { tenantId: input.tenantId, refHash: input.refHash, token, erased: ERASED_TEXT, interactions };
        const [counted] = await queryRows(
          deps.telemetry,
          z.object({ rows: UInt64 }),
          `SELECT count() AS rows FROM ${statement.table} WHERE ${statement.where}`,
          params,
        );
        const rows = counted?.rows ?? 0;
        if (rows > 0) {
          await deps.telemetry.command({
            query: `ALTER TABLE ${statement.table} UPDATE ${statement.update} WHERE ${statement.where}`,
            query_params: params,
            clickhouse_settings: { mutations_sync: '2' },
          });
        }
        return { target: input.target, rows };
      } finally {
        clearInterval(beat);
      }
    },

    /**
     * The erasure certificate in the audit log (`erasure.customer`, object the hash), with the rows changed per
     * table; a retry of the same run finds it recorded and records nothing.
     */
    async certifyErasure(raw: { tenantId: string; refHash: string; startedAt: string; counts: Record<string, number> }): Promise<{ recorded: boolean }> {
      const input = parseInput('certifyErasure', CertificateInput, raw);
      const recorded = await recordErasureCertificate(deps.db, {
        tenantId: input.tenantId,
        refHash: input.refHash,
        since: new Date(input.startedAt),
        counts: input.counts,
      });
      return { recorded };
    },
  };
}
