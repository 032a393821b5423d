import { and, asc, count, eq, gt, inArray, lte, ne, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Db } from './client.ts';
import { intradayOfferAcceptances, intradayProposals, intradaySettings, type intradayProposalKinds, type intradayProposalStatuses } from './schema.ts';
import { withTenant } from './tenancy.ts';
import { republish, type Republish } from './time-off.ts';

/**
 * The intraday loop's settings and proposals (break moves, time-off and overtime offers) and the agents who took an
 * offer. A proposal moves proposed → open (offers) or applied (break moves) or rejected by a planner; a newer run
 * supersedes the proposals still waiting; offers past their start expire. Decisions and acceptances are audited.
 */

interface IntradaySettings {
  gapThreshold: number;
  leadMinutes: number;
}

const defaults: IntradaySettings = { gapThreshold: 2, leadMinutes: 30 };

export async function getIntradaySettings(db: Db, tenantId: string): Promise<IntradaySettings> {
  const [row] = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select({ gapThreshold: intradaySettings.gapThreshold, leadMinutes: intradaySettings.leadMinutes })
        .from(intradaySettings)
        .where(eq(intradaySettings.tenantId, tenantId)),
    { accessMode: 'read only' },
  );
  return row ?? defaults;
}

export function saveIntradaySettings(db: Db, tenantId: string, userId: string | null, input: IntradaySettings): Promise<IntradaySettings> {
  return withTenant(db, tenantId, async (tx) => {
    const values = { ...input, updatedBy: userId, updatedAt: new Date() };
    await tx
      .insert(intradaySettings)
      .values({ tenantId, ...values })
      .onConflictDoUpdate({ target: intradaySettings.tenantId, set: values });
    await audit(tx, tenantId, userId, 'intraday_settings.save', 'intraday_settings', tenantId);
    return input;
  });
}

type IntradayProposalKind = (typeof intradayProposalKinds)[number];
type IntradayProposalStatus = (typeof intradayProposalStatuses)[number];

/** Break moves: which agent's break or lunch goes from where to where (ISO instants). Offers: who may take them. */
type ProposalDetail =
  | { moves: { agentId: string; kind: 'break' | 'lunch'; from: string; to: string; lengthMin: number }[]; shortfallBefore: number; shortfallAfter: number }
  | { eligible: string[]; refused: { agentId: string; rule: string }[] };

export type IntradayProposalRow = Omit<typeof intradayProposals.$inferSelect, 'kind' | 'status' | 'detail'> & {
  kind: IntradayProposalKind;
  status: IntradayProposalStatus;
  detail: ProposalDetail;
};

export interface NewProposal {
  kind: IntradayProposalKind;
  startsAt: Date;
  endsAt: Date;
  agents: number;
  gain: number;
  detail: ProposalDetail;
}

/**
 * Stores a run's proposals for one group's day, superseding what earlier runs proposed and nobody decided, and
 * expiring open offers that have started. A retried run stores nothing twice. Returns the day's waiting proposals.
 */
export function recordIntradayProposals(
  db: Db,
  tenantId: string,
  input: { runId: string; groupId: string; date: string; now: Date; proposals: readonly NewProposal[] },
): Promise<number> {
  return withTenant(db, tenantId, async (tx) => {
    const day = and(eq(intradayProposals.tenantId, tenantId), eq(intradayProposals.groupId, input.groupId), eq(intradayProposals.date, input.date));
    await tx
      .update(intradayProposals)
      .set({ status: 'superseded' })
      .where(and(day, eq(intradayProposals.status, 'proposed'), ne(intradayProposals.runId, input.runId)));
    await tx
      .update(intradayProposals)
      .set({ status: 'expired' })
      .where(and(day, inArray(intradayProposals.status, ['proposed', 'open']), lte(intradayProposals.startsAt, input.now)));
    if (input.proposals.length > 0)
      await tx
        .insert(intradayProposals)
        .values(input.proposals.map((p) => ({ tenantId, groupId: input.groupId, date: input.date, runId: input.runId, ...p })))
        .onConflictDoNothing();
    const [waiting] = await tx
      .select({ n: count() })
      .from(intradayProposals)
      .where(and(day, eq(intradayProposals.status, 'proposed')));
    return waiting?.n ?? 0;
  });
}

/** How many agents took a proposal (an offer), as a column of a proposals query. */
const takenCount = sql<number>`(select count(*)::int from ${intradayOfferAcceptances} a where a.tenant_id = ${intradayProposals.tenantId} and a.proposal_id = ${intradayProposals.id})`;

/** A day's proposals (all groups, or one), with how many agents took each offer, oldest first. */
export async function listIntradayProposals(
  db: Db,
  tenantId: string,
  filter: { date: string; groupId?: string | undefined },
): Promise<(IntradayProposalRow & { taken: number })[]> {
  return withTenant(
    db,
    tenantId,
    async (tx) => {
      const rows = await tx
        .select({
          proposal: intradayProposals,
          taken: takenCount,
        })
        .from(intradayProposals)
        .where(
          and(
            eq(intradayProposals.tenantId, tenantId),
            eq(intradayProposals.date, filter.date),
            filter.groupId ? eq(intradayProposals.groupId, filter.groupId) : undefined,
          ),
        )
        .orderBy(asc(intradayProposals.startsAt), asc(intradayProposals.createdAt));
      return rows.map((r) => ({ ...(r.proposal as IntradayProposalRow), taken: Number(r.taken) }));
    },
    { accessMode: 'read only' },
  );
}

