-- Incidents as ingested. Timestamps in UTC; days are cut in the city's zone at query time.
-- Plain MergeTree: ids are deduplicated by the ingest pipeline before insert (the `by_id` projection
-- makes that lookup a primary-key read), and a retried insert of the same batch is dropped by the
-- engine through `insert_deduplication_token` within the deduplication window.
CREATE TABLE IF NOT EXISTS incidents
(
    id String,
    source LowCardinality(String),
    created_at DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    category LowCardinality(String),
    district LowCardinality(String),
    lat Nullable(Float64),
    lon Nullable(Float64),
    -- H3 cell at resolution 9 (~0.1 km²), 0 when the incident has no location.
    h3 UInt64,
    address String,
    text String,
    url String,
    severity UInt8,
    deadline_at DateTime64(3, 'UTC'),
    PROJECTION by_id (SELECT id, created_at, district ORDER BY id)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(created_at)
ORDER BY (district, created_at, id)
SETTINGS non_replicated_deduplication_window = 10000, deduplicate_merge_projection_mode = 'rebuild';

-- Status events. An event may arrive before its incident: it is stored and joins once the incident does.
CREATE TABLE IF NOT EXISTS incident_events
(
    incident_id String,
    type LowCardinality(String),
    at DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    executor String,
    comment String
)
ENGINE = MergeTree
ORDER BY (incident_id, type, at)
SETTINGS non_replicated_deduplication_window = 10000;
