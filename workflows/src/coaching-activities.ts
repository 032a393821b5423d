import { z } from 'zod';
import { addLocalDays, daysBetween, localDateOf, localDay, localWeekStart } from '@switchboard/calendar';
import type { CoachingKpiMetric, CoachingRule } from '@switchboard/contracts';
import {
  adherenceReaders,
  createCoachingAssignments,
  getCoachingAssignment,
  getFormVersion,
  getSchedule,
  listCoachingAssignments,
  listCoachingRules,
  listPeople,
  listPublishedActivities,
  listPlanningGroups,
  listReleasedAnswers,
  moveCoachingAssignment,
  queueMail,
  ScheduleConflictError,
  type CoachingAssignmentRow,
  type CoachingTarget,
  type Directory,
  type NewCoachingAssignment,
  type ReleasedAnswer,
} from '@switchboard/db';
import {
  addAdherenceSums,
  adherenceKpis,
  dedupeTriggers,
  agentWorkSums,
  emptyAdherenceSums,
  evaluateCoachingRule,
  getCoachingWorseSide,
  measureAgentCoachingEffect,
  queueKpis,
  surveyKpis,
  type AgentSeries,
  type CoachingEffect,
  type CoachingTrigger,
} from '@switchboard/kpis';
import { applySession, findSessionSlots, summaryAfter, type PlannedActivity } from '@switchboard/planning';
import { composeCoachingTip, parseForm, type Evidence, type FormDefinition } from '@switchboard/quality';
import {
  getAgentReport,
  getInteractionDetails,
  getIntradayDay,
  getSurveySums,
  judgeAdherenceDays,
  MAX_AGENT_DAYS,
  type AgentReportRow,
} from '@switchboard/telemetry';
import type { PlanningDeps } from './activities.ts';
import { parseInput } from './activity-input.ts';
import { directoryOf } from './directory.ts';
import { syncScheduleSnapshots } from './schedule-activities.ts';

/**
 * The coaching loop's activities. `checkCoachingRules` (coachingRulesWorkflow, hourly per tenant) turns the rules
 * that fire into assignments; each assignment's coachingWorkflow then delivers it, marks it reminded or overdue,
 * books its session into the agent's schedule, opens the measurement window and measures the effect. Arguments
 * are ids and instants only; every step moves the assignment from the status it expects, so a retry moves it once.
 */

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
/** How far back quality rules read released evaluations: more than any rule's "last n" needs in practice. */
const QUALITY_LOOKBACK_DAYS = 180;
/** A session is booked no sooner than this after the agent acknowledged (the agent and coach need notice). */
const SESSION_LEAD_MS = 60 * MIN_MS;
/** The most assignments one check makes (each starts a workflow). */
const MAX_NEW_PER_CHECK = 200;
/** When the due date leaves no room, a session may still be booked within this long. */
const SESSION_SEARCH_MS = 14 * DAY_MS;

const Uuid = z.uuid();
const Instant = z.iso.datetime();
const CheckInput = z.object({ tenantId: Uuid, at: Instant });
const AssignmentInput = z.object({ tenantId: Uuid, assignmentId: Uuid, at: Instant });
const MarkInput = AssignmentInput.extend({ mark: z.enum(['reminded', 'escalated']) });
const BookInput = AssignmentInput.extend({
  slot: z.object({ start: Instant, userId: z.string().min(1).max(200) }).optional(),
  leadS: z
    .int()
    .min(0)
    .max(7 * 86_400)
    .optional(),
});
const MeasureWindowInput = AssignmentInput.extend({ until: Instant });

export interface CoachingPlan {
  status: CoachingAssignmentRow['status'];
  createdAt: string;
  dueAt: string;
  sessionMinutes: number | null;
  measureWeeks: number;
}

const planOf = (row: CoachingAssignmentRow): CoachingPlan => ({
  status: row.status,
  createdAt: row.createdAt.toISOString(),
  dueAt: row.dueAt.toISOString(),
  sessionMinutes: row.sessionMinutes,
  measureWeeks: row.measureWeeks,
});

/** The KPIs measured from what agents handled (agent_interval_15m), as the catalogue defines them. */
const contactMetrics = ['aht_s', 'hold_rate', 'transfer_rate'] as const;
type ContactMetric = (typeof contactMetrics)[number];
const isContactMetric = (m: string): m is ContactMetric => (contactMetrics as readonly string[]).includes(m);

/** An agent's rows as the queue KPIs read them, weighted by the contacts they handled. */
function contactKpi(metric: ContactMetric, rows: readonly AgentReportRow[]): { value: number | null; weight: number } {
  const sums = agentWorkSums(rows);
  return { value: queueKpis[metric].compute(sums), weight: sums.handled };
}