/** One proposal by id, null when the tenant has none such. */
export async function getIntradayProposal(db: Db, tenantId: string, id: string): Promise<IntradayProposalRow | null> {
  const [row] = await withTenant(
    db,
    tenantId,
    (tx) =>
      tx
        .select()
        .from(intradayProposals)
        .where(and(eq(intradayProposals.tenantId, tenantId), eq(intradayProposals.id, id))),
    { accessMode: 'read only' },
  );
  return (row as IntradayProposalRow | undefined) ?? null;
}

/**
 * A planner's decision on a waiting proposal: rejected; an offer opened to its eligible agents; break moves applied
 * (`change`: the week republished with the moved breaks, in this transaction). Null when it is no longer waiting.
 */
export function decideIntradayProposal(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { id: string; approve: boolean; now: Date; change?: Republish | undefined },
): Promise<IntradayProposalRow | null> {
  return withTenant(db, tenantId, async (tx) => {
    const [current] = await tx
      .select()
      .from(intradayProposals)
      .where(and(eq(intradayProposals.tenantId, tenantId), eq(intradayProposals.id, input.id), eq(intradayProposals.status, 'proposed')))
      .for('update');
    if (!current) return null;
    const scheduleId = input.approve && input.change ? await republish(tx, tenantId, userId, input.change) : null;
    const status: IntradayProposalStatus = !input.approve ? 'rejected' : current.kind === 'break_moves' ? 'applied' : 'open';
    const [row] = await tx
      .update(intradayProposals)
      .set({ status, decidedBy: userId, decidedAt: input.now, scheduleId })
      .where(and(eq(intradayProposals.tenantId, tenantId), eq(intradayProposals.id, input.id)))
      .returning();
    await audit(tx, tenantId, userId, `intraday_proposal.${input.approve ? 'accept' : 'reject'}`, 'intraday_proposal', input.id);
    return row as IntradayProposalRow;
  });
}

/** Open offers an agent may take (eligible, not started), and whether they took each. */
export async function listOffersForAgent(
  db: Db,
  tenantId: string,
  input: { agentId: string; now: Date },
): Promise<(IntradayProposalRow & { taken: number; mine: boolean })[]> {
  return withTenant(
    db,
    tenantId,
    async (tx) => {
      const rows = await tx
        .select({
          proposal: intradayProposals,
          taken: takenCount,
          mine: sql<boolean>`exists(select 1 from ${intradayOfferAcceptances} a where a.tenant_id = ${intradayProposals.tenantId} and a.proposal_id = ${intradayProposals.id} and a.agent_id = ${input.agentId})`,
        })
        .from(intradayProposals)
        .where(
          and(
            eq(intradayProposals.tenantId, tenantId),
            inArray(intradayProposals.status, ['open', 'filled']),
            inArray(intradayProposals.kind, ['vto', 'overtime']),
            gt(intradayProposals.startsAt, input.now),
            sql`${intradayProposals.detail} -> 'eligible' ? ${input.agentId}`,
          ),
        )
        .orderBy(asc(intradayProposals.startsAt));
      return rows
        .map((r) => ({ ...(r.proposal as IntradayProposalRow), taken: Number(r.taken), mine: Boolean(r.mine) }))
        .filter((r) => r.status === 'open' || r.mine);
    },
    { accessMode: 'read only' },
  );
}

type OfferOutcome = { outcome: 'accepted'; scheduleId: string } | { outcome: 'taken' | 'closed' | 'not_eligible' | 'already' };

/**
 * An agent takes an open offer, first come: the offer row is locked, so of two agents taking the last place one
 * gets it and the other hears `taken`. The acceptance and the week republished with the change commit together;
 * the offer is filled when its places are. `change` is computed from the published week by the caller (a week
 * republished meanwhile fails with ScheduleConflictError, and nothing is kept).
 */
export function acceptIntradayOffer(
  db: Db,
  tenantId: string,
  userId: string | null,
  input: { proposalId: string; agentId: string; now: Date; change: Republish },
): Promise<OfferOutcome> {
  return withTenant(db, tenantId, async (tx) => {
    const [offer] = await tx
      .select()
      .from(intradayProposals)
      .where(and(eq(intradayProposals.tenantId, tenantId), eq(intradayProposals.id, input.proposalId)))
      .for('update');
    if (!offer || offer.startsAt <= input.now || (offer.kind !== 'vto' && offer.kind !== 'overtime')) return { outcome: 'closed' };
    // Filled by someone just before: the last place went to them.
    if (offer.status === 'filled') return { outcome: 'taken' };
    if (offer.status !== 'open') return { outcome: 'closed' };
    if (!(offer.detail as { eligible?: string[] }).eligible?.includes(input.agentId)) return { outcome: 'not_eligible' };
    const taken = await tx
      .select({ agentId: intradayOfferAcceptances.agentId })
      .from(intradayOfferAcceptances)
      .where(and(eq(intradayOfferAcceptances.tenantId, tenantId), eq(intradayOfferAcceptances.proposalId, offer.id)));
    if (taken.some((t) => t.agentId === input.agentId)) return { outcome: 'already' };
    if (taken.length >= offer.agents) return { outcome: 'taken' };
    const scheduleId = await republish(tx, tenantId, userId, input.change);
    await tx.insert(intradayOfferAcceptances).values({ tenantId, proposalId: offer.id, agentId: input.agentId, acceptedAt: input.now, scheduleId });
    if (taken.length + 1 >= offer.agents)
      await tx
        .update(intradayProposals)
        .set({ status: 'filled' })
        .where(and(eq(intradayProposals.tenantId, tenantId), eq(intradayProposals.id, offer.id)));
    await audit(tx, tenantId, userId, 'intraday_offer.accept', 'intraday_proposal', offer.id);
    return { outcome: 'accepted', scheduleId };
  });
}
