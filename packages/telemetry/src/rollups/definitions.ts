import { serviceLevelThresholdsS, SHORT_ABANDON_MS } from '@switchboard/contracts';

/**
 * The rollups, defined once: how the distinct raw events of a tenant become the rows of
 * each 15-minute table. The rollup builder, the operator check and repair, and the live
 * reads of the last minutes (queue-sums.ts) all take their SQL from here.
 */

interface Measure {
  name: string;
  /** `sum` columns are SimpleAggregateFunction(sum, Int64); `max` columns SimpleAggregateFunction(max, …). */
  kind: 'sum' | 'max';
}

/** A measure counted from event rows. */
export interface EventMeasure extends Measure {
  /** Aggregate expression over the events (e.g. `countIf(type = 'interaction.offered')`). */
  expr: string;
}

export interface RollupDefinition {
  table: string;
  /**
   * Every row also carries the 15-minute interval of the events that produced it. It is
   * `interval_start` itself where an event counts in its own interval; a separate
   * column where an event also counts in earlier ones (a state's time) or where rows are
   * finer than 15 minutes (the minute rollup). Every row's interval_start is before its
   * source interval's end. Reconciling by
   * this interval reads exactly the raw events of that interval, whatever they cover.
   */
  sourceColumn: 'interval_start' | 'source_interval';
  /** Grouping columns besides tenant_id, interval_start and the source column. */
  dims: readonly string[];
  measures: readonly Measure[];
  /** Rows of the rollup from deduplicated events `source` (a subquery with tenant_id, event_id, occurred_at and `reads`). */
  aggregate(source: string): string;
  /** The event types the rollup reads: reconciling only scans these. */
  where: string;
  /** The columns of events it reads besides tenant_id, event_id and occurred_at (never the wide ones, such as text). */
  reads: readonly string[];
}

const interval = 'toStartOfFifteenMinutes(occurred_at)';

/**
 * Which events each queue count counts, written once: the rollups' measures below and the
 * drill-down's conditions (repositories/reports.ts) are both made from these, so a total
 * always equals the events its drill-down lists.
 */
export const queueEventConditions = {
  offered: `type = 'interaction.offered'`,
  answered: `type = 'interaction.answered'`,
  abandoned: `type = 'interaction.abandoned'`,
  short_abandoned: `type = 'interaction.abandoned' AND wait_ms < ${SHORT_ABANDON_MS}`,
  /** The base of service level, ASA and abandonment rate: every wait that ended. */
  waits: `type IN ('interaction.answered', 'interaction.abandoned')`,
  handled: `type = 'interaction.ended'`,
  wrapups: `type = 'interaction.wrapup_ended'`,
  held: `type = 'interaction.held'`,
  transferred: `type = 'interaction.transferred'`,
} as const;

/** Answers within a threshold: an SQL expression in milliseconds (a constant, or per queue in a drill-down). */
export const answeredWithinCondition = (thresholdMsSql: string) => `${queueEventConditions.answered} AND wait_ms <= ${thresholdMsSql}`;

const q = queueEventConditions;
const answeredWithin = serviceLevelThresholdsS.map((s): EventMeasure => ({
  name: `answered_within_${s}s`,
  kind: 'sum',
  expr: `countIf(${answeredWithinCondition(String(s * 1000))})`,
}));

/** Each count lands in the interval of its own event (an answer in the interval it happened), as real-time ACD reports count. */
export const queueMeasures: readonly EventMeasure[] = [
  { name: 'offered', kind: 'sum', expr: `countIf(${q.offered})` },
  { name: 'answered', kind: 'sum', expr: `countIf(${q.answered})` },
  ...answeredWithin,
  { name: 'abandoned', kind: 'sum', expr: `countIf(${q.abandoned})` },
  { name: 'short_abandoned', kind: 'sum', expr: `countIf(${q.short_abandoned})` },
  { name: 'wait_answered_ms_sum', kind: 'sum', expr: `sumIf(toUInt64(wait_ms), ${q.answered})` },
  { name: 'wait_abandoned_ms_sum', kind: 'sum', expr: `sumIf(toUInt64(wait_ms), ${q.abandoned})` },
  { name: 'wait_ms_max', kind: 'max', expr: `maxIf(wait_ms, ${q.waits})` },
  { name: 'handled', kind: 'sum', expr: `countIf(${q.handled})` },
  { name: 'talk_ms_sum', kind: 'sum', expr: `sumIf(toUInt64(talk_ms), ${q.handled})` },
  { name: 'hold_ms_sum', kind: 'sum', expr: `sumIf(toUInt64(hold_ms), ${q.handled})` },
  { name: 'wrapups', kind: 'sum', expr: `countIf(${q.wrapups})` },
  { name: 'wrapup_ms_sum', kind: 'sum', expr: `sumIf(toUInt64(wrapup_ms), ${q.wrapups})` },
  { name: 'holds', kind: 'sum', expr: `countIf(${q.held})` },
  { name: 'transferred', kind: 'sum', expr: `countIf(${q.transferred})` },
];

/** The events the queue rollup reads. */
export const queueEventsWhere = `startsWith(type, 'interaction.')`;

const selectMeasures = (measures: readonly EventMeasure[]) => measures.map((m) => `${m.expr} AS ${m.name}`).join(',\n    ');

/**
 * A rollup counting each event in the interval it occurred in, at 15 minutes or, for the
 * wallboard's rolling window, a minute; minute rows keep their 15-minute source interval,
 * the unit every reconcile works in.
 */
