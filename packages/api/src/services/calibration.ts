import { TRPCError } from '@trpc/server';
import {
  CalibrationStateError,
  closeCalibrationSession,
  createCalibrationSession,
  getCalibrationSession,
  getEvaluationWithAnswers,
  getFormVersion,
  latestFormVersion,
  listCalibrationSessions,
  listMembers,
  recordAudit,
  saveCalibrationAnswers,
  type Membership,
} from '@switchboard/db';
import { answerValues, calibrationResults, parseForm } from '@switchboard/quality';
import { getInteractionDetails } from '@switchboard/telemetry';
import { z } from 'zod';
import type { ApiServices } from '../context.ts';
import { canSeeAgent, notFound, type Access } from '../trpc.ts';
import { refused } from './quality.ts';

/**
 * Calibration sessions: a quality lead picks evaluated interactions and people; each scores them blind (their own
 * answers only, until the lead closes the session); then everyone sees the answers side by side, the agreement per
 * question and each rater's distance from the lead.
 */

const DAY_MS = 86_400_000;
/** Who can take part: the roles that evaluate. */
const raterRoles = ['admin', 'analyst', 'supervisor'] as const;

async function checked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CalibrationStateError) throw new TRPCError({ code: 'CONFLICT', message: error.message });
    throw error;
  }
}

export const people = (services: ApiServices, access: Access) => listMembers(services.db, access.tenantId, raterRoles);

export const CreateInput = z.object({
  name: z.string().trim().min(1).max(120),
  /** Evaluated interactions to calibrate on (their transcripts are what people score). */
  evaluationIds: z.array(z.uuid()).min(1).max(50),
  participantIds: z.array(z.string().min(1).max(128)).min(1, 'ask at least one other person').max(30),
  formKey: z.string().min(1).max(64).default('standard'),
});

export async function createSession(services: ApiServices, access: Access, viewer: Membership, input: z.infer<typeof CreateInput>) {
  const form = await latestFormVersion(services.db, access.tenantId, input.formKey);
  if (!form) throw refused(`there is no form "${input.formKey}"`);
  const eligible = new Set((await people(services, access)).map((p) => p.userId));
  const stranger = input.participantIds.find((id) => !eligible.has(id));
  if (stranger) throw refused('every participant must be an admin, analyst or supervisor of this tenant');
  const items: { interactionId: string; agentKey: string; channel: string; interactionEndedAt: Date }[] = [];
  for (const id of [...new Set(input.evaluationIds)]) {
    const evaluation = await getEvaluationWithAnswers(services.db, access.tenantId, id);
    if (!evaluation || !canSeeAgent(access, evaluation.agentKey)) throw notFound('evaluation');
    if (items.some((i) => i.interactionId === evaluation.interactionId)) continue;
    items.push({
      interactionId: evaluation.interactionId,
      agentKey: evaluation.agentKey,
      channel: evaluation.channel,
      interactionEndedAt: evaluation.interactionEndedAt,
    });
  }
  const session = await createCalibrationSession(services.db, access.tenantId, viewer.userId, {
    name: input.name,
    formId: form.id,
    items,
    participantIds: input.participantIds,
  });
  return { id: session.id };
}

export async function listSessions(services: ApiServices, access: Access, viewer: Membership) {
  const rows = await listCalibrationSessions(services.db, access.tenantId, viewer.qualityLead ? null : viewer.userId);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), mine: r.leadId === viewer.userId }));
}

/** The session as the viewer may see it: a participant or any quality lead; NOT_FOUND for anyone else. */
async function sessionFor(services: ApiServices, access: Access, viewer: Membership, id: string) {
  const found = await getCalibrationSession(services.db, access.tenantId, id);
  if (!found) throw notFound('calibration session');
  const participant = found.participants.some((p) => p.userId === viewer.userId);
  if (!participant && !viewer.qualityLead) throw notFound('calibration session');
  const formRow = (await getFormVersion(services.db, access.tenantId, found.session.formId))!;
  return { ...found, participant, form: parseForm(formRow.definition) };
}

