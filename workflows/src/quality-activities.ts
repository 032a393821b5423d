import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  countReviewsSince,
  ensureBuiltInForm,
  flagForReview,
  getDirectory,
  getEvaluationCursor,
  countOpenDisputes,
  latestFormVersion,
  listPeople,
  markOpenDisputes,
  listEvaluationPlans,
  queueMail,
  saveEvaluationPlan,
  storeEvaluations,
  type Db,
  type EvaluationPlanRow,
  type NewEvaluation,
} from '@switchboard/db';
import {
  getHandleTimeP90,
  getInteractionDetails,
  listEndedInteractions,
  listLowCsatSince,
  type EndedInteraction,
  type InteractionDetail,
} from '@switchboard/telemetry';
import { localDayStart, localWeekStart, localDateOf } from '@switchboard/calendar';
import { parseForm, standardForm, type FormDefinition, type ScoringInput } from '@switchboard/quality';
import type { ClickHouseClient } from '@clickhouse/client';
import { parseInput, permanent } from './activity-input.ts';
import { heartbeating } from './heartbeat.ts';
import type { MathPool } from './math/pool.ts';

/**
 * The evaluation workflow's activity: every interaction that ended since the tenant's cursor is scored by the forms
 * of the plans that cover its queue, and those a person should see are marked with why — the rules were unsure, a
 * targeted condition (a transfer, a hold, handle time above the queue's 90th percentile), the agent's weekly
 * minimum, or the random share. The math pool's scoring threads score the batch in chunks, each stored as it comes
 * back; the cursor moves once all are stored. A retried batch stores nothing twice (one evaluation per interaction
 * and form) and skips nothing. Arguments are the tenant id only.
 */

export interface EvaluationTickResult {
  interactions: number;
  evaluations: number;
  reviews: number;
  /** Where the cursor now stands (ISO). */
  through: string;
  /** The batch was as large as a tick takes: more may be waiting. */
  full: boolean;
  /** Where the tick's time went: reading ends and transcripts, scoring, storing (seconds). */
  seconds: { read: number; score: number; store: number };
}

/** The most interactions one tick takes: the next tick takes the rest. */
const BATCH = 2_000;
/** Ends stored in the last moments may still have their transcripts in flight: they wait for the next tick. */
const SETTLE_MS = 2_000;
/** A tenant's first tick looks back this far. */
const FIRST_LOOK_BACK_MS = 5 * 60_000;
/**
 * Interactions that had ended more than this before the tick are imported history (a backfill, a simulator's weeks),
 * not evaluated: scoring weeks of them at once would hold up the host's ingest for nothing anyone asked for.
 */
const RECENT_MS = 60 * 60_000;
/** Interactions the math pool scores at a time: small enough that storing one overlaps scoring the next. */
const SCORE_CHUNK = 200;

const DEFAULT_PLAN = {
  key: 'all-interactions',
  name: 'Every interaction, 2% to analysts',
  formKey: 'standard',
  queueIds: [],
  teamIds: [],
  reviewPercent: 2,
  minReviewsPerAgentWeek: 1,
  targets: { transfer: true, ahtAboveP90: true, csatAtMost: 2, endedOnHold: true },
  active: true,
};

const TickInput = z.object({ tenantId: z.uuid() });
const DisputeInput = z.object({ tenantId: z.uuid(), evaluationId: z.uuid(), mark: z.enum(['reminded', 'escalated']).nullable() });

/** A stable draw in [0, 100) per interaction and plan: the random share is the same however often a batch runs. */
function draw(interactionId: string, planKey: string): number {
  return (createHash('sha256').update(`${planKey}\u0000${interactionId}`).digest().readUInt32BE(0) / 2 ** 32) * 100;
}

