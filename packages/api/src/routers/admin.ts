import { TRPCError } from '@trpc/server';
import { CenterImportRequest } from '@switchboard/contracts';
import { policies } from '../policy.ts';
import {
  AuditInput,
  CreateKeyInput,
  createKey,
  exportConfig,
  importConfig,
  InviteInput,
  invitePerson,
  KeyRef,
  listAuditView,
  listKeysView,
  listPeopleView,
  PersonRef,
  resetPassword,
  RetentionInput,
  revokeKey,
  RotateKeyInput,
  rotateKey,
  setPersonActive,
  setRetention,
  UpdatePersonInput,
  updatePersonView,
  type Accounts,
} from '../services/admin.ts';
import { DataRetentionInput, getRetentionView, setDataRetentionView } from '../services/retention.ts';
import { FrameAncestorsInput, getDesktopEmbedView, setFrameAncestorsView } from '../services/desktop-embed.ts';
import { getSsoView, PasswordSignInInput, removeSso, saveSso, setPasswordSignInView, SsoInput } from '../services/sso-admin.ts';
import { authorized, router } from '../trpc.ts';
import { centerRouter } from './center.ts';
import { webhooksRouter } from './webhooks.ts';
import {
  AdminDirectory,
  ApiKeys,
  AuditPage,
  Changed,
  ConfigExport,
  ConfigImport,
  DesktopEmbed,
  Invited,
  NewApiKey,
  PasswordSignIn,
  People,
  Removed,
  Retention,
  Sso,
} from '../outputs/admin.ts';
import { Ok } from '../outputs/shared.ts';

/** Invitations and session caches live in the web process: a caller without them cannot change people. */
function accountsOf(ctx: { accounts?: Accounts | undefined }): Accounts {
  if (!ctx.accounts) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'people can only be changed through the web API' });
  return ctx.accounts;
}

