import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';
import { agentFilter, agentScopeParams } from './agents.ts';
import { botSumsShape, botSumsSql } from './live.ts';
import { queueSumsShape, rollupQueueSumsSql, toQueueSums } from './queue-sums.ts';
import { localBucketOf, localDayStart, localWeekStart, type Weekday } from '@switchboard/calendar';
import { answeredWithinCondition, botEventConditions, queueEventConditions } from '../rollups/definitions.ts';
import { ChDateTime, queryRows, toChDateTime, UInt64 } from './rows.ts';

/**
 * Historical reports from the 15-minute rollups, bucketed in the tenant's time zone, and
 * the drill-down from any reported number to the events (and interactions) behind it.
 */

export const reportGrains = ['15m', '30m', '60m', 'day', 'week'] as const;
export type ReportGrain = (typeof reportGrains)[number];

/**
 * What a report groups by in SQL before the tenant calendar names its bucket: the 15-minute
 * interval for intraday grains (every local grid line, even at +05:45 or across a clock
 * change, falls on one), the local date for days and weeks. An allowlist: the grain never
 * reaches SQL as text.
 */
const bucketKeySql: Record<ReportGrain, string> = {
  '15m': 'toString(toUnixTimestamp(interval_start))',
  '30m': 'toString(toUnixTimestamp(interval_start))',
  '60m': 'toString(toUnixTimestamp(interval_start))',
  day: 'toString(toDate(interval_start, {tz:String}))',
  week: 'toString(toDate(interval_start, {tz:String}))',
};

/** The bucket (its first instant, ISO) of a row's key, through the calendar; one computation per key. */
function bucketNamer(params: Pick<ReportWindow, 'grain' | 'timezone' | 'weekStart'>): (key: string) => string {
  const { grain, timezone, weekStart = 1 } = params;
  const named = new Map<string, string>();
  return (key) => {
    let bucket = named.get(key);
    if (bucket === undefined) {
      const start =
        grain === 'day' || grain === 'week'
          ? localDayStart(grain === 'week' ? localWeekStart(key, weekStart) : key, timezone)
          : localBucketOf(Number(key) * 1000, grain, timezone);
      bucket = start.toISOString();
      named.set(key, bucket);
    }
    return bucket;
  };
}

export interface ReportWindow {
  tenantId: string;
  from: Date;
  to: Date;
  grain: ReportGrain;
  timezone: string;
  /** The tenant's first day of the week (0 = Sunday); Monday unless given. */
  weekStart?: Weekday | undefined;
  /** A second window (the compared week) read in the same pass; its rows come back with `previous`. */
  previous?: { from: Date; to: Date } | null | undefined;
}

type Windows = Pick<ReportWindow, 'tenantId' | 'from' | 'to' | 'previous'>;

function windowParams(params: Windows) {
  // No previous window: an empty one, so every report has one shape of SQL.
  const previous = params.previous ?? { from: params.from, to: params.from };
  return {
    tenantId: params.tenantId,
    from: toChDateTime(params.from),
    to: toChDateTime(params.to),
    previousFrom: toChDateTime(previous.from),
    previousTo: toChDateTime(previous.to),
  };
}

function reportParams(params: ReportWindow) {
  return { ...windowParams(params), tz: params.timezone };
}

/**
 * The rows of either window, each joined to the windows it falls in (`previous` 0 or 1):
 * the compared weeks overlap, and a row in both counts in both, but is read once.
 */
function windowsSql(column: string) {
  const inWindow = `${column} >= {from:DateTime64(3, 'UTC')} AND ${column} < {to:DateTime64(3, 'UTC')}`;
  const inPrevious = `${column} >= {previousFrom:DateTime64(3, 'UTC')} AND ${column} < {previousTo:DateTime64(3, 'UTC')}`;
  return {
    join: `ARRAY JOIN arrayFilter(w -> if(w = 0, ${inWindow}, ${inPrevious}), [0, 1]) AS previous`,
    where: `tenant_id = {tenantId:String} AND ((${inWindow}) OR (${inPrevious}))`,
  };
}
const intervalWindows = windowsSql('interval_start');

/** Rows as they come from SQL, `previous` a flag and the bucket named by the calendar. */
function withBuckets<T extends { bucket_key: string; previous: number }>(params: ReportWindow, rows: T[]) {
  const bucketOf = bucketNamer(params);
  return rows.map(({ bucket_key, previous, ...rest }) => ({ previous: previous === 1, bucket: bucketOf(bucket_key), ...rest }));
}

