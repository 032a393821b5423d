CREATE TABLE IF NOT EXISTS agent_interval_15m
(
    tenant_id LowCardinality(String),
    interval_start DateTime('UTC'),
    agent_id LowCardinality(String),
    queue_id LowCardinality(String),
    channel LowCardinality(String),
    answered SimpleAggregateFunction(sum, UInt64),
    handled SimpleAggregateFunction(sum, UInt64),
    talk_ms_sum SimpleAggregateFunction(sum, UInt64),
    hold_ms_sum SimpleAggregateFunction(sum, UInt64),
    wrapups SimpleAggregateFunction(sum, UInt64),
    wrapup_ms_sum SimpleAggregateFunction(sum, UInt64),
    holds SimpleAggregateFunction(sum, UInt64),
    transferred SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(interval_start)
-- Agent and team reports read every agent of a tenant over a time range.
ORDER BY (tenant_id, interval_start, agent_id, queue_id, channel);

-- What each agent did per queue and interval, for agent and team reports; each count
-- lands in the interval of its own event (as in queue_interval_15m).
CREATE MATERIALIZED VIEW IF NOT EXISTS agent_interval_15m_mv TO agent_interval_15m
(
    tenant_id LowCardinality(String), interval_start DateTime('UTC'), agent_id LowCardinality(String),
    queue_id LowCardinality(String), channel LowCardinality(String), answered UInt64, handled UInt64,
    talk_ms_sum UInt64, hold_ms_sum UInt64, wrapups UInt64, wrapup_ms_sum UInt64, holds UInt64, transferred UInt64
)
AS SELECT
    tenant_id,
    toStartOfFifteenMinutes(occurred_at) AS interval_start,
    agent_id,
    queue_id,
    channel,
    countIf(type = 'interaction.answered') AS answered,
    countIf(type = 'interaction.ended') AS handled,
    sumIf(toUInt64(talk_ms), type = 'interaction.ended') AS talk_ms_sum,
    sumIf(toUInt64(hold_ms), type = 'interaction.ended') AS hold_ms_sum,
    countIf(type = 'interaction.wrapup_ended') AS wrapups,
    sumIf(toUInt64(wrapup_ms), type = 'interaction.wrapup_ended') AS wrapup_ms_sum,
    countIf(type = 'interaction.held') AS holds,
    countIf(type = 'interaction.transferred') AS transferred
FROM events
WHERE type IN ('interaction.answered', 'interaction.ended', 'interaction.wrapup_ended', 'interaction.held', 'interaction.transferred')
GROUP BY tenant_id, interval_start, agent_id, queue_id, channel;

-- Events stored before this view existed. Migrations run before the host accepts events,
-- so nothing is counted twice, and the guard keeps a re-run from adding them again.
INSERT INTO agent_interval_15m
SELECT
    tenant_id,
    toStartOfFifteenMinutes(occurred_at) AS interval_start,
    agent_id,
    queue_id,
    channel,
    countIf(type = 'interaction.answered'),
    countIf(type = 'interaction.ended'),
    sumIf(toUInt64(talk_ms), type = 'interaction.ended'),
    sumIf(toUInt64(hold_ms), type = 'interaction.ended'),
    countIf(type = 'interaction.wrapup_ended'),
    sumIf(toUInt64(wrapup_ms), type = 'interaction.wrapup_ended'),
    countIf(type = 'interaction.held'),
    countIf(type = 'interaction.transferred')
FROM events
WHERE type IN ('interaction.answered', 'interaction.ended', 'interaction.wrapup_ended', 'interaction.held', 'interaction.transferred')
  AND (SELECT count() FROM agent_interval_15m) = 0
GROUP BY tenant_id, interval_start, agent_id, queue_id, channel;
