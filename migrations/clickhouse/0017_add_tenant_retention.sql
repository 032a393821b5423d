-- Per-tenant retention of raw events, transcripts and rejected events. A TTL cannot look
-- up another table, so each row carries its tenant's retention in days, written by the
-- ingest writer from the tenant's settings (tenants.retention_days) and rewritten for a
-- tenant's stored rows when it changes (applyTenantRetention). Rows stored before this
-- version, or loaded without them, have the default: 400 days (30 for rejected events).
-- Rollups (*_interval_15m, queue_interval_1m) and imported_queue_interval_15m get no TTL:
-- they outlive raw events, and the rollup check judges no interval past its retention.
ALTER TABLE events
    ADD COLUMN IF NOT EXISTS retention_days UInt16 DEFAULT 400 AFTER batch_id,
    ADD COLUMN IF NOT EXISTS transcript_retention_days UInt16 DEFAULT 400 AFTER retention_days;

-- A row is deleted (at a merge) once its occurred_at is older than its retention.
ALTER TABLE events
    MODIFY TTL toDateTime(occurred_at) + toIntervalDay(retention_days);

-- A transcript's words are reset to '' (the column's default) after the transcript
-- retention, which may be shorter than the event's own: the segment's other fields stay.
ALTER TABLE events
    MODIFY COLUMN text String TTL toDateTime(occurred_at) + toIntervalDay(transcript_retention_days);

ALTER TABLE ingest_rejections
    ADD COLUMN IF NOT EXISTS retention_days UInt16 DEFAULT 30 AFTER raw;

ALTER TABLE ingest_rejections
    MODIFY TTL toDateTime(received_at) + toIntervalDay(retention_days);