export function createQualityActivities(deps: { db: Db; telemetry: ClickHouseClient; math: MathPool; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());

  return {
    /**
     * Marks an evaluation's open disputes reminded or escalated (or only counts them) and mails whoever must decide
     * them now: the quality leads when reminded, the administrators when escalated. How many are still open.
     */
    async markDisputes(raw: { tenantId: string; evaluationId: string; mark: 'reminded' | 'escalated' | null }): Promise<number> {
      const { tenantId, evaluationId, mark } = parseInput('markDisputes', DisputeInput, raw);
      if (mark === null) return countOpenDisputes(deps.db, tenantId, evaluationId);
      // Mailed before they are marked (the outbox is no tenant's table, so not in one transaction with the mark): a
      // crash in between mails again on the retry rather than never; once marked, a retry mails nobody.
      const unmarked = await countOpenDisputes(deps.db, tenantId, evaluationId, mark);
      if (unmarked > 0) await mailDisputesWaiting(deps.db, { tenantId, evaluationId, mark, disputes: unmarked });
      return markOpenDisputes(deps.db, tenantId, evaluationId, mark);
    },

    // Reading a batch's transcripts takes time as well as scoring it: the activity beats from start to end.
    evaluateInteractions: heartbeating('evaluating', async (raw: { tenantId: string }): Promise<EvaluationTickResult> => {
      const { tenantId } = parseInput('evaluateInteractions', TickInput, raw);
      const directory = await getDirectory(deps.db, tenantId);
      if (!directory) throw permanent('TenantNotFound', `tenant ${tenantId} does not exist`);
      await ensureBuiltInForm(deps.db, tenantId, { key: 'standard', name: standardForm.name, definition: standardForm as unknown as Record<string, unknown> });
      const saved = await listEvaluationPlans(deps.db, tenantId);
      // A tenant with no plan at all gets the default one; plans all switched off evaluate nothing.
      const plans = saved.length === 0 ? [await saveEvaluationPlan(deps.db, tenantId, null, DEFAULT_PLAN)] : saved.filter((p) => p.active);

      const started = performance.now();
      const at = now();
      const after = (await getEvaluationCursor(deps.db, tenantId)) ?? new Date(at.getTime() - FIRST_LOOK_BACK_MS);
      const upTo = new Date(at.getTime() - SETTLE_MS);
      const idle = { read: 0, score: 0, store: 0 };
      if (upTo <= after) return { interactions: 0, evaluations: 0, reviews: 0, through: after.toISOString(), full: false, seconds: idle };
      const { interactions, through } = await listEndedInteractions(deps.telemetry, {
        tenantId,
        after,
        upTo,
        endedSince: new Date(at.getTime() - RECENT_MS),
        limit: BATCH,
      });
      // Surveys stored in this window about interactions evaluated before: a low one makes them a target now.
      const flagLowSurveys = async (from: Date, to: Date) => {
        const csatPlans = plans.filter((p) => p.targets.csatAtMost !== undefined);
        let flagged = 0;
        for (const csatAtMost of new Set(csatPlans.map((p) => p.targets.csatAtMost!))) {
          const low = await listLowCsatSince(deps.telemetry, { tenantId, after: from, upTo: to, csatAtMost });
          const planIds = csatPlans.filter((p) => p.targets.csatAtMost === csatAtMost).map((p) => p.id);
          flagged += await flagForReview(deps.db, tenantId, low, planIds, 'csat');
        }
        return flagged;
      };
      if (interactions.length === 0) {
        const flagged = await flagLowSurveys(after, through);
        await storeEvaluations(deps.db, tenantId, [], through);
        return { interactions: 0, evaluations: 0, reviews: flagged, through: through.toISOString(), full: false, seconds: idle };
      }
      const earliest = Math.min(...interactions.map((i) => i.ended_at.getTime()));
      const [details, p90] = await Promise.all([
        // A conversation's events come before its end; a day covers the longest of them.
        getInteractionDetails(deps.telemetry, { tenantId, interactionIds: interactions.map((i) => i.interaction_id), since: new Date(earliest - 86_400_000) }),
        plans.some((p) => p.targets.ahtAboveP90) ? getHandleTimeP90(deps.telemetry, { tenantId, to: at }) : Promise.resolve(new Map<string, number>()),
      ]);
      const weekStart = localDayStart(localWeekStart(localDateOf(at, directory.timezone), 1), directory.timezone);
      const reviewed = await countReviewsSince(deps.db, tenantId, weekStart);
      const queueIdOf = new Map(directory.queues.map((q) => [q.key, q.id]));
      const teamIdOf = new Map(directory.agents.map((a) => [a.key, a.teamId]));

      const forms = new Map<string, { id: string; form: FormDefinition }>();
      const formOf = async (key: string) => {
        if (!forms.has(key)) {
          const row = await latestFormVersion(deps.db, tenantId, key);
          if (!row) throw permanent('FormNotFound', `evaluation plan uses form "${key}", which does not exist`);
          forms.set(key, { id: row.id, form: parseForm(row.definition) });
        }
        return forms.get(key)!;
      };

      const detailOf = (i: EndedInteraction) => details.get(i.interaction_id) ?? noDetail;
      const read = (performance.now() - started) / 1000;
      let stored = 0;
      let reviews = 0;
      let scoring = 0;
      for (const plan of plans) {
        const { id: formId, form } = await formOf(plan.formKey);
        const covers = (i: EndedInteraction) =>
          (plan.queueIds.length === 0 || plan.queueIds.includes(queueIdOf.get(i.queue_id) ?? '')) &&
          (plan.teamIds.length === 0 || plan.teamIds.includes(teamIdOf.get(i.agent_id) ?? ''));
        const chunks = chunksOf(interactions.filter(covers), SCORE_CHUNK);
        // Every chunk goes to the math pool's threads at once; each is stored as it comes back, while the threads score
        // the next. A retry after a partial store skips what is there (one evaluation per interaction and form).
        const pending = chunks.map((chunk) => deps.math.scoreBatch({ form, interactions: chunk.map((i) => scoringInputOf(i, detailOf(i))) }));
        for (const p of pending) p.catch(() => undefined);
        for (const [k, chunk] of chunks.entries()) {
          const waited = performance.now();
          const scored = await pending[k]!;
          scoring += performance.now() - waited;
          const batch = chunk.map((interaction, n): NewEvaluation => {
            const { answers, score, failedCritical } = scored[n]!;
            const reason = reviewReason(
              plan,
              interaction,
              detailOf(interaction),
              p90,
              reviewed,
              answers.some((a) => a.needsReview),
            );
            if (reason !== null) reviewed.set(interaction.agent_id, (reviewed.get(interaction.agent_id) ?? 0) + 1);
            return {
              interactionId: interaction.interaction_id,
              agentKey: interaction.agent_id,
              queueKey: interaction.queue_id,
              channel: interaction.channel,
              formId,
              planId: plan.id,
              reviewReason: reason,
              score,
              failedCritical,
              interactionEndedAt: interaction.ended_at,
              answers: answers.map((a) => ({
                questionId: a.question,
                machineAnswer: a.answer,
                confidence: a.confidence,
                evidence: a.evidence,
                needsReview: a.needsReview,
              })),
            };
          });
          stored += await storeEvaluations(deps.db, tenantId, batch, null);
          reviews += batch.filter((b) => b.reviewReason !== null).length;
        }
      }
      await storeEvaluations(deps.db, tenantId, [], through);
      const lateCsat = await flagLowSurveys(after, through);
      const total = (performance.now() - started) / 1000;
      return {
        interactions: interactions.length,
        evaluations: stored,
        reviews: reviews + lateCsat,
        through: through.toISOString(),
        full: through.getTime() < upTo.getTime(),
        // Scoring is the time spent waiting for the threads; storing overlaps it and is the rest.
        seconds: { read, score: scoring / 1000, store: total - read - scoring / 1000 },
      };
    }),
  };
}

