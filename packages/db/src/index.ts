export { createDb, type Db, type DbHandle } from './client.ts';
export { migrateDb } from './migrate.ts';
export { appliedMigrationCount, dumpPglite, loadPglite, prepareRestoreTarget } from './backup.ts';
export * as schema from './schema.ts';
export {
  createTenant,
  getTenantById,
  getTenantBySlug,
  listTenants,
  listPendingRetention,
  listTenantTimezones,
  markRetentionApplied,
  provisionTenant,
  setAuditRetention,
  setDataRetention,
  setTenantDisabled,
  userExists,
  type Tenant,
  type TenantSummary,
} from './tenants.ts';
export { apiKeyScopes, createApiKey, listApiKeys, revokeApiKey, rotateApiKey, verifyApiKey } from './api-keys.ts';
export {
  findAgentMember,
  findPanelToken,
  getDesktopEmbedSettings,
  getDesktopFraming,
  mintEmbedToken,
  purgeExpiredEmbedTokens,
  redeemHandshake,
  setDesktopFrameAncestors,
} from './desktop-embed.ts';
export { listPeople, PeopleRuleError, setPersonDeactivated, updatePerson } from './people.ts';
export { getAccountStatus, queueMail, takeOutbox } from './outbox.ts';
export { claimMail, listPendingMail, markMailDelivered, recordMailFailure, takeFailedMail, type OutboxMail } from './outbox.ts';
export { getCenterConfig, importCenterConfig, seedTenant } from './center-config.ts';
export { removableCenterLists, removeCenterItem, saveCenterItem, type CenterItemProblem } from './center-config.ts';
export { getDirectory, type Directory } from './directory.ts';
export { getMembership, listMembers, setMembership, type Membership, type Role } from './access.ts';
export { listAlertRules, saveAlertRule, deleteAlertRule, type AlertIncident, type AlertRule } from './alert-rules.ts';
export {
  acknowledgeAlertIncident,
  alertIncidentStates,
  applyAlertChanges,
  getAlertMemory,
  listAlertIncidents,
  listTenantsWithAlerts,
  resolveAlertIncident,
  type AlertChanges,
  type AlertIncidentRow,
} from './alert-incidents.ts';
export { listAudit, purgeExpiredAudit, recordAgentErasureCertificate, recordAudit, recordErasureCertificate } from './audit.ts';
export {
  listSpecialDays,
  saveSpecialDay,
  deleteSpecialDay,
  listForecastOverrides,
  saveForecastOverride,
  deleteForecastOverride,
  listStaffingSettings,
  saveStaffingSettings,
} from './planning.ts';
export { getForecastSettings, saveForecastSettings, listDetectedDays, recordDetectedDays, decideDetectedDay } from './forecast-detection.ts';
export { withAdvisoryLocks } from './locks.ts';
export {
  listPlanningGroups,
  savePlanningGroup,
  listShiftTemplates,
  saveShiftTemplate,
  listWorkContracts,
  saveWorkContract,
  listAgentWorkRules,
  saveAgentWorkRules,
  getScheduleSettings,
  saveScheduleSettings,
  saveDraftSchedule,
  listSchedules,
  getSchedule,
  editDraftDay,
  publishSchedule,
  rejectSchedule,
  listPublishedActivities,
  acknowledgeSchedule,
  listAcknowledgements,
  ScheduleConflictError,
  type ActivityInput,
  type ScheduleRow,
  type ScheduleActivityRow,
} from './schedules.ts';
export {
  listTimeOff,
  createTimeOff,
  decideTimeOff,
  getTimeOffBalance,
  listSwaps,
  createSwap,
  updateSwap,
  applySwap,
  type TimeOffRow,
  type SwapRow,
  type Republish,
} from './time-off.ts';
export { seedSchedulingDefaults } from './schedule-seed.ts';
export { coachingStatuses, type CoachingStatus, type ScheduleSummary } from './schema.ts';
export {
  acknowledgeEvaluation,
  countReviewsSince,
  decideDispute,
  listDisputes,
  machineHumanPairs,
  countOpenDisputes,
  markOpenDisputes,
  raiseDisputes,
  EvaluationStateError,
  finalizeEvaluation,
  flagForReview,
  getFormVersion,
  qualityTrends,
  releaseEvaluation,
  listReleasedAnswers,
  type ReleasedAnswer,
  reviewAnswers,
  ensureBuiltInForm,
  getEvaluationCursor,
  getEvaluationWithAnswers,
  latestFormVersion,
  listEvaluationPlans,
  listForms,
  listFormVersions,
  listEvaluations,
  saveEvaluationPlan,
  saveFormVersion,
  storeEvaluations,
  type AnswerReview,
  type DisputeRow,
  type EvaluationFilter,
  type EvaluationPlanRow,
  type EvaluationRow,
  type NewEvaluation,
} from './quality.ts';
export {
  CalibrationStateError,
  closeCalibrationSession,
  createCalibrationSession,
  getCalibrationSession,
  listCalibrationSessions,
  saveCalibrationAnswers,
} from './calibration.ts';
export {
  deleteSsoConnection,
  findSsoConnectionByDomain,
  getMemberStanding,
  getSsoConnection,
  passwordSignInAllowed,
  saveSsoConnection,
  setPasswordSignIn,
  SsoDomainTakenError,
  type SsoConnection,
} from './sso.ts';
export {
  agentErasureNeedles,
  agentPseudonym,
  anonymiseAgentUsers,
  deleteAgentMail,
  erasedUserEmail,
  findAgentForErasure,
  maskAgentInFreeText,
  pseudonymiseAgent,
} from './agent-erasure.ts';
export {
  createWebhookSubscription,
  deleteWebhookSubscription,
  emitWebhookEvent,
  failWebhookDelivery,
  getWebhookDeliveryToSend,
  listPendingWebhookDeliveries,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  recordWebhookAttempt,
  recordWebhookTest,
  rotateWebhookSecret,
  updateWebhookSubscription,
  type StartWebhookDeliveries,
} from './webhooks.ts';
export {
  adherenceReaders,
  decideAdherenceException,
  fileAdherenceException,
  getAdherenceSettings,
  listAdherenceExceptions,
  saveAdherenceSettings,
  type AdherenceExceptionRow,
} from './adherence.ts';
export {
  acceptIntradayOffer,
  decideIntradayProposal,
  getIntradayProposal,
  getIntradaySettings,
  listIntradayProposals,
  listOffersForAgent,
  recordIntradayProposals,
  saveIntradaySettings,
  type IntradayProposalRow,
  type NewProposal,
} from './intraday.ts';
export {
  createCoachingAssignments,
  deleteCoachingRule,
  getCoachingAssignment,
  listCoachingAssignments,
  listCoachingEvents,
  listCoachingRules,
  moveCoachingAssignment,
  saveCoachingRule,
  type CoachingAssignmentRow,
  type CoachingTarget,
  type NewCoachingAssignment,
} from './coaching.ts';
