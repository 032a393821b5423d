import { activityKinds, alertSeverities, channels, type AlertCondition, type AlertMetric, type CoachingRule, type ShiftConfig } from '@switchboard/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgRole,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type PgColumn,
} from 'drizzle-orm/pg-core';

/**
 * The Postgres schema: what people edit. Column names are camelCase here and snake_case
 * in the database (drizzle `casing: 'snake_case'`, set in client.ts and drizzle.config.ts).
 *
 * Keys: every tenant-owned table has a random `id` and the primary key `(tenant_id, id)`,
 * so every foreign key is `(tenant_id, x_id) → x(tenant_id, id)` and a row can never point
 * at another tenant's row. `key` is the id people and telemetry use (the CenterConfig
 * `id`, e.g. `billing-voice`), unique per tenant.
 */

export const channel = pgEnum('channel', channels);

// ── tenancy in the database (row-level security) ────────────────────────────
// Requests run their tenant's work as `switchboard_app`, a role without BYPASSRLS, with the
// tenant id in the transaction-local setting `switchboard.tenant_id` (withTenant in
// tenancy.ts). Each tenant-owned table lets that role see and write only rows of that
// tenant, so a query that forgets its `tenant_id` filter still cannot cross tenants.
// The role is created by migration 0002 (role names are per cluster, so it may exist).
export const appRole = pgRole('switchboard_app').existing();

// `(select …)` makes Postgres evaluate the setting once per statement, not once per row.
const currentTenant = sql`(select nullif(current_setting('switchboard.tenant_id', true), '')::uuid)`;

const tenantIsolation = (column: PgColumn) =>
  pgPolicy('tenant_isolation', {
    as: 'permissive',
    for: 'all',
    to: appRole,
    using: sql`${column} = ${currentTenant}`,
    withCheck: sql`${column} = ${currentTenant}`,
  });

// 400 days keeps a full year plus a month, so year-over-year reports have data.
const DEFAULT_RETENTION_DAYS = 400;

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const tenants = pgTable(
  'tenants',
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull().unique(),
    name: text().notNull(),
    timezone: text().notNull().default('UTC'),
    // Raw events; transcripts' words for `transcriptRetentionDays` (null: as long as the events) and rejected events for
    // `rejectionRetentionDays`, neither longer than the events. ClickHouse TTLs read them from each row (migration 0017).
    retentionDays: integer().notNull().default(DEFAULT_RETENTION_DAYS),
    transcriptRetentionDays: integer(),
    rejectionRetentionDays: integer().notNull().default(30),
    // Set when a change has not yet been written to the rows ClickHouse already holds; the host finishes it at start.
    retentionPending: boolean().notNull().default(false),
    // 0 = Sunday … 6 = Saturday: the first day of the tenant's planning and reporting weeks.
    weekStart: smallint().notNull().default(1),
    // A disabled tenant's keys, sessions and sign-ins are refused; its data is kept.
    disabledAt: timestamp({ withTimezone: true }),
    // How long the audit trail is kept (two years unless the tenant's policy says otherwise).
    auditRetentionDays: integer().notNull().default(730),
    // Off once the tenant signs in through its identity provider only (sso_connections).
    passwordSignIn: boolean().notNull().default(true),
    // The origins (scheme://host[:port]) whose pages may frame the agent desktop panel (CSP frame-ancestors); none: no framing.
    desktopFrameAncestors: text()
      .array()
      .notNull()
      .default(sql`array[]::text[]`),
    createdAt: createdAt(),
  },
  (t) => [tenantIsolation(t.id), check('tenants_week_start_check', sql`${t.weekStart} between 0 and 6`)],
);

const tenantId = () =>
  uuid()
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text().notNull(),
    // The public part of the key, shown in lists and used to find the row.
    prefix: text().notNull().unique(),
    // sha256 hex of the secret part; the key itself is never stored.
    secretHash: text().notNull(),
    // What the key may do: `ingest` today (sending events); room for more.
    scopes: text()
      .array()
      .notNull()
      .default(sql`array['ingest']::text[]`),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }),
    // Set when the key is rotated: it keeps working until then, so senders can switch over.
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [tenantIsolation(t.tenantId)],
);

export const skills = pgTable(
  'skills',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    key: text().notNull(),
    name: text().notNull(),
  },
  (t) => [tenantIsolation(t.tenantId), primaryKey({ columns: [t.tenantId, t.id] }), unique('skills_tenant_key').on(t.tenantId, t.key)],
);

export const teams = pgTable(
  'teams',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    key: text().notNull(),
    name: text().notNull(),
  },
  (t) => [tenantIsolation(t.tenantId), primaryKey({ columns: [t.tenantId, t.id] }), unique('teams_tenant_key').on(t.tenantId, t.key)],
);

export const agents = pgTable(
  'agents',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    key: text().notNull(),
    displayName: text().notNull(),
    teamId: uuid().notNull(),
    chatConcurrency: smallint().notNull().default(1),
    shift: jsonb().$type<ShiftConfig>().notNull(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('agents_tenant_key').on(t.tenantId, t.key),
    foreignKey({ name: 'agents_team_fk', columns: [t.tenantId, t.teamId], foreignColumns: [teams.tenantId, teams.id] }),
    check('agents_chat_concurrency_check', sql`${t.chatConcurrency} >= 1`),
  ],
);

export const agentSkills = pgTable(
  'agent_skills',
  {
    tenantId: tenantId(),
    agentId: uuid().notNull(),
    skillId: uuid().notNull(),
    proficiency: smallint().notNull(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.agentId, t.skillId] }),
    foreignKey({ name: 'agent_skills_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    foreignKey({ name: 'agent_skills_skill_fk', columns: [t.tenantId, t.skillId], foreignColumns: [skills.tenantId, skills.id] }),
    check('agent_skills_proficiency_check', sql`${t.proficiency} between 1 and 5`),
  ],
);

export const queues = pgTable(
  'queues',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    key: text().notNull(),
    name: text().notNull(),
    channel: channel().notNull(),
    skillId: uuid().notNull(),
    slThresholdS: integer().notNull(),
    slTarget: doublePrecision().notNull(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('queues_tenant_key').on(t.tenantId, t.key),
    foreignKey({ name: 'queues_skill_fk', columns: [t.tenantId, t.skillId], foreignColumns: [skills.tenantId, skills.id] }),
    check('queues_sl_threshold_s_check', sql`${t.slThresholdS} > 0`),
    check('queues_sl_target_check', sql`${t.slTarget} > 0 and ${t.slTarget} <= 1`),
  ],
);

export const bots = pgTable(
  'bots',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    key: text().notNull(),
    name: text().notNull(),
    channels: channel().array().notNull(),
  },
  (t) => [tenantIsolation(t.tenantId), primaryKey({ columns: [t.tenantId, t.id] }), unique('bots_tenant_key').on(t.tenantId, t.key)],
);

