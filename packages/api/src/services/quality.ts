import { TRPCError } from '@trpc/server';
import {
  EvaluationStateError,
  finalizeEvaluation,
  getEvaluationWithAnswers,
  getFormVersion,
  listDisputes,
  listEvaluations,
  qualityTrends,
  recordAudit,
  releaseEvaluation,
  reviewAnswers,
  type AnswerReview,
  type EvaluationFilter,
  type DisputeRow,
  type EvaluationRow,
} from '@switchboard/db';
import { addLocalDays, localBuckets, localDateOf, localWeekStart } from '@switchboard/calendar';
import { answerValues, parseForm, scoreAnswers, type FormDefinition } from '@switchboard/quality';
import { getInteractionDetails } from '@switchboard/telemetry';
import { z } from 'zod';
import type { ApiServices } from '../context.ts';
import { canSeeAgent, notFound, type Access } from '../trpc.ts';
import { emitEvaluationReleased } from './webhooks.ts';

/**
 * The analyst's side of quality: the review queue and lists of evaluations, one evaluation beside its transcript,
 * answers accepted or overridden, finalized and released, and trends. Supervisors see their teams' agents only;
 * an evaluation outside the viewer's scope is answered like one that does not exist.
 */

const DAY_MS = 86_400_000;

export function refused(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}

/** Domain refusals from the store become CONFLICT with their message; anything else stays unexpected. */
export async function stateChecked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EvaluationStateError) throw new TRPCError({ code: 'CONFLICT', message: error.message });
    throw error;
  }
}

export const EvaluationListInput = z.object({
  status: z.enum(['in_review', 'scored', 'finalized', 'released', 'disputed']).optional(),
  agentKey: z.string().min(1).max(64).optional(),
  teamKey: z.string().min(1).max(64).optional(),
  queueKey: z.string().min(1).max(64).optional(),
  /** Evaluations that failed this question. */
  question: z.string().min(1).max(64).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: z.int().min(1).max(1000).default(200),
});

/** The agents a filter by agent or team reaches within the viewer's scope; NOT_FOUND for keys outside it. */
function agentKeysOf(access: Access, input: { agentKey?: string; teamKey?: string }): readonly string[] | null {
  const inScope = access.directory.agents.filter((a) => canSeeAgent(access, a.key));
  if (input.agentKey) {
    if (!inScope.some((a) => a.key === input.agentKey)) throw notFound('agent');
    return [input.agentKey];
  }
  if (input.teamKey) {
    const team = inScope.filter((a) => a.teamKey === input.teamKey);
    if (team.length === 0) throw notFound('team');
    return team.map((a) => a.key);
  }
  return access.agentKeys === null ? null : [...access.agentKeys];
}

export function describe(access: Access, row: EvaluationRow & { open?: number }) {
  const agent = access.directory.agents.find((a) => a.key === row.agentKey);
  return {
    id: row.id,
    interactionId: row.interactionId,
    agentKey: row.agentKey,
    agent: agent?.displayName ?? row.agentKey,
    team: access.directory.teams.find((t) => t.key === agent?.teamKey)?.name ?? '',
    queue: access.directory.queues.find((q) => q.key === row.queueKey)?.name ?? row.queueKey,
    channel: row.channel,
    status: row.status,
    reviewReason: row.reviewReason,
    score: row.score,
    failedCritical: row.failedCritical,
    endedAt: row.interactionEndedAt.toISOString(),
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    open: row.open ?? 0,
  };
}

export function describeDispute(d: DisputeRow) {
  return {
    id: d.id,
    evaluationId: d.evaluationId,
    questionId: d.questionId,
    comment: d.comment,
    status: d.status,
    answerBefore: d.answerBefore,
    answerAfter: d.answerAfter,
    decisionNote: d.decisionNote,
    createdAt: d.createdAt.toISOString(),
    decidedAt: d.decidedAt?.toISOString() ?? null,
    remindedAt: d.remindedAt?.toISOString() ?? null,
    escalatedAt: d.escalatedAt?.toISOString() ?? null,
  };
}

export async function listQualityEvaluations(services: ApiServices, access: Access, input: z.infer<typeof EvaluationListInput>) {
  const filter: EvaluationFilter = {
    statuses: access.scope === 'self' ? releasedStatuses.filter((s) => !input.status || s === input.status) : input.status ? [input.status] : undefined,
    agentKeys: agentKeysOf(access, input),
    queueKeys: input.queueKey ? [input.queueKey] : undefined,
    failedQuestion: input.question,
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? new Date(input.to) : undefined,
    limit: input.limit,
  };
  const rows = await listEvaluations(services.db, access.tenantId, filter);
  return rows.map((r) => describe(access, r));
}