type AgentFigures = Map<string, { value: number | null; weight: number }>;

/** Per agent key: the metric over [from, to) and its weight (handled contacts, CSAT answers, scheduled minutes); adherence is judged as of `at`. */
async function agentMetric(deps: PlanningDeps, tenantId: string, directory: Directory, metric: CoachingKpiMetric, from: Date, to: Date, at: Date) {
  const out: AgentFigures = new Map();
  if (isContactMetric(metric)) {
    const rows = await getAgentReport(deps.telemetry, { tenantId, from, to, grain: 'day', timezone: directory.timezone });
    const byAgent = new Map<string, AgentReportRow[]>();
    for (const r of rows) if (!r.previous) byAgent.set(r.agent_id, [...(byAgent.get(r.agent_id) ?? []), r]);
    for (const [agent, own] of byAgent) out.set(agent, contactKpi(metric, own));
    return out;
  }
  if (metric === 'csat') {
    const rows = await getSurveySums(deps.telemetry, { tenantId, from, to });
    const sums = new Map<string, { csat_responses: number; csat_satisfied: number; csat_sum: number }>();
    for (const r of rows) {
      if (r.previous || !r.agent_id) continue;
      const s = sums.get(r.agent_id) ?? { csat_responses: 0, csat_satisfied: 0, csat_sum: 0 };
      s.csat_responses += r.csat_responses;
      s.csat_satisfied += r.csat_satisfied;
      s.csat_sum += r.csat_sum;
      sums.set(r.agent_id, s);
    }
    for (const [agent, s] of sums) out.set(agent, { value: surveyKpis.csat.compute(s), weight: s.csat_responses });
    return out;
  }
  return agentAdherence(deps, tenantId, directory, from, to, at);
}

/**
 * Per agent key with scheduled minutes: adherence over the shift days whose local day starts in [from, to) (a
 * complete week: its seven days), the catalogue's KPI of the summed minutes, weighted by the scheduled minutes.
 * Judged minute by minute as the API's reports are (packages/telemetry judgeAdherenceDays), so the tenant's agents
 * go in chunks of at most MAX_AGENT_DAYS agent-days.
 */
async function agentAdherence(deps: PlanningDeps, tenantId: string, directory: Directory, from: Date, to: Date, at: Date) {
  const out: AgentFigures = new Map();
  const { timezone } = directory;
  const first = addLocalDays(localDateOf(new Date(from.getTime() - 1), timezone), 1);
  const last = localDateOf(new Date(to.getTime() - 1), timezone);
  if (first > last) return out;
  const perChunk = Math.max(1, Math.floor(MAX_AGENT_DAYS / (daysBetween(first, last) + 1)));
  // One set of readers for all chunks: one figure is judged by one set of rules.
  const readers = adherenceReaders(deps.db, tenantId);
  for (let i = 0; i < directory.agents.length; i += perChunk) {
    const agents = directory.agents.slice(i, i + perChunk);
    const { judged } = await judgeAdherenceDays(deps.telemetry, readers, { tenantId, timezone, agents, first, last, now: at.getTime() });
    for (const [agentKey, agent] of judged) {
      const sums = [...agent.sums.values()].reduce(addAdherenceSums, emptyAdherenceSums());
      if (sums.scheduled_min > 0) out.set(agentKey, { value: adherenceKpis.adherence.compute(sums), weight: sums.scheduled_min });
    }
  }
  return out;
}

/** The complete weeks (Monday first, the reports' weeks) before `at`, oldest first. */
function completeWeeks(at: Date, timezone: string, count: number): string[] {
  const current = localWeekStart(localDateOf(at, timezone), 1);
  return Array.from({ length: count }, (_, i) => addLocalDays(current, -7 * (count - i)));
}

/** The forms' questions (text, guidance, critical) of the given form versions. */
async function formsOf(deps: PlanningDeps, tenantId: string, formIds: Iterable<string>): Promise<Map<string, FormDefinition>> {
  const out = new Map<string, FormDefinition>();
  for (const id of new Set(formIds)) {
    const row = await getFormVersion(deps.db, tenantId, id);
    if (row) out.set(id, parseForm(row.definition));
  }
  return out;
}

const questionOf = (form: FormDefinition | undefined, questionId: string) => form?.sections.flatMap((s) => s.questions).find((q) => q.id === questionId);

