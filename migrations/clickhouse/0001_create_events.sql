-- All event families in one wide table: a flush of the ingest writer is then a single
-- insert, i.e. one part, so an acknowledged batch is stored whole or not at all.
-- received_at defaults to the insert's now64(), so one flush lands in one partition.
-- Absent numbers are 0 (csat 0 = no answer; nps and resolved use -1).
CREATE TABLE IF NOT EXISTS events
(
    tenant_id LowCardinality(String),
    event_id UUID,
    type LowCardinality(String),
    schema_version UInt16,
    occurred_at DateTime64(3, 'UTC'),
    sent_at DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC') DEFAULT now64(3),
    source LowCardinality(String),
    interaction_id String,
    queue_id LowCardinality(String),
    channel LowCardinality(String),
    agent_id LowCardinality(String),
    intent LowCardinality(String),
    customer_ref String,
    priority UInt8,
    skills Array(LowCardinality(String)),
    routing_reason LowCardinality(String),
    to_queue_id LowCardinality(String),
    transfer_type LowCardinality(String),
    wait_ms UInt32,
    talk_ms UInt32,
    hold_ms UInt32,
    wrapup_ms UInt32,
    disposition LowCardinality(String),
    state LowCardinality(String),
    reason_code LowCardinality(String),
    previous_state LowCardinality(String),
    previous_state_ms UInt32,
    bot_id LowCardinality(String),
    turn_index UInt16,
    confidence Float32,
    outcome LowCardinality(String),
    escalation_reason LowCardinality(String),
    turns UInt16,
    duration_ms UInt32,
    segment_index UInt32,
    speaker LowCardinality(String),
    start_ms UInt32,
    end_ms UInt32,
    text String,
    csat UInt8,
    nps Int8,
    resolved Int8,
    ingest_key String,
    INDEX idx_interaction interaction_id TYPE bloom_filter(0.01) GRANULARITY 4,
    -- Restart recovery reads the idempotency keys of recent inserts only.
    INDEX idx_received received_at TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(received_at)
-- Tenant and day first: every question is asked for one tenant over a time window.
-- event_id last makes a duplicate that slipped past idempotency collapse on merge (FINAL).
ORDER BY (tenant_id, toDate(occurred_at), type, queue_id, agent_id, interaction_id, event_id);

CREATE TABLE IF NOT EXISTS ingest_rejections
(
    tenant_id LowCardinality(String),
    received_at DateTime64(3, 'UTC') DEFAULT now64(3),
    batch_ref String,
    event_index UInt32,
    event_id String,
    reason LowCardinality(String),
    message String,
    raw String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(received_at)
-- batch_ref is the Idempotency-Key (or a request id): a retried batch replaces its rows.
ORDER BY (tenant_id, batch_ref, event_index)
TTL toDateTime(received_at) + INTERVAL 30 DAY;
