import type { ClickHouseClient } from '@clickhouse/client';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import {
  agentErasureNeedles,
  anonymiseAgentUsers,
  deleteAgentMail,
  findAgentForErasure,
  maskAgentInFreeText,
  pseudonymiseAgent,
  recordAgentErasureCertificate,
  type Db,
} from '@switchboard/db';
import { queryRows, UInt64 } from '@switchboard/telemetry';
import { parseInput } from './activity-input.ts';

/**
 * The agent erasure workflow's activities: a departed agent's personal data scrubbed, target by target, while the
 * aggregate history stays exactly as it was.
 *
 * The agent is named by their id only (agents.id): the workflow's arguments, ids and history never hold a name, an
 * e-mail or the key. Each activity reads what names the agent (packages/db agent-erasure.ts, agentErasureNeedles)
 * from Postgres itself, so those never travel either, and checks again that the agent has left.
 *
 * ClickHouse holds no name column: events carry the agent key, a pseudonymous id that every rollup and report is
 * keyed on, and it stays. What can hold the name is text: transcript words (an agent says who they are) and rejected
 * lines (their raw text and message). There the names are masked in place, each by as many `*` (quality evidence
 * points into segments by string offsets); raw events are updated, never deleted or replaced, for the reasons given
 * in erasure-activities.ts (rollups keep their counts, nothing is counted twice). Names are matched as words of their
 * own in any case; in the agent's own segments (speaker `agent`, their key) each word of their names is masked too,
 * since that is where "this is Jane" is said.
 *
 * The order matters for a retry: ClickHouse and the free text first, while Postgres still knows the names; the
 * e-mail's mail before the user is anonymised; the display name last. A step that finds nothing left changes nothing,
 * so a rerun of the whole erasure reports zeros.
 */

export type AgentErasureTarget = 'events.text' | 'ingest_rejections.raw' | 'postgres.text' | 'mail_outbox' | 'users' | 'agents.display_name';

const EraseAgentInput = z.object({
  tenantId: z.uuid(),
  agentId: z.uuid(),
  target: z.enum(['events.text', 'ingest_rejections.raw', 'postgres.text', 'mail_outbox', 'users', 'agents.display_name']),
});

const CertificateInput = z.object({
  tenantId: z.uuid(),
  agentId: z.uuid(),
  startedAt: z.iso.datetime({ offset: true }),
  counts: z.record(z.string(), z.int().nonnegative()),
});

/** RE2's `(?i)` folds case in every script; `\pL\pN_` are word characters in every script, as nameMatcher's are. */
const WORD = String.raw`[^\pL\pN_]`;

/**
 * A name as a word of its own, for ClickHouse's replaceRegexpAll: the characters either side are captured (RE2 has no
 * look-behind) and put back by the replacement. A match takes the character after it, so of two names one space apart
 * the second is found by a second pass: the expression applies each pattern twice.
 */