/** The coach of an agent's assignment made by a rule: an active supervisor of the agent's team (the first by name), or none. */
function teamCoach(people: Awaited<ReturnType<typeof listPeople>>, teamKey: string): string | null {
  return (
    people.filter((p) => p.role === 'supervisor' && !p.deactivatedAt && p.teamKeys.includes(teamKey)).sort((a, b) => a.name.localeCompare(b.name))[0]?.userId ??
    null
  );
}

/** A passing answer with its transcript, as an example for a question's tips. */
type PassingAnswer = { answer: ReleasedAnswer; segments: { speaker: 'agent' | 'customer' | 'bot'; text: string }[] } | null;

/**
 * A tip written from the evidence: the question's text and guidance, the agent's own failed answers (by reference), a
 * passing example — the newest passing answer with transcript evidence of another agent, read once per question and
 * check (`examples` keeps it).
 */
async function tipFor(
  deps: PlanningDeps,
  tenantId: string,
  rule: CoachingRule,
  trigger: CoachingTrigger,
  answers: readonly ReleasedAnswer[],
  forms: Map<string, FormDefinition>,
  examples: Map<string, PassingAnswer[]>,
) {
  if (trigger.target.type !== 'question') return { headline: rule.name, body: rule.tip, guidance: null, ownLines: [], example: null };
  const questionId = trigger.target.questionId;
  const failedIds = 'evaluationIds' in trigger.evidence ? trigger.evidence.evaluationIds : [];
  const failures = answers.filter((a) => a.questionId === questionId && failedIds.includes(a.evaluationId));
  const question = questionOf(forms.get(failures[0]?.formId ?? ''), questionId);
  // Two candidates from different agents: one of them is never the coached agent's own.
  if (!examples.has(questionId)) {
    const candidates: ReleasedAnswer[] = [];
    for (const a of answers)
      if (a.questionId === questionId && a.answer === 'yes' && hasSpan(a.evidence) && !candidates.some((c) => c.agentKey === a.agentKey)) {
        candidates.push(a);
        if (candidates.length === 2) break;
      }
    const read = async (a: ReleasedAnswer): Promise<PassingAnswer> => {
      const detail = (
        await getInteractionDetails(deps.telemetry, { tenantId, interactionIds: [a.interactionId], since: new Date(a.endedAt.getTime() - DAY_MS) })
      ).get(a.interactionId);
      return detail ? { answer: a, segments: detail.segments } : null;
    };
    examples.set(questionId, await Promise.all(candidates.map(read)));
  }
  const passing = examples.get(questionId)!.find((e) => e && e.answer.agentKey !== trigger.agentKey) ?? null;
  return composeCoachingTip({
    ruleTip: rule.tip,
    question: { id: questionId, text: question?.text ?? questionId, guidance: question?.guidance ?? '' },
    failed: rule.condition.kind === 'quality_question' ? { count: failedIds.length, ofLast: rule.condition.ofLast } : null,
    failures: failures.map((f) => ({ evaluationId: f.evaluationId, interactionId: f.interactionId, evidence: f.evidence as Evidence[] })),
    example: passing ? { segments: passing.segments, evidence: passing.answer.evidence as Evidence[] } : null,
  });
}

const hasSpan = (evidence: unknown[]) => evidence.some((e) => typeof e === 'object' && e !== null && 'segment_index' in e);