export const intents = pgTable(
  'intents',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    key: text().notNull(),
    botId: uuid().notNull(),
    label: text().notNull(),
    // Where the bot escalates this intent.
    queueId: uuid().notNull(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('intents_tenant_key').on(t.tenantId, t.key),
    foreignKey({ name: 'intents_bot_fk', columns: [t.tenantId, t.botId], foreignColumns: [bots.tenantId, bots.id] }).onDelete('cascade'),
    foreignKey({ name: 'intents_queue_fk', columns: [t.tenantId, t.queueId], foreignColumns: [queues.tenantId, queues.id] }),
  ],
);

// ── people and access ─────────────────────────────────────────────────────────
// better-auth's tables (user, session, account, verification, rateLimit), mapped in
// packages/api/src/auth.ts. Users are global (one email, one login); what a user may see
// comes from their membership.

const updatedAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: text().primaryKey(),
  name: text().notNull(),
  email: text().notNull().unique(),
  emailVerified: boolean().notNull().default(false),
  // Set by better-auth's two-factor plugin once the person has confirmed an authenticator app.
  twoFactorEnabled: boolean().notNull().default(false),
  image: text(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const sessions = pgTable('sessions', {
  id: text().primaryKey(),
  token: text().notNull().unique(),
  userId: text()
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  ipAddress: text(),
  userAgent: text(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const accounts = pgTable('accounts', {
  id: text().primaryKey(),
  userId: text()
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  accountId: text().notNull(),
  providerId: text().notNull(),
  accessToken: text(),
  refreshToken: text(),
  idToken: text(),
  accessTokenExpiresAt: timestamp({ withTimezone: true }),
  refreshTokenExpiresAt: timestamp({ withTimezone: true }),
  scope: text(),
  // better-auth's scrypt hash; never the password.
  password: text(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const verifications = pgTable('verifications', {
  id: text().primaryKey(),
  identifier: text().notNull(),
  value: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** A person's authenticator (TOTP) secret and backup codes, both encrypted by better-auth under the auth secret. */
export const twoFactors = pgTable(
  'two_factors',
  {
    id: text().primaryKey(),
    secret: text().notNull(),
    backupCodes: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    verified: boolean().notNull().default(true),
    failedVerificationCount: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
  },
  (t) => [index('two_factors_user_idx').on(t.userId)],
);

// Sign-in attempts per client address and path, shared by every web process.
export const rateLimits = pgTable('rate_limits', {
  id: text().primaryKey(),
  key: text().notNull().unique(),
  count: integer().notNull(),
  lastRequest: bigint({ mode: 'number' }).notNull(),
});

export const roles = ['admin', 'supervisor', 'planner', 'analyst', 'agent'] as const;
export const role = pgEnum('role', roles);

/** A user's place in one tenant: the role, and for an agent the agent they are. */
export const memberships = pgTable(
  'memberships',
  {
    userId: text()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: tenantId(),
    role: role().notNull(),
    agentId: uuid(),
    // Runs calibration sessions and decides disputes: given to an analyst or a supervisor (admins have it anyway).
    qualityLead: boolean().notNull().default(false),
    // A deactivated member keeps their history but is refused from their next request.
    deactivatedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    foreignKey({ name: 'memberships_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    check('memberships_agent_role_check', sql`(${t.role} = 'agent') = (${t.agentId} is not null)`),
  ],
);

/**
 * A tenant's single sign-on (OpenID Connect): one identity provider, the e-mail domains it
 * vouches for, and what a first sign-in does — creates the member with `jitRole` ('jit') or
 * is refused unless an administrator invited them ('invite').
 */
export const ssoConnections = pgTable(
  'sso_connections',
  {
    tenantId: tenantId().primaryKey(),
    issuer: text().notNull(),
    clientId: text().notNull(),
    // AES-256-GCM under a key derived from the auth secret (packages/api/src/sealed-secret.ts): a dump of the database alone does not reveal it.
    clientSecretSealed: text().notNull(),
    provisioning: text().notNull(),
    jitRole: role(),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    check('sso_connections_provisioning_check', sql`${t.provisioning} in ('jit', 'invite')`),
    // An agent member is one agent, which a sign-in cannot choose: agents are invited.
    check('sso_connections_jit_role_check', sql`(${t.provisioning} = 'jit') = (${t.jitRole} is not null) and ${t.jitRole} is distinct from 'agent'`),
  ],
);

/** E-mail domains whose people sign in through a tenant's identity provider: a domain belongs to one tenant, which is how a sign-in finds it. */
export const ssoDomains = pgTable(
  'sso_domains',
  {
    domain: text().primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => ssoConnections.tenantId, { onDelete: 'cascade' }),
  },
  (t) => [tenantIsolation(t.tenantId), index('sso_domains_tenant_idx').on(t.tenantId), check('sso_domains_lower_check', sql`${t.domain} = lower(${t.domain})`)],
);

/** The teams a supervisor is scoped to. */
export const supervisorTeams = pgTable(
  'supervisor_teams',
  {
    tenantId: tenantId(),
    userId: text()
      .notNull()
      .references(() => memberships.userId, { onDelete: 'cascade' }),
    teamId: uuid().notNull(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.userId, t.teamId] }),
    foreignKey({ name: 'supervisor_teams_team_fk', columns: [t.tenantId, t.teamId], foreignColumns: [teams.tenantId, teams.id] }).onDelete('cascade'),
  ],
);

/**
 * Mail the product sends (invitations, password resets). With SWITCHBOARD_SMTP_URL the host
 * delivers it by SMTP (packages/host/src/mail-sender.ts); otherwise, or once SMTP has failed
 * for good, an operator reads it with `npm run -s admin -- outbox`. Links carry one-time
 * tokens, so they never go to the log. Not a tenant's table: sign-in writes it.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid().references(() => tenants.id, { onDelete: 'cascade' }),
    recipient: text().notNull(),
    kind: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    createdAt: createdAt(),
    // When an operator read it (or a mail server took it).
    deliveredAt: timestamp({ withTimezone: true }),
    // SMTP delivery: attempts started, counted when a sender claims the mail.
    attempts: integer().notNull().default(0),
    // Not to be tried before: the backoff after a failure, or the end of a sender's claim
    // (a sender that dies mid-send leaves the mail to the next one then). Null: at once.
    nextAttemptAt: timestamp({ withTimezone: true }),
    // The SMTP failure of the last attempt, as the sender words it (never credentials or content).
    lastError: text(),
    // When the sender gave up after its attempt limit: the operator's outbox hands it over.
    failedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('mail_outbox_undelivered_idx')
      .on(t.createdAt)
      .where(sql`${t.deliveredAt} is null`),
  ],
);

// ── wallboard alerting ───────────────────────────────────────────────────────

export const alertSeverity = pgEnum('alert_severity', alertSeverities);

/**
 * An alert rule: conditions on live figures of each queue (or each team), all or any of
 * them, with hysteresis — each condition's own clear threshold, and how long the breach must
 * last before the alert fires and the recovery before it clears. A rule without a queue or
 * team applies to every one (queue or team as the conditions' metrics say).
 */
export const alertRules = pgTable(
  'alert_rules',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    name: text().notNull().default(''),
    queueId: uuid(),
    teamId: uuid(),
    match: text().$type<'all' | 'any'>().notNull().default('all'),
    conditions: jsonb().$type<AlertCondition[]>().notNull(),
    fireAfterS: integer().notNull().default(0),
    clearAfterS: integer().notNull().default(0),
    severity: alertSeverity().notNull(),
    enabled: boolean().notNull().default(true),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'alert_rules_queue_fk', columns: [t.tenantId, t.queueId], foreignColumns: [queues.tenantId, queues.id] }).onDelete('cascade'),
    foreignKey({ name: 'alert_rules_team_fk', columns: [t.tenantId, t.teamId], foreignColumns: [teams.tenantId, teams.id] }).onDelete('cascade'),
    check('alert_rules_match_check', sql`${t.match} in ('all', 'any')`),
    check('alert_rules_durations_check', sql`${t.fireAfterS} >= 0 and ${t.clearAfterS} >= 0`),
  ],
);

/** Where a rule stands for one subject (`queue:<key>` or `team:<key>`) between evaluations: since when it breaches, or recovers. */
export const alertStates = pgTable(
  'alert_states',
  {
    tenantId: tenantId(),
    ruleId: uuid().notNull(),
    subject: text().notNull(),
    breachingSince: timestamp({ withTimezone: true }),
    recoveringSince: timestamp({ withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.ruleId, t.subject] }),
    foreignKey({ name: 'alert_states_rule_fk', columns: [t.tenantId, t.ruleId], foreignColumns: [alertRules.tenantId, alertRules.id] }).onDelete('cascade'),
  ],
);

/** An alert that fired: the history people acknowledge and resolve; open while not cleared. */
export const alertIncidents = pgTable(
  'alert_incidents',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    ruleId: uuid().notNull(),
    subject: text().notNull(),
    severity: alertSeverity().notNull(),
    firedAt: timestamp({ withTimezone: true }).notNull(),
    // The figures that fired it, by metric.
    values: jsonb().$type<Partial<Record<AlertMetric, number | null>>>().notNull(),
    clearedAt: timestamp({ withTimezone: true }),
    acknowledgedBy: text().references(() => users.id, { onDelete: 'set null' }),
    acknowledgedAt: timestamp({ withTimezone: true }),
    resolvedBy: text().references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp({ withTimezone: true }),
    note: text(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'alert_incidents_rule_fk', columns: [t.tenantId, t.ruleId], foreignColumns: [alertRules.tenantId, alertRules.id] }).onDelete('cascade'),
    index('alert_incidents_fired_idx').on(t.tenantId, t.firedAt),
    // At most one open incident per rule and subject, whichever process evaluates.
    uniqueIndex('alert_incidents_open_idx')
      .on(t.tenantId, t.ruleId, t.subject)
      .where(sql`${t.clearedAt} is null`),
  ],
);

// ── real-time operations: adherence and outbound webhooks ───────────────────

/** How a tenant judges adherence (packages/kpis adherence.ts): which states do which activity, and the grace at activity edges. */
export const adherenceSettings = pgTable(
  'adherence_settings',
  {
    tenantId: tenantId().primaryKey(),
    // AdherenceMapping: for each activity kind but time off, the states (and reason codes) that do it.
    mapping: jsonb().notNull(),
    graceMinutes: smallint().notNull().default(2),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [tenantIsolation(t.tenantId), check('adherence_settings_grace_check', sql`${t.graceMinutes} between 0 and 30`)],
);

export const adherenceExceptionStatuses = ['pending', 'approved', 'rejected'] as const;

/** A time range an agent was excused from their schedule (an outage, coaching that ran over…): approved ones count as adherent. */
export const adherenceExceptions = pgTable(
  'adherence_exceptions',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    agentId: uuid().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    reason: text().notNull(),
    note: text(),
    status: text().notNull().default('pending'),
    requestedBy: text().references(() => users.id, { onDelete: 'set null' }),
    decidedBy: text().references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'adherence_exceptions_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    index('adherence_exceptions_agent_idx').on(t.tenantId, t.agentId, t.startsAt),
    check('adherence_exceptions_range_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('adherence_exceptions_status_check', sql`${t.status} in ('pending', 'approved', 'rejected')`),
  ],
);

/** A URL a tenant admin subscribed to event kinds; payloads are signed with the subscription's secret (sealed at rest). */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    name: text().notNull(),
    url: text().notNull(),
    kinds: text().array().notNull(),
    secretSealed: text().notNull(),
    // After a rotation the old secret also signs (a second signature) until it expires, so receivers can switch over.
    previousSecretSealed: text(),
    previousSecretExpiresAt: timestamp({ withTimezone: true }),
    active: boolean().notNull().default(true),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [tenantIsolation(t.tenantId), primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Each event sent (or being sent) to a subscription: the delivery log, with the last answer. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    subscriptionId: uuid().notNull(),
    eventId: uuid().notNull(),
    kind: text().notNull(),
    payload: jsonb().notNull(),
    status: text().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    lastStatus: integer(),
    lastError: text(),
    createdAt: createdAt(),
    deliveredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'webhook_deliveries_subscription_fk',
      columns: [t.tenantId, t.subscriptionId],
      foreignColumns: [webhookSubscriptions.tenantId, webhookSubscriptions.id],
    }).onDelete('cascade'),
    // One delivery per event and subscription: a retried emit finds it.
    uniqueIndex('webhook_deliveries_event_idx').on(t.tenantId, t.subscriptionId, t.eventId),
    index('webhook_deliveries_log_idx').on(t.tenantId, t.subscriptionId, t.createdAt),
    check('webhook_deliveries_status_check', sql`${t.status} in ('pending', 'delivered', 'failed')`),
  ],
);

