-- Every hotspot alert as it was raised (both kinds), so what the wall showed can be told later: the weekly
-- report lists the week's surges from it. A few rows a day (alerts, not detections): no TTL, so a report
-- of any past week can be made again.
CREATE TABLE IF NOT EXISTS hotspot_log
(
    at DateTime64(3, 'UTC'),
    id String,
    kind LowCardinality(String),
    alert LowCardinality(String),
    -- '' for a city-wide surge
    district LowCardinality(String),
    category LowCardinality(String),
    count UInt32,
    expected Float64,
    score Float64,
    window_h UInt16,
    started_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (kind, at, id);