export function createCoachingActivities(deps: PlanningDeps) {
  return {
    /**
     * Checks the tenant's enabled rules as of `at` and stores an assignment for each agent and target a rule picks
     * out that has no open one (the first rule by name wins). Returns the ids of the new assignments, and of any never delivered (to start their runs again).
     */
    async checkCoachingRules(raw: { tenantId: string; at: string }): Promise<{ assignmentIds: string[]; restartIds?: string[]; skipped: string[] }> {
      const input = parseInput('checkCoachingRules', CheckInput, raw);
      const at = new Date(input.at);
      const rules = (await listCoachingRules(deps.db, input.tenantId)).filter((r) => r.enabled && r.condition.kind !== 'manual');
      if (rules.length === 0) return { assignmentIds: [], restartIds: [], skipped: [] };
      const directory = await directoryOf(deps.db, input.tenantId);
      const [open, people] = await Promise.all([
        listCoachingAssignments(deps.db, input.tenantId, {
          statuses: ['delivered', 'acknowledged', 'overdue', 'slots_proposed', 'session_booked', 'measuring'],
        }),
        listPeople(deps.db, input.tenantId),
      ]);
      const agentByKey = new Map(directory.agents.map((a) => [a.key, a]));
      const keyById = new Map(directory.agents.map((a) => [a.id, a.key]));
      const quality = rules.some((r) => r.condition.kind === 'quality_question' || r.condition.kind === 'critical_fail');
      const answers = quality
        ? await listReleasedAnswers(deps.db, input.tenantId, { releasedSince: new Date(at.getTime() - QUALITY_LOOKBACK_DAYS * DAY_MS) })
        : [];
      const forms = await formsOf(
        deps,
        input.tenantId,
        answers.map((a) => a.formId),
      );
      const evaluations = evaluationsByAgent(answers, forms);
      const skipped: string[] = [];
      const made: NewCoachingAssignment[] = [];
      const examples = new Map<string, PassingAnswer[]>();
      let taken = open.map((o) => ({ agentKey: keyById.get(o.agentId) ?? '', target: o.target as CoachingTarget & { type: 'question' | 'metric' } }));
      const figures: WeekFigures = new Map();
      for (const rule of rules) {
        let kpi: Parameters<typeof evaluateCoachingRule>[1]['kpi'];
        if (rule.condition.kind === 'kpi') {
          const weekStarts = completeWeeks(at, directory.timezone, rule.condition.forWeeks);
          kpi = { weekStarts, agents: await kpiWeeks(deps, input.tenantId, directory, rule.condition.metric, weekStarts, at, figures) };
        }
        const triggers = dedupeTriggers(
          evaluateCoachingRule(rule, { asOf: at.toISOString(), evaluations, ...(kpi ? { kpi } : {}) }),
          taken as Parameters<typeof dedupeTriggers>[1],
        );
        for (const trigger of triggers) {
          const agent = agentByKey.get(trigger.agentKey);
          if (!agent) continue;
          made.push({
            agentId: agent.id,
            ruleId: rule.id,
            ruleName: rule.name,
            target: trigger.target,
            evidence: { kind: trigger.kind, ...trigger.evidence },
            tip: await tipFor(deps, input.tenantId, rule, trigger, answers, forms, examples),
            sessionMinutes: rule.session?.minutes ?? null,
            measureWeeks: rule.measureWeeks,
            coachUserId: teamCoach(people, agent.teamKey),
            dueAt: new Date(at.getTime() + rule.dueDays * DAY_MS),
          });
        }
        taken = [...taken, ...triggers.map((t) => ({ agentKey: t.agentKey, target: t.target }))];
      }
      // A first check over a large tenant's history is spread over the hourly checks rather than started all at once.
      if (made.length > MAX_NEW_PER_CHECK) skipped.push(`${made.length - MAX_NEW_PER_CHECK} more assignments wait for the next check`);
      const rows = await createCoachingAssignments(deps.db, input.tenantId, null, made.slice(0, MAX_NEW_PER_CHECK), at);
      // Made by an earlier try whose answer was lost, never delivered: their runs start now.
      const restartIds = open.filter((o) => o.status === 'delivered' && !o.deliveredAt).map((o) => o.id);
      return { assignmentIds: rows.map((r) => r.id), restartIds, skipped };
    },

    /** Puts the tip in front of the agent (their desktop panel is told at once). Null when the assignment is closed or cancelled. */
    async deliverCoaching(raw: { tenantId: string; assignmentId: string; at: string }): Promise<CoachingPlan | null> {
      const input = parseInput('deliverCoaching', AssignmentInput, raw);
      const row = await getCoachingAssignment(deps.db, input.tenantId, input.assignmentId);
      if (!row || row.status === 'closed' || row.status === 'cancelled') return null;
      if (!row.deliveredAt) {
        await moveCoachingAssignment(deps.db, input.tenantId, {
          id: row.id,
          from: ['delivered'],
          set: { deliveredAt: new Date(input.at) },
          event: { at: new Date(input.at), kind: 'delivered' },
        });
        deps.notifyAgent?.(input.tenantId, row.agentId, 'coaching');
      }
      return planOf(row);
    },

    /**
     * Not acknowledged in time: reminded (the agent's panel shows it again), then overdue and escalated to the coach.
     * Returns whether the agent has acknowledged meanwhile (then nothing is marked).
     */
    async markCoaching(raw: { tenantId: string; assignmentId: string; at: string; mark: 'reminded' | 'escalated' }): Promise<{ acknowledged: boolean }> {
      const input = parseInput('markCoaching', MarkInput, raw);
      const at = new Date(input.at);
      // Read first: only the move out of `delivered` mails the coach, so a retried escalation does not mail twice.
      const before = input.mark === 'escalated' ? await getCoachingAssignment(deps.db, input.tenantId, input.assignmentId) : null;
      const moved = await moveCoachingAssignment(deps.db, input.tenantId, {
        id: input.assignmentId,
        from: input.mark === 'reminded' ? ['delivered'] : ['delivered', 'overdue'],
        set: input.mark === 'reminded' ? { remindedAt: at } : { escalatedAt: at, status: 'overdue' },
        event: { at, kind: input.mark },
      });
      const row = moved ?? (await getCoachingAssignment(deps.db, input.tenantId, input.assignmentId));
      if (moved) deps.notifyAgent?.(input.tenantId, moved.agentId, 'coaching');
      if (moved && before?.status === 'delivered' && moved.coachUserId) await mailOverdue(deps, input.tenantId, moved);
      return { acknowledged: !!row && row.status !== 'delivered' && row.status !== 'overdue' };
    },

    /**
     * Books the session into the agent's published schedule at the first quarter hour where their planning group
     * can spare them (the latest intraday gap today, the week's planned coverage other days), the coach is free and
     * it fits inside work — a new schedule version, audited. Without such a slot the coach is offered the nearest
     * fitting slots regardless of the gap (`slots_proposed`); the slot they pick comes back as `slot` and is booked
     * as it is, if it still fits inside the agent's work.
     */
    async bookCoachingSession(raw: {
      tenantId: string;
      assignmentId: string;
      at: string;
      slot?: { start: string; userId: string } | undefined;
      leadS?: number | undefined;
    }): Promise<{ booked: boolean; endsAt: string | null }> {
      const input = parseInput('bookCoachingSession', BookInput, raw);
      const at = new Date(input.at);
      const row = await getCoachingAssignment(deps.db, input.tenantId, input.assignmentId);
      if (!row || !row.sessionMinutes) return { booked: false, endsAt: null };
      if (row.status === 'session_booked' || row.status === 'measuring' || row.status === 'closed')
        return { booked: row.status !== 'closed' && !!row.sessionEndsAt, endsAt: row.sessionEndsAt?.toISOString() ?? null };
      if (row.status === 'slots_proposed' && input.slot) {
        const start = new Date(input.slot.start);
        const chosen = { start, end: new Date(start.getTime() + row.sessionMinutes * MIN_MS) };
        const fits = (row.proposedSlots as { start: string }[] | null)?.some((s) => Date.parse(s.start) === start.getTime());
        const booked = fits ? await bookSlot(deps, input.tenantId, row, chosen, at, input.slot.userId).catch(refusedSlot) : null;
        return { booked: !!booked, endsAt: booked ? chosen.end.toISOString() : null };
      }
      if (row.status !== 'acknowledged') return { booked: false, endsAt: null };
      const search = await sessionSearch(deps, input.tenantId, row, at, input.leadS === undefined ? SESSION_LEAD_MS : input.leadS * 1000);
      const slot = search.slots(true)[0];
      if (!slot) {
        const proposals = search.slots(false);
        await moveCoachingAssignment(deps.db, input.tenantId, {
          id: row.id,
          from: ['acknowledged'],
          set: { status: 'slots_proposed', proposedSlots: proposals.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })) },
          event: { at, kind: 'slots_proposed', detail: { slots: proposals.length } },
        });
        return { booked: false, endsAt: null };
      }
      const booked = await bookSlot(deps, input.tenantId, row, slot, at, null);
      return { booked: !!booked, endsAt: booked ? slot.end.toISOString() : null };
    },

    /** Opens the measurement window: the metric from now until `until` is compared with the same length before. */
    async startCoachingMeasurement(raw: { tenantId: string; assignmentId: string; at: string; until: string }): Promise<void> {
      const input = parseInput('startCoachingMeasurement', MeasureWindowInput, raw);
      await moveCoachingAssignment(deps.db, input.tenantId, {
        id: input.assignmentId,
        from: ['acknowledged', 'session_booked', 'slots_proposed'],
        set: { status: 'measuring', measureFrom: new Date(input.at), measureUntil: new Date(input.until) },
        event: { at: new Date(input.at), kind: 'measuring', detail: { until: input.until } },
      });
    },

    /**
     * The effect, difference-in-differences: the agent's target metric over the window after against the same length
     * before, beside every other agent of the tenant not coached on the same target in that time (the comparison
     * group), with a bootstrap interval (packages/kpis coaching-effect). Closes the assignment with the outcome.
     */
    async measureCoaching(raw: { tenantId: string; assignmentId: string; at: string }): Promise<{ outcome: CoachingEffect['outcome'] | 'not_measured' }> {
      const input = parseInput('measureCoaching', AssignmentInput, raw);
      const row = await getCoachingAssignment(deps.db, input.tenantId, input.assignmentId);
      if (!row || row.status === 'closed' || row.status === 'cancelled')
        return { outcome: (row?.outcome as { outcome?: CoachingEffect['outcome'] })?.outcome ?? 'not_measured' };
      if (!row.measureFrom || !row.measureUntil) return { outcome: 'not_measured' };
      const directory = await directoryOf(deps.db, input.tenantId);
      let outcome: (CoachingEffect & { metric: string }) | { outcome: 'not_measured'; reason: string };
      try {
        outcome = await effectOf(deps, input.tenantId, directory, row, new Date(input.at));
      } catch (error) {
        // Too little data on either side (no contacts, no evaluations, too few colleagues) is an answer, not a failure to retry.
        if (!(error instanceof RangeError)) throw error;
        outcome = { outcome: 'not_measured', reason: error.message };
      }
      await moveCoachingAssignment(deps.db, input.tenantId, {
        id: row.id,
        from: ['measuring'],
        set: { status: 'closed', closedAt: new Date(input.at), outcome },
        event: { at: new Date(input.at), kind: 'closed', detail: { outcome: outcome.outcome } },
      });
      deps.notifyAgent?.(input.tenantId, row.agentId, 'coaching');
      return { outcome: outcome.outcome };
    },
  };
}