const QueueReportRow = z
  .object({ previous: UInt64, bucket_key: z.string(), queue_id: z.string(), channel: z.string(), ...queueSumsShape })
  .transform(({ previous, bucket_key, queue_id, channel, ...sums }) => ({
    previous,
    bucket_key,
    queue_id,
    channel,
    sums: toQueueSums(sums as Record<string, number>),
  }));
export type QueueReportRow = ReturnType<typeof withBuckets<z.infer<typeof QueueReportRow>>>[number];

/** Queue sums per bucket, queue and channel. */
export async function getQueueReport(client: ClickHouseClient, params: ReportWindow): Promise<QueueReportRow[]> {
  const rows = await queryRows(
    client,
    QueueReportRow,
    `SELECT previous, ${bucketKeySql[params.grain]} AS bucket_key, queue_id, channel, ${rollupQueueSumsSql}
       FROM queue_interval_15m
       ${intervalWindows.join}
      WHERE ${intervalWindows.where}
      GROUP BY previous, bucket_key, queue_id, channel
      ORDER BY previous, bucket_key, queue_id, channel`,
    reportParams(params),
  );
  return withBuckets(params, rows);
}

const ImportedQueueRow = z.object({
  previous: UInt64,
  bucket_key: z.string(),
  queue_id: z.string(),
  intervals: UInt64,
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
});
export type ImportedQueueRow = ReturnType<typeof withBuckets<z.infer<typeof ImportedQueueRow>>>[number];

/**
 * Imported history (migrations/clickhouse/0016) per bucket and queue: its volumes and how many
 * 15-minute intervals, only before each queue's first live interval, the rule of
 * getQueueIntervalActuals, so a report takes every interval from one source.
 */
export async function getImportedQueueReport(client: ClickHouseClient, params: ReportWindow): Promise<ImportedQueueRow[]> {
  const rows = await queryRows(
    client,
    ImportedQueueRow,
    `SELECT previous, ${bucketKeySql[params.grain]} AS bucket_key, queue_id, count() AS intervals,
            sum(offered) AS offered, sum(answered) AS answered, sum(abandoned) AS abandoned
       FROM (
         SELECT h.interval_start AS interval_start, h.queue_id AS queue_id, h.offered AS offered, h.answered AS answered, h.abandoned AS abandoned
           FROM (SELECT * FROM imported_queue_interval_15m FINAL WHERE ${intervalWindows.where}) AS h
           -- Bounded by the last imported interval: a tenant without imports scans none of its rollup.
           LEFT JOIN (SELECT queue_id, min(interval_start) AS first_live FROM queue_interval_15m
                       WHERE tenant_id = {tenantId:String}
                         AND interval_start <= (SELECT max(interval_start) FROM imported_queue_interval_15m WHERE tenant_id = {tenantId:String})
                       GROUP BY queue_id) AS l ON l.queue_id = h.queue_id
          WHERE l.first_live IS NULL OR h.interval_start < l.first_live)
       ${intervalWindows.join}
      GROUP BY previous, bucket_key, queue_id
      ORDER BY previous, bucket_key, queue_id
      SETTINGS join_use_nulls = 1`,
    reportParams(params),
  );
  return withBuckets(params, rows);
}

const AgentReportRow = z.object({
  previous: UInt64,
  bucket_key: z.string(),
  agent_id: z.string(),
  answered: UInt64,
  handled: UInt64,
  talk_ms_sum: UInt64,
  hold_ms_sum: UInt64,
  wrapups: UInt64,
  wrapup_ms_sum: UInt64,
  holds: UInt64,
  transferred: UInt64,
});
export type AgentReportRow = ReturnType<typeof withBuckets<z.infer<typeof AgentReportRow>>>[number];

/** What agents handled per bucket (all queues together). */
export async function getAgentReport(client: ClickHouseClient, params: ReportWindow & { agentIds?: readonly string[] | undefined }): Promise<AgentReportRow[]> {
  const rows = await queryRows(
    client,
    AgentReportRow,
    `SELECT previous, ${bucketKeySql[params.grain]} AS bucket_key, agent_id,
            sum(answered) AS answered, sum(handled) AS handled, sum(talk_ms_sum) AS talk_ms_sum,
            sum(hold_ms_sum) AS hold_ms_sum, sum(wrapups) AS wrapups, sum(wrapup_ms_sum) AS wrapup_ms_sum,
            sum(holds) AS holds, sum(transferred) AS transferred
       FROM agent_interval_15m
       ${intervalWindows.join}
      WHERE ${intervalWindows.where} AND ${agentFilter}
      GROUP BY previous, bucket_key, agent_id
      ORDER BY previous, bucket_key, agent_id`,
    { ...reportParams(params), ...agentScopeParams(params.agentIds) },
  );
  return withBuckets(params, rows);
}

