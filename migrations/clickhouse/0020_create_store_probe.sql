-- The ingest writer's probe while the store refuses writes (a full disk, say): a one-row insert a second tells it when
-- writes work again, without waiting for a client's batch to try. A day of probes is kept.
CREATE TABLE IF NOT EXISTS store_probe
(
    at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY at
TTL toDateTime(at) + INTERVAL 1 DAY;
