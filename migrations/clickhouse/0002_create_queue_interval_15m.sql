CREATE TABLE IF NOT EXISTS queue_interval_15m
(
    tenant_id LowCardinality(String),
    interval_start DateTime('UTC'),
    queue_id LowCardinality(String),
    channel LowCardinality(String),
    offered SimpleAggregateFunction(sum, UInt64),
    answered SimpleAggregateFunction(sum, UInt64),
    answered_within_10s SimpleAggregateFunction(sum, UInt64),
    answered_within_15s SimpleAggregateFunction(sum, UInt64),
    answered_within_20s SimpleAggregateFunction(sum, UInt64),
    answered_within_30s SimpleAggregateFunction(sum, UInt64),
    answered_within_45s SimpleAggregateFunction(sum, UInt64),
    answered_within_60s SimpleAggregateFunction(sum, UInt64),
    answered_within_90s SimpleAggregateFunction(sum, UInt64),
    answered_within_120s SimpleAggregateFunction(sum, UInt64),
    answered_within_180s SimpleAggregateFunction(sum, UInt64),
    answered_within_300s SimpleAggregateFunction(sum, UInt64),
    abandoned SimpleAggregateFunction(sum, UInt64),
    short_abandoned SimpleAggregateFunction(sum, UInt64),
    wait_answered_ms_sum SimpleAggregateFunction(sum, UInt64),
    wait_abandoned_ms_sum SimpleAggregateFunction(sum, UInt64),
    wait_ms_max SimpleAggregateFunction(max, UInt32),
    handled SimpleAggregateFunction(sum, UInt64),
    talk_ms_sum SimpleAggregateFunction(sum, UInt64),
    hold_ms_sum SimpleAggregateFunction(sum, UInt64),
    wrapups SimpleAggregateFunction(sum, UInt64),
    wrapup_ms_sum SimpleAggregateFunction(sum, UInt64),
    holds SimpleAggregateFunction(sum, UInt64),
    transferred SimpleAggregateFunction(sum, UInt64),
    wait_answered_ms_quantiles AggregateFunction(quantilesTDigest(0.5, 0.9), UInt32)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(interval_start)
-- Reports read all queues of a tenant over a time range, so time comes before queue.
ORDER BY (tenant_id, interval_start, queue_id, channel);

-- Each count lands in the interval of its own event (an answer in the interval it
-- happened), the convention of real-time ACD reports; docs/kpis.md says so too.
CREATE MATERIALIZED VIEW IF NOT EXISTS queue_interval_15m_mv TO queue_interval_15m
(
    tenant_id LowCardinality(String), interval_start DateTime('UTC'), queue_id LowCardinality(String),
    channel LowCardinality(String), offered UInt64, answered UInt64, answered_within_10s UInt64,
    answered_within_15s UInt64, answered_within_20s UInt64, answered_within_30s UInt64,
    answered_within_45s UInt64, answered_within_60s UInt64, answered_within_90s UInt64,
    answered_within_120s UInt64, answered_within_180s UInt64, answered_within_300s UInt64,
    abandoned UInt64, short_abandoned UInt64, wait_answered_ms_sum UInt64, wait_abandoned_ms_sum UInt64,
    wait_ms_max UInt32, handled UInt64, talk_ms_sum UInt64, hold_ms_sum UInt64, wrapups UInt64,
    wrapup_ms_sum UInt64, holds UInt64, transferred UInt64,
    wait_answered_ms_quantiles AggregateFunction(quantilesTDigest(0.5, 0.9), UInt32)
)
AS SELECT
    tenant_id,
    toStartOfFifteenMinutes(occurred_at) AS interval_start,
    queue_id,
    channel,
    countIf(type = 'interaction.offered') AS offered,
    countIf(type = 'interaction.answered') AS answered,
    countIf(type = 'interaction.answered' AND wait_ms <= 10000) AS answered_within_10s,
    countIf(type = 'interaction.answered' AND wait_ms <= 15000) AS answered_within_15s,
    countIf(type = 'interaction.answered' AND wait_ms <= 20000) AS answered_within_20s,
    countIf(type = 'interaction.answered' AND wait_ms <= 30000) AS answered_within_30s,
    countIf(type = 'interaction.answered' AND wait_ms <= 45000) AS answered_within_45s,
    countIf(type = 'interaction.answered' AND wait_ms <= 60000) AS answered_within_60s,
    countIf(type = 'interaction.answered' AND wait_ms <= 90000) AS answered_within_90s,
    countIf(type = 'interaction.answered' AND wait_ms <= 120000) AS answered_within_120s,
    countIf(type = 'interaction.answered' AND wait_ms <= 180000) AS answered_within_180s,
    countIf(type = 'interaction.answered' AND wait_ms <= 300000) AS answered_within_300s,
    countIf(type = 'interaction.abandoned') AS abandoned,
    countIf(type = 'interaction.abandoned' AND wait_ms < 5000) AS short_abandoned,
    sumIf(toUInt64(wait_ms), type = 'interaction.answered') AS wait_answered_ms_sum,
    sumIf(toUInt64(wait_ms), type = 'interaction.abandoned') AS wait_abandoned_ms_sum,
    maxIf(wait_ms, type IN ('interaction.answered', 'interaction.abandoned')) AS wait_ms_max,
    countIf(type = 'interaction.ended') AS handled,
    sumIf(toUInt64(talk_ms), type = 'interaction.ended') AS talk_ms_sum,
    sumIf(toUInt64(hold_ms), type = 'interaction.ended') AS hold_ms_sum,
    countIf(type = 'interaction.wrapup_ended') AS wrapups,
    sumIf(toUInt64(wrapup_ms), type = 'interaction.wrapup_ended') AS wrapup_ms_sum,
    countIf(type = 'interaction.held') AS holds,
    countIf(type = 'interaction.transferred') AS transferred,
    quantilesTDigestStateIf(0.5, 0.9)(wait_ms, type = 'interaction.answered') AS wait_answered_ms_quantiles
FROM events
WHERE startsWith(type, 'interaction.')
GROUP BY tenant_id, interval_start, queue_id, channel;