const AgentStateReportRow = z.object({ previous: UInt64, bucket_key: z.string(), agent_id: z.string(), state: z.string(), state_ms: UInt64 });
export type AgentStateReportRow = ReturnType<typeof withBuckets<z.infer<typeof AgentStateReportRow>>>[number];

/** Time in each state per bucket and agent. */
export async function getAgentStateReport(
  client: ClickHouseClient,
  params: ReportWindow & { agentIds?: readonly string[] | undefined },
): Promise<AgentStateReportRow[]> {
  const rows = await queryRows(
    client,
    AgentStateReportRow,
    `SELECT previous, ${bucketKeySql[params.grain]} AS bucket_key, agent_id, state, sum(state_ms) AS state_ms
       FROM agent_state_interval_15m
       ${intervalWindows.join}
      WHERE ${intervalWindows.where} AND ${agentFilter}
      GROUP BY previous, bucket_key, agent_id, state
      ORDER BY previous, bucket_key, agent_id, state`,
    { ...reportParams(params), ...agentScopeParams(params.agentIds) },
  );
  return withBuckets(params, rows);
}

const BotIntentReportRow = z.object({ bucket_key: z.string(), bot_id: z.string(), intent: z.string(), escalation_reason: z.string(), ...botSumsShape });
export type BotIntentReportRow = Omit<z.infer<typeof BotIntentReportRow>, 'bucket_key'> & { bucket: string };

/** Self-service outcomes per bucket, bot, intent and escalation reason. */
export async function getBotIntentReport(client: ClickHouseClient, params: ReportWindow): Promise<BotIntentReportRow[]> {
  const rows = await queryRows(
    client,
    BotIntentReportRow,
    `SELECT ${bucketKeySql[params.grain]} AS bucket_key, bot_id, intent, escalation_reason, ${botSumsSql}
       FROM bot_intent_interval_15m
      WHERE tenant_id = {tenantId:String}
        AND interval_start >= {from:DateTime64(3, 'UTC')} AND interval_start < {to:DateTime64(3, 'UTC')}
      GROUP BY bucket_key, bot_id, intent, escalation_reason
      ORDER BY bucket_key, bot_id, intent, escalation_reason`,
    { tenantId: params.tenantId, from: toChDateTime(params.from), to: toChDateTime(params.to), tz: params.timezone },
  );
  const bucketOf = bucketNamer(params);
  return rows.map(({ bucket_key, ...rest }) => ({ bucket: bucketOf(bucket_key), ...rest }));
}

// ── drill-down ────────────────────────────────────────────────────────────────

/**
 * Which events stand behind a reported number. Each matches exactly what the rollup's
 * view counts for that figure, so a total always equals its drill-down's row count.
 */
export const drillMetrics = [
  'offered',
  'answered',
  'answered_in_sl',
  'abandoned',
  'short_abandoned',
  'waits',
  'handled',
  'transferred',
  'held',
  'bot_sessions',
  'bot_contained',
  'bot_escalated',
  'bot_abandoned',
] as const;
export type DrillMetric = (typeof drillMetrics)[number];

/** The rollups' own conditions (rollups/definitions.ts): what a figure counts is what its drill-down lists. */
const drillCondition: Record<DrillMetric, string> = {
  offered: queueEventConditions.offered,
  answered: queueEventConditions.answered,
  // Each queue's own threshold, as the report's service level uses it.
  answered_in_sl: answeredWithinCondition('transform(queue_id, {slQueueIds:Array(String)}, {slThresholdsMs:Array(UInt32)}, toUInt32(0))'),
  abandoned: queueEventConditions.abandoned,
  short_abandoned: queueEventConditions.short_abandoned,
  waits: queueEventConditions.waits,
  handled: queueEventConditions.handled,
  transferred: queueEventConditions.transferred,
  held: queueEventConditions.held,
  bot_sessions: botEventConditions.sessions,
  bot_contained: botEventConditions.contained,
  bot_escalated: botEventConditions.escalated,
  bot_abandoned: botEventConditions.abandoned,
};

export interface DrillDownParams {
  tenantId: string;
  from: Date;
  to: Date;
  metric: DrillMetric;
  queueIds?: readonly string[] | undefined;
  channels?: readonly string[] | undefined;
  agentIds?: readonly string[] | undefined;
  /** Self-service intents ('' for sessions where none was recognised). */
  intents?: readonly string[] | undefined;
  /** Queue keys and their service-level thresholds, for answered_in_sl. */
  slQueueIds: readonly string[];
  slThresholdsMs: readonly number[];
  limit: number;
}