/** Released evaluations per agent, each with its answers and which of them are critical on its form. */
function evaluationsByAgent(answers: readonly ReleasedAnswer[], forms: Map<string, FormDefinition>) {
  const byAgent = new Map<
    string,
    Map<string, { evaluationId: string; releasedAt: string; answers: { questionId: string; answer: 'yes' | 'no' | 'na'; critical: boolean }[] }>
  >();
  for (const a of answers) {
    if (a.answer !== 'yes' && a.answer !== 'no' && a.answer !== 'na') continue;
    const mine = byAgent.get(a.agentKey) ?? new Map();
    byAgent.set(a.agentKey, mine);
    const evaluation = mine.get(a.evaluationId) ?? { evaluationId: a.evaluationId, releasedAt: a.releasedAt.toISOString(), answers: [] };
    mine.set(a.evaluationId, evaluation);
    evaluation.answers.push({ questionId: a.questionId, answer: a.answer, critical: questionOf(forms.get(a.formId), a.questionId)?.critical ?? false });
  }
  return [...byAgent].map(([agentKey, evaluations]) => ({ agentKey, evaluations: [...evaluations.values()] }));
}

/** A check's weekly figures by metric and week: rules watching the same KPI read (or judge) each week once. */
type WeekFigures = Map<string, Promise<AgentFigures>>;

