/**
 * Rebuilds `place_days` (migration 041) from `incidents`: after a mutation changed place keys of stored
 * rows (the place-key backfill), which a materialized view never sees. Runs at start-up before ingest
 * starts, so no insert falls between the truncate and the refill. The SELECT is the migration's backfill.
 */
import type { Store } from '../store/client.ts';

const TRUNCATE = `TRUNCATE TABLE place_days`;

const REFILL = `
INSERT INTO place_days (day, district, pair, category, place_key, n, latest)
SELECT toDate(created_at) AS day, district, cityHash64(place_key, category) AS pair, category, place_key, count() AS n, max(created_at) AS latest
FROM incidents
WHERE place_key NOT IN ('', '-')
GROUP BY day, district, pair, category, place_key`;

export async function rebuildPlaceDays(store: Store): Promise<void> {
	await store.command({ query: TRUNCATE, clickhouse_settings: { log_comment: 'places.place_days_truncate' } });
	await store.command({ query: REFILL, clickhouse_settings: { log_comment: 'places.place_days_rebuild' } });
}
