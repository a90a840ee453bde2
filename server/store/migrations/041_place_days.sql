-- Chronic places (GET /api/v1/places) rank (place, category) pairs by their count over a period of up to a
-- year: a GROUP BY over every placed incident of the period. This table holds those counts per UTC day, so
-- the ranking sums whole days from here and reads only the two partial edge days from `incidents`
-- (server/places/queries/chronic-candidates.ts). Rows without a place ('' not yet keyed, '-' nowhere) are
-- never candidates and are left out.
--
-- `pair` is cityHash64(place_key, category): the ranking groups by this one number, several times faster
-- than by two strings. It is only a grouping key: the key itself stays in the sorting key, so two pairs
-- that share a hash are never merged into one row, and the reader checks the few pairs it ranks first for
-- a shared hash and then counts by the strings instead (server/places/chronic-pairs.ts). District leads the
-- sorting key, as in `incidents`: a district head's ranking reads only that district's range.
--
-- Exact, not approximate: n is the number of rows inserted into `incidents`, which is what a count() over
-- `incidents` gives. Incidents are deduplicated before they are inserted (the ingest pipeline decides
-- duplicates in memory and checks the store before any replay or retry), so a replayed, late or
-- re-imported incident is inserted, and counted, once. The engine's own last line — dropping a retried
-- batch by its `insert_deduplication_token` — would still pass the batch on to the view; this table's
-- deduplication window makes the view's insert, whose token is derived from the batch's, dropped as well
-- (deduplicate_blocks_in_dependent_materialized_views, on by default). Distinct batches get distinct
-- derived tokens, so two batches that add the same counts are both kept. Sums and maxima are
-- commutative, so rows landing in any order and merged at any time give the same totals. Rows changed by a
-- mutation are not seen by the view: the one mutation of `incidents` (the place-key backfill, which turns
-- '' into a key) rebuilds this table afterwards (server/places/place-days.ts).
CREATE TABLE IF NOT EXISTS place_days
(
    day Date,
    district LowCardinality(String),
    pair UInt64,
    category LowCardinality(String),
    place_key String,
    n SimpleAggregateFunction(sum, UInt64),
    latest SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (district, day, pair, category, place_key)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS place_days_mv TO place_days AS
SELECT toDate(created_at) AS day, district, cityHash64(place_key, category) AS pair, category, place_key, count() AS n, max(created_at) AS latest
FROM incidents
WHERE place_key NOT IN ('', '-')
GROUP BY day, district, pair, category, place_key;

-- The incidents stored before this version. Migrations run before ingest starts, so no row is both here
-- and in the view; the guard makes a repeat after a crash (before this migration was recorded) a no-op.
INSERT INTO place_days (day, district, pair, category, place_key, n, latest)
SELECT toDate(created_at) AS day, district, cityHash64(place_key, category) AS pair, category, place_key, count() AS n, max(created_at) AS latest
FROM incidents
WHERE place_key NOT IN ('', '-') AND (SELECT count() FROM place_days) = 0
GROUP BY day, district, pair, category, place_key;
