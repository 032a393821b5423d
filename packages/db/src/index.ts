export { createDb, type Db, type DbHandle, type DbKind, type DbOptions, type Schema } from './client.ts';
export { migrateDb } from './migrate.ts';
export * as schema from './schema.ts';
export { createTenant, getTenantBySlug, listTenantTimezones, type Tenant } from './tenants.ts';
export { createApiKey, revokeApiKey, verifyApiKey } from './api-keys.ts';
export { getCenterConfig, seedTenant } from './center-config.ts';
export { getDirectory, type Directory, type IntentEntry, type QueueEntry, type AgentEntry, type TeamEntry } from './directory.ts';
export { getMembership, setMembership, type Membership, type Role } from './access.ts';
export { listAlertRules, saveAlertRule, deleteAlertRule, type AlertRule, type AlertRuleInput } from './alert-rules.ts';
export { recordAudit } from './audit.ts';
export { withTenant, enterTenant, type Tx } from './tenancy.ts';
export {
  DEFAULT_STAFFING,
  listSpecialDays,
  saveSpecialDay,
  deleteSpecialDay,
  listForecastOverrides,
  saveForecastOverride,
  deleteForecastOverride,
  listStaffingSettings,
  saveStaffingSettings,
  type SpecialDayRow,
  type SpecialDayInput,
  type ForecastOverrideRow,
  type ForecastOverrideInput,
  type StaffingSettings,
} from './planning.ts';
export { withAdvisoryLocks } from './locks.ts';