/** Each agent's weekly figure of a KPI over the given weeks. */
async function kpiWeeks(
  deps: PlanningDeps,
  tenantId: string,
  directory: Directory,
  metric: CoachingKpiMetric,
  weekStarts: readonly string[],
  at: Date,
  figures: WeekFigures,
) {
  const byAgent = new Map(
    directory.agents.map((a) => [a.key, { agentKey: a.key, teamKey: a.teamKey, weeks: [] as { weekStart: string; value: number | null; weight: number }[] }]),
  );
  const start = (date: string) => localDay(date, directory.timezone).from;
  for (const weekStart of weekStarts) {
    const key = `${metric}:${weekStart}`;
    if (!figures.has(key)) figures.set(key, agentMetric(deps, tenantId, directory, metric, start(weekStart), start(addLocalDays(weekStart, 7)), at));
    for (const [agentKey, figure] of await figures.get(key)!) byAgent.get(agentKey)?.weeks.push({ weekStart, ...figure });
  }
  return [...byAgent.values()];
}

interface Slot {
  start: Date;
  end: Date;
}

/**
 * The escalation's mail to the coach (the outbox: the mail sender delivers it, or the operator reads it). Names go to
 * the coach, who may see them; workflow arguments and logs stay ids only.
 */
async function mailOverdue(deps: PlanningDeps, tenantId: string, row: { agentId: string; coachUserId: string | null; ruleName: string; dueAt: Date }) {
  const [people, directory] = await Promise.all([listPeople(deps.db, tenantId), directoryOf(deps.db, tenantId)]);
  const coach = people.find((p) => p.userId === row.coachUserId && !p.deactivatedAt);
  const agent = directory.agents.find((a) => a.id === row.agentId);
  if (!coach || !agent) return;
  await queueMail(deps.db, {
    tenantId,
    recipient: coach.email,
    kind: 'coaching_overdue',
    subject: `Coaching overdue: ${agent.displayName} has not acknowledged “${row.ruleName}”`,
    body: [
      `Hello ${coach.name},`,
      '',
      `${agent.displayName} has not acknowledged the coaching “${row.ruleName}”, due ${row.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      'It is listed as overdue on Coaching in Switchboard (/coaching), with its evidence and timeline.',
    ].join('\n'),
  });
}

/** What booking needs: the agent's published activities ahead, the coach's busy time, the surplus per quarter hour. */
async function sessionSearch(deps: PlanningDeps, tenantId: string, row: CoachingAssignmentRow, at: Date, leadMs: number) {
  const earliest = at.getTime() + leadMs;
  const latest = Math.max(row.dueAt.getTime(), at.getTime() + SESSION_SEARCH_MS);
  const range = { from: new Date(earliest - DAY_MS), to: new Date(latest + DAY_MS) };
  const [mine, others, groups, directory] = await Promise.all([
    listPublishedActivities(deps.db, tenantId, { ...range, agentIds: [row.agentId] }),
    row.coachUserId ? listCoachingAssignments(deps.db, tenantId, { statuses: ['session_booked', 'measuring'] }) : Promise.resolve([]),
    listPlanningGroups(deps.db, tenantId),
    directoryOf(deps.db, tenantId),
  ]);
  const coachBusy = others
    .filter((o) => o.coachUserId === row.coachUserId && o.id !== row.id && o.sessionStartsAt && o.sessionEndsAt)
    .map((o) => ({ start: o.sessionStartsAt!.getTime() / MIN_MS, end: o.sessionEndsAt!.getTime() / MIN_MS }));
  // Surplus per quarter hour (epoch minutes): the week's planned coverage of the agent's group, today's intraday gap over it where measured.
  const surplus = new Map<number, number>();
  const groupKeys = new Set<string>();
  for (const scheduleId of new Set(mine.map((a) => a.scheduleId))) {
    const stored = await getSchedule(deps.db, tenantId, scheduleId);
    if (!stored) continue;
    const { summary } = stored.schedule;
    const origin = localDay(stored.schedule.weekStart, stored.schedule.timezone).from.getTime() / MIN_MS;
    summary.required.forEach((required, i) => surplus.set(origin + 15 * i, (summary.scheduled[i] ?? 0) - required));
    const key = groups.find((g) => g.id === stored.schedule.groupId)?.key;
    if (key) groupKeys.add(key);
  }
  // Today the latest intraday run knows better: absences, exceptions and the reforecast are in its gap.
  const today = await getIntradayDay(deps.telemetry, { tenantId, date: localDateOf(at, directory.timezone) });
  for (const g of today?.groups ?? []) if (groupKeys.has(g.group_id)) surplus.set(Date.parse(g.interval_start) / MIN_MS, g.gap);
  const activities: PlannedActivity[] = mine.map((a) => ({ kind: a.kind, start: a.startsAt.getTime() / MIN_MS, end: a.endsAt.getTime() / MIN_MS }));
  const toSlot = (s: { start: number; end: number }): Slot => ({ start: new Date(s.start * MIN_MS), end: new Date(s.end * MIN_MS) });
  return {
    activities: mine,
    slots: (spareOnly: boolean) =>
      findSessionSlots({
        activities,
        coachBusy,
        surplusAt: (q) => (spareOnly ? (surplus.get(q) ?? null) : 1),
        minutes: row.sessionMinutes!,
        earliest: earliest / MIN_MS,
        latest: latest / MIN_MS,
      }).map(toSlot),
  };
}

/** A slot that no longer fits (the week was changed since it was proposed) books nothing; other failures are retried. */
function refusedSlot(error: unknown): null {
  if (error instanceof RangeError || error instanceof ScheduleConflictError) return null;
  throw error;
}

/** Republishes the agent's week with the session in it and marks the assignment booked, in one transaction. */
async function bookSlot(
  deps: Pick<PlanningDeps, 'db' | 'telemetry' | 'notifyAgent'>,
  tenantId: string,
  row: CoachingAssignmentRow,
  slot: Slot,
  at: Date,
  userId: string | null,
) {
  const published = await listPublishedActivities(deps.db, tenantId, { from: slot.start, to: slot.end, agentIds: [row.agentId] });
  const scheduleId = published.find((a) => a.startsAt <= slot.start && slot.end <= a.endsAt)?.scheduleId;
  if (!scheduleId) return null;
  const stored = (await getSchedule(deps.db, tenantId, scheduleId))!;
  const touches = (a: { agentId: string; startsAt: Date; endsAt: Date }) => a.agentId === row.agentId && a.startsAt < slot.end && slot.start < a.endsAt;
  const own = stored.activities.filter(touches);
  const origin = slot.start.getTime();
  const changed = applySession(
    own.map((a) => ({ kind: a.kind, start: (a.startsAt.getTime() - origin) / MIN_MS, end: (a.endsAt.getTime() - origin) / MIN_MS })),
    { start: 0, end: (slot.end.getTime() - origin) / MIN_MS },
  );
  const base = own[0]!;
  const activities = [
    ...stored.activities.filter((a) => !touches(a)),
    ...changed.map((a) => ({
      agentId: row.agentId,
      kind: a.kind,
      startsAt: new Date(origin + a.start * MIN_MS),
      endsAt: new Date(origin + a.end * MIN_MS),
      shiftDate: base.shiftDate,
      templateId: base.templateId,
    })),
  ].map((a) => ({ agentId: a.agentId, kind: a.kind, startsAt: a.startsAt, endsAt: a.endsAt, shiftDate: a.shiftDate, templateId: a.templateId }));
  const booked = await moveCoachingAssignment(deps.db, tenantId, {
    id: row.id,
    from: ['acknowledged', 'slots_proposed'],
    set: { status: 'session_booked', sessionStartsAt: slot.start, sessionEndsAt: slot.end },
    event: { at, kind: 'session_booked', actorUserId: userId, detail: { start: slot.start.toISOString(), end: slot.end.toISOString() } },
    change: { scheduleId, activities, summary: summaryAfter(stored.schedule, activities), at },
  });
  if (booked) {
    await syncScheduleSnapshots(deps, tenantId);
    deps.notifyAgent?.(tenantId, row.agentId, 'schedule');
    deps.notifyAgent?.(tenantId, row.agentId, 'coaching');
  }
  return booked;
}

/** The measured effect of one assignment (see measureCoaching). */
async function effectOf(
  deps: PlanningDeps,
  tenantId: string,
  directory: Directory,
  row: CoachingAssignmentRow,
  at: Date,
): Promise<CoachingEffect & { metric: string }> {
  const from = row.measureFrom!;
  const until = row.measureUntil!;
  const before = new Date(from.getTime() - (until.getTime() - from.getTime()));
  const coachedKey = directory.agents.find((a) => a.id === row.agentId)?.key ?? '';
  // Agents coached on the same target in these windows are in neither group: their change is not a comparison.
  const sameTarget = (await listCoachingAssignments(deps.db, tenantId, {})).filter(
    (a) => a.id !== row.id && JSON.stringify(a.target) === JSON.stringify(row.target) && a.createdAt < until && (a.closedAt ?? until) >= before,
  );
  const excluded = new Set(sameTarget.map((a) => directory.agents.find((d) => d.id === a.agentId)?.key));
  let series: AgentSeries[];
  let lowerIsBetter: boolean;
  const target = row.target;
  if (target.type === 'question') {
    const answers = await listReleasedAnswers(deps.db, tenantId, { endedFrom: before, endedTo: until, questionId: target.questionId });
    const byAgent = new Map<string, AgentSeries>();
    for (const a of answers) {
      if (a.answer !== 'yes' && a.answer !== 'no') continue;
      const s = byAgent.get(a.agentKey) ?? { agentId: a.agentKey, before: [], after: [] };
      byAgent.set(a.agentKey, s);
      (a.endedAt < from ? s.before : s.after).push({ value: a.answer === 'yes' ? 1 : 0, weight: 1 });
    }
    series = [...byAgent.values()];
    lowerIsBetter = false;
  } else {
    const metric = target.metric as CoachingKpiMetric;
    const [pre, post] = await Promise.all([
      agentMetric(deps, tenantId, directory, metric, before, from, at),
      agentMetric(deps, tenantId, directory, metric, from, until, at),
    ]);
    const observations = (m: AgentFigures, key: string) => {
      const f = m.get(key);
      return f && f.value !== null ? [{ value: f.value, weight: f.weight }] : [];
    };
    series = directory.agents.map((a) => ({ agentId: a.key, before: observations(pre, a.key), after: observations(post, a.key) }));
    lowerIsBetter = getCoachingWorseSide(metric) === 'above';
  }
  const coached = series.find((s) => s.agentId === coachedKey) ?? { agentId: coachedKey, before: [], after: [] };
  const effect = measureAgentCoachingEffect({
    coached,
    comparison: series.filter((s) => s.agentId !== coachedKey && !excluded.has(s.agentId)),
    lowerIsBetter,
  });
  return { ...effect, metric: target.type === 'question' ? target.questionId : target.metric };
}