// ── audit ────────────────────────────────────────────────────────────────────

/** Who read what sensitive (transcripts) and who changed what. Append-only. */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    at: createdAt(),
    userId: text().references(() => users.id, { onDelete: 'set null' }),
    action: text().notNull(),
    objectType: text().notNull(),
    objectId: text().notNull(),
  },
  (t) => [tenantIsolation(t.tenantId), primaryKey({ columns: [t.tenantId, t.id] })],
);

// ── planning (what planners edit; forecasts themselves are versions in ClickHouse) ───

export const specialDayEffects = ['exclude', 'multiply'] as const;
export const specialDayEffect = pgEnum('special_day_effect', specialDayEffects);

/**
 * A day the forecast must treat as unusual, for every queue of the tenant: `exclude` drops
 * it from history (an outage), `multiply` scales it (a holiday at 0.4, closed at 0).
 */
export const specialDays = pgTable(
  'special_days',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    date: date({ mode: 'string' }).notNull(),
    label: text().notNull(),
    effect: specialDayEffect().notNull(),
    multiplier: doublePrecision(),
    // Applies on the same month and day every year, in history and forecasts alike.
    recursYearly: boolean().notNull().default(false),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('special_days_tenant_date').on(t.tenantId, t.date),
    check('special_days_multiplier_check', sql`(${t.effect} = 'multiply') = (${t.multiplier} is not null) and coalesce(${t.multiplier}, 0) >= 0`),
  ],
);