export const DrillDownRow = z.object({
  event_id: z.string(),
  occurred_at: ChDateTime,
  type: z.string(),
  interaction_id: z.string(),
  queue_id: z.string(),
  channel: z.string(),
  agent_id: z.string(),
  wait_ms: UInt64,
  talk_ms: UInt64,
  hold_ms: UInt64,
  outcome: z.string(),
  handled_by: z.string(),
  disposition: z.string(),
  handle_ms: UInt64,
});
export type DrillDownRow = z.infer<typeof DrillDownRow>;

/** Interactions touched by a drill-down are summed over this much time around the window. */
const INTERACTION_SPAN_S = 2 * 86_400;

function drillFilters(params: DrillDownParams) {
  const sql = `tenant_id = {tenantId:String}
        AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
        AND ${drillCondition[params.metric]}
        AND ({allQueues:UInt8} = 1 OR queue_id IN {queueIds:Array(String)})
        AND ({allChannels:UInt8} = 1 OR channel IN {channels:Array(String)})
        AND ({allIntents:UInt8} = 1 OR intent IN {intents:Array(String)})
        AND ${agentFilter}`;
  const values = {
    tenantId: params.tenantId,
    from: toChDateTime(params.from),
    to: toChDateTime(params.to),
    allQueues: params.queueIds ? 0 : 1,
    queueIds: params.queueIds ?? [],
    allChannels: params.channels ? 0 : 1,
    channels: params.channels ?? [],
    allIntents: params.intents ? 0 : 1,
    intents: params.intents ?? [],
    slQueueIds: params.slQueueIds,
    slThresholdsMs: params.slThresholdsMs,
    ...agentScopeParams(params.agentIds),
  };
  return { sql, values };
}

/**
 * The events behind a number (one row per event, newest first, at most `limit`) with a
 * summary of each one's interaction, and how many there are in all.
 */
export async function getDrillDown(client: ClickHouseClient, params: DrillDownParams): Promise<{ total: number; rows: DrillDownRow[] }> {
  const filters = drillFilters(params);
  const [count] = await queryRows(client, z.object({ total: UInt64 }), `SELECT uniqExact(event_id) AS total FROM events WHERE ${filters.sql}`, filters.values);
  const rows = await queryRows(
    client,
    DrillDownRow,
    `WITH matched AS (
       -- LIMIT 1 BY: a duplicate not merged yet is listed once, as it is counted once.
       SELECT event_id, occurred_at, type, interaction_id, queue_id, channel, agent_id, wait_ms, talk_ms, hold_ms, outcome
         FROM events
        WHERE ${filters.sql}
        ORDER BY occurred_at DESC, event_id
        LIMIT 1 BY event_id
        LIMIT {limit:UInt32}
     ),
     summary AS (
       SELECT interaction_id,
              multiIf(countIf(type = 'interaction.abandoned') > 0 AND countIf(type = 'interaction.answered') = 0, 'abandoned',
                      countIf(type = 'interaction.transferred') > 0, 'transferred',
                      countIf(type = 'interaction.ended') > 0, 'handled',
                      countIf(type = 'interaction.answered') > 0, 'in progress', 'waiting') AS outcome,
              argMaxIf(agent_id, occurred_at, type = 'interaction.answered') AS handled_by,
              argMaxIf(wait_ms, occurred_at, type IN ('interaction.answered', 'interaction.abandoned')) AS contact_wait_ms,
              argMaxIf(disposition, occurred_at, type = 'interaction.ended') AS disposition,
              sumIf(toUInt64(talk_ms) + hold_ms, type = 'interaction.ended') + sumIf(toUInt64(wrapup_ms), type = 'interaction.wrapup_ended') AS handle_ms
         FROM events
        WHERE tenant_id = {tenantId:String}
          AND occurred_at >= {from:DateTime64(3, 'UTC')} - INTERVAL ${INTERACTION_SPAN_S} SECOND
          AND occurred_at < {to:DateTime64(3, 'UTC')} + INTERVAL ${INTERACTION_SPAN_S} SECOND
          AND startsWith(type, 'interaction.')
          AND interaction_id IN (SELECT interaction_id FROM matched)
        GROUP BY interaction_id
     )
     SELECT m.event_id AS event_id, m.occurred_at AS occurred_at, m.type AS type, m.interaction_id AS interaction_id,
            m.queue_id AS queue_id, m.channel AS channel, m.agent_id AS agent_id,
            -- An offer or a hand-off carries no wait of its own: show the contact's.
            if(m.type IN ('interaction.answered', 'interaction.abandoned'), m.wait_ms, s.contact_wait_ms) AS wait_ms,
            m.talk_ms AS talk_ms, m.hold_ms AS hold_ms,
            -- A bot session's own outcome; for contact events, what became of the contact.
            if(m.type = 'bot.session_ended', toString(m.outcome), s.outcome) AS outcome, s.handled_by AS handled_by,
            s.disposition AS disposition, s.handle_ms AS handle_ms
       FROM matched AS m LEFT JOIN summary AS s ON s.interaction_id = m.interaction_id
      ORDER BY occurred_at DESC, event_id`,
    { ...filters.values, limit: params.limit },
  );
  return { total: count?.total ?? 0, rows };
}