export async function getSession(services: ApiServices, access: Access, viewer: Membership, id: string) {
  const { session, items, participants, answers, participant, form } = await sessionFor(services, access, viewer, id);
  const closed = session.status === 'closed';
  const agents = new Map(access.directory.agents.map((a) => [a.key, a.displayName]));
  const submitted = participants.filter((p) => p.submittedAt !== null);
  const results = closed
    ? calibrationResults(form, {
        items: items.map((i) => i.interactionId),
        raters: submitted.map((p) => p.userId),
        lead: session.leadId ?? '',
        answers: answers
          .filter((a) => submitted.some((p) => p.userId === a.userId))
          .map((a) => ({ rater: a.userId, item: a.interactionId, question: a.questionId, answer: a.answer })),
      })
    : null;
  return {
    id: session.id,
    name: session.name,
    status: session.status,
    lead: participants.find((p) => p.userId === session.leadId)?.name ?? '',
    isLead: session.leadId === viewer.userId || viewer.role === 'admin',
    participant,
    form: {
      name: form.name,
      questions: form.sections.flatMap((s) => s.questions.map((q) => ({ id: q.id, text: q.text, guidance: q.guidance, values: answerValues(q) }))),
    },
    items: items.map((i) => ({
      interactionId: i.interactionId,
      agent: agents.get(i.agentKey) ?? i.agentKey,
      channel: i.channel,
      endedAt: i.interactionEndedAt.toISOString(),
    })),
    participants: participants.map((p) => ({ userId: p.userId, name: p.name, submitted: p.submittedAt !== null })),
    /** Blind while open: the viewer's own answers only. */
    mine: answers.filter((a) => a.userId === viewer.userId).map((a) => ({ interactionId: a.interactionId, questionId: a.questionId, answer: a.answer })),
    submitted: participants.find((p) => p.userId === viewer.userId)?.submittedAt !== null && participant,
    results,
  };
}

export const TranscriptInput = z.object({ sessionId: z.uuid(), interactionId: z.string().min(1).max(128) });

/** One interaction's transcript for the people of its session; reading it is audited. */
export async function sessionTranscript(services: ApiServices, access: Access, viewer: Membership, input: z.infer<typeof TranscriptInput>) {
  const { items } = await sessionFor(services, access, viewer, input.sessionId);
  const item = items.find((i) => i.interactionId === input.interactionId);
  if (!item) throw notFound('interaction');
  const details = await getInteractionDetails(services.telemetry, {
    tenantId: access.tenantId,
    interactionIds: [item.interactionId],
    since: new Date(item.interactionEndedAt.getTime() - DAY_MS),
  });
  const detail = details.get(item.interactionId) ?? { segments: [], holds: [], transferred: false };
  if (detail.segments.length > 0) {
    await recordAudit(services.db, {
      tenantId: access.tenantId,
      userId: viewer.userId,
      action: 'read_transcript',
      objectType: 'interaction',
      objectId: item.interactionId,
    });
  }
  return { transcript: detail.segments, holds: detail.holds, transferred: detail.transferred };
}

export const AnswerInput = z.object({
  sessionId: z.uuid(),
  answers: z
    .array(z.object({ interactionId: z.string().min(1).max(128), questionId: z.string().min(1).max(64), answer: z.string().min(1).max(100) }))
    .max(5_000),
  /** Hand the answers in: they stand as given from then on. */
  submit: z.boolean().default(false),
});

export async function answerSession(services: ApiServices, access: Access, viewer: Membership, input: z.infer<typeof AnswerInput>) {
  const { form } = await sessionFor(services, access, viewer, input.sessionId);
  const questions = new Map(form.sections.flatMap((s) => s.questions).map((q) => [q.id, q]));
  for (const a of input.answers) {
    const q = questions.get(a.questionId);
    if (!q) throw refused(`${a.questionId} is not a question of this form`);
    if (!answerValues(q).includes(a.answer)) throw refused(`${a.questionId} takes ${answerValues(q).join(', ')}, not "${a.answer}"`);
  }
  await checked(() => saveCalibrationAnswers(services.db, access.tenantId, viewer.userId, input.sessionId, input.answers, input.submit));
  return { saved: input.answers.length, submitted: input.submit };
}

/** Any quality lead may close a session (the procedure asks for the permission): no more answers, results for all. */
export async function closeSession(services: ApiServices, access: Access, viewer: Membership, id: string) {
  await sessionFor(services, access, viewer, id);
  if (!(await closeCalibrationSession(services.db, access.tenantId, viewer.userId, id)))
    throw new TRPCError({ code: 'CONFLICT', message: 'the session is closed already' });
  return { id, status: 'closed' as const };
}