/**
 * How the tenant's forecasts treat public holidays: the region whose calendar applies (a
 * date-holidays code such as `US` or `DE-BY`; null for none), and the multiplier a holiday
 * gets when history shows no holiday on an opening day to learn from (0: closed).
 */
export const forecastSettings = pgTable(
  'forecast_settings',
  {
    tenantId: tenantId().primaryKey(),
    holidayRegion: text(),
    holidayMultiplier: doublePrecision().notNull().default(0),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [tenantIsolation(t.tenantId), check('forecast_settings_holiday_multiplier_check', sql`${t.holidayMultiplier} >= 0`)],
);

export const detectedDayKinds = ['closed', 'unusual'] as const;
export const detectedDayKind = pgEnum('detected_day_kind', detectedDayKinds);
export const detectedDayStatuses = ['pending', 'confirmed', 'rejected'] as const;
export const detectedDayStatus = pgEnum('detected_day_status', detectedDayStatuses);

/**
 * A day a forecast run found unusual in one queue's history without being told (see
 * `detectUnusualDays`), and what the planner decided: `confirmed` made it a special day,
 * `rejected` says it was a normal day, which later runs then keep in the fit.
 */
export const detectedDays = pgTable(
  'detected_days',
  {
    tenantId: tenantId(),
    queueId: uuid().notNull(),
    date: date({ mode: 'string' }).notNull(),
    kind: detectedDayKind().notNull(),
    total: doublePrecision().notNull(),
    expected: doublePrecision().notNull(),
    status: detectedDayStatus().notNull().default('pending'),
    detectedAt: timestamp({ withTimezone: true }).notNull(),
    decidedBy: text().references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.queueId, t.date] }),
    foreignKey({ name: 'detected_days_queue_fk', columns: [t.tenantId, t.queueId], foreignColumns: [queues.tenantId, queues.id] }).onDelete('cascade'),
  ],
);

export const overrideKinds = ['set', 'multiply'] as const;
export const overrideKind = pgEnum('override_kind', overrideKinds);

/**
 * A planner's correction applied on top of the statistical forecast of one queue: the
 * intervals from `fromMinute` to `toMinute` (local minutes of the day; the whole day when
 * null) of each date from `fromDate` to `toDate` are set to, or multiplied by, `value`.
 */
export const forecastOverrides = pgTable(
  'forecast_overrides',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    queueId: uuid().notNull(),
    fromDate: date({ mode: 'string' }).notNull(),
    toDate: date({ mode: 'string' }).notNull(),
    fromMinute: smallint(),
    toMinute: smallint(),
    kind: overrideKind().notNull(),
    value: doublePrecision().notNull(),
    label: text().notNull(),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'forecast_overrides_queue_fk', columns: [t.tenantId, t.queueId], foreignColumns: [queues.tenantId, queues.id] }).onDelete('cascade'),
    check('forecast_overrides_dates_check', sql`${t.fromDate} <= ${t.toDate}`),
    check(
      'forecast_overrides_minutes_check',
      sql`coalesce(${t.fromMinute}, 0) >= 0 and coalesce(${t.toMinute}, 1440) <= 1440 and coalesce(${t.fromMinute}, 0) < coalesce(${t.toMinute}, 1440)`,
    ),
    check('forecast_overrides_value_check', sql`${t.value} >= 0`),
  ],
);

/** Staffing assumptions per queue; a queue without a row uses the defaults in planning.ts. */
export const staffingSettings = pgTable(
  'staffing_settings',
  {
    tenantId: tenantId(),
    queueId: uuid().notNull(),
    shrinkage: doublePrecision().notNull(),
    maxOccupancy: doublePrecision().notNull(),
    // Mean patience of callers; null plans with Erlang C (no abandonment).
    patienceS: doublePrecision(),
    // Handle time to plan with where the forecast has none (a queue without handled contacts yet).
    plannedAhtS: doublePrecision(),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.queueId] }),
    foreignKey({ name: 'staffing_settings_queue_fk', columns: [t.tenantId, t.queueId], foreignColumns: [queues.tenantId, queues.id] }).onDelete('cascade'),
    check('staffing_settings_shrinkage_check', sql`${t.shrinkage} >= 0 and ${t.shrinkage} < 1`),
    check('staffing_settings_max_occupancy_check', sql`${t.maxOccupancy} > 0 and ${t.maxOccupancy} <= 1`),
    check('staffing_settings_patience_check', sql`${t.patienceS} is null or ${t.patienceS} > 0`),
    check('staffing_settings_planned_aht_check', sql`${t.plannedAhtS} is null or ${t.plannedAhtS} > 0`),
  ],
);

// ── schedules ────────────────────────────────────────────────────────────────

/** Queues scheduled together: one requirement (the sum of its queues' agents), one schedule a week. */
export const planningGroups = pgTable(
  'planning_groups',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    key: text().notNull(),
    name: text().notNull(),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [tenantIsolation(t.tenantId), primaryKey({ columns: [t.tenantId, t.id] }), unique('planning_groups_tenant_key').on(t.tenantId, t.key)],
);

/** A queue belongs to at most one planning group. */
export const planningGroupQueues = pgTable(
  'planning_group_queues',
  {
    tenantId: tenantId(),
    queueId: uuid().notNull(),
    groupId: uuid().notNull(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.queueId] }),
    foreignKey({ name: 'planning_group_queues_queue_fk', columns: [t.tenantId, t.queueId], foreignColumns: [queues.tenantId, queues.id] }).onDelete('cascade'),
    foreignKey({
      name: 'planning_group_queues_group_fk',
      columns: [t.tenantId, t.groupId],
      foreignColumns: [planningGroups.tenantId, planningGroups.id],
    }).onDelete('cascade'),
  ],
);

export interface TemplateBreak {
  kind: 'break' | 'lunch';
  lengthMin: number;
  /** Where the break may start, minutes from the shift's start. */
  earliestOffsetMin: number;
  latestOffsetMin: number;
  paid: boolean;
}

