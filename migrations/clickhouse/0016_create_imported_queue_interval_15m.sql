-- Interval history imported from the system a center used before (npm run admin -- history
-- import), kept apart from the live rollups: forecasts and the queue report read it only for
-- the time before a queue's first live interval (getQueueIntervalActuals says why). Counts are
-- Float64 because a 30- or 60-minute row is spread evenly over its 15-minute intervals.
CREATE TABLE IF NOT EXISTS imported_queue_interval_15m
(
    tenant_id LowCardinality(String),
    queue_id LowCardinality(String),
    interval_start DateTime('UTC'),
    offered Float64,
    answered Float64,
    abandoned Float64,
    -- aht_s × answered of the imported row, in milliseconds (its share of it).
    handle_ms_sum Float64,
    import_id UUID,
    imported_at DateTime64(3, 'UTC')
)
-- Importing an interval again replaces it: the row imported last wins, and readers use FINAL
-- so an unmerged older copy is never counted.
ENGINE = ReplacingMergeTree(imported_at)
PARTITION BY toYYYYMM(interval_start)
-- The replacing key, queue first: a forecast reads one queue's months, a report a tenant's few imported queues.
ORDER BY (tenant_id, queue_id, interval_start);