/** The mail telling the people who decide disputes that some wait for them (no agent or customer detail in it). */
async function mailDisputesWaiting(db: Db, input: { tenantId: string; evaluationId: string; mark: 'reminded' | 'escalated'; disputes: number }) {
  const people = await listPeople(db, input.tenantId);
  const reminded = input.mark === 'reminded';
  const recipients = people.filter((p) => !p.deactivatedAt && (reminded ? p.qualityLead : p.role === 'admin'));
  const what = input.disputes === 1 ? 'A dispute of an evaluation answer' : `${input.disputes} disputes of evaluation answers`;
  for (const person of recipients)
    await queueMail(db, {
      tenantId: input.tenantId,
      recipient: person.email,
      kind: reminded ? 'dispute_reminder' : 'dispute_escalated',
      subject: reminded ? 'Reminder: an agent’s dispute is waiting for a quality lead' : 'Escalated: an agent’s dispute has had no decision',
      body: [
        `Hello ${person.name},`,
        '',
        reminded
          ? `${what} is waiting for a quality lead's decision.`
          : `${what} has waited past its deadline with no quality lead's decision, so it comes to the administrators.`,
        `Open the evaluation in Switchboard to uphold or change the answer: /quality/evaluations/${input.evaluationId}`,
      ].join('\n'),
    });
}

const noDetail: InteractionDetail = { segments: [], holds: [], transferred: false, endedOnHold: false, csat: null };

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size));
}

function scoringInputOf(interaction: EndedInteraction, detail: InteractionDetail): ScoringInput {
  return {
    interaction_id: interaction.interaction_id,
    channel: channelOf(interaction.channel),
    segments: detail.segments,
    holds: detail.holds,
    metadata: { talk_s: interaction.talk_ms / 1000, transfers: detail.transferred ? 1 : 0 },
  };
}

function channelOf(channel: string): 'voice' | 'chat' | 'email' | 'sms' | 'social' {
  return (['voice', 'chat', 'email', 'sms', 'social'] as const).find((c) => c === channel) ?? 'chat';
}

/** Why an analyst should see this evaluation, most pressing first; null when the rules' answers stand. */
function reviewReason(
  plan: EvaluationPlanRow,
  interaction: EndedInteraction,
  detail: InteractionDetail,
  p90: ReadonlyMap<string, number>,
  reviewed: ReadonlyMap<string, number>,
  unsure: boolean,
): string | null {
  if (unsure) return 'unsure';
  const { csatAtMost } = plan.targets;
  if (csatAtMost !== undefined && detail.csat !== null && detail.csat <= csatAtMost) return 'csat';
  if (plan.targets.endedOnHold && detail.endedOnHold) return 'ended_on_hold';
  if (plan.targets.transfer && detail.transferred) return 'transfer';
  if (plan.targets.hold && interaction.hold_ms > 0) return 'hold';
  const limit = p90.get(interaction.queue_id);
  if (plan.targets.ahtAboveP90 && limit !== undefined && interaction.talk_ms + interaction.hold_ms > limit) return 'aht';
  if ((reviewed.get(interaction.agent_id) ?? 0) < plan.minReviewsPerAgentWeek) return 'minimum';
  if (draw(interaction.interaction_id, plan.key) < plan.reviewPercent) return 'random';
  return null;
}
