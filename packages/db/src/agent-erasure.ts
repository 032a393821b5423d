import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from './client.ts';
import { accounts, agents, mailOutbox, memberships, sessions, twoFactors, users, verifications } from './schema.ts';
import { withTenant } from './tenancy.ts';

/**
 * Erasure of a departed agent's personal data in Postgres (the agent erasure workflow, workflows/src/erasure-agent-activities.ts).
 *
 * The agent stays: their id and key are what telemetry, rollups, evaluations and schedules point at, so the aggregate
 * history keeps adding up. What goes is what names the person: the display name (replaced by a pseudonym made from a
 * hash of the ids, never of the name), the user linked through `memberships.agent_id` (name, e-mail and picture
 * replaced, sessions, accounts and verifications deleted so nobody signs in as them again; the membership row stays,
 * deactivated, as the link from the anonymous user to the agent's history), mail addressed to them, and any text
 * people typed that names them (`FREE_TEXT`). Every step leaves out what an earlier one erased, so a rerun changes
 * nothing, and each runs in one transaction.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What an erased agent is called from now on: "Former agent 3f2a9c1b", from the ids (the name is not recoverable from it). */
export function agentPseudonym(tenantId: string, agentId: string): string {
  return `Former agent ${sha256(`${tenantId}:${agentId}`).slice(0, 8)}`;
}

/** The e-mail of an erased user: unique (the column is), undeliverable (RFC 2606 `.invalid`), and from the user id only. */
export function erasedUserEmail(userId: string): string {
  return `erased-${sha256(userId).slice(0, 24)}@erased.invalid`;
}

interface AgentErasureSubject {
  agentId: string;
  key: string;
  /** Members linked to the agent who are not deactivated: the agent has not left. */
  activeMembers: number;
  /** The first tenant-local day from today on on which the agent has a shift in a published schedule. */
  scheduledFrom: string | null;
}

/**
 * The agent to erase, by key (the operator's name for them) or id (the workflow's), with what says whether they left:
 * none is departed while a linked member is still active or a published schedule has them working today or later.
 */
export async function findAgentForErasure(db: Db, tenantId: string, agent: { key: string } | { id: string }): Promise<AgentErasureSubject | null> {
  const which = 'key' in agent ? sql`a.key = ${agent.key}` : sql`a.id = ${agent.id}::uuid`;
  const { rows } = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx.execute(sql`
        SELECT a.id AS agent_id, a.key,
               (SELECT count(*)::int FROM memberships m
                 WHERE m.tenant_id = a.tenant_id AND m.agent_id = a.id AND m.deactivated_at IS NULL) AS active_members,
               (SELECT min(sa.shift_date)::text FROM schedule_activities sa
                  JOIN schedules s ON s.tenant_id = sa.tenant_id AND s.id = sa.schedule_id
                 WHERE sa.tenant_id = a.tenant_id AND sa.agent_id = a.id AND s.status = 'published'
                   AND sa.shift_date >= (now() AT TIME ZONE t.timezone)::date) AS scheduled_from
          FROM agents a JOIN tenants t ON t.id = a.tenant_id
         WHERE a.tenant_id = ${tenantId} AND ${which}`),
    { accessMode: 'read only' },
  );
  const row = rows[0] as { agent_id: string; key: string; active_members: number; scheduled_from: string | null } | undefined;
  return row ? { agentId: row.agent_id, key: row.key, activeMembers: Number(row.active_members), scheduledFrom: row.scheduled_from } : null;
}

/** Shorter names are not searched for in text: a two-letter name would blank that word in every text of the tenant. */
const MIN_NAME_LENGTH = 3;

interface AgentNeedles {
  key: string;
  /** The display name and the linked users' names and e-mails not erased yet, longest first: searched for in all text of the tenant. */
  names: string[];
  /** Those and each word of the names: searched for only in what the agent said (their transcript segments). */
  ownWords: string[];
}

const byLength = (values: Iterable<string>) =>
  [...new Set([...values].map((v) => v.trim()).filter((v) => [...v].length >= MIN_NAME_LENGTH))].sort((a, b) => b.length - a.length || a.localeCompare(b));

/** What names the agent and is not erased yet; empty lists once the erasure has run. Read where it is used: it never travels. */
export async function agentErasureNeedles(db: Db, tenantId: string, agentId: string): Promise<AgentNeedles | null> {
  const [agent] = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select({ key: agents.key, displayName: agents.displayName })
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId))),
    { accessMode: 'read only' },
  );
  if (!agent) return null;
  const linked = await linkedUsers(db, tenantId, agentId);
  const names = [
    ...(agent.displayName === agentPseudonym(tenantId, agentId) ? [] : [agent.displayName]),
    ...linked.filter((u) => u.email !== erasedUserEmail(u.id)).flatMap((u) => [u.name, u.email]),
  ];
  const words = names.filter((n) => !n.includes('@')).flatMap((n) => n.split(/[\s,;:()"]+/));
  return { key: agent.key, names: byLength(names), ownWords: byLength([...names, ...words]) };
}

function linkedUsers(db: Db, tenantId: string, agentId: string) {
  // Users are not a tenant's rows (the application's role has no grant on them): read as the owner, as getMembership does.
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.agentId, agentId)));
}

