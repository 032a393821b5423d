-- Which ingest request stored the row (one random id per request). The rollup builder
-- counts a request's events once it has returned, leaving out the events stored before
-- by an earlier request (duplicates), instead of re-counting whole intervals each step.
-- Rows stored before this column existed, or by bulk loads, have the zero id: counted.
-- Last in the sorting key, so that a merge never collapses the rows of two requests
-- into one: the builder must still find the earlier request's row of a duplicate (a
-- collapse keeps the later one). Duplicates within one request still collapse.
ALTER TABLE events
    ADD COLUMN IF NOT EXISTS batch_id UUID AFTER ingest_key,
    MODIFY ORDER BY (tenant_id, toDate(occurred_at), type, queue_id, agent_id, interaction_id, event_id, batch_id);
