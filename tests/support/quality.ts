import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TelemetryEvent } from '@switchboard/contracts';
import { ensureBuiltInForm, finalizeEvaluation, listEvaluations, raiseDisputes, storeEvaluations, type Db } from '@switchboard/db';
import { standardForm } from '@switchboard/quality';
import { repoRoot } from './host.ts';

/** A hand-labelled conversation of `packages/quality/test/labelled`. */
export interface Labelled {
  interaction_id: string;
  channel: 'voice' | 'chat';
  segments: { speaker: 'agent' | 'customer' | 'bot'; start_ms: number; end_ms: number; text: string }[];
  holds: { start_ms: number; end_ms: number }[];
  labels: Record<string, string>;
}

/** The first `count` conversations of a labelled set. */
export function labelledTranscripts(set: 'dev', count: number): Labelled[] {
  return readFileSync(path.join(repoRoot, `packages/quality/test/labelled/${set}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .slice(0, count)
    .map((l) => JSON.parse(l) as Labelled);
}

/**
 * One labelled conversation as the events a contact centre sends (offer, answer, holds, maybe a transfer, the end,
 * the transcript), ended `endedAgoMs` before now; its interaction id is the labelled one with a random suffix.
 */
export function labelledEvents(t: Labelled, options: { agentKey: string; queueKey: string; endedAgoMs: number; transferTo?: string }): TelemetryEvent[] {
  const interaction_id = `${t.interaction_id}-${randomUUID().slice(0, 8)}`;
  const last = Math.max(...t.segments.map((s) => s.end_ms), ...t.holds.map((h) => h.end_ms));
  const answeredAt = Date.now() - options.endedAgoMs - last;
  const at = (offset: number) => new Date(answeredAt + offset).toISOString();
  const base = (offset: number) => ({
    event_id: randomUUID(),
    schema_version: 1 as const,
    occurred_at: at(offset),
    sent_at: at(offset),
    source: 'routing' as const,
    interaction_id,
    queue_id: options.queueKey,
    channel: t.channel,
  });
  const agent_id = options.agentKey;
  const holdMs = t.holds.reduce((sum, h) => sum + h.end_ms - h.start_ms, 0);
  return [
    { ...base(-10_000), type: 'interaction.offered' },
    { ...base(0), type: 'interaction.answered', agent_id, wait_ms: 10_000 },
    ...t.holds.flatMap((h) => [
      { ...base(h.start_ms), type: 'interaction.held' as const, agent_id },
      { ...base(h.end_ms), type: 'interaction.resumed' as const, agent_id, hold_ms: h.end_ms - h.start_ms },
    ]),
    ...(options.transferTo
      ? [{ ...base(last - 1), type: 'interaction.transferred' as const, agent_id, to_queue_id: options.transferTo, transfer_type: 'blind' as const }]
      : []),
    { ...base(last), type: 'interaction.ended', agent_id, talk_ms: last - holdMs, hold_ms: holdMs, disposition: 'resolved' },
    ...t.segments.map((s, i) => ({
      event_id: randomUUID(),
      schema_version: 1 as const,
      occurred_at: at(last),
      sent_at: at(last),
      interaction_id,
      source: 'voice' as const,
      type: 'transcript.segment' as const,
      segment_index: i,
      speaker: s.speaker,
      ...(s.speaker === 'agent' ? { agent_id } : {}),
      start_ms: s.start_ms,
      end_ms: s.end_ms,
      text: s.text,
    })),
  ] as TelemetryEvent[];
}

/**
 * A released evaluation by the standard form (every question answered yes, or N/A where allowed) of agent `a-1`,
 * with its greeting disputed: what the dispute workflow watches.
 */
export async function seedDispute(db: Db, tenantId: string): Promise<{ evaluationId: string; disputeId: string }> {
  const form = await ensureBuiltInForm(db, tenantId, { key: 'standard', name: standardForm.name, definition: standardForm });
  const interactionId = `disputed-${randomUUID()}`;
  const answers = standardForm.sections.flatMap((s) => s.questions).map((q) => ({ questionId: q.id, answer: q.allowNa ? 'na' : 'yes' }));
  await storeEvaluations(
    db,
    tenantId,
    [
      {
        interactionId,
        agentKey: 'a-1',
        queueKey: 'billing',
        channel: 'voice',
        formId: form.id,
        planId: null,
        reviewReason: null,
        score: 100,
        failedCritical: false,
        interactionEndedAt: new Date(),
        answers: answers.map((a) => ({ questionId: a.questionId, machineAnswer: a.answer, confidence: 0.9, evidence: [], needsReview: false })),
      },
    ],
    new Date(0),
  );
  const evaluationId = (await listEvaluations(db, tenantId, { limit: 1000 })).find((e) => e.interactionId === interactionId)!.id;
  const answered = new Map(answers.map((a) => [a.questionId, a.answer]));
  await finalizeEvaluation(db, tenantId, null, evaluationId, { answered, score: 100, failedCritical: false, release: true });
  const [dispute] = (await raiseDisputes(db, tenantId, null, 'a-1', evaluationId, [{ questionId: 'greeting', comment: 'I greeted them' }]))!;
  return { evaluationId, disputeId: dispute!.id };
}
