import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { ChDateTime, queryRows, toChDateTime } from './rows.ts';

const ChDate = ChDateTime.transform((v) => new Date(v));

/**
 * What quality evaluation reads of the stored events: the interactions that ended (by when they were stored, so a
 * tick never misses one that arrived late), and for the chosen ones their transcripts, holds and transfers. Every
 * event counts once (LIMIT 1 BY event_id) until the engine's merge removes duplicates.
 */

const EndedRow = z.object({
  interaction_id: z.string(),
  agent_id: z.string(),
  queue_id: z.string(),
  channel: z.string(),
  ended_at: ChDate,
  received_at: ChDate,
  talk_ms: z.coerce.number(),
  hold_ms: z.coerce.number(),
});
export type EndedInteraction = z.infer<typeof EndedRow>;

const endedSql = (extra: string) => `SELECT interaction_id, agent_id, queue_id, channel, occurred_at AS ended_at, received_at, talk_ms, hold_ms
   FROM events
  WHERE tenant_id = {tenantId:String} AND type = 'interaction.ended' AND agent_id != '' AND occurred_at >= {endedSince:DateTime64(3)} ${extra}
  ORDER BY received_at, interaction_id
  LIMIT 1 BY event_id`;

/**
 * Interactions that ended since `endedSince` and whose end was stored in (after, upTo], at most about `limit` of
 * them: the batch stops before the last storing instant it cannot take whole (one insert stores many ends at one
 * instant), so the next batch starts cleanly after it. `through` is where this batch ends. (History imported in
 * bulk ended long before it was stored: `endedSince` leaves it out.)
 */
export async function listEndedInteractions(
  client: ClickHouseClient,
  params: { tenantId: string; after: Date; upTo: Date; endedSince: Date; limit: number },
): Promise<{ interactions: EndedInteraction[]; through: Date }> {
  const bounds = { tenantId: params.tenantId, after: toChDateTime(params.after), upTo: toChDateTime(params.upTo), endedSince: toChDateTime(params.endedSince) };
  const rows = await queryRows(
    client,
    EndedRow,
    `${endedSql('AND received_at > {after:DateTime64(3)} AND received_at <= {upTo:DateTime64(3)}')} LIMIT {limit:UInt32}`,
    { ...bounds, limit: params.limit + 1 },
  );
  if (rows.length <= params.limit) return { interactions: rows, through: params.upTo };
  const last = rows[rows.length - 1]!.received_at;
  const whole = rows.filter((r) => r.received_at.getTime() < last.getTime());
  if (whole.length > 0) return { interactions: whole, through: new Date(whole[whole.length - 1]!.received_at.getTime()) };
  // One instant holds more than a batch: take all of it.
  const all = await queryRows(client, EndedRow, endedSql('AND received_at = {at:DateTime64(3)}'), { ...bounds, at: toChDateTime(last) });
  return { interactions: all, through: last };
}

const DetailRow = z.object({
  interaction_id: z.string(),
  type: z.string(),
  occurred_at: ChDate,
  segment_index: z.coerce.number(),
  speaker: z.string(),
  start_ms: z.coerce.number(),
  end_ms: z.coerce.number(),
  text: z.string(),
  // 0: no CSAT answer (the events table keeps absent numbers as 0).
  csat: z.coerce.number(),
});

export interface InteractionDetail {
  segments: { speaker: 'agent' | 'customer' | 'bot'; start_ms: number; end_ms: number; text: string }[];
  /** Holds as offsets from the answer, like the transcript's. */
  holds: { start_ms: number; end_ms: number }[];
  transferred: boolean;
  /** The conversation ended while the customer was on hold (held, never resumed): they hung up waiting. */
  endedOnHold: boolean;
  /** The lowest CSAT a survey of the interaction gave so far; null without one. */
  csat: number | null;
}

