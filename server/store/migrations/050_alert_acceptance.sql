-- Time from an outbound alert to «Принято в работу», per district (server/alerts/acceptance-log.ts).
-- Written in the background from the alert journal ($MCU_DATA_DIR/alerts/outbox.ndjson), which stays
-- the source of truth: a `sent` row when the first Telegram delivery of an alert that carries the button
-- went out, an `accepted` row when somebody pressed it. Each alert is written once per district it
-- concerns, plus once under district '' (the whole city, so a hotspot on a border counts once there).
-- The journal is re-written here at every start (a crash may have lost a background write): identical
-- rows share their sorting key and collapse, and every query reads them with min()/count(DISTINCT)
-- grouped by alert, so copies not yet merged change nothing. A few rows a day: no TTL, a report of any
-- past week can be made again.
CREATE TABLE IF NOT EXISTS alert_acceptance
(
    alert_id String,
    district LowCardinality(String),
    -- 'sent' | 'accepted'
    rec LowCardinality(String),
    -- hotspot | overdue | incident, and the alert kind (hotspot_opened, overdue, incident…)
    event LowCardinality(String),
    kind LowCardinality(String),
    -- the hotspot id, or the first incident id of the alert
    ref String,
    incidents UInt32,
    -- first Telegram delivery of the alert, on both rows (the period of a figure is cut on it)
    sent_at DateTime64(3, 'UTC'),
    -- the row's own instant: sent_at for 'sent', the press for 'accepted'
    at DateTime64(3, 'UTC'),
    -- who pressed ('' on a 'sent' row)
    executor String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(sent_at)
ORDER BY (district, sent_at, alert_id, rec);