// ── one interaction ───────────────────────────────────────────────────────────

export const TimelineEvent = z.object({
  event_id: z.string(),
  type: z.string(),
  occurred_at: ChDateTime,
  source: z.string(),
  queue_id: z.string(),
  channel: z.string(),
  agent_id: z.string(),
  intent: z.string(),
  routing_reason: z.string(),
  to_queue_id: z.string(),
  transfer_type: z.string(),
  wait_ms: UInt64,
  talk_ms: UInt64,
  hold_ms: UInt64,
  wrapup_ms: UInt64,
  disposition: z.string(),
  state: z.string(),
  bot_id: z.string(),
  turn_index: UInt64,
  confidence: z.number(),
  outcome: z.string(),
  escalation_reason: z.string(),
  turns: UInt64,
  duration_ms: UInt64,
  segment_index: UInt64,
  speaker: z.string(),
  start_ms: UInt64,
  end_ms: UInt64,
  text: z.string(),
  csat: UInt64,
  nps: z.number(),
  resolved: z.number(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

/** Every event of one interaction within `around` ± 2 days, in order. Transcript text is stored redacted. */
export function getInteractionEvents(client: ClickHouseClient, params: { tenantId: string; interactionId: string; around: Date }): Promise<TimelineEvent[]> {
  return queryRows(
    client,
    TimelineEvent,
    `SELECT event_id, type, occurred_at, source, queue_id, channel, agent_id, intent, routing_reason, to_queue_id,
            transfer_type, wait_ms, talk_ms, hold_ms, wrapup_ms, disposition, state, bot_id, turn_index, confidence,
            outcome, escalation_reason, turns, duration_ms, segment_index, speaker, start_ms, end_ms, text, csat, nps, resolved
       FROM events
      WHERE tenant_id = {tenantId:String}
        AND interaction_id = {interactionId:String}
        AND occurred_at >= {around:DateTime64(3, 'UTC')} - INTERVAL ${INTERACTION_SPAN_S} SECOND
        AND occurred_at < {around:DateTime64(3, 'UTC')} + INTERVAL ${INTERACTION_SPAN_S} SECOND
      ORDER BY occurred_at, segment_index, event_id
      LIMIT 1 BY event_id`,
    { tenantId: params.tenantId, interactionId: params.interactionId, around: toChDateTime(params.around) },
  );
}

export const SurveySumsRow = z
  .object({
    previous: UInt64,
    queue_id: z.string(),
    agent_id: z.string(),
    csat_responses: UInt64,
    csat_satisfied: UInt64,
    csat_sum: UInt64,
  })
  .transform(({ previous, ...rest }) => ({ previous: previous === 1, ...rest }));
export type SurveySumsRow = z.infer<typeof SurveySumsRow>;

const surveyWindows = windowsSql('occurred_at');

/** CSAT answers per queue and agent of the surveys answered in the window (and `previous`). */
export function getSurveySums(client: ClickHouseClient, params: Windows): Promise<SurveySumsRow[]> {
  return queryRows(
    client,
    SurveySumsRow,
    `SELECT previous, queue_id, agent_id, countIf(csat > 0) AS csat_responses, countIf(csat >= 4) AS csat_satisfied,
            sumIf(toUInt64(csat), csat > 0) AS csat_sum
       FROM (
         SELECT queue_id, agent_id, csat, occurred_at
           FROM events
          WHERE ${surveyWindows.where} AND type = 'survey.response'
          LIMIT 1 BY event_id
       )
       ${surveyWindows.join}
      GROUP BY previous, queue_id, agent_id
      ORDER BY previous, queue_id, agent_id`,
    windowParams(params),
  );
}
