import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { addLocalDays, isLocalDate, localDateOf, localDay } from '@switchboard/calendar';
import { emptyAccuracySums, wape } from '@switchboard/kpis';
import {
  acceptIntradayOffer,
  decideIntradayProposal,
  getIntradayProposal,
  getIntradaySettings,
  listIntradayProposals,
  listOffersForAgent,
  listPlanningGroups,
  listPublishedActivities,
  listSchedules,
  saveIntradaySettings,
  type ActivityInput,
  type IntradayProposalRow,
  type Republish,
} from '@switchboard/db';
import { applyBreakMoves, applyOffer } from '@switchboard/planning';
import { getIntradayAccuracy, getIntradayDay } from '@switchboard/telemetry';
import type { ApiServices } from '../context.ts';
import { requireEngine } from '../planning-runner.ts';
import { notFound, type Access } from '../trpc.ts';
import { changeAgent, withRepublish } from './republish.ts';
import { toActivityInput, type Me } from './schedules.ts';
import { emitOfferAccepted, emitSchedulePublished } from './webhooks.ts';

/**
 * The intraday loop for people: the planner's day (forecast, reforecast, actual, required, scheduled, gap per
 * interval of a planning group, from the day's latest run), the proposals with accept/reject, and the offers agents
 * take from /me. Accepting break moves or taking an offer republishes the week (a new version, audited).
 */

const MIN_MS = 60_000;
/** What a planner or agent hears when the proposal no longer fits the week. */
const STALE = 'run the intraday loop again';

export const IntradayDayInput = z.object({
  date: z.string().refine(isLocalDate, 'a date as YYYY-MM-DD').optional(),
  groupId: z.uuid().optional(),
});
export const IntradaySettingsInput = z.object({
  gapThreshold: z.number().positive('a gap above zero agents').max(50),
  leadMinutes: z.int().min(0).max(240),
});
export const ProposalDecisionInput = z.object({ id: z.uuid(), approve: z.boolean() });
export const OfferRef = z.object({ id: z.uuid() });

function conflict(message: string): TRPCError {
  return new TRPCError({ code: 'CONFLICT', message });
}

/** Agents' names as the viewer may see them: a supervisor sees the names of their teams' agents only. */
const nameOf = (access: Access) => {
  const agents = new Map(access.directory.agents.map((a) => [a.id, a]));
  return (id: string) => {
    const agent = agents.get(id);
    if (!agent) return 'an agent no longer in the directory';
    return access.agentKeys === null || access.agentKeys.has(agent.key) ? agent.displayName : 'an agent of another team';
  };
};

function proposalView(access: Access, p: IntradayProposalRow & { taken: number }) {
  const name = nameOf(access);
  const detail = p.detail;
  return {
    id: p.id,
    kind: p.kind,
    status: p.status,
    start: p.startsAt.toISOString(),
    end: p.endsAt.toISOString(),
    agents: p.agents,
    taken: p.taken,
    gain: p.gain,
    moves: 'moves' in detail ? detail.moves.map((m) => ({ agentName: name(m.agentId), kind: m.kind, from: m.from, to: m.to, lengthMin: m.lengthMin })) : [],
    eligible: 'eligible' in detail ? detail.eligible.map(name) : [],
    refused: 'refused' in detail ? detail.refused.map((r) => ({ agentName: name(r.agentId), rule: r.rule })) : [],
  };
}

