import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ensureMember, roles } from '@switchboard/api';
import type { CenterConfig } from '@switchboard/contracts';
import {
  createApiKey,
  getDirectory,
  applyAlertChanges,
  recordDetectedDays,
  saveAlertRule,
  saveForecastOverride,
  saveSpecialDay,
  seedTenant,
  seedSchedulingDefaults,
  listPlanningGroups,
  listShiftTemplates,
  listWorkContracts,
  saveDraftSchedule,
  publishSchedule,
  createTimeOff,
  createWebhookSubscription,
  fileAdherenceException,
  listIntradayProposals,
  recordIntradayProposals,
  createCoachingAssignments,
  moveCoachingAssignment,
  saveCoachingRule,
  createSwap,
  updateSwap,
  createCalibrationSession,
  ensureBuiltInForm,
  finalizeEvaluation,
  latestFormVersion,
  raiseDisputes,
  listEvaluations,
  storeEvaluations,
  type ActivityInput,
  type AlertRule,
  type Directory,
  type Role,
} from '@switchboard/db';
import { demoCenter } from '@switchboard/simulator';
import { standardForm } from '@switchboard/quality';
import { ndjson, post, sampleInteraction, waitForRollups } from './events.ts';
import type { TestHost } from './host.ts';

/**
 * Two tenants on a test host, A with a member of every role and objects for every procedure to act on, B with an
 * admin, and a valid input for every tRPC procedure: the authorization matrix (tests/authorization.test.ts) calls each
 * procedure as every role with them, the injection faults (tests/faults/injection.test.ts) turn their strings hostile.
 */

/** Tenant B: demoCenter with every key prefixed, so no key of A means anything in B. */
function prefixedCenter(prefix: string): CenterConfig {
  const p = (id: string) => `${prefix}${id}`;
  return {
    ...demoCenter,
    skills: demoCenter.skills.map((s) => ({ ...s, id: p(s.id) })),
    teams: demoCenter.teams.map((t) => ({ id: p(t.id), name: `B ${t.name}` })),
    agents: demoCenter.agents.map((a) => ({
      ...a,
      id: p(a.id),
      team_id: p(a.team_id),
      skills: a.skills.map((s) => ({ ...s, skill_id: p(s.skill_id) })),
    })),
    queues: demoCenter.queues.map((q) => ({ ...q, id: p(q.id), name: `B ${q.name}`, skill_id: p(q.skill_id) })),
    bots: demoCenter.bots.map((b) => ({ ...b, id: p(b.id) })),
    intents: demoCenter.intents.map((i) => ({ ...i, id: p(i.id), bot_id: p(i.bot_id), queue_id: p(i.queue_id) })),
  };
}

export interface Fixture {
  tenantA: string;
  tenantB: string;
  dirA: Directory;
  dirB: Directory;
  /** The team A's supervisor is scoped to. */
  team: { key: string; name: string };
  /** The agent A's agent member is. */
  agentKey: string;
  /** Another agent of the same team. */
  teammateKey: string;
  /** An agent of A outside the supervisor's team. */
  outsiderKey: string;
  usersA: Record<Role | 'quality lead', string>;
  adminB: string;
  passwords: Record<string, string>;
  emails: Record<Role, string>;
  /** An interaction of tenant A handled by the agent member. */
  interaction: { interactionId: string; around: string };
  /** A fresh alert rule of tenant A (for procedures that change or delete one). */
  newRuleA(): Promise<AlertRule>;
  /** A fresh open incident of a queue of tenant A (queue incidents are the supervisor's too). */
  newIncidentA(): Promise<string>;
  /** A fresh special day and forecast override of tenant A (each on its own date). */
  newSpecialDayA(): Promise<{ id: string }>;
  newOverrideA(): Promise<{ id: string }>;
  /** A date a forecast run found unusual in a queue of tenant A (each call its own date), for a planner to decide. */
  newDetectedDateA(): Promise<string>;
  /** Tenant A's scheduling defaults and a published week in which the agent member and their teammate work on SWAP_DATE. */
  scheduling: { groupId: string; templateId: string; contractId: string; publishedId: string; agentId: string };
  /** A fresh draft of that week (editable from revision 1). */
  newDraftA(): Promise<string>;
  newPendingTimeOffA(): Promise<string>;
  newOwnTimeOffA(): Promise<string>;
  /** A fresh ingest API key of tenant A. */
  newApiKeyA(): Promise<string>;
  /** A fresh evaluation of an interaction the agent member (or another agent) handled, every answer given, in review or finalized. */
  newEvaluationA(options?: { finalized?: boolean; released?: boolean; agentKey?: string }): Promise<string>;
  /** An open dispute of a released evaluation of the agent member. */
  newDisputeA(): Promise<string>;
  /** An open calibration session led by the quality lead, every member of A but the agent taking part. */
  newCalibrationA(): Promise<{ sessionId: string; interactionId: string }>;
  /** Swaps: asked of the agent member by the teammate, asked by the agent member, and one accepted awaiting a planner. */
  newSwapAskedOfAgentA(): Promise<string>;
  newOwnSwapA(): Promise<string>;
  newAcceptedSwapA(): Promise<string>;
  /** A fresh webhook subscription of tenant A, stored directly (a placeholder stands for its sealed secret: nothing here sends). */
  newWebhookA(): Promise<string>;
  /** A pending adherence exception of the agent member, for a supervisor or admin to decide. */
  newAdherenceExceptionA(): Promise<string>;
  /** A waiting intraday proposal (a time-off offer for the voice group), from a run of its own. */
  newProposalA(): Promise<string>;
  /** A coaching rule of tenant A. */
  newCoachingRuleA(): Promise<string>;
  /** An open coaching assignment of the agent member, on a target of its own; with `slots`, waiting for a coach to pick a session slot. */
  newCoachingAssignmentA(options?: { slots?: boolean }): Promise<string>;
}

