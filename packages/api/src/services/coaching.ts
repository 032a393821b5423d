import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { CoachingRule } from '@switchboard/contracts';
import { coachingKpiMetrics, type CoachingKpiMetric } from '@switchboard/contracts';
import {
  coachingStatuses,
  createCoachingAssignments,
  deleteCoachingRule,
  getCoachingAssignment,
  listCoachingAssignments,
  listCoachingEvents,
  listCoachingRules,
  listPeople,
  listPublishedActivities,
  moveCoachingAssignment,
  saveCoachingRule,
  type CoachingAssignmentRow,
  type CoachingStatus,
} from '@switchboard/db';
import { localDateOf } from '@switchboard/calendar';
import { getCoachingKpi, summariseCoachingEffects } from '@switchboard/kpis';
import { releaseSession } from '@switchboard/planning';
import type { ApiServices } from '../context.ts';
import { requireEngine } from '../planning-runner.ts';
import { canSeeAgent, notFound, type Access } from '../trpc.ts';
import { readCitedLines } from './quality.ts';
import { changeAgent, withRepublish } from './republish.ts';
import { toActivityInput } from './schedules.ts';
import { emitCoachingAcknowledged, emitSchedulePublished } from './webhooks.ts';

/**
 * Coaching as supervisors, analysts and agents use it: rules (edited by supervisors and analysts), assignments made
 * by the rules (the hourly check, or "Check now") or by hand, each run by its coachingWorkflow; the agent's
 * acknowledgement, a coach picking a proposed session slot, cancelling; and which coaching works (effect by rule and
 * by coach). Agents see their own assignments only; supervisors their teams'.
 */

const DAY_MS = 86_400_000;
const OPEN: readonly CoachingStatus[] = ['delivered', 'acknowledged', 'overdue', 'slots_proposed', 'session_booked', 'measuring'];

