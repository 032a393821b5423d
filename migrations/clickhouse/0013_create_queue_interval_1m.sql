-- The queue rollup by minute, built by the rollup builder beside queue_interval_15m: the
-- wallboard's rolling half hour reads it instead of re-aggregating half an hour of raw
-- events at every refresh. Rows keep their 15-minute source interval, the unit in which
-- the builder, the check and repairs reconcile.
CREATE TABLE IF NOT EXISTS queue_interval_1m
(
    tenant_id LowCardinality(String),
    interval_start DateTime('UTC'),
    source_interval DateTime('UTC'),
    queue_id LowCardinality(String),
    channel LowCardinality(String),
    offered SimpleAggregateFunction(sum, Int64),
    answered SimpleAggregateFunction(sum, Int64),
    answered_within_10s SimpleAggregateFunction(sum, Int64),
    answered_within_15s SimpleAggregateFunction(sum, Int64),
    answered_within_20s SimpleAggregateFunction(sum, Int64),
    answered_within_30s SimpleAggregateFunction(sum, Int64),
    answered_within_45s SimpleAggregateFunction(sum, Int64),
    answered_within_60s SimpleAggregateFunction(sum, Int64),
    answered_within_90s SimpleAggregateFunction(sum, Int64),
    answered_within_120s SimpleAggregateFunction(sum, Int64),
    answered_within_180s SimpleAggregateFunction(sum, Int64),
    answered_within_300s SimpleAggregateFunction(sum, Int64),
    abandoned SimpleAggregateFunction(sum, Int64),
    short_abandoned SimpleAggregateFunction(sum, Int64),
    wait_answered_ms_sum SimpleAggregateFunction(sum, Int64),
    wait_abandoned_ms_sum SimpleAggregateFunction(sum, Int64),
    wait_ms_max SimpleAggregateFunction(max, UInt32),
    handled SimpleAggregateFunction(sum, Int64),
    talk_ms_sum SimpleAggregateFunction(sum, Int64),
    hold_ms_sum SimpleAggregateFunction(sum, Int64),
    wrapups SimpleAggregateFunction(sum, Int64),
    wrapup_ms_sum SimpleAggregateFunction(sum, Int64),
    holds SimpleAggregateFunction(sum, Int64),
    transferred SimpleAggregateFunction(sum, Int64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(interval_start)
ORDER BY (tenant_id, interval_start, queue_id, channel, source_interval);

-- Filled from the raw events already stored at the host's next start.
INSERT INTO rollup_state (key, at) VALUES ('rebuild', now64(3));