/** A shift planners allow: its length, breaks and lunches, and when it may start (local clock, on which weekdays). */
export const shiftTemplates = pgTable(
  'shift_templates',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    name: text().notNull(),
    lengthMin: smallint().notNull(),
    startStepMin: smallint().notNull(),
    earliestStartMin: smallint().notNull(),
    latestStartMin: smallint().notNull(),
    // 0 = Sunday … 6 = Saturday.
    weekdays: smallint().array().notNull(),
    // What one shift costs in the schedule's objective; its paid hours when null.
    cost: doublePrecision(),
    breaks: jsonb().$type<TemplateBreak[]>().notNull(),
    active: boolean().notNull().default(true),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('shift_templates_tenant_name').on(t.tenantId, t.name),
    check('shift_templates_length_check', sql`${t.lengthMin} between 15 and 1440 and ${t.lengthMin} % 15 = 0`),
    check('shift_templates_step_check', sql`${t.startStepMin} > 0 and ${t.startStepMin} % 15 = 0`),
    check(
      'shift_templates_window_check',
      sql`${t.earliestStartMin} >= 0 and ${t.earliestStartMin} <= ${t.latestStartMin} and ${t.latestStartMin} < 1440 and ${t.earliestStartMin} % 15 = 0`,
    ),
  ],
);

/** Work rules an agent is scheduled under. `fixedDaysOff` empty: days off rotate. */
export const workContracts = pgTable(
  'work_contracts',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    name: text().notNull(),
    minHours: doublePrecision().notNull(),
    maxHours: doublePrecision().notNull(),
    minRestMin: smallint().notNull(),
    maxConsecutiveDays: smallint().notNull(),
    daysOffPerWeek: smallint().notNull(),
    fixedDaysOff: smallint()
      .array()
      .notNull()
      .default(sql`'{}'`),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('work_contracts_tenant_name').on(t.tenantId, t.name),
    check('work_contracts_hours_check', sql`${t.minHours} >= 0 and ${t.minHours} <= ${t.maxHours} and ${t.maxHours} <= 168`),
    check('work_contracts_rest_check', sql`${t.minRestMin} between 0 and 1440`),
    check('work_contracts_days_check', sql`${t.maxConsecutiveDays} between 1 and 14 and ${t.daysOffPerWeek} between 0 and 7`),
  ],
);

/** A weekday's window in which an agent can work, local clock minutes (`to` may pass midnight, up to 2880). */
export interface AvailabilityWindow {
  from: number;
  to: number;
}

/** How one agent is scheduled: contract, own time zone, availability and preferences. */
export const agentWorkRules = pgTable(
  'agent_work_rules',
  {
    tenantId: tenantId(),
    agentId: uuid().notNull(),
    contractId: uuid().notNull(),
    // The agent's own IANA time zone; the tenant's when null.
    timezone: text(),
    // Per weekday (0 = Sunday), the window the agent can work, null for not that day; null: any time.
    availability: jsonb().$type<(AvailabilityWindow | null)[]>(),
    preferredStartFrom: smallint(),
    preferredStartTo: smallint(),
    preferredDaysOff: smallint()
      .array()
      .notNull()
      .default(sql`'{}'`),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.agentId] }),
    foreignKey({ name: 'agent_work_rules_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    foreignKey({ name: 'agent_work_rules_contract_fk', columns: [t.tenantId, t.contractId], foreignColumns: [workContracts.tenantId, workContracts.id] }),
    check(
      'agent_work_rules_preferred_start_check',
      sql`(${t.preferredStartFrom} is null) = (${t.preferredStartTo} is null) and coalesce(${t.preferredStartFrom} <= ${t.preferredStartTo}, true)`,
    ),
  ],
);

export const timeOffStatuses = ['pending', 'approved', 'refused', 'cancelled'] as const;
export const timeOffStatus = pgEnum('time_off_status', timeOffStatuses);

/** Time off an agent asked for (a whole day or part of one); `approved` rows are what schedules honour. */
export const timeOffRequests = pgTable(
  'time_off_requests',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    agentId: uuid().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    // Counted towards the contract's hours and taken from the year's allowance.
    paidHours: doublePrecision().notNull(),
    status: timeOffStatus().notNull().default('pending'),
    // Why a request was approved at once or left to a planner (the coverage check's outcome).
    decisionNote: text(),
    decidedBy: text().references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'time_off_requests_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    check('time_off_requests_range_check', sql`${t.startsAt} < ${t.endsAt}`),
    check('time_off_requests_hours_check', sql`${t.paidHours} >= 0`),
  ],
);

/** Paid time-off hours an agent has per calendar year. */
export const timeOffAllowances = pgTable(
  'time_off_allowances',
  {
    tenantId: tenantId(),
    agentId: uuid().notNull(),
    year: smallint().notNull(),
    hours: doublePrecision().notNull(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.agentId, t.year] }),
    foreignKey({ name: 'time_off_allowances_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    check('time_off_allowances_hours_check', sql`${t.hours} >= 0`),
  ],
);

export const scheduleStatuses = ['draft', 'published', 'superseded', 'rejected'] as const;
export const scheduleStatus = pgEnum('schedule_status', scheduleStatuses);

/** Figures and coverage a schedule was generated with (and, after edits, has now). */
export interface ScheduleSummary {
  figures: Record<string, number>;
  /** Per 15-minute interval of the week's timeline: agents required and working. */
  required: number[];
  scheduled: number[];
  /** Minutes of each local midnight on the week's timeline, and one past the last. */
  dayStarts: number[];
  notes: string[];
}

/**
 * One planning group's week. A draft is edited in place (`revision` counts edits, so a save made on an older
 * revision is refused rather than lost); publishing freezes it (a trigger refuses changes to its activities) and
 * supersedes the week's previous published version.
 */
export const schedules = pgTable(
  'schedules',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    groupId: uuid().notNull(),
    weekStart: date({ mode: 'string' }).notNull(),
    // Tenant time zone the week's timeline was built in.
    timezone: text().notNull(),
    status: scheduleStatus().notNull().default('draft'),
    revision: integer().notNull().default(1),
    summary: jsonb().$type<ScheduleSummary>().notNull(),
    staffingVersionId: uuid(),
    workflowId: text(),
    createdAt: createdAt(),
    publishedAt: timestamp({ withTimezone: true }),
    decidedBy: text().references(() => users.id, { onDelete: 'set null' }),
    rejectedReason: text(),
    // When agents are asked to have acknowledged a published schedule by.
    acknowledgeBy: timestamp({ withTimezone: true }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'schedules_group_fk', columns: [t.tenantId, t.groupId], foreignColumns: [planningGroups.tenantId, planningGroups.id] }).onDelete(
      'cascade',
    ),
    uniqueIndex('schedules_one_published')
      .on(t.tenantId, t.groupId, t.weekStart)
      .where(sql`${t.status} = 'published'`),
  ],
);