export const RuleRef = z.object({ id: z.uuid() });
export const AssignmentRef = z.object({ id: z.uuid() });
export const AssignmentsInput = z.object({
  status: z.enum(coachingStatuses).optional(),
  teamKey: z.string().min(1).max(64).optional(),
});
export const ManualAssignmentInput = z.object({
  agentKey: z.string().min(1).max(64),
  target: z.discriminatedUnion('type', [
    z.object({ type: z.literal('question'), questionId: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a question id: lower-case letters, digits and _') }),
    z.object({ type: z.literal('metric'), metric: z.enum(coachingKpiMetrics) }),
  ]),
  tip: z.string().trim().min(1, 'a tip for the agent').max(2000),
  sessionMinutes: z.literal([15, 30, 45, 60]).nullable(),
  dueDays: z.int().min(1).max(60),
  measureWeeks: z.int().min(1).max(12),
});
export const BookSlotInput = z.object({ id: z.uuid(), start: z.iso.datetime() });

function conflict(message: string): TRPCError {
  return new TRPCError({ code: 'CONFLICT', message });
}

export const listRules = (services: ApiServices, access: Access) => listCoachingRules(services.db, access.tenantId);

export async function saveRule(services: ApiServices, access: Access, userId: string, input: CoachingRule) {
  const saved = await saveCoachingRule(services.db, access.tenantId, userId, input);
  if (!saved) throw notFound('coaching rule');
  return saved;
}

export async function deleteRule(services: ApiServices, access: Access, userId: string, input: z.infer<typeof RuleRef>) {
  if (!(await deleteCoachingRule(services.db, access.tenantId, userId, input.id))) throw notFound('coaching rule');
  return { deleted: true };
}

/** A KPI by its catalogue label, a question by its id as words ("recording_disclosure" → "Recording disclosure"). */
function targetLabel(row: CoachingAssignmentRow): string {
  const target = row.target;
  if (target.type === 'metric') return getCoachingKpi(target.metric as CoachingKpiMetric).label;
  return target.questionId.charAt(0).toUpperCase() + target.questionId.slice(1).replaceAll('_', ' ');
}

/** An assignment as its readers see it; `names` holds the people a viewer may see by name (coaches). */
function view(access: Access, row: CoachingAssignmentRow, names: ReadonlyMap<string, string>) {
  const agent = access.directory.agents.find((a) => a.id === row.agentId);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    agentKey: agent?.key ?? null,
    agentName: agent?.displayName ?? 'an agent no longer in the directory',
    teamKey: agent?.teamKey ?? null,
    teamName: agent?.teamName ?? null,
    ruleId: row.ruleId,
    ruleName: row.ruleName,
    target: row.target,
    targetLabel: targetLabel(row),
    status: row.status,
    coachName: row.coachUserId ? (names.get(row.coachUserId) ?? null) : null,
    createdAt: row.createdAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    deliveredAt: iso(row.deliveredAt),
    acknowledgedAt: iso(row.acknowledgedAt),
    remindedAt: iso(row.remindedAt),
    escalatedAt: iso(row.escalatedAt),
    session: row.sessionMinutes ? { minutes: row.sessionMinutes, start: iso(row.sessionStartsAt), end: iso(row.sessionEndsAt) } : null,
    proposedSlots: (row.proposedSlots as { start: string; end: string }[] | null) ?? [],
    measure: row.measureFrom ? { from: iso(row.measureFrom)!, until: iso(row.measureUntil)! } : null,
    outcome: row.outcome as Record<string, unknown> | null,
    tip: row.tip as { headline: string; body: string; guidance: string | null; ownLines: unknown[]; example: string | null },
    evidence: row.evidence as Record<string, unknown>,
  };
}

/** Members by user id as the viewer may name them: staff by name, agent members as their agent in the directory (in scope). */
async function coachNames(services: ApiServices, access: Access): Promise<Map<string, string>> {
  const people = await listPeople(services.db, access.tenantId);
  const agents = new Map(access.directory.agents.map((a) => [a.key, a.displayName]));
  return new Map(
    people.map((p) => [
      p.userId,
      p.role !== 'agent' ? p.name : p.agentKey && canSeeAgent(access, p.agentKey) ? (agents.get(p.agentKey) ?? 'an agent') : 'an agent',
    ]),
  );
}

/** The assignments of the agents in scope (of one team), newest first. */
export async function listAssignments(services: ApiServices, access: Access, input: z.infer<typeof AssignmentsInput>) {
  const agents = access.directory.agents.filter((a) => canSeeAgent(access, a.key) && (!input.teamKey || a.teamKey === input.teamKey));
  if (input.teamKey && !access.directory.teams.some((t) => t.key === input.teamKey)) throw notFound('team');
  const [rows, names] = await Promise.all([
    listCoachingAssignments(services.db, access.tenantId, { agentIds: agents.map((a) => a.id) }),
    coachNames(services, access),
  ]);
  // Counted before the status filter: the tiles show every status of the team.
  const counts = Object.fromEntries(coachingStatuses.map((s) => [s, 0])) as Record<CoachingStatus, number>;
  for (const r of rows) counts[r.status]++;
  return { counts, assignments: rows.filter((r) => !input.status || r.status === input.status).map((r) => view(access, r, names)) };
}

async function inScope(services: ApiServices, access: Access, id: string): Promise<CoachingAssignmentRow> {
  const row = await getCoachingAssignment(services.db, access.tenantId, id);
  const agent = row && access.directory.agents.find((a) => a.id === row.agentId);
  // Another team's (or another agent's) assignment is answered exactly as one that does not exist.
  if (!row || !agent || !canSeeAgent(access, agent.key)) throw notFound('coaching assignment');
  return row;
}

/** One assignment with its timeline (who did what when; the workflow's steps have no person). */
export async function getAssignment(services: ApiServices, access: Access, input: z.infer<typeof AssignmentRef>) {
  const row = await inScope(services, access, input.id);
  const [events, names] = await Promise.all([listCoachingEvents(services.db, access.tenantId, row.id), coachNames(services, access)]);
  return {
    ...view(access, row, names),
    timeline: events.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      by: e.actorUserId ? (names.get(e.actorUserId) ?? 'a member') : null,
      detail: e.detail,
    })),
  };
}