/** A planning group's day as the latest run measured it, with the proposals and the accuracy of the elapsed part. */
export async function getIntradayDayView(services: ApiServices, access: Access, input: z.infer<typeof IntradayDayInput>, canDecide: boolean) {
  const now = services.now();
  const timezone = access.directory.timezone;
  const date = input.date ?? localDateOf(now, timezone);
  const day = localDay(date, timezone);
  const [groups, run, settings, reforecastLedger] = await Promise.all([
    listPlanningGroups(services.db, access.tenantId),
    getIntradayDay(services.telemetry, { tenantId: access.tenantId, date }),
    getIntradaySettings(services.db, access.tenantId),
    getIntradayAccuracy(services.telemetry, { tenantId: access.tenantId, now: now < day.to ? now : day.to, timezone, by: 'horizon', from: day.from }),
  ]);
  const group = groups.find((g) => g.id === input.groupId) ?? groups[0] ?? null;
  if (input.groupId && group?.id !== input.groupId) throw notFound('planning group');
  const queueKeys = new Set(access.directory.queues.filter((q) => group?.queueIds.includes(q.id)).map((q) => q.key));
  const volumes = new Map<string, { forecast: number; reforecast: number; actual: number | null }>();
  for (const q of run?.queues ?? []) {
    if (!queueKeys.has(q.queue_id)) continue;
    const v = volumes.get(q.interval_start) ?? { forecast: 0, reforecast: 0, actual: null };
    v.forecast += q.forecast;
    v.reforecast += q.reforecast;
    if (q.actual !== null) v.actual = (v.actual ?? 0) + q.actual;
    volumes.set(q.interval_start, v);
  }
  const intervals = (run?.groups ?? [])
    .filter((g) => g.group_id === group?.key)
    .map((g) => {
      const v = volumes.get(g.interval_start) ?? { forecast: 0, reforecast: 0, actual: null };
      return {
        start: g.interval_start,
        ...v,
        required: g.required,
        scheduled: g.scheduled,
        excepted: g.excepted,
        absent: g.absent,
        net: g.net,
        gap: g.gap,
      };
    });
  // The elapsed part of the day: the morning forecast, and the reforecast each interval had when it began (the ledger's).
  const morning = emptyAccuracySums();
  const elapsed = intervals.filter((i) => i.actual !== null);
  for (const i of elapsed) {
    morning.actual += i.actual!;
    morning.forecast += i.forecast;
    morning.absError += Math.abs(i.forecast - i.actual!);
  }
  const reforecast = emptyAccuracySums();
  for (const r of reforecastLedger.filter((r) => queueKeys.has(r.queue_id))) {
    reforecast.actual += r.actual;
    reforecast.forecast += r.forecast;
    reforecast.absError += r.abs_error;
  }
  const proposals = group ? await listIntradayProposals(services.db, access.tenantId, { date, groupId: group.id }) : [];
  return {
    date,
    timezone,
    now: now.toISOString(),
    canDecide,
    groups: groups.map((g) => ({ id: g.id, key: g.key, name: g.name })),
    groupId: group?.id ?? null,
    run: run ? { runAt: run.runAt, runId: run.runId } : null,
    intervals,
    accuracy: { intervals: elapsed.length, forecastWape: wape(morning), reforecastWape: wape(reforecast) },
    proposals: proposals.map((p) => proposalView(access, p)),
    settings,
  };
}

/** Starts one pass (joins one in flight); the page follows the run by its ids on `planning.runs`. */
export function runIntradayNow(services: ApiServices, access: Access) {
  return requireEngine(services).startIntraday({ tenantId: access.tenantId });
}

export function saveSettings(services: ApiServices, access: Access, userId: string, input: z.infer<typeof IntradaySettingsInput>) {
  return saveIntradaySettings(services.db, access.tenantId, userId, input);
}

/**
 * The published week of a planning group holding `date` (break moves), or the one holding the agent's work around
 * it (offers: an agent given overtime on a day off still has a published week).
 */
async function publishedWeek(services: ApiServices, tenantId: string, timezone: string, date: string, groupId: string, agentId?: string) {
  if (agentId) {
    const { from, to } = localDay(date, timezone);
    const around = await listPublishedActivities(services.db, tenantId, { from: new Date(from.getTime() - 86_400_000), to, agentIds: [agentId] });
    const own = around.filter((a) => a.shiftDate <= date).at(-1);
    if (own && own.weekStart <= date && date < addLocalDays(own.weekStart, 7)) return own.scheduleId;
  }
  const schedules = await listSchedules(services.db, tenantId, { groupId });
  return schedules.find((s) => s.status === 'published' && s.weekStart <= date && date < addLocalDays(s.weekStart, 7))?.id ?? null;
}