/** Transcripts, holds and transfers of the given interactions, whose events happened since `since`. */
export async function getInteractionDetails(
  client: ClickHouseClient,
  params: { tenantId: string; interactionIds: readonly string[]; since: Date },
): Promise<Map<string, InteractionDetail>> {
  const out = new Map<string, InteractionDetail>();
  if (params.interactionIds.length === 0) return out;
  const rows = await queryRows(
    client,
    DetailRow,
    `SELECT interaction_id, type, occurred_at, segment_index, speaker, start_ms, end_ms, text, csat
       FROM events
      WHERE tenant_id = {tenantId:String} AND occurred_at >= {since:DateTime64(3)} AND interaction_id IN {ids:Array(String)}
        AND type IN ('transcript.segment', 'interaction.answered', 'interaction.held', 'interaction.resumed', 'interaction.transferred', 'survey.response')
      ORDER BY interaction_id, occurred_at, segment_index
      LIMIT 1 BY event_id`,
    { tenantId: params.tenantId, since: toChDateTime(params.since), ids: [...params.interactionIds] },
  );
  const byInteraction = new Map<string, z.infer<typeof DetailRow>[]>();
  for (const row of rows) byInteraction.set(row.interaction_id, [...(byInteraction.get(row.interaction_id) ?? []), row]);
  for (const [id, events] of byInteraction) {
    const answered = events.find((e) => e.type === 'interaction.answered')?.occurred_at.getTime();
    const holds: InteractionDetail['holds'] = [];
    let heldAt: number | null = null;
    for (const e of events) {
      if (answered === undefined) break;
      if (e.type === 'interaction.held') heldAt = e.occurred_at.getTime() - answered;
      if (e.type === 'interaction.resumed' && heldAt !== null) {
        holds.push({ start_ms: heldAt, end_ms: e.occurred_at.getTime() - answered });
        heldAt = null;
      }
    }
    out.set(id, {
      segments: events
        .filter((e) => e.type === 'transcript.segment')
        .sort((a, b) => a.segment_index - b.segment_index)
        .map((e) => ({ speaker: e.speaker as 'agent' | 'customer' | 'bot', start_ms: e.start_ms, end_ms: e.end_ms, text: e.text })),
      holds,
      transferred: events.some((e) => e.type === 'interaction.transferred'),
      endedOnHold: heldAt !== null,
      csat: events.reduce<number | null>((low, e) => (e.type === 'survey.response' && e.csat > 0 ? Math.min(low ?? e.csat, e.csat) : low), null),
    });
  }
  return out;
}

/** Each queue's 90th percentile of talk plus hold time over the week before `to` (ms): AHT above it is targeted. */
export async function getHandleTimeP90(client: ClickHouseClient, params: { tenantId: string; to: Date }): Promise<Map<string, number>> {
  const rows = await queryRows(
    client,
    z.object({ queue_id: z.string(), p90: z.coerce.number() }),
    `SELECT queue_id, quantile(0.9)(talk_ms + hold_ms) AS p90
       FROM (SELECT queue_id, talk_ms, hold_ms FROM events
              WHERE tenant_id = {tenantId:String} AND type = 'interaction.ended'
                AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}
              LIMIT 1 BY event_id)
      GROUP BY queue_id`,
    { tenantId: params.tenantId, from: toChDateTime(new Date(params.to.getTime() - 7 * 86_400_000)), to: toChDateTime(params.to) },
  );
  return new Map(rows.map((r) => [r.queue_id, r.p90]));
}

/**
 * Interactions a survey stored in (after, upTo] rated at most `csatAtMost`: a survey usually comes after the
 * interaction was evaluated, and makes it a target then.
 */
export async function listLowCsatSince(client: ClickHouseClient, params: { tenantId: string; after: Date; upTo: Date; csatAtMost: number }): Promise<string[]> {
  const rows = await queryRows(
    client,
    z.object({ interaction_id: z.string() }),
    `SELECT DISTINCT interaction_id FROM events
      WHERE tenant_id = {tenantId:String} AND type = 'survey.response' AND csat > 0 AND csat <= {csatAtMost:UInt8}
        AND received_at > {after:DateTime64(3)} AND received_at <= {upTo:DateTime64(3)}`,
    { tenantId: params.tenantId, after: toChDateTime(params.after), upTo: toChDateTime(params.upTo), csatAtMost: params.csatAtMost },
  );
  return rows.map((r) => r.interaction_id);
}