/**
 * Finds a name as a word of its own, in any case: "Sam" is found in "Sam's" but not in "Samsung". The same rule as the
 * ClickHouse pattern in erasure-agent-activities.ts, written for JavaScript.
 */
function nameMatcher(name: string): RegExp {
  const escaped = name.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'giu');
}

/**
 * The text with each name replaced by as many `*`: quality evidence points into transcripts and texts by string
 * offsets, which stay where they were.
 */
function maskNames(text: string, names: readonly string[]): string {
  return names.reduce((t, name) => t.replace(nameMatcher(name), (m) => '*'.repeat(m.length)), text);
}

/** A JSON document with the names masked in its string values (never in its keys, whose shape readers depend on). */
function maskJson(value: unknown, names: readonly string[]): unknown {
  if (typeof value === 'string') return maskNames(value, names);
  if (Array.isArray(value)) return value.map((v) => maskJson(v, names));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v, names)]));
  return value;
}

/**
 * Text people type, per tenant table: where a departed agent's name or e-mail may have been written (a dispute's
 * comment, a refusal, a note, a label, the name of a key or a contract). Kept out: ids and keys (telemetry and
 * evaluations join on them), enums, structured JSON read by code (shifts, breaks, availability, evidence, targets),
 * quality form versions (frozen once used: a trigger refuses any change), and the audit trail (ids only).
 */
const FREE_TEXT: readonly { table: string; column: string; json?: true }[] = [
  { table: 'api_keys', column: 'name' },
  { table: 'skills', column: 'name' },
  { table: 'teams', column: 'name' },
  { table: 'queues', column: 'name' },
  { table: 'bots', column: 'name' },
  { table: 'intents', column: 'label' },
  { table: 'special_days', column: 'label' },
  { table: 'forecast_overrides', column: 'label' },
  { table: 'planning_groups', column: 'name' },
  { table: 'shift_templates', column: 'name' },
  { table: 'work_contracts', column: 'name' },
  { table: 'time_off_requests', column: 'decision_note' },
  { table: 'schedules', column: 'rejected_reason' },
  { table: 'schedules', column: 'summary', json: true },
  { table: 'shift_swaps', column: 'refusal' },
  { table: 'evaluation_plans', column: 'name' },
  { table: 'evaluation_answers', column: 'override_reason' },
  { table: 'evaluation_disputes', column: 'comment' },
  { table: 'evaluation_disputes', column: 'decision_note' },
  { table: 'calibration_sessions', column: 'name' },
];

/**
 * A LIKE pattern for lower(text) that matches wherever the name does, in any case, whatever the database's locale:
 * lower() may fold ASCII only (the C locale), so each other character matches any one character. A coarse test: the
 * exact one is maskNames'.
 */
function likeAnyCase(name: string): string {
  return `%${[...name].map((c) => (c > '\x7f' ? '_' : c.toLowerCase().replace(/[\\%_]/g, '\\$&'))).join('')}%`;
}

/** Rows that may hold a name (see likeAnyCase). */
function mayHold(column: SQLWrapper, names: readonly string[]): SQL {
  // jsonb's text form escapes quotes and backslashes: look for the escaped name too.
  const forms = [...new Set(names.flatMap((n) => [n, JSON.stringify(n).slice(1, -1)]))];
  return or(...forms.map((n) => sql`lower(${column}::text) LIKE ${likeAnyCase(n)}`))!;
}

/**
 * Masks the agent's names and e-mails in the tenant's free text (`FREE_TEXT`) and in the subjects and bodies of the
 * tenant's mail; answers the rows changed. Rows are rewritten value by value (the new text computed here, where the
 * name-as-a-word rule is the same for every script), each matched by its old value.
 */