/** What an agent sees of their own evaluations: released ones, and those they dispute. */
const releasedStatuses: EvaluationRow['status'][] = ['released', 'disputed'];

export async function evaluationInScope(services: ApiServices, access: Access, id: string) {
  const evaluation = await getEvaluationWithAnswers(services.db, access.tenantId, id);
  if (!evaluation || !canSeeAgent(access, evaluation.agentKey)) throw notFound('evaluation');
  if (access.scope === 'self' && !releasedStatuses.includes(evaluation.status)) throw notFound('evaluation');
  const formRow = (await getFormVersion(services.db, access.tenantId, evaluation.formId))!;
  return { evaluation, formRow, form: parseForm(formRow.definition) };
}

const questionsOf = (form: FormDefinition) => form.sections.flatMap((s) => s.questions);

/** The answers that stand now: a person's where given, else the machine's (what the score so far is made of). */
function standing(answers: readonly { questionId: string; machineAnswer: string | null; finalAnswer: string | null }[]): Map<string, string> {
  return new Map(answers.flatMap((a) => ((a.finalAnswer ?? a.machineAnswer) ? [[a.questionId, (a.finalAnswer ?? a.machineAnswer)!] as const] : [])));
}

/**
 * One evaluation with its form, answers (machine beside final, evidence, confidence) and the transcript they cite.
 * Reading the transcript is audited.
 */
export async function getEvaluationView(services: ApiServices, access: Access, viewerId: string, id: string) {
  const { evaluation, formRow, form } = await evaluationInScope(services, access, id);
  const details = await getInteractionDetails(services.telemetry, {
    tenantId: access.tenantId,
    interactionIds: [evaluation.interactionId],
    since: new Date(evaluation.interactionEndedAt.getTime() - DAY_MS),
  });
  const detail = details.get(evaluation.interactionId) ?? { segments: [], holds: [], transferred: false };
  await auditTranscriptRead(services, access, viewerId, evaluation.interactionId, detail.segments.length);
  const disputes = await listDisputes(services.db, access.tenantId, { evaluationIds: [evaluation.id] });
  const answers = new Map(evaluation.answers.map((a) => [a.questionId, a]));
  const now = standing(evaluation.answers);
  const { score, failedCritical, shown } = scoreAnswers(form, now);
  return {
    ...describe(access, evaluation),
    form: { id: formRow.id, key: formRow.key, version: formRow.version, name: form.name, reviewBelow: form.reviewBelow },
    sections: form.sections.map((s) => ({
      id: s.id,
      title: s.title,
      questions: s.questions.map((q) => {
        const a = answers.get(q.id);
        return {
          id: q.id,
          text: q.text,
          guidance: q.guidance,
          critical: q.critical,
          weight: q.weight,
          values: answerValues(q),
          shown: shown.includes(q.id),
          machineAnswer: a?.machineAnswer ?? null,
          confidence: a?.confidence ?? null,
          evidence: (a?.evidence ?? []) as ({ segment_index: number; start: number; end: number } | { hold_index: number } | { event: string })[],
          needsReview: a?.needsReview ?? false,
          finalAnswer: a?.finalAnswer ?? null,
          overrideReason: a?.overrideReason ?? null,
          answeredAt: a?.answeredAt?.toISOString() ?? null,
        };
      }),
    })),
    /** The score the answers standing now make (the stored score is the machine's until finalized). */
    preview: { score, failedCritical },
    finalizedAt: evaluation.finalizedAt?.toISOString() ?? null,
    releasedAt: evaluation.releasedAt?.toISOString() ?? null,
    acknowledgedAt: evaluation.acknowledgedAt?.toISOString() ?? null,
    disputes: disputes.map(describeDispute),
    transcript: detail.segments,
    holds: detail.holds,
    transferred: detail.transferred,
  };
}

/**
 * The text of transcript spans cited by evaluations the viewer may read (a coaching tip's own lines: stored by
 * reference, read here, so erasure and retention reach them). A span whose transcript is no longer stored reads null.
 * Reading is audited per interaction, as opening the evaluation is.
 */