function eventRollup(
  table: string,
  dims: readonly string[],
  measures: readonly EventMeasure[],
  where: string,
  reads: readonly string[],
  grain: '15m' | '1m' = '15m',
): RollupDefinition {
  const source = grain === '15m' ? [] : [`${interval} AS source_interval`];
  const keys = ['tenant_id', 'interval_start', ...(grain === '15m' ? [] : ['source_interval']), ...dims].join(', ');
  const start = grain === '15m' ? interval : 'toStartOfMinute(occurred_at)';
  return {
    table,
    sourceColumn: grain === '15m' ? 'interval_start' : 'source_interval',
    dims,
    measures,
    where,
    reads: [...new Set([...dims, ...reads])],
    aggregate: (from) =>
      `SELECT ${['tenant_id', `${start} AS interval_start`, ...source, ...dims].join(', ')},\n    ${selectMeasures(measures)}\n  FROM ${from}\n  GROUP BY ${keys}`,
  };
}

const queueReads = ['type', 'wait_ms', 'talk_ms', 'hold_ms', 'wrapup_ms'];

const queueRollup = eventRollup('queue_interval_15m', ['queue_id', 'channel'], queueMeasures, queueEventsWhere, queueReads);

/** The queue rollup by minute, for the wallboard's rolling half hour (queue-sums.ts). */
const queueMinuteRollup = eventRollup('queue_interval_1m', ['queue_id', 'channel'], queueMeasures, queueEventsWhere, queueReads, '1m');

const agentEventTypes = ['interaction.answered', 'interaction.ended', 'interaction.wrapup_ended', 'interaction.held', 'interaction.transferred'];

/** What each agent did per queue and interval, for agent and team reports. */
const agentRollup = eventRollup(
  'agent_interval_15m',
  ['agent_id', 'queue_id', 'channel'],
  queueMeasures.filter((m) => ['answered', 'handled', 'talk_ms_sum', 'hold_ms_sum', 'wrapups', 'wrapup_ms_sum', 'holds', 'transferred'].includes(m.name)),
  `type IN (${agentEventTypes.map((t) => `'${t}'`).join(', ')})`,
  queueReads,
);

/** Which bot sessions each count counts (as queueEventConditions, for the drill-down too): by the interval they ended in. */
export const botEventConditions = {
  sessions: `type = 'bot.session_ended'`,
  contained: `type = 'bot.session_ended' AND outcome = 'contained'`,
  escalated: `type = 'bot.session_ended' AND outcome = 'escalated'`,
  abandoned: `type = 'bot.session_ended' AND outcome = 'abandoned'`,
} as const;

/** Bot sessions by the interval they ended in. */
const botRollup = eventRollup(
  'bot_intent_interval_15m',
  ['bot_id', 'channel', 'intent', 'escalation_reason'],
  [
    { name: 'sessions', kind: 'sum', expr: `countIf(${botEventConditions.sessions})` },
    { name: 'contained', kind: 'sum', expr: `countIf(${botEventConditions.contained})` },
    { name: 'escalated', kind: 'sum', expr: `countIf(${botEventConditions.escalated})` },
    { name: 'abandoned', kind: 'sum', expr: `countIf(${botEventConditions.abandoned})` },
    { name: 'turns_sum', kind: 'sum', expr: 'sum(toUInt64(turns))' },
    { name: 'duration_ms_sum', kind: 'sum', expr: 'sum(toUInt64(duration_ms))' },
  ],
  botEventConditions.sessions,
  ['type', 'outcome', 'turns', 'duration_ms'],
);

/**
 * A state_changed event yields one row for the state it enters (entries = 1, in its own
 * interval) and one per 15-minute interval covered by the state it closes (state_ms,
 * split exactly at the interval edges), all under the event's own source interval.
 */
const agentStateRollup: RollupDefinition = {
  table: 'agent_state_interval_15m',
  sourceColumn: 'source_interval',
  dims: ['agent_id', 'state'],
  measures: [
    { name: 'state_ms', kind: 'sum' },
    { name: 'entries', kind: 'sum' },
  ],
  where: `type = 'agent.state_changed'`,
  reads: ['agent_id', 'state', 'previous_state', 'previous_state_ms'],
  aggregate: (source) => `SELECT
    tenant_id,
    toDateTime(intDiv(cell.1, 1000), 'UTC') AS interval_start,
    source_interval,
    agent_id,
    cell.2 AS state,
    sum(cell.3) AS state_ms,
    sum(cell.4) AS entries
  FROM
  (
    SELECT
      tenant_id,
      agent_id,
      ${interval} AS source_interval,
      state AS entered,
      previous_state AS closed,
      toUnixTimestamp64Milli(occurred_at) AS end_ms,
      end_ms - toInt64(previous_state_ms) AS start_ms,
      previous_state != '' AND previous_state_ms > 0 AS closes
    FROM ${source}
  )
  ARRAY JOIN arrayConcat(
    [(intDiv(end_ms, 900000) * 900000, toString(entered), toInt64(0), toInt64(1))],
    arrayMap(
      slot -> (slot, toString(closed), least(end_ms, slot + 900000) - greatest(start_ms, slot), toInt64(0)),
      if(closes, range(intDiv(start_ms, 900000) * 900000, end_ms, toInt64(900000)), [])
    )
  ) AS cell
  GROUP BY tenant_id, interval_start, source_interval, agent_id, state`,
};

export const rollups: readonly RollupDefinition[] = [queueRollup, queueMinuteRollup, agentRollup, agentStateRollup, botRollup];
