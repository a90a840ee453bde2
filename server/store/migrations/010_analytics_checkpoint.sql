-- Analytics checkpoints: the per-incident state (created, deadline, first response) as of an instant
-- `t`, so a Snapshot reads only what is open or recently answered plus what came after `t`, instead of
-- joining every incident ever stored to its first response. Built and advanced by server/analytics
-- (checkpoint.ts); a version is used only while the rows it summarises are unchanged (guard counts in
-- the meta row), so late or out-of-order data never skews an answer, it triggers a rebuild.

-- One row per incident of a version: open at `t` (first_at NULL), or answered by `t` recently enough
-- for the response windows. Old versions expire by TTL on the wall-clock build time; a version is
-- trusted for one day at most (checkpoint.ts), well inside the TTL.
CREATE TABLE IF NOT EXISTS analytics_ckpt_incidents
(
    version UInt64,
    id String,
    district LowCardinality(String),
    created_at DateTime64(3, 'UTC'),
    deadline_at DateTime64(3, 'UTC'),
    first_at Nullable(DateTime64(3, 'UTC')),
    built_at DateTime DEFAULT now()
)
ENGINE = MergeTree
PARTITION BY version
ORDER BY (district, created_at)
TTL built_at + INTERVAL 3 DAY
SETTINGS ttl_only_drop_parts = 1;

-- A version is complete once its meta row exists (written last). `incidents` and `responses` count the
-- incidents created and the `responded` events given at or before `t` when the version was built.
CREATE TABLE IF NOT EXISTS analytics_ckpt_meta
(
    version UInt64,
    t DateTime64(3, 'UTC'),
    incidents UInt64,
    responses UInt64,
    built_at DateTime DEFAULT now()
)
ENGINE = MergeTree
ORDER BY version
TTL built_at + INTERVAL 3 DAY;

-- Status events by time: responses given after a checkpoint, and the guard counts, read a short range
-- instead of the whole table (ordered by incident). Existing parts are rebuilt in the background; until
-- then queries read the table itself and get the same answers.
ALTER TABLE incident_events ADD PROJECTION IF NOT EXISTS by_time (SELECT incident_id, type, at ORDER BY (type, at));

ALTER TABLE incident_events MATERIALIZE PROJECTION by_time;