export async function readCitedLines(
  services: ApiServices,
  access: Access,
  viewerId: string,
  refs: readonly { evaluationId: string; segmentIndex: number; start: number; end: number }[],
) {
  if (refs.length === 0) return [];
  const evaluations = new Map<string, { interactionId: string; endedAt: Date }>();
  for (const id of new Set(refs.map((r) => r.evaluationId))) {
    const { evaluation } = await evaluationInScope(services, access, id);
    evaluations.set(id, { interactionId: evaluation.interactionId, endedAt: evaluation.interactionEndedAt });
  }
  const cited = [...evaluations.values()];
  const details = await getInteractionDetails(services.telemetry, {
    tenantId: access.tenantId,
    interactionIds: cited.map((e) => e.interactionId),
    since: new Date(Math.min(...cited.map((e) => e.endedAt.getTime())) - DAY_MS),
  });
  for (const [interactionId, detail] of details) await auditTranscriptRead(services, access, viewerId, interactionId, detail.segments.length);
  return refs.map((r) => {
    const segment = details.get(evaluations.get(r.evaluationId)!.interactionId)?.segments[r.segmentIndex];
    return { evaluationId: r.evaluationId, segmentIndex: r.segmentIndex, text: segment ? segment.text.slice(r.start, r.end) : null };
  });
}

/** Reading an interaction's transcript is audited; an interaction without one read nothing. */
async function auditTranscriptRead(services: ApiServices, access: Access, viewerId: string, interactionId: string, segments: number) {
  if (segments === 0) return;
  await recordAudit(services.db, {
    tenantId: access.tenantId,
    userId: viewerId,
    action: 'read_transcript',
    objectType: 'interaction',
    objectId: interactionId,
  });
}

export const AnswerInput = z.object({
  evaluationId: z.uuid(),
  answers: z
    .array(
      z.object({
        questionId: z.string().min(1).max(64),
        answer: z.string().min(1).max(100),
        reason: z.string().trim().max(2000).nullable().default(null),
      }),
    )
    .min(1)
    .max(200),
});

/** Accepts or overrides answers; each must be one its question accepts. */
export async function answerEvaluation(services: ApiServices, access: Access, userId: string, input: z.infer<typeof AnswerInput>) {
  const { form } = await evaluationInScope(services, access, input.evaluationId);
  const questions = new Map(questionsOf(form).map((q) => [q.id, q]));
  for (const a of input.answers) {
    const q = questions.get(a.questionId);
    if (!q) throw refused(`${a.questionId} is not a question of this form`);
    if (!answerValues(q).includes(a.answer)) throw refused(`${a.questionId} takes ${answerValues(q).join(', ')}, not "${a.answer}"`);
  }
  const reviews: AnswerReview[] = input.answers.map((a) => ({ questionId: a.questionId, answer: a.answer, reason: a.reason || null }));
  const row = await stateChecked(() => reviewAnswers(services.db, access.tenantId, userId, input.evaluationId, reviews));
  if (!row) throw notFound('evaluation');
  return describe(access, row);
}

/**
 * Finalizes with the score the final answers make: every question shown must have a person's or a sure machine's
 * answer (the ones still waiting are named). With `release` the agent sees it at once.
 */
export async function finalizeQualityEvaluation(services: ApiServices, access: Access, userId: string, input: { evaluationId: string; release: boolean }) {
  const { evaluation, form } = await evaluationInScope(services, access, input.evaluationId);
  const answered = new Map(evaluation.answers.flatMap((a) => (a.finalAnswer === null ? [] : [[a.questionId, a.finalAnswer] as const])));
  const { score, failedCritical, shown } = scoreAnswers(form, answered);
  const missing = shown.filter((q) => !answered.has(q));
  if (missing.length > 0) throw refused(`answer ${missing.join(', ')} first`);
  const row = await stateChecked(() =>
    finalizeEvaluation(services.db, access.tenantId, userId, input.evaluationId, { answered, score, failedCritical, release: input.release }),
  );
  if (!row) throw notFound('evaluation');
  await emitEvaluationReleased(services, access, row);
  return describe(access, row);
}

export async function releaseQualityEvaluation(services: ApiServices, access: Access, userId: string, evaluationId: string) {
  await evaluationInScope(services, access, evaluationId);
  const row = await stateChecked(() => releaseEvaluation(services.db, access.tenantId, userId, evaluationId));
  if (!row) throw notFound('evaluation');
  await emitEvaluationReleased(services, access, row);
  return describe(access, row);
}

export const TrendInput = z.object({
  weeks: z.int().min(1).max(52).default(8),
  by: z.enum(['agent', 'team', 'queue']).default('team'),
});