const SWAP_DATE = '2026-12-08';

/**
 * One sample input per procedure. Every procedure must have one: the authorization matrix calls
 * each procedure as every role, so a new procedure is checked the moment it exists.
 * Inputs must be valid for every role the policy allows; mutations must succeed.
 */
export const sampleInputs: Record<string, (f: Fixture) => unknown> = {
  'session.me': () => undefined,
  'wallboard.snapshot': () => undefined,
  'wallboard.alertRules.list': () => undefined,
  'wallboard.alertRules.save': (f) => ({
    name: 'matrix rule',
    queueId: f.dirA.queues[0]!.id,
    teamId: null,
    match: 'all',
    conditions: [{ metric: 'waiting', comparator: 'above', threshold: 5, clearThreshold: 3 }],
    fireAfterS: 30,
    clearAfterS: 60,
    severity: 'warning',
    enabled: true,
  }),
  'wallboard.alertRules.remove': async (f) => ({ id: (await f.newRuleA()).id }),
  'wallboard.incidents.list': () => ({ state: 'open' }),
  'wallboard.incidents.acknowledge': async (f) => ({ id: await f.newIncidentA() }),
  'wallboard.incidents.resolve': async (f) => ({ id: await f.newIncidentA(), note: 'handled' }),
  // The agent member's own key: in scope for tenant, teams (their supervisor) and self alike.
  'agents.day': (f) => ({ agentKey: f.agentKey }),
  'reports.run': (f) => ({ from: '2026-01-05', to: '2026-01-06', grain: 'day', dimension: 'agent', keys: [f.agentKey] }),
  'reports.drill': (f) => ({ from: '2026-01-05T00:00:00Z', to: '2026-01-06T00:00:00Z', metric: 'answered', dimension: 'agent', keys: [f.agentKey] }),
  'reports.bots': () => ({ from: '2026-01-05', to: '2026-01-06' }),
  // An interaction the agent member handled (ingested in beforeAll), so the agent may read it too.
  'interactions.timeline': (f) => f.interaction,
  'planning.overview': () => undefined,
  // No version exists: the queries answer empty or NOT_FOUND, past the policy either way.
  'planning.forecast': (f) => ({ versionId: randomUUID(), queueKey: f.dirA.queues[0]!.key, date: '2026-01-05', days: 1 }),
  'planning.accuracy': () => ({}),
  'planning.staffing': (f) => ({ versionId: randomUUID(), queueKey: f.dirA.queues[0]!.key, date: '2026-01-05', days: 1 }),
  'planning.runs': () => undefined,
  'planning.runForecast': () => ({ startDate: '2026-01-05' }),
  'planning.runStaffing': () => ({ forecastVersionId: randomUUID() }),
  'planning.specialDays.list': () => undefined,
  'planning.specialDays.save': () => ({ date: '2026-12-24', label: 'Christmas Eve', effect: 'multiply', multiplier: 0.5 }),
  'planning.specialDays.remove': async (f) => ({ id: (await f.newSpecialDayA()).id }),
  'planning.overrides.list': () => ({}),
  'planning.overrides.save': (f) => ({
    queueId: f.dirA.queues[0]!.id,
    fromDate: '2026-12-01',
    toDate: '2026-12-01',
    fromMinute: 540,
    toMinute: 600,
    kind: 'multiply',
    value: 1.1,
    label: 'mailing',
  }),
  'planning.overrides.remove': async (f) => ({ id: (await f.newOverrideA()).id }),
  'planning.forecastSettings.get': () => undefined,
  'planning.forecastSettings.save': () => ({ holidayRegion: 'us', holidayMultiplier: 0 }),
  'planning.holidays': () => ({ from: '2026-11-01', days: 60 }),
  'planning.detectedDays.list': () => undefined,
  'planning.detectedDays.decide': async (f) => ({ date: await f.newDetectedDateA(), decision: 'reject' }),
  'planning.settings.list': () => undefined,
  'planning.settings.save': (f) => ({ queueId: f.dirA.queues[0]!.id, shrinkage: 0.3, maxOccupancy: 0.85, patienceS: null }),
  'schedules.overview': () => ({ weekStart: '2026-12-07' }),
  'schedules.get': (f) => ({ scheduleId: f.scheduling.publishedId }),
  'schedules.diff': async (f) => ({ fromId: f.scheduling.publishedId, toId: await f.newDraftA() }),
  'schedules.generate': (f) => ({ groupId: f.scheduling.groupId, weekStart: '2026-12-07' }),
  'schedules.editDay': async (f) => ({
    scheduleId: await f.newDraftA(),
    expectedRevision: 1,
    agentId: f.scheduling.agentId,
    shiftDate: SWAP_DATE,
    shift: { templateId: f.scheduling.templateId, startMin: 480, breakOffsetsMin: [90, 210, 360] },
  }),
  'schedules.decide': async (f) => ({ scheduleId: await f.newDraftA(), approve: true }),
  'schedules.setup.get': () => undefined,
  'schedules.setup.saveGroup': () => ({ key: `g-${randomUUID().slice(0, 8)}`, name: 'New group', queueIds: [] }),
  'schedules.setup.saveTemplate': () => ({
    name: `Early ${randomUUID().slice(0, 8)}`,
    lengthMin: 480,
    startStepMin: 30,
    earliestStartMin: 360,
    latestStartMin: 480,
    weekdays: [1, 2, 3, 4, 5],
    cost: null,
    breaks: [{ kind: 'lunch', lengthMin: 30, earliestOffsetMin: 180, latestOffsetMin: 270, paid: false }],
  }),
  'schedules.setup.saveContract': () => ({
    name: `Contract ${randomUUID().slice(0, 8)}`,
    minHours: 20,
    maxHours: 30,
    minRestMin: 660,
    maxConsecutiveDays: 5,
    daysOffPerWeek: 2,
    fixedDaysOff: [0],
  }),
  'schedules.setup.saveRules': (f) => ({
    agentId: f.dirA.agents[5]!.id,
    contractId: f.scheduling.contractId,
    timezone: null,
    availability: null,
    preferredStartFrom: 480,
    preferredStartTo: 540,
    preferredDaysOff: [6],
  }),
  'schedules.setup.saveSettings': () => ({ autoApproveSwaps: false, acknowledgeDays: 2 }),
  'schedules.timeOff.pending': () => undefined,
  'schedules.timeOff.decide': async (f) => ({ id: await f.newPendingTimeOffA(), approve: false, note: 'busy week' }),
  'schedules.swaps.pending': () => undefined,
  'schedules.swaps.decide': async (f) => ({ id: await f.newAcceptedSwapA(), approve: false }),
  'quality.queue': () => ({}),
  'quality.list': (f) => ({ agentKey: f.agentKey }),
  'quality.get': async (f) => ({ evaluationId: await f.newEvaluationA() }),
  'quality.answer': async (f) => ({
    evaluationId: await f.newEvaluationA(),
    answers: [{ questionId: 'empathy', answer: 'yes', reason: 'said sorry to hear it' }],
  }),
  'quality.finalize': async (f) => ({ evaluationId: await f.newEvaluationA(), release: true }),
  'quality.release': async (f) => ({ evaluationId: await f.newEvaluationA({ finalized: true }) }),
  'quality.trends': () => ({ weeks: 4, by: 'agent' }),
  'quality.agreement': () => ({ weeks: 4 }),
  'quality.forms.list': () => undefined,
  'quality.forms.get': () => ({ key: 'standard' }),
  // A fresh key each call: every allowed role saves a form of its own.
  'quality.forms.save': () => ({ key: `form-${randomUUID().slice(0, 8)}`, name: 'Billing form', definition: standardForm }),
  'quality.forms.preview': () => ({
    definition: standardForm,
    transcript: { channel: 'voice', segments: [{ speaker: 'agent', start_ms: 0, end_ms: 2000, text: 'Good morning, my name is Sam.' }], holds: [] },
  }),
  'quality.mine': () => ({}),
  'quality.acknowledge': async (f) => ({ evaluationId: await f.newEvaluationA({ released: true }) }),
  'quality.dispute': async (f) => ({
    evaluationId: await f.newEvaluationA({ released: true }),
    disputes: [{ questionId: 'greeting', comment: 'I did greet' }],
  }),
  'quality.disputes': () => ({}),
  'quality.decideDispute': async (f) => ({ disputeId: await f.newDisputeA(), answer: null, note: 'the greeting is there' }),
  'quality.plans.list': () => undefined,
  // The standard form exists once the tenant has an evaluation.
  'quality.plans.save': async (f) => ({
    key: `plan-${(await f.newEvaluationA()).slice(0, 8)}`,
    name: 'Low surveys',
    formKey: 'standard',
    queueIds: [],
    teamIds: [],
    reviewPercent: 0,
    minReviewsPerAgentWeek: 0,
    targets: { csatAtMost: 2 },
    active: true,
  }),
  'quality.calibration.list': () => undefined,
  'quality.calibration.people': () => undefined,
  'quality.calibration.create': async (f) => ({ name: 'Weekly', evaluationIds: [await f.newEvaluationA()], participantIds: [f.usersA.analyst] }),
  'quality.calibration.get': async (f) => ({ sessionId: (await f.newCalibrationA()).sessionId }),
  'quality.calibration.transcript': async (f) => f.newCalibrationA(),
  'quality.calibration.answer': async (f) => {
    const { sessionId, interactionId } = await f.newCalibrationA();
    return { sessionId, answers: [{ interactionId, questionId: 'greeting', answer: 'yes' }], submit: true };
  },
  'quality.calibration.close': async (f) => ({ sessionId: (await f.newCalibrationA()).sessionId }),
  'me.schedule': () => ({}),
  'me.acknowledge': (f) => ({ scheduleId: f.scheduling.publishedId }),
  'me.ical': () => undefined,
  'me.timeOff.list': () => undefined,
  'me.timeOff.request': () => ({ date: '2027-02-10', fromMin: null, toMin: null }),
  'me.timeOff.cancel': async (f) => ({ id: await f.newOwnTimeOffA() }),
  'me.swaps.list': () => undefined,
  'me.swaps.colleagues': () => undefined,
  'me.swaps.request': (f) => ({ colleagueKey: f.teammateKey, myDate: SWAP_DATE, theirDate: SWAP_DATE }),
  'me.swaps.answer': async (f) => ({ id: await f.newSwapAskedOfAgentA(), accept: false }),
  'me.swaps.cancel': async (f) => ({ id: await f.newOwnSwapA() }),
  // Without the web API's accounts, people procedures stop at their precondition after the policy: no one is changed.
  'admin.directory': () => undefined,
  'admin.exportConfig': () => undefined,
  'admin.importConfig': () => ({ csv: { teams: 'team_id,name\nmatrix-team,Matrix team\n' }, dryRun: true }),
  'admin.center.list': () => undefined,
  'admin.center.save': () => ({ list: 'skills', create: true, item: { id: `matrix-${randomUUID().slice(0, 8)}`, name: 'Matrix skill' } }),
  // An intent nothing else here uses: only the admin (first in the matrix) gets past the policy to remove it.
  'admin.center.remove': () => ({ list: 'intents', id: demoCenter.intents.at(-1)!.id }),
  'admin.audit': () => ({ from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }),
  'admin.setAuditRetention': () => ({ days: 730 }),
  'admin.retention': () => undefined,
  'admin.desktopEmbed': () => undefined,
  'admin.setDesktopFrameAncestors': () => ({ origins: ['https://crm.authz.test'] }),
  'admin.setDataRetention': () => ({ retentionDays: 400, transcriptRetentionDays: null, rejectionRetentionDays: 30 }),
  'session.recordExport': () => ({ what: 'evaluations', format: 'csv', rows: 12 }),
  'admin.people': () => undefined,
  'admin.invite': () => ({ email: `invited-${randomUUID().slice(0, 8)}@matrix.test`, name: 'Invited', role: 'planner' }),
  'admin.updatePerson': (f) => ({ userId: f.usersA.planner, role: 'planner' }),
  'admin.deactivate': (f) => ({ userId: f.usersA.planner }),
  'admin.activate': (f) => ({ userId: f.usersA.planner }),
  'admin.resetPassword': (f) => ({ userId: f.usersA.planner }),
  'admin.apiKeys': () => undefined,
  'admin.createApiKey': () => ({ name: 'matrix sender' }),
  'admin.rotateApiKey': async (f) => ({ keyId: await f.newApiKeyA(), overlapHours: 1 }),
  'admin.revokeApiKey': async (f) => ({ keyId: await f.newApiKeyA() }),
  'admin.sso': () => undefined,
  'admin.saveSso': () => ({
    issuer: 'https://login.matrix.test',
    clientId: 'matrix',
    clientSecret: 'secret',
    domains: ['matrix.test'],
    provisioning: 'invite',
    jitRole: null,
  }),
  'admin.removeSso': () => undefined,
  'admin.setPasswordSignIn': () => ({ enabled: true }),
  'admin.webhooks.list': () => undefined,
  // Secrets are sealed under the web API's auth secret: without its accounts, create and rotate stop at their precondition.
  'admin.webhooks.create': () => ({ name: 'matrix hook', url: 'https://hooks.matrix.test/in', kinds: ['schedule.published'] }),
  'admin.webhooks.update': async (f) => ({ id: await f.newWebhookA(), name: 'matrix hook renamed', active: false }),
  'admin.webhooks.rotate': async (f) => ({ id: await f.newWebhookA() }),
  'admin.webhooks.delete': async (f) => ({ id: await f.newWebhookA() }),
  'admin.webhooks.deliveries': async (f) => ({ id: await f.newWebhookA(), limit: 10 }),
  // Sending needs the workflow engine, which does not run here: past the policy it stops at that precondition.
  'admin.webhooks.sendTest': async (f) => ({ id: await f.newWebhookA() }),
  'adherence.realtime': () => ({}),
  'adherence.gantt': () => ({ date: SWAP_DATE }),
  'adherence.report': () => ({ from: '2026-12-07', to: SWAP_DATE, by: 'agent' }),
  'adherence.minutes': (f) => ({ agentKey: f.agentKey, date: SWAP_DATE }),
  'adherence.mine': () => undefined,
  'adherence.settings': () => undefined,
  'adherence.saveSettings': () => ({
    mapping: {
      work: [{ state: 'available' }, { state: 'on_interaction' }, { state: 'wrap_up' }],
      break: [{ state: 'break' }],
      lunch: [{ state: 'lunch' }, { state: 'break', reasonCodes: ['lunch'] }],
      meeting: [{ state: 'meeting' }],
      coaching: [{ state: 'meeting' }, { state: 'training' }],
      training: [{ state: 'training' }],
    },
    graceMinutes: 3,
  }),
  // The agent member's own key: theirs to file, their supervisor's and the admin's to file for.
  'adherence.exceptions.file': (f) => ({ agentKey: f.agentKey, start: `${SWAP_DATE}T14:00:00Z`, end: `${SWAP_DATE}T14:20:00Z`, reason: 'system_outage' }),
  'adherence.exceptions.list': () => ({}),
  'adherence.exceptions.decide': async (f) => ({ id: await f.newAdherenceExceptionA(), approve: false }),
  'intraday.day': () => ({}),
  'intraday.run': () => undefined,
  'intraday.decide': async (f) => ({ id: await f.newProposalA(), approve: false }),
  'intraday.saveSettings': () => ({ gapThreshold: 2, leadMinutes: 30 }),
  'intraday.offers': () => undefined,
  // An offer that is not open answers `closed`: the call itself succeeds for the agent.
  'intraday.acceptOffer': () => ({ id: randomUUID() }),
  'coaching.rules': () => undefined,
  'coaching.saveRule': () => ({
    name: `fixture ${randomUUID()}`,
    enabled: false,
    condition: { kind: 'manual' },
    tip: 'fixture',
    session: null,
    dueDays: 7,
    measureWeeks: 2,
  }),
  'coaching.deleteRule': async (f) => ({ id: await f.newCoachingRuleA() }),
  'coaching.checkNow': () => undefined,
  'coaching.assignments': () => ({}),
  'coaching.assignment': async (f) => ({ id: await f.newCoachingAssignmentA() }),
  // Past the policy and the agent's scope, assigning starts a workflow: it stops at that precondition here.
  'coaching.assign': (f) => ({
    agentKey: f.agentKey,
    target: { type: 'metric', metric: 'hold_rate' },
    tip: 'fixture',
    sessionMinutes: null,
    dueDays: 7,
    measureWeeks: 2,
  }),
  'coaching.cancel': async (f) => ({ id: await f.newCoachingAssignmentA() }),
  'coaching.bookSlot': async (f) => ({ id: await f.newCoachingAssignmentA({ slots: true }), start: `${SWAP_DATE}T15:00:00.000Z` }),
  'coaching.effects': () => undefined,
  'coaching.mine': () => undefined,
  'coaching.acknowledge': async (f) => ({ id: await f.newCoachingAssignmentA() }),
  'coaching.ownLines': async (f) => ({ id: await f.newCoachingAssignmentA() }),
  'desktop.kpis': () => undefined,
};

