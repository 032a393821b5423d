-- The blend behind each series' forecast: per target weekday, the methods combined and their
-- weights, as JSON ([{"weekday":1,"members":[{"method":"profile","weight":0.6},…],"wape":{…}}]).
-- Versions stored before blends existed have '[]': one method, named in `method`.
ALTER TABLE forecast_methods
    ADD COLUMN IF NOT EXISTS blends String DEFAULT '[]';