export const activityKind = pgEnum('activity_kind', activityKinds);

/** What an agent is scheduled to do, minute by minute: queried by agent and time (adherence, /me). */
export const scheduleActivities = pgTable(
  'schedule_activities',
  {
    tenantId: tenantId(),
    scheduleId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    agentId: uuid().notNull(),
    kind: activityKind().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    // The local day (tenant time zone) of the shift the activity belongs to: an overnight shift stays one day.
    shiftDate: date({ mode: 'string' }).notNull(),
    templateId: uuid(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'schedule_activities_schedule_fk', columns: [t.tenantId, t.scheduleId], foreignColumns: [schedules.tenantId, schedules.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ name: 'schedule_activities_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    index('schedule_activities_agent_time').on(t.tenantId, t.agentId, t.startsAt),
    check('schedule_activities_range_check', sql`${t.startsAt} < ${t.endsAt}`),
  ],
);

/** An agent saw a published schedule. */
export const scheduleAcknowledgements = pgTable(
  'schedule_acknowledgements',
  {
    tenantId: tenantId(),
    scheduleId: uuid().notNull(),
    agentId: uuid().notNull(),
    at: createdAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.scheduleId, t.agentId] }),
    foreignKey({
      name: 'schedule_acknowledgements_schedule_fk',
      columns: [t.tenantId, t.scheduleId],
      foreignColumns: [schedules.tenantId, schedules.id],
    }).onDelete('cascade'),
    foreignKey({ name: 'schedule_acknowledgements_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete(
      'cascade',
    ),
  ],
);

export const swapStatuses = ['requested', 'accepted', 'approved', 'refused', 'cancelled'] as const;
export const swapStatus = pgEnum('swap_status', swapStatuses);

/** Two agents trading their shifts of one day each, within one published week. */
export const shiftSwaps = pgTable(
  'shift_swaps',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    weekStart: date({ mode: 'string' }).notNull(),
    requesterId: uuid().notNull(),
    requesterDate: date({ mode: 'string' }).notNull(),
    colleagueId: uuid().notNull(),
    colleagueDate: date({ mode: 'string' }).notNull(),
    status: swapStatus().notNull().default('requested'),
    // The rule a refused swap broke, in words.
    refusal: text(),
    createdAt: createdAt(),
    decidedAt: timestamp({ withTimezone: true }),
    decidedBy: text().references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'shift_swaps_requester_fk', columns: [t.tenantId, t.requesterId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    foreignKey({ name: 'shift_swaps_colleague_fk', columns: [t.tenantId, t.colleagueId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    check('shift_swaps_two_agents_check', sql`${t.requesterId} <> ${t.colleagueId}`),
  ],
);

/** Scheduling settings of a tenant: whether swaps both agents agreed to need a planner. */
export const scheduleSettings = pgTable(
  'schedule_settings',
  {
    tenantId: tenantId().primaryKey(),
    autoApproveSwaps: boolean().notNull().default(false),
    // Days after publishing by which agents are to acknowledge.
    acknowledgeDays: smallint().notNull().default(2),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [tenantIsolation(t.tenantId)],
);

// ── intraday: the day re-planned every 15 minutes ──────────────────────────

/** How a tenant's intraday loop proposes: the staffing gap (agents) worth acting on, and how far ahead offers start. */
export const intradaySettings = pgTable(
  'intraday_settings',
  {
    tenantId: tenantId().primaryKey(),
    gapThreshold: doublePrecision().notNull().default(2),
    // Offers and break moves only for time at least this far ahead: agents need notice.
    leadMinutes: smallint().notNull().default(30),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    check('intraday_settings_threshold_check', sql`${t.gapThreshold} > 0`),
    check('intraday_settings_lead_check', sql`${t.leadMinutes} between 0 and 240`),
  ],
);

export const intradayProposalKinds = ['break_moves', 'vto', 'overtime'] as const;
export const intradayProposalStatuses = ['proposed', 'open', 'filled', 'applied', 'rejected', 'superseded', 'expired'] as const;

/**
 * What an intraday run proposes for a planning group's day: break moves (applied as a new schedule version when a
 * planner accepts), or voluntary time off / overtime offers (opened to the eligible agents when a planner accepts,
 * taken first come by agents from /me up to `agents`). `detail` holds the moves or the eligible agents (ids only).
 */
export const intradayProposals = pgTable(
  'intraday_proposals',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    groupId: uuid().notNull(),
    date: date({ mode: 'string' }).notNull(),
    kind: text().notNull(),
    status: text().notNull().default('proposed'),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    agents: smallint().notNull(),
    // Agent-quarter-hours of shortfall (break moves, overtime) or surplus (time off) the proposal would remove.
    gain: doublePrecision().notNull(),
    detail: jsonb().notNull(),
    runId: text().notNull(),
    createdAt: createdAt(),
    decidedBy: text().references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp({ withTimezone: true }),
    // The schedule version a break move made.
    scheduleId: uuid(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'intraday_proposals_group_fk',
      columns: [t.tenantId, t.groupId],
      foreignColumns: [planningGroups.tenantId, planningGroups.id],
    }).onDelete('cascade'),
    index('intraday_proposals_day_idx').on(t.tenantId, t.date, t.groupId),
    // A retried run stores each proposal once.
    uniqueIndex('intraday_proposals_run_idx').on(t.tenantId, t.runId, t.groupId, t.kind, t.startsAt),
    check('intraday_proposals_kind_check', sql`${t.kind} in ('break_moves', 'vto', 'overtime')`),
    check('intraday_proposals_status_check', sql`${t.status} in ('proposed', 'open', 'filled', 'applied', 'rejected', 'superseded', 'expired')`),
    check('intraday_proposals_range_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('intraday_proposals_agents_check', sql`${t.agents} > 0`),
  ],
);

/** An agent took an open offer: first come, never more than the offer's `agents`, each agent once. */
export const intradayOfferAcceptances = pgTable(
  'intraday_offer_acceptances',
  {
    tenantId: tenantId(),
    proposalId: uuid().notNull(),
    agentId: uuid().notNull(),
    acceptedAt: createdAt(),
    // The schedule version the acceptance made.
    scheduleId: uuid(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.proposalId, t.agentId] }),
    foreignKey({
      name: 'intraday_offer_acceptances_proposal_fk',
      columns: [t.tenantId, t.proposalId],
      foreignColumns: [intradayProposals.tenantId, intradayProposals.id],
    }).onDelete('cascade'),
    foreignKey({ name: 'intraday_offer_acceptances_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete(
      'cascade',
    ),
  ],
);

// ── quality ──────────────────────────────────────────────────────────────────

/**
 * Evaluation forms, one row per version: a version an evaluation used is never changed; editing a form adds a
 * version under the same key. `definition` is the form as `@switchboard/quality` parses it (sections, questions,
 * weights, rules).
 */
export const qualityForms = pgTable(
  'quality_forms',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    key: text().notNull(),
    version: integer().notNull(),
    name: text().notNull(),
    definition: jsonb().$type<Record<string, unknown>>().notNull(),
    builtIn: boolean().notNull().default(false),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('quality_forms_tenant_key_version').on(t.tenantId, t.key, t.version),
    check('quality_forms_version_check', sql`${t.version} >= 1`),
  ],
);

/**
 * Targeted conditions: an interaction meeting one goes to an analyst. A transfer, a hold, handle time above the
 * queue's 90th percentile, a survey answered with CSAT at most `csatAtMost`, the customer gone while on hold.
 */
export interface EvaluationTargets {
  transfer?: boolean;
  hold?: boolean;
  ahtAboveP90?: boolean;
  csatAtMost?: number;
  endedOnHold?: boolean;
}

/**
 * Which interactions a form evaluates: every ended interaction of the plan's queues and teams (all when empty) is scored by
 * rules; `reviewPercent` of them at random, at least `minReviewsPerAgentWeek` an agent a week, and those meeting a
 * targeted condition go to an analyst as well as the unsure ones.
 */
export const evaluationPlans = pgTable(
  'evaluation_plans',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    key: text().notNull(),
    name: text().notNull(),
    formKey: text().notNull(),
    queueIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    // The agents' teams it covers (all when empty), beside the queues.
    teamIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    reviewPercent: doublePrecision().notNull().default(2),
    minReviewsPerAgentWeek: smallint().notNull().default(1),
    targets: jsonb().$type<EvaluationTargets>().notNull().default({}),
    active: boolean().notNull().default(true),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('evaluation_plans_tenant_key').on(t.tenantId, t.key),
    check('evaluation_plans_percent_check', sql`${t.reviewPercent} between 0 and 100`),
  ],
);