function re2Name(name: string): { pattern: string; replacement: string } {
  const escaped = name.replace(/[!-/:-@[-`{-~]/g, '\\$&');
  return { pattern: `(?i)(^|${WORD})${escaped}(${WORD}|$)`, replacement: `\\1${'*'.repeat(name.length)}\\2` };
}

/** How a name may be written in a rejected line's raw JSON: as is, with JSON's escapes, and with every non-ASCII character as \uXXXX. */
function jsonForms(names: readonly string[]): string[] {
  const escaped = (n: string) => JSON.stringify(n).slice(1, -1);
  const ascii = (n: string) => escaped(n).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [...new Set(names.flatMap((n) => [n, escaped(n), ascii(n)]))].sort((a, b) => b.length - a.length);
}

/**
 * SQL masking `column` for `names`: nested replaceRegexpAll calls whose patterns are bound parameters (`{prefix0}`…),
 * and the condition that some pattern matches. The parameters go into `params`.
 */
function maskSql(column: string, names: readonly string[], prefix: string, params: Record<string, unknown>): { masked: string; matches: string } {
  let masked = column;
  const matches: string[] = [];
  names.forEach((name, i) => {
    const { pattern, replacement } = re2Name(name);
    const p = `{${prefix}${i}:String}`;
    const r = `{${prefix}r${i}:String}`;
    params[`${prefix}${i}`] = pattern;
    params[`${prefix}r${i}`] = replacement;
    masked = `replaceRegexpAll(replaceRegexpAll(${masked}, ${p}, ${r}), ${p}, ${r})`;
    matches.push(`match(${column}, ${p})`);
  });
  return { masked, matches: matches.length > 0 ? `(${matches.join(' OR ')})` : '0' };
}

/**
 * One mutation per table: every column masked for `names` everywhere and for `ownWords` where `own` holds (what the
 * agent said), counted first and run only when rows remain. Table and column names are this file's constants.
 */
async function maskInClickHouse(
  client: ClickHouseClient,
  input: { table: string; columns: readonly string[]; own: string; tenantId: string; key: string; names: readonly string[]; ownWords: readonly string[] },
): Promise<number> {
  if (input.names.length === 0 && input.ownWords.length === 0) return 0;
  const params: Record<string, unknown> = { tenantId: input.tenantId, key: input.key };
  const sets: string[] = [];
  const found: string[] = [];
  input.columns.forEach((column, c) => {
    const everywhere = maskSql(column, input.names, `n${c}_`, params);
    const own = maskSql(column, input.ownWords, `w${c}_`, params);
    sets.push(`${column} = if(${input.own}, ${own.masked}, ${everywhere.masked})`);
    found.push(everywhere.matches, `(${input.own} AND ${own.matches})`);
  });
  const where = `tenant_id = {tenantId:String} AND (${found.join(' OR ')})`;
  // sql-safe: table, columns and own are literals at both calls below; maskSql binds every name as a parameter.
  const [counted] = await queryRows(client, z.object({ rows: UInt64 }), `SELECT count() AS rows FROM ${input.table} WHERE ${where}`, params);
  const rows = counted?.rows ?? 0;
  if (rows > 0) {
    // sql-safe: as the count above.
    await client.command({
      query: `ALTER TABLE ${input.table} UPDATE ${sets.join(', ')} WHERE ${where}`,
      query_params: params,
      // "Done" means every replica rewrote its parts (erasure-activities.ts).
      clickhouse_settings: { mutations_sync: '2' },
    });
  }
  return rows;
}

const HEARTBEAT_MS = 10_000;

const refuse = (type: 'AgentNotFound' | 'AgentNotDeparted', message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

export function createAgentErasureActivities(deps: { db: Db; telemetry: ClickHouseClient }) {
  return {
    /** Scrubs one target of the agent's personal data; answers the rows it changed or deleted (0 when already erased). */
    async eraseAgentData(raw: { tenantId: string; agentId: string; target: AgentErasureTarget }): Promise<{ target: AgentErasureTarget; rows: number }> {
      const input = parseInput('eraseAgentData', EraseAgentInput, raw);
      const beat = setInterval(() => Context.current().heartbeat({ target: input.target }), HEARTBEAT_MS);
      try {
        Context.current().heartbeat({ target: input.target });
        // Checked by every step, not only by the operator command: no step runs for an agent who is back at work.
        const subject = await findAgentForErasure(deps.db, input.tenantId, { id: input.agentId });
        if (!subject) throw refuse('AgentNotFound', `agent ${input.agentId} does not exist in tenant ${input.tenantId}`);
        if (subject.activeMembers > 0 || subject.scheduledFrom !== null)
          throw refuse('AgentNotDeparted', `agent ${input.agentId} has an active member or a published shift from today on`);
        const needles = (await agentErasureNeedles(deps.db, input.tenantId, input.agentId))!;
        const rows = await eraseTarget(deps, input, needles);
        return { target: input.target, rows };
      } finally {
        clearInterval(beat);
      }
    },

    /** The certificate in the audit log (`erasure.agent`, object the agent id); a retry of the same run records nothing. */
    async certifyAgentErasure(raw: { tenantId: string; agentId: string; startedAt: string; counts: Record<string, number> }): Promise<{ recorded: boolean }> {
      const input = parseInput('certifyAgentErasure', CertificateInput, raw);
      const recorded = await recordAgentErasureCertificate(deps.db, {
        tenantId: input.tenantId,
        agentId: input.agentId,
        since: new Date(input.startedAt),
        counts: input.counts,
      });
      return { recorded };
    },
  };
}

function eraseTarget(
  deps: { db: Db; telemetry: ClickHouseClient },
  input: z.infer<typeof EraseAgentInput>,
  needles: { key: string; names: string[]; ownWords: string[] },
): Promise<number> {
  const { tenantId, agentId } = input;
  switch (input.target) {
    case 'events.text':
      return maskInClickHouse(deps.telemetry, {
        table: 'events',
        columns: ['text'],
        own: `(speaker = 'agent' AND agent_id = {key:String})`,
        tenantId,
        key: needles.key,
        names: needles.names,
        ownWords: needles.ownWords,
      });
    case 'ingest_rejections.raw':
      return maskInClickHouse(deps.telemetry, {
        table: 'ingest_rejections',
        columns: ['raw', 'message'],
        own: `(JSONExtractString(raw, 'speaker') = 'agent' AND JSONExtractString(raw, 'agent_id') = {key:String})`,
        tenantId,
        key: needles.key,
        names: jsonForms(needles.names),
        ownWords: jsonForms(needles.ownWords),
      });
    case 'postgres.text':
      return maskAgentInFreeText(deps.db, tenantId, needles.names);
    case 'mail_outbox':
      return deleteAgentMail(deps.db, tenantId, agentId);
    case 'users':
      return anonymiseAgentUsers(deps.db, tenantId, agentId);
    case 'agents.display_name':
      return pseudonymiseAgent(deps.db, tenantId, agentId);
  }
}
