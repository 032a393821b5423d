-- Each intraday run writes its tenant's whole day (about a hundred rows per queue and group, every 15 minutes):
-- ninety days of runs are kept, enough for the accuracy ledger's intraday figures and a look back at a past day.
ALTER TABLE intraday_queue_intervals
    MODIFY TTL date + toIntervalDay(90);

ALTER TABLE intraday_group_intervals
    MODIFY TTL date + toIntervalDay(90);