export const evaluationStatus = pgEnum('evaluation_status', ['in_review', 'scored', 'finalized', 'released', 'disputed']);

/** One interaction scored with one form version; its answers beside it. Telemetry keys name the agent and queue. */
export const evaluations = pgTable(
  'evaluations',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    interactionId: text().notNull(),
    agentKey: text().notNull(),
    queueKey: text().notNull(),
    channel: text().notNull(),
    formId: uuid().notNull(),
    planId: uuid(),
    // Why an analyst sees it: random, minimum, transfer, hold, aht, unsure — or null (rules only).
    reviewReason: text(),
    status: evaluationStatus().notNull(),
    score: doublePrecision(),
    failedCritical: boolean().notNull().default(false),
    interactionEndedAt: timestamp({ withTimezone: true }).notNull(),
    scoredAt: createdAt(),
    finalizedBy: text().references(() => users.id, { onDelete: 'set null' }),
    finalizedAt: timestamp({ withTimezone: true }),
    releasedAt: timestamp({ withTimezone: true }),
    // The agent read the released evaluation (disputing some questions or none).
    acknowledgedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('evaluations_one_per_form').on(t.tenantId, t.interactionId, t.formId),
    foreignKey({ name: 'evaluations_form_fk', columns: [t.tenantId, t.formId], foreignColumns: [qualityForms.tenantId, qualityForms.id] }),
    index('evaluations_status').on(t.tenantId, t.status, t.interactionEndedAt),
    index('evaluations_agent').on(t.tenantId, t.agentKey, t.interactionEndedAt),
  ],
);

/**
 * An evaluation's answer to one question: the machine's (with confidence and evidence — segment index and span in
 * the stored transcript, a hold, or an event; never a copy of the words) and the final one a person gave or accepted.
 */
export const evaluationAnswers = pgTable(
  'evaluation_answers',
  {
    // No foreign key of its own to tenants: the one to the evaluation carries the tenant, and checking both cost a
    // quarter of storing the answers (eight rows an evaluation).
    tenantId: uuid().notNull(),
    evaluationId: uuid().notNull(),
    questionId: text().notNull(),
    machineAnswer: text(),
    confidence: doublePrecision(),
    evidence: jsonb().$type<unknown[]>().notNull().default([]),
    needsReview: boolean().notNull().default(false),
    finalAnswer: text(),
    overrideReason: text(),
    answeredBy: text().references(() => users.id, { onDelete: 'set null' }),
    answeredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.evaluationId, t.questionId] }),
    foreignKey({
      name: 'evaluation_answers_evaluation_fk',
      columns: [t.tenantId, t.evaluationId],
      foreignColumns: [evaluations.tenantId, evaluations.id],
    }).onDelete('cascade'),
  ],
);

/** How far each tenant's ended interactions have been evaluated: the ingest time of the last one read. */
export const evaluationCursors = pgTable(
  'evaluation_cursors',
  {
    tenantId: tenantId().primaryKey(),
    receivedUpTo: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [tenantIsolation(t.tenantId)],
);

export const disputeStatus = pgEnum('dispute_status', ['open', 'upheld', 'changed']);

/**
 * An agent's dispute of one answer of a released evaluation, with their comment, and a quality lead's decision:
 * upheld (the answer stands) or changed (to `answerAfter`). The answer before stays here as the history of the change.
 */
export const evaluationDisputes = pgTable(
  'evaluation_disputes',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    evaluationId: uuid().notNull(),
    questionId: text().notNull(),
    comment: text().notNull(),
    status: disputeStatus().notNull().default('open'),
    answerBefore: text().notNull(),
    answerAfter: text(),
    decisionNote: text(),
    raisedBy: text().references(() => users.id, { onDelete: 'set null' }),
    decidedBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    decidedAt: timestamp({ withTimezone: true }),
    // Set by the dispute workflow's timers: the leads were reminded, then the dispute escalated to admins.
    remindedAt: timestamp({ withTimezone: true }),
    escalatedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'evaluation_disputes_evaluation_fk',
      columns: [t.tenantId, t.evaluationId],
      foreignColumns: [evaluations.tenantId, evaluations.id],
    }).onDelete('cascade'),
    uniqueIndex('evaluation_disputes_one_open')
      .on(t.tenantId, t.evaluationId, t.questionId)
      .where(sql`${t.status} = 'open'`),
    index('evaluation_disputes_status').on(t.tenantId, t.status, t.createdAt),
  ],
);

export const calibrationStatus = pgEnum('calibration_status', ['open', 'closed']);

/** A calibration session: a quality lead picks interactions and people; each scores them blind with one form version. */
export const calibrationSessions = pgTable(
  'calibration_sessions',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    name: text().notNull(),
    formId: uuid().notNull(),
    leadId: text().references(() => users.id, { onDelete: 'set null' }),
    status: calibrationStatus().notNull().default('open'),
    createdAt: createdAt(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'calibration_sessions_form_fk', columns: [t.tenantId, t.formId], foreignColumns: [qualityForms.tenantId, qualityForms.id] }),
  ],
);