/** A supervisor or analyst assigns coaching by hand: they are its coach; its run starts at once. */
export async function assignManually(services: ApiServices, access: Access, userId: string, input: z.infer<typeof ManualAssignmentInput>) {
  const agent = access.directory.agents.find((a) => a.key === input.agentKey);
  if (!agent || !canSeeAgent(access, agent.key)) throw notFound('agent');
  const engine = requireEngine(services);
  const now = services.now();
  const label = input.target.type === 'metric' ? getCoachingKpi(input.target.metric).label : input.target.questionId;
  const [row] = await createCoachingAssignments(
    services.db,
    access.tenantId,
    userId,
    [
      {
        agentId: agent.id,
        ruleId: null,
        ruleName: 'Assigned by hand',
        target: input.target,
        evidence: { kind: 'manual' },
        tip: { headline: label, body: input.tip, guidance: null, ownLines: [], example: null },
        sessionMinutes: input.sessionMinutes,
        measureWeeks: input.measureWeeks,
        coachUserId: userId,
        dueAt: new Date(now.getTime() + input.dueDays * DAY_MS),
      },
    ],
    now,
  );
  if (!row) throw conflict(`${agent.displayName} already has open coaching on this: see it in the list`);
  await engine.startCoaching({ tenantId: access.tenantId, assignmentId: row.id });
  return view(access, row, await coachNames(services, access));
}

/** Checks the rules now (what the hourly schedule does): how many assignments were made, and rules it could not check. */
export function checkRulesNow(services: ApiServices, access: Access) {
  return requireEngine(services).checkCoachingRules({ tenantId: access.tenantId });
}

/**
 * Cancels an open assignment; a session still ahead is given back to work in the agent's schedule (a new version,
 * in the same transaction), so the time is neither lost to the team nor shown as coaching.
 */
export async function cancelAssignment(services: ApiServices, access: Access, userId: string, input: z.infer<typeof AssignmentRef>) {
  const row = await inScope(services, access, input.id);
  const now = services.now();
  const transition = {
    id: row.id,
    from: OPEN,
    set: { status: 'cancelled' as const, closedAt: now },
    event: { at: now, kind: 'cancelled', actorUserId: userId },
  };
  const start = row.sessionStartsAt;
  const end = row.sessionEndsAt;
  const session = row.status === 'session_booked' && start && end && start > now ? { start, end } : null;
  const moved = session
    ? await withRepublish(
        services,
        access.tenantId,
        'reload the assignment and cancel it again',
        async () => {
          const during = await listPublishedActivities(services.db, access.tenantId, { from: session.start, to: session.end, agentIds: [row.agentId] });
          return during.find((a) => a.kind === 'coaching' && a.startsAt.getTime() === session.start.getTime())?.scheduleId ?? null;
        },
        (activities) =>
          changeAgent(
            activities.map(toActivityInput),
            row.agentId,
            { from: session.start, to: session.end, date: localDateOf(session.start, access.directory.timezone) },
            (own) => releaseSession(own, { start: 0, end: (session.end.getTime() - session.start.getTime()) / 60_000 }),
          ),
        (change) => moveCoachingAssignment(services.db, access.tenantId, { ...transition, change }),
      )
    : await moveCoachingAssignment(services.db, access.tenantId, transition);
  if (!moved) throw conflict(`this assignment is ${row.status} already`);
  if (session && moved.sessionScheduleId) {
    await services.snapshotSchedules(access.tenantId);
    await emitSchedulePublished(services, access, moved.sessionScheduleId);
  }
  await services.planning?.signalCoaching({ tenantId: access.tenantId, assignmentId: row.id, signal: 'cancelled' });
  return { status: moved.status };
}

/** The coach picks one of the proposed slots; the run books it into the agent's schedule (a new version). */
export async function bookProposedSlot(services: ApiServices, access: Access, userId: string, input: z.infer<typeof BookSlotInput>) {
  const row = await inScope(services, access, input.id);
  if (row.status !== 'slots_proposed') throw conflict('this assignment is not waiting for a session slot');
  const slots = (row.proposedSlots as { start: string }[] | null) ?? [];
  if (!slots.some((s) => Date.parse(s.start) === Date.parse(input.start)))
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'pick one of the proposed slots' });
  const told = await requireEngine(services).signalCoaching({
    tenantId: access.tenantId,
    assignmentId: row.id,
    signal: 'booked',
    slot: { start: new Date(input.start).toISOString(), userId },
  });
  if (!told) throw conflict("this assignment's run is not waiting any more: reload it");
  return { requested: true };
}

