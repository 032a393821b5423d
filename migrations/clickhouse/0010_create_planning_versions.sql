-- Forecasts and staffing requirements are immutable versions: a workflow writes every row
-- of a version under a new version_id, then its header, and readers only see versions
-- whose header exists (published). ReplacingMergeTree collapses rows an activity retry
-- may write twice; the writers also skip a version/queue that is already stored.

CREATE TABLE IF NOT EXISTS forecast_versions
(
    tenant_id LowCardinality(String),
    version_id UUID,
    created_at DateTime64(3, 'UTC'),
    -- History up to (excluding) this instant was used; the horizon starts at start_date.
    train_until DateTime('UTC'),
    start_date Date,
    horizon_days UInt16,
    trigger LowCardinality(String),
    workflow_id String,
    series UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, version_id);

CREATE TABLE IF NOT EXISTS forecast_intervals
(
    tenant_id LowCardinality(String),
    version_id UUID,
    queue_id LowCardinality(String),
    channel LowCardinality(String),
    interval_start DateTime('UTC'),
    volume Float64,
    volume_lo80 Float64,
    volume_hi80 Float64,
    -- The statistical forecast before planner overrides, to show what an override changed.
    volume_statistical Float64,
    aht_s Float64,
    overridden UInt8
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, version_id, queue_id, interval_start);

-- Which method each series got and why (the backtest of every candidate), per version.
CREATE TABLE IF NOT EXISTS forecast_methods
(
    tenant_id LowCardinality(String),
    version_id UUID,
    queue_id LowCardinality(String),
    measure LowCardinality(String),
    method LowCardinality(String),
    backtest_wape Nullable(Float64),
    candidates String
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, version_id, queue_id, measure);

CREATE TABLE IF NOT EXISTS staffing_versions
(
    tenant_id LowCardinality(String),
    version_id UUID,
    forecast_version_id UUID,
    created_at DateTime64(3, 'UTC'),
    trigger LowCardinality(String),
    workflow_id String,
    -- The targets and assumptions used, per queue (JSON), so a version explains itself.
    params String
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, version_id);

CREATE TABLE IF NOT EXISTS staffing_intervals
(
    tenant_id LowCardinality(String),
    version_id UUID,
    queue_id LowCardinality(String),
    interval_start DateTime('UTC'),
    calls Float64,
    aht_s Float64,
    workload_erlangs Float64,
    erlang_agents UInt32,
    capped_agents UInt32,
    required_fte Float64,
    service_level Float64,
    -- Null when the headcount never answers (an unstable queue).
    asa_s Nullable(Float64),
    occupancy Float64,
    p_abandon Nullable(Float64)
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, version_id, queue_id, interval_start);