/** The interactions of a session, in the order participants see them. */
export const calibrationItems = pgTable(
  'calibration_items',
  {
    tenantId: tenantId(),
    sessionId: uuid().notNull(),
    interactionId: text().notNull(),
    position: smallint().notNull(),
    agentKey: text().notNull(),
    channel: text().notNull(),
    interactionEndedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.sessionId, t.interactionId] }),
    foreignKey({
      name: 'calibration_items_session_fk',
      columns: [t.tenantId, t.sessionId],
      foreignColumns: [calibrationSessions.tenantId, calibrationSessions.id],
    }).onDelete('cascade'),
  ],
);

/** Who scores a session (the lead among them), and when each handed in their answers. */
export const calibrationParticipants = pgTable(
  'calibration_participants',
  {
    tenantId: tenantId(),
    sessionId: uuid().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    submittedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.sessionId, t.userId] }),
    foreignKey({
      name: 'calibration_participants_session_fk',
      columns: [t.tenantId, t.sessionId],
      foreignColumns: [calibrationSessions.tenantId, calibrationSessions.id],
    }).onDelete('cascade'),
  ],
);

/** One participant's answer to one question of one interaction of a session. */
export const calibrationAnswers = pgTable(
  'calibration_answers',
  {
    tenantId: tenantId(),
    sessionId: uuid().notNull(),
    userId: text().notNull(),
    interactionId: text().notNull(),
    questionId: text().notNull(),
    answer: text().notNull(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.sessionId, t.userId, t.interactionId, t.questionId] }),
    foreignKey({
      name: 'calibration_answers_participant_fk',
      columns: [t.tenantId, t.sessionId, t.userId],
      foreignColumns: [calibrationParticipants.tenantId, calibrationParticipants.sessionId, calibrationParticipants.userId],
    }).onDelete('cascade'),
  ],
);

// ── coaching ──────────────────────────────────────────────────────────────────

/** What makes a coaching assignment and what it asks for (packages/contracts coaching.ts checks it); edits are audited. */
export const coachingRules = pgTable(
  'coaching_rules',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    name: text().notNull(),
    enabled: boolean().notNull().default(true),
    // The rule's condition, tip, session, due days and measurement weeks as CoachingRule holds them.
    definition: jsonb().$type<Omit<CoachingRule, 'id' | 'name' | 'enabled'>>().notNull(),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [tenantIsolation(t.tenantId), primaryKey({ columns: [t.tenantId, t.id] })],
);

export const coachingStatuses = ['delivered', 'acknowledged', 'overdue', 'slots_proposed', 'session_booked', 'measuring', 'closed', 'cancelled'] as const;
export type CoachingStatus = (typeof coachingStatuses)[number];

/**
 * One agent's coaching: what it is about (a form question or a KPI), the evidence (evaluation ids and spans, or the
 * KPI weeks — ids and figures, never transcript text), the tip, the session booked into their schedule and the
 * measured effect. `targetKey` keeps one open assignment per agent and target.
 */
export const coachingAssignments = pgTable(
  'coaching_assignments',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    agentId: uuid().notNull(),
    // The rule that made it (kept as its name too: a deleted rule leaves its assignments readable); null when manual.
    ruleId: uuid(),
    ruleName: text().notNull(),
    targetKey: text().notNull(),
    target: jsonb().notNull(),
    evidence: jsonb().notNull(),
    tip: jsonb().notNull(),
    sessionMinutes: smallint(),
    measureWeeks: smallint().notNull(),
    status: text().notNull().default('delivered'),
    // Who runs the session and whose effect it counts as: the supervisor or analyst who assigned it, else the agent's team's supervisor.
    coachUserId: text().references(() => users.id, { onDelete: 'set null' }),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    deliveredAt: timestamp({ withTimezone: true }),
    acknowledgedAt: timestamp({ withTimezone: true }),
    remindedAt: timestamp({ withTimezone: true }),
    escalatedAt: timestamp({ withTimezone: true }),
    sessionStartsAt: timestamp({ withTimezone: true }),
    sessionEndsAt: timestamp({ withTimezone: true }),
    // The schedule version the booked session is in.
    sessionScheduleId: uuid(),
    proposedSlots: jsonb(),
    measureFrom: timestamp({ withTimezone: true }),
    measureUntil: timestamp({ withTimezone: true }),
    outcome: jsonb(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'coaching_assignments_agent_fk', columns: [t.tenantId, t.agentId], foreignColumns: [agents.tenantId, agents.id] }).onDelete('cascade'),
    index('coaching_assignments_status_idx').on(t.tenantId, t.status, t.createdAt),
    uniqueIndex('coaching_assignments_open_idx')
      .on(t.tenantId, t.agentId, t.targetKey)
      .where(sql`${t.status} not in ('closed', 'cancelled')`),
    check(
      'coaching_assignments_status_check',
      sql`${t.status} in ('delivered', 'acknowledged', 'overdue', 'slots_proposed', 'session_booked', 'measuring', 'closed', 'cancelled')`,
    ),
    check('coaching_assignments_session_check', sql`${t.sessionMinutes} is null or ${t.sessionMinutes} > 0`),
  ],
);

/** An assignment's timeline: made, delivered, reminded, escalated, acknowledged, booked, measured, closed. */
export const coachingEvents = pgTable(
  'coaching_events',
  {
    tenantId: tenantId(),
    id: uuid().notNull().defaultRandom(),
    assignmentId: uuid().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    kind: text().notNull(),
    actorUserId: text().references(() => users.id, { onDelete: 'set null' }),
    detail: jsonb().notNull().default({}),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'coaching_events_assignment_fk',
      columns: [t.tenantId, t.assignmentId],
      foreignColumns: [coachingAssignments.tenantId, coachingAssignments.id],
    }).onDelete('cascade'),
    index('coaching_events_assignment_idx').on(t.tenantId, t.assignmentId, t.at),
  ],
);

/**
 * The embedded desktop panel's credentials (docs/desktop.md, Embedding). A `handshake` token is minted by the
 * embedding app's server with a `desktop:embed` API key for one agent, lives a minute and is redeemed once for a
 * `panel` token, which the framed panel sends as a bearer header (no cookie is sent inside a cross-site frame).
 * Only a sha256 of each token is stored.
 */
export const desktopEmbedTokens = pgTable(
  'desktop_embed_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text().notNull(),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    tenantIsolation(t.tenantId),
    check('desktop_embed_tokens_kind_check', sql`${t.kind} in ('handshake', 'panel')`),
    index('desktop_embed_tokens_expires_idx').on(t.expiresAt),
  ],
);