/** Tenant administration: people and API keys. Tenant admins only. */
export const adminRouter = router({
  /** The center's skills, teams, agents, queues, bots and intents, one item at a time. */
  center: centerRouter,

  /** Outbound webhooks: subscriptions, their signing secrets and delivery logs. */
  webhooks: webhooksRouter,

  /** The agents and teams a person can be linked to or scoped to. */
  directory: authorized(policies.admins)
    .output(AdminDirectory)
    .query(({ ctx }) => ({
      agents: ctx.access.directory.agents.map((a) => ({ key: a.key, name: a.displayName, team: a.teamName })),
      teams: ctx.access.directory.teams.map((t) => ({ key: t.key, name: t.name })),
    })),

  /** Everyone in the tenant with their role, scope, whether they still have to accept their invitation, and when last seen. */
  people: authorized(policies.admins)
    .output(People)
    .query(({ ctx }) => listPeopleView(ctx.services, ctx.access)),

  /** Adds a person and sends them a one-time link to choose a password (into the outbox without a mail server). */
  invite: authorized(policies.admins)
    .input(InviteInput)
    .output(Invited)
    .mutation(({ ctx, input }) => invitePerson(ctx.services, accountsOf(ctx), ctx.access, ctx.viewer.userId, input)),

  /** Changes a person's role, agent, supervised teams or quality-lead permission; applies on their next request. */
  updatePerson: authorized(policies.admins)
    .input(UpdatePersonInput)
    .output(Ok)
    .mutation(({ ctx, input }) => updatePersonView(ctx.services, accountsOf(ctx), ctx.access, ctx.viewer.userId, input)),

  /** Deactivates a person (their sessions end; refused from their next request); their history stays. */
  deactivate: authorized(policies.admins)
    .input(PersonRef)
    .output(Changed)
    .mutation(({ ctx, input }) => setPersonActive(ctx.services, accountsOf(ctx), ctx.access, ctx.viewer.userId, input.userId, false)),

  activate: authorized(policies.admins)
    .input(PersonRef)
    .output(Changed)
    .mutation(({ ctx, input }) => setPersonActive(ctx.services, accountsOf(ctx), ctx.access, ctx.viewer.userId, input.userId, true)),

  /** Sends the person a one-time link to choose a new password. */
  resetPassword: authorized(policies.admins)
    .input(PersonRef)
    .output(Ok)
    .mutation(({ ctx, input }) => resetPassword(ctx.services, accountsOf(ctx), ctx.access, ctx.viewer.userId, input.userId)),

  /** The tenant's API keys: name, prefix, scopes, who made it, last use, rotation and revocation. Never a secret. */
  apiKeys: authorized(policies.admins)
    .output(ApiKeys)
    .query(({ ctx }) => listKeysView(ctx.services, ctx.access)),

  /** A new key, in the answer once. */
  createApiKey: authorized(policies.admins)
    .input(CreateKeyInput)
    .output(NewApiKey)
    .mutation(({ ctx, input }) => createKey(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** A new key replacing one that keeps working for the overlap. */
  rotateApiKey: authorized(policies.admins)
    .input(RotateKeyInput)
    .output(NewApiKey)
    .mutation(({ ctx, input }) => rotateKey(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** The center's configuration: JSON and the CSV files an import reads. */
  exportConfig: authorized(policies.admins)
    .output(ConfigExport)
    .query(({ ctx }) => exportConfig(ctx.services, ctx.access)),

  /** Checks an upload as a whole; answers every problem, or what it changes (applied unless a dry run). */
  importConfig: authorized(policies.admins)
    .input(CenterImportRequest)
    .output(ConfigImport)
    .mutation(({ ctx, input }) => importConfig(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** The audit trail: who did what to which object and when, filtered, a page at a time. */
  audit: authorized(policies.admins)
    .input(AuditInput)
    .output(AuditPage)
    .query(({ ctx, input }) => listAuditView(ctx.services, ctx.access, input)),

  /** How long the trail is kept; older entries are purged hourly. */
  setAuditRetention: authorized(policies.admins)
    .input(RetentionInput)
    .output(Ok)
    .mutation(({ ctx, input }) => setRetention(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** How long raw events, transcripts, rejected events and the audit trail are kept. */
  retention: authorized(policies.admins)
    .output(Retention)
    .query(({ ctx }) => getRetentionView(ctx.services, ctx.access)),

  /** Sets the data retention; stored rows take it by ClickHouse mutations, expired ones go at the next merges. */
  setDataRetention: authorized(policies.admins)
    .input(DataRetentionInput)
    .output(Retention)
    .mutation(({ ctx, input }) => setDataRetentionView(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** Where the agent desktop panel may be embedded: the embed page and the origins allowed to frame it. */
  desktopEmbed: authorized(policies.admins)
    .output(DesktopEmbed)
    .query(({ ctx }) => getDesktopEmbedView(ctx.services, ctx.access)),

  /** Replaces the origins allowed to frame the panel (empty: none); audited. */
  setDesktopFrameAncestors: authorized(policies.admins)
    .input(FrameAncestorsInput)
    .output(DesktopEmbed)
    .mutation(({ ctx, input }) => setFrameAncestorsView(ctx.services, ctx.access, ctx.viewer.userId, input)),

  revokeApiKey: authorized(policies.admins)
    .input(KeyRef)
    .output(Ok)
    .mutation(({ ctx, input }) => revokeKey(ctx.services, ctx.access, ctx.viewer.userId, input.keyId)),

  /** Single sign-on: the identity provider (never its secret), its domains, what a first sign-in does, whether passwords work. */
  sso: authorized(policies.admins)
    .output(Sso)
    .query(({ ctx }) => getSsoView(ctx.services, ctx.accounts, ctx.access)),

  /** Sets the identity provider up, after fetching its discovery document through the outbound guard. */
  saveSso: authorized(policies.admins)
    .input(SsoInput)
    .output(Sso)
    .mutation(({ ctx, input }) => saveSso(ctx.services, accountsOf(ctx), ctx.access, ctx.viewer.userId, input)),

  /** Removes the identity provider; password sign-in comes back on. */
  removeSso: authorized(policies.admins)
    .output(Removed)
    .mutation(({ ctx }) => removeSso(ctx.services, ctx.access, ctx.viewer.userId)),

  /** Switches password sign-in for the tenant; off only with an identity provider that signs the administrator in. */
  setPasswordSignIn: authorized(policies.admins)
    .input(PasswordSignInInput)
    .output(PasswordSignIn)
    .mutation(async ({ ctx, input }) => {
      const user = await (await accountsOf(ctx).auth.$context).internalAdapter.findUserById(ctx.viewer.userId);
      return setPasswordSignInView(ctx.services, ctx.access, { userId: ctx.viewer.userId, email: user?.email ?? '' }, input);
    }),
});
