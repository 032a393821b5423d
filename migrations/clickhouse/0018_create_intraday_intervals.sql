-- The intraday loop's runs (every 15 minutes per tenant): per queue the morning forecast, the reforecast of the rest of
-- the day from today's actuals and the agents it requires; per planning group the staffing gap. Each run writes the
-- whole day under its run_id (a retried run writes the same rows again, collapsed by ReplacingMergeTree); readers take
-- a day's latest run, and the accuracy ledger scores, per interval, the reforecast of the last run before it began.
-- Derived rows, small (96 intervals × series per run): no TTL, like the rollups.
CREATE TABLE IF NOT EXISTS intraday_queue_intervals
(
    tenant_id LowCardinality(String),
    date Date,
    queue_id LowCardinality(String),
    run_at DateTime64(3, 'UTC'),
    run_id String,
    forecast_version_id UUID,
    interval_start DateTime('UTC'),
    forecast Float64,
    reforecast Float64,
    -- Null for intervals not yet complete when the run read the actuals.
    actual Nullable(Float64),
    aht_s Float64,
    required Float64
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, date, queue_id, run_at, interval_start);

CREATE TABLE IF NOT EXISTS intraday_group_intervals
(
    tenant_id LowCardinality(String),
    date Date,
    group_id LowCardinality(String),
    run_at DateTime64(3, 'UTC'),
    run_id String,
    interval_start DateTime('UTC'),
    required Float64,
    scheduled Float64,
    excepted Float64,
    absent Float64,
    net Float64,
    gap Float64
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, date, group_id, run_at, interval_start);
