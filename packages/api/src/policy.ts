import type { Role } from '@switchboard/db';

export const roles = ['admin', 'supervisor', 'planner', 'analyst', 'agent'] as const satisfies readonly Role[];

/**
 * What data a role may reach through one procedure:
 * - tenant: everything of the viewer's tenant;
 * - teams: agent-level rows narrowed to the supervisor's teams; queue-level figures and the
 *   interactions behind them stay tenant-wide (a supervisor works the queues);
 * - self: the viewer's own agent only.
 */
export type Scope = 'tenant' | 'teams' | 'self';

/** Declared on every procedure: the roles allowed, each with its scope. A role not listed is denied. */
export type Policy = Partial<Record<Role, Scope>>;

export interface ProcedureMeta {
  policy: Policy;
  /** Also needs the quality-lead permission (an analyst or supervisor given it; every admin has it). */
  qualityLead?: boolean;
  /** Also callable by the embedded desktop panel's bearer token (docs/desktop.md), which reaches nothing else. */
  panel?: boolean;
}

/** Common policies, named for who uses them. */
export const policies = {
  everyMember: { admin: 'tenant', supervisor: 'teams', planner: 'tenant', analyst: 'tenant', agent: 'self' },
  supervisors: { admin: 'tenant', supervisor: 'teams' },
  reports: { admin: 'tenant', supervisor: 'teams', planner: 'tenant', analyst: 'tenant' },
  /** Forecasts and requirements are queue-level: supervisors read them too. */
  planningViewers: { admin: 'tenant', supervisor: 'teams', planner: 'tenant' },
  planners: { admin: 'tenant', planner: 'tenant' },
  /** Tenant administration: people, keys, the audit trail. */
  admins: { admin: 'tenant' },
  /** Evaluations: analysts tenant-wide, supervisors their teams' agents. */
  quality: { admin: 'tenant', analyst: 'tenant', supervisor: 'teams' },
} as const satisfies Record<string, Policy>;
