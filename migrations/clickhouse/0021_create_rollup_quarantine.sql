-- Source intervals the rollup builder could not compute because the store refused what they hold (a value a rollup
-- column cannot take, say): set aside so the rest keep flowing and a restart does not fail on them again. Tried again
-- at each start and by `npm run repair:rollups`; a row with cleared = 1 ends the quarantine.
CREATE TABLE IF NOT EXISTS rollup_quarantine
(
    tenant_id LowCardinality(String),
    interval_start DateTime('UTC'),
    error String,
    cleared UInt8,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (tenant_id, interval_start);