/** The agent acknowledges their own assignment: stored, told to its run, and sent as `coaching.acknowledged`. */
export async function acknowledgeAssignment(services: ApiServices, access: Access, userId: string, agentId: string, input: z.infer<typeof AssignmentRef>) {
  const now = services.now();
  const moved = await moveCoachingAssignment(services.db, access.tenantId, {
    id: input.id,
    agentId,
    from: ['delivered', 'overdue'],
    set: { status: 'acknowledged', acknowledgedAt: now },
    event: { at: now, kind: 'acknowledged', actorUserId: userId },
  });
  if (!moved) {
    const row = await getCoachingAssignment(services.db, access.tenantId, input.id);
    if (!row || row.agentId !== agentId) throw notFound('coaching assignment');
    return { status: row.status, acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null };
  }
  await services.planning?.signalCoaching({ tenantId: access.tenantId, assignmentId: moved.id, signal: 'acknowledged' });
  await emitCoachingAcknowledged(services, access, moved);
  return { status: moved.status, acknowledgedAt: now.toISOString() };
}

/** The lines of the agent's own calls an assignment's tip cites, read from the stored transcripts now. */
export async function getOwnLines(services: ApiServices, access: Access, userId: string, agentId: string, input: z.infer<typeof AssignmentRef>) {
  const row = await getCoachingAssignment(services.db, access.tenantId, input.id);
  if (!row || row.agentId !== agentId) throw notFound('coaching assignment');
  const tip = row.tip as { ownLines?: { evaluationId: string; segmentIndex: number; start: number; end: number }[] };
  return readCitedLines(services, access, userId, tip.ownLines ?? []);
}

/** The agent's own assignments, open first: what their desktop panel and /me show. */
export async function listMine(services: ApiServices, access: Access, agentId: string) {
  const [rows, names] = await Promise.all([listCoachingAssignments(services.db, access.tenantId, { agentIds: [agentId] }), coachNames(services, access)]);
  const open = rows.filter((r) => OPEN.includes(r.status));
  const closed = rows.filter((r) => !OPEN.includes(r.status)).slice(0, 10);
  return [...open, ...closed].map((r) => view(access, r, names));
}

/**
 * Which coaching works: closed, measured assignments of the agents in scope, by rule and by coach, per target (a
 * mean effect only means something in one unit): how many, the share improved, the mean effect with its interval.
 */
export async function getEffects(services: ApiServices, access: Access) {
  const agents = access.directory.agents.filter((a) => canSeeAgent(access, a.key));
  const [rows, names] = await Promise.all([
    listCoachingAssignments(services.db, access.tenantId, { agentIds: agents.map((a) => a.id), statuses: ['closed'] }),
    coachNames(services, access),
  ]);
  const measured = rows.filter((r) => {
    const outcome = r.outcome as { outcome?: string } | null;
    return outcome?.outcome === 'improved' || outcome?.outcome === 'no_change' || outcome?.outcome === 'worse';
  });
  const group = (keyOf: (r: CoachingAssignmentRow) => { key: string; label: string }) => {
    const groups = new Map<string, { label: string; target: string; rows: CoachingAssignmentRow[] }>();
    for (const r of measured) {
      const { key, label } = keyOf(r);
      const target = targetLabel(r);
      const id = `${key}|${JSON.stringify(r.target)}`;
      groups.set(id, { label, target, rows: [...(groups.get(id)?.rows ?? []), r] });
    }
    return [...groups.values()].map((g) => ({
      label: g.label,
      targetLabel: g.target,
      target: g.rows[0]!.target,
      // Effects are in the KPI's unit; a question's in pass rate (a share).
      unit: g.rows[0]!.target.type === 'metric' ? getCoachingKpi(g.rows[0]!.target.metric as CoachingKpiMetric).unit : ('ratio' as const),
      ...summariseCoachingEffects(g.rows.map((r) => r.outcome as { outcome: 'improved' | 'no_change' | 'worse'; estimate: number }))!,
    }));
  };
  return {
    measured: measured.length,
    notMeasured: rows.length - measured.length,
    byRule: group((r) => ({ key: r.ruleId ?? 'manual', label: r.ruleName })),
    byCoach: group((r) => ({ key: r.coachUserId ?? 'none', label: r.coachUserId ? (names.get(r.coachUserId) ?? 'a former member') : 'No coach' })),
  };
}
