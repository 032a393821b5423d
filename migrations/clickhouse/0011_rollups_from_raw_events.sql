-- Rollups are no longer written by materialized views on the insert path: a view's part
-- is not committed atomically with its source part, and the views were most of the cost
-- of an insert. The host's rollup builder derives them from the stored raw events
-- (packages/telemetry/src/rollups), counting each event_id once.
DROP VIEW IF EXISTS queue_interval_15m_mv;

DROP VIEW IF EXISTS agent_interval_15m_mv;

DROP VIEW IF EXISTS agent_state_interval_15m_mv;

DROP VIEW IF EXISTS bot_intent_interval_15m_mv;

-- Rebuilt from raw events by the host at its next start (the 'rebuild' request below):
-- the views may have counted a duplicate twice or missed a batch cut by a crash. No raw
-- event has been removed before this version (there is no retention yet): nothing is lost.
TRUNCATE TABLE IF EXISTS queue_interval_15m;

TRUNCATE TABLE IF EXISTS agent_interval_15m;

TRUNCATE TABLE IF EXISTS agent_state_interval_15m;

TRUNCATE TABLE IF EXISTS bot_intent_interval_15m;

-- Sums become signed: a correction can take a count down as well as up. The t-digest
-- state was never read, and a state cannot be corrected.
ALTER TABLE queue_interval_15m
    DROP COLUMN IF EXISTS wait_answered_ms_quantiles,
    MODIFY COLUMN offered SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_10s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_15s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_20s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_30s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_45s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_60s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_90s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_120s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_180s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN answered_within_300s SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN abandoned SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN short_abandoned SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN wait_answered_ms_sum SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN wait_abandoned_ms_sum SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN handled SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN talk_ms_sum SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN hold_ms_sum SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN wrapups SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN wrapup_ms_sum SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN holds SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN transferred SimpleAggregateFunction(sum, Int64);

ALTER TABLE agent_interval_15m
    MODIFY COLUMN answered SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN handled SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN talk_ms_sum SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN hold_ms_sum SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN wrapups SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN wrapup_ms_sum SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN holds SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN transferred SimpleAggregateFunction(sum, Int64);

ALTER TABLE bot_intent_interval_15m
    MODIFY COLUMN sessions SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN contained SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN escalated SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN abandoned SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN turns_sum SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN duration_ms_sum SimpleAggregateFunction(sum, Int64);

-- A state's time lands in the intervals it covered, before the event that closed it.
-- Rows keep the interval of that event (source_interval), so reconciling an interval's
-- events finds exactly the rows they produced; in the key so merges keep them apart.
ALTER TABLE agent_state_interval_15m
    ADD COLUMN IF NOT EXISTS source_interval DateTime('UTC'),
    MODIFY ORDER BY (tenant_id, interval_start, agent_id, state, source_interval);

ALTER TABLE agent_state_interval_15m
    MODIFY COLUMN state_ms SimpleAggregateFunction(sum, Int64),
    MODIFY COLUMN entries SimpleAggregateFunction(sum, Int64),
    ADD INDEX IF NOT EXISTS idx_source source_interval TYPE minmax GRANULARITY 1;

-- The builder's own records: `checkpoint:<instance>` (every event received before `at`
-- is counted by the rollups) and `rebuild` (rebuild every rollup from raw at next start).
CREATE TABLE IF NOT EXISTS rollup_state
(
    key String,
    at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key;

INSERT INTO rollup_state (key, at) VALUES ('rebuild', now64(3));
