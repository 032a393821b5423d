import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { centerConfigToCsv, type CenterImportRequest } from '@switchboard/contracts';
import {
  apiKeyScopes,
  createApiKey,
  getCenterConfig,
  getTenantById,
  importCenterConfig,
  listApiKeys,
  listAudit,
  listPeople,
  PeopleRuleError,
  recordAudit,
  revokeApiKey,
  rotateApiKey,
  setAuditRetention,
  setMembership,
  setPersonDeactivated,
  updatePerson,
  userExists,
} from '@switchboard/db';
import { createInvitedUser, type Auth } from '../auth.ts';
import type { ApiServices } from '../context.ts';
import { roles } from '../policy.ts';
import { notFound, type Access } from '../trpc.ts';

/**
 * A tenant administrator's directory of people and API keys. Every change is audited in
 * the transaction that makes it (see @switchboard/db people.ts and api-keys.ts).
 */

/** What changing people needs beyond the stores: sign-in (to invite) and the request cache of memberships. */
export interface Accounts {
  auth: Auth;
  /** Drops the user's cached membership here, so a change applies on their next request. */
  forget(userId: string): void;
}

const Role = z.enum(roles);
const Key = z.string().min(1).max(63);

const Scoping = z.object({
  role: Role,
  agentKey: Key.optional(),
  teamKeys: z.array(Key).max(200).optional(),
  qualityLead: z.boolean().optional(),
});

export const InviteInput = Scoping.extend({
  email: z.email('an e-mail address').max(200),
  name: z.string().trim().min(1, 'a name').max(100),
});

export const UpdatePersonInput = Scoping.extend({ userId: z.string().min(1).max(100) });
export const PersonRef = z.object({ userId: z.string().min(1).max(100) });

/** An agent member needs an agent of the tenant, a supervisor teams of it; a quality lead is an analyst or a supervisor. */
function checkScoping(access: Access, input: z.infer<typeof Scoping>): void {
  const problems: string[] = [];
  if (input.role === 'agent') {
    if (!input.agentKey) problems.push('an agent member is linked to an agent: choose one');
    else if (!access.directory.agents.some((a) => a.key === input.agentKey)) problems.push(`no agent "${input.agentKey}" in this center`);
  }
  const unknownTeams = (input.teamKeys ?? []).filter((k) => !access.directory.teams.some((t) => t.key === k));
  if (unknownTeams.length > 0) problems.push(`no team ${unknownTeams.map((k) => `"${k}"`).join(', ')} in this center`);
  if (input.qualityLead && input.role !== 'analyst' && input.role !== 'supervisor') problems.push('only an analyst or a supervisor can be a quality lead');
  if (problems.length > 0) throw new TRPCError({ code: 'BAD_REQUEST', message: problems.join('; ') });
}

const scopingOf = (input: z.infer<typeof Scoping>) => ({
  role: input.role,
  agentKey: input.role === 'agent' ? input.agentKey : undefined,
  teamKeys: input.role === 'supervisor' ? input.teamKeys : undefined,
  qualityLead: input.qualityLead,
});

function conflictOnRule<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    if (error instanceof PeopleRuleError) throw new TRPCError({ code: 'CONFLICT', message: error.message });
    throw error;
  });
}

export async function listPeopleView(services: ApiServices, access: Access) {
  const people = await listPeople(services.db, access.tenantId);
  return people.map((p) => ({ ...p, deactivatedAt: p.deactivatedAt?.toISOString() ?? null, lastSeenAt: p.lastSeenAt?.toISOString() ?? null }));
}

/**
 * Adds a person with no password and sends them (through the outbox) a one-time link to
 * choose one. Someone with an account already belongs to a tenant: refused.
 */
export async function invitePerson(services: ApiServices, accounts: Accounts, access: Access, actorId: string, input: z.infer<typeof InviteInput>) {
  checkScoping(access, input);
  if (await userExists(services.db, input.email)) throw new TRPCError({ code: 'CONFLICT', message: `${input.email} already has an account` });
  const userId = await createInvitedUser(accounts.auth, input);
  await setMembership(services.db, { userId, tenantId: access.tenantId, ...scopingOf(input) }, { actorId, action: 'person.invite' });
  await sendPasswordLink(accounts, input.email);
  return { userId };
}

/** The same one-time link as an invitation: a reset for someone with a password, the invitation again for someone without. */
async function sendPasswordLink(accounts: Accounts, email: string): Promise<void> {
  await accounts.auth.api.requestPasswordReset({ body: { email, redirectTo: '/set-password' } });
}

async function requirePerson(services: ApiServices, access: Access, userId: string) {
  const person = (await listPeople(services.db, access.tenantId)).find((p) => p.userId === userId);
  if (!person) throw notFound('person');
  return person;
}

export async function updatePersonView(services: ApiServices, accounts: Accounts, access: Access, actorId: string, input: z.infer<typeof UpdatePersonInput>) {
  checkScoping(access, input);
  await requirePerson(services, access, input.userId);
  await conflictOnRule(() => updatePerson(services.db, access.tenantId, actorId, { userId: input.userId, ...scopingOf(input) }));
  accounts.forget(input.userId);
  return { ok: true };
}

