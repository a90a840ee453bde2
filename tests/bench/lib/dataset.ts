/**
 * Synthetic incidents at scale, made inside the engine with numbers() and deterministic hashes (so every
 * run, and both databases, see the same rows): a year before a fixed instant, districts weighted like
 * Barnaul's, 15 categories, ~85 % answered (first response 5 min … 2 days later), half of those resolved.
 * Rows are added in ranges, so 10 M is 1 M plus 9 M more. Exported as CSV for PostgreSQL's COPY.
 */
import type { Store } from '../../../server/store/client.ts';

/** A Wednesday, 12:30 in Barnaul: this week and last week both have data. */
export const DATASET_NOW = new Date('2024-03-13T05:30:00Z');
const YEAR_MS = 365 * 86_400_000;

const CREATED = `fromUnixTimestamp64Milli(toInt64({now_ms:Int64} - cityHash64(number, 1) % {span_ms:UInt64}), 'UTC')`;

const INSERT_INCIDENTS = `
INSERT INTO incidents (id, source, created_at, received_at, category, district, lat, lon, h3, address, text, url, severity, deadline_at)
SELECT id, source, created_at, created_at + INTERVAL 2 SECOND, category, district, lat, lon, geoToH3(lat, lon, 9), address, text, '', severity,
	created_at + if(severity >= 4, INTERVAL 4 HOUR, INTERVAL 24 HOUR)
FROM (
	SELECT
		concat('s-', toString(number)) AS id,
		['vk', 'ok', 'telegram', 'feedback_platform', 'forum', 'media', 'phone', 'other'][1 + cityHash64(number, 2) % 8] AS source,
		${CREATED} AS created_at,
		['heating', 'water', 'housing', 'roads', 'snow', 'yard', 'lighting', 'waste', 'transport', 'health', 'education', 'social', 'ecology', 'safety', 'other'][1 + cityHash64(number, 3) % 15] AS category,
		cityHash64(number, 4) % 100 AS d,
		multiIf(d < 12, 'central', d < 32, 'zheleznodorozhny', d < 62, 'industrialny', d < 85, 'leninsky', 'oktyabrsky') AS district,
		multiIf(d < 12, 53.3222, d < 32, 53.3533, d < 62, 53.3444, d < 85, 53.375, 53.3694) + ((cityHash64(number, 5) % 2000) - 1000) / 50000 AS lat,
		multiIf(d < 12, 83.7783, d < 32, 83.7431, d < 62, 83.6667, d < 85, 83.6917, 83.7667) + ((cityHash64(number, 6) % 2000) - 1000) / 50000 AS lon,
		concat(['ул. Попова, ', 'пр. Ленина, ', 'ул. Малахова, ', 'Павловский тракт, '][1 + cityHash64(number, 7) % 4], toString(1 + cityHash64(number, 8) % 300)) AS address,
		['Третий день нет отопления в подъезде, батареи холодные, в квартире 15 градусов',
		 'Во дворе не вывезен мусор, контейнеры переполнены, просим принять меры',
		 'Яма на проезжей части у остановки, машины объезжают по встречной полосе',
		 'Не горит уличное освещение на всей улице, вечером идти страшно'][1 + cityHash64(number, 9) % 4] AS text,
		toUInt8(1 + cityHash64(number, 10) % 5) AS severity
	FROM numbers({from:UInt64}, {count:UInt64})
)`;

/** First response 5 min … ~2 days after creation (a skewed product of two uniforms); resolution 1–4 days after it. */
const INSERT_EVENTS = `
INSERT INTO incident_events (incident_id, type, at, received_at, executor, comment)
SELECT concat('s-', toString(number)) AS incident_id,
	arrayJoin(if(cityHash64(number, 11) % 2 = 0, ['responded', 'resolved'], ['responded'])) AS type,
	${CREATED} + toIntervalMinute(5 + (cityHash64(number, 12) % 60) * (cityHash64(number, 13) % 48)
		+ if(type = 'resolved', 1440 + cityHash64(number, 14) % 4320, 0)) AS at,
	at + INTERVAL 2 SECOND, 'Комитет ЖКХ', ''
FROM numbers({from:UInt64}, {count:UInt64})
WHERE cityHash64(number, 15) % 100 < 85`;

/** Adds incidents number `from` … `to − 1` with their events; merges parts so queries see a settled table. */
export async function grow(store: Store, from: number, to: number): Promise<void> {
	const params = { from, count: to - from, now_ms: DATASET_NOW.getTime(), span_ms: YEAR_MS };
	await store.command({ query: INSERT_INCIDENTS, query_params: params, clickhouse_settings: { log_comment: 'bench.grow_incidents' } });
	await store.command({ query: INSERT_EVENTS, query_params: params, clickhouse_settings: { log_comment: 'bench.grow_events' } });
	await store.command({ query: 'OPTIMIZE TABLE incidents FINAL', clickhouse_settings: { log_comment: 'bench.optimize_incidents' } });
	await store.command({ query: 'OPTIMIZE TABLE incident_events FINAL', clickhouse_settings: { log_comment: 'bench.optimize_events' } });
}

const EXPORT_INCIDENTS = `
INSERT INTO FUNCTION file({file:String}, 'CSV')
SELECT id, source, created_at, received_at, category, district, lat, lon, h3, address, text, url, severity, deadline_at FROM incidents`;

const EXPORT_EVENTS = `
INSERT INTO FUNCTION file({file:String}, 'CSV')
SELECT incident_id, type, at, received_at, executor, comment FROM incident_events`;

/** Writes both tables as CSV (columns in the order of the PostgreSQL schema). */
export async function exportCsv(store: Store, files: { incidents: string; events: string }): Promise<void> {
	const settings = { engine_file_truncate_on_insert: 1 as const };
	await store.command({ query: EXPORT_INCIDENTS, query_params: { file: files.incidents }, clickhouse_settings: { ...settings, log_comment: 'bench.export_incidents' } });
	await store.command({ query: EXPORT_EVENTS, query_params: { file: files.events }, clickhouse_settings: { ...settings, log_comment: 'bench.export_events' } });
}

export async function countRows(store: Store): Promise<{ incidents: number; events: number }> {
	const r = await store.query({
		query: 'SELECT (SELECT count() FROM incidents) AS incidents, (SELECT count() FROM incident_events) AS events',
		format: 'JSONEachRow',
		clickhouse_settings: { log_comment: 'bench.count_rows' }
	});
	const row = (await r.json<{ incidents: string; events: string }>())[0]!;
	return { incidents: Number(row.incidents), events: Number(row.events) };
}
