-- kith schema version 13: an organization's own keep-in-touch cadence (`kith org edit globex
-- --every 1m`). It is due to reconnect when nobody there (nor the organization itself) was in
-- an interaction within it. Only adds a column; never edit once shipped.
ALTER TABLE organizations ADD COLUMN cadence TEXT;  -- a period such as 30d, 2w, 1m, 1y