/** Seeds tenants A and B on `t` and answers the fixture the sample inputs draw on. */
export async function createProcedureFixture(t: TestHost): Promise<Fixture> {
  const db = t.host.db.db;
  const tenantA = await seedTenant(db, { slug: `authz-a-${randomUUID().slice(0, 8)}`, name: 'Tenant A', config: demoCenter });
  const tenantB = await seedTenant(db, { slug: `authz-b-${randomUUID().slice(0, 8)}`, name: 'Tenant B', config: prefixedCenter('b-') });
  let specialDayCount = 0;
  let coachingTargets = 0;
  const team = demoCenter.teams[0]!;
  const teamAgents = demoCenter.agents.filter((a) => a.team_id === team.id);
  const outsider = demoCenter.agents.find((a) => a.team_id !== team.id)!;
  const passwords: Record<string, string> = {};
  const member = async (email: string, role: Role, tenantId: string, extra: { agentKey?: string; teamKeys?: string[]; qualityLead?: boolean } = {}) => {
    passwords[email] = `pw-${randomBytes(12).toString('hex')}`;
    return ensureMember(t.host.auth, db, { email, name: `${role} ${email}`, password: passwords[email], role, tenantId, ...extra });
  };
  // Users are global and a membership cannot be moved between tenants (row security), so
  // each run, on a PostgreSQL that outlives it, has its own users.
  const run = randomUUID().slice(0, 8);
  const emails = Object.fromEntries(roles.map((r) => [r, `${r}-${run}@a.authz.test`])) as Record<Role, string>;
  const usersA = {} as Record<Role | 'quality lead', string>;
  for (const role of roles) {
    usersA[role] = await member(emails[role], role, tenantA, {
      ...(role === 'supervisor' ? { teamKeys: [team.id] } : {}),
      ...(role === 'agent' ? { agentKey: teamAgents[0]!.id } : {}),
    });
  }
  usersA['quality lead'] = await member(`lead-${run}@a.authz.test`, 'analyst', tenantA, { qualityLead: true });
  const adminB = await member(`admin-${run}@b.authz.test`, 'admin', tenantB);
  const { key: apiKey } = await createApiKey(db, tenantA, 'authorization test');
  const events = sampleInteraction(new Date(Date.now() - 3_600_000), { queue_id: demoCenter.queues[0]!.id }).map((e) =>
    'agent_id' in e ? { ...e, agent_id: teamAgents[0]!.id } : e,
  );
  expect((await post(t.url, apiKey, ndjson(events))).status).toBe(200);
  await waitForRollups(t.url);
  const first = events[0] as { interaction_id: string; occurred_at: string };
  const dirA = (await getDirectory(db, tenantA))!;
  const dirB = (await getDirectory(db, tenantB))!;
  await seedSchedulingDefaults(db, tenantA);
  const voice = (await listPlanningGroups(db, tenantA)).find((g) => g.key === 'voice')!;
  const fullDay = (await listShiftTemplates(db, tenantA)).find((tpl) => tpl.lengthMin === 510)!;
  const contract = (await listWorkContracts(db, tenantA))[0]!;
  const agentId = dirA.agents.find((a) => a.key === teamAgents[0]!.id)!.id;
  const teammateId = dirA.agents.find((a) => a.key === teamAgents[1]!.id)!.id;
  const shiftOn = (who: string, hour: number): ActivityInput[] => {
    const at = (h: number) => new Date(`${SWAP_DATE}T${String(Math.floor(h)).padStart(2, '0')}:${h % 1 ? '30' : '00'}:00Z`);
    return [
      { agentId: who, kind: 'work', startsAt: at(hour), endsAt: at(hour + 4), shiftDate: SWAP_DATE, templateId: fullDay.id },
      { agentId: who, kind: 'lunch', startsAt: at(hour + 4), endsAt: at(hour + 4.5), shiftDate: SWAP_DATE, templateId: fullDay.id },
      { agentId: who, kind: 'work', startsAt: at(hour + 4.5), endsAt: at(hour + 8.5), shiftDate: SWAP_DATE, templateId: fullDay.id },
    ];
  };
  const week = { groupId: voice.id, weekStart: '2026-12-07', timezone: demoCenter.timezone, staffingVersionId: null };
  const summary = { figures: { lpBound: 0, penalty: 0 }, required: new Array<number>(7 * 96).fill(0), scheduled: [], dayStarts: [], notes: [] };
  const draftOf = () =>
    saveDraftSchedule(db, tenantA, { ...week, summary, workflowId: randomUUID(), activities: [...shiftOn(agentId, 13), ...shiftOn(teammateId, 15)] });
  const published = await draftOf();
  await publishSchedule(db, tenantA, null, published.id, new Date(), new Date());
  const timeOff = (status: 'approved' | 'pending') =>
    createTimeOff(db, tenantA, null, {
      agentId,
      startsAt: new Date('2027-03-01T05:00:00Z'),
      endsAt: new Date('2027-03-02T05:00:00Z'),
      paidHours: 8,
      status,
      decisionNote: 'fixture',
    });
  const swap = (requesterId: string, colleagueId: string) =>
    createSwap(db, tenantA, null, { weekStart: week.weekStart, requesterId, requesterDate: SWAP_DATE, colleagueId, colleagueDate: SWAP_DATE });
  const fixture: Fixture = {
    tenantA,
    tenantB,
    dirA,
    dirB,
    team: { key: team.id, name: team.name },
    agentKey: teamAgents[0]!.id,
    teammateKey: teamAgents[1]!.id,
    outsiderKey: outsider.id,
    usersA,
    adminB,
    interaction: { interactionId: first.interaction_id, around: first.occurred_at },
    passwords,
    emails,
    async newRuleA() {
      const rule = await saveAlertRule(db, tenantA, null, {
        name: 'matrix',
        queueId: dirA.queues[0]!.id,
        teamId: null,
        match: 'all',
        conditions: [{ metric: 'waiting', comparator: 'above', threshold: 9, clearThreshold: 9 }],
        fireAfterS: 0,
        clearAfterS: 0,
        severity: 'critical',
        enabled: true,
      });
      return rule!;
    },
    async newIncidentA() {
      const rule = await this.newRuleA();
      const subject = `queue:${dirA.queues[0]!.key}`;
      const { fired } = await applyAlertChanges(db, tenantA, {
        states: [],
        fire: [{ ruleId: rule.id, subject, severity: 'critical', values: { waiting: 12 }, firedAt: new Date() }],
        clear: [],
      });
      return fired[0]!.id;
    },
    async newSpecialDayA() {
      specialDayCount += 1;
      const date = new Date(Date.UTC(2027, 0, specialDayCount)).toISOString().slice(0, 10);
      return saveSpecialDay(db, tenantA, null, { date, label: 'to remove', effect: 'exclude', multiplier: null });
    },
    async newOverrideA() {
      const input = {
        queueId: dirA.queues[0]!.id,
        fromDate: '2027-01-01',
        toDate: '2027-01-01',
        fromMinute: null,
        toMinute: null,
        kind: 'set' as const,
        value: 1,
        label: 'to remove',
      };
      return (await saveForecastOverride(db, tenantA, null, input))!;
    },
    scheduling: { groupId: voice.id, templateId: fullDay.id, contractId: contract.id, publishedId: published.id, agentId },
    newDraftA: async () => (await draftOf()).id,
    newPendingTimeOffA: async () => (await timeOff('pending')).id,
    newOwnTimeOffA: async () => (await timeOff('approved')).id,
    newApiKeyA: async () => (await createApiKey(db, tenantA, 'matrix')).id,
    newWebhookA: () =>
      createWebhookSubscription(db, tenantA, null, {
        name: 'matrix',
        url: 'https://hooks.matrix.test/in',
        kinds: ['schedule.published'],
        secretSealed: 'matrix',
      }),
    newSwapAskedOfAgentA: async () => (await swap(teammateId, agentId)).id,
    newOwnSwapA: async () => (await swap(agentId, teammateId)).id,
    async newAdherenceExceptionA() {
      const startsAt = new Date(`${SWAP_DATE}T15:00:00Z`);
      const exception = await fileAdherenceException(db, tenantA, usersA.agent, {
        agentId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 600_000),
        reason: 'system_outage',
        note: null,
      });
      return exception.id;
    },
    async newCoachingRuleA() {
      const rule = await saveCoachingRule(db, tenantA, usersA.admin, {
        name: `fixture ${randomUUID()}`,
        enabled: false,
        condition: { kind: 'manual' },
        tip: 'fixture',
        session: null,
        dueDays: 7,
        measureWeeks: 2,
      });
      return rule!.id;
    },
    async newCoachingAssignmentA(options = {}) {
      coachingTargets += 1;
      const now = new Date();
      const [row] = await createCoachingAssignments(
        db,
        tenantA,
        usersA.supervisor,
        [
          {
            agentId,
            ruleId: null,
            ruleName: 'Assigned by hand',
            target: { type: 'question', questionId: `fixture_${coachingTargets}` },
            evidence: { kind: 'manual' },
            tip: { headline: 'fixture', body: 'fixture', guidance: null, ownLines: [], example: null },
            sessionMinutes: 30,
            measureWeeks: 2,
            coachUserId: usersA.supervisor,
            dueAt: new Date(now.getTime() + 7 * 86_400_000),
          },
        ],
        now,
      );
      if (options.slots)
        await moveCoachingAssignment(db, tenantA, {
          id: row!.id,
          from: ['delivered'],
          set: { status: 'slots_proposed', proposedSlots: [{ start: `${SWAP_DATE}T15:00:00.000Z`, end: `${SWAP_DATE}T15:30:00.000Z` }] },
          event: { at: now, kind: 'slots_proposed' },
        });
      return row!.id;
    },
    async newProposalA() {
      const runId = randomUUID();
      const startsAt = new Date(`${SWAP_DATE}T15:00:00Z`);
      await recordIntradayProposals(db, tenantA, {
        runId,
        groupId: voice.id,
        date: SWAP_DATE,
        now: new Date(0),
        proposals: [
          { kind: 'vto', startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), agents: 1, gain: 4, detail: { eligible: [agentId], refused: [] } },
        ],
      });
      return (await listIntradayProposals(db, tenantA, { date: SWAP_DATE })).find((p) => p.runId === runId)!.id;
    },
    async newAcceptedSwapA() {
      const asked = await swap(agentId, teammateId);
      await updateSwap(db, tenantA, null, { id: asked.id, from: ['requested'], to: 'accepted' });
      return asked.id;
    },
    async newEvaluationA({ finalized = false, released = false, agentKey = teamAgents[0]!.id } = {}) {
      const form = await ensureBuiltInForm(db, tenantA, { key: 'standard', name: standardForm.name, definition: standardForm });
      const interactionId = `eval-${randomUUID()}`;
      const answer = (questionId: string, machineAnswer: string) => ({ questionId, machineAnswer, confidence: 0.9, evidence: [], needsReview: false });
      await storeEvaluations(
        db,
        tenantA,
        [
          {
            interactionId,
            agentKey,
            queueKey: demoCenter.queues[0]!.id,
            channel: 'voice',
            formId: form.id,
            planId: null,
            reviewReason: 'random',
            score: 100,
            failedCritical: false,
            interactionEndedAt: new Date(first.occurred_at),
            answers: standardForm.sections.flatMap((s) => s.questions.map((q) => answer(q.id, q.allowNa ? 'na' : 'yes'))),
          },
        ],
        new Date(0),
      );
      const stored = (await listEvaluations(db, tenantA, { agentKeys: [agentKey], limit: 1000 })).find((e) => e.interactionId === interactionId);
      if (finalized || released) {
        const answered = new Map(standardForm.sections.flatMap((s) => s.questions.map((q) => [q.id, q.allowNa ? 'na' : 'yes'] as const)));
        await finalizeEvaluation(db, tenantA, usersA.admin, stored!.id, { answered, score: 100, failedCritical: false, release: released });
      }
      return stored!.id;
    },
    async newDisputeA() {
      const evaluationId = await this.newEvaluationA({ released: true });
      const [raised] = (await raiseDisputes(db, tenantA, usersA.agent, teamAgents[0]!.id, evaluationId, [{ questionId: 'greeting', comment: 'fixture' }]))!;
      return raised!.id;
    },
    async newCalibrationA() {
      const form = (await latestFormVersion(db, tenantA, 'standard'))!;
      const interactionId = `calibration-${randomUUID()}`;
      const item = { interactionId, agentKey: teamAgents[0]!.id, channel: 'voice', interactionEndedAt: new Date(first.occurred_at) };
      const session = await createCalibrationSession(db, tenantA, usersA['quality lead'], {
        name: 'fixture',
        formId: form.id,
        items: [item],
        participantIds: [usersA.admin, usersA.supervisor, usersA.analyst],
      });
      return { sessionId: session.id, interactionId };
    },
    async newDetectedDateA() {
      specialDayCount += 1;
      const date = new Date(Date.UTC(2026, 0, specialDayCount)).toISOString().slice(0, 10);
      await recordDetectedDays(db, tenantA, dirA.queues[1]!.id, [{ date, kind: 'unusual', total: 10, expected: 100 }], new Date());
      return date;
    },
  };
  return fixture;
}