/** A planner accepts or rejects a waiting proposal: break moves republish the week; an offer opens to its agents. */
export async function decideProposal(services: ApiServices, access: Access, userId: string, input: z.infer<typeof ProposalDecisionInput>) {
  const waiting = await getIntradayProposal(services.db, access.tenantId, input.id);
  if (!waiting || waiting.status !== 'proposed') throw notFound('waiting proposal');
  const now = services.now();
  if (input.approve && waiting.startsAt <= now) throw conflict('this proposal starts in the past now: run the intraday loop again for a fresh one');
  const decide = (change?: Republish) => decideIntradayProposal(services.db, access.tenantId, userId, { id: input.id, approve: input.approve, now, change });
  let decided: IntradayProposalRow | null;
  if (input.approve && 'moves' in waiting.detail) {
    const moves = waiting.detail.moves;
    decided = await withRepublish(
      services,
      access.tenantId,
      STALE,
      () => publishedWeek(services, access.tenantId, access.directory.timezone, waiting.date, waiting.groupId),
      (activities) => {
        let week: ActivityInput[] = activities.map(toActivityInput);
        for (const agentId of new Set(moves.map((m) => m.agentId))) {
          const own = moves.filter((m) => m.agentId === agentId);
          const from = new Date(Math.min(...own.flatMap((m) => [Date.parse(m.from), Date.parse(m.to)])));
          const to = new Date(Math.max(...own.flatMap((m) => [Date.parse(m.from), Date.parse(m.to)].map((t) => t + m.lengthMin * MIN_MS))));
          const origin = from.getTime();
          week = changeAgent(week, agentId, { from, to, date: waiting.date }, (acts) =>
            applyBreakMoves(
              acts,
              own.map((m) => ({
                kind: m.kind,
                from: (Date.parse(m.from) - origin) / MIN_MS,
                to: (Date.parse(m.to) - origin) / MIN_MS,
                lengthMin: m.lengthMin,
              })),
            ),
          );
        }
        return week;
      },
      decide,
    );
  } else decided = await decide();
  if (!decided) throw notFound('waiting proposal');
  if (decided.scheduleId) {
    await services.snapshotSchedules(access.tenantId);
    await emitSchedulePublished(services, access, decided.scheduleId);
  }
  return proposalView(access, { ...decided, taken: 0 });
}

/** The agent's open offers (and those they took), on their clock. */
export async function listMyOffers(services: ApiServices, access: Access, me: Me) {
  const offers = await listOffersForAgent(services.db, access.tenantId, { agentId: me.agentId, now: services.now() });
  return offers.map((o) => ({
    id: o.id,
    kind: o.kind as 'vto' | 'overtime',
    status: o.status as 'open' | 'filled',
    start: o.startsAt.toISOString(),
    end: o.endsAt.toISOString(),
    agents: o.agents,
    taken: o.taken,
    mine: o.mine,
  }));
}

/** The agent takes an offer, first come: their week is republished with the time off or the overtime in it. */
export async function acceptOffer(services: ApiServices, access: Access, me: Me, userId: string, input: z.infer<typeof OfferRef>) {
  const now = services.now();
  const [offer, mine] = await Promise.all([
    getIntradayProposal(services.db, access.tenantId, input.id),
    listOffersForAgent(services.db, access.tenantId, { agentId: me.agentId, now }),
  ]);
  if (mine.some((o) => o.id === input.id && o.mine)) return { outcome: 'already' as const };
  if (!offer || (offer.kind !== 'vto' && offer.kind !== 'overtime') || offer.startsAt <= now) return { outcome: 'closed' as const };
  if (!('eligible' in offer.detail) || !offer.detail.eligible.includes(me.agentId)) return { outcome: 'not_eligible' as const };
  if (offer.status === 'filled') return { outcome: 'taken' as const };
  if (offer.status !== 'open') return { outcome: 'closed' as const };
  const range = { from: offer.startsAt, to: offer.endsAt, date: offer.date };
  const kind = offer.kind;
  const outcome = await withRepublish(
    services,
    access.tenantId,
    STALE,
    () => publishedWeek(services, access.tenantId, access.directory.timezone, offer.date, offer.groupId, me.agentId),
    (activities) =>
      changeAgent(activities.map(toActivityInput), me.agentId, range, (own) =>
        applyOffer(own, { kind, start: 0, end: (range.to.getTime() - range.from.getTime()) / MIN_MS }),
      ),
    (change) => acceptIntradayOffer(services.db, access.tenantId, userId, { proposalId: offer.id, agentId: me.agentId, now: services.now(), change }),
  );
  if (outcome.outcome === 'accepted') {
    await services.snapshotSchedules(access.tenantId);
    await emitOfferAccepted(services, access, { offer, agentId: me.agentId, scheduleId: outcome.scheduleId, acceptedAt: services.now() });
    await emitSchedulePublished(services, access, outcome.scheduleId);
  }
  return outcome;
}
