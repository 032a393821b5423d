-- Published schedules as snapshots for adherence and reports (the editable store is Postgres). Each published
-- version's activities are written once under its schedule_id; a later version of the same planning group and week
-- supersedes it, so readers take, per group and week, the version published last. Agents and groups are their keys
-- (what telemetry events carry); times are UTC instants, shift_date the tenant-local day the shift belongs to.
CREATE TABLE IF NOT EXISTS schedule_activities
(
    tenant_id LowCardinality(String),
    schedule_id UUID,
    group_id LowCardinality(String),
    week_start Date,
    published_at DateTime64(3, 'UTC'),
    agent_id LowCardinality(String),
    kind LowCardinality(String),
    start DateTime('UTC'),
    end DateTime('UTC'),
    shift_date Date
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, agent_id, start, schedule_id, kind);
