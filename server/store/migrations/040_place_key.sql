-- Place identity of every incident (server/places/identity.ts): `a:<street>|<house>` from a normalised
-- address, `g:<H3 res 11>` from the location without one, `n:<name>`, or `-` for nowhere. Written at
-- ingest; '' marks a row stored before this column existed, filled once at start-up by
-- server/places/backfill.ts (the key is computed in the application, the one place it is defined).
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS place_key String DEFAULT '';

-- Repeats and chronic places read one place and category over a window: a projection ordered that way
-- turns the lookup of a page's predecessors into a primary-key range instead of a scan of the months.
ALTER TABLE incidents ADD PROJECTION IF NOT EXISTS by_place (SELECT id, category, place_key, created_at, district ORDER BY (place_key, category, created_at));

ALTER TABLE incidents MATERIALIZE PROJECTION by_place;