export async function setPersonActive(services: ApiServices, accounts: Accounts, access: Access, actorId: string, userId: string, active: boolean) {
  await requirePerson(services, access, userId);
  const changed = await conflictOnRule(() => setPersonDeactivated(services.db, access.tenantId, actorId, userId, !active));
  accounts.forget(userId);
  return { changed };
}

export async function resetPassword(services: ApiServices, accounts: Accounts, access: Access, actorId: string, userId: string) {
  const person = await requirePerson(services, access, userId);
  await sendPasswordLink(accounts, person.email);
  await recordAudit(services.db, { tenantId: access.tenantId, userId: actorId, action: 'person.password_reset', objectType: 'user', objectId: userId });
  return { ok: true };
}

// ── API keys ─────────────────────────────────────────────────────────────────

export const CreateKeyInput = z.object({
  name: z.string().trim().min(1, 'name the key after what sends with it').max(100),
  scopes: z.array(z.enum(apiKeyScopes)).min(1).default(['ingest']),
});
export const KeyRef = z.object({ keyId: z.uuid() });
/** How long a rotated key keeps working: from none to a month. */
export const RotateKeyInput = KeyRef.extend({
  overlapHours: z
    .number()
    .min(0)
    .max(24 * 31)
    .default(24),
});

export async function listKeysView(services: ApiServices, access: Access) {
  const keys = await listApiKeys(services.db, access.tenantId);
  const people = await listPeople(services.db, access.tenantId);
  const now = services.now().getTime();
  return keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdBy: people.find((p) => p.userId === k.createdBy)?.name ?? null,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    status: k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt.getTime() <= now ? 'expired' : k.expiresAt ? 'rotating' : 'active',
  }));
}

/** The key is in the answer once: only its hash is kept. */
export function createKey(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof CreateKeyInput>) {
  return createApiKey(services.db, access.tenantId, input.name, { scopes: input.scopes, createdBy: actorId });
}

export async function rotateKey(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof RotateKeyInput>) {
  const created = await rotateApiKey(services.db, access.tenantId, actorId, input.keyId, input.overlapHours * 3_600_000);
  if (!created) throw notFound('live API key');
  return created;
}

export async function revokeKey(services: ApiServices, access: Access, actorId: string, keyId: string) {
  if (!(await revokeApiKey(services.db, access.tenantId, keyId, actorId)))
    throw new TRPCError({ code: 'NOT_FOUND', message: 'no such API key, or it is revoked already' });
  services.apiKeysChanged();
  return { ok: true };
}

// ── audit trail ──────────────────────────────────────────────────────────────

const AUDIT_PAGE = 200;

export const AuditInput = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    action: z.string().trim().max(100).optional(),
    userId: z.string().max(100).optional(),
    objectType: z.string().trim().max(100).optional(),
    /** The last entry of the previous page (named for tRPC's infinite queries). */
    cursor: z.object({ at: z.iso.datetime({ offset: true }), id: z.uuid() }).nullish(),
  })
  .refine((i) => Date.parse(i.from) < Date.parse(i.to), { message: 'from must be before to', path: ['to'] });

/** A page of the trail (newest first) and whether there is more; with the retention in force. */
export async function listAuditView(services: ApiServices, access: Access, input: z.infer<typeof AuditInput>) {
  const entries = await listAudit(services.db, access.tenantId, {
    from: new Date(input.from),
    to: new Date(input.to),
    action: input.action || undefined,
    userId: input.userId || undefined,
    objectType: input.objectType || undefined,
    before: input.cursor ? { at: new Date(input.cursor.at), id: input.cursor.id } : undefined,
    limit: AUDIT_PAGE + 1,
  });
  const tenant = await getTenantById(services.db, access.tenantId);
  return {
    entries: entries.slice(0, AUDIT_PAGE).map((e) => ({ ...e, at: e.at.toISOString() })),
    more: entries.length > AUDIT_PAGE,
    retentionDays: tenant?.auditRetentionDays ?? null,
  };
}

/** From three months (the shortest a trail is useful for) to ten years. */
export const RetentionInput = z.object({ days: z.int().min(90).max(3650) });

export async function setRetention(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof RetentionInput>) {
  await setAuditRetention(services.db, access.tenantId, actorId, input.days);
  return { ok: true };
}

// ── center configuration ────────────────────────────────────────────────────

/** The center's configuration as JSON and as the CSV files of docs/center-import.md. */
export async function exportConfig(services: ApiServices, access: Access) {
  const config = (await getCenterConfig(services.db, access.tenantId))!;
  return { config, csv: centerConfigToCsv(config) };
}

/** An import from the admin screen: refused with every problem (file, row, column), else the diff, applied unless a dry run. */
export async function importConfig(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof CenterImportRequest>) {
  const tenant = (await getTenantById(services.db, access.tenantId))!;
  const result = await importCenterConfig(services.db, tenant, input.csv ? { csv: input.csv } : { json: input.json }, { dryRun: input.dryRun, actorId });
  if ('problems' in result) return { applied: false, diff: null, problems: result.problems };
  // The directory cache would show the old configuration for up to its lifetime.
  if (result.applied) services.directory.invalidate(access.tenantId);
  return { ...result, problems: [] };
}
