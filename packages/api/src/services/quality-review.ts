import {
  acknowledgeEvaluation,
  decideDispute,
  latestFormVersion,
  listDisputes,
  listEvaluationPlans,
  machineHumanPairs,
  raiseDisputes,
  saveEvaluationPlan,
} from '@switchboard/db';
import { localDateOf } from '@switchboard/calendar';
import { answerValues, cohensKappa, scoreAnswers } from '@switchboard/quality';
import { z } from 'zod';
import type { ApiServices } from '../context.ts';
import { canSeeAgent, notFound, type Access } from '../trpc.ts';
import { describe, describeDispute, evaluationInScope, refused, stateChecked, weekBounds } from './quality.ts';

/**
 * After release: the agent acknowledges an evaluation or disputes answers with a comment; a Temporal run reminds the
 * quality leads and escalates; a lead upholds or changes the answer and the score follows. And the check on the
 * automatic scorer itself: machine–human agreement per question by week.
 */

/** The agent's own evaluation (NOT_FOUND for anyone else's, exactly as for one that does not exist). */
function ownAgentKey(access: Access): string {
  const key = access.agentKeys === null ? undefined : [...access.agentKeys][0];
  if (!key) throw notFound('agent');
  return key;
}

export async function acknowledge(services: ApiServices, access: Access, evaluationId: string) {
  const row = await acknowledgeEvaluation(services.db, access.tenantId, ownAgentKey(access), evaluationId);
  if (!row) throw notFound('evaluation');
  return describe(access, row);
}

export const DisputeInput = z.object({
  evaluationId: z.uuid(),
  disputes: z
    .array(z.object({ questionId: z.string().min(1).max(64), comment: z.string().trim().min(3, 'say what you disagree with').max(2000) }))
    .min(1)
    .max(50),
});

/** The agent disputes answers; the run that reminds and escalates is started (or told) after the disputes are stored. */
export async function dispute(services: ApiServices, access: Access, userId: string, input: z.infer<typeof DisputeInput>) {
  const rows = await stateChecked(() => raiseDisputes(services.db, access.tenantId, userId, ownAgentKey(access), input.evaluationId, input.disputes));
  if (!rows) throw notFound('evaluation');
  // Stored either way; without a workflow engine nobody is reminded, and the answer says so.
  if (services.planning) await services.planning.trackDisputes({ tenantId: access.tenantId, evaluationId: input.evaluationId });
  return { disputes: rows.map(describeDispute), reminders: services.planning !== null };
}

export async function listOpenDisputes(services: ApiServices, access: Access, input: { status: 'open' | 'decided' }) {
  const rows = await listDisputes(services.db, access.tenantId, {
    statuses: input.status === 'open' ? ['open'] : ['upheld', 'changed'],
    agentKeys: access.agentKeys === null ? null : [...access.agentKeys],
  });
  const names = new Map(access.directory.agents.map((a) => [a.key, a.displayName]));
  return rows
    .filter((r) => canSeeAgent(access, r.agentKey))
    .map((r) => ({ ...describeDispute(r), agent: names.get(r.agentKey) ?? r.agentKey, interactionEndedAt: r.interactionEndedAt.toISOString() }));
}

export const DecideInput = z.object({
  disputeId: z.uuid(),
  /** Null upholds the answer; otherwise the answer it becomes. */
  answer: z.string().min(1).max(100).nullable(),
  note: z.string().trim().min(3, 'say why, for the agent').max(2000),
});

export async function decide(services: ApiServices, access: Access, userId: string, input: z.infer<typeof DecideInput>) {
  const [found] = await listDisputes(services.db, access.tenantId, {
    ids: [input.disputeId],
    agentKeys: access.agentKeys === null ? null : [...access.agentKeys],
  });
  if (!found) throw notFound('dispute');
  const { form } = await evaluationInScope(services, access, found.evaluationId);
  const question = form.sections.flatMap((s) => s.questions).find((q) => q.id === found.questionId);
  if (input.answer !== null && question && !answerValues(question).includes(input.answer)) {
    throw refused(`${found.questionId} takes ${answerValues(question).join(', ')}, not "${input.answer}"`);
  }
  const decided = await stateChecked(() =>
    decideDispute(services.db, access.tenantId, userId, input.disputeId, { answer: input.answer, note: input.note }, (answers) => scoreAnswers(form, answers)),
  );
  if (!decided) throw notFound('dispute');
  if (services.planning) await services.planning.trackDisputes({ tenantId: access.tenantId, evaluationId: found.evaluationId });
  return { dispute: describeDispute(decided.dispute), evaluation: describe(access, decided.evaluation) };
}

