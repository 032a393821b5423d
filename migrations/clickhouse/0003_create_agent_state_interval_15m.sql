CREATE TABLE IF NOT EXISTS agent_state_interval_15m
(
    tenant_id LowCardinality(String),
    interval_start DateTime('UTC'),
    agent_id LowCardinality(String),
    state LowCardinality(String),
    state_ms SimpleAggregateFunction(sum, UInt64),
    entries SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(interval_start)
-- Occupancy and adherence read every agent of a tenant over a time range.
ORDER BY (tenant_id, interval_start, agent_id, state);

-- A state_changed event closes the previous state: its duration is split over the
-- 15-minute intervals it covered, so time in state is exact per interval.
CREATE MATERIALIZED VIEW IF NOT EXISTS agent_state_interval_15m_time_mv TO agent_state_interval_15m
(
    tenant_id LowCardinality(String), interval_start DateTime('UTC'), agent_id LowCardinality(String),
    state LowCardinality(String), state_ms UInt64, entries UInt64
)
AS SELECT
    tenant_id,
    toDateTime(intDiv(slot, 1000), 'UTC') AS interval_start,
    agent_id,
    previous_state AS state,
    toUInt64(sum(least(end_ms, slot + 900000) - greatest(start_ms, slot))) AS state_ms,
    toUInt64(0) AS entries
FROM
(
    SELECT
        tenant_id,
        agent_id,
        previous_state,
        toUnixTimestamp64Milli(occurred_at) AS end_ms,
        end_ms - toInt64(previous_state_ms) AS start_ms
    FROM events
    WHERE type = 'agent.state_changed' AND previous_state != '' AND previous_state_ms > 0
)
ARRAY JOIN range(intDiv(start_ms, 900000) * 900000, end_ms, toInt64(900000)) AS slot
GROUP BY tenant_id, interval_start, agent_id, state;

CREATE MATERIALIZED VIEW IF NOT EXISTS agent_state_interval_15m_entries_mv TO agent_state_interval_15m
(
    tenant_id LowCardinality(String), interval_start DateTime('UTC'), agent_id LowCardinality(String),
    state LowCardinality(String), state_ms UInt64, entries UInt64
)
AS SELECT
    tenant_id,
    toStartOfFifteenMinutes(occurred_at) AS interval_start,
    agent_id,
    state,
    toUInt64(0) AS state_ms,
    count() AS entries
FROM events
WHERE type = 'agent.state_changed'
GROUP BY tenant_id, interval_start, agent_id, state;