export async function maskAgentInFreeText(db: Db, tenantId: string, names: readonly string[]): Promise<number> {
  if (names.length === 0) return 0;
  let changed = await withTenant(db, tenantId, async (tx) => {
    let rows = 0;
    for (const { table, column, json } of FREE_TEXT) {
      const t = sql.identifier(table);
      const c = sql.identifier(column);
      const found = await tx.execute(
        sql`SELECT DISTINCT ${c}::text AS v FROM ${t} WHERE tenant_id = ${tenantId} AND ${c} IS NOT NULL AND ${mayHold(c, names)}`,
      );
      for (const { v } of found.rows as { v: string }[]) {
        const masked = json ? JSON.stringify(maskJson(JSON.parse(v), names)) : maskNames(v, names);
        if (masked === v || (json && masked === JSON.stringify(JSON.parse(v)))) continue;
        const cast = json ? sql`::jsonb` : sql``;
        const updated = await tx.execute(sql`UPDATE ${t} SET ${c} = ${masked}${cast} WHERE tenant_id = ${tenantId} AND ${c} = ${v}${cast} RETURNING 1 AS one`);
        rows += updated.rows.length;
      }
    }
    return rows;
  });
  // The outbox is no tenant's table (sign-in writes it): the owner scrubs the tenant's mail.
  await db.transaction(async (tx) => {
    const mail = await tx
      .select({ id: mailOutbox.id, subject: mailOutbox.subject, body: mailOutbox.body })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.tenantId, tenantId), or(mayHold(sql`${mailOutbox.subject}`, names), mayHold(sql`${mailOutbox.body}`, names))));
    for (const m of mail) {
      const subject = maskNames(m.subject, names);
      const body = maskNames(m.body, names);
      if (subject === m.subject && body === m.body) continue;
      await tx.update(mailOutbox).set({ subject, body }).where(eq(mailOutbox.id, m.id));
      changed++;
    }
  });
  return changed;
}

/** Deletes mail addressed to the users linked to the agent (an invitation or reset link is theirs alone); answers the rows deleted. */
export async function deleteAgentMail(db: Db, tenantId: string, agentId: string): Promise<number> {
  const linked = (await linkedUsers(db, tenantId, agentId)).filter((u) => u.email !== erasedUserEmail(u.id));
  if (linked.length === 0) return 0;
  // Any tenant's or none: sign-in mail has no tenant, and the address is the person's wherever it was sent from.
  const deleted = await db
    .delete(mailOutbox)
    .where(or(...linked.map((u) => sql`lower(${mailOutbox.recipient}) = lower(${u.email})`)))
    .returning({ id: mailOutbox.id });
  return deleted.length;
}

/**
 * Anonymises the users linked to the agent: name → the agent's pseudonym, e-mail → `erasedUserEmail`, no picture;
 * their sessions, accounts (the password hash, identity-provider links) and verifications deleted, so nobody can sign
 * in as them; their membership deactivated if it was not. Answers the rows changed or deleted.
 */
export async function anonymiseAgentUsers(db: Db, tenantId: string, agentId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const linked = await tx
      .select({ id: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.agentId, agentId)))
      .for('update');
    const pending = linked.filter((u) => u.email !== erasedUserEmail(u.id));
    let rows = 0;
    for (const u of pending) {
      const lower = u.email.toLowerCase();
      const gone = await tx
        .delete(verifications)
        .where(
          or(
            eq(verifications.value, u.id),
            sql`strpos(lower(${verifications.identifier}), ${lower}) > 0`,
            sql`strpos(lower(${verifications.value}), ${lower}) > 0`,
          ),
        )
        .returning({ id: verifications.id });
      rows += gone.length;
      rows += (await tx.delete(sessions).where(eq(sessions.userId, u.id)).returning({ id: sessions.id })).length;
      rows += (await tx.delete(accounts).where(eq(accounts.userId, u.id)).returning({ id: accounts.id })).length;
      rows += (await tx.delete(twoFactors).where(eq(twoFactors.userId, u.id)).returning({ id: twoFactors.id })).length;
      await tx
        .update(users)
        .set({
          name: agentPseudonym(tenantId, agentId),
          email: erasedUserEmail(u.id),
          image: null,
          emailVerified: false,
          twoFactorEnabled: false,
          updatedAt: new Date(),
        })
        .where(eq(users.id, u.id));
      rows++;
    }
    if (linked.length > 0) {
      const ids = linked.map((u) => u.id);
      const deactivated = await tx
        .update(memberships)
        .set({ deactivatedAt: sql`now()` })
        .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.userId, ids), isNull(memberships.deactivatedAt)))
        .returning({ id: memberships.userId });
      rows += deactivated.length;
    }
    return rows;
  });
}

/** Replaces the agent's display name with their pseudonym; answers 1, or 0 when it already was. */
export async function pseudonymiseAgent(db: Db, tenantId: string, agentId: string): Promise<number> {
  const pseudonym = agentPseudonym(tenantId, agentId);
  const updated = await withTenant(db, tenantId, (tx) =>
    tx
      .update(agents)
      .set({ displayName: pseudonym })
      .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId), sql`${agents.displayName} <> ${pseudonym}`))
      .returning({ id: agents.id }),
  );
  return updated.length;
}
