import { AgentConfig, CenterConfig, centerLists, Channel, QueueConfig } from '@switchboard/contracts';
import { z } from 'zod';
import { Role } from './shared.ts';

/** Tenant administration (admins only): people, keys, the audit trail, retention, sign-in, the center, webhooks. */

export const AdminDirectory = z.object({
  agents: z.array(z.object({ key: z.string(), name: z.string(), team: z.string() })),
  teams: z.array(z.object({ key: z.string(), name: z.string() })),
});

export const People = z.array(
  z.object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: Role,
    agentKey: z.string().nullable(),
    teamKeys: z.array(z.string()),
    qualityLead: z.boolean(),
    invited: z.boolean(),
    password: z.boolean(),
    sso: z.boolean(),
    twoFactor: z.boolean(),
    deactivatedAt: z.string().nullable(),
    lastSeenAt: z.string().nullable(),
  }),
);

export const Invited = z.object({ userId: z.string() });
export const Changed = z.object({ changed: z.boolean() });

/** Never a key's secret: its prefix only. */
export const ApiKeys = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    status: z.string(),
  }),
);

/** A new key: its secret, in this answer once. */
export const NewApiKey = z.object({ id: z.string(), key: z.string() });

export const ConfigExport = z.object({ config: CenterConfig, csv: z.record(z.enum(centerLists), z.string()) });

const ImportProblem = z.object({ file: z.string(), row: z.number().optional(), column: z.string().optional(), message: z.string() });
export const ConfigImport = z.object({ applied: z.boolean(), diff: z.string().nullable(), problems: z.array(ImportProblem) });

export const AuditPage = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      userId: z.string().nullable(),
      userName: z.string().nullable(),
      action: z.string(),
      objectType: z.string(),
      objectId: z.string(),
    }),
  ),
  more: z.boolean(),
  retentionDays: z.number().nullable(),
});

export const Retention = z.object({
  retentionDays: z.number(),
  transcriptRetentionDays: z.number().nullable(),
  rejectionRetentionDays: z.number(),
  auditRetentionDays: z.number(),
  pending: z.boolean(),
});

export const DesktopEmbed = z.object({ pagePath: z.string(), frameAncestors: z.array(z.string()) });

/** The identity provider as configured: never its client secret. */
export const Sso = z.object({
  redirectUri: z.string().nullable(),
  passwordSignIn: z.boolean(),
  connection: z
    .object({
      issuer: z.string(),
      clientId: z.string(),
      domains: z.array(z.string()),
      provisioning: z.enum(['invite', 'jit']),
      jitRole: Role.nullable(),
      updatedAt: z.string(),
    })
    .nullable(),
});
export const Removed = z.object({ removed: z.boolean() });
export const PasswordSignIn = z.object({ passwordSignIn: z.boolean() });

// ── the center, item by item ─────────────────────────────────────────────────

export const CenterItems = z.object({
  skills: z.array(z.object({ id: z.string(), name: z.string(), agents: z.number(), queues: z.number() })),
  teams: z.array(z.object({ id: z.string(), name: z.string(), agents: z.number() })),
  agents: z.array(AgentConfig.extend({ teamName: z.string(), contractId: z.string().nullable(), contractName: z.string().nullable() })),
  queues: z.array(QueueConfig.extend({ planningGroupId: z.string().nullable(), planningGroupName: z.string().nullable() })),
  bots: z.array(z.object({ id: z.string(), name: z.string(), channels: z.array(Channel), intents: z.number() })),
  intents: z.array(z.object({ id: z.string(), bot_id: z.string(), label: z.string(), queue_id: z.string() })),
  contracts: z.array(z.object({ id: z.string(), name: z.string() })),
  planningGroups: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() })),
});
export const CenterItemSaved = z.object({ id: z.string(), created: z.boolean(), changes: z.array(z.string()) });
export const CenterItemRemoved = z.object({ removed: z.string() });

// ── webhooks ──────────────────────────────────────────────────────────────────

/** Subscriptions without their secrets. */
export const Webhooks = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    kinds: z.array(z.string()),
    active: z.boolean(),
    createdAt: z.string(),
    previousSecretExpiresAt: z.string().nullable(),
    lastDelivery: z.object({ createdAt: z.string(), status: z.string(), lastStatus: z.number().nullable(), attempts: z.number() }).nullable(),
  }),
);
/** A new signing secret, in this answer once. */
export const WebhookSecret = z.object({ id: z.string(), secret: z.string() });
export const WebhookRotated = WebhookSecret.extend({ previousSecretExpiresAt: z.string() });
export const WebhookDeliveries = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      eventId: z.string(),
      kind: z.string(),
      status: z.string(),
      attempts: z.number(),
      lastStatus: z.number().nullable(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
      deliveredAt: z.string().nullable(),
    }),
  ),
  next: z.string().nullable(),
});
export const WebhookTestSent = z.object({ deliveryId: z.string() });
