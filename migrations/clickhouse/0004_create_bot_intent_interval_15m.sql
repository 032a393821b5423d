CREATE TABLE IF NOT EXISTS bot_intent_interval_15m
(
    tenant_id LowCardinality(String),
    interval_start DateTime('UTC'),
    bot_id LowCardinality(String),
    channel LowCardinality(String),
    intent LowCardinality(String),
    escalation_reason LowCardinality(String),
    sessions SimpleAggregateFunction(sum, UInt64),
    contained SimpleAggregateFunction(sum, UInt64),
    escalated SimpleAggregateFunction(sum, UInt64),
    abandoned SimpleAggregateFunction(sum, UInt64),
    turns_sum SimpleAggregateFunction(sum, UInt64),
    duration_ms_sum SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(interval_start)
-- Bot analytics compare intents of a tenant over a time range.
ORDER BY (tenant_id, interval_start, bot_id, channel, intent, escalation_reason);

CREATE MATERIALIZED VIEW IF NOT EXISTS bot_intent_interval_15m_mv TO bot_intent_interval_15m
(
    tenant_id LowCardinality(String), interval_start DateTime('UTC'), bot_id LowCardinality(String),
    channel LowCardinality(String), intent LowCardinality(String), escalation_reason LowCardinality(String),
    sessions UInt64, contained UInt64, escalated UInt64, abandoned UInt64, turns_sum UInt64, duration_ms_sum UInt64
)
AS SELECT
    tenant_id,
    toStartOfFifteenMinutes(occurred_at) AS interval_start,
    bot_id,
    channel,
    intent,
    escalation_reason,
    count() AS sessions,
    countIf(outcome = 'contained') AS contained,
    countIf(outcome = 'escalated') AS escalated,
    countIf(outcome = 'abandoned') AS abandoned,
    sum(toUInt64(turns)) AS turns_sum,
    sum(toUInt64(duration_ms)) AS duration_ms_sum
FROM events
WHERE type = 'bot.session_ended'
GROUP BY tenant_id, interval_start, bot_id, channel, intent, escalation_reason;