/** The starts of the last `weeks` tenant weeks (from Monday, this one included) and the end of this one. */
export function weekBounds(services: ApiServices, access: Access, weeks: number): Date[] {
  const timezone = access.directory.timezone;
  const lastWeek = localWeekStart(localDateOf(services.now(), timezone), 1);
  // The day after the last week starts a week of its own: its start is where the last one ends.
  return localBuckets(addLocalDays(lastWeek, -7 * (weeks - 1)), addLocalDays(lastWeek, 7), 'week', timezone);
}

/**
 * Weekly scores (tenant weeks from Monday) overall and per agent, team or queue, and per question the share of
 * answers that failed: the questions failed most lead.
 */
export async function getQualityTrends(services: ApiServices, access: Access, input: z.infer<typeof TrendInput>) {
  const timezone = access.directory.timezone;
  const bounds = weekBounds(services, access, input.weeks);
  const starts = bounds.slice(0, -1);
  const { scores, questions } = await qualityTrends(services.db, access.tenantId, bounds, { agentKeys: agentKeysOf(access, {}) });

  const agents = new Map(access.directory.agents.map((a) => [a.key, a]));
  const groupOf = (row: { agentKey: string; queueKey: string }): { key: string; name: string } => {
    if (input.by === 'queue') return { key: row.queueKey, name: access.directory.queues.find((q) => q.key === row.queueKey)?.name ?? row.queueKey };
    const agent = agents.get(row.agentKey);
    if (input.by === 'agent') return { key: row.agentKey, name: agent?.displayName ?? row.agentKey };
    const team = access.directory.teams.find((t) => t.key === agent?.teamKey);
    return { key: team?.key ?? '', name: team?.name ?? 'No team' };
  };
  type Sums = { evaluations: number; scored: number; scoreSum: number; failedCritical: number };
  const empty = (): Sums[] => starts.map(() => ({ evaluations: 0, scored: 0, scoreSum: 0, failedCritical: 0 }));
  const overall = empty();
  const groups = new Map<string, { name: string; weeks: Sums[] }>();
  for (const row of scores) {
    const g = groupOf(row);
    if (!groups.has(g.key)) groups.set(g.key, { name: g.name, weeks: empty() });
    for (const sums of [overall[row.period]!, groups.get(g.key)!.weeks[row.period]!]) {
      sums.evaluations += row.evaluations;
      sums.scored += row.scored;
      sums.scoreSum += row.scoreSum;
      sums.failedCritical += row.failedCritical;
    }
  }
  const week = (s: Sums) => ({
    evaluations: s.evaluations,
    score: s.scored > 0 ? Number((s.scoreSum / s.scored).toFixed(1)) : null,
    failedCritical: s.failedCritical,
  });
  const byQuestion = new Map<string, { answered: number; failed: number; weeks: { answered: number; failed: number }[] }>();
  for (const row of questions) {
    if (!byQuestion.has(row.questionId)) byQuestion.set(row.questionId, { answered: 0, failed: 0, weeks: starts.map(() => ({ answered: 0, failed: 0 })) });
    const q = byQuestion.get(row.questionId)!;
    q.answered += row.answered;
    q.failed += row.failed;
    q.weeks[row.period]!.answered += row.answered;
    q.weeks[row.period]!.failed += row.failed;
  }
  const rate = (s: { answered: number; failed: number }) => (s.answered > 0 ? Number((s.failed / s.answered).toFixed(4)) : null);
  const agentsInScope = access.directory.agents.filter((a) => canSeeAgent(access, a.key));
  return {
    by: input.by,
    /** What the viewer may filter evaluations by. */
    scope: {
      agents: agentsInScope.map((a) => ({ key: a.key, name: a.displayName })),
      teams: access.directory.teams.filter((t) => agentsInScope.some((a) => a.teamKey === t.key)).map((t) => ({ id: t.id, key: t.key, name: t.name })),
      queues: access.directory.queues.map((q) => ({ id: q.id, key: q.key, name: q.name })),
    },
    weeks: starts.map((s, i) => ({ start: localDateOf(s, timezone), from: s.toISOString(), to: bounds[i + 1]!.toISOString() })),
    overall: overall.map(week),
    groups: [...groups].map(([key, g]) => ({ key, name: g.name, weeks: g.weeks.map(week) })).sort((a, b) => a.name.localeCompare(b.name)),
    questions: [...byQuestion]
      .map(([id, q]) => ({ id, answered: q.answered, failed: q.failed, failRate: rate(q), weeks: q.weeks.map(rate) }))
      .sort((a, b) => (b.failRate ?? -1) - (a.failRate ?? -1) || a.id.localeCompare(b.id)),
  };
}