export const AgreementInput = z.object({ weeks: z.int().min(1).max(52).default(8) });

/**
 * Cohen's kappa between the automatic answers and the answers people gave or confirmed on finalized evaluations,
 * per question, per tenant week and over all the weeks: which questions the scorer can be trusted on.
 */
export async function getMachineAgreement(services: ApiServices, access: Access, input: z.infer<typeof AgreementInput>) {
  const timezone = access.directory.timezone;
  const bounds = weekBounds(services, access, input.weeks);
  const pairs = await machineHumanPairs(services.db, access.tenantId, bounds);
  const kappaOf = (rows: typeof pairs) => {
    const machine = rows.flatMap((r) => Array<string>(r.n).fill(r.machine));
    const human = rows.flatMap((r) => Array<string>(r.n).fill(r.human));
    return { pairs: machine.length, agreed: rows.filter((r) => r.machine === r.human).reduce((sum, r) => sum + r.n, 0), kappa: cohensKappa(machine, human) };
  };
  const questions = [...new Set(pairs.map((p) => p.questionId))].sort();
  return {
    weeks: bounds.slice(0, -1).map((b) => localDateOf(b, timezone)),
    questions: questions.map((id) => {
      const mine = pairs.filter((p) => p.questionId === id);
      return { id, ...kappaOf(mine), weeks: bounds.slice(0, -1).map((_, i) => kappaOf(mine.filter((p) => p.period === i))) };
    }),
  };
}

export const PlanInput = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'lower-case letters, digits and -, starting with a letter'),
  name: z.string().trim().min(1).max(120),
  formKey: z.string().min(1).max(64),
  queueIds: z.array(z.uuid()).max(500),
  teamIds: z.array(z.uuid()).max(500),
  reviewPercent: z.number().min(0).max(100),
  minReviewsPerAgentWeek: z.int().min(0).max(50),
  targets: z.object({
    transfer: z.boolean().optional(),
    hold: z.boolean().optional(),
    ahtAboveP90: z.boolean().optional(),
    csatAtMost: z.int().min(1).max(5).optional(),
    endedOnHold: z.boolean().optional(),
  }),
  active: z.boolean(),
});

/** The tenant's evaluation plans, with the names of the queues and teams they cover. */
export async function listPlans(services: ApiServices, access: Access) {
  const plans = await listEvaluationPlans(services.db, access.tenantId);
  return plans.map((p) => ({
    key: p.key,
    name: p.name,
    formKey: p.formKey,
    queueIds: p.queueIds,
    teamIds: p.teamIds,
    queues: access.directory.queues.filter((q) => p.queueIds.includes(q.id)).map((q) => q.name),
    teams: access.directory.teams.filter((t) => p.teamIds.includes(t.id)).map((t) => t.name),
    reviewPercent: p.reviewPercent,
    minReviewsPerAgentWeek: p.minReviewsPerAgentWeek,
    targets: p.targets,
    active: p.active,
    updatedAt: p.updatedAt.toISOString(),
  }));
}

/** Creates or replaces a plan; its queues, teams and form must be the tenant's. Applies from the next tick on. */
export async function savePlan(services: ApiServices, access: Access, userId: string, input: z.infer<typeof PlanInput>) {
  const unknownQueue = input.queueIds.find((id) => !access.directory.queues.some((q) => q.id === id));
  if (unknownQueue) throw refused(`queue ${unknownQueue} is not one of this tenant's`);
  const unknownTeam = input.teamIds.find((id) => !access.directory.teams.some((t) => t.id === id));
  if (unknownTeam) throw refused(`team ${unknownTeam} is not one of this tenant's`);
  if (!(await latestFormVersion(services.db, access.tenantId, input.formKey)))
    throw refused(`there is no form "${input.formKey}": save it in the form designer first`);
  const targets = Object.fromEntries(Object.entries(input.targets).filter(([, v]) => v !== undefined && v !== false));
  const row = await saveEvaluationPlan(services.db, access.tenantId, userId, { ...input, targets });
  return { key: row.key };
}
